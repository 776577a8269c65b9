package engine_test

import (
	"context"
	"fmt"
	"time"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
)

func ExampleEngine_Decide() {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	st := memstore.New(memstore.WithClock(func() time.Time { return now }))
	project, _ := st.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"})
	svc, _ := st.CreateIdentity(ctx, store.Identity{Name: "billing-api"})
	perms, _ := rules.Parse([]byte(`[{"action": "readValue", "subject": "secrets",
	  "conditions": {"environment": "prod", "secretPath": {"$glob": "/billing/**"}}}]`))
	role, _ := st.CreateRole(ctx, store.Role{ProjectID: project.ID, Slug: "billing-reader", Name: "Billing reader", Permissions: perms})
	start := now.Add(-time.Minute)
	st.CreateMembership(ctx, store.Membership{ProjectID: project.ID, IdentityID: svc.ID, Roles: []store.RoleGrant{
		{Role: "no-access"},
		{Role: store.RoleCustom, CustomRoleID: role.ID, Temporary: store.Temporary{
			IsTemporary: true, Mode: store.ModeRelative, Range: "1h", Start: &start}},
	}})

	e, err := engine.New(ctx, st, engine.WithClock(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	defer e.Close()
	who := engine.Identity{ProjectID: project.ID, IdentityID: svc.ID}
	db := &rules.Resource{Environment: "prod", SecretPath: "/billing/db", SecretName: "DB_PASSWORD"}

	fmt.Println(e.Can(who, "readValue", "secrets", db))
	d := e.Decide(who, "readValue", "secrets", db)
	fmt.Println(d.Source.Kind, d.Source.Slug, d.Source.Window)
	now = now.Add(time.Hour) // the temporary grant has ended
	fmt.Println(e.Can(who, "readValue", "secrets", db))
	// Output:
	// true
	// custom role billing-reader [2026-11-23T13:59:00Z, 2026-11-23T14:59:00Z)
	// false
}
