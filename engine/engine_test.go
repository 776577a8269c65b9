package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
)

// fixture is a memstore with one project and helpers to add identities and grants.
type fixture struct {
	t       testing.TB
	ctx     context.Context
	st      *memstore.Store
	project store.Project
	clock   *fakeClock
}

type fakeClock struct{ t atomic.Pointer[time.Time] }

func (c *fakeClock) now() time.Time  { return *c.t.Load() }
func (c *fakeClock) set(t time.Time) { c.t.Store(&t) }

var epoch = time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), clock: &fakeClock{}}
	f.clock.set(epoch)
	f.st = memstore.New(memstore.WithClock(f.clock.now))
	p, err := f.st.CreateProject(f.ctx, store.Project{Slug: "demo", Name: "Demo"})
	if err != nil {
		t.Fatal(err)
	}
	f.project = p
	return f
}

func (f *fixture) engine(opts ...Option) *Engine {
	f.t.Helper()
	e, err := New(f.ctx, f.st, append([]Option{WithClock(f.clock.now)}, opts...)...)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { e.Close() })
	return e
}

func (f *fixture) identity(name string, metadata ...store.IdentityMetadata) Identity {
	f.t.Helper()
	id, err := f.st.CreateIdentity(f.ctx, store.Identity{Name: name, AuthMethod: "universal-auth", Metadata: metadata})
	if err != nil {
		f.t.Fatal(err)
	}
	return Identity{ProjectID: f.project.ID, IdentityID: id.ID}
}

func (f *fixture) role(slug, doc string) store.Role {
	f.t.Helper()
	rs, err := rules.Parse([]byte(doc))
	if err != nil {
		f.t.Fatal(err)
	}
	r, err := f.st.CreateRole(f.ctx, store.Role{ProjectID: f.project.ID, Slug: slug, Name: slug, Permissions: rs})
	if err != nil {
		f.t.Fatalf("CreateRole(%s): %v", slug, err)
	}
	return r
}

func (f *fixture) member(who Identity, grants ...store.RoleGrant) store.Membership {
	f.t.Helper()
	m, err := f.st.CreateMembership(f.ctx, store.Membership{ProjectID: who.ProjectID, IdentityID: who.IdentityID, Roles: grants})
	if err != nil {
		f.t.Fatalf("CreateMembership: %v", err)
	}
	return m
}

func (f *fixture) privilege(who Identity, slug, doc string, tmp store.Temporary) store.Privilege {
	f.t.Helper()
	rs, err := rules.Parse([]byte(doc))
	if err != nil {
		f.t.Fatal(err)
	}
	p, err := f.st.CreatePrivilege(f.ctx, store.Privilege{ProjectID: who.ProjectID, IdentityID: who.IdentityID, Slug: slug, Permissions: rs, Temporary: tmp})
	if err != nil {
		f.t.Fatalf("CreatePrivilege(%s): %v", slug, err)
	}
	return p
}

func builtin(slug string) store.RoleGrant { return store.RoleGrant{Role: slug} }

func custom(r store.Role) store.RoleGrant {
	return store.RoleGrant{Role: store.RoleCustom, CustomRoleID: r.ID}
}

func temporary(g store.RoleGrant, start time.Time, rng string) store.RoleGrant {
	g.Temporary = store.Temporary{IsTemporary: true, Mode: store.ModeRelative, Range: rng, Start: &start}
	return g
}

func secret(env, path, name string) *rules.Resource {
	return &rules.Resource{Environment: env, SecretPath: path, SecretName: name}
}

func TestBuiltinRoles(t *testing.T) {
	f := newFixture(t)
	admin, member, viewer, none := f.identity("admin"), f.identity("member"), f.identity("viewer"), f.identity("none")
	f.member(admin, builtin("admin"))
	f.member(member, builtin("member"))
	f.member(viewer, builtin("viewer"))
	f.member(none, builtin("no-access"))
	outsider := f.identity("outsider")
	e := f.engine()
	db := secret("prod", "/app/db", "DB_PASSWORD")
	tests := []struct {
		who     Identity
		action  string
		subject string
		want    bool
	}{
		{admin, "readValue", "secrets", true},
		{admin, "delete", "secrets", true},
		{admin, "create", "role", true},
		{member, "edit", "secrets", true},
		{member, "grant-privileges", "identity", false},
		{viewer, "readValue", "secrets", true},
		{viewer, "read", "secrets", false},
		{viewer, "edit", "secrets", false},
		{none, "readValue", "secrets", false},
		{outsider, "readValue", "secrets", false},
	}
	for _, tt := range tests {
		if got := e.Can(tt.who, tt.action, tt.subject, db); got != tt.want {
			t.Errorf("Can(%v, %s, %s) = %t, want %t", tt.who, tt.action, tt.subject, got, tt.want)
		}
	}
	if d := e.Decide(outsider, "readValue", "secrets", db); d.Allowed || !errors.Is(d.Err, ErrNotMember) {
		t.Errorf("Decide(outsider) = %+v, want a denial with ErrNotMember", d)
	}
}

// TestDenyWinsInEveryOrder is Infisical's permission-rules.test.ts: with forbid rules sorted
// last, every ordering of three roles gives the same answers.
func TestDenyWinsInEveryOrder(t *testing.T) {
	f := newFixture(t)
	all := f.role("all-secrets", `[{"action":["readValue","describeSecret"],"subject":"secrets","conditions":{"secretPath":{"$glob":"/**"}}}]`)
	noProd := f.role("no-prod", `[{"action":"readValue","subject":"secrets","inverted":true,"conditions":{"secretPath":{"$glob":"/prod/**"}}}]`)
	dev := f.role("dev-read", `[{"action":"readValue","subject":"secrets","conditions":{"environment":"dev"}}]`)
	roles := []store.Role{all, noProd, dev}
	perms := [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	var ids []Identity
	for i, p := range perms {
		who := f.identity(fmt.Sprintf("order-%d", i))
		f.member(who, custom(roles[p[0]]), custom(roles[p[1]]), custom(roles[p[2]]))
		ids = append(ids, who)
	}
	checks := []struct {
		r    *rules.Resource
		want bool
	}{
		{secret("dev", "/prod/db", "X"), false},
		{secret("prod", "/prod", "X"), false},
		{secret("dev", "/app/db", "X"), true},
		{secret("prod", "/production", "X"), true}, // the narrow forbid does not block /** elsewhere
	}
	e := f.engine()
	for i, who := range ids {
		for _, c := range checks {
			if got := e.Can(who, "readValue", "secrets", c.r); got != c.want {
				t.Errorf("order %v: Can(readValue, %+v) = %t, want %t", perms[i], c.r, got, c.want)
			}
		}
	}
	// Plain CASL order lets a later allow override the forbid: the orders disagree.
	ordered := f.engine(WithMode(rules.Ordered))
	agree := true
	for _, who := range ids[1:] {
		if ordered.Can(who, "readValue", "secrets", checks[0].r) != ordered.Can(ids[0], "readValue", "secrets", checks[0].r) {
			agree = false
		}
	}
	if agree {
		t.Error("in Ordered mode every role order gave the same answer; the test does not tell the modes apart")
	}
}

// TestTemporaryWindows steps a fake clock to one nanosecond before and exactly at each
// boundary of a temporary role and a temporary privilege.
func TestTemporaryWindows(t *testing.T) {
	f := newFixture(t)
	reader := f.role("prod-reader", `[{"action":"readValue","subject":"secrets","conditions":{"environment":"prod"}}]`)
	who := f.identity("oncall")
	start := epoch.Add(time.Hour)
	f.member(who, builtin("no-access"), temporary(custom(reader), start, "2h"))
	pstart := epoch.Add(30 * time.Minute)
	f.privilege(who, "break-glass", `[{"action":"delete","subject":"secrets"}]`,
		store.Temporary{IsTemporary: true, Mode: store.ModeRelative, Range: "1h", Start: &pstart})
	e := f.engine()
	r := secret("prod", "/", "K")
	steps := []struct {
		at         time.Time
		read, dele bool
	}{
		{epoch, false, false},
		{pstart.Add(-1), false, false},
		{pstart, false, true},
		{start.Add(-1), false, true},
		{start, true, true},
		{pstart.Add(time.Hour - 1), true, true},
		{pstart.Add(time.Hour), true, false},
		{start.Add(2*time.Hour - 1), true, false},
		{start.Add(2 * time.Hour), false, false},
		{start.Add(-1), false, true}, // the clock may go back: the cache follows
	}
	for _, s := range steps {
		f.clock.set(s.at)
		if got := e.Can(who, "readValue", "secrets", r); got != s.read {
			t.Errorf("at %v: Can(readValue) = %t, want %t", s.at.Sub(epoch), got, s.read)
		}
		if got := e.Can(who, "delete", "secrets", r); got != s.dele {
			t.Errorf("at %v: Can(delete) = %t, want %t", s.at.Sub(epoch), got, s.dele)
		}
	}
	f.clock.set(start)
	d := e.Decide(who, "readValue", "secrets", r)
	if !d.Allowed || d.Source.Kind != CustomRoleSource || d.Source.Slug != "prod-reader" || !d.Source.Temporary ||
		!d.Source.Window.Start.Equal(start) || !d.Source.Window.End.Equal(start.Add(2*time.Hour)) {
		t.Errorf("Decide = %+v, want allowed by the temporary custom role prod-reader on [start, start+2h)", d)
	}
}

func TestStoreChangesAreSeenByTheNextCheck(t *testing.T) {
	f := newFixture(t)
	role := f.role("reader", `[{"action":"readValue","subject":"secrets","conditions":{"environment":"dev"}}]`)
	who := f.identity("svc")
	m := f.member(who, custom(role))
	e := f.engine()
	dev, prod := secret("dev", "/", "K"), secret("prod", "/", "K")
	if !e.Can(who, "readValue", "secrets", dev) || e.Can(who, "readValue", "secrets", prod) {
		t.Fatal("initial answers wrong")
	}
	// Edit the role: prod instead of dev.
	role.Permissions, _ = rules.Parse([]byte(`[{"action":"readValue","subject":"secrets","conditions":{"environment":"prod"}}]`))
	role, err := f.st.UpdateRole(f.ctx, role)
	if err != nil {
		t.Fatal(err)
	}
	if e.Can(who, "readValue", "secrets", dev) || !e.Can(who, "readValue", "secrets", prod) {
		t.Error("after the role edit: answers did not follow")
	}
	// Add a privilege that forbids prod.
	p := f.privilege(who, "no-prod", `[{"action":"readValue","subject":"secrets","inverted":true,"conditions":{"environment":"prod"}}]`, store.Temporary{})
	if e.Can(who, "readValue", "secrets", prod) {
		t.Error("after adding a forbidding privilege: still allowed")
	}
	if _, err := f.st.DeletePrivilege(f.ctx, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	if !e.Can(who, "readValue", "secrets", prod) {
		t.Error("after deleting the privilege: still denied")
	}
	// Remove the membership.
	m, _ = f.st.Membership(f.ctx, who.ProjectID, who.IdentityID)
	if _, err := f.st.DeleteMembership(f.ctx, who.ProjectID, who.IdentityID, m.Version); err != nil {
		t.Fatal(err)
	}
	if d := e.Decide(who, "readValue", "secrets", prod); d.Allowed || !errors.Is(d.Err, ErrNotMember) {
		t.Errorf("after deleting the membership: Decide = %+v, want ErrNotMember", d)
	}
}

func TestTemplates(t *testing.T) {
	f := newFixture(t)
	role := f.role("own-folder", `[{"action":"readValue","subject":"secrets","conditions":{
		"secretPath":{"$glob":"/users/{{identity.id}}/**"},
		"environment":"{{ identity.metadata.env }}"}}]`)
	alice := f.identity("alice", store.IdentityMetadata{Key: "env", Value: "dev"})
	bob := f.identity("bob")
	f.member(alice, custom(role))
	f.member(bob, custom(role))
	e := f.engine()
	own := secret("dev", "/users/"+alice.IdentityID+"/x", "K")
	if !e.Can(alice, "readValue", "secrets", own) {
		t.Error("alice cannot read her own folder")
	}
	if e.Can(alice, "readValue", "secrets", secret("dev", "/users/"+bob.IdentityID+"/x", "K")) {
		t.Error("alice can read bob's folder")
	}
	// bob has no env metadata: the template stays literal and matches nothing real.
	if e.Can(bob, "readValue", "secrets", secret("dev", "/users/"+bob.IdentityID+"/x", "K")) {
		t.Error("bob without env metadata can read")
	}
	if !e.Can(bob, "readValue", "secrets", secret("{{ identity.metadata.env }}", "/users/"+bob.IdentityID+"/x", "K")) {
		t.Error("an unfilled template is not kept as literal text")
	}
	d := e.Decide(alice, "readValue", "secrets", own)
	if s, _ := d.Rule.Conditions.Get("secretPath").Get("$glob").AsString(); s != "/users/{{identity.id}}/**" {
		t.Errorf("Decide rule glob = %q, want the rule as written", s)
	}
}

// TestLegacyForbidExpansion is Infisical's end-to-end case: an admin with a custom role that
// forbids readValue in dev cannot use the legacy read action there either.
func TestLegacyForbidExpansion(t *testing.T) {
	f := newFixture(t)
	deny := f.role("no-dev-values", `[{"action":"readValue","subject":"secrets","inverted":true,"conditions":{"environment":"dev"}}]`)
	who := f.identity("admin")
	f.member(who, builtin("admin"), custom(deny))
	e := f.engine()
	for _, action := range []string{"readValue", "read"} {
		if e.Can(who, action, "secrets", secret("dev", "/", "K")) {
			t.Errorf("Can(%s, dev) = true, want false", action)
		}
		if !e.Can(who, action, "secrets", secret("prod", "/", "K")) {
			t.Errorf("Can(%s, prod) = false, want true", action)
		}
	}
}

func TestCanAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	f := newFixture(t)
	who := benchIdentity(f, 0)
	e := f.engine()
	r := secret("prod", "/app-1/db", "DB_PASSWORD")
	e.Can(who, "readValue", "secrets", r) // compile
	if n := testing.AllocsPerRun(200, func() { e.Can(who, "readValue", "secrets", r) }); n != 0 {
		t.Errorf("Can allocates %v times per check, want 0", n)
	}
}

// TestChecksDuringWrites checks on every core while another goroutine edits roles,
// memberships and privileges; run with -race.
func TestChecksDuringWrites(t *testing.T) {
	f := newFixture(t)
	role := f.role("reader", `[{"action":"readValue","subject":"secrets","conditions":{"environment":"dev"}}]`)
	var ids []Identity
	for i := 0; i < 8; i++ {
		who := f.identity(fmt.Sprintf("svc-%d", i))
		f.member(who, custom(role))
		ids = append(ids, who)
	}
	e := f.engine()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := secret("dev", "/a", "K")
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, who := range ids {
					e.Can(who, "readValue", "secrets", r)
					e.Decide(who, "readValue", "secrets", r)
				}
			}
		}()
	}
	envs := []string{"dev", "prod"}
	for i := 0; i < 100; i++ {
		role.Permissions, _ = rules.Parse([]byte(fmt.Sprintf(`[{"action":"readValue","subject":"secrets","conditions":{"environment":%q}}]`, envs[i%2])))
		var err error
		if role, err = f.st.UpdateRole(f.ctx, role); err != nil {
			t.Fatal(err)
		}
		who := ids[i%len(ids)]
		p := f.privilege(who, fmt.Sprintf("p-%d", i), `[{"action":"edit","subject":"secrets"}]`, store.Temporary{})
		if _, err := f.st.DeletePrivilege(f.ctx, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		// After each write, the answer follows at once.
		if got, want := e.Can(ids[0], "readValue", "secrets", secret("dev", "/", "K")), i%2 == 0; got != want {
			t.Fatalf("write %d: Can = %t, want %t", i, got, want)
		}
	}
	close(stop)
	wg.Wait()
}

// flaky is a store whose reads fail while fail is set, as a database that went away.
type flaky struct {
	store.Reader
	fail atomic.Bool
}

var errDown = errors.New("store down")

func (f *flaky) Snapshot(ctx context.Context) (*store.Snapshot, error) {
	if f.fail.Load() {
		return nil, errDown
	}
	return f.Reader.Snapshot(ctx)
}

func (f *flaky) Role(ctx context.Context, id string) (store.Role, error) {
	if f.fail.Load() {
		return store.Role{}, errDown
	}
	return f.Reader.Role(ctx, id)
}

// TestUnappliedChangeIsRetried: a change the engine cannot read (the store is down) is not
// lost; the engine reloads once the store answers again.
func TestUnappliedChangeIsRetried(t *testing.T) {
	f := newFixture(t)
	role := f.role("reader", `[{"action":"readValue","subject":"secrets","conditions":{"environment":"dev"}}]`)
	who := f.identity("svc")
	f.member(who, custom(role))
	fl := &flaky{Reader: f.st}
	e, err := New(f.ctx, fl, WithClock(f.clock.now))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	prod := secret("prod", "/", "K")
	fl.fail.Store(true)
	role.Permissions, _ = rules.Parse([]byte(`[{"action":"readValue","subject":"secrets","conditions":{"environment":"prod"}}]`))
	if _, err := f.st.UpdateRole(f.ctx, role); err != nil {
		t.Fatal(err)
	}
	if e.Can(who, "readValue", "secrets", prod) {
		t.Fatal("the change was applied although the store could not be read")
	}
	fl.fail.Store(false)
	deadline := time.Now().Add(5 * retryInterval)
	for !e.Can(who, "readValue", "secrets", prod) {
		if time.Now().After(deadline) {
			t.Fatal("the engine never caught up after the store came back")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestIdentityChanges: templates follow an identity's metadata, and deleting the identity
// removes its access.
func TestIdentityChanges(t *testing.T) {
	f := newFixture(t)
	role := f.role("team-folder", `[{"action":"readValue","subject":"secrets","conditions":{"secretPath":{"$glob":"/{{identity.metadata.team}}/**"}}}]`)
	who := f.identity("svc", store.IdentityMetadata{Key: "team", Value: "pay"})
	f.member(who, custom(role))
	e := f.engine()
	pay, ops := secret("dev", "/pay/db", "K"), secret("dev", "/ops/db", "K")
	if !e.Can(who, "readValue", "secrets", pay) || e.Can(who, "readValue", "secrets", ops) {
		t.Fatal("initial answers wrong")
	}
	id, err := f.st.Identity(f.ctx, who.IdentityID)
	if err != nil {
		t.Fatal(err)
	}
	id.Metadata = []store.IdentityMetadata{{Key: "team", Value: "ops"}}
	if id, err = f.st.UpdateIdentity(f.ctx, id); err != nil {
		t.Fatal(err)
	}
	if e.Can(who, "readValue", "secrets", pay) || !e.Can(who, "readValue", "secrets", ops) {
		t.Error("after the metadata change: the template was not filled in again")
	}
	if _, err := f.st.DeleteIdentity(f.ctx, id.ID, id.Version); err != nil {
		t.Fatal(err)
	}
	if d := e.Decide(who, "readValue", "secrets", ops); d.Allowed || !errors.Is(d.Err, ErrNotMember) {
		t.Errorf("after deleting the identity: Decide = %+v, want ErrNotMember", d)
	}
}
