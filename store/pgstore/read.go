package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// querier is what reads run on: the pool, or a write's or a snapshot's transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// The columns each kind is read with, in the order its scan function reads them.
const (
	projectCols   = `id, slug, name, created_at, updated_at, version`
	identityCols  = `id, name, auth_method, metadata, created_at, updated_at, version`
	roleCols      = `id, project_id, slug, name, description, permissions, created_at, updated_at, version`
	privilegeCols = `id, slug, project_id, identity_id, permissions, is_temporary, temporary_mode, temporary_range,
		temporary_access_start_time, temporary_access_end_time, created_at, updated_at, version`
	// membershipSelect reads memberships with their grants, one row per grant, and the
	// current name and slug of each custom role granted.
	membershipSelect = `SELECT m.id, m.project_id, m.identity_id, m.created_at, m.updated_at, m.version,
		g.id, g.role, g.custom_role_id, r.name, r.slug, g.is_temporary, g.temporary_mode, g.temporary_range,
		g.temporary_access_start_time, g.temporary_access_end_time
	FROM warden_memberships m
	LEFT JOIN warden_membership_roles g ON g.membership_id = m.id
	LEFT JOIN warden_roles r ON r.id = g.custom_role_id`
)

func scanProject(row pgx.CollectableRow) (store.Project, error) {
	var p store.Project
	err := row.Scan(&p.ID, &p.Slug, &p.Name, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, err
}

// metadataJSON is the stored form of identity metadata.
type metadataJSON struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func scanIdentity(row pgx.CollectableRow) (store.Identity, error) {
	var (
		i  store.Identity
		md []byte
	)
	if err := row.Scan(&i.ID, &i.Name, &i.AuthMethod, &md, &i.CreatedAt, &i.UpdatedAt, &i.Version); err != nil {
		return i, err
	}
	i.CreatedAt, i.UpdatedAt = i.CreatedAt.UTC(), i.UpdatedAt.UTC()
	var ms []metadataJSON
	if err := json.Unmarshal(md, &ms); err != nil {
		return i, fmt.Errorf("identity %s: stored metadata: %w", i.ID, err)
	}
	for _, m := range ms {
		i.Metadata = append(i.Metadata, store.IdentityMetadata{Key: m.Key, Value: m.Value})
	}
	return i, nil
}

func encodeMetadata(md []store.IdentityMetadata) []byte {
	ms := make([]metadataJSON, len(md))
	for i, m := range md {
		ms[i] = metadataJSON(m)
	}
	b, _ := json.Marshal(ms) // strings only: cannot fail
	return b
}

func scanRole(row pgx.CollectableRow) (store.Role, error) {
	var (
		r     store.Role
		perms []byte
	)
	if err := row.Scan(&r.ID, &r.ProjectID, &r.Slug, &r.Name, &r.Description, &perms, &r.CreatedAt, &r.UpdatedAt, &r.Version); err != nil {
		return r, err
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	var err error
	if r.Permissions, err = parsePermissions(perms); err != nil {
		return r, fmt.Errorf("role %s: stored permissions: %w", r.ID, err)
	}
	return r, nil
}

func scanPrivilege(row pgx.CollectableRow) (store.Privilege, error) {
	var (
		p     store.Privilege
		perms []byte
		tmp   temporaryCols
	)
	if err := row.Scan(&p.ID, &p.Slug, &p.ProjectID, &p.IdentityID, &perms,
		&tmp.is, &tmp.mode, &tmp.rng, &tmp.start, &tmp.end, &p.CreatedAt, &p.UpdatedAt, &p.Version); err != nil {
		return p, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	p.Temporary = tmp.value()
	var err error
	if p.Permissions, err = parsePermissions(perms); err != nil {
		return p, fmt.Errorf("privilege %s: stored permissions: %w", p.ID, err)
	}
	return p, nil
}

// packPermissions returns rules in Infisical's packed storage form.
func packPermissions(rs []rules.Rule) ([]byte, error) {
	b, err := rules.Pack(rs)
	if err != nil {
		return nil, fmt.Errorf("packing permissions: %w", err)
	}
	return b, nil
}

// parsePermissions reads stored permissions (packed, or the object form if someone wrote
// that); no rules is nil, as the validator leaves an empty list.
func parsePermissions(b []byte) ([]rules.Rule, error) {
	rs, err := rules.Parse(b)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return rs, nil
}

// temporaryCols are the five temporary columns of a grant or a privilege.
type temporaryCols struct {
	is         *bool // nil for the missing grant of a membership's outer join
	mode, rng  *string
	start, end *time.Time
}

func (t temporaryCols) value() store.Temporary {
	if t.is == nil || !*t.is {
		return store.Temporary{}
	}
	out := store.Temporary{IsTemporary: true, Start: utcPtr(t.start), End: utcPtr(t.end)}
	if t.mode != nil {
		out.Mode = *t.mode
	}
	if t.rng != nil {
		out.Range = *t.rng
	}
	return out
}

// temporaryArgs returns the five column values of t.
func temporaryArgs(t store.Temporary) []any {
	if !t.IsTemporary {
		return []any{false, nil, nil, nil, nil}
	}
	return []any{true, t.Mode, t.Range, t.Start, t.End}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// scanMemberships reads the rows of membershipSelect, ordered by membership and then by
// grant position, into memberships.
func scanMemberships(rows pgx.Rows) ([]store.Membership, error) {
	defer rows.Close()
	var out []store.Membership
	for rows.Next() {
		var (
			m               store.Membership
			gid, role, crID *string
			crName, crSlug  *string
			tmp             temporaryCols
		)
		if err := rows.Scan(&m.ID, &m.ProjectID, &m.IdentityID, &m.CreatedAt, &m.UpdatedAt, &m.Version,
			&gid, &role, &crID, &crName, &crSlug, &tmp.is, &tmp.mode, &tmp.rng, &tmp.start, &tmp.end); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != m.ID {
			m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
			out = append(out, m)
		}
		if gid == nil {
			continue // no grants (the validator never lets this happen)
		}
		g := store.RoleGrant{ID: *gid, Role: *role, Temporary: tmp.value()}
		if crID != nil {
			g.CustomRoleID = *crID
		}
		if crName != nil {
			g.CustomRoleName, g.CustomRoleSlug = *crName, *crSlug
		}
		last := &out[len(out)-1]
		last.Roles = append(last.Roles, g)
	}
	return out, rows.Err()
}

// one returns the single object a query finds, or notFound.
func one[T any](ctx context.Context, q querier, scan pgx.RowToFunc[T], notFound error, sql string, args ...any) (T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		var zero T
		return zero, readError(err)
	}
	v, err := pgx.CollectExactlyOneRow(rows, scan)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, notFound
	}
	return v, readError(err)
}

// list returns every object a query finds, in its order; an empty list is not nil.
func list[T any](ctx context.Context, q querier, scan pgx.RowToFunc[T], sql string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, readError(err)
	}
	out, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, readError(err)
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

// readError wraps a database error with the package name; errors of package store pass
// as they are.
func readError(err error) error {
	var se *store.Error
	if err == nil || errors.As(err, &se) {
		return err
	}
	return fmt.Errorf("pgstore: %w", err)
}

// Reads on a querier, shared by the Reader methods and by the Lookup of a write.

func getProject(ctx context.Context, q querier, id string) (store.Project, error) {
	return one(ctx, q, scanProject, store.NotFound(store.KindProject, id),
		`SELECT `+projectCols+` FROM warden_projects WHERE id = $1`, id)
}

func getIdentity(ctx context.Context, q querier, id string) (store.Identity, error) {
	return one(ctx, q, scanIdentity, store.NotFound(store.KindIdentity, id),
		`SELECT `+identityCols+` FROM warden_identities WHERE id = $1`, id)
}

func getRole(ctx context.Context, q querier, id string) (store.Role, error) {
	return one(ctx, q, scanRole, store.NotFound(store.KindRole, id),
		`SELECT `+roleCols+` FROM warden_roles WHERE id = $1`, id)
}

func getRoleBySlug(ctx context.Context, q querier, projectID, slug string) (store.Role, error) {
	return one(ctx, q, scanRole, store.NotFound(store.KindRole, slug),
		`SELECT `+roleCols+` FROM warden_roles WHERE project_id = $1 AND slug = $2`, projectID, slug)
}

func getMembership(ctx context.Context, q querier, projectID, identityID string) (store.Membership, error) {
	rows, err := q.Query(ctx, membershipSelect+` WHERE m.project_id = $1 AND m.identity_id = $2 ORDER BY g.position`, projectID, identityID)
	if err != nil {
		return store.Membership{}, readError(err)
	}
	ms, err := scanMemberships(rows)
	if err != nil {
		return store.Membership{}, readError(err)
	}
	if len(ms) == 0 {
		return store.Membership{}, store.NotFound(store.KindMembership, identityID)
	}
	return ms[0], nil
}

func getPrivilege(ctx context.Context, q querier, id string) (store.Privilege, error) {
	return one(ctx, q, scanPrivilege, store.NotFound(store.KindPrivilege, id),
		`SELECT `+privilegeCols+` FROM warden_additional_privileges WHERE id = $1`, id)
}

func getVersion(ctx context.Context, q querier) (uint64, error) {
	var v uint64
	if err := q.QueryRow(ctx, `SELECT version FROM warden_state`).Scan(&v); err != nil {
		return 0, readError(err)
	}
	return v, nil
}

// projectExists returns ErrNotFound for a missing project.
func projectExists(ctx context.Context, q querier, id string) error {
	var ok bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT FROM warden_projects WHERE id = $1)`, id).Scan(&ok); err != nil {
		return readError(err)
	}
	if !ok {
		return store.NotFound(store.KindProject, id)
	}
	return nil
}

// Reader.

// Snapshot returns the whole state at one version, read in one repeatable-read
// transaction; see store.Reader. Lists are in creation order.
func (s *Store) Snapshot(ctx context.Context) (*store.Snapshot, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, readError(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read only
	snap := &store.Snapshot{}
	if snap.Version, err = getVersion(ctx, tx); err != nil {
		return nil, err
	}
	if snap.Projects, err = list(ctx, tx, scanProject, `SELECT `+projectCols+` FROM warden_projects ORDER BY created_version`); err != nil {
		return nil, err
	}
	if snap.Identities, err = list(ctx, tx, scanIdentity, `SELECT `+identityCols+` FROM warden_identities ORDER BY created_version`); err != nil {
		return nil, err
	}
	if snap.Roles, err = list(ctx, tx, scanRole, `SELECT `+roleCols+` FROM warden_roles ORDER BY created_version`); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, membershipSelect+` ORDER BY m.created_version, g.position`)
	if err != nil {
		return nil, readError(err)
	}
	if snap.Memberships, err = scanMemberships(rows); err != nil {
		return nil, readError(err)
	}
	if snap.Memberships == nil {
		snap.Memberships = []store.Membership{}
	}
	if snap.Privileges, err = list(ctx, tx, scanPrivilege, `SELECT `+privilegeCols+` FROM warden_additional_privileges ORDER BY created_version`); err != nil {
		return nil, err
	}
	return snap, tx.Commit(ctx)
}

// Version returns the current store version.
func (s *Store) Version(ctx context.Context) (uint64, error) { return getVersion(ctx, s.pool) }

// Project returns the project with the given ID.
func (s *Store) Project(ctx context.Context, id string) (store.Project, error) {
	return getProject(ctx, s.pool, id)
}

// ProjectBySlug returns the project with the given slug.
func (s *Store) ProjectBySlug(ctx context.Context, slug string) (store.Project, error) {
	return one(ctx, s.pool, scanProject, store.NotFound(store.KindProject, slug),
		`SELECT `+projectCols+` FROM warden_projects WHERE slug = $1`, slug)
}

// Identity returns the identity with the given ID.
func (s *Store) Identity(ctx context.Context, id string) (store.Identity, error) {
	return getIdentity(ctx, s.pool, id)
}

// Role returns the custom role with the given ID.
func (s *Store) Role(ctx context.Context, id string) (store.Role, error) {
	return getRole(ctx, s.pool, id)
}

// RoleBySlug returns the project's custom role with the given slug.
func (s *Store) RoleBySlug(ctx context.Context, projectID, slug string) (store.Role, error) {
	return getRoleBySlug(ctx, s.pool, projectID, slug)
}

// Roles returns the project's custom roles sorted by slug (byte order).
func (s *Store) Roles(ctx context.Context, projectID string) ([]store.Role, error) {
	if err := projectExists(ctx, s.pool, projectID); err != nil {
		return nil, err
	}
	return list(ctx, s.pool, scanRole, `SELECT `+roleCols+` FROM warden_roles WHERE project_id = $1 ORDER BY slug`, projectID)
}

// Membership returns the identity's membership in the project.
func (s *Store) Membership(ctx context.Context, projectID, identityID string) (store.Membership, error) {
	return getMembership(ctx, s.pool, projectID, identityID)
}

// Memberships returns the project's memberships in creation order.
func (s *Store) Memberships(ctx context.Context, projectID string) ([]store.Membership, error) {
	if err := projectExists(ctx, s.pool, projectID); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, membershipSelect+` WHERE m.project_id = $1 ORDER BY m.created_version, g.position`, projectID)
	if err != nil {
		return nil, readError(err)
	}
	ms, err := scanMemberships(rows)
	if err != nil {
		return nil, readError(err)
	}
	if ms == nil {
		ms = []store.Membership{}
	}
	return ms, nil
}

// Privilege returns the additional privilege with the given ID.
func (s *Store) Privilege(ctx context.Context, id string) (store.Privilege, error) {
	return getPrivilege(ctx, s.pool, id)
}

// PrivilegeBySlug returns the identity's privilege in the project with the given slug.
func (s *Store) PrivilegeBySlug(ctx context.Context, projectID, identityID, slug string) (store.Privilege, error) {
	return one(ctx, s.pool, scanPrivilege, store.NotFound(store.KindPrivilege, slug),
		`SELECT `+privilegeCols+` FROM warden_additional_privileges WHERE project_id = $1 AND identity_id = $2 AND slug = $3`,
		projectID, identityID, slug)
}

// Privileges returns the identity's privileges in the project in creation order.
func (s *Store) Privileges(ctx context.Context, projectID, identityID string) ([]store.Privilege, error) {
	return list(ctx, s.pool, scanPrivilege,
		`SELECT `+privilegeCols+` FROM warden_additional_privileges WHERE project_id = $1 AND identity_id = $2 ORDER BY created_version`,
		projectID, identityID)
}
