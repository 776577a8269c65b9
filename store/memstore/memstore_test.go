package memstore_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
	"github.com/wardenhq/warden/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return memstore.New() })
}

var ctx = context.Background()

const exampleFile = "../../examples/store/snapshot.json"

func TestExampleFileLoads(t *testing.T) {
	s := memstore.New()
	if err := s.LoadFile(exampleFile); err != nil {
		t.Fatalf("LoadFile(%s): %v", exampleFile, err)
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Projects) != 1 || snap.Projects[0].Slug != "demo" || len(snap.Identities) != 3 || len(snap.Roles) != 2 ||
		len(snap.Privileges) != 1 || len(snap.Memberships) < 3 {
		t.Errorf("example snapshot has %d projects, %d identities, %d roles, %d memberships, %d privileges; want 1 (demo), 3, 2, >=3, 1",
			len(snap.Projects), len(snap.Identities), len(snap.Roles), len(snap.Memberships), len(snap.Privileges))
	}
	temporary := false
	for _, m := range snap.Memberships {
		for _, g := range m.Roles {
			if g.IsTemporary && g.End != nil {
				temporary = true
			}
		}
	}
	if !temporary {
		t.Errorf("example snapshot has no temporary role grant with a computed end")
	}
	// The file is in the saved form: saving what was loaded gives the file back.
	var buf bytes.Buffer
	if err := s.Save(&buf); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(exampleFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), file) {
		if *update {
			if err := os.WriteFile(exampleFile, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("Save after LoadFile(%s) differs from the file; rewrite it in the saved form with\n\tgo test ./store/memstore -run TestExampleFileLoads -update", exampleFile)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	clock := time.Date(2026, 3, 1, 12, 0, 0, 123_456_789, time.UTC)
	s := memstore.New(memstore.WithClock(func() time.Time { clock = clock.Add(time.Second); return clock }))
	build(t, s)
	want, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := s.SaveFile(path); err != nil {
		t.Fatalf("SaveFile: %v", err)
	}
	s2 := memstore.New()
	if err := s2.LoadFile(path); err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	got, err := s2.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !snapshotsEqual(got, want) {
		t.Errorf("Load(Save()) differs:\n got %+v\nwant %+v", got, want)
	}
	// The loaded store keeps versions, so a write with a version read before saving works.
	r := want.Roles[0]
	r.Name = "Renamed"
	if _, err := s2.UpdateRole(ctx, r); err != nil {
		t.Errorf("UpdateRole on the loaded store with the saved version: %v", err)
	}
	// Saving twice gives the same bytes.
	var a, b bytes.Buffer
	if err := s.Save(&a); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("two Saves of one state differ")
	}
}

// snapshotsEqual compares through JSON, which is what Save and Load promise to keep.
func snapshotsEqual(a, b *store.Snapshot) bool {
	ja, err1 := a.MarshalJSON()
	jb, err2 := b.MarshalJSON()
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// build fills s with a little of everything.
func build(t *testing.T, s *memstore.Store) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err := s.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"})
	must(err)
	var ids []string
	for _, name := range []string{"alice", "bob", "ci"} {
		i, err := s.CreateIdentity(ctx, store.Identity{Name: name, Metadata: []store.IdentityMetadata{{Key: "team", Value: name + "-team"}}})
		must(err)
		ids = append(ids, i.ID)
	}
	var r store.Role
	must(json(&r, `{"projectId": "`+p.ID+`", "slug": "reader", "name": "Reader", "description": "reads prod",
		"permissions": [{"action": ["describeSecret", "readValue"], "subject": "secrets",
			"conditions": {"environment": "prod", "secretPath": {"$glob": "/app/**"}}}]}`))
	_, err = s.CreateRole(ctx, r)
	must(err)
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	_, err = s.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: ids[0], Roles: []store.RoleGrant{
		{Role: "member"}, {Role: "reader", Temporary: store.Temporary{IsTemporary: true, Mode: "relative", Range: "8h", Start: &start}}}})
	must(err)
	_, err = s.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: ids[1], Roles: []store.RoleGrant{{Role: "reader"}}})
	must(err)
	for _, slug := range []string{"b", "a"} {
		_, err = s.CreatePrivilege(ctx, store.Privilege{ProjectID: p.ID, IdentityID: ids[1], Slug: slug, Temporary: store.Temporary{IsTemporary: true, Mode: "relative", Range: "1d", Start: &start}})
		must(err)
	}
}

func json(v interface{ UnmarshalJSON([]byte) error }, s string) error {
	return v.UnmarshalJSON([]byte(s))
}

func TestLoadReportsEveryProblem(t *testing.T) {
	const doc = `{
  "projects": [{"id": "p1", "slug": "demo", "name": "Demo"}, {"id": "p2", "slug": "demo", "name": ""}],
  "identities": [{"id": "a", "name": "alice"}, {"id": "b", "name": "bob"}],
  "roles": [
    {"id": "r1", "projectId": "p1", "slug": "reader", "name": "Reader",
     "permissions": [{"action": "readValue", "subject": "secrets", "conditions": {"secretPath": "app"}}]},
    {"id": "r2", "projectId": "p1", "slug": "admin", "name": "Admin"},
    {"id": "r3", "projectId": "nope", "slug": "x", "name": "X"}
  ],
  "memberships": [
    {"projectId": "p1", "identityId": "a", "roles": [{"role": "member"}]},
    {"projectId": "p1", "identityId": "b", "roles": [{"role": "reader", "isTemporary": true, "temporaryMode": "relative", "temporaryRange": "1mo", "temporaryAccessStartTime": "2026-01-01T00:00:00.000Z"}]},
    {"projectId": "p1", "identityId": "zed", "roles": [{"role": "custom", "customRoleSlug": "missing"}, {"role": "member"}]},
    {"projectId": "p1", "identityId": "a", "roles": [{"role": "viewer"}]}
  ],
  "privileges": [{"projectId": "p1", "identityId": "zed", "slug": "Bad Slug"}]
}`
	s := memstore.New()
	before, _ := s.Snapshot(ctx)
	err := s.Load(strings.NewReader(doc))
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("Load of a bad document: %v, want ErrInvalid", err)
	}
	var ves store.ValidationErrors
	if !errors.As(err, &ves) {
		t.Fatalf("Load error %T is not ValidationErrors", err)
	}
	got := map[string]store.Code{}
	for _, ve := range ves {
		got[ve.Location()] = ve.Code
	}
	for loc, code := range map[string]store.Code{
		"projects[1].slug": store.CodeDuplicate,
		"projects[1].name": store.CodeRequired,
		"roles[0].permissions[0].conditions.secretPath": store.CodePermission,
		"roles[1].slug":                          store.CodeReserved,
		"roles[2].projectId":                     store.CodeNotFound,
		"memberships[1].roles":                   store.CodePermanent,
		"memberships[1].roles[0].temporaryRange": store.CodeRange,
		"memberships[2].identityId":              store.CodeNotFound,
		"memberships[2].roles[0].customRoleSlug": store.CodeNotFound,
		"memberships[3].identityId":              store.CodeDuplicate,
		"privileges[0].slug":                     store.CodeSlug,
		"privileges[0].identityId":               store.CodeNotFound,
	} {
		var found bool
		for l, c := range got {
			if strings.HasPrefix(l, loc) && c == code {
				found = true
			}
		}
		if !found {
			t.Errorf("Load: no %q problem at %s; got:\n%v", code, loc, err)
		}
	}
	after, _ := s.Snapshot(ctx)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("a rejected Load changed the store")
	}
}

func TestLoadDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc, loc string
	}{
		{"syntax", `{"projects": [}`, ""},
		{"unknown top key", `{"project": []}`, ""},
		{"unknown key", `{"projects": [{"id": "p", "slug": "demo", "name": "D", "owner": "x"}]}`, "projects[0]"},
		{"wrong type", `{"memberships": [{"projectId": "p", "identityId": "a", "roles": [{"role": "member", "isTemporary": "yes"}]}]}`, "memberships[0]"},
		{"bad time", `{"privileges": [{"temporaryAccessStartTime": "yesterday"}]}`, "privileges[0]"},
		{"bad rule", `{"roles": [{"projectId": "p", "slug": "r", "name": "R", "permissions": [{"subject": "secrets"}]}]}`, "roles[0].permissions[0].action"},
	} {
		s := memstore.New()
		err := s.Load(strings.NewReader(tc.doc))
		var ves store.ValidationErrors
		if !errors.As(err, &ves) || !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: Load error %v, want ValidationErrors", tc.name, err)
			continue
		}
		if !strings.HasPrefix(ves[0].Location(), tc.loc) {
			t.Errorf("%s: problem at %q, want %q", tc.name, ves[0].Location(), tc.loc)
		}
		if v, _ := s.Version(ctx); v != 0 {
			t.Errorf("%s: a rejected Load moved the version to %d", tc.name, v)
		}
	}
}

func TestLoadReplacesAndResets(t *testing.T) {
	s := memstore.New()
	build(t, s)
	old, _ := s.Version(ctx)
	var changes []store.Change
	if err := s.Watch(ctx, func(c store.Change) { changes = append(changes, c) }); err != nil {
		t.Fatal(err)
	}
	const doc = `{"version": 3, "projects": [{"slug": "fresh", "name": "Fresh"}]}`
	if err := s.Load(strings.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot(ctx)
	if len(snap.Projects) != 1 || snap.Projects[0].Slug != "fresh" || len(snap.Identities) != 0 {
		t.Errorf("after Load, snapshot = %+v, want only the loaded project", snap)
	}
	if snap.Version != old+1 || snap.Projects[0].Version != old+1 || !store.ValidID(snap.Projects[0].ID) || snap.Projects[0].CreatedAt.IsZero() {
		t.Errorf("after Load, version %d, project %+v; want version %d stamped on the project, an ID and times", snap.Version, snap.Projects[0], old+1)
	}
	if len(changes) != 1 || !changes[0].Reset || changes[0].Version != snap.Version {
		t.Errorf("Load delivered %+v, want one Reset at version %d", changes, snap.Version)
	}
	// A document's version above the store's is taken.
	if err := s.Load(strings.NewReader(`{"version": 100}`)); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Version(ctx); v != 100 {
		t.Errorf("after loading version 100, Version = %d", v)
	}
}

// TestWatchIsSynchronous: a change has been delivered when the write returns, and a reader
// called from the callback sees the new state.
func TestWatchIsSynchronous(t *testing.T) {
	s := memstore.New()
	var seen []string
	err := s.Watch(ctx, func(c store.Change) {
		p, err := s.Project(ctx, c.ID)
		if err != nil {
			t.Errorf("reading from the callback: %v", err)
		}
		seen = append(seen, p.Slug)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != "demo" {
		t.Errorf("after CreateProject returned, the watcher saw %v, want [demo]", seen)
	}
}

// TestConcurrentReadersAndWriters runs writers and readers at once, for the race detector,
// and checks that every snapshot a reader sees is consistent.
func TestConcurrentReadersAndWriters(t *testing.T) {
	s := memstore.New()
	p, err := s.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"})
	if err != nil {
		t.Fatal(err)
	}
	var changes sync.Map
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := s.Watch(wctx, func(c store.Change) { changes.Store(c.Version, c) }); err != nil {
		t.Fatal(err)
	}
	const writers, perWriter = 4, 40
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				id, err := s.CreateIdentity(ctx, store.Identity{Name: fmt.Sprintf("w%d-%d", w, i)})
				if err != nil {
					t.Error(err)
					return
				}
				m, err := s.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: id.ID, Roles: []store.RoleGrant{{Role: "member"}}})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := s.CreatePrivilege(ctx, store.Privilege{ProjectID: p.ID, IdentityID: id.ID, Slug: "p"}); err != nil {
					t.Error(err)
					return
				}
				if i%3 == 0 {
					if _, err := s.DeleteMembership(ctx, p.ID, id.ID, m.Version); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	var readers sync.WaitGroup
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				snap, err := s.Snapshot(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				members := map[string]bool{}
				for _, m := range snap.Memberships {
					members[m.IdentityID] = true
				}
				for _, x := range snap.Privileges {
					if !members[x.IdentityID] {
						t.Errorf("snapshot at version %d has a privilege of a non-member", snap.Version)
						return
					}
				}
				ms, err := s.Memberships(ctx, p.ID)
				if err != nil {
					t.Error(err)
					return
				}
				for _, m := range ms {
					_, _ = s.Privileges(ctx, p.ID, m.IdentityID)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	v, _ := s.Version(ctx)
	for i := uint64(2); i <= v; i++ {
		if _, ok := changes.Load(i); !ok {
			t.Errorf("no change delivered for version %d", i)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the example snapshot file in its saved form")
