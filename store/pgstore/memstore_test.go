package pgstore

import (
	"context"
	"reflect"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
)

// TestSameAsMemstore copies the example snapshot from memstore into pgstore through the
// write API, and checks that both hold the same state and that engines over them decide
// the same, before, during and after the temporary grants.
func TestSameAsMemstore(t *testing.T) {
	mem := memstore.New()
	if err := mem.LoadFile("../../examples/store/snapshot.json"); err != nil {
		t.Fatal(err)
	}
	want, err := mem.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg := newStore(t)
	for _, x := range want.Projects {
		must(t)(pg.CreateProject(ctx, x))
	}
	for _, x := range want.Identities {
		must(t)(pg.CreateIdentity(ctx, x))
	}
	for _, x := range want.Roles {
		must(t)(pg.CreateRole(ctx, x))
	}
	for _, x := range want.Memberships {
		must(t)(pg.CreateMembership(ctx, x))
	}
	for _, x := range want.Privileges {
		must(t)(pg.CreatePrivilege(ctx, x))
	}
	got, err := pg.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := normalize(t, got), normalize(t, want); !reflect.DeepEqual(g, w) {
		t.Errorf("pgstore's snapshot differs from memstore's (stamps, versions and grant IDs aside):\n got %+v\nwant %+v", g, w)
	}

	var now atomic.Pointer[time.Time]
	clock := func() time.Time { return *now.Load() }
	at := func(s string) {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		now.Store(&tm)
	}
	at("2026-01-05T08:00:00Z")
	ectx, cancel := context.WithCancel(ctx)
	defer cancel()
	var engines []*engine.Engine
	for _, s := range []store.Reader{mem, pg} {
		e, err := engine.New(ectx, s, engine.WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		engines = append(engines, e)
	}
	checks, allowed := 0, 0
	for _, instant := range []string{"2026-01-05T08:00:00Z", "2026-01-05T10:00:00Z", "2026-01-05T14:00:00Z", "2026-01-06T12:00:00Z"} {
		at(instant)
		for _, m := range want.Memberships {
			who := engine.Identity{ProjectID: m.ProjectID, IdentityID: m.IdentityID}
			for _, action := range []string{"readValue", "describeSecret", "create", "edit", "delete"} {
				for _, env := range []string{"dev", "staging", "prod"} {
					for _, path := range []string{"/", "/app", "/app/db", "/app/admin/keys", "/shared/x", "/other"} {
						for _, name := range []string{"DB_PASSWORD", "ROOT_TOKEN"} {
							r := &rules.Resource{Environment: env, SecretPath: path, SecretName: name}
							m, p := engines[0].Can(who, action, "secrets", r), engines[1].Can(who, action, "secrets", r)
							if m != p {
								t.Errorf("at %s, Can(%s, %s, secrets, %s %s %s): memstore %t, pgstore %t", instant, m2s(who), action, env, path, name, m, p)
							}
							checks++
							if m {
								allowed++
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d checks agree (%d allowed)", checks, allowed)
	if allowed == 0 || allowed == checks {
		t.Errorf("%d of %d checks allowed: the grid does not discriminate", allowed, checks)
	}
}

func m2s(id engine.Identity) string { return id.ProjectID + "/" + id.IdentityID }

func must(t *testing.T) func(any, error) {
	return func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// normalize returns s without what two stores fill in differently (stamps, versions,
// grant IDs), with permissions in their packed form.
func normalize(t *testing.T, s *store.Snapshot) any {
	t.Helper()
	c := s.Clone()
	c.Version = 0
	pack := func(rs []rules.Rule) string {
		b, err := rules.Pack(rs)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	type withRules struct {
		Object any
		Packed string
	}
	var out []any
	for _, x := range c.Projects {
		x.CreatedAt, x.UpdatedAt, x.Version = time.Time{}, time.Time{}, 0
		out = append(out, x)
	}
	for _, x := range c.Identities {
		x.CreatedAt, x.UpdatedAt, x.Version = time.Time{}, time.Time{}, 0
		if len(x.Metadata) == 0 {
			x.Metadata = nil
		}
		out = append(out, x)
	}
	for _, x := range c.Roles {
		x.CreatedAt, x.UpdatedAt, x.Version = time.Time{}, time.Time{}, 0
		p := pack(x.Permissions)
		x.Permissions = nil
		out = append(out, withRules{x, p})
	}
	for _, x := range c.Memberships {
		x.CreatedAt, x.UpdatedAt, x.Version = time.Time{}, time.Time{}, 0
		x.Roles = slices.Clone(x.Roles)
		for i := range x.Roles {
			x.Roles[i].ID = ""
		}
		out = append(out, x)
	}
	for _, x := range c.Privileges {
		x.CreatedAt, x.UpdatedAt, x.Version = time.Time{}, time.Time{}, 0
		p := pack(x.Permissions)
		x.Permissions = nil
		out = append(out, withRules{x, p})
	}
	return out
}
