package pgstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// A migration is one schema step: migrations/NNNN_name.sql brings the schema from version
// NNNN-1 to NNNN.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations in order. Their numbers must run 1, 2, 3...
// (TestMigrationFiles checks it).
func migrations() ([]migration, error) {
	files, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, f := range files {
		base := strings.TrimSuffix(strings.TrimPrefix(f, "migrations/"), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("pgstore: migration file %s: want NNNN_name.sql", f)
		}
		b, err := migrationFiles.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, name, string(b)})
	}
	for i, m := range out { // fs.Glob returns names sorted
		if m.version != i+1 {
			return nil, fmt.Errorf("pgstore: migration %04d_%s: want number %d", m.version, m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the schema version this code creates and understands: the number of
// the last embedded migration.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrateLock is the key of the transaction-scoped advisory lock that serializes
// migrations between processes ("warden" in ASCII, then 1).
const migrateLock int64 = 0x77617264656e0001

// migrate brings the schema to the newest version in one transaction, under migrateLock:
// concurrent Opens wait for each other, and a failed migration leaves the schema as it was.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("pgstore: migrating the schema: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit
	fail := func(what string, err error) error {
		return fmt.Errorf("pgstore: migrating the schema: %s: %w", what, err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
		return fail("taking the migration lock", err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass('warden_schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return fail("reading the schema version", err)
	}
	if !exists {
		if _, err := tx.Exec(ctx, `CREATE TABLE warden_schema_migrations (
			version    integer     PRIMARY KEY,
			name       text        NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
			return fail("creating warden_schema_migrations", err)
		}
	}
	var cur int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM warden_schema_migrations`).Scan(&cur); err != nil {
		return fail("reading the schema version", err)
	}
	if latest := len(ms); cur > latest {
		return fmt.Errorf("%w: the database is at schema version %d, this warden knows versions up to %d: upgrade warden", ErrSchemaTooNew, cur, latest)
	}
	if cur == len(ms) {
		return nil // nothing to do; the rollback ends the transaction
	}
	for _, m := range ms[cur:] {
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return fail(fmt.Sprintf("migration %04d_%s", m.version, m.name), err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO warden_schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
			return fail(fmt.Sprintf("migration %04d_%s", m.version, m.name), err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fail("commit", err)
	}
	return nil
}
