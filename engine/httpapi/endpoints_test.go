package httpapi

import (
	"net/http"
	"slices"
	"testing"

	"github.com/wardenhq/warden/rules"
)

func TestPrivilegesV2Lifecycle(t *testing.T) { overStores(t, testPrivilegesV2Lifecycle) }

func testPrivilegesV2Lifecycle(t *testing.T, f *fixture) {
	base := "/api/v2/identity-project-additional-privilege"
	target := f.id("target")
	prod := &rules.Resource{Environment: "prod", SecretPath: "/app", SecretName: "K"}

	body := f.ok("admin", "POST", base+"/", `{"identityId": "`+target+`", "projectId": "`+f.project.ID+`", "slug": "p1",
		"permissions": [{"subject": "secrets", "action": "readValue", "conditions": {"environment": "prod"}}], "type": {"isTemporary": false}}`)
	id := body["privilege"].(map[string]any)["id"].(string)
	if !f.eng.Can(f.who("target"), "readValue", "secrets", prod) {
		t.Fatalf("after create, target cannot readValue in prod")
	}

	for _, path := range []string{base + "/" + id, base + "/slug/p1?identityId=" + target + "&projectSlug=demo"} {
		body = f.ok("viewer", "GET", path, nil)
		wantKeys(t, "GET "+path, body["privilege"], v2PrivilegeKeys...)
	}
	body = f.ok("viewer", "GET", base+"?identityId="+target+"&projectId="+f.project.ID, nil)
	list := body["privileges"].([]any)
	if len(list) != 1 {
		t.Fatalf("list = %v, want one privilege", list)
	}
	keys := slices.DeleteFunc(slices.Clone(v2PrivilegeKeys), func(k string) bool { return k == "permissions" })
	wantKeys(t, "listed privilege", list[0], keys...)

	body = f.ok("admin", "PATCH", base+"/"+id, `{"slug": "p2", "type": {"isTemporary": true, "temporaryMode": "relative", "temporaryRange": "30m", "temporaryAccessStartTime": "2026-01-05T09:00:00Z"}}`)
	p := body["privilege"].(map[string]any)
	wantJSON(t, "patched", []any{p["slug"], p["temporaryAccessEndTime"], len(p["permissions"].([]any))}, `["p2", "2026-01-05T09:30:00.000Z", 1]`)
	if !f.eng.Can(f.who("target"), "readValue", "secrets", prod) {
		t.Errorf("after PATCH (active until 09:30, checked at 09:01), target cannot readValue in prod")
	}

	// The viewer may read but not edit identities.
	if r := f.do("viewer", "DELETE", base+"/"+id, nil); r.status != http.StatusForbidden {
		t.Errorf("viewer DELETE = %d, want 403", r.status)
	}
	body = f.ok("admin", "DELETE", base+"/"+id, nil)
	wantKeys(t, "deleted", body["privilege"], v2PrivilegeKeys...)
	if f.eng.Can(f.who("target"), "readValue", "secrets", prod) {
		t.Errorf("after DELETE, target can still readValue in prod")
	}
	if r := f.do("admin", "GET", base+"/"+id, nil); r.status != http.StatusNotFound {
		t.Errorf("GET after DELETE = %d, want 404", r.status)
	}
}

func TestPrivilegesV1Lifecycle(t *testing.T) { overStores(t, testPrivilegesV1Lifecycle) }

func testPrivilegesV1Lifecycle(t *testing.T, f *fixture) {
	base := "/api/v1/additional-privilege/identity"
	target := f.id("target")
	staging := &rules.Resource{Environment: "staging", SecretPath: "/svc/api", SecretName: "K"}

	body := f.ok("admin", "POST", base+"/permanent", `{"identityId": "`+target+`", "projectSlug": "demo", "slug": "compact",
		"privilegePermission": {"actions": ["read", "edit"], "subject": "secrets", "conditions": {"environment": "staging", "secretPath": {"$glob": "/svc/**"}}}}`)
	p := wantKeys(t, "privilege", body["privilege"], v1PrivilegeKeys...)
	wantJSON(t, "permissions", p["permissions"], `[
		{"subject": "secrets", "action": ["read"], "conditions": {"environment": "staging", "secretPath": {"$glob": "/svc/**"}}, "inverted": false},
		{"subject": "secrets", "action": ["edit"], "conditions": {"environment": "staging", "secretPath": {"$glob": "/svc/**"}}, "inverted": false},
		{"subject": "secrets", "action": ["readValue"], "conditions": {"environment": "staging", "secretPath": {"$glob": "/svc/**"}}, "inverted": false},
		{"subject": "secrets", "action": ["edit"], "conditions": {"environment": "staging", "secretPath": {"$glob": "/svc/**"}}, "inverted": false}]`)
	for _, a := range []string{"read", "readValue", "edit"} {
		if !f.eng.Can(f.who("target"), a, "secrets", staging) {
			t.Errorf("target cannot %s secrets in staging", a)
		}
	}

	body = f.ok("admin", "POST", base+"/temporary", `{"identityId": "`+target+`", "projectSlug": "demo", "slug": "later",
		"permissions": [{"action": "read", "subject": "role"}],
		"temporaryMode": "relative", "temporaryRange": "1h", "temporaryAccessStartTime": "2026-02-01T00:00:00.000Z"}`)
	wantJSON(t, "temporary end", body["privilege"].(map[string]any)["temporaryAccessEndTime"], `"2026-02-01T01:00:00.000Z"`)
	if f.eng.Can(f.who("target"), "read", "role", nil) {
		t.Errorf("a privilege starting in February is active in January (warden honours the start time)")
	}

	body = f.ok("viewer", "GET", base+"/later?identityId="+target+"&projectSlug=demo", nil)
	wantKeys(t, "GET", body["privilege"], v1PrivilegeKeys...)
	body = f.ok("viewer", "GET", base+"?identityId="+target+"&projectSlug=demo", nil)
	if n := len(body["privileges"].([]any)); n != 2 {
		t.Errorf("list has %d privileges, want 2", n)
	}

	// PATCH makes "later" permanent with new permissions.
	body = f.ok("admin", "PATCH", base+"/", `{"privilegeSlug": "later", "identityId": "`+target+`", "projectSlug": "demo",
		"privilegeDetails": {"isTemporary": false, "permissions": [{"action": "read", "subject": "role"}]}}`)
	wantJSON(t, "now permanent", []any{body["privilege"].(map[string]any)["isTemporary"], body["privilege"].(map[string]any)["temporaryRange"]}, `[false, null]`)
	if !f.eng.Can(f.who("target"), "read", "role", nil) {
		t.Errorf("after PATCH to permanent, target cannot read roles")
	}

	body = f.ok("admin", "DELETE", base, `{"privilegeSlug": "compact", "identityId": "`+target+`", "projectSlug": "demo"}`)
	wantKeys(t, "deleted", body["privilege"], v1PrivilegeKeys...)
	if f.eng.Can(f.who("target"), "edit", "secrets", staging) {
		t.Errorf("after DELETE, target can still edit in staging")
	}
}

func TestRolesLifecycle(t *testing.T) { overStores(t, testRolesLifecycle) }

func testRolesLifecycle(t *testing.T, f *fixture) {
	for _, base := range []string{"/api/v1/projects/" + f.project.ID + "/roles", "/api/v2/workspace/" + f.project.ID + "/roles"} {
		t.Run(base, func(t *testing.T) {
			f := f.with(t) // fail the subtest, not its parent
			body := f.ok("admin", "POST", base, `{"slug": "ops", "name": "Ops", "permissions": [{"subject": "secrets", "action": ["describeSecret", "readValue"], "conditions": {"environment": {"$in": ["dev", "staging"]}}}]}`)
			r := wantKeys(t, "role", body["role"], roleKeys...)
			id := r["id"].(string)
			wantJSON(t, "description", r["description"], `null`)

			body = f.ok("viewer", "GET", base, nil)
			var slugs []string
			for _, x := range body["roles"].([]any) {
				m := x.(map[string]any)
				if _, ok := m["permissions"]; ok {
					t.Errorf("listed role %v has permissions", m["slug"])
				}
				slugs = append(slugs, m["slug"].(string))
			}
			wantJSON(t, "listed slugs", slugs, `["admin", "member", "viewer", "no-access", "cryptographic-operator", "ops"]`)

			body = f.ok("viewer", "GET", base+"/slug/ops", nil)
			wantKeys(t, "custom by slug", body["role"], roleKeys...)
			body = f.ok("viewer", "GET", base+"/slug/viewer", nil)
			v := wantKeys(t, "built-in by slug", body["role"], roleKeys...)
			if len(v["permissions"].([]any)) == 0 {
				t.Errorf("built-in viewer has no permissions")
			}

			f.ok("admin", "PATCH", "/api/v1/projects/"+f.project.ID+"/identity-memberships/"+f.id("target"), `{"roles": [{"role": "ops"}]}`)
			if !f.eng.Can(f.who("target"), "readValue", "secrets", readDev) {
				t.Errorf("ops holder cannot readValue in dev")
			}
			body = f.ok("admin", "PATCH", base+"/"+id, `{"description": "Operators", "permissions": [{"subject": "secrets", "action": "describeSecret"}]}`)
			wantJSON(t, "patched", []any{body["role"].(map[string]any)["description"], body["role"].(map[string]any)["name"]}, `["Operators", "Ops"]`)
			if f.eng.Can(f.who("target"), "readValue", "secrets", readDev) {
				t.Errorf("after the role changed, its holder can still readValue")
			}
			f.ok("admin", "PATCH", "/api/v1/projects/"+f.project.ID+"/identity-memberships/"+f.id("target"), `{"roles": [{"role": "no-access"}]}`)
			body = f.ok("admin", "DELETE", base+"/"+id, nil)
			wantKeys(t, "deleted", body["role"], roleKeys...)
			if r := f.do("admin", "GET", base+"/slug/ops", nil); r.status != http.StatusNotFound {
				t.Errorf("GET deleted role = %d, want 404", r.status)
			}
			if r := f.do("admin", "PATCH", base+"/admin", `{"name": "x"}`); r.status != http.StatusBadRequest {
				t.Errorf("PATCH built-in role = %d, want 400", r.status)
			}
		})
	}
}

func TestV1RolesLifecycle(t *testing.T) { overStores(t, testV1RolesLifecycle) }

func testV1RolesLifecycle(t *testing.T, f *fixture) {
	base := "/api/v1/workspace/demo/roles"
	body := f.ok("admin", "POST", base, `{"slug": "folders", "name": "Folders", "permissions": [{"action": "read", "subject": "secret-folders"}, {"action": "edit", "subject": "secrets", "conditions": {"environment": {"$in": ["dev"]}}}]}`)
	r := body["role"].(map[string]any)
	// The v1 view: folder rules keep read, imports and dynamic secrets are hidden.
	wantJSON(t, "v1 permissions", r["permissions"], `[
		{"subject": "secret-folders", "action": ["read"], "inverted": false},
		{"subject": "secrets", "action": ["edit"], "conditions": {"environment": {"$in": ["dev"]}}, "inverted": false},
		{"subject": "secrets", "action": ["edit"], "conditions": {"environment": {"$in": ["dev"]}}, "inverted": false}]`)
	body = f.ok("admin", "PATCH", base+"/"+r["id"].(string), `{"name": "Folder readers"}`)
	wantJSON(t, "renamed", body["role"].(map[string]any)["name"], `"Folder readers"`)
	// A v2-only action is refused by the v1 schema.
	if rr := f.do("admin", "POST", base, `{"slug": "x", "name": "X", "permissions": [{"action": "readValue", "subject": "secrets"}]}`); rr.status != http.StatusUnprocessableEntity {
		t.Errorf("v1 role with readValue = %d, want 422", rr.status)
	}
	f.ok("admin", "DELETE", base+"/"+r["id"].(string), nil)
}

func TestMembershipsLifecycle(t *testing.T) { overStores(t, testMembershipsLifecycle) }

func testMembershipsLifecycle(t *testing.T, f *fixture) {
	for _, base := range []string{"/api/v2/workspace/" + f.project.ID + "/identity-memberships", "/api/v1/projects/" + f.project.ID + "/identity-memberships"} {
		t.Run(base, func(t *testing.T) {
			f := f.with(t) // fail the subtest, not its parent
			out := f.id("outsider")
			body := f.ok("admin", "POST", base+"/"+out, `{"roles": [{"role": "no-access"},
				{"role": "viewer", "isTemporary": true, "temporaryMode": "relative", "temporaryRange": "1h", "temporaryAccessStartTime": "2026-01-05T09:00:00.000Z"}]}`)
			wantKeys(t, "created", body["identityMembership"], "id", "projectId", "identityId", "createdAt", "updatedAt")
			outsider := f.who("outsider")
			if !f.eng.Can(outsider, "read", "role", nil) {
				t.Errorf("after create, the temporary viewer cannot read roles")
			}

			body = f.ok("dev", "GET", base+"?limit=2&offset=1", nil)
			wantKeys(t, "list", body, "identityMemberships", "totalCount")
			wantJSON(t, "totalCount", body["totalCount"], `5`)
			if n := len(body["identityMemberships"].([]any)); n != 2 {
				t.Errorf("page has %d memberships, want 2", n)
			}
			wantKeys(t, "listed", body["identityMemberships"].([]any)[0], membershipKeys...)

			body = f.ok("admin", "PATCH", base+"/"+out, `{"roles": [{"role": "member"}]}`)
			roles := body["roles"].([]any)
			g := wantKeys(t, "roles[0]", roles[0], grantKeys...)
			wantJSON(t, "role", g["role"], `"member"`)
			if !f.eng.Can(outsider, "edit", "secrets", readDev) {
				t.Errorf("after PATCH to member, cannot edit secrets")
			}

			body = f.ok("admin", "DELETE", base+"/"+out, nil)
			wantKeys(t, "deleted", body["identityMembership"], "id", "projectId", "identityId", "createdAt", "updatedAt")
			if f.eng.Can(outsider, "read", "role", nil) {
				t.Errorf("after DELETE, can still read roles")
			}
		})
	}
	// The deprecated "role" field, and its default.
	f.ok("admin", "POST", "/api/v2/workspace/"+f.project.ID+"/identity-memberships/"+f.id("outsider"), `{}`)
	body := f.ok("admin", "GET", "/api/v2/workspace/"+f.project.ID+"/identity-memberships/"+f.id("outsider"), nil)
	wantJSON(t, "default role", body["identityMembership"].(map[string]any)["roles"].([]any)[0].(map[string]any)["role"], `"no-access"`)
}

// TestListFiltersByIdentity shows the per-item check of the membership list: a caller that
// may read only some identities sees only their memberships.
func TestListFiltersByIdentity(t *testing.T) { overStores(t, testListFiltersByIdentity) }

func testListFiltersByIdentity(t *testing.T, f *fixture) {
	f.ok("admin", "POST", "/api/v1/projects/"+f.project.ID+"/roles", `{"slug": "see-dev", "name": "See dev",
		"permissions": [{"subject": "identity", "action": "read", "conditions": {"identityId": "`+f.id("dev")+`"}}]}`)
	f.ok("admin", "PATCH", "/api/v1/projects/"+f.project.ID+"/identity-memberships/"+f.id("target"), `{"roles": [{"role": "see-dev"}]}`)
	body := f.ok("target", "GET", "/api/v1/projects/"+f.project.ID+"/identity-memberships", nil)
	list := body["identityMemberships"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["identityId"] != f.id("dev") {
		t.Errorf("target sees %v, want only dev's membership", list)
	}
	wantJSON(t, "totalCount", body["totalCount"], `1`)
}

// TestConcurrentWrites runs writes to one role and one membership from several clients at
// once: each answer is 200 or, when its retries kept losing the race, 409; never anything
// else, and the engine ends up with the last written state.
func TestConcurrentWrites(t *testing.T) { overStores(t, testConcurrentWrites) }

func testConcurrentWrites(t *testing.T, f *fixture) {
	base := "/api/v1/projects/" + f.project.ID
	body := f.ok("admin", "POST", base+"/roles", `{"slug": "busy", "name": "Busy", "permissions": []}`)
	id := body["role"].(map[string]any)["id"].(string)
	done := make(chan int, 40)
	for w := range 4 {
		go func() {
			for i := range 10 {
				var r response
				if i%2 == 0 {
					r = f.do("admin", "PATCH", base+"/roles/"+id, `{"description": "writer `+string(rune('a'+w))+`"}`)
				} else {
					r = f.do("admin", "PATCH", base+"/identity-memberships/"+f.id("target"), `{"roles": [{"role": "no-access"}, {"role": "busy"}]}`)
				}
				done <- r.status
			}
		}()
	}
	for range 40 {
		if s := <-done; s != http.StatusOK && s != http.StatusConflict {
			t.Errorf("concurrent write = %d, want 200 or 409", s)
		}
	}
	m, err := f.st.Membership(f.ctx, f.project.ID, f.id("target"))
	if err != nil || len(m.Roles) != 2 || m.Roles[1].CustomRoleSlug != "busy" {
		t.Errorf("membership after the writes = %+v, %v", m, err)
	}
}
