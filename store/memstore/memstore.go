package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// Store is the in-memory store. The zero Store is not usable; call New.
//
// A Store is safe for concurrent use by multiple goroutines. Reads never block: they load
// the current immutable state with one atomic read. Writes are serialized; each builds a new
// state that shares everything it does not change with the old one (persistent trees, so a
// write costs O(log n), not a copy of the state), then publishes it atomically.
type Store struct {
	cur atomic.Pointer[state]

	mu sync.Mutex // serializes writes, including the delivery of their changes

	wmu      sync.Mutex // guards watchers
	watchers map[*watcher]struct{}

	clock     func() time.Time
	validator store.Validator
}

var _ store.Store = (*Store)(nil)

// An Option configures a Store.
type Option func(*Store)

// WithClock sets the clock that stamps createdAt and updatedAt (default time.Now). Stored
// times are truncated to the millisecond and converted to UTC. Validation never reads it.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.clock = now }
}

// WithCatalogue sets the catalogue permissions are validated against (default
// rules.Infisical()).
func WithCatalogue(c *rules.Catalogue) Option {
	return func(s *Store) { s.validator.Catalogue = c }
}

// New returns an empty store at version 0.
func New(opts ...Option) *Store {
	s := &Store{clock: time.Now, watchers: map[*watcher]struct{}{}}
	for _, o := range opts {
		o(s)
	}
	s.cur.Store(&state{})
	return s
}

// rec is a stored object with its creation sequence number, which orders lists. A rec and
// the object in it are never modified once stored.
type rec[T any] struct {
	v   T
	seq uint64
}

// state is the whole store at one version. It is immutable once published.
type state struct {
	version uint64
	seq     uint64 // last creation sequence number handed out

	projects      tree[*rec[store.Project]]    // id
	projectSlugs  tree[string]                 // slug → id
	identities    tree[*rec[store.Identity]]   // id
	roles         tree[*rec[store.Role]]       // id
	roleSlugs     tree[string]                 // project \0 slug → id
	roleUse       tree[int]                    // role id → memberships that grant it
	memberships   tree[*rec[store.Membership]] // project \0 identity
	membershipIDs tree[string]                 // id → project \0 identity
	memberOf      tree[string]                 // identity \0 project → membership id
	privileges    tree[*rec[store.Privilege]]  // id
	privOrder     tree[string]                 // project \0 identity \0 seq → id
	privSlugs     tree[string]                 // project \0 identity \0 slug → id
}

func key(parts ...string) string {
	n := len(parts) - 1
	for _, p := range parts {
		n += len(p)
	}
	b := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, p...)
	}
	return string(b)
}

func seqKey(seq uint64) string { return fmt.Sprintf("%016x", seq) }

// txn is one write in progress: a private copy of the state header (the trees are
// persistent, so copying it is O(1)) and the changes to deliver.
type txn struct {
	st      state
	now     time.Time
	version uint64 // the version of the last change recorded (at first, the state's)
	changes []store.Change
}

// next returns the version the next recorded change will have. A write sets it as the
// Version of the object it stores, then records the object's change.
func (tx *txn) next() uint64 { return tx.version + 1 }

func (tx *txn) nextSeq() uint64 {
	tx.st.seq++
	return tx.st.seq
}

// change records a change with the next version.
func (tx *txn) change(k store.Kind, deleted bool, projectID, identityID, id string) {
	tx.version++
	tx.changes = append(tx.changes, store.Change{Version: tx.version, Kind: k, Deleted: deleted, ProjectID: projectID, IdentityID: identityID, ID: id})
}

// write runs f on a private copy of the current state and, if f succeeds, publishes the
// result at the version of its last change and delivers its changes to the watchers before
// returning. If f fails, nothing is published.
func (s *Store) write(ctx context.Context, f func(tx *txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.cur.Load()
	tx := &txn{st: *cur, now: s.clock().UTC().Truncate(time.Millisecond), version: cur.version}
	if err := f(tx); err != nil {
		return err
	}
	tx.st.version = tx.version
	s.cur.Store(&tx.st)
	s.deliver(tx.changes)
	return nil
}

// read returns the current state, or ctx's error.
func (s *Store) read(ctx context.Context) (*state, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.cur.Load(), nil
}

// The Lookup the validator reads through: the state being written.

func (tx *txn) Project(id string) (store.Project, error) { return tx.st.project(id) }
func (tx *txn) Identity(id string) (store.Identity, error) {
	return tx.st.identity(id)
}
func (tx *txn) Role(id string) (store.Role, error) { return tx.st.role(id) }
func (tx *txn) RoleBySlug(projectID, slug string) (store.Role, error) {
	return tx.st.roleBySlug(projectID, slug)
}
func (tx *txn) Membership(projectID, identityID string) (store.Membership, error) {
	return tx.st.membership(projectID, identityID)
}

// Reads on a state. They return copies.

func (st *state) project(id string) (store.Project, error) {
	if r, ok := st.projects.Get(id); ok {
		return r.v, nil
	}
	return store.Project{}, store.NotFound(store.KindProject, id)
}

func (st *state) identity(id string) (store.Identity, error) {
	if r, ok := st.identities.Get(id); ok {
		return r.v.Clone(), nil
	}
	return store.Identity{}, store.NotFound(store.KindIdentity, id)
}

func (st *state) role(id string) (store.Role, error) {
	if r, ok := st.roles.Get(id); ok {
		return r.v.Clone(), nil
	}
	return store.Role{}, store.NotFound(store.KindRole, id)
}

func (st *state) roleBySlug(projectID, slug string) (store.Role, error) {
	if id, ok := st.roleSlugs.Get(key(projectID, slug)); ok {
		return st.role(id)
	}
	return store.Role{}, store.NotFound(store.KindRole, slug)
}

func (st *state) membership(projectID, identityID string) (store.Membership, error) {
	if r, ok := st.memberships.Get(key(projectID, identityID)); ok {
		return st.fill(r.v), nil
	}
	return store.Membership{}, store.NotFound(store.KindMembership, identityID)
}

// fill returns a copy of m with the current name and slug of each custom role it grants.
func (st *state) fill(m store.Membership) store.Membership {
	m = m.Clone()
	for i, g := range m.Roles {
		if g.CustomRoleID == "" {
			continue
		}
		if r, ok := st.roles.Get(g.CustomRoleID); ok {
			m.Roles[i].CustomRoleName, m.Roles[i].CustomRoleSlug = r.v.Name, r.v.Slug
		}
	}
	return m
}

func (st *state) privilege(id string) (store.Privilege, error) {
	if r, ok := st.privileges.Get(id); ok {
		return r.v.Clone(), nil
	}
	return store.Privilege{}, store.NotFound(store.KindPrivilege, id)
}

func (st *state) privilegesOf(projectID, identityID string) []store.Privilege {
	out := []store.Privilege{}
	st.privOrder.Ascend(key(projectID, identityID, ""), func(_ string, id string) bool {
		if r, ok := st.privileges.Get(id); ok {
			out = append(out, r.v.Clone())
		}
		return true
	})
	return out
}

// all returns the values of a tree in creation order.
func all[T any](t tree[*rec[T]], clone func(T) T) []T {
	recs := make([]*rec[T], 0, t.Len())
	t.Ascend("", func(_ string, r *rec[T]) bool {
		recs = append(recs, r)
		return true
	})
	slices.SortFunc(recs, func(a, b *rec[T]) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]T, len(recs))
	for i, r := range recs {
		out[i] = clone(r.v)
	}
	return out
}

func (st *state) snapshot() *store.Snapshot {
	return &store.Snapshot{
		Version:     st.version,
		Projects:    all(st.projects, func(p store.Project) store.Project { return p }),
		Identities:  all(st.identities, store.Identity.Clone),
		Roles:       all(st.roles, store.Role.Clone),
		Memberships: all(st.memberships, st.fill),
		Privileges:  all(st.privileges, store.Privilege.Clone),
	}
}

// Reader.

// Snapshot returns the whole state at the current version; see store.Reader. It does not
// block writers, and the caller owns the result.
func (s *Store) Snapshot(ctx context.Context) (*store.Snapshot, error) {
	st, err := s.read(ctx)
	if err != nil {
		return nil, err
	}
	return st.snapshot(), nil
}

// Version returns the current store version.
func (s *Store) Version(ctx context.Context) (uint64, error) {
	st, err := s.read(ctx)
	if err != nil {
		return 0, err
	}
	return st.version, nil
}

// Project returns the project with the given ID.
func (s *Store) Project(ctx context.Context, id string) (store.Project, error) {
	st, err := s.read(ctx)
	if err != nil {
		return store.Project{}, err
	}
	return st.project(id)
}

// ProjectBySlug returns the project with the given slug.
func (s *Store) ProjectBySlug(ctx context.Context, slug string) (store.Project, error) {
	st, err := s.read(ctx)
	if err != nil {
		return store.Project{}, err
	}
	if id, ok := st.projectSlugs.Get(slug); ok {
		return st.project(id)
	}
	return store.Project{}, store.NotFound(store.KindProject, slug)
}

// Identity returns the identity with the given ID.
func (s *Store) Identity(ctx context.Context, id string) (store.Identity, error) {
	st, err := s.read(ctx)
	if err != nil {
		return store.Identity{}, err
	}
	return st.identity(id)
}

// Role returns the custom role with the given ID.
func (s *Store) Role(ctx context.Context, id string) (store.Role, error) {
	st, err := s.read(ctx)
	if err != nil {
		return store.Role{}, err
	}
	return st.role(id)
}

// Membership returns the identity's membership in the project.
func (s *Store) Membership(ctx context.Context, projectID, identityID string) (store.Membership, error) {
	st, err := s.read(ctx)
	if err != nil {
		return store.Membership{}, err
	}
	return st.membership(projectID, identityID)
}

// Privileges returns the identity's privileges in the project in creation order.
func (s *Store) Privileges(ctx context.Context, projectID, identityID string) ([]store.Privilege, error) {
	st, err := s.read(ctx)
	if err != nil {
		return nil, err
	}
	return st.privilegesOf(projectID, identityID), nil
}

// RoleBySlug returns the project's custom role with the given slug.
func (s *Store) RoleBySlug(ctx context.Context, projectID, slug string) (store.Role, error) {
	st, err := s.read(ctx)
	if err != nil {
		return store.Role{}, err
	}
	return st.roleBySlug(projectID, slug)
}

// Roles returns the project's custom roles sorted by slug.
func (s *Store) Roles(ctx context.Context, projectID string) ([]store.Role, error) {
	st, err := s.read(ctx)
	if err != nil {
		return nil, err
	}
	if !st.projects.Has(projectID) {
		return nil, store.NotFound(store.KindProject, projectID)
	}
	out := []store.Role{}
	st.roleSlugs.Ascend(key(projectID, ""), func(_ string, id string) bool {
		if r, ok := st.roles.Get(id); ok {
			out = append(out, r.v.Clone())
		}
		return true
	})
	return out, nil
}

// Memberships returns the project's memberships in creation order.
func (s *Store) Memberships(ctx context.Context, projectID string) ([]store.Membership, error) {
	st, err := s.read(ctx)
	if err != nil {
		return nil, err
	}
	if !st.projects.Has(projectID) {
		return nil, store.NotFound(store.KindProject, projectID)
	}
	var recs []*rec[store.Membership]
	st.memberships.Ascend(key(projectID, ""), func(_ string, r *rec[store.Membership]) bool {
		recs = append(recs, r)
		return true
	})
	slices.SortFunc(recs, func(a, b *rec[store.Membership]) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]store.Membership, len(recs))
	for i, r := range recs {
		out[i] = st.fill(r.v)
	}
	return out, nil
}

// Privilege returns the additional privilege with the given ID.
func (s *Store) Privilege(ctx context.Context, id string) (store.Privilege, error) {
	st, err := s.read(ctx)
	if err != nil {
		return store.Privilege{}, err
	}
	return st.privilege(id)
}

// PrivilegeBySlug returns the identity's privilege in the project with the given slug.
func (s *Store) PrivilegeBySlug(ctx context.Context, projectID, identityID, slug string) (store.Privilege, error) {
	st, err := s.read(ctx)
	if err != nil {
		return store.Privilege{}, err
	}
	if id, ok := st.privSlugs.Get(key(projectID, identityID, slug)); ok {
		return st.privilege(id)
	}
	return store.Privilege{}, store.NotFound(store.KindPrivilege, slug)
}
