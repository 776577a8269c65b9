package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// errCase is a request that must fail, with the status, error name and the fields the
// details must name.
type errCase struct {
	name         string
	who          string
	method, path string
	body         any
	status       int
	errName      string
	fields       []string // fields named in details, in order (for validation problems)
	message      string   // a substring of the message
}

func (f *fixture) run(t *testing.T, cases []errCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := f.with(t) // fail the subtest, not its parent
			before, _ := f.st.Version(f.ctx)
			r := f.do(c.who, c.method, c.path, c.body)
			if r.status != c.status {
				t.Fatalf("%s %s = %d, want %d:\n%s", c.method, c.path, r.status, c.status, r.raw)
			}
			if after, _ := f.st.Version(f.ctx); after != before {
				t.Errorf("store version %d → %d: a refused request stored something", before, after)
			}
			keys := errorKeys
			if _, ok := r.body["details"]; ok {
				keys = append(keys[:len(keys):len(keys)], "details")
			}
			wantKeys(t, "error body", r.body, keys...)
			if got := r.body["statusCode"]; got != float64(c.status) {
				t.Errorf("statusCode = %v, want %d", got, c.status)
			}
			if got := r.body["error"]; got != c.errName {
				t.Errorf("error = %v, want %s", got, c.errName)
			}
			if id, _ := r.body["reqId"].(string); !strings.HasPrefix(id, "req-") {
				t.Errorf("reqId = %q, want req-...", id)
			}
			if msg, _ := r.body["message"].(string); !strings.Contains(msg, c.message) {
				t.Errorf("message = %q, want it to contain %q", msg, c.message)
			}
			if c.fields != nil {
				details, _ := r.body["details"].([]any)
				var got []string
				for _, d := range details {
					m, _ := d.(map[string]any)
					wantKeys(t, "problem", m, "field", "code", "message")
					got = append(got, m["field"].(string))
				}
				if strings.Join(got, " ") != strings.Join(c.fields, " ") {
					t.Errorf("details fields = %q, want %q\n%s", got, c.fields, r.raw)
				}
			}
		})
	}
}

func TestErrorClasses(t *testing.T) { overStores(t, testErrorClasses) }

func testErrorClasses(t *testing.T, f *fixture) {
	pid := f.project.ID
	target := f.id("target")
	v2 := "/api/v2/identity-project-additional-privilege"
	v2body := func(extra string) string {
		return `{"identityId": "` + target + `", "projectId": "` + pid + `", "permissions": [{"subject": "secrets", "action": "edit"}], "type": {"isTemporary": false}` + extra + `}`
	}
	// State some conflicts need.
	f.ok("admin", "POST", "/api/v1/projects/"+pid+"/roles", `{"slug": "taken", "name": "Taken", "permissions": []}`)
	f.ok("admin", "POST", v2, `{"identityId": "`+target+`", "projectId": "`+pid+`", "slug": "taken", "permissions": [], "type": {"isTemporary": false}}`)
	f.ok("admin", "PATCH", "/api/v1/projects/"+pid+"/identity-memberships/"+f.id("viewer"), `{"roles": [{"role": "taken"}]}`)

	big := `{"identityId": "` + strings.Repeat("x", DefaultMaxBodyBytes) + `"}`
	f.run(t, []errCase{
		// 401
		{name: "no token", method: "GET", path: "/api/v1/projects/" + pid + "/roles", status: 401, errName: "UnauthorizedError", message: "Authorization"},
		{name: "unknown token", who: "nobody", method: "GET", path: "/api/v1/projects/" + pid + "/roles", status: 401, errName: "UnauthorizedError"},
		// 400
		{name: "malformed JSON", who: "admin", method: "POST", path: v2, body: `{"identityId": `, status: 400, errName: "BadRequest", message: "not valid JSON"},
		{name: "empty body", who: "admin", method: "POST", path: v2, body: ` `, status: 400, errName: "BadRequest"},
		{name: "invalid action combination", who: "admin", method: "POST", path: v2,
			body:   `{"identityId": "` + target + `", "projectId": "` + pid + `", "permissions": [{"subject": "secrets", "action": ["read", "readValue"]}], "type": {"isTemporary": false}}`,
			status: 400, errName: "BadRequest", fields: []string{"permissions[0].action"}},
		{name: "v1 without permissions", who: "admin", method: "POST", path: "/api/v1/additional-privilege/identity/permanent",
			body: `{"identityId": "` + target + `", "projectSlug": "demo"}`, status: 400, errName: "BadRequest", fields: []string{"permissions"}},
		{name: "no permanent role", who: "admin", method: "PATCH", path: "/api/v1/projects/" + pid + "/identity-memberships/" + target,
			body:   `{"roles": [{"role": "viewer", "isTemporary": true, "temporaryMode": "relative", "temporaryRange": "1h", "temporaryAccessStartTime": "2026-01-05T09:00:00.000Z"}]}`,
			status: 400, errName: "BadRequest", fields: []string{"roles"}},
		{name: "role in use", who: "admin", method: "DELETE", path: "/api/v1/projects/" + pid + "/roles/" + f.roleID("taken"), status: 400, errName: "BadRequest", message: "Role is assigned to 1 identity membership"},
		{name: "own membership", who: "admin", method: "DELETE", path: "/api/v1/projects/" + pid + "/identity-memberships/" + f.id("admin"), status: 400, errName: "BadRequest"},
		// 413, 415
		{name: "body over 1 MiB", who: "admin", method: "POST", path: v2, body: big, status: 413, errName: "PayloadTooLarge"},
		// 422
		{name: "wrong type", who: "admin", method: "POST", path: v2, body: `{"identityId": 5, "projectId": "` + pid + `", "permissions": [], "type": {"isTemporary": false}}`,
			status: 422, errName: "ValidationFailure", fields: []string{"identityId"}},
		{name: "wrong nested type", who: "admin", method: "POST", path: v2, body: `{"identityId": "x", "projectId": "` + pid + `", "permissions": [], "type": {"isTemporary": "yes"}}`,
			status: 422, errName: "ValidationFailure", fields: []string{"type.isTemporary"}},
		{name: "unknown fields", who: "admin", method: "POST", path: v2, body: `{"identityID": "x", "projectId": "` + pid + `", "permissions": [], "type": {"isTemporary": false, "until": 1}}`,
			status: 422, errName: "ValidationFailure", fields: []string{"identityID", "type.until"}},
		{name: "missing fields", who: "admin", method: "POST", path: v2, body: `{}`,
			status: 422, errName: "ValidationFailure", fields: []string{"identityId", "projectId", "permissions", "type"}},
		{name: "bad slug", who: "admin", method: "POST", path: v2, body: v2body(`, "slug": "Not_A_Slug"`),
			status: 422, errName: "ValidationFailure", fields: []string{"slug"}},
		{name: "reserved role slug", who: "admin", method: "POST", path: "/api/v1/projects/" + pid + "/roles", body: `{"slug": "admin", "name": "x", "permissions": []}`,
			status: 422, errName: "ValidationFailure", fields: []string{"slug"}, message: "reserved"},
		{name: "invalid permission", who: "admin", method: "POST", path: v2,
			body:   `{"identityId": "` + target + `", "projectId": "` + pid + `", "permissions": [{"subject": "secrets", "action": "fly"}, {"subject": "secrets", "action": "read", "conditions": {"secretPath": "no-slash"}}], "type": {"isTemporary": false}}`,
			status: 422, errName: "ValidationFailure", fields: []string{"permissions[0].action[0]", "permissions[1].conditions.secretPath"}},
		{name: "bad temporary fields", who: "admin", method: "POST", path: v2,
			body:   `{"identityId": "` + target + `", "projectId": "` + pid + `", "permissions": [], "type": {"isTemporary": true, "temporaryMode": "absolute", "temporaryRange": "1mo", "temporaryAccessStartTime": "yesterday"}}`,
			status: 422, errName: "ValidationFailure", fields: []string{"type.temporaryMode", "type.temporaryRange", "type.temporaryAccessStartTime"}},
		{name: "v1 permission the v2 schema refuses", who: "admin", method: "POST", path: "/api/v1/additional-privilege/identity/permanent",
			body:   `{"identityId": "` + target + `", "projectSlug": "demo", "permissions": [{"action": "read", "subject": "role", "conditions": {"environment": "dev"}}]}`,
			status: 422, errName: "ValidationFailure", fields: []string{"permissions"}},
		{name: "v1 privilegePermission on another subject", who: "admin", method: "POST", path: "/api/v1/additional-privilege/identity/permanent",
			body:   `{"identityId": "` + target + `", "projectSlug": "demo", "privilegePermission": {"actions": ["read"], "subject": "role", "conditions": {"environment": "dev"}}}`,
			status: 422, errName: "ValidationFailure", fields: []string{"privilegePermission.subject"}},
		{name: "unknown query parameter", who: "admin", method: "GET", path: v2 + "?identityId=" + target + "&projectID=" + pid,
			status: 422, errName: "ValidationFailure", fields: []string{"projectID"}},
		// 403
		{name: "permission denied", who: "viewer", method: "POST", path: "/api/v1/projects/" + pid + "/roles", body: `{"slug": "mine", "name": "Mine", "permissions": []}`,
			status: 403, errName: "PermissionDenied", message: "You are not allowed to create on role"},
		{name: "not a member", who: "outsider", method: "GET", path: "/api/v1/projects/" + pid + "/roles", status: 403, errName: "ProjectMembershipNotFound", message: "You are not a member of this project"},
		{name: "privilege beyond the caller", who: "dev", method: "POST", path: v2,
			body:   `{"identityId": "` + target + `", "projectId": "` + pid + `", "permissions": [{"subject": "role", "action": "edit"}], "type": {"isTemporary": false}}`,
			status: 403, errName: "PermissionBoundaryError", message: "Actor privilege level is not high enough"},
		{name: "role beyond the caller", who: "dev", method: "PATCH", path: "/api/v1/projects/" + pid + "/identity-memberships/" + target,
			body: `{"roles": [{"role": "admin"}]}`, status: 403, errName: "PermissionBoundaryError"},
		// 404
		{name: "unknown project", who: "admin", method: "GET", path: "/api/v1/projects/nope/roles", status: 404, errName: "NotFound"},
		{name: "unknown project slug", who: "admin", method: "GET", path: "/api/v1/workspace/nope/roles", status: 404, errName: "NotFound"},
		{name: "unknown privilege", who: "admin", method: "GET", path: v2 + "/nope", status: 404, errName: "NotFound"},
		{name: "unknown privilege slug", who: "admin", method: "GET", path: "/api/v1/additional-privilege/identity/nope?identityId=" + target + "&projectSlug=demo", status: 404, errName: "NotFound"},
		{name: "unknown role", who: "admin", method: "PATCH", path: "/api/v1/projects/" + pid + "/roles/nope", body: `{"name": "x"}`, status: 404, errName: "NotFound"},
		{name: "privilege for a non-member", who: "admin", method: "POST", path: v2,
			body:   `{"identityId": "` + f.id("outsider") + `", "projectId": "` + pid + `", "permissions": [], "type": {"isTemporary": false}}`,
			status: 404, errName: "NotFound", fields: []string{"identityId"}},
		{name: "unknown identity", who: "admin", method: "POST", path: "/api/v1/projects/" + pid + "/identity-memberships/nobody", body: `{"roles": [{"role": "viewer"}]}`,
			status: 404, errName: "NotFound", fields: []string{"identityId"}},
		{name: "unknown custom role", who: "admin", method: "PATCH", path: "/api/v1/projects/" + pid + "/identity-memberships/" + target, body: `{"roles": [{"role": "no-such-role"}]}`,
			status: 404, errName: "NotFound", fields: []string{"roles[0].role"}},
		{name: "unknown membership", who: "admin", method: "GET", path: "/api/v1/projects/" + pid + "/identity-memberships/" + f.id("outsider"), status: 404, errName: "NotFound"},
		{name: "unknown route", who: "admin", method: "GET", path: "/api/v9/nothing", status: 404, errName: "NotFound", message: "Route GET:/api/v9/nothing not found"},
		// 409
		{name: "duplicate role slug", who: "admin", method: "POST", path: "/api/v1/projects/" + pid + "/roles", body: `{"slug": "taken", "name": "Again", "permissions": []}`,
			status: 409, errName: "Conflict", message: "Role with taken exists"},
		{name: "duplicate privilege slug", who: "admin", method: "POST", path: v2, body: v2body(`, "slug": "taken"`), status: 409, errName: "Conflict"},
		{name: "duplicate membership", who: "admin", method: "POST", path: "/api/v1/projects/" + pid + "/identity-memberships/" + target, body: `{"roles": [{"role": "viewer"}]}`,
			status: 409, errName: "Conflict", message: "Identity is already a member"},
	})
}

func (f *fixture) roleID(slug string) string {
	r, err := f.st.RoleBySlug(f.ctx, f.project.ID, slug)
	if err != nil {
		f.t.Fatal(err)
	}
	return r.ID
}

func TestUnsupportedMediaType(t *testing.T) {
	f := newFixture(t, memBackend) // nothing store-specific: memstore only
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/projects/"+f.project.ID+"/roles", strings.NewReader(`slug=x`))
	req.Header.Set("Authorization", "Bearer admin-token")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != 415 || body["error"] != "UnsupportedMediaType" {
		t.Errorf("form body = %d %v, want 415 UnsupportedMediaType", resp.StatusCode, body)
	}
}

// TestBoundaryRefusal checks the body of a grant refused by the privilege boundary, and that
// the same caller may grant what it holds.
func TestBoundaryRefusal(t *testing.T) { overStores(t, testBoundaryRefusal) }

func testBoundaryRefusal(t *testing.T, f *fixture) {
	v2 := "/api/v2/identity-project-additional-privilege"
	target := f.id("target")
	// dev holds the member role: secrets everywhere, but only read on role.
	r := f.do("dev", "POST", v2, `{"identityId": "`+target+`", "projectId": "`+f.project.ID+`",
		"permissions": [{"subject": "role", "action": ["read", "edit"]}, {"subject": "secrets", "action": "readValue"}],
		"type": {"isTemporary": false}}`)
	if r.status != 403 {
		t.Fatalf("status = %d, want 403:\n%s", r.status, r.raw)
	}
	details := wantKeys(t, "details", r.body["details"], "missingPermissions")
	wantJSON(t, "missingPermissions", details["missingPermissions"],
		`[{"action": "edit", "subject": "role", "reason": "none of your rules allows it everywhere this rule does"}]`)
	if f.eng.Can(f.who("target"), "edit", "role", nil) {
		t.Errorf("the refused privilege was granted")
	}

	// Within dev's reach: granted.
	f.ok("dev", "POST", v2, `{"identityId": "`+target+`", "projectId": "`+f.project.ID+`",
		"permissions": [{"subject": "role", "action": "read"}, {"subject": "secrets", "action": "readValue", "conditions": {"environment": "dev"}}],
		"type": {"isTemporary": false}}`)
	if !f.eng.Can(f.who("target"), "readValue", "secrets", readDev) {
		t.Errorf("the granted privilege is not in effect")
	}

	// A glob the member's forbid-free rules cover, and a custom role the member cannot assign.
	f.ok("admin", "POST", "/api/v1/projects/"+f.project.ID+"/roles", `{"slug": "kms", "name": "KMS", "permissions": [{"subject": "kms", "action": "edit"}]}`)
	r = f.do("dev", "PATCH", "/api/v2/workspace/"+f.project.ID+"/identity-memberships/"+target, `{"roles": [{"role": "no-access"}, {"role": "kms"}]}`)
	if r.status != 403 || r.body["error"] != "PermissionBoundaryError" || !strings.Contains(r.body["message"].(string), "kms") {
		t.Errorf("dev assigning kms = %d %s, want 403 PermissionBoundaryError naming the role", r.status, r.raw)
	}
	// The admin may.
	f.ok("admin", "PATCH", "/api/v2/workspace/"+f.project.ID+"/identity-memberships/"+target, `{"roles": [{"role": "no-access"}, {"role": "kms"}]}`)
	if !f.eng.Can(f.who("target"), "edit", "kms", nil) {
		t.Errorf("after the admin assigned kms, target cannot edit kms")
	}
}

func TestPermissionDeniedDetails(t *testing.T) { overStores(t, testPermissionDeniedDetails) }

func testPermissionDeniedDetails(t *testing.T, f *fixture) {
	r := f.do("viewer", "DELETE", "/api/v1/projects/"+f.project.ID+"/identity-memberships/"+f.id("target"), nil)
	if r.status != 403 || r.body["error"] != "PermissionDenied" {
		t.Fatalf("viewer deleting a membership = %d %s, want 403 PermissionDenied", r.status, r.raw)
	}
	// The viewer's rules for (delete, identity): none.
	wantJSON(t, "details", r.body["details"], `[]`)
	r = f.do("viewer", "PATCH", "/api/v1/projects/"+f.project.ID+"/identity-memberships/"+f.id("target"), `{"roles": [{"role": "viewer"}]}`)
	if r.status != 403 {
		t.Fatalf("viewer editing a membership = %d, want 403", r.status)
	}
}

type failingAuth struct{}

func (failingAuth) Authenticate(context.Context, string) (string, error) {
	return "", errors.New("token service unreachable")
}

func TestAuthentication(t *testing.T) {
	f := newFixture(t, memBackend) // nothing store-specific: memstore only
	var logs strings.Builder
	failing := httptest.NewServer(New(f.st, f.eng, failingAuth{}, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	defer failing.Close()
	for _, tt := range []struct {
		url, header string
		status      int
	}{
		{f.srv.URL, "Basic YWRtaW46eA==", 401},
		{f.srv.URL, "Bearer ", 401},
		{f.srv.URL, "bearer admin-token", 200}, // the scheme is case-insensitive
		{failing.URL, "Bearer admin-token", 500},
	} {
		req, _ := http.NewRequest("GET", tt.url+"/api/v1/workspace/demo/roles", nil)
		req.Header.Set("Authorization", tt.header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("Authorization %q = %d, want %d", tt.header, resp.StatusCode, tt.status)
		}
	}
	if !strings.Contains(logs.String(), "token service unreachable") {
		t.Errorf("the internal error was not logged: %q", logs.String())
	}
}

func TestLoadStaticTokens(t *testing.T) {
	s, err := LoadStaticTokens(strings.NewReader(`{"a": "id-a", "b": "id-b"}`))
	if err != nil || s.Len() != 2 {
		t.Fatalf("LoadStaticTokens = %v, %v", s, err)
	}
	if id, err := s.Authenticate(context.Background(), "b"); id != "id-b" || err != nil {
		t.Errorf("Authenticate(b) = %q, %v", id, err)
	}
	if _, err := s.Authenticate(context.Background(), "c"); !errors.Is(err, ErrUnknownToken) {
		t.Errorf("Authenticate(c) error = %v, want ErrUnknownToken", err)
	}
	for _, doc := range []string{`{"": "x"}`, `{"x": ""}`, `[]`, `{"a": "b"} {}`} {
		if _, err := LoadStaticTokens(strings.NewReader(doc)); err == nil {
			t.Errorf("LoadStaticTokens(%s) = nil error, want one", doc)
		}
	}
}
