package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wardenhq/warden/store"
)

// A write takes four round trips to the database, whatever it writes: BEGIN; the version
// lock together with everything its plan says it will read; the rows it writes together
// with its changes, the new version and the notification; COMMIT. Reads that the plan did
// not foresee (a cascade, a role in use) cost one more each. The lock is held for the last
// three, so writes that queue on it wait for little more than two round trips each.

// A plan lists what a write will read under the version lock, so that it is read in the
// same round trip as the lock is taken. A read the plan misses is made when it is asked
// for; a read the plan makes needlessly costs nothing but the query.
type plan struct {
	projects    []string
	identities  []string
	roles       []string
	roleSlugs   [][2]string // project ID, slug
	memberships [][2]string // project ID, identity ID
	privileges  []string
	exists      []query // for wtx.exists
}

type query struct {
	sql  string
	args []any
}

func (p *plan) exist(sql string, args ...any) { p.exists = append(p.exists, query{sql, args}) }

// roleGrants plans the roles that grants name, as the validator will look them up.
func (p *plan) roleGrants(projectID string, gs []store.RoleGrant) {
	for _, g := range gs {
		switch role := trim(g.Role); {
		case store.IsBuiltinRole(role):
		case g.CustomRoleID != "":
			p.roles = append(p.roles, g.CustomRoleID)
		case g.CustomRoleSlug != "":
			p.roleSlugs = append(p.roleSlugs, [2]string{projectID, trim(g.CustomRoleSlug)})
		case role != "" && role != store.RoleCustom:
			p.roleSlugs = append(p.roleSlugs, [2]string{projectID, role})
		}
	}
}

// cached is the result of a planned read.
type cached[T any] struct {
	v   T
	err error
}

// wtx is one write in progress: its transaction, its time, what its plan read, the rows it
// will write, and the changes it records.
type wtx struct {
	ctx     context.Context
	tx      pgx.Tx
	now     time.Time
	version uint64 // the version of the last change recorded (at first, the store's)
	changes []store.Change
	writes  pgx.Batch // sent with the changes, after f

	projects    map[string]cached[store.Project]
	identities  map[string]cached[store.Identity]
	roles       map[string]cached[store.Role]
	roleSlugs   map[[2]string]cached[store.Role]
	memberships map[[2]string]cached[store.Membership]
	privileges  map[string]cached[store.Privilege]
	found       map[string]bool // exists queries, by existsKey
}

// next returns the version the next recorded change will have.
func (w *wtx) next() uint64 { return w.version + 1 }

// change records a change with the next version.
func (w *wtx) change(k store.Kind, deleted bool, projectID, identityID, id string) {
	w.version++
	w.changes = append(w.changes, store.Change{Version: w.version, Kind: k, Deleted: deleted, ProjectID: projectID, IdentityID: identityID, ID: id})
}

// queue adds a row write to the write's last round trip. Nothing the write reads
// afterwards sees it, so a write queues its rows once it has read all it needs.
func (w *wtx) queue(sql string, args ...any) { w.writes.Queue(sql, args...) }

// exists reports whether the query "SELECT EXISTS (sql)" is true, from the plan if it
// made it.
func (w *wtx) exists(sql string, args ...any) (bool, error) {
	if ok, planned := w.found[existsKey(sql, args)]; planned {
		return ok, nil
	}
	var ok bool
	err := w.tx.QueryRow(w.ctx, `SELECT EXISTS (`+sql+`)`, args...).Scan(&ok)
	return ok, readError(err)
}

func existsKey(sql string, args []any) string { return fmt.Sprintf("%s\x00%q", sql, args) }

// The Lookup the validator reads through: the plan's reads, else the write's transaction.
// Either way the reads are made under the version lock, so they cannot change before the
// commit.

// Project looks up a project for the validator.
func (w *wtx) Project(id string) (store.Project, error) {
	if c, ok := w.projects[id]; ok {
		return c.v, c.err
	}
	return getProject(w.ctx, w.tx, id)
}

// Identity looks up an identity for the validator.
func (w *wtx) Identity(id string) (store.Identity, error) {
	if c, ok := w.identities[id]; ok {
		return c.v, c.err
	}
	return getIdentity(w.ctx, w.tx, id)
}

// Role looks up a custom role by ID for the validator.
func (w *wtx) Role(id string) (store.Role, error) {
	if c, ok := w.roles[id]; ok {
		return c.v, c.err
	}
	return getRole(w.ctx, w.tx, id)
}

// RoleBySlug looks up a custom role by slug for the validator.
func (w *wtx) RoleBySlug(projectID, slug string) (store.Role, error) {
	if c, ok := w.roleSlugs[[2]string{projectID, slug}]; ok {
		return c.v, c.err
	}
	return getRoleBySlug(w.ctx, w.tx, projectID, slug)
}

// Membership looks up a membership for the validator.
func (w *wtx) Membership(projectID, identityID string) (store.Membership, error) {
	if c, ok := w.memberships[[2]string{projectID, identityID}]; ok {
		return c.v, c.err
	}
	return getMembership(w.ctx, w.tx, projectID, identityID)
}

func (w *wtx) privilege(id string) (store.Privilege, error) {
	if c, ok := w.privileges[id]; ok {
		return c.v, c.err
	}
	return getPrivilege(w.ctx, w.tx, id)
}

// prefetch queues a read of the plan whose result goes to cache[key].
func prefetch[K comparable, T any](b *pgx.Batch, cache map[K]cached[T], key K, scan pgx.RowToFunc[T], notFound error, sql string, args ...any) {
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		v, err := pgx.CollectExactlyOneRow(rows, scan)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			cache[key] = cached[T]{err: notFound}
		case err != nil:
			return err
		default:
			cache[key] = cached[T]{v: v}
		}
		return nil
	})
}

// queue queues the plan's reads into b, filling w's caches when b is sent.
func (p *plan) queue(b *pgx.Batch, w *wtx) {
	w.projects = map[string]cached[store.Project]{}
	w.identities = map[string]cached[store.Identity]{}
	w.roles = map[string]cached[store.Role]{}
	w.roleSlugs = map[[2]string]cached[store.Role]{}
	w.memberships = map[[2]string]cached[store.Membership]{}
	w.privileges = map[string]cached[store.Privilege]{}
	w.found = map[string]bool{}
	for _, id := range p.projects {
		prefetch(b, w.projects, id, scanProject, store.NotFound(store.KindProject, id),
			`SELECT `+projectCols+` FROM warden_projects WHERE id = $1`, id)
	}
	for _, id := range p.identities {
		prefetch(b, w.identities, id, scanIdentity, store.NotFound(store.KindIdentity, id),
			`SELECT `+identityCols+` FROM warden_identities WHERE id = $1`, id)
	}
	for _, id := range p.roles {
		prefetch(b, w.roles, id, scanRole, store.NotFound(store.KindRole, id),
			`SELECT `+roleCols+` FROM warden_roles WHERE id = $1`, id)
	}
	for _, k := range p.roleSlugs {
		prefetch(b, w.roleSlugs, k, scanRole, store.NotFound(store.KindRole, k[1]),
			`SELECT `+roleCols+` FROM warden_roles WHERE project_id = $1 AND slug = $2`, k[0], k[1])
	}
	for _, k := range p.memberships {
		b.Queue(membershipSelect+` WHERE m.project_id = $1 AND m.identity_id = $2 ORDER BY g.position`, k[0], k[1]).Query(func(rows pgx.Rows) error {
			ms, err := scanMemberships(rows)
			switch {
			case err != nil:
				return err
			case len(ms) == 0:
				w.memberships[k] = cached[store.Membership]{err: store.NotFound(store.KindMembership, k[1])}
			default:
				w.memberships[k] = cached[store.Membership]{v: ms[0]}
			}
			return nil
		})
	}
	for _, id := range p.privileges {
		prefetch(b, w.privileges, id, scanPrivilege, store.NotFound(store.KindPrivilege, id),
			`SELECT `+privilegeCols+` FROM warden_additional_privileges WHERE id = $1`, id)
	}
	for _, q := range p.exists {
		key := existsKey(q.sql, q.args)
		b.Queue(`SELECT EXISTS (`+q.sql+`)`, q.args...).QueryRow(func(row pgx.Row) error {
			var ok bool
			err := row.Scan(&ok)
			w.found[key] = ok
			return err
		})
	}
}

// write runs f in a transaction that holds the version lock, after the reads of p. If f
// succeeds, it writes the rows f queued, records the changes, advances the store version,
// notifies the listeners and commits. If f or anything after it fails, the transaction
// rolls back and nothing changes.
func (s *Store) write(ctx context.Context, p plan, f func(w *wtx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("pgstore: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit
	w := &wtx{ctx: ctx, tx: tx}
	var now time.Time
	b := &pgx.Batch{}
	b.Queue(`SELECT version, clock_timestamp() FROM warden_state FOR UPDATE`).QueryRow(func(row pgx.Row) error {
		return row.Scan(&w.version, &now)
	})
	p.queue(b, w)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("pgstore: taking the version lock: %w", err)
	}
	if s.opts.clock != nil {
		now = s.opts.clock()
	}
	w.now = now.UTC().Truncate(time.Millisecond)
	if err := f(w); err != nil {
		return err
	}
	if len(w.changes) == 0 {
		return nil
	}
	b = &w.writes
	n := len(w.changes)
	vs, kinds, dels := make([]int64, n), make([]int16, n), make([]bool, n)
	pids, iids, ids := make([]string, n), make([]string, n), make([]string, n)
	for i, c := range w.changes {
		vs[i], kinds[i], dels[i], pids[i], iids[i], ids[i] = int64(c.Version), int16(c.Kind), c.Deleted, c.ProjectID, c.IdentityID, c.ID
	}
	b.Queue(`INSERT INTO warden_changes (version, kind, deleted, project_id, identity_id, object_id)
		SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::boolean[], $4::text[], $5::text[], $6::text[])`,
		vs, kinds, dels, pids, iids, ids)
	b.Queue(`UPDATE warden_state SET version = $1`, int64(w.version))
	if !s.noNotify {
		b.Queue(`SELECT pg_notify($1, $2)`, channel, encodeNotice(w.changes))
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		if err := dbError(err); errors.Is(err, store.ErrDuplicate) {
			return err
		}
		return fmt.Errorf("pgstore: writing: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgstore: commit: %w", err)
	}
	return nil
}

// dbError turns a unique violation, which the checks made under the version lock should
// have caught, into ErrDuplicate. Other errors pass as they are.
func dbError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
		return &store.Error{Err: store.ErrDuplicate, Kind: tableKinds[pe.TableName], ID: pe.ConstraintName, Message: pe.Message}
	}
	return err
}

var tableKinds = map[string]store.Kind{
	"warden_projects":              store.KindProject,
	"warden_identities":            store.KindIdentity,
	"warden_roles":                 store.KindRole,
	"warden_memberships":           store.KindMembership,
	"warden_membership_roles":      store.KindMembership,
	"warden_additional_privileges": store.KindPrivilege,
}

func trim(s string) string { return strings.TrimSpace(s) }
