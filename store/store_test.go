package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

var (
	t0    = time.Date(2026, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	t1    = t0.Add(time.Hour)
	perms = mustRules(`[{"action": ["describeSecret", "readValue"], "subject": "secrets", "conditions": {"environment": "prod", "secretPath": {"$glob": "/app/**"}}}]`)
)

func mustRules(doc string) []rules.Rule {
	rs, err := rules.Parse([]byte(doc))
	if err != nil {
		panic(err)
	}
	return rs
}

// keys returns the keys of a JSON object, in order.
func keys(t *testing.T, b []byte) []string {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(string(b)))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %s", b)
	}
	var ks []string
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, tok.(string))
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return ks
}

func TestJSONShapes(t *testing.T) {
	start, end := t0, t1
	tmp := store.Temporary{IsTemporary: true, Mode: "relative", Range: "1h", Start: &start, End: &end}
	for _, tc := range []struct {
		v    any
		keys string
	}{
		{store.Project{ID: "p", Slug: "demo", Name: "Demo", CreatedAt: t0, UpdatedAt: t1, Version: 1},
			"id slug name createdAt updatedAt version"},
		{store.Identity{ID: "i", Name: "ci", Metadata: []store.IdentityMetadata{{Key: "k", Value: "v"}}},
			"id name authMethod metadata createdAt updatedAt version"},
		{store.Role{ID: "r", ProjectID: "p", Slug: "reader", Name: "Reader", Permissions: perms},
			"id projectId slug name description permissions createdAt updatedAt version"},
		{store.RoleGrant{ID: "g", Role: "custom", CustomRoleID: "r", CustomRoleName: "Reader", CustomRoleSlug: "reader", Temporary: tmp},
			"id role customRoleId customRoleName customRoleSlug isTemporary temporaryMode temporaryRange temporaryAccessStartTime temporaryAccessEndTime"},
		{store.Membership{ID: "m", ProjectID: "p", IdentityID: "i", Roles: []store.RoleGrant{{Role: "admin"}}},
			"id projectId identityId roles createdAt updatedAt version"},
		{store.Privilege{ID: "x", Slug: "s", ProjectID: "p", IdentityID: "i", Permissions: perms, Temporary: tmp},
			"id slug isTemporary temporaryMode temporaryRange temporaryAccessStartTime temporaryAccessEndTime createdAt updatedAt identityId projectId permissions version"},
		{&store.Snapshot{}, "version projects identities roles memberships privileges"},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatalf("Marshal(%T): %v", tc.v, err)
		}
		if got := strings.Join(keys(t, b), " "); got != tc.keys {
			t.Errorf("%T keys = %s\nwant %s", tc.v, got, tc.keys)
		}
	}
}

func TestJSONValues(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	start := t0.In(cet)
	g := store.RoleGrant{ID: "g", Role: "admin", Temporary: store.Temporary{IsTemporary: true, Mode: "relative", Range: "1h", Start: &start}}
	b, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"g","role":"admin","customRoleId":null,"customRoleName":null,"customRoleSlug":null,"isTemporary":true,"temporaryMode":"relative","temporaryRange":"1h","temporaryAccessStartTime":"2026-01-02T03:04:05.678Z","temporaryAccessEndTime":null}`
	if string(b) != want {
		t.Errorf("Marshal(grant) =\n%s\nwant\n%s", b, want)
	}
	b, err = json.Marshal(store.Project{CreatedAt: t0.Add(999_999), UpdatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"createdAt":"2026-01-02T03:04:05.678Z"`) {
		t.Errorf("Marshal(project) = %s, want createdAt truncated to milliseconds", b)
	}
	b, err = json.Marshal(store.Role{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"description":null,"permissions":[]`) {
		t.Errorf("Marshal(empty role) = %s, want a null description and empty permissions", b)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	start, end := t0, t1
	tmp := store.Temporary{IsTemporary: true, Mode: "relative", Range: "1h", Start: &start, End: &end}
	for _, v := range []any{
		&store.Project{ID: "p", Slug: "demo", Name: "Demo", CreatedAt: t0, UpdatedAt: t1, Version: 3},
		&store.Identity{ID: "i", Name: "ci", AuthMethod: "universal-auth", Metadata: []store.IdentityMetadata{{Key: "k", Value: "v"}}, CreatedAt: t0, UpdatedAt: t0, Version: 1},
		&store.Role{ID: "r", ProjectID: "p", Slug: "reader", Name: "Reader", Description: "d", Permissions: perms, CreatedAt: t0, UpdatedAt: t1, Version: 2},
		&store.Membership{ID: "m", ProjectID: "p", IdentityID: "i", Roles: []store.RoleGrant{{ID: "g1", Role: "admin"}, {ID: "g2", Role: "custom", CustomRoleID: "r", CustomRoleName: "Reader", CustomRoleSlug: "reader", Temporary: tmp}}, CreatedAt: t0, UpdatedAt: t1, Version: 4},
		&store.Privilege{ID: "x", Slug: "s", ProjectID: "p", IdentityID: "i", Permissions: perms, Temporary: tmp, CreatedAt: t0, UpdatedAt: t1, Version: 5},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal(%T): %v", v, err)
		}
		got := reflect.New(reflect.TypeOf(v).Elem()).Interface()
		if err := json.Unmarshal(b, got); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		b2, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != string(b2) {
			t.Errorf("%T round trip:\n got %s\nwant %s", v, b2, b)
		}
	}
}

func TestUnmarshalPackedPermissions(t *testing.T) {
	var r store.Role
	if err := json.Unmarshal([]byte(`{"slug": "r", "permissions": [["readValue,describeSecret", "secrets", {"environment": "prod"}]]}`), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Permissions) != 1 || !slices.Equal(r.Permissions[0].Actions, []string{"readValue", "describeSecret"}) {
		t.Errorf("packed permissions = %v", r.Permissions)
	}
	err := json.Unmarshal([]byte(`{"permissions": [{"action": "read", "subject": "secrets"}, {"subject": "secrets"}]}`), &r)
	var ves store.ValidationErrors
	if !errors.As(err, &ves) || ves.Find("permissions[1].action") == nil {
		t.Errorf("Unmarshal of a malformed rule: %v, want a problem at permissions[1].action", err)
	}
}

func TestValidSlug(t *testing.T) {
	for s, want := range map[string]bool{
		"a": true, "reader": true, "prod-reader-2": true, "0": true, strings.Repeat("a", 64): true,
		"": false, strings.Repeat("a", 65): false, "Reader": false, "a_b": false, "a--b": false, "-a": false,
		"a-": false, "a b": false, "é": false, " a": false,
	} {
		if got := store.ValidSlug(s, 64); got != want {
			t.Errorf("ValidSlug(%q, 64) = %t, want %t", s, got, want)
		}
	}
}

func TestIDs(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		id := store.NewID()
		if !uuid.MatchString(id) || !store.ValidID(id) || seen[id] {
			t.Fatalf("NewID() = %q: want a new version 4 UUID", id)
		}
		seen[id] = true
		if s := store.RandomSlug(); len(s) != 8 || !store.ValidSlug(s, 60) {
			t.Fatalf("RandomSlug() = %q", s)
		}
	}
	for id, want := range map[string]bool{"role-1": true, "a.b:c_d": true, "": false, "a b": false, "a\x00b": false, strings.Repeat("x", 129): false} {
		if got := store.ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %t, want %t", id, got, want)
		}
	}
}

func TestSentinels(t *testing.T) {
	for _, tc := range []struct {
		err              error
		conflict, is, no error
	}{
		{store.ErrDuplicate, store.ErrConflict, store.ErrDuplicate, store.ErrStale},
		{store.ErrStale, store.ErrConflict, store.ErrStale, store.ErrDuplicate},
		{store.Duplicate(store.KindRole, "slug", "x"), store.ErrConflict, store.ErrDuplicate, store.ErrStale},
		{store.Stale(store.KindRole, "r", 1, 2), store.ErrConflict, store.ErrStale, store.ErrDuplicate},
	} {
		if !errors.Is(tc.err, tc.conflict) || !errors.Is(tc.err, tc.is) || errors.Is(tc.err, tc.no) {
			t.Errorf("%v: Is(ErrConflict) %t, Is(%v) %t, Is(%v) %t", tc.err, errors.Is(tc.err, tc.conflict), tc.is, errors.Is(tc.err, tc.is), tc.no, errors.Is(tc.err, tc.no))
		}
	}
	if err := store.InUse("r", 3); !errors.Is(err, store.ErrInUse) || errors.Is(err, store.ErrConflict) ||
		!strings.Contains(err.Error(), "Role is assigned to 3 identity membership(s). Re-assign membership role(s) to delete this role.") {
		t.Errorf("InUse = %v", err)
	}
	var e *store.Error
	if err := store.NotFound(store.KindPrivilege, "x"); !errors.As(err, &e) || e.Kind != store.KindPrivilege || e.ID != "x" || !errors.Is(err, store.ErrNotFound) {
		t.Errorf("NotFound = %#v", err)
	}
}

// lookup is a Lookup over fixed objects.
type lookup struct {
	projects   []store.Project
	identities []store.Identity
	roles      []store.Role
	members    []store.Membership
	fail       error
}

func (l lookup) Project(id string) (store.Project, error) {
	if l.fail != nil {
		return store.Project{}, l.fail
	}
	for _, x := range l.projects {
		if x.ID == id {
			return x, nil
		}
	}
	return store.Project{}, store.NotFound(store.KindProject, id)
}

func (l lookup) Identity(id string) (store.Identity, error) {
	for _, x := range l.identities {
		if x.ID == id {
			return x, nil
		}
	}
	return store.Identity{}, store.NotFound(store.KindIdentity, id)
}

func (l lookup) Role(id string) (store.Role, error) {
	for _, x := range l.roles {
		if x.ID == id {
			return x, nil
		}
	}
	return store.Role{}, store.NotFound(store.KindRole, id)
}

func (l lookup) RoleBySlug(projectID, slug string) (store.Role, error) {
	for _, x := range l.roles {
		if x.ProjectID == projectID && x.Slug == slug {
			return x, nil
		}
	}
	return store.Role{}, store.NotFound(store.KindRole, slug)
}

func (l lookup) Membership(projectID, identityID string) (store.Membership, error) {
	for _, x := range l.members {
		if x.ProjectID == projectID && x.IdentityID == identityID {
			return x, nil
		}
	}
	return store.Membership{}, store.NotFound(store.KindMembership, identityID)
}

var world = lookup{
	projects:   []store.Project{{ID: "p", Slug: "demo", Name: "Demo"}},
	identities: []store.Identity{{ID: "a", Name: "alice"}},
	roles:      []store.Role{{ID: "r", ProjectID: "p", Slug: "reader", Name: "Reader"}},
	members:    []store.Membership{{ID: "m", ProjectID: "p", IdentityID: "a"}},
}

func TestValidatorDoesNotModifyInput(t *testing.T) {
	var v store.Validator
	start := t0.Add(123_456)
	in := store.Membership{ProjectID: "p", IdentityID: "a", Roles: []store.RoleGrant{
		{Role: " admin "}, {Role: "reader", Temporary: store.Temporary{IsTemporary: true, Mode: "relative", Range: "1h", Start: &start}}}}
	orig := in.Clone()
	out, err := v.Membership(in, world)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, orig) {
		t.Errorf("Validator.Membership modified its argument")
	}
	if out.Roles[0].Role != "admin" || out.Roles[1].CustomRoleID != "r" || !out.Roles[1].Start.Equal(t0) || !out.Roles[1].End.Equal(t1) {
		t.Errorf("Validator.Membership = %+v", out)
	}
	id := store.Identity{Name: " ci ", Metadata: []store.IdentityMetadata{{Key: " team "}}}
	if out, err := v.Identity(id); err != nil || out.Name != "ci" || out.Metadata[0].Key != "team" || id.Metadata[0].Key != " team " {
		t.Errorf("Validator.Identity = %+v, %v; input after: %+v", out, err, id)
	}
}

func TestValidatorLookupFailure(t *testing.T) {
	boom := errors.New("connection lost")
	l := world
	l.fail = boom
	_, err := store.Validator{}.Role(store.Role{ProjectID: "p", Slug: "r", Name: "R"}, l)
	if !errors.Is(err, boom) || errors.Is(err, store.ErrInvalid) {
		t.Errorf("Role with a failing Lookup: %v, want the lookup's error as is", err)
	}
}

func TestValidationErrorsOrder(t *testing.T) {
	var v store.Validator
	gs := make([]store.RoleGrant, 12)
	for i := range gs {
		gs[i] = store.RoleGrant{Role: fmt.Sprintf("missing-%d", i)}
	}
	_, err := v.Grants("p", gs, world)
	var ves store.ValidationErrors
	if !errors.As(err, &ves) {
		t.Fatalf("Grants: %v", err)
	}
	var fields []string
	for _, ve := range ves {
		fields = append(fields, ve.Field)
	}
	want := []string{"roles[0].role", "roles[1].role", "roles[2].role", "roles[3].role", "roles[4].role", "roles[5].role",
		"roles[6].role", "roles[7].role", "roles[8].role", "roles[9].role", "roles[10].role", "roles[11].role"}
	if !slices.Equal(fields, want) {
		t.Errorf("problem order = %v, want %v", fields, want)
	}
}

func TestValidatorSnapshot(t *testing.T) {
	snap := &store.Snapshot{
		Projects:    []store.Project{{ID: "p", Slug: "demo", Name: "Demo"}},
		Identities:  []store.Identity{{ID: "a", Name: "alice"}, {Name: "bob"}},
		Roles:       []store.Role{{ProjectID: "p", Slug: "reader", Name: "Reader", Permissions: perms}},
		Memberships: []store.Membership{{ProjectID: "p", IdentityID: "a", Roles: []store.RoleGrant{{Role: "reader"}}}},
		Privileges:  []store.Privilege{{ProjectID: "p", IdentityID: "a", Slug: "x"}},
	}
	orig := snap.Clone()
	got, err := store.Validator{}.Snapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(snap, orig) {
		t.Errorf("Validator.Snapshot modified its argument")
	}
	if !store.ValidID(got.Identities[1].ID) || !store.ValidID(got.Roles[0].ID) || !store.ValidID(got.Memberships[0].Roles[0].ID) {
		t.Errorf("Validator.Snapshot did not assign IDs: %+v", got)
	}
	if g := got.Memberships[0].Roles[0]; g.Role != "custom" || g.CustomRoleID != got.Roles[0].ID || g.CustomRoleSlug != "reader" {
		t.Errorf("resolved grant = %+v", g)
	}

	bad := orig.Clone()
	bad.Identities = append(bad.Identities, store.Identity{ID: "a", Name: "again"})
	bad.Privileges = append(bad.Privileges, store.Privilege{ProjectID: "p", IdentityID: "a", Slug: "x"})
	_, err = store.Validator{}.Snapshot(bad)
	var ves store.ValidationErrors
	if !errors.As(err, &ves) {
		t.Fatalf("Snapshot with duplicates: %v", err)
	}
	var locs []string
	for _, ve := range ves {
		locs = append(locs, ve.Location())
	}
	if want := []string{"identities[2].id", "privileges[1].slug"}; !slices.Equal(locs, want) {
		t.Errorf("Snapshot with duplicates: problems at %v, want %v", locs, want)
	}
}

func ExampleValidator_Role() {
	r := store.Role{ProjectID: "p", Slug: "admin", Permissions: mustRules(`[{"action": "fly", "subject": "secrets"}]`)}
	_, err := store.Validator{}.Role(r, world)
	var ves store.ValidationErrors
	if errors.As(err, &ves) {
		for _, ve := range ves {
			fmt.Printf("%s (%s)\n", ve.Field, ve.Code)
		}
	}
	fmt.Println(errors.Is(err, store.ErrInvalid))
	// Output:
	// name (required)
	// permissions[0].action[0] (invalid permission)
	// slug (reserved slug)
	// true
}
