package store

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/temporal"
)

// Lookup is the read access validation needs to the state a write would commit on: does the
// project exist, which custom role does a grant name, is the identity a member. A store
// implements it over its state as of the write (memstore: the state being built; a SQL
// store: its transaction). Each method returns an error matching ErrNotFound when there is
// no such object; any other error aborts the validation and is returned as it is.
type Lookup interface {
	Project(id string) (Project, error)
	Identity(id string) (Identity, error)
	Role(id string) (Role, error)
	RoleBySlug(projectID, slug string) (Role, error)
	Membership(projectID, identityID string) (Membership, error)
}

// A Validator checks the objects of a write as Infisical's schemas and services do, and
// normalizes them: it trims slugs and names, resolves custom role grants, computes the end
// of temporary grants. It returns a normalized copy and never modifies its argument. Every store runs the same Validator before it commits, so every
// store accepts and rejects the same writes. It reads no clock.
//
// Each method reports every problem at once as ValidationErrors (matching ErrInvalid),
// with Object set to the kind of object and Field to the offending field. It does not check
// uniqueness (ErrDuplicate) or versions (ErrStale): those are the store's, at commit.
//
// The zero Validator checks permissions against Infisical's catalogue.
type Validator struct {
	// Catalogue is what permissions are validated against; nil means rules.Infisical().
	Catalogue *rules.Catalogue
}

// Slug lengths, as Infisical's routes declare them. Infisical gives no bound for project
// slugs that applies to every route; warden takes the role bound.
const (
	MaxRoleSlug      = 64
	MaxPrivilegeSlug = 60
	MaxProjectSlug   = 64
	maxID            = 128
)

// The messages Infisical answers with, where warden reports the same problem.
const (
	msgReserved          = "Please choose a different slug, the slug you have entered is reserved"
	msgSlugFormat        = "Slug field can only contain lowercase letters, numbers, and hyphens"
	msgPermanent         = "Identity must have at least one permanent role"
	msgRoleTemporary     = "Temporary role must have access start time and range"
	msgPrivTemporary     = "Temporary mode expects start time and range"
	msgRange             = "Temporary range must be a positive number"
	msgRangeEmpty        = "Invalid date format string"
	msgCustomRoles       = "One or more custom roles not found"
	msgRequired          = "String must contain at least 1 character(s)"
	msgPrivMembership    = "Project membership for identity %s not found"
	msgProjectNotFound   = "Project with id %s not found"
	msgIdentityNotFound  = "Identity with id %s not found"
	msgCustomRoleMissing = "A custom role grant names its role by customRoleId or customRoleSlug"
)

// ValidID reports whether id can be an object ID: 1 to 128 ASCII letters, digits, '.', '_',
// ':' or '-'. UUIDs qualify; so do readable fixture IDs such as "role-1".
func ValidID(id string) bool {
	if id == "" || len(id) > maxID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// ValidSlug reports whether s is a slug Infisical accepts: 1 to max characters, lowercase
// ASCII letters and digits in groups separated by single hyphens. That is what
// @sindresorhus/slugify leaves unchanged, which Infisical's slugSchema requires.
func ValidSlug(s string, max int) bool {
	return s != "" && len(s) <= max && slugFormat(s)
}

func slugFormat(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// NewID returns a random (version 4) UUID, the form of the IDs stores assign.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// RandomSlug returns a random 8-character slug of lowercase letters and digits. Stores give
// it to a privilege created without a slug, as Infisical gives a slugified nanoid.
func RandomSlug() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b [8]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)] // 256 % 36 bias is harmless for a default name
	}
	return string(b[:])
}

func (p *problems) id(id string) {
	if id != "" && !ValidID(id) {
		p.add("id", CodeID, nil, "id %q is not 1-%d ASCII letters, digits, '.', '_', ':' or '-'", id, maxID)
	}
}

// slug checks a slug the way slugSchema does, which reports the length and the format
// separately.
func (p *problems) slug(field, s string, max int) {
	switch n := len([]rune(s)); {
	case n == 0:
		p.add(field, CodeSlugLength, nil, "Slug field must be at least 1 lowercase character(s)")
		return
	case n > max:
		p.add(field, CodeSlugLength, nil, "Slug field must be at most %d lowercase character(s)", max)
	}
	if !slugFormat(s) {
		p.add(field, CodeSlug, nil, msgSlugFormat)
	}
}

func (p *problems) required(field, s string) {
	if s == "" {
		p.add(field, CodeRequired, nil, msgRequired)
	}
}

// text checks that s can be stored by every store: valid UTF-8 without NUL characters
// (PostgreSQL's text type holds neither).
func (p *problems) text(field, s string) {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		p.add(field, CodeText, nil, "%s must be valid UTF-8 without NUL characters", field)
	}
}

// lookupErr turns a Lookup result into a problem (not found) or a fatal error (anything
// else). It reports whether the object was found.
func (p *problems) lookupErr(err error, field, format string, args ...any) (found bool, fatal error) {
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNotFound):
		p.add(field, CodeNotFound, nil, format, args...)
		return false, nil
	}
	return false, err
}

// Project checks a project: a well-formed ID if set, a slug of 1-64 characters, a name.
// It trims the slug and the name.
func (v Validator) Project(x Project) (Project, error) {
	p := problems{object: KindProject.String()}
	v.project(&x, &p)
	return x, p.err()
}

func (v Validator) project(x *Project, p *problems) {
	x.Slug = strings.TrimSpace(x.Slug)
	x.Name = strings.TrimSpace(x.Name)
	p.id(x.ID)
	p.slug("slug", x.Slug, MaxProjectSlug)
	p.required("name", x.Name)
	p.text("name", x.Name)
}

// Identity checks an identity: a well-formed ID if set, a name, and metadata with
// non-empty, unique keys. It trims the name and the keys.
func (v Validator) Identity(x Identity) (Identity, error) {
	p := problems{object: KindIdentity.String()}
	x = x.Clone()
	v.identity(&x, &p)
	return x, p.err()
}

func (v Validator) identity(x *Identity, p *problems) {
	x.Name = strings.TrimSpace(x.Name)
	p.id(x.ID)
	p.required("name", x.Name)
	p.text("name", x.Name)
	p.text("authMethod", x.AuthMethod)
	seen := map[string]bool{}
	for i, m := range x.Metadata {
		m.Key = strings.TrimSpace(m.Key)
		x.Metadata[i] = m
		field := fmt.Sprintf("metadata[%d].key", i)
		p.text(field, m.Key)
		p.text(fmt.Sprintf("metadata[%d].value", i), m.Value)
		switch {
		case m.Key == "":
			p.required(field, m.Key)
		case seen[m.Key]:
			p.add(field, CodeDuplicate, nil, "metadata key %q appears twice", m.Key)
		}
		seen[m.Key] = true
	}
}

// Role checks a custom role: a well-formed ID if set, an existing project, a slug of 1-64
// characters that is not reserved (ReservedSlugs), a name, and permissions the catalogue
// accepts (each problem under "permissions[i]..."). It trims the slug and the name.
func (v Validator) Role(x Role, l Lookup) (Role, error) {
	p := problems{object: KindRole.String()}
	x = x.Clone()
	if err := v.role(&x, l, &p); err != nil {
		return x, err
	}
	return x, p.err()
}

func (v Validator) role(x *Role, l Lookup, p *problems) error {
	x.Slug = strings.TrimSpace(x.Slug)
	x.Name = strings.TrimSpace(x.Name)
	p.id(x.ID)
	if x.ProjectID == "" {
		p.required("projectId", x.ProjectID)
	} else if _, err := l.Project(x.ProjectID); err != nil {
		if _, fatal := p.lookupErr(err, "projectId", msgProjectNotFound, x.ProjectID); fatal != nil {
			return fatal
		}
	}
	p.slug("slug", x.Slug, MaxRoleSlug)
	if IsReservedSlug(x.Slug) {
		p.add("slug", CodeReserved, nil, msgReserved)
	}
	p.required("name", x.Name)
	p.text("name", x.Name)
	p.text("description", x.Description)
	v.permissions(x.Permissions, p)
	return nil
}

func (v Validator) permissions(rs []rules.Rule, p *problems) {
	if err := rules.Validate(rs, v.Catalogue); err != nil {
		addRuleErrors(p, "permissions", err)
	}
}

// Membership checks a membership and resolves its grants. The project and the identity
// must exist. Roles must hold at least one permanent grant. Each grant names a built-in role
// (BuiltinRoles), or a custom role of the same project by CustomRoleID, by CustomRoleSlug
// (with Role "custom" or empty), or by its slug in Role; the result has Role "custom" and
// CustomRoleID, CustomRoleName and CustomRoleSlug of the role, and a built-in grant has them
// empty. A temporary grant needs mode "relative", a range ParseRange accepts and a start;
// the result's start is truncated to the millisecond in UTC and its End is Range.End(start).
// A permanent grant's temporary fields are cleared. Grant IDs are kept as given (checked if
// set): stores replace them on writes.
func (v Validator) Membership(x Membership, l Lookup) (Membership, error) {
	p := problems{object: KindMembership.String()}
	if err := v.membership(&x, l, &p); err != nil {
		return x, err
	}
	return x, p.err()
}

func (v Validator) membership(x *Membership, l Lookup, p *problems) error {
	p.id(x.ID)
	projectOK, err := v.parent(x.ProjectID, x.IdentityID, l, p)
	if err != nil {
		return err
	}
	x.Roles, err = v.grants(x.ProjectID, projectOK, x.Roles, l, p)
	return err
}

// parent checks that a project and an identity exist; it reports whether the project does.
func (v Validator) parent(projectID, identityID string, l Lookup, p *problems) (projectOK bool, err error) {
	if projectID == "" {
		p.required("projectId", projectID)
	} else if _, lerr := l.Project(projectID); lerr != nil {
		if _, err := p.lookupErr(lerr, "projectId", msgProjectNotFound, projectID); err != nil {
			return false, err
		}
	} else {
		projectOK = true
	}
	if identityID == "" {
		p.required("identityId", identityID)
	} else if _, lerr := l.Identity(identityID); lerr != nil {
		if _, err := p.lookupErr(lerr, "identityId", msgIdentityNotFound, identityID); err != nil {
			return false, err
		}
	}
	return projectOK, nil
}

// Grants checks and resolves a membership's roles as Membership does, for
// UpdateMembershipRoles. Problems are reported under "roles[i]...", with Object
// "membership".
func (v Validator) Grants(projectID string, gs []RoleGrant, l Lookup) ([]RoleGrant, error) {
	p := problems{object: KindMembership.String()}
	out, err := v.grants(projectID, true, gs, l, &p)
	if err != nil {
		return out, err
	}
	return out, p.err()
}

func (v Validator) grants(projectID string, projectOK bool, gs []RoleGrant, l Lookup, p *problems) ([]RoleGrant, error) {
	out := make([]RoleGrant, len(gs))
	permanent := false
	for i, g := range gs {
		prefix := fmt.Sprintf("roles[%d].", i)
		if g.ID != "" && !ValidID(g.ID) {
			p.add(prefix+"id", CodeID, nil, "id %q is not 1-%d ASCII letters, digits, '.', '_', ':' or '-'", g.ID, maxID)
		}
		r := RoleGrant{ID: g.ID, Role: strings.TrimSpace(g.Role)}
		var (
			role  Role
			field string
			lerr  error
		)
		switch {
		case IsBuiltinRole(r.Role):
		case r.Role == RoleCustom || r.Role == "" && (g.CustomRoleID != "" || g.CustomRoleSlug != ""):
			switch {
			case g.CustomRoleID != "":
				field = prefix + "customRoleId"
				if projectOK {
					role, lerr = l.Role(g.CustomRoleID)
					if lerr == nil && role.ProjectID != projectID {
						lerr = NotFound(KindRole, g.CustomRoleID)
					}
				}
			case g.CustomRoleSlug != "":
				field = prefix + "customRoleSlug"
				if projectOK {
					role, lerr = l.RoleBySlug(projectID, strings.TrimSpace(g.CustomRoleSlug))
				}
			default:
				p.add(prefix+"customRoleId", CodeRequired, nil, msgCustomRoleMissing)
			}
		case r.Role == "":
			p.add(prefix+"role", CodeRequired, nil, msgRequired)
		default: // a custom role's slug in Role, as Infisical's API accepts
			field = prefix + "role"
			if projectOK {
				role, lerr = l.RoleBySlug(projectID, r.Role)
			}
		}
		if field != "" && projectOK {
			found, err := p.lookupErr(lerr, field, msgCustomRoles)
			if err != nil {
				return out, err
			}
			if found {
				r.Role, r.CustomRoleID, r.CustomRoleName, r.CustomRoleSlug = RoleCustom, role.ID, role.Name, role.Slug
			}
		}
		r.Temporary = temporary(g.Temporary, prefix, msgRoleTemporary, p)
		if !g.IsTemporary {
			permanent = true
		}
		out[i] = r
	}
	if !permanent {
		p.add("roles", CodePermanent, nil, msgPermanent)
	}
	return out, nil
}

// temporary checks and normalizes the temporary fields of a grant or privilege.
func temporary(t Temporary, prefix, incomplete string, p *problems) Temporary {
	if !t.IsTemporary {
		return Temporary{}
	}
	ok := true
	if t.Mode == "" {
		p.add(prefix+"temporaryMode", CodeTemporary, nil, "%s", incomplete)
		ok = false
	} else if t.Mode != ModeRelative {
		p.add(prefix+"temporaryMode", CodeMode, nil, "Invalid enum value. Expected 'relative', received '%s'", t.Mode)
		ok = false
	}
	var rng temporal.Range
	if t.Range == "" {
		p.add(prefix+"temporaryRange", CodeTemporary, nil, "%s", incomplete)
		ok = false
	} else {
		var err error
		if rng, err = temporal.ParseRange(t.Range); err != nil {
			msg := msgRange
			var te *temporal.Error
			if errors.As(err, &te) && te.Code == temporal.ErrEmpty {
				msg = msgRangeEmpty
			}
			p.add(prefix+"temporaryRange", CodeRange, err, "%s", msg)
			ok = false
		}
	}
	if t.Start == nil {
		p.add(prefix+"temporaryAccessStartTime", CodeTemporary, nil, "%s", incomplete)
		ok = false
	} else if !fourDigitYear(*t.Start) {
		p.add(prefix+"temporaryAccessStartTime", CodeTime, nil, "Invalid datetime: the year must have four digits")
		ok = false
	}
	if !ok {
		return t
	}
	start := t.Start.UTC().Truncate(time.Millisecond)
	end, err := rng.End(start)
	if err != nil {
		p.add(prefix+"temporaryRange", CodeRange, err, "%v", err)
		return t
	}
	end = end.UTC()
	if !fourDigitYear(end) {
		p.add(prefix+"temporaryRange", CodeRange, nil, "The temporary access would end after the year 9999")
		return t
	}
	return Temporary{IsTemporary: true, Mode: ModeRelative, Range: t.Range, Start: &start, End: &end}
}

// Privilege checks an additional privilege: a well-formed ID if set, a slug of 1-60
// characters, an identity that is a member of the project, permissions the catalogue
// accepts, and temporary fields as Membership checks a grant's. It trims the slug. A store
// gives an empty slug a RandomSlug before it calls Privilege.
func (v Validator) Privilege(x Privilege, l Lookup) (Privilege, error) {
	p := problems{object: KindPrivilege.String()}
	x = x.Clone()
	if err := v.privilege(&x, l, &p); err != nil {
		return x, err
	}
	return x, p.err()
}

func (v Validator) privilege(x *Privilege, l Lookup, p *problems) error {
	x.Slug = strings.TrimSpace(x.Slug)
	p.id(x.ID)
	p.slug("slug", x.Slug, MaxPrivilegeSlug)
	n := len(p.list)
	projectOK, err := v.parent(x.ProjectID, x.IdentityID, l, p)
	if err != nil {
		return err
	}
	if projectOK && len(p.list) == n { // project and identity exist
		if _, lerr := l.Membership(x.ProjectID, x.IdentityID); lerr != nil {
			if _, err := p.lookupErr(lerr, "identityId", msgPrivMembership, x.IdentityID); err != nil {
				return err
			}
		}
	}
	v.permissions(x.Permissions, p)
	x.Temporary = temporary(x.Temporary, "", msgPrivTemporary, p)
	return nil
}

// PrivilegeUpdate checks an update of the stored privilege old to x. x.ProjectID and
// x.IdentityID may be empty; if set, they must be old's (a privilege does not move:
// CodeImmutable). Otherwise it checks x as Privilege does, in old's project and identity.
func (v Validator) PrivilegeUpdate(old, x Privilege, l Lookup) (Privilege, error) {
	p := problems{object: KindPrivilege.String()}
	if x.ProjectID != "" && x.ProjectID != old.ProjectID {
		p.add("projectId", CodeImmutable, nil, "A privilege cannot move to another project")
	}
	if x.IdentityID != "" && x.IdentityID != old.IdentityID {
		p.add("identityId", CodeImmutable, nil, "A privilege cannot move to another identity")
	}
	x = x.Clone()
	x.ProjectID, x.IdentityID = old.ProjectID, old.IdentityID
	if err := v.privilege(&x, l, &p); err != nil {
		return x, err
	}
	return x, p.err()
}

// fourDigitYear reports whether t, in UTC, falls in the years 0000-9999: the times an
// ISO 8601 string (and so the JSON form) can hold.
func fourDigitYear(t time.Time) bool {
	y := t.UTC().Year()
	return 0 <= y && y <= 9999
}
