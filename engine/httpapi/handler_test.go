package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/internal/pgtest"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
	"github.com/wardenhq/warden/store/pgstore"
)

// fixture is a real HTTP server over a store with one project and identities holding the
// built-in roles, each with a token named after it. The store is a memstore or a pgstore
// on a database of its own (see overStores), its clock fixed at epoch.
type fixture struct {
	t       *testing.T
	ctx     context.Context
	st      store.Store
	eng     *engine.Engine
	srv     *httptest.Server
	project store.Project
	ids     map[string]store.Identity // by name: admin, dev (member), viewer, target (no-access), outsider (no membership)
}

var epoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) { pgtest.Main(m) }

// A backend opens an empty store whose clock reads now, closed when the test ends.
type backend struct {
	name string
	open func(t *testing.T, now func() time.Time) store.Store
}

var (
	memBackend = backend{"memstore", func(t *testing.T, now func() time.Time) store.Store {
		return memstore.New(memstore.WithClock(now))
	}}
	// pgBackend opens a pgstore on a new database of the shared throwaway cluster; it skips
	// the test when there is no PostgreSQL server (fails with CI=true, see pgtest).
	pgBackend = backend{"pgstore", func(t *testing.T, now func() time.Time) store.Store {
		conn := pgtest.Shared(t).NewDatabase(t)
		logger := slog.New(slog.NewTextHandler(testWriter{t}, nil))
		s, err := pgstore.Open(context.Background(), conn, pgstore.WithClock(now), pgstore.WithLogger(logger))
		if err != nil {
			t.Fatalf("pgstore.Open: %v", err)
		}
		t.Cleanup(s.Close) // registered first: runs after the engine and the server stop
		return s
	}}
	backends = []backend{memBackend, pgBackend}
)

// overStores runs test as a subtest over each store, with a fixture of its own.
func overStores(t *testing.T, test func(t *testing.T, f *fixture)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, newFixture(t, b)) })
	}
}

// testWriter writes to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

func newFixture(t *testing.T, b backend) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), ids: map[string]store.Identity{}}
	f.st = b.open(t, func() time.Time { return epoch })
	var err error
	f.project, err = f.st.CreateProject(f.ctx, store.Project{Slug: "demo", Name: "Demo"})
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for _, who := range []struct{ name, role string }{
		{"admin", "admin"}, {"dev", "member"}, {"viewer", "viewer"}, {"target", "no-access"}, {"outsider", ""},
	} {
		id, err := f.st.CreateIdentity(f.ctx, store.Identity{Name: who.name, AuthMethod: "universal-auth"})
		if err != nil {
			t.Fatal(err)
		}
		f.ids[who.name] = id
		tokens[who.name+"-token"] = id.ID
		if who.role != "" {
			if _, err := f.st.CreateMembership(f.ctx, store.Membership{ProjectID: f.project.ID, IdentityID: id.ID, Roles: []store.RoleGrant{{Role: who.role}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.eng, err = engine.New(f.ctx, f.st, engine.WithClock(func() time.Time { return epoch.Add(time.Minute) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.eng.Close() })
	f.srv = httptest.NewServer(New(f.st, f.eng, NewStaticTokens(tokens)))
	t.Cleanup(f.srv.Close)
	return f
}

// with returns the fixture for a subtest t: its requests fail t, not the parent test.
func (f *fixture) with(t *testing.T) *fixture {
	g := *f
	g.t = t
	return &g
}

func (f *fixture) id(name string) string { return f.ids[name].ID }

// who returns the engine identity of a named identity in the project.
func (f *fixture) who(name string) engine.Identity {
	return engine.Identity{ProjectID: f.project.ID, IdentityID: f.id(name)}
}

// response is an HTTP answer: the status and the decoded JSON body.
type response struct {
	status int
	raw    []byte
	body   map[string]any
}

// do sends a request as the named identity ("" for no token) with a JSON body (a string,
// or nil) and decodes the JSON answer.
func (f *fixture) do(who, method, path string, body any) response {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(f.ctx, method, f.srv.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+who+"-token")
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	r := response{status: resp.StatusCode, raw: raw}
	if err := json.Unmarshal(raw, &r.body); err != nil {
		f.t.Fatalf("%s %s: answer is not a JSON object: %v\n%s", method, path, err, raw)
	}
	return r
}

// ok sends a request that must succeed and returns the body.
func (f *fixture) ok(who, method, path string, body any) map[string]any {
	f.t.Helper()
	r := f.do(who, method, path, body)
	if r.status != http.StatusOK {
		f.t.Fatalf("%s %s = %d, want 200:\n%s", method, path, r.status, r.raw)
	}
	return r.body
}

func keysOf(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// wantKeys checks that an object has exactly the given keys.
func wantKeys(t *testing.T, what string, v any, keys ...string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s = %#v, want an object", what, v)
	}
	keys = slices.Clone(keys)
	sort.Strings(keys)
	if got := keysOf(m); !slices.Equal(got, keys) {
		t.Errorf("%s has keys %v, want %v", what, got, keys)
	}
	return m
}

func wantJSON(t *testing.T, what string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON %s: %v", want, err)
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(w)
	if !bytes.Equal(gb, wb) {
		t.Errorf("%s = %s, want %s", what, gb, wb)
	}
}

var (
	v2PrivilegeKeys = []string{"id", "slug", "isTemporary", "temporaryMode", "temporaryRange", "temporaryAccessStartTime",
		"temporaryAccessEndTime", "createdAt", "updatedAt", "identityId", "projectId", "permissions"}
	v1PrivilegeKeys = []string{"id", "slug", "projectMembershipId", "isTemporary", "temporaryMode", "temporaryRange",
		"temporaryAccessStartTime", "temporaryAccessEndTime", "permissions", "createdAt", "updatedAt"}
	roleKeys       = []string{"id", "name", "description", "slug", "permissions", "createdAt", "updatedAt", "projectId"}
	grantKeys      = []string{"id", "role", "customRoleId", "customRoleName", "customRoleSlug", "isTemporary", "temporaryMode", "temporaryRange", "temporaryAccessStartTime", "temporaryAccessEndTime"}
	errorKeys      = []string{"reqId", "statusCode", "message", "error"}
	membershipKeys = []string{"id", "identityId", "createdAt", "updatedAt", "roles", "identity"}
	readDev        = &rules.Resource{Environment: "dev", SecretPath: "/app/db", SecretName: "DB_PASSWORD"}
)

// TestSeedV1PrivilegeUpdate is spec §8.3's PATCH /api/v1/additional-privilege/identity.
func TestSeedV1PrivilegeUpdate(t *testing.T) { overStores(t, testSeedV1PrivilegeUpdate) }

func testSeedV1PrivilegeUpdate(t *testing.T, f *fixture) {
	f.ok("admin", "POST", "/api/v1/additional-privilege/identity/permanent", `{
		"identityId": "`+f.id("target")+`", "projectSlug": "demo", "slug": "read-dev",
		"permissions": [{"action": "read", "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}}]}`)
	if !f.eng.Can(f.who("target"), "read", "secrets", readDev) {
		t.Fatalf("after POST /permanent, target cannot read dev secrets")
	}

	body := f.ok("admin", "PATCH", "/api/v1/additional-privilege/identity", `{
		"privilegeSlug": "read-dev", "identityId": "`+f.id("target")+`", "projectSlug": "demo",
		"privilegeDetails": {
			"slug": "edit-dev",
			"permissions": [{"action": "edit", "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}}],
			"isTemporary": true, "temporaryMode": "relative", "temporaryRange": "1h",
			"temporaryAccessStartTime": "2026-01-05T09:00:00.000Z"}}`)
	wantKeys(t, "body", body, "privilege")
	p := wantKeys(t, "privilege", body["privilege"], v1PrivilegeKeys...)
	m, err := f.st.Membership(f.ctx, f.project.ID, f.id("target"))
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, "privilege fields", map[string]any{"slug": p["slug"], "projectMembershipId": p["projectMembershipId"],
		"isTemporary": p["isTemporary"], "temporaryMode": p["temporaryMode"], "temporaryRange": p["temporaryRange"],
		"temporaryAccessStartTime": p["temporaryAccessStartTime"], "temporaryAccessEndTime": p["temporaryAccessEndTime"],
		"createdAt": p["createdAt"], "updatedAt": p["updatedAt"]}, `{
		"slug": "edit-dev", "projectMembershipId": "`+m.ID+`", "isTemporary": true, "temporaryMode": "relative",
		"temporaryRange": "1h", "temporaryAccessStartTime": "2026-01-05T09:00:00.000Z",
		"temporaryAccessEndTime": "2026-01-05T10:00:00.000Z",
		"createdAt": "2026-01-05T09:00:00.000Z", "updatedAt": "2026-01-05T09:00:00.000Z"}`)
	// The v1 view hides the companions the v1 → v2 conversion added.
	wantJSON(t, "privilege.permissions", p["permissions"], `[
		{"subject": "secrets", "action": ["edit"], "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}, "inverted": false},
		{"subject": "secrets", "action": ["edit"], "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}, "inverted": false}]`)

	// The engine sees the change at once: read is gone, edit is granted.
	if f.eng.Can(f.who("target"), "read", "secrets", readDev) || !f.eng.Can(f.who("target"), "edit", "secrets", readDev) {
		t.Errorf("after PATCH, target: read=%t edit=%t, want false, true",
			f.eng.Can(f.who("target"), "read", "secrets", readDev), f.eng.Can(f.who("target"), "edit", "secrets", readDev))
	}
	stored, err := f.st.PrivilegeBySlug(f.ctx, f.project.ID, f.id("target"), "edit-dev")
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, r := range stored.Permissions {
		subjects = append(subjects, r.Subjects[0])
	}
	if want := []string{"secrets", "secret-imports", "secrets", "dynamic-secrets", "secret-folders"}; !slices.Equal(subjects, want) {
		t.Errorf("stored subjects = %v, want the v1 → v2 conversion %v", subjects, want)
	}
}

// TestSeedV2PrivilegeCreate is spec §8.2's POST /api/v2/identity-project-additional-privilege.
func TestSeedV2PrivilegeCreate(t *testing.T) { overStores(t, testSeedV2PrivilegeCreate) }

func testSeedV2PrivilegeCreate(t *testing.T, f *fixture) {
	body := f.ok("admin", "POST", "/api/v2/identity-project-additional-privilege", `{
		"identityId": "`+f.id("target")+`", "projectId": "`+f.project.ID+`", "slug": "db-reader",
		"permissions": [{"subject": "secrets", "action": ["describeSecret", "readValue"],
			"conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}}],
		"type": {"isTemporary": true, "temporaryMode": "relative", "temporaryRange": "2 days",
			"temporaryAccessStartTime": "2026-01-05T09:00:00.000Z"}}`)
	wantKeys(t, "body", body, "privilege")
	p := wantKeys(t, "privilege", body["privilege"], v2PrivilegeKeys...)
	wantJSON(t, "privilege", map[string]any{"slug": p["slug"], "identityId": p["identityId"], "projectId": p["projectId"],
		"isTemporary": p["isTemporary"], "temporaryMode": p["temporaryMode"], "temporaryRange": p["temporaryRange"],
		"temporaryAccessStartTime": p["temporaryAccessStartTime"], "temporaryAccessEndTime": p["temporaryAccessEndTime"],
		"permissions": p["permissions"]}, `{
		"slug": "db-reader", "identityId": "`+f.id("target")+`", "projectId": "`+f.project.ID+`",
		"isTemporary": true, "temporaryMode": "relative", "temporaryRange": "2 days",
		"temporaryAccessStartTime": "2026-01-05T09:00:00.000Z", "temporaryAccessEndTime": "2026-01-07T09:00:00.000Z",
		"permissions": [{"subject": "secrets", "action": ["describeSecret", "readValue"],
			"conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}, "inverted": false}]}`)
	if !f.eng.Can(f.who("target"), "readValue", "secrets", readDev) {
		t.Errorf("after POST, target cannot readValue in dev")
	}

	// Without a slug, one is generated; a permanent type has null temporary fields.
	body = f.ok("admin", "POST", "/api/v2/identity-project-additional-privilege", `{
		"identityId": "`+f.id("target")+`", "projectId": "`+f.project.ID+`",
		"permissions": [{"subject": "secrets", "action": "edit"}], "type": {"isTemporary": false}}`)
	p = wantKeys(t, "privilege", body["privilege"], v2PrivilegeKeys...)
	if s, _ := p["slug"].(string); !store.ValidSlug(s, store.MaxPrivilegeSlug) {
		t.Errorf("generated slug = %q, want a valid slug", s)
	}
	wantJSON(t, "permanent temporary fields", []any{p["isTemporary"], p["temporaryMode"], p["temporaryRange"], p["temporaryAccessStartTime"], p["temporaryAccessEndTime"]},
		`[false, null, null, null, null]`)
}

// TestSeedV1RoleCreate is spec §8.4's POST /api/v1/workspace/{projectSlug}/roles.
func TestSeedV1RoleCreate(t *testing.T) { overStores(t, testSeedV1RoleCreate) }

func testSeedV1RoleCreate(t *testing.T, f *fixture) {
	body := f.ok("admin", "POST", "/api/v1/workspace/demo/roles", `{
		"slug": "dev-reader", "name": "Dev reader", "description": "Reads dev secrets",
		"permissions": [{"action": "read", "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/**"}}}]}`)
	wantKeys(t, "body", body, "role")
	r := wantKeys(t, "role", body["role"], roleKeys...)
	wantJSON(t, "role", map[string]any{"name": r["name"], "description": r["description"], "slug": r["slug"], "projectId": r["projectId"],
		"permissions": r["permissions"], "createdAt": r["createdAt"], "updatedAt": r["updatedAt"]}, `{
		"name": "Dev reader", "description": "Reads dev secrets", "slug": "dev-reader", "projectId": "`+f.project.ID+`",
		"permissions": [
			{"subject": "secrets", "action": ["read"], "conditions": {"environment": "dev", "secretPath": {"$glob": "/**"}}, "inverted": false},
			{"subject": "secrets", "action": ["readValue"], "conditions": {"environment": "dev", "secretPath": {"$glob": "/**"}}, "inverted": false}],
		"createdAt": "2026-01-05T09:00:00.000Z", "updatedAt": "2026-01-05T09:00:00.000Z"}`)

	// The role is usable at once: granting it through the API lets its holder read.
	f.ok("admin", "PATCH", "/api/v2/workspace/"+f.project.ID+"/identity-memberships/"+f.id("target"),
		`{"roles": [{"role": "no-access"}, {"role": "dev-reader"}]}`)
	if !f.eng.Can(f.who("target"), "readValue", "secrets", readDev) {
		t.Errorf("after granting dev-reader, target cannot readValue in dev")
	}
}

// TestSeedMembershipGet is spec §8.5's GET /api/v2/workspace/{projectId}/identity-memberships/{identityId}.
func TestSeedMembershipGet(t *testing.T) { overStores(t, testSeedMembershipGet) }

func testSeedMembershipGet(t *testing.T, f *fixture) {
	body := f.ok("admin", "GET", "/api/v2/workspace/"+f.project.ID+"/identity-memberships/"+f.id("dev"), nil)
	wantKeys(t, "body", body, "identityMembership")
	m := wantKeys(t, "identityMembership", body["identityMembership"], membershipKeys...)
	roles, _ := m["roles"].([]any)
	if len(roles) != 1 {
		t.Fatalf("roles = %v, want one", m["roles"])
	}
	g := wantKeys(t, "roles[0]", roles[0], grantKeys...)
	wantJSON(t, "identityMembership", map[string]any{"identityId": m["identityId"], "createdAt": m["createdAt"], "identity": m["identity"],
		"role": g["role"], "customRoleId": g["customRoleId"], "isTemporary": g["isTemporary"], "temporaryAccessEndTime": g["temporaryAccessEndTime"]}, `{
		"identityId": "`+f.id("dev")+`", "createdAt": "2026-01-05T09:00:00.000Z",
		"identity": {"name": "dev", "id": "`+f.id("dev")+`", "authMethod": "universal-auth"},
		"role": "member", "customRoleId": null, "isTemporary": false, "temporaryAccessEndTime": null}`)

	// The same under the current mounting.
	body = f.ok("admin", "GET", "/api/v1/projects/"+f.project.ID+"/identity-memberships/"+f.id("dev"), nil)
	wantKeys(t, "identityMembership", body["identityMembership"], membershipKeys...)
}
