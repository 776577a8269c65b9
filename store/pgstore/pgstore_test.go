package pgstore

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/storetest"
)

var ctx = context.Background()

func TestConformance(t *testing.T) {
	needCluster(t)
	storetest.Run(t, func(t *testing.T) store.Store { return newStore(t) })
}

func TestOpenErrors(t *testing.T) {
	c := needCluster(t)

	// A connection string that does not parse.
	_, err := Open(ctx, "postgres://warden@%zz/db")
	if err == nil || !strings.Contains(err.Error(), "bad connection string") {
		t.Errorf("Open(malformed URL) error %v, want a bad connection string", err)
	}
	_, err = Open(ctx, "postgres://warden:hunter2@%zz/db")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("Open(malformed URL with a password) error %v, want one that does not show the password", err)
	}
	_, err = Open(ctx, "host=localhost port=notaport")
	if err == nil || !strings.Contains(err.Error(), "bad connection string") {
		t.Errorf("Open(bad port) error %v, want a bad connection string", err)
	}

	// A server that is not there: a port nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().(*net.TCPAddr)
	l.Close()
	start := time.Now()
	_, err = Open(ctx, "host=127.0.0.1 port="+strconv.Itoa(addr.Port)+" user=warden dbname=x connect_timeout=5")
	if err == nil || !strings.Contains(err.Error(), "connecting to the database") {
		t.Errorf("Open(unreachable) error %v, want a connection error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Open(unreachable) took %v", d)
	}
	// A database that does not exist.
	_, err = Open(ctx, c.ConnString("no_such_database"))
	if err == nil || !strings.Contains(err.Error(), "no_such_database") {
		t.Errorf("Open(missing database) error %v, want it named", err)
	}
	// ctx ends the attempt.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Open(cctx, c.ConnString("postgres")); err == nil {
		t.Errorf("Open with a canceled ctx: no error")
	}

	// A schema newer than the code.
	conn := c.NewDatabase(t)
	s := open(t, conn)
	if _, err := s.pool.Exec(ctx, `INSERT INTO warden_schema_migrations (version, name) VALUES ($1, 'from-the-future')`, SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, conn)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("Open(newer schema) error %v, want ErrSchemaTooNew", err)
	}
	// Bad options.
	if _, err := Open(ctx, conn, WithCheckInterval(0)); err == nil {
		t.Errorf("Open with a zero check interval: no error")
	}
}

func TestMigrations(t *testing.T) {
	c := needCluster(t)
	ms, err := migrations()
	if err != nil {
		t.Fatalf("migrations: %v", err)
	}
	if len(ms) == 0 || SchemaVersion() != len(ms) {
		t.Fatalf("%d migrations, SchemaVersion %d", len(ms), SchemaVersion())
	}

	// Several processes open a new database at once: one migrates, all succeed.
	conn := c.NewDatabase(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(ctx, conn, WithLogger(testLogger(t)))
			if err == nil {
				s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent Open %d: %v", i, err)
		}
	}
	// Opening again changes nothing; the state survives.
	s := open(t, conn)
	p, err := s.CreateProject(ctx, store.Project{Slug: "kept", Name: "Kept"})
	if err != nil {
		t.Fatal(err)
	}
	s2 := open(t, conn)
	if got, err := s2.Project(ctx, p.ID); err != nil || got.Slug != "kept" {
		t.Errorf("after reopening, Project = %+v, %v", got, err)
	}
	var n, max int
	if err := s.pool.QueryRow(ctx, `SELECT count(*), max(version) FROM warden_schema_migrations`).Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) || max != len(ms) {
		t.Errorf("warden_schema_migrations has %d rows up to %d, want %d", n, max, len(ms))
	}
}

// TestPackedStorage checks that permissions are stored in Infisical's packed form, and that
// rows Infisical's way of writing them are read back.
func TestPackedStorage(t *testing.T) {
	s := newStore(t)
	p, _ := s.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"})
	doc := `[
		{"action": ["read", "edit"], "subject": "secrets", "conditions": {"secretPath": {"$glob": "/app/**"}, "environment": "dev"}},
		{"action": "read", "subject": "secret-folders", "inverted": true}
	]`
	perms, err := rules.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateRole(ctx, store.Role{ProjectID: p.ID, Slug: "dev", Name: "Dev", Permissions: perms})
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := s.pool.QueryRow(ctx, `SELECT permissions::text FROM warden_roles WHERE id = $1`, r.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	// Key order is kept (secretPath before environment), as CASL evaluates in that order.
	want := `[["read,edit","secrets",{"secretPath":{"$glob":"/app/**"},"environment":"dev"}],["read","secret-folders",0,1]]`
	if stored != want {
		t.Errorf("stored permissions\n got %s\nwant %s", stored, want)
	}
	got, err := s.Role(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Permissions) != 2 || !got.Permissions[0].Equal(perms[0]) || !got.Permissions[1].Equal(perms[1]) {
		t.Errorf("Role permissions = %v, want %v", got.Permissions, perms)
	}
	// A role packed elsewhere (as Infisical writes it) reads as its rules.
	if _, err := s.pool.Exec(ctx, `UPDATE warden_roles SET permissions = $2 WHERE id = $1`, r.ID,
		`[["readValue,describeSecret","secrets",{"environment":"prod"}]]`); err != nil {
		t.Fatal(err)
	}
	got, err = s.Role(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Permissions) != 1 || strings.Join(got.Permissions[0].Actions, ",") != "readValue,describeSecret" {
		t.Errorf("Role after a packed write = %+v", got.Permissions)
	}
	// Corrupt stored permissions are an error, not a panic.
	if _, err := s.pool.Exec(ctx, `UPDATE warden_roles SET permissions = '[["read"]]' WHERE id = $1`, r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Role(ctx, r.ID); err == nil || !strings.Contains(err.Error(), "stored permissions") {
		t.Errorf("Role with corrupt permissions: error %v", err)
	}
}

// TestChangesTable checks that versions are a gapless counter with one changes row per
// change, and that rejected writes leave no trace in either.
func TestChangesTable(t *testing.T) {
	s := newStore(t)
	p, _ := s.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"})
	a, _ := s.CreateIdentity(ctx, store.Identity{Name: "a"})
	if _, err := s.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: a.ID, Roles: []store.RoleGrant{{Role: "admin"}}}); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"x", "y"} {
		if _, err := s.CreatePrivilege(ctx, store.Privilege{ProjectID: p.ID, IdentityID: a.ID, Slug: slug}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateProject(ctx, store.Project{Slug: "demo", Name: "Again"}); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("duplicate: %v", err)
	}
	p, _ = s.Project(ctx, p.ID)
	if _, err := s.DeleteProject(ctx, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	rows, _ := s.pool.Query(ctx, `SELECT version, kind, deleted FROM warden_changes ORDER BY version`)
	type row struct {
		v    int64
		kind int16
		del  bool
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.v, &x.kind, &x.del)
		return x, err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []row{{1, 1, false}, {2, 2, false}, {3, 4, false}, {4, 5, false}, {5, 5, false}, {6, 5, true}, {7, 5, true}, {8, 4, true}, {9, 1, true}}
	if len(got) != len(want) {
		t.Fatalf("changes = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d = %v, want %v", i, got[i], want[i])
		}
	}
	if v, _ := s.Version(ctx); v != 9 {
		t.Errorf("Version = %d, want 9", v)
	}
}
