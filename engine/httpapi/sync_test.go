package httpapi

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
)

// TestReadYourWrites: every change made through the API shows in the engine's very next
// check, with no wait, over either store. Each step undoes the previous one, so that a check
// answering from the state before the write fails.
func TestReadYourWrites(t *testing.T) { overStores(t, testReadYourWrites) }

func testReadYourWrites(t *testing.T, f *fixture) {
	target := f.who("target")
	memberships := "/api/v2/workspace/" + f.project.ID + "/identity-memberships/" + f.id("target")
	privileges := "/api/v2/identity-project-additional-privilege"
	roles := "/api/v1/projects/" + f.project.ID + "/roles"
	prod := &rules.Resource{Environment: "prod", SecretPath: "/app", SecretName: "K"}
	for i := range 10 {
		// A membership's roles.
		f.ok("admin", "PATCH", memberships, `{"roles": [{"role": "viewer"}]}`)
		if !f.eng.Can(target, "read", "role", nil) {
			t.Fatalf("round %d: granted viewer, target cannot read roles", i)
		}
		f.ok("admin", "PATCH", memberships, `{"roles": [{"role": "no-access"}]}`)
		if f.eng.Can(target, "read", "role", nil) {
			t.Fatalf("round %d: back to no-access, target can still read roles", i)
		}
		// An additional privilege.
		body := f.ok("admin", "POST", privileges, `{"identityId": "`+f.id("target")+`", "projectId": "`+f.project.ID+`",
			"permissions": [{"subject": "secrets", "action": "readValue", "conditions": {"environment": "prod"}}], "type": {"isTemporary": false}}`)
		if !f.eng.Can(target, "readValue", "secrets", prod) {
			t.Fatalf("round %d: privilege created, target cannot readValue in prod", i)
		}
		f.ok("admin", "DELETE", privileges+"/"+body["privilege"].(map[string]any)["id"].(string), nil)
		if f.eng.Can(target, "readValue", "secrets", prod) {
			t.Fatalf("round %d: privilege deleted, target can still readValue in prod", i)
		}
		// A custom role's permissions, changed under its holder.
		body = f.ok("admin", "POST", roles, `{"slug": "r`+string(rune('a'+i))+`", "name": "R", "permissions": [{"subject": "kms", "action": "edit"}]}`)
		id := body["role"].(map[string]any)["id"].(string)
		f.ok("admin", "PATCH", memberships, `{"roles": [{"role": "no-access"}, {"role": "r`+string(rune('a'+i))+`"}]}`)
		if !f.eng.Can(target, "edit", "kms", nil) {
			t.Fatalf("round %d: role granted, target cannot edit kms", i)
		}
		f.ok("admin", "PATCH", roles+"/"+id, `{"permissions": []}`)
		if f.eng.Can(target, "edit", "kms", nil) {
			t.Fatalf("round %d: role emptied, target can still edit kms", i)
		}
		f.ok("admin", "PATCH", memberships, `{"roles": [{"role": "no-access"}]}`)
		f.ok("admin", "DELETE", roles+"/"+id, nil)
	}
}

// syncing is a memstore with a Sync method, counting the calls; fail makes Sync fail.
type syncing struct {
	*memstore.Store
	calls atomic.Int32
	fail  error
}

func (s *syncing) Sync(ctx context.Context) error {
	s.calls.Add(1)
	return s.fail
}

// TestSyncAfterWrite: the handler calls the store's Sync after a request that wrote, and
// only then; a failing Sync is logged and the answer stands.
func TestSyncAfterWrite(t *testing.T) {
	ctx := context.Background()
	st := &syncing{Store: memstore.New()}
	p, _ := st.CreateProject(ctx, store.Project{ID: "p1", Slug: "demo", Name: "Demo"})
	for _, m := range []struct{ id, role string }{{"admin", "admin"}, {"viewer", "viewer"}, {"target", "no-access"}} {
		st.CreateIdentity(ctx, store.Identity{ID: m.id, Name: m.id})
		st.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: m.id, Roles: []store.RoleGrant{{Role: m.role}}})
	}
	e, err := engine.New(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var logs strings.Builder
	srv := httptest.NewServer(New(st, e, NewStaticTokens(map[string]string{"admin-token": "admin", "viewer-token": "viewer"}),
		WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	defer srv.Close()
	f := &fixture{t: t, ctx: ctx, srv: srv}

	roles := "/api/v1/projects/p1/roles"
	for _, c := range []struct {
		name         string
		who          string
		method, path string
		body         string
		status       int
		syncs        int32
	}{
		{"read", "admin", "GET", roles, "", 200, 0},
		{"refused by validation", "admin", "POST", roles, `{"slug": "Bad Slug", "name": "x", "permissions": []}`, 422, 0},
		{"refused by permission", "viewer", "POST", roles, `{"slug": "ok", "name": "x", "permissions": []}`, 403, 0},
		{"role write", "admin", "POST", roles, `{"slug": "taken", "name": "x", "permissions": []}`, 200, 1},
		{"refused by the store", "admin", "POST", roles, `{"slug": "taken", "name": "x", "permissions": []}`, 409, 0},
		{"membership write", "admin", "PATCH", "/api/v2/workspace/p1/identity-memberships/target", `{"roles": [{"role": "taken"}]}`, 200, 1},
		{"unknown role", "admin", "DELETE", roles + "/no-such-role", "", 404, 0},
		{"unauthenticated", "", "POST", roles, `{"slug": "anon", "name": "x", "permissions": []}`, 401, 0},
	} {
		before := st.calls.Load()
		var body any
		if c.body != "" {
			body = c.body
		}
		if r := f.do(c.who, c.method, c.path, body); r.status != c.status {
			t.Fatalf("%s: %s %s = %d, want %d:\n%s", c.name, c.method, c.path, r.status, c.status, r.raw)
		}
		if n := st.calls.Load() - before; n != c.syncs {
			t.Errorf("%s: %d calls of Sync, want %d", c.name, n, c.syncs)
		}
	}

	// A failing Sync: the write is committed, so the answer is still 200, and it is logged.
	st.fail = errors.New("feed unreachable")
	if r := f.do("admin", "POST", roles, `{"slug": "later", "name": "x", "permissions": []}`); r.status != http.StatusOK {
		t.Errorf("write with a failing Sync = %d, want 200:\n%s", r.status, r.raw)
	}
	if !strings.Contains(logs.String(), "feed unreachable") {
		t.Errorf("the failing Sync was not logged: %q", logs.String())
	}
}

// TestRecordingCoversWrites: recording overrides every write of store.Store, so that no
// write through the handler goes unnoticed (and un-synced). A method store.Store gains is
// either a read, to be listed here, or a write, to be recorded.
func TestRecordingCoversWrites(t *testing.T) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "sync.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var recorded []string
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
			continue
		}
		if id, ok := fd.Recv.List[0].Type.(*ast.Ident); ok && id.Name == "recording" {
			recorded = append(recorded, fd.Name.Name)
		}
	}
	reads := []string{"RoleBySlug", "Roles", "Memberships", "Privilege", "PrivilegeBySlug"}
	reader := reflect.TypeFor[store.Reader]()
	st := reflect.TypeFor[store.Store]()
	var writes []string
	for i := range st.NumMethod() {
		name := st.Method(i).Name
		if _, ok := reader.MethodByName(name); ok || slices.Contains(reads, name) {
			continue
		}
		writes = append(writes, name)
	}
	slices.Sort(recorded)
	if !slices.Equal(recorded, writes) {
		t.Errorf("recording overrides %v; store.Store's writes are %v", recorded, writes)
	}
	if len(writes) < 15 {
		t.Errorf("only %d writes found: %v", len(writes), writes)
	}
}
