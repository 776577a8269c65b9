package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/engine/httpapi"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
)

// An admin grants another identity an additional privilege through the v2 API; the
// engine's next check sees it.
func ExampleNew() {
	ctx := context.Background()
	st := memstore.New()
	p, _ := st.CreateProject(ctx, store.Project{ID: "p1", Slug: "demo", Name: "Demo"})
	for _, m := range []struct{ id, role string }{{"ci-admin", "admin"}, {"deployer", "no-access"}} {
		st.CreateIdentity(ctx, store.Identity{ID: m.id, Name: m.id})
		st.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: m.id, Roles: []store.RoleGrant{{Role: m.role}}})
	}
	e, _ := engine.New(ctx, st)
	defer e.Close()
	srv := httptest.NewServer(httpapi.New(st, e, httpapi.NewStaticTokens(map[string]string{"admin-token": "ci-admin"})))
	defer srv.Close()

	req, _ := http.NewRequest("POST", srv.URL+"/api/v2/identity-project-additional-privilege", strings.NewReader(`{
		"identityId": "deployer", "projectId": "p1", "slug": "prod-reader",
		"permissions": [{"subject": "secrets", "action": ["describeSecret", "readValue"], "conditions": {"environment": "prod"}}],
		"type": {"isTemporary": false}}`))
	req.Header.Set("Authorization", "Bearer admin-token")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)

	who := engine.Identity{ProjectID: "p1", IdentityID: "deployer"}
	fmt.Println(e.Can(who, "readValue", "secrets", &rules.Resource{Environment: "prod", SecretPath: "/", SecretName: "DB_PASSWORD"}))
	// Output:
	// 200 OK
	// true
}
