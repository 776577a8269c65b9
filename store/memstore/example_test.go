package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
)

func Example() {
	ctx := context.Background()
	s := memstore.New(memstore.WithClock(func() time.Time { return time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC) }))
	if err := s.LoadFile("../../examples/store/snapshot.json"); err != nil {
		fmt.Println(err)
		return
	}
	// Watchers are called before a write returns.
	_ = s.Watch(ctx, func(c store.Change) {
		fmt.Printf("change at version %d: %s deleted=%t\n", c.Version, c.Kind, c.Deleted)
	})

	p, _ := s.ProjectBySlug(ctx, "demo")
	ms, _ := s.Memberships(ctx, p.ID)
	oncall := ms[2]
	g := oncall.Roles[1]
	fmt.Printf("%s until %s\n", g.Role, g.End.Format(time.RFC3339))

	// Optimistic concurrency: the version read must be the stored one.
	_, err := s.UpdateMembershipRoles(ctx, p.ID, oncall.IdentityID, []store.RoleGrant{{Role: "viewer"}}, oncall.Version-1)
	fmt.Println(errors.Is(err, store.ErrStale), errors.Is(err, store.ErrConflict))
	m, err := s.UpdateMembershipRoles(ctx, p.ID, oncall.IdentityID, []store.RoleGrant{{Role: "viewer"}}, oncall.Version)
	fmt.Println(m.Version, err)

	// Validation reports every problem with its field; nothing changes.
	_, err = s.UpdateMembershipRoles(ctx, p.ID, oncall.IdentityID, []store.RoleGrant{{Role: "ops", Temporary: store.Temporary{IsTemporary: true}}}, m.Version)
	fmt.Println(errors.Is(err, store.ErrInvalid))
	fmt.Println(err)
	// Output:
	// admin until 2026-01-05T13:00:00Z
	// true true
	// change at version 11: membership deleted=false
	// 11 <nil>
	// true
	// store: 5 problems:
	// 	membership.roles: Identity must have at least one permanent role
	// 	membership.roles[0].role: One or more custom roles not found
	// 	membership.roles[0].temporaryAccessStartTime: Temporary role must have access start time and range
	// 	membership.roles[0].temporaryMode: Temporary role must have access start time and range
	// 	membership.roles[0].temporaryRange: Temporary role must have access start time and range
}
