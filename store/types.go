package store

import (
	"slices"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/temporal"
)

// A Project is an Infisical project: the scope of roles, memberships and privileges.
// Its Slug is unique in the store.
type Project struct {
	ID        string
	Slug      string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   uint64 // the store version of the project's last write
}

// An Identity is a machine identity: the actor permissions are decided for.
// Metadata is what rule templates read as {{identity.metadata.KEY}}; Name is
// {{identity.username}}.
type Identity struct {
	ID         string
	Name       string
	AuthMethod string // e.g. "universal-auth"; informational
	Metadata   []IdentityMetadata
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    uint64
}

// IdentityMetadata is one key/value pair of an identity's metadata. Keys are unique per
// identity.
type IdentityMetadata struct {
	Key   string
	Value string
}

// A Role is a custom project role: a named, reusable list of permission rules. The built-in
// roles (admin, member, viewer, ...) are not stored; they are data of the engine, and their
// slugs are reserved (see ReservedSlugs).
type Role struct {
	ID          string
	ProjectID   string
	Slug        string // unique within the project
	Name        string
	Description string
	Permissions []rules.Rule
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     uint64
}

// A Membership makes an identity a member of a project with one or more roles. There is at
// most one membership per (project, identity).
type Membership struct {
	ID         string
	ProjectID  string
	IdentityID string
	Roles      []RoleGrant // in grant order, which is assembly order
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    uint64
}

// A RoleGrant is one role of a membership, permanent or temporary.
//
// Role is a built-in slug (see BuiltinRoles) or "custom". For a custom role, CustomRoleID
// names the role; CustomRoleName and CustomRoleSlug are the role's current name and slug,
// filled in by the store on every read (they follow a renamed role). On write, a custom role
// may be named by CustomRoleID (which wins), by CustomRoleSlug, or by putting its slug in
// Role (as Infisical's API accepts {"role": "my-role"}); the store stores Role "custom" and
// the ID, and ignores a CustomRoleName given on write.
type RoleGrant struct {
	ID             string
	Role           string
	CustomRoleID   string
	CustomRoleName string
	CustomRoleSlug string
	Temporary
}

// IsCustom reports whether g grants a custom role.
func (g RoleGrant) IsCustom() bool { return g.Role == RoleCustom }

// A Privilege is an identity's additional privilege in a project: permission rules that
// apply to that identity alone, permanently or for a while. An identity must be a member of
// the project to hold one. Slugs are unique per (project, identity).
type Privilege struct {
	ID          string
	Slug        string
	ProjectID   string
	IdentityID  string
	Permissions []rules.Rule
	Temporary
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   uint64
}

// ModeRelative is the only temporary mode Infisical has: the grant lasts Range from Start.
const ModeRelative = "relative"

// Temporary says whether and when a role grant or privilege is active. It mirrors
// Infisical's five columns isTemporary, temporaryMode, temporaryRange,
// temporaryAccessStartTime and temporaryAccessEndTime.
//
// A permanent grant (IsTemporary false) has the other fields empty: the store clears them.
// A temporary grant has Mode "relative", a Range in the ms grammar ("1h", "2 days") and a
// Start; the store computes End as temporal's Range.End(Start) and ignores an End given on
// write. Stored times are UTC with millisecond precision, as JavaScript dates have.
type Temporary struct {
	IsTemporary bool
	Mode        string
	Range       string
	Start       *time.Time
	End         *time.Time
}

// Grant returns when t is active, for the temporal package.
func (t Temporary) Grant() temporal.Grant {
	g := temporal.Grant{Temporary: t.IsTemporary}
	if !t.IsTemporary {
		return g
	}
	if t.Start != nil {
		g.Start = *t.Start
	}
	if t.End != nil {
		g.End = *t.End
	}
	return g
}

func (t Temporary) clone() Temporary {
	t.Start = cloneTime(t.Start)
	t.End = cloneTime(t.End)
	return t
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// Clone returns a deep copy of i.
func (i Identity) Clone() Identity {
	i.Metadata = slices.Clone(i.Metadata)
	return i
}

// Clone returns a deep copy of r (rule conditions are immutable and shared).
func (r Role) Clone() Role {
	r.Permissions = cloneRules(r.Permissions)
	return r
}

// Clone returns a deep copy of m.
func (m Membership) Clone() Membership {
	if m.Roles != nil {
		rs := make([]RoleGrant, len(m.Roles))
		for i, g := range m.Roles {
			g.Temporary = g.Temporary.clone()
			rs[i] = g
		}
		m.Roles = rs
	}
	return m
}

// Clone returns a deep copy of p (rule conditions are immutable and shared).
func (p Privilege) Clone() Privilege {
	p.Permissions = cloneRules(p.Permissions)
	p.Temporary = p.Temporary.clone()
	return p
}

// Clone returns a deep copy of s.
func (s *Snapshot) Clone() *Snapshot {
	c := &Snapshot{
		Version:     s.Version,
		Projects:    slices.Clone(s.Projects),
		Identities:  make([]Identity, len(s.Identities)),
		Roles:       make([]Role, len(s.Roles)),
		Memberships: make([]Membership, len(s.Memberships)),
		Privileges:  make([]Privilege, len(s.Privileges)),
	}
	for i, x := range s.Identities {
		c.Identities[i] = x.Clone()
	}
	for i, x := range s.Roles {
		c.Roles[i] = x.Clone()
	}
	for i, x := range s.Memberships {
		c.Memberships[i] = x.Clone()
	}
	for i, x := range s.Privileges {
		c.Privileges[i] = x.Clone()
	}
	return c
}

func cloneRules(rs []rules.Rule) []rules.Rule {
	if rs == nil {
		return nil
	}
	out := make([]rules.Rule, len(rs))
	for i, r := range rs {
		out[i] = r.Clone()
	}
	return out
}
