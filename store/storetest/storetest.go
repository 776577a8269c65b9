// Package storetest is the conformance suite of store.Store: the behaviour every store
// (store/memstore, store/pgstore) must have, checked the same way for each, in the spirit of
// testing/fstest.TestFS.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { return memstore.New() })
//	}
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/temporal"
)

// Run runs the conformance suite. newStore must return a new, empty store for each call;
// the suite calls it once per subtest, and the store is used only by that subtest (and
// goroutines it starts). A store whose change feed is asynchronous passes: the suite waits
// up to WatchTimeout for changes to arrive.
//
// The suite covers: create/read/update/delete round trips of every kind of object; every
// validation rule of the package documentation, checked with errors.Is on the sentinels and
// by the field and Code of each problem; that a rejected write changes neither the state nor
// the version nor the change feed; versions (one per change, consecutive) and optimistic
// concurrency, including racing writers; the change feed's order and contents, cascades
// included; cascading deletes; the creation order of privileges and memberships; the
// computed end of temporary grants; that returned values do not alias the store's.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Project", testProject},
		{"ProjectValidation", testProjectValidation},
		{"Identity", testIdentity},
		{"Role", testRole},
		{"RoleValidation", testRoleValidation},
		{"RoleInUse", testRoleInUse},
		{"Membership", testMembership},
		{"MembershipValidation", testMembershipValidation},
		{"Temporary", testTemporary},
		{"Privilege", testPrivilege},
		{"PrivilegeValidation", testPrivilegeValidation},
		{"PrivilegeOrder", testPrivilegeOrder},
		{"Cascade", testCascade},
		{"Versions", testVersions},
		{"RejectedWritesChangeNothing", testRejected},
		{"Race", testRace},
		{"Watch", testWatch},
		{"Snapshot", testSnapshot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newStore(t)) })
	}
}

// WatchTimeout is how long the suite waits for a change to be delivered.
var WatchTimeout = 10 * time.Second

var ctx = context.Background()

// secretRules are realistic permissions that Infisical's catalogue accepts.
const secretRules = `[
	{"action": ["describeSecret", "readValue"], "subject": "secrets",
	 "conditions": {"environment": "prod", "secretPath": {"$glob": "/app/**"}}},
	{"action": "readValue", "subject": "secrets", "inverted": true,
	 "conditions": {"environment": "prod", "secretPath": {"$glob": "/app/admin/**"}}}
]`

// badRules has one good rule and two the catalogue rejects (unknown action, relative path).
const badRules = `[
	{"action": "read", "subject": "secret-folders"},
	{"action": "fly", "subject": "secrets"},
	{"action": "readValue", "subject": "secrets", "conditions": {"secretPath": "app"}}
]`

func parseRules(t *testing.T, doc string) []rules.Rule {
	t.Helper()
	rs, err := rules.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("rules.Parse(%s): %v", doc, err)
	}
	return rs
}

// world is a small project the tests build on.
type world struct {
	project        store.Project
	other          store.Project // a second project
	alice, bob, ci store.Identity
	reader, writer store.Role // custom roles of project
	foreign        store.Role // a custom role of other
}

func setup(t *testing.T, s store.Store) *world {
	t.Helper()
	w := &world{}
	w.project = must(s.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"}))(t)
	w.other = must(s.CreateProject(ctx, store.Project{Slug: "other", Name: "Other"}))(t)
	w.alice = must(s.CreateIdentity(ctx, store.Identity{Name: "alice", AuthMethod: "universal-auth"}))(t)
	w.bob = must(s.CreateIdentity(ctx, store.Identity{Name: "bob"}))(t)
	w.ci = must(s.CreateIdentity(ctx, store.Identity{Name: "ci", Metadata: []store.IdentityMetadata{{Key: "team", Value: "platform"}}}))(t)
	w.reader = must(s.CreateRole(ctx, store.Role{ProjectID: w.project.ID, Slug: "reader", Name: "Reader", Permissions: parseRules(t, secretRules)}))(t)
	w.writer = must(s.CreateRole(ctx, store.Role{ProjectID: w.project.ID, Slug: "writer", Name: "Writer",
		Permissions: parseRules(t, `[{"action": ["create", "edit"], "subject": "secrets", "conditions": {"environment": "dev"}}]`)}))(t)
	w.foreign = must(s.CreateRole(ctx, store.Role{ProjectID: w.other.ID, Slug: "reader", Name: "Foreign reader"}))(t)
	return w
}

// member makes id a member of w.project with the built-in role "member".
func (w *world) member(t *testing.T, s store.Store, id string) store.Membership {
	t.Helper()
	return must(s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: id, Roles: []store.RoleGrant{{Role: "member"}}}))(t)
}

// must fails the test on a non-nil error and otherwise returns the value:
// must(s.CreateProject(ctx, p))(t).
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// problem checks that err is a validation failure with a problem at field with code, and
// returns that problem.
func problem(t *testing.T, what string, err error, field string, code store.Code) *store.ValidationError {
	t.Helper()
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("%s: error %v, want ErrInvalid", what, err)
		return nil
	}
	var ves store.ValidationErrors
	if !errors.As(err, &ves) {
		t.Errorf("%s: error %T %v is not store.ValidationErrors", what, err, err)
		return nil
	}
	for _, ve := range ves {
		if ve.Field == field && ve.Code == code {
			if ve.Message == "" {
				t.Errorf("%s: problem at %s has no message", what, field)
			}
			return ve
		}
	}
	t.Errorf("%s: no %q problem at %q in:\n%v", what, code, field, err)
	return nil
}

// is checks that err matches target (and, for a conflict, not the other kind).
func is(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want %v", what, err, target)
		return
	}
	switch {
	case target == store.ErrDuplicate && errors.Is(err, store.ErrStale),
		target == store.ErrStale && errors.Is(err, store.ErrDuplicate):
		t.Errorf("%s: error %v matches both ErrDuplicate and ErrStale", what, err)
	case (target == store.ErrDuplicate || target == store.ErrStale) && !errors.Is(err, store.ErrConflict):
		t.Errorf("%s: error %v does not match ErrConflict", what, err)
	}
}

func checkStamps(t *testing.T, what string, created, updated time.Time, version uint64) {
	t.Helper()
	if created.IsZero() || updated.IsZero() {
		t.Errorf("%s: createdAt %v, updatedAt %v: want both set", what, created, updated)
	}
	if created.Location() != time.UTC || created.Nanosecond()%int(time.Millisecond) != 0 {
		t.Errorf("%s: createdAt %v: want UTC with millisecond precision", what, created)
	}
	if updated.Before(created) {
		t.Errorf("%s: updatedAt %v before createdAt %v", what, updated, created)
	}
	if version == 0 {
		t.Errorf("%s: version 0", what)
	}
}

func testProject(t *testing.T, s store.Store) {
	p, err := s.CreateProject(ctx, store.Project{Slug: " demo ", Name: "Demo"})
	if err != nil {
		t.Fatalf("CreateProject: %v", err)
	}
	if !store.ValidID(p.ID) || p.Slug != "demo" || p.Name != "Demo" {
		t.Errorf("CreateProject = %+v, want a new ID, slug \"demo\" (trimmed), name \"Demo\"", p)
	}
	checkStamps(t, "CreateProject", p.CreatedAt, p.UpdatedAt, p.Version)
	if got := must(s.Project(ctx, p.ID))(t); !reflect.DeepEqual(got, p) {
		t.Errorf("Project(%q) = %+v, want %+v", p.ID, got, p)
	}
	if got := must(s.ProjectBySlug(ctx, "demo"))(t); got.ID != p.ID {
		t.Errorf("ProjectBySlug(demo) = %+v, want %s", got, p.ID)
	}
	_, err = s.CreateProject(ctx, store.Project{Slug: "demo", Name: "Again"})
	is(t, "CreateProject with a taken slug", err, store.ErrDuplicate)
	_, err = s.CreateProject(ctx, store.Project{ID: p.ID, Slug: "demo-2", Name: "Again"})
	is(t, "CreateProject with a taken ID", err, store.ErrDuplicate)

	given := must(s.CreateProject(ctx, store.Project{ID: "project-2", Slug: "second", Name: "Second"}))(t)
	if given.ID != "project-2" {
		t.Errorf("CreateProject with ID project-2 stored ID %q", given.ID)
	}

	u := p
	u.Slug, u.Name = "demo-renamed", "Demo renamed"
	u2, err := s.UpdateProject(ctx, u)
	if err != nil {
		t.Fatalf("UpdateProject: %v", err)
	}
	if u2.Slug != "demo-renamed" || u2.Name != "Demo renamed" || u2.Version <= p.Version || !u2.CreatedAt.Equal(p.CreatedAt) {
		t.Errorf("UpdateProject = %+v, want new slug and name, a higher version, the same createdAt", u2)
	}
	if _, err := s.ProjectBySlug(ctx, "demo"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ProjectBySlug(old slug) error %v, want ErrNotFound", err)
	}
	_, err = s.UpdateProject(ctx, u) // u carries the old version
	is(t, "UpdateProject with a stale version", err, store.ErrStale)
	u2.Slug = "second"
	_, err = s.UpdateProject(ctx, u2)
	is(t, "UpdateProject to a taken slug", err, store.ErrDuplicate)
	_, err = s.UpdateProject(ctx, store.Project{ID: "nope", Slug: "x", Name: "x", Version: 1})
	is(t, "UpdateProject of a missing project", err, store.ErrNotFound)

	_, err = s.DeleteProject(ctx, p.ID, p.Version)
	is(t, "DeleteProject with a stale version", err, store.ErrStale)
	d := must(s.DeleteProject(ctx, p.ID, u2.Version))(t)
	if d.ID != p.ID {
		t.Errorf("DeleteProject returned %+v, want the project", d)
	}
	_, err = s.Project(ctx, p.ID)
	is(t, "Project after delete", err, store.ErrNotFound)
	_, err = s.DeleteProject(ctx, p.ID, u2.Version)
	is(t, "DeleteProject twice", err, store.ErrNotFound)
}

func testProjectValidation(t *testing.T, s store.Store) {
	for _, tc := range []struct {
		p     store.Project
		field string
		code  store.Code
	}{
		{store.Project{Name: "x"}, "slug", store.CodeSlugLength},
		{store.Project{Slug: "   ", Name: "x"}, "slug", store.CodeSlugLength},
		{store.Project{Slug: strings.Repeat("a", 65), Name: "x"}, "slug", store.CodeSlugLength},
		{store.Project{Slug: "Demo", Name: "x"}, "slug", store.CodeSlug},
		{store.Project{Slug: "de_mo", Name: "x"}, "slug", store.CodeSlug},
		{store.Project{Slug: "de--mo", Name: "x"}, "slug", store.CodeSlug},
		{store.Project{Slug: "-demo", Name: "x"}, "slug", store.CodeSlug},
		{store.Project{Slug: "demo-", Name: "x"}, "slug", store.CodeSlug},
		{store.Project{Slug: "dém", Name: "x"}, "slug", store.CodeSlug},
		{store.Project{Slug: "demo"}, "name", store.CodeRequired},
		{store.Project{ID: "has space", Slug: "demo", Name: "x"}, "id", store.CodeID},
	} {
		_, err := s.CreateProject(ctx, tc.p)
		problem(t, fmt.Sprintf("CreateProject(%+v)", tc.p), err, tc.field, tc.code)
	}
	// Several problems are reported at once.
	_, err := s.CreateProject(ctx, store.Project{Slug: "Bad_Slug"})
	problem(t, "CreateProject with two problems", err, "slug", store.CodeSlug)
	problem(t, "CreateProject with two problems", err, "name", store.CodeRequired)
	if _, err := s.CreateProject(ctx, store.Project{Slug: strings.Repeat("a", 64), Name: "x"}); err != nil {
		t.Errorf("CreateProject with a 64-character slug: %v", err)
	}
}

func testIdentity(t *testing.T, s store.Store) {
	md := []store.IdentityMetadata{{Key: "team", Value: "platform"}, {Key: "env", Value: "prod"}}
	i, err := s.CreateIdentity(ctx, store.Identity{Name: "ci-deployer", AuthMethod: "universal-auth", Metadata: md})
	if err != nil {
		t.Fatalf("CreateIdentity: %v", err)
	}
	md[0].Value = "changed by the caller"
	if i.Name != "ci-deployer" || i.AuthMethod != "universal-auth" || len(i.Metadata) != 2 || i.Metadata[0].Value != "platform" {
		t.Errorf("CreateIdentity = %+v, want the identity as given (and not aliasing the caller's metadata)", i)
	}
	checkStamps(t, "CreateIdentity", i.CreatedAt, i.UpdatedAt, i.Version)
	got := must(s.Identity(ctx, i.ID))(t)
	if !reflect.DeepEqual(got, i) {
		t.Errorf("Identity(%q) = %+v, want %+v", i.ID, got, i)
	}
	got.Metadata[0].Value = "changed"
	if again := must(s.Identity(ctx, i.ID))(t); again.Metadata[0].Value != "platform" {
		t.Errorf("modifying a returned identity changed the store: %+v", again)
	}

	u := i
	u.Name, u.Metadata = "ci", []store.IdentityMetadata{{Key: "team", Value: "security"}}
	u2 := must(s.UpdateIdentity(ctx, u))(t)
	if u2.Name != "ci" || len(u2.Metadata) != 1 || u2.Version <= i.Version {
		t.Errorf("UpdateIdentity = %+v", u2)
	}
	_, err = s.UpdateIdentity(ctx, u)
	is(t, "UpdateIdentity with a stale version", err, store.ErrStale)

	_, err = s.CreateIdentity(ctx, store.Identity{Name: " "})
	problem(t, "CreateIdentity without a name", err, "name", store.CodeRequired)
	_, err = s.CreateIdentity(ctx, store.Identity{Name: "x", Metadata: []store.IdentityMetadata{{Key: "a"}, {Key: ""}, {Key: "a"}}})
	problem(t, "CreateIdentity with an empty metadata key", err, "metadata[1].key", store.CodeRequired)
	problem(t, "CreateIdentity with a repeated metadata key", err, "metadata[2].key", store.CodeDuplicate)
	// Every store must hold every accepted string: PostgreSQL's text has no NUL and no
	// invalid UTF-8, so no store accepts them.
	_, err = s.CreateIdentity(ctx, store.Identity{Name: "nul\x00name", Metadata: []store.IdentityMetadata{{Key: "k", Value: "\xff"}}})
	problem(t, "CreateIdentity with a NUL in its name", err, "name", store.CodeText)
	problem(t, "CreateIdentity with invalid UTF-8 in a metadata value", err, "metadata[0].value", store.CodeText)

	_, err = s.DeleteIdentity(ctx, i.ID, 0)
	is(t, "DeleteIdentity with version 0", err, store.ErrStale)
	must(s.DeleteIdentity(ctx, i.ID, u2.Version))(t)
	_, err = s.Identity(ctx, i.ID)
	is(t, "Identity after delete", err, store.ErrNotFound)
}

func testRole(t *testing.T, s store.Store) {
	w := setup(t, s)
	r := w.reader
	if r.Slug != "reader" || r.Name != "Reader" || r.ProjectID != w.project.ID {
		t.Errorf("CreateRole = %+v", r)
	}
	checkStamps(t, "CreateRole", r.CreatedAt, r.UpdatedAt, r.Version)
	want := parseRules(t, secretRules)
	if !rulesEqual(r.Permissions, want) {
		t.Errorf("CreateRole permissions = %v, want %v", r.Permissions, want)
	}
	got := must(s.Role(ctx, r.ID))(t)
	if !rulesEqual(got.Permissions, want) || got.Slug != r.Slug || got.Version != r.Version {
		t.Errorf("Role(%q) = %+v, want %+v", r.ID, got, r)
	}
	if got := must(s.RoleBySlug(ctx, w.project.ID, "reader"))(t); got.ID != r.ID {
		t.Errorf("RoleBySlug(demo, reader) = %s, want %s", got.ID, r.ID)
	}
	if got := must(s.RoleBySlug(ctx, w.other.ID, "reader"))(t); got.ID != w.foreign.ID {
		t.Errorf("RoleBySlug(other, reader) = %s, want %s (slugs are per project)", got.ID, w.foreign.ID)
	}
	_, err := s.RoleBySlug(ctx, w.project.ID, "nope")
	is(t, "RoleBySlug of a missing slug", err, store.ErrNotFound)

	_, err = s.CreateRole(ctx, store.Role{ProjectID: w.project.ID, Slug: "reader", Name: "Again"})
	is(t, "CreateRole with a taken slug", err, store.ErrDuplicate)

	must(s.CreateRole(ctx, store.Role{ProjectID: w.project.ID, Slug: "auditor", Name: "Auditor"}))(t)
	roles := must(s.Roles(ctx, w.project.ID))(t)
	var slugs []string
	for _, r := range roles {
		slugs = append(slugs, r.Slug)
	}
	if !slices.Equal(slugs, []string{"auditor", "reader", "writer"}) {
		t.Errorf("Roles(demo) slugs = %v, want [auditor reader writer] (sorted by slug)", slugs)
	}
	_, err = s.Roles(ctx, "nope")
	is(t, "Roles of a missing project", err, store.ErrNotFound)

	u := r
	u.Slug, u.Name, u.Description = "secret-reader", "Secret reader", "reads prod secrets"
	u.Permissions = want[:1]
	u2, err := s.UpdateRole(ctx, u)
	if err != nil {
		t.Fatalf("UpdateRole: %v", err)
	}
	if u2.Slug != "secret-reader" || u2.Description != "reads prod secrets" || len(u2.Permissions) != 1 || u2.Version <= r.Version || !u2.CreatedAt.Equal(r.CreatedAt) {
		t.Errorf("UpdateRole = %+v", u2)
	}
	if _, err := s.RoleBySlug(ctx, w.project.ID, "reader"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RoleBySlug(old slug) error %v, want ErrNotFound", err)
	}
	_, err = s.UpdateRole(ctx, u)
	is(t, "UpdateRole with a stale version", err, store.ErrStale)
	u2.Slug = "writer"
	_, err = s.UpdateRole(ctx, u2)
	is(t, "UpdateRole to a taken slug", err, store.ErrDuplicate)
	u2.Slug, u2.ProjectID = "secret-reader", w.other.ID
	_, err = s.UpdateRole(ctx, u2)
	is(t, "UpdateRole naming another project", err, store.ErrNotFound)
	u2.ProjectID = ""
	if u2, err = s.UpdateRole(ctx, u2); err != nil || u2.ProjectID != w.project.ID {
		t.Errorf("UpdateRole with an empty project ID = %+v, %v; want the role in its own project", u2, err)
	}

	_, err = s.DeleteRole(ctx, w.other.ID, r.ID, u2.Version)
	is(t, "DeleteRole naming another project", err, store.ErrNotFound)
	_, err = s.DeleteRole(ctx, w.project.ID, r.ID, r.Version)
	is(t, "DeleteRole with a stale version", err, store.ErrStale)
	must(s.DeleteRole(ctx, w.project.ID, r.ID, u2.Version))(t)
	_, err = s.Role(ctx, r.ID)
	is(t, "Role after delete", err, store.ErrNotFound)
}

func rulesEqual(a, b []rules.Rule) bool {
	return slices.EqualFunc(a, b, rules.Rule.Equal)
}

func testRoleValidation(t *testing.T, s store.Store) {
	w := setup(t, s)
	role := func(slug string) store.Role { return store.Role{ProjectID: w.project.ID, Slug: slug, Name: "R"} }
	for _, slug := range store.ReservedSlugs {
		_, err := s.CreateRole(ctx, role(slug))
		if ve := problem(t, "CreateRole("+slug+")", err, "slug", store.CodeReserved); ve != nil &&
			ve.Message != "Please choose a different slug, the slug you have entered is reserved" {
			t.Errorf("CreateRole(%s) message %q, want Infisical's", slug, ve.Message)
		}
	}
	_, err := s.CreateRole(ctx, role(strings.Repeat("r", 65)))
	problem(t, "CreateRole with a 65-character slug", err, "slug", store.CodeSlugLength)
	if _, err := s.CreateRole(ctx, role(strings.Repeat("r", 64))); err != nil {
		t.Errorf("CreateRole with a 64-character slug: %v", err)
	}
	_, err = s.CreateRole(ctx, role("Bad Slug"))
	if ve := problem(t, "CreateRole(Bad Slug)", err, "slug", store.CodeSlug); ve != nil &&
		ve.Message != "Slug field can only contain lowercase letters, numbers, and hyphens" {
		t.Errorf("CreateRole(Bad Slug) message %q, want Infisical's", ve.Message)
	}
	_, err = s.CreateRole(ctx, store.Role{ProjectID: w.project.ID, Slug: "no-name"})
	problem(t, "CreateRole without a name", err, "name", store.CodeRequired)
	_, err = s.CreateRole(ctx, store.Role{ProjectID: "nope", Slug: "r", Name: "R"})
	problem(t, "CreateRole in a missing project", err, "projectId", store.CodeNotFound)
	_, err = s.CreateRole(ctx, store.Role{Slug: "r", Name: "R"})
	problem(t, "CreateRole without a project", err, "projectId", store.CodeRequired)

	bad := role("bad-rules")
	bad.Permissions = parseRules(t, badRules)
	_, err = s.CreateRole(ctx, bad)
	for _, field := range []string{"permissions[1].action", "permissions[2].conditions.secretPath"} {
		var found bool
		var ves store.ValidationErrors
		errors.As(err, &ves)
		for _, ve := range ves {
			if strings.HasPrefix(ve.Field, field) && ve.Code == store.CodePermission {
				found = true
				var re *rules.Error
				if !errors.As(ve, &re) {
					t.Errorf("problem at %s does not wrap a *rules.Error", ve.Field)
				}
			}
		}
		if !found {
			t.Errorf("CreateRole with bad permissions: no problem at %s in:\n%v", field, err)
		}
	}
	var ves store.ValidationErrors
	if errors.As(err, &ves) {
		for _, ve := range ves {
			if strings.HasPrefix(ve.Field, "permissions[0]") {
				t.Errorf("CreateRole with bad permissions: problem with the good rule: %v", ve)
			}
		}
	}
	var re *rules.Error
	if !errors.As(err, &re) {
		t.Errorf("errors.As(err, *rules.Error) failed on %v", err)
	}

	// An update is validated too.
	u := w.reader
	u.Slug = "admin"
	_, err = s.UpdateRole(ctx, u)
	problem(t, "UpdateRole to a reserved slug", err, "slug", store.CodeReserved)
}

func testRoleInUse(t *testing.T, s store.Store) {
	w := setup(t, s)
	m := must(s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.alice.ID,
		Roles: []store.RoleGrant{{Role: "viewer"}, {Role: "reader"}, {Role: store.RoleCustom, CustomRoleID: w.reader.ID}}}))(t)
	must(s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.bob.ID,
		Roles: []store.RoleGrant{{Role: "reader"}}}))(t)
	_, err := s.DeleteRole(ctx, w.project.ID, w.reader.ID, w.reader.Version)
	is(t, "DeleteRole of a granted role", err, store.ErrInUse)
	if err != nil && !strings.Contains(err.Error(), "Role is assigned to 2 identity membership(s)") {
		t.Errorf("DeleteRole of a role two memberships grant: %q, want Infisical's message with 2", err)
	}
	if _, err := s.Role(ctx, w.reader.ID); err != nil {
		t.Errorf("Role after a refused delete: %v", err)
	}
	m = must(s.UpdateMembershipRoles(ctx, w.project.ID, w.alice.ID, []store.RoleGrant{{Role: "viewer"}}, m.Version))(t)
	must(s.DeleteMembership(ctx, w.project.ID, w.bob.ID, must(s.Membership(ctx, w.project.ID, w.bob.ID))(t).Version))(t)
	if _, err := s.DeleteRole(ctx, w.project.ID, w.reader.ID, w.reader.Version); err != nil {
		t.Errorf("DeleteRole once no membership grants it: %v", err)
	}
}

func testMembership(t *testing.T, s store.Store) {
	w := setup(t, s)
	m, err := s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.alice.ID, Roles: []store.RoleGrant{
		{Role: "member"},
		{Role: "reader"}, // a custom role's slug in role
		{Role: store.RoleCustom, CustomRoleSlug: "writer"}, // by customRoleSlug
		{CustomRoleID: w.reader.ID},                        // by customRoleId, role left empty
		{Role: "viewer", CustomRoleID: w.writer.ID},        // a built-in role ignores custom fields
	}})
	if err != nil {
		t.Fatalf("CreateMembership: %v", err)
	}
	checkStamps(t, "CreateMembership", m.CreatedAt, m.UpdatedAt, m.Version)
	if m.ProjectID != w.project.ID || m.IdentityID != w.alice.ID || !store.ValidID(m.ID) {
		t.Errorf("CreateMembership = %+v", m)
	}
	type g struct{ role, id, name, slug string }
	want := []g{
		{"member", "", "", ""},
		{"custom", w.reader.ID, "Reader", "reader"},
		{"custom", w.writer.ID, "Writer", "writer"},
		{"custom", w.reader.ID, "Reader", "reader"},
		{"viewer", "", "", ""},
	}
	checkGrants := func(what string, m store.Membership, want []g) {
		t.Helper()
		var got []g
		ids := map[string]bool{}
		for _, r := range m.Roles {
			got = append(got, g{r.Role, r.CustomRoleID, r.CustomRoleName, r.CustomRoleSlug})
			if !store.ValidID(r.ID) || ids[r.ID] {
				t.Errorf("%s: grant ID %q: want a new, distinct ID", what, r.ID)
			}
			ids[r.ID] = true
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s grants = %+v, want %+v", what, got, want)
		}
	}
	checkGrants("CreateMembership", m, want)
	got := must(s.Membership(ctx, w.project.ID, w.alice.ID))(t)
	if !reflect.DeepEqual(got, m) {
		t.Errorf("Membership = %+v, want %+v", got, m)
	}
	_, err = s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.alice.ID, Roles: []store.RoleGrant{{Role: "admin"}}})
	if is(t, "a second membership", err, store.ErrDuplicate); err != nil && !strings.Contains(err.Error(), "Identity is already a member") {
		t.Errorf("a second membership: %q, want Infisical's message", err)
	}
	_, err = s.Membership(ctx, w.project.ID, w.bob.ID)
	is(t, "Membership of a non-member", err, store.ErrNotFound)

	// The grants follow a renamed role.
	r := w.reader
	r.Slug, r.Name = "prod-reader", "Prod reader"
	must(s.UpdateRole(ctx, r))(t)
	got = must(s.Membership(ctx, w.project.ID, w.alice.ID))(t)
	if g := got.Roles[1]; g.CustomRoleSlug != "prod-reader" || g.CustomRoleName != "Prod reader" {
		t.Errorf("after renaming the role, grant = %+v, want the new slug and name", g)
	}
	if got.Version != m.Version {
		t.Errorf("renaming a role changed the membership's version %d to %d", m.Version, got.Version)
	}

	u, err := s.UpdateMembershipRoles(ctx, w.project.ID, w.alice.ID, []store.RoleGrant{{Role: "admin"}, {Role: "writer"}}, m.Version)
	if err != nil {
		t.Fatalf("UpdateMembershipRoles: %v", err)
	}
	checkGrants("UpdateMembershipRoles", u, []g{{"admin", "", "", ""}, {"custom", w.writer.ID, "Writer", "writer"}})
	if u.ID != m.ID || !u.CreatedAt.Equal(m.CreatedAt) || u.Version <= m.Version {
		t.Errorf("UpdateMembershipRoles = %+v, want the same ID and createdAt, a higher version", u)
	}
	for _, g := range u.Roles {
		for _, old := range m.Roles {
			if g.ID == old.ID {
				t.Errorf("UpdateMembershipRoles kept grant ID %s; grants are re-created", g.ID)
			}
		}
	}
	_, err = s.UpdateMembershipRoles(ctx, w.project.ID, w.alice.ID, []store.RoleGrant{{Role: "admin"}}, m.Version)
	is(t, "UpdateMembershipRoles with a stale version", err, store.ErrStale)
	_, err = s.UpdateMembershipRoles(ctx, w.project.ID, w.bob.ID, []store.RoleGrant{{Role: "admin"}}, 1)
	is(t, "UpdateMembershipRoles of a non-member", err, store.ErrNotFound)
	_, err = s.UpdateMembershipRoles(ctx, w.project.ID, w.alice.ID, []store.RoleGrant{{Role: "nope"}}, u.Version)
	problem(t, "UpdateMembershipRoles with an unknown role", err, "roles[0].role", store.CodeNotFound)

	// Memberships lists in creation order.
	w.member(t, s, w.ci.ID)
	w.member(t, s, w.bob.ID)
	ms := must(s.Memberships(ctx, w.project.ID))(t)
	var order []string
	for _, m := range ms {
		order = append(order, m.IdentityID)
	}
	if want := []string{w.alice.ID, w.ci.ID, w.bob.ID}; !slices.Equal(order, want) {
		t.Errorf("Memberships order = %v, want %v (creation order)", order, want)
	}
	if ms := must(s.Memberships(ctx, w.other.ID))(t); len(ms) != 0 {
		t.Errorf("Memberships(other) = %v, want none", ms)
	}
	_, err = s.Memberships(ctx, "nope")
	is(t, "Memberships of a missing project", err, store.ErrNotFound)

	_, err = s.DeleteMembership(ctx, w.project.ID, w.alice.ID, m.Version)
	is(t, "DeleteMembership with a stale version", err, store.ErrStale)
	must(s.DeleteMembership(ctx, w.project.ID, w.alice.ID, u.Version))(t)
	_, err = s.Membership(ctx, w.project.ID, w.alice.ID)
	is(t, "Membership after delete", err, store.ErrNotFound)
	_, err = s.DeleteMembership(ctx, w.project.ID, w.alice.ID, u.Version)
	is(t, "DeleteMembership twice", err, store.ErrNotFound)
}

func testMembershipValidation(t *testing.T, s store.Store) {
	w := setup(t, s)
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	tmp := func(role, mode, rng string, start *time.Time) store.RoleGrant {
		return store.RoleGrant{Role: role, Temporary: store.Temporary{IsTemporary: true, Mode: mode, Range: rng, Start: start}}
	}
	create := func(roles ...store.RoleGrant) error {
		_, err := s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.alice.ID, Roles: roles})
		return err
	}
	for _, tc := range []struct {
		name  string
		roles []store.RoleGrant
		field string
		code  store.Code
		msg   string
	}{
		{"no roles", nil, "roles", store.CodePermanent, "Identity must have at least one permanent role"},
		{"only temporary roles", []store.RoleGrant{tmp("admin", "relative", "1h", &start)}, "roles", store.CodePermanent, "Identity must have at least one permanent role"},
		{"missing start", []store.RoleGrant{{Role: "member"}, tmp("admin", "relative", "1h", nil)}, "roles[1].temporaryAccessStartTime", store.CodeTemporary, "Temporary role must have access start time and range"},
		{"missing range", []store.RoleGrant{{Role: "member"}, tmp("admin", "relative", "", &start)}, "roles[1].temporaryRange", store.CodeTemporary, "Temporary role must have access start time and range"},
		{"missing mode", []store.RoleGrant{{Role: "member"}, tmp("admin", "", "1h", &start)}, "roles[1].temporaryMode", store.CodeTemporary, ""},
		{"bad mode", []store.RoleGrant{{Role: "member"}, tmp("admin", "absolute", "1h", &start)}, "roles[1].temporaryMode", store.CodeMode, ""},
		{"months", []store.RoleGrant{{Role: "member"}, tmp("admin", "relative", "1mo", &start)}, "roles[1].temporaryRange", store.CodeRange, "Temporary range must be a positive number"},
		{"negative range", []store.RoleGrant{{Role: "member"}, tmp("admin", "relative", "-1h", &start)}, "roles[1].temporaryRange", store.CodeRange, ""},
		{"end after 9999", []store.RoleGrant{{Role: "member"}, tmp("admin", "relative", "8000y", &start)}, "roles[1].temporaryRange", store.CodeRange, ""},
		{"start after 9999", []store.RoleGrant{{Role: "member"}, tmp("admin", "relative", "1h", &far)}, "roles[1].temporaryAccessStartTime", store.CodeTime, ""},
		{"unknown role", []store.RoleGrant{{Role: "member"}, {Role: "superuser"}}, "roles[1].role", store.CodeNotFound, "One or more custom roles not found"},
		{"empty role", []store.RoleGrant{{Role: ""}, {Role: "member"}}, "roles[0].role", store.CodeRequired, ""},
		{"unknown custom slug", []store.RoleGrant{{Role: "member"}, {Role: store.RoleCustom, CustomRoleSlug: "nope"}}, "roles[1].customRoleSlug", store.CodeNotFound, "One or more custom roles not found"},
		{"custom role of another project", []store.RoleGrant{{Role: "member"}, {Role: store.RoleCustom, CustomRoleID: w.foreign.ID}}, "roles[1].customRoleId", store.CodeNotFound, ""},
		{"custom without a role", []store.RoleGrant{{Role: "member"}, {Role: store.RoleCustom}}, "roles[1].customRoleId", store.CodeRequired, ""},
	} {
		ve := problem(t, "CreateMembership: "+tc.name, create(tc.roles...), tc.field, tc.code)
		if ve != nil && tc.msg != "" && ve.Message != tc.msg {
			t.Errorf("CreateMembership: %s: message %q, want %q", tc.name, ve.Message, tc.msg)
		}
	}
	var te *temporal.Error
	if err := create(store.RoleGrant{Role: "member"}, tmp("admin", "relative", "1mo", &start)); !errors.As(err, &te) {
		t.Errorf("a bad range: errors.As(*temporal.Error) failed on %v", err)
	}
	// Every problem at once.
	err := create(tmp("admin", "relative", "nope", nil), tmp("superuser", "relative", "1h", &start))
	for _, f := range []string{"roles", "roles[0].temporaryRange", "roles[0].temporaryAccessStartTime", "roles[1].role"} {
		var ves store.ValidationErrors
		if errors.As(err, &ves); ves.Find(f) == nil {
			t.Errorf("a membership with four problems: none at %s in:\n%v", f, err)
		}
	}

	_, err = s.CreateMembership(ctx, store.Membership{ProjectID: "nope", IdentityID: w.alice.ID, Roles: []store.RoleGrant{{Role: "admin"}}})
	problem(t, "CreateMembership in a missing project", err, "projectId", store.CodeNotFound)
	_, err = s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: "nope", Roles: []store.RoleGrant{{Role: "admin"}}})
	problem(t, "CreateMembership of a missing identity", err, "identityId", store.CodeNotFound)

	for _, role := range store.BuiltinRoles {
		if _, err := s.CreateMembership(ctx, store.Membership{ProjectID: w.other.ID, IdentityID: w.bob.ID, Roles: []store.RoleGrant{{Role: role}}}); err != nil {
			t.Errorf("CreateMembership with built-in role %s: %v", role, err)
			continue
		}
		m := must(s.Membership(ctx, w.other.ID, w.bob.ID))(t)
		must(s.DeleteMembership(ctx, w.other.ID, w.bob.ID, m.Version))(t)
	}
}

func testTemporary(t *testing.T, s store.Store) {
	w := setup(t, s)
	start := time.Date(2026, 1, 2, 3, 4, 5, 678_901_234, time.FixedZone("CET", 3600))
	startMS := time.Date(2026, 1, 2, 2, 4, 5, 678_000_000, time.UTC)
	m, err := s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.alice.ID, Roles: []store.RoleGrant{
		{Role: "viewer", Temporary: store.Temporary{Mode: "relative", Range: "1h", Start: &start}}, // permanent: cleared
		{Role: "admin", Temporary: store.Temporary{IsTemporary: true, Mode: "relative", Range: "1h", Start: &start}},
		{Role: "reader", Temporary: store.Temporary{IsTemporary: true, Mode: "relative", Range: "1.5ms", Start: &start, End: &start}},
		{Role: "member", Temporary: store.Temporary{IsTemporary: true, Mode: "relative", Range: "2 days", Start: &start}},
	}})
	if err != nil {
		t.Fatalf("CreateMembership: %v", err)
	}
	if got := m.Roles[0].Temporary; !reflect.DeepEqual(got, store.Temporary{}) {
		t.Errorf("permanent grant's temporary fields = %+v, want them cleared", got)
	}
	for i, want := range []time.Duration{time.Hour, time.Millisecond, 48 * time.Hour} {
		g := m.Roles[i+1]
		if !g.IsTemporary || g.Mode != store.ModeRelative || g.Start == nil || g.End == nil {
			t.Errorf("grant %d = %+v, want temporary with start and end", i+1, g.Temporary)
			continue
		}
		if !g.Start.Equal(startMS) || g.Start.Location() != time.UTC {
			t.Errorf("grant %d start = %v, want %v (UTC, whole milliseconds)", i+1, g.Start, startMS)
		}
		if wantEnd := startMS.Add(want); !g.End.Equal(wantEnd) {
			t.Errorf("grant %d (%s) end = %v, want %v", i+1, g.Range, g.End, wantEnd)
		}
		if gr := g.Grant(); !gr.Temporary || !gr.Start.Equal(*g.Start) || !gr.End.Equal(*g.End) {
			t.Errorf("grant %d Grant() = %v", i+1, gr)
		}
	}

	must(s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.bob.ID, Roles: []store.RoleGrant{{Role: "member"}}}))(t)
	p, err := s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.bob.ID, Slug: "break-glass",
		Permissions: parseRules(t, secretRules), Temporary: store.Temporary{IsTemporary: true, Mode: "relative", Range: "30m", Start: &start}})
	if err != nil {
		t.Fatalf("CreatePrivilege: %v", err)
	}
	if p.End == nil || !p.End.Equal(startMS.Add(30*time.Minute)) {
		t.Errorf("privilege end = %v, want %v", p.End, startMS.Add(30*time.Minute))
	}
	// Switching to permanent clears the temporary fields; switching back recomputes the end.
	p.Temporary = store.Temporary{}
	p = must(s.UpdatePrivilege(ctx, p))(t)
	if p.IsTemporary || p.Start != nil || p.End != nil || p.Range != "" {
		t.Errorf("privilege made permanent = %+v", p.Temporary)
	}
	later := startMS.Add(24 * time.Hour)
	p.Temporary = store.Temporary{IsTemporary: true, Mode: "relative", Range: "1h", Start: &later}
	p = must(s.UpdatePrivilege(ctx, p))(t)
	if p.End == nil || !p.End.Equal(later.Add(time.Hour)) {
		t.Errorf("privilege end after update = %v, want %v", p.End, later.Add(time.Hour))
	}
	got := must(s.Privilege(ctx, p.ID))(t)
	if got.End == nil || !got.End.Equal(*p.End) || !got.Start.Equal(later) {
		t.Errorf("Privilege() temporary = %+v, want %+v", got.Temporary, p.Temporary)
	}
}

func testPrivilege(t *testing.T, s store.Store) {
	w := setup(t, s)
	w.member(t, s, w.alice.ID)
	w.member(t, s, w.bob.ID)
	perms := parseRules(t, secretRules)
	p, err := s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.alice.ID, Slug: "prod-read", Permissions: perms})
	if err != nil {
		t.Fatalf("CreatePrivilege: %v", err)
	}
	checkStamps(t, "CreatePrivilege", p.CreatedAt, p.UpdatedAt, p.Version)
	if p.Slug != "prod-read" || !rulesEqual(p.Permissions, perms) || p.IsTemporary {
		t.Errorf("CreatePrivilege = %+v", p)
	}
	got := must(s.Privilege(ctx, p.ID))(t)
	if got.Slug != p.Slug || !rulesEqual(got.Permissions, perms) || got.Version != p.Version || got.ProjectID != w.project.ID || got.IdentityID != w.alice.ID {
		t.Errorf("Privilege(%q) = %+v, want %+v", p.ID, got, p)
	}
	if got := must(s.PrivilegeBySlug(ctx, w.project.ID, w.alice.ID, "prod-read"))(t); got.ID != p.ID {
		t.Errorf("PrivilegeBySlug = %s, want %s", got.ID, p.ID)
	}
	_, err = s.PrivilegeBySlug(ctx, w.project.ID, w.bob.ID, "prod-read")
	is(t, "PrivilegeBySlug for another identity", err, store.ErrNotFound)

	_, err = s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.alice.ID, Slug: "prod-read"})
	if is(t, "CreatePrivilege with a taken slug", err, store.ErrDuplicate); err != nil && !strings.Contains(err.Error(), "Additional privilege with name prod-read exists") {
		t.Errorf("CreatePrivilege with a taken slug: %q, want Infisical's message", err)
	}
	if _, err := s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.bob.ID, Slug: "prod-read"}); err != nil {
		t.Errorf("CreatePrivilege with the same slug for another identity: %v", err)
	}
	gen := must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.alice.ID}))(t)
	if !store.ValidSlug(gen.Slug, store.MaxPrivilegeSlug) {
		t.Errorf("CreatePrivilege without a slug gave slug %q, want a generated valid slug", gen.Slug)
	}

	u := p
	u.Slug, u.Permissions = "prod-read-2", perms[:1]
	u2 := must(s.UpdatePrivilege(ctx, u))(t)
	if u2.Slug != "prod-read-2" || len(u2.Permissions) != 1 || u2.Version <= p.Version || !u2.CreatedAt.Equal(p.CreatedAt) {
		t.Errorf("UpdatePrivilege = %+v", u2)
	}
	if _, err := s.PrivilegeBySlug(ctx, w.project.ID, w.alice.ID, "prod-read"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PrivilegeBySlug(old slug) error %v, want ErrNotFound", err)
	}
	_, err = s.UpdatePrivilege(ctx, u)
	is(t, "UpdatePrivilege with a stale version", err, store.ErrStale)
	u2.Slug = gen.Slug
	_, err = s.UpdatePrivilege(ctx, u2)
	is(t, "UpdatePrivilege to a taken slug", err, store.ErrDuplicate)
	u2.Slug, u2.IdentityID = "prod-read-2", w.bob.ID
	_, err = s.UpdatePrivilege(ctx, u2)
	problem(t, "UpdatePrivilege moving to another identity", err, "identityId", store.CodeImmutable)
	u3 := u2
	u3.IdentityID, u3.ProjectID = "", ""
	if _, err := s.UpdatePrivilege(ctx, u3); err != nil {
		t.Errorf("UpdatePrivilege with empty project and identity IDs: %v", err)
	}
	_, err = s.UpdatePrivilege(ctx, store.Privilege{ID: "nope", Slug: "x", Version: 1})
	is(t, "UpdatePrivilege of a missing privilege", err, store.ErrNotFound)

	cur := must(s.Privilege(ctx, p.ID))(t)
	_, err = s.DeletePrivilege(ctx, p.ID, p.Version)
	is(t, "DeletePrivilege with a stale version", err, store.ErrStale)
	must(s.DeletePrivilege(ctx, p.ID, cur.Version))(t)
	_, err = s.Privilege(ctx, p.ID)
	is(t, "Privilege after delete", err, store.ErrNotFound)
	if ps := must(s.Privileges(ctx, w.project.ID, w.ci.ID))(t); len(ps) != 0 {
		t.Errorf("Privileges of a non-member = %v, want none", ps)
	}
}

func testPrivilegeValidation(t *testing.T, s store.Store) {
	w := setup(t, s)
	w.member(t, s, w.alice.ID)
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	priv := func(slug string) store.Privilege {
		return store.Privilege{ProjectID: w.project.ID, IdentityID: w.alice.ID, Slug: slug}
	}
	_, err := s.CreatePrivilege(ctx, priv(strings.Repeat("p", 61)))
	problem(t, "CreatePrivilege with a 61-character slug", err, "slug", store.CodeSlugLength)
	if _, err := s.CreatePrivilege(ctx, priv(strings.Repeat("p", 60))); err != nil {
		t.Errorf("CreatePrivilege with a 60-character slug: %v", err)
	}
	_, err = s.CreatePrivilege(ctx, priv("Not_A_Slug"))
	problem(t, "CreatePrivilege with a bad slug", err, "slug", store.CodeSlug)

	p := priv("no-member")
	p.IdentityID = w.bob.ID
	_, err = s.CreatePrivilege(ctx, p)
	problem(t, "CreatePrivilege for a non-member", err, "identityId", store.CodeNotFound)
	p.IdentityID = "nope"
	_, err = s.CreatePrivilege(ctx, p)
	problem(t, "CreatePrivilege for a missing identity", err, "identityId", store.CodeNotFound)
	p = priv("x")
	p.ProjectID = "nope"
	_, err = s.CreatePrivilege(ctx, p)
	problem(t, "CreatePrivilege in a missing project", err, "projectId", store.CodeNotFound)

	p = priv("bad-rules")
	p.Permissions = parseRules(t, badRules)
	_, err = s.CreatePrivilege(ctx, p)
	problem(t, "CreatePrivilege with bad permissions", err, "permissions[1].action[0]", store.CodePermission)

	p = priv("tmp")
	p.Temporary = store.Temporary{IsTemporary: true, Mode: "relative", Start: &start}
	_, err = s.CreatePrivilege(ctx, p)
	if ve := problem(t, "CreatePrivilege temporary without a range", err, "temporaryRange", store.CodeTemporary); ve != nil &&
		ve.Message != "Temporary mode expects start time and range" {
		t.Errorf("message %q, want Infisical's", ve.Message)
	}
	p.Temporary = store.Temporary{IsTemporary: true, Mode: "relative", Range: "soon", Start: &start}
	_, err = s.CreatePrivilege(ctx, p)
	problem(t, "CreatePrivilege with a bad range", err, "temporaryRange", store.CodeRange)
}

func testPrivilegeOrder(t *testing.T, s store.Store) {
	w := setup(t, s)
	w.member(t, s, w.alice.ID)
	w.member(t, s, w.bob.ID)
	var want []string
	var made []store.Privilege
	// Slugs in reverse order, interleaved with another identity's privileges.
	for i, slug := range []string{"zeta", "eta", "delta", "beta", "alpha"} {
		p := must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.alice.ID, Slug: slug}))(t)
		made = append(made, p)
		want = append(want, p.ID)
		must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.bob.ID, Slug: fmt.Sprintf("b%d", i)}))(t)
	}
	order := func() []string {
		var ids []string
		for _, p := range must(s.Privileges(ctx, w.project.ID, w.alice.ID))(t) {
			ids = append(ids, p.ID)
		}
		return ids
	}
	if got := order(); !slices.Equal(got, want) {
		t.Errorf("Privileges order = %v, want %v (creation order)", got, want)
	}
	// An update keeps the place; a delete leaves the rest in order.
	first := made[0]
	first.Slug = "zzz"
	must(s.UpdatePrivilege(ctx, first))(t)
	if got := order(); !slices.Equal(got, want) {
		t.Errorf("after updating the first, Privileges order = %v, want %v", got, want)
	}
	must(s.DeletePrivilege(ctx, made[2].ID, made[2].Version))(t)
	want = slices.Delete(want, 2, 3)
	if got := order(); !slices.Equal(got, want) {
		t.Errorf("after deleting the third, Privileges order = %v, want %v", got, want)
	}
	last := must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.alice.ID, Slug: "delta"}))(t)
	want = append(want, last.ID)
	if got := order(); !slices.Equal(got, want) {
		t.Errorf("after re-creating a slug, Privileges order = %v, want %v", got, want)
	}
	// The snapshot lists them in the same order.
	snap := must(s.Snapshot(ctx))(t)
	var inSnap []string
	for _, p := range snap.Privileges {
		if p.IdentityID == w.alice.ID {
			inSnap = append(inSnap, p.ID)
		}
	}
	if !slices.Equal(inSnap, want) {
		t.Errorf("Snapshot privileges order = %v, want %v", inSnap, want)
	}
}

func testCascade(t *testing.T, s store.Store) {
	w := setup(t, s)
	for _, id := range []string{w.alice.ID, w.bob.ID} {
		m := must(s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: id, Roles: []store.RoleGrant{{Role: "member"}, {Role: "reader"}}}))(t)
		_ = m
		must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: id, Slug: "one"}))(t)
		must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: id, Slug: "two"}))(t)
	}
	must(s.CreateMembership(ctx, store.Membership{ProjectID: w.other.ID, IdentityID: w.alice.ID, Roles: []store.RoleGrant{{Role: "reader"}}}))(t)
	must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.other.ID, IdentityID: w.alice.ID, Slug: "one"}))(t)

	// Deleting a membership deletes the identity's privileges in that project only, one
	// change (and version) each.
	m := must(s.Membership(ctx, w.project.ID, w.alice.ID))(t)
	before := must(s.Version(ctx))(t)
	must(s.DeleteMembership(ctx, w.project.ID, w.alice.ID, m.Version))(t)
	if v := must(s.Version(ctx))(t); v != before+3 {
		t.Errorf("DeleteMembership with two privileges moved the version from %d to %d, want %d", before, v, before+3)
	}
	if ps := must(s.Privileges(ctx, w.project.ID, w.alice.ID))(t); len(ps) != 0 {
		t.Errorf("after DeleteMembership, privileges = %v, want none", ps)
	}
	if _, err := s.PrivilegeBySlug(ctx, w.project.ID, w.alice.ID, "one"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PrivilegeBySlug after DeleteMembership: %v, want ErrNotFound", err)
	}
	if ps := must(s.Privileges(ctx, w.other.ID, w.alice.ID))(t); len(ps) != 1 {
		t.Errorf("privileges in the other project = %d, want 1 (untouched)", len(ps))
	}
	// Re-joining does not bring them back, and a slug is free again.
	w.member(t, s, w.alice.ID)
	if ps := must(s.Privileges(ctx, w.project.ID, w.alice.ID))(t); len(ps) != 0 {
		t.Errorf("after re-joining, privileges = %v, want none", ps)
	}
	must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.alice.ID, Slug: "one"}))(t)

	// Deleting an identity deletes its memberships and privileges everywhere.
	alice := must(s.Identity(ctx, w.alice.ID))(t)
	must(s.DeleteIdentity(ctx, alice.ID, alice.Version))(t)
	for _, p := range []string{w.project.ID, w.other.ID} {
		if _, err := s.Membership(ctx, p, alice.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Membership of a deleted identity: %v, want ErrNotFound", err)
		}
		if ps := must(s.Privileges(ctx, p, alice.ID))(t); len(ps) != 0 {
			t.Errorf("Privileges of a deleted identity = %v, want none", ps)
		}
	}
	// The role bob still holds stays in use; the foreign project's reader is free now.
	if _, err := s.DeleteRole(ctx, w.project.ID, w.reader.ID, w.reader.Version); !errors.Is(err, store.ErrInUse) {
		t.Errorf("DeleteRole of a role bob holds: %v, want ErrInUse", err)
	}

	// Deleting a project deletes its roles, memberships and privileges.
	p := must(s.Project(ctx, w.project.ID))(t)
	must(s.DeleteProject(ctx, p.ID, p.Version))(t)
	for _, id := range []string{w.reader.ID, w.writer.ID} {
		if _, err := s.Role(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Role %s of a deleted project: %v, want ErrNotFound", id, err)
		}
	}
	if _, err := s.Membership(ctx, p.ID, w.bob.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Membership in a deleted project: %v, want ErrNotFound", err)
	}
	snap := must(s.Snapshot(ctx))(t)
	for _, x := range snap.Privileges {
		if x.ProjectID == p.ID {
			t.Errorf("privilege %s of a deleted project remains", x.ID)
		}
	}
	for _, x := range snap.Roles {
		if x.ProjectID == p.ID {
			t.Errorf("role %s of a deleted project remains", x.ID)
		}
	}
	if len(snap.Projects) != 1 || len(snap.Identities) != 2 || len(snap.Memberships) != 0 || len(snap.Privileges) != 0 {
		t.Errorf("after the deletes, snapshot has %d projects, %d identities, %d memberships, %d privileges; want 1, 2, 0, 0",
			len(snap.Projects), len(snap.Identities), len(snap.Memberships), len(snap.Privileges))
	}
	// The identity's own and the other project's objects can be deleted now.
	if _, err := s.DeleteRole(ctx, w.other.ID, w.foreign.ID, w.foreign.Version); err != nil {
		t.Errorf("DeleteRole of a role no one holds any more: %v", err)
	}
}

func testVersions(t *testing.T, s store.Store) {
	v0 := must(s.Version(ctx))(t)
	if v0 != 0 {
		t.Errorf("Version of a new store = %d, want 0", v0)
	}
	p := must(s.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"}))(t)
	if v := must(s.Version(ctx))(t); v != 1 || p.Version != 1 {
		t.Errorf("after one write, store version %d, object version %d; want 1, 1", v, p.Version)
	}
	i := must(s.CreateIdentity(ctx, store.Identity{Name: "a"}))(t)
	if v := must(s.Version(ctx))(t); v != 2 || i.Version != 2 {
		t.Errorf("after two writes, store version %d, object version %d; want 2, 2", v, i.Version)
	}
	p.Name = "Demo 2"
	p2 := must(s.UpdateProject(ctx, p))(t)
	if p2.Version != 3 {
		t.Errorf("after an update, object version %d, want 3", p2.Version)
	}
	if got := must(s.Project(ctx, p.ID))(t); got.Version != 3 {
		t.Errorf("Project().Version = %d, want 3", got.Version)
	}
	if snap := must(s.Snapshot(ctx))(t); snap.Version != 3 {
		t.Errorf("Snapshot().Version = %d, want 3", snap.Version)
	}
	// Version 0 never means "don't check".
	p2.Version = 0
	_, err := s.UpdateProject(ctx, p2)
	is(t, "UpdateProject with version 0", err, store.ErrStale)
	// A version from the future is stale too.
	p2.Version = 99
	_, err = s.UpdateProject(ctx, p2)
	is(t, "UpdateProject with a future version", err, store.ErrStale)
	if v := must(s.Version(ctx))(t); v != 3 {
		t.Errorf("failed writes moved the version to %d, want 3", v)
	}
}

// testRejected checks that every kind of rejected write leaves the state, the version and
// the change feed as they were.
func testRejected(t *testing.T, s store.Store) {
	w := setup(t, s)
	m := w.member(t, s, w.alice.ID)
	p := must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.alice.ID, Slug: "p1"}))(t)
	must(s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.bob.ID, Roles: []store.RoleGrant{{Role: "reader"}}}))(t)
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

	writes := []struct {
		name string
		do   func() error
		want error
	}{
		{"duplicate project slug", func() error { _, err := s.CreateProject(ctx, store.Project{Slug: "demo", Name: "x"}); return err }, store.ErrDuplicate},
		{"invalid project", func() error { _, err := s.CreateProject(ctx, store.Project{Slug: "Demo"}); return err }, store.ErrInvalid},
		{"stale project update", func() error {
			x := w.project
			x.Version--
			_, err := s.UpdateProject(ctx, x)
			return err
		}, store.ErrStale},
		{"invalid project update", func() error { x := w.project; x.Slug = "-"; _, err := s.UpdateProject(ctx, x); return err }, store.ErrInvalid},
		{"stale project delete", func() error { _, err := s.DeleteProject(ctx, w.project.ID, 0); return err }, store.ErrStale},
		{"invalid identity", func() error { _, err := s.CreateIdentity(ctx, store.Identity{}); return err }, store.ErrInvalid},
		{"stale identity delete", func() error { _, err := s.DeleteIdentity(ctx, w.alice.ID, 0); return err }, store.ErrStale},
		{"reserved role slug", func() error {
			_, err := s.CreateRole(ctx, store.Role{ProjectID: w.project.ID, Slug: "admin", Name: "x"})
			return err
		}, store.ErrInvalid},
		{"bad permissions", func() error {
			_, err := s.CreateRole(ctx, store.Role{ProjectID: w.project.ID, Slug: "x", Name: "x", Permissions: parseRules(t, badRules)})
			return err
		}, store.ErrInvalid},
		{"duplicate role slug", func() error {
			_, err := s.CreateRole(ctx, store.Role{ProjectID: w.project.ID, Slug: "reader", Name: "x"})
			return err
		}, store.ErrDuplicate},
		{"bad role update", func() error {
			x := w.writer
			x.Permissions = parseRules(t, badRules)
			_, err := s.UpdateRole(ctx, x)
			return err
		}, store.ErrInvalid},
		{"role in use", func() error { _, err := s.DeleteRole(ctx, w.project.ID, w.reader.ID, w.reader.Version); return err }, store.ErrInUse},
		{"no permanent role", func() error {
			_, err := s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.ci.ID,
				Roles: []store.RoleGrant{{Role: "admin", Temporary: store.Temporary{IsTemporary: true, Mode: "relative", Range: "1h", Start: &start}}}})
			return err
		}, store.ErrInvalid},
		{"duplicate membership", func() error {
			_, err := s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.alice.ID, Roles: []store.RoleGrant{{Role: "admin"}}})
			return err
		}, store.ErrDuplicate},
		{"bad membership update", func() error {
			_, err := s.UpdateMembershipRoles(ctx, w.project.ID, w.alice.ID, []store.RoleGrant{{Role: "admin"}, {Role: "nope"}}, m.Version)
			return err
		}, store.ErrInvalid},
		{"stale membership delete", func() error { _, err := s.DeleteMembership(ctx, w.project.ID, w.alice.ID, m.Version-1); return err }, store.ErrStale},
		{"privilege for a non-member", func() error {
			_, err := s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.ci.ID, Slug: "x"})
			return err
		}, store.ErrInvalid},
		{"duplicate privilege slug", func() error {
			_, err := s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.alice.ID, Slug: "p1"})
			return err
		}, store.ErrDuplicate},
		{"bad privilege update", func() error {
			x := p
			x.Temporary = store.Temporary{IsTemporary: true, Mode: "relative", Range: "1mo", Start: &start}
			_, err := s.UpdatePrivilege(ctx, x)
			return err
		}, store.ErrInvalid},
		{"stale privilege delete", func() error { _, err := s.DeletePrivilege(ctx, p.ID, p.Version+1); return err }, store.ErrStale},
	}

	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feed := watch(t, s, wctx)
	before := must(s.Snapshot(ctx))(t)
	for _, wr := range writes {
		err := wr.do()
		is(t, wr.name, err, wr.want)
		after := must(s.Snapshot(ctx))(t)
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: the rejected write changed the state:\nbefore %+v\nafter  %+v", wr.name, before, after)
			before = after
		}
	}
	// A marker write: the first change the feed delivers must be it.
	marker := must(s.CreateIdentity(ctx, store.Identity{Name: "marker"}))(t)
	if c := feed.next(t); c.ID != marker.ID || c.Version != before.Version+1 {
		t.Errorf("first change after the rejected writes = %+v, want the marker at version %d", c, before.Version+1)
	}
}

// feed collects changes from Watch.
type feed struct {
	ch chan store.Change
}

func watch(t *testing.T, s store.Store, ctx context.Context) *feed {
	t.Helper()
	f := &feed{ch: make(chan store.Change, 1024)}
	if err := s.Watch(ctx, func(c store.Change) { f.ch <- c }); err != nil {
		t.Fatalf("Watch: %v", err)
	}
	return f
}

func (f *feed) next(t *testing.T) store.Change {
	t.Helper()
	select {
	case c := <-f.ch:
		return c
	case <-time.After(WatchTimeout):
		t.Fatalf("no change delivered within %v", WatchTimeout)
		return store.Change{}
	}
}

func (f *feed) take(t *testing.T, n int) []store.Change {
	t.Helper()
	out := make([]store.Change, n)
	for i := range out {
		out[i] = f.next(t)
	}
	return out
}

func testWatch(t *testing.T, s store.Store) {
	// Changes before Watch are not delivered.
	pre := must(s.CreateProject(ctx, store.Project{Slug: "before", Name: "Before"}))(t)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := watch(t, s, wctx)

	p := must(s.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"}))(t)
	a := must(s.CreateIdentity(ctx, store.Identity{Name: "alice"}))(t)
	r := must(s.CreateRole(ctx, store.Role{ProjectID: p.ID, Slug: "reader", Name: "Reader"}))(t)
	m := must(s.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: a.ID, Roles: []store.RoleGrant{{Role: "reader"}, {Role: "member"}}}))(t)
	x := must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: p.ID, IdentityID: a.ID, Slug: "x"}))(t)
	y := must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: p.ID, IdentityID: a.ID, Slug: "y"}))(t)
	r.Name = "Reader 2"
	r = must(s.UpdateRole(ctx, r))(t)
	m = must(s.UpdateMembershipRoles(ctx, p.ID, a.ID, []store.RoleGrant{{Role: "admin"}}, m.Version))(t)
	must(s.DeleteMembership(ctx, p.ID, a.ID, m.Version))(t)
	must(s.DeleteRole(ctx, p.ID, r.ID, r.Version))(t)
	a.Name = "alice 2"
	a = must(s.UpdateIdentity(ctx, a))(t)

	pc := func(k store.Kind, del bool, proj, ident, id string) store.Change {
		return store.Change{Kind: k, Deleted: del, ProjectID: proj, IdentityID: ident, ID: id}
	}
	want := []store.Change{
		pc(store.KindProject, false, p.ID, "", p.ID),
		pc(store.KindIdentity, false, "", a.ID, a.ID),
		pc(store.KindRole, false, p.ID, "", r.ID),
		pc(store.KindMembership, false, p.ID, a.ID, m.ID),
		pc(store.KindPrivilege, false, p.ID, a.ID, x.ID),
		pc(store.KindPrivilege, false, p.ID, a.ID, y.ID),
		pc(store.KindRole, false, p.ID, "", r.ID),
		pc(store.KindMembership, false, p.ID, a.ID, m.ID),
		// The cascade: both privileges (in either order), then the membership.
		pc(store.KindPrivilege, true, p.ID, a.ID, x.ID),
		pc(store.KindPrivilege, true, p.ID, a.ID, y.ID),
		pc(store.KindMembership, true, p.ID, a.ID, m.ID),
		pc(store.KindRole, true, p.ID, "", r.ID),
		pc(store.KindIdentity, false, "", a.ID, a.ID),
	}
	got := f.take(t, len(want))
	consecutive(t, "changes", got, pre.Version+1)
	for i := range got {
		got[i].Version = 0
	}
	if got[8].ID == y.ID {
		got[8], got[9] = got[9], got[8]
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes (versions left out):\n got %+v\nwant %+v", got, want)
	}

	// A project delete names everything it removes, the project last.
	b := must(s.CreateIdentity(ctx, store.Identity{Name: "bob"}))(t)
	r2 := must(s.CreateRole(ctx, store.Role{ProjectID: p.ID, Slug: "r2", Name: "R2"}))(t)
	m2 := must(s.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: b.ID, Roles: []store.RoleGrant{{Role: "r2"}}}))(t)
	z := must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: p.ID, IdentityID: b.ID, Slug: "z"}))(t)
	f.take(t, 4)
	p = must(s.Project(ctx, p.ID))(t)
	before := must(s.Version(ctx))(t)
	must(s.DeleteProject(ctx, p.ID, p.Version))(t)
	got = f.take(t, 4)
	consecutive(t, "project delete changes", got, before+1)
	seen := map[store.Kind]string{}
	for _, c := range got {
		if !c.Deleted || c.ProjectID != p.ID {
			t.Errorf("project delete change %+v: want deleted, project %s", c, p.ID)
		}
		seen[c.Kind] = c.ID
	}
	if want := map[store.Kind]string{store.KindProject: p.ID, store.KindRole: r2.ID, store.KindMembership: m2.ID, store.KindPrivilege: z.ID}; !reflect.DeepEqual(seen, want) {
		t.Errorf("project delete changes %v, want %v", seen, want)
	}
	if last := got[3]; last.Kind != store.KindProject {
		t.Errorf("last change of a project delete = %+v, want the project", last)
	}
	if v := must(s.Version(ctx))(t); v != before+4 {
		t.Errorf("after a delete of 4 objects, Version = %d, want %d", v, before+4)
	}

	// After ctx is done, nothing more is delivered.
	cancel()
	time.Sleep(10 * time.Millisecond) // let an asynchronous store notice
	for len(f.ch) > 0 {
		<-f.ch
	}
	must(s.CreateIdentity(ctx, store.Identity{Name: "after"}))(t)
	select {
	case c := <-f.ch:
		t.Errorf("change delivered after ctx was done: %+v", c)
	case <-time.After(50 * time.Millisecond):
	}
	done, cancel2 := context.WithCancel(ctx)
	cancel2()
	if err := s.Watch(done, func(store.Change) {}); err == nil {
		t.Errorf("Watch with a done ctx: no error")
	}
}

// consecutive checks that changes have the versions from, from+1, ...
func consecutive(t *testing.T, what string, cs []store.Change, from uint64) {
	t.Helper()
	for i, c := range cs {
		if c.Version != from+uint64(i) {
			var vs []uint64
			for _, c := range cs {
				vs = append(vs, c.Version)
			}
			t.Errorf("%s: versions %v, want consecutive versions from %d", what, vs, from)
			return
		}
	}
}

func testSnapshot(t *testing.T, s store.Store) {
	empty := must(s.Snapshot(ctx))(t)
	if empty.Version != 0 || len(empty.Projects)+len(empty.Identities)+len(empty.Roles)+len(empty.Memberships)+len(empty.Privileges) != 0 {
		t.Errorf("Snapshot of an empty store = %+v", empty)
	}
	w := setup(t, s)
	w.member(t, s, w.alice.ID)
	must(s.CreateMembership(ctx, store.Membership{ProjectID: w.project.ID, IdentityID: w.ci.ID, Roles: []store.RoleGrant{{Role: "member"}, {Role: "reader"}}}))(t)
	must(s.CreatePrivilege(ctx, store.Privilege{ProjectID: w.project.ID, IdentityID: w.ci.ID, Slug: "p", Permissions: parseRules(t, secretRules)}))(t)
	snap := must(s.Snapshot(ctx))(t)
	if v := must(s.Version(ctx))(t); snap.Version != v {
		t.Errorf("Snapshot().Version = %d, want %d", snap.Version, v)
	}
	ids := func(n int, id func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id(i)
		}
		return out
	}
	if got, want := ids(len(snap.Projects), func(i int) string { return snap.Projects[i].ID }), []string{w.project.ID, w.other.ID}; !slices.Equal(got, want) {
		t.Errorf("Snapshot projects %v, want %v (creation order)", got, want)
	}
	if got, want := ids(len(snap.Identities), func(i int) string { return snap.Identities[i].ID }), []string{w.alice.ID, w.bob.ID, w.ci.ID}; !slices.Equal(got, want) {
		t.Errorf("Snapshot identities %v, want %v (creation order)", got, want)
	}
	if got, want := ids(len(snap.Roles), func(i int) string { return snap.Roles[i].ID }), []string{w.reader.ID, w.writer.ID, w.foreign.ID}; !slices.Equal(got, want) {
		t.Errorf("Snapshot roles %v, want %v (creation order)", got, want)
	}
	if len(snap.Memberships) != 2 || len(snap.Privileges) != 1 {
		t.Fatalf("Snapshot has %d memberships and %d privileges, want 2 and 1", len(snap.Memberships), len(snap.Privileges))
	}
	if g := snap.Memberships[1].Roles[1]; g.CustomRoleID != w.reader.ID || g.CustomRoleSlug != "reader" || g.CustomRoleName != "Reader" {
		t.Errorf("Snapshot grant = %+v, want the reader role filled in", g)
	}
	for i, x := range snap.Memberships {
		if got := must(s.Membership(ctx, x.ProjectID, x.IdentityID))(t); !reflect.DeepEqual(got, x) {
			t.Errorf("Snapshot membership %d = %+v, Membership() = %+v", i, x, got)
		}
	}
	// The snapshot is the caller's.
	snap.Projects[0].Name = "changed"
	snap.Memberships[1].Roles[0].Role = "admin"
	snap.Identities[2].Metadata[0].Value = "changed"
	again := must(s.Snapshot(ctx))(t)
	if again.Projects[0].Name == "changed" || again.Memberships[1].Roles[0].Role == "admin" || again.Identities[2].Metadata[0].Value == "changed" {
		t.Errorf("modifying a snapshot changed the store")
	}
}

func testRace(t *testing.T, s store.Store) {
	w := setup(t, s)
	// Two writers update one role from the same version: exactly one wins.
	for round := range 20 {
		r := must(s.Role(ctx, w.reader.ID))(t)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				x := r
				x.Name = fmt.Sprintf("writer %d round %d", i, round)
				_, errs[i] = s.UpdateRole(ctx, x)
			}()
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, store.ErrStale):
				t.Errorf("round %d: writer %d: %v, want nil or ErrStale", round, i, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d writers won, want exactly 1 (errors %v)", round, won, errs)
		}
	}
	// Racing creations of one slug: exactly one wins, the rest are duplicates.
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.CreateRole(ctx, store.Role{ProjectID: w.project.ID, Slug: "contested", Name: fmt.Sprint(i)})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else if !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("racing CreateRole: %v, want nil or ErrDuplicate", err)
		}
	}
	if won != 1 {
		t.Errorf("racing CreateRole: %d won, want 1", won)
	}
	// Concurrent independent writes each get their own version.
	before := must(s.Version(ctx))(t)
	versions := make([]uint64, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := s.CreateIdentity(ctx, store.Identity{Name: fmt.Sprint("racer ", i)})
			if err != nil {
				t.Errorf("CreateIdentity: %v", err)
				return
			}
			versions[i] = id.Version
		}()
	}
	wg.Wait()
	slices.Sort(versions)
	for i, v := range versions {
		if v != before+uint64(i)+1 {
			t.Errorf("concurrent writes got versions %v, want %d..%d", versions, before+1, before+n)
			break
		}
	}
}
