package store

import (
	"context"
	"slices"
	"strconv"
)

// Reader is what the engine needs from a store: the whole state at one version, the current
// version, a feed of changes, and point reads.
//
// Every method is safe for concurrent use. Returned values are the caller's: the store keeps
// no reference to them, and modifying them changes nothing in the store.
type Reader interface {
	// Snapshot returns the whole state at one version, each kind of object in creation
	// order.
	Snapshot(ctx context.Context) (*Snapshot, error)

	// Version returns the current store version: the version of the last committed
	// change. It is 0 for an empty store and only grows.
	Version(ctx context.Context) (uint64, error)

	// Watch arranges for fn to be called, in version order, for every change committed
	// after Watch returns, until ctx is done. It returns once fn is registered; it does not
	// block until ctx is done. To see every change on top of a snapshot, call Watch first,
	// then Snapshot, and ignore changes whose Version is not above the snapshot's.
	//
	// Every change has its own version, one above the previous change's: the versions a
	// watcher sees are consecutive, so a gap means a missed change. A write that changes
	// several objects (a cascading delete) delivers one Change per object, dependents
	// first (privileges, then memberships, then roles) and the object deleted last. A Change
	// with Reset set means "reload everything": the store replaced its state wholesale
	// (memstore's Load), or a store that lost track of changes cannot say what changed.
	//
	// Each store documents on which goroutine fn runs; fn must not write to the store.
	// Watch returns an error only if it cannot start watching (ctx already done, say).
	Watch(ctx context.Context, fn func(Change)) error

	// Project returns the project with the given ID, or ErrNotFound.
	Project(ctx context.Context, id string) (Project, error)
	// ProjectBySlug returns the project with the given slug, or ErrNotFound.
	ProjectBySlug(ctx context.Context, slug string) (Project, error)
	// Identity returns the identity with the given ID, or ErrNotFound.
	Identity(ctx context.Context, id string) (Identity, error)
	// Role returns the custom role with the given ID, or ErrNotFound.
	Role(ctx context.Context, id string) (Role, error)
	// Membership returns the identity's membership in the project, or ErrNotFound.
	Membership(ctx context.Context, projectID, identityID string) (Membership, error)
	// Privileges returns the identity's additional privileges in the project in creation
	// order, which is the order the engine assembles them in. It returns an empty list, not
	// ErrNotFound, when there are none (or no such project or identity).
	Privileges(ctx context.Context, projectID, identityID string) ([]Privilege, error)
}

// Store is a Reader with the writes Infisical's REST API needs. store/memstore and
// store/pgstore implement it, and store/storetest checks an implementation against this
// contract.
//
// # Writes
//
// Every write validates its input as described in the package documentation, then commits
// atomically or not at all: a rejected write changes nothing, not even the version. A
// committed write advances the store version by the number of changes it makes: by one,
// except for a cascading delete, which makes one change per object it deletes. The object
// a Create or Update stores carries the version of its change, and an UpdatedAt from the
// store's clock; Create also sets CreatedAt.
//
// Create methods take the object without Version, CreatedAt and UpdatedAt (they are
// ignored). An empty ID is replaced by a random UUID; a given ID must be well formed (see
// ValidID) and unused (else ErrDuplicate). Role grant IDs are always assigned by the store,
// on every write of a membership's roles, as Infisical re-inserts the rows.
//
// Update and Delete methods take the version the caller read: the write fails with ErrStale
// unless it equals the object's stored version. There is no "don't check" value: 0 is never
// a stored version, so it is always stale. Update methods replace every writable field
// (IDs, the parent IDs and CreatedAt stay): to patch, read, modify and write back.
//
// Errors match these sentinels with errors.Is: ErrNotFound (the object updated or deleted
// does not exist), ErrInvalid (ValidationErrors, one *ValidationError per problem; a
// missing object the input refers to, such as the project of a new role or a custom role of
// a grant, is a problem with CodeNotFound, so that its field is named), ErrDuplicate and
// ErrStale (both ErrConflict), ErrInUse (deleting a role that memberships hold). The order
// of checks is: the object exists, its version is current, the input is valid, unique keys
// are free. Other errors (a canceled ctx, an I/O error) come through as they are.
type Store interface {
	Reader

	// CreateProject stores a new project. Its slug must be unused.
	CreateProject(ctx context.Context, p Project) (Project, error)
	// UpdateProject changes a project's slug and name.
	UpdateProject(ctx context.Context, p Project) (Project, error)
	// DeleteProject deletes a project with its roles, memberships and privileges.
	DeleteProject(ctx context.Context, id string, version uint64) (Project, error)

	// CreateIdentity stores a new identity.
	CreateIdentity(ctx context.Context, i Identity) (Identity, error)
	// UpdateIdentity changes an identity's name, auth method and metadata.
	UpdateIdentity(ctx context.Context, i Identity) (Identity, error)
	// DeleteIdentity deletes an identity with its memberships and privileges.
	DeleteIdentity(ctx context.Context, id string, version uint64) (Identity, error)

	// CreateRole stores a new custom role in r.ProjectID, which must exist.
	CreateRole(ctx context.Context, r Role) (Role, error)
	// UpdateRole changes the slug, name, description and permissions of the role r.ID.
	// r.ProjectID may be empty; if set and not the role's project, the role is not found
	// (ErrNotFound), as Infisical answers. r.Version must equal the stored version.
	UpdateRole(ctx context.Context, r Role) (Role, error)
	// DeleteRole deletes a custom role, unless a membership holds it (ErrInUse).
	DeleteRole(ctx context.Context, projectID, id string, version uint64) (Role, error)
	// RoleBySlug returns the project's custom role with the given slug, or ErrNotFound.
	RoleBySlug(ctx context.Context, projectID, slug string) (Role, error)
	// Roles returns the project's custom roles sorted by slug, as Infisical lists them;
	// ErrNotFound if the project does not exist.
	Roles(ctx context.Context, projectID string) ([]Role, error)

	// CreateMembership makes m.IdentityID a member of m.ProjectID with m.Roles.
	CreateMembership(ctx context.Context, m Membership) (Membership, error)
	// UpdateMembershipRoles replaces a membership's roles.
	UpdateMembershipRoles(ctx context.Context, projectID, identityID string, roles []RoleGrant, version uint64) (Membership, error)
	// DeleteMembership deletes a membership and the identity's privileges in the project.
	DeleteMembership(ctx context.Context, projectID, identityID string, version uint64) (Membership, error)
	// Memberships returns the project's memberships in creation order; ErrNotFound if the
	// project does not exist.
	Memberships(ctx context.Context, projectID string) ([]Membership, error)

	// CreatePrivilege stores an additional privilege. The identity must be a member of the
	// project. An empty Slug is replaced by a random one (see RandomSlug).
	CreatePrivilege(ctx context.Context, p Privilege) (Privilege, error)
	// UpdatePrivilege changes the slug, permissions and temporary settings of privilege
	// p.ID. p.ProjectID and p.IdentityID may be empty; if set, they must be the stored ones.
	UpdatePrivilege(ctx context.Context, p Privilege) (Privilege, error)
	// DeletePrivilege deletes an additional privilege.
	DeletePrivilege(ctx context.Context, id string, version uint64) (Privilege, error)
	// Privilege returns the additional privilege with the given ID, or ErrNotFound.
	Privilege(ctx context.Context, id string) (Privilege, error)
	// PrivilegeBySlug returns the identity's privilege in the project with the given slug,
	// or ErrNotFound.
	PrivilegeBySlug(ctx context.Context, projectID, identityID, slug string) (Privilege, error)
}

// A Snapshot is the whole state of a store at one version. Each list is in creation order.
// Its JSON form is the snapshot file format (see DecodeSnapshot).
type Snapshot struct {
	Version     uint64
	Projects    []Project
	Identities  []Identity
	Roles       []Role
	Memberships []Membership
	Privileges  []Privilege
}

// A Change says that one object changed, and the store version the change made. Watchers
// use it to invalidate exactly what depends on the object.
//
// ID is the object's ID. ProjectID is set for every kind but KindIdentity (for KindProject
// it equals ID); IdentityID is set for KindIdentity (equal to ID), KindMembership and
// KindPrivilege. Deleted says the object is gone. A Change with Reset set carries only
// Version: everything may have changed.
type Change struct {
	Version    uint64
	Kind       Kind
	Deleted    bool
	ProjectID  string
	IdentityID string
	ID         string
	Reset      bool
}

// A Kind is a kind of stored object.
type Kind uint8

// The kinds of objects. The zero Kind is no kind (a Reset change has it).
const (
	KindProject Kind = iota + 1
	KindIdentity
	KindRole
	KindMembership
	KindPrivilege
)

var kindNames = [...]string{"", "project", "identity", "role", "membership", "privilege"}

// String returns the kind's name in lower case: "project", "identity", ...
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// RoleCustom is the Role of a grant of a custom role.
const RoleCustom = "custom"

// ReservedSlugs are Infisical's built-in project role slugs (ProjectMembershipRole). A
// custom role cannot take one.
var ReservedSlugs = []string{"admin", "member", "custom", "viewer", "no-access", "ssh-host-bootstrapper", "cryptographic-operator"}

// BuiltinRoles are the built-in roles a membership may grant by slug: the reserved slugs
// but "custom". Whether the engine knows a role's rules (ssh-host-bootstrapper is gone from
// Infisical's newest code) is the engine's business; an unknown role never grants.
var BuiltinRoles = []string{"admin", "member", "viewer", "no-access", "ssh-host-bootstrapper", "cryptographic-operator"}

// IsReservedSlug reports whether slug is one of ReservedSlugs.
func IsReservedSlug(slug string) bool { return slices.Contains(ReservedSlugs, slug) }

// IsBuiltinRole reports whether role is one of BuiltinRoles.
func IsBuiltinRole(role string) bool { return slices.Contains(BuiltinRoles, role) }
