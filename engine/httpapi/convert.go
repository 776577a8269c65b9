package httpapi

import (
	"encoding/json"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// The response shapes: Infisical's, field for field, with times written as JavaScript's
// toISOString writes them and absent optional values as null.

// jsTime is a time in JavaScript's toISOString form.
type jsTime time.Time

// MarshalJSON writes "2026-01-05T09:00:00.000Z".
func (t jsTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

func jsTimePtr(t *time.Time) *jsTime {
	if t == nil {
		return nil
	}
	j := jsTime(*t)
	return &j
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// temporaryOut is the five temporary columns.
type temporaryOut struct {
	IsTemporary              bool    `json:"isTemporary"`
	TemporaryMode            *string `json:"temporaryMode"`
	TemporaryRange           *string `json:"temporaryRange"`
	TemporaryAccessStartTime *jsTime `json:"temporaryAccessStartTime"`
	TemporaryAccessEndTime   *jsTime `json:"temporaryAccessEndTime"`
}

func temporaryOf(t store.Temporary) temporaryOut {
	return temporaryOut{t.IsTemporary, nullable(t.Mode), nullable(t.Range), jsTimePtr(t.Start), jsTimePtr(t.End)}
}

// unpacked writes rules in the API's unpacked form (spec §5.2).
func unpacked(rs []rules.Rule) (json.RawMessage, error) {
	if len(rs) == 0 {
		return json.RawMessage("[]"), nil
	}
	return rules.MarshalUnpacked(rs)
}

// privilegeV2 is a v2 identity privilege (SanitizedIdentityPrivilegeSchema): the list
// leaves out permissions.
type privilegeV2 struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	temporaryOut
	CreatedAt   jsTime          `json:"createdAt"`
	UpdatedAt   jsTime          `json:"updatedAt"`
	IdentityID  string          `json:"identityId"`
	ProjectID   string          `json:"projectId"`
	Permissions json.RawMessage `json:"permissions,omitempty"`
}

func privilegeV2Of(p store.Privilege, withPermissions bool) (privilegeV2, error) {
	out := privilegeV2{ID: p.ID, Slug: p.Slug, temporaryOut: temporaryOf(p.Temporary),
		CreatedAt: jsTime(p.CreatedAt), UpdatedAt: jsTime(p.UpdatedAt), IdentityID: p.IdentityID, ProjectID: p.ProjectID}
	if withPermissions {
		perms, err := unpacked(p.Permissions)
		if err != nil {
			return out, err
		}
		out.Permissions = perms
	}
	return out, nil
}

// privilegeV1 is a v1 identity privilege: projectMembershipId instead of identityId and
// projectId, and permissions without the companions the v1 → v2 conversion added.
type privilegeV1 struct {
	ID                  string `json:"id"`
	Slug                string `json:"slug"`
	ProjectMembershipID string `json:"projectMembershipId"`
	temporaryOut
	Permissions json.RawMessage `json:"permissions"`
	CreatedAt   jsTime          `json:"createdAt"`
	UpdatedAt   jsTime          `json:"updatedAt"`
}

func privilegeV1Of(p store.Privilege, membershipID string) (privilegeV1, error) {
	perms, err := unpacked(rules.V1PrivilegeResponse(p.Permissions))
	return privilegeV1{ID: p.ID, Slug: p.Slug, ProjectMembershipID: membershipID, temporaryOut: temporaryOf(p.Temporary),
		Permissions: perms, CreatedAt: jsTime(p.CreatedAt), UpdatedAt: jsTime(p.UpdatedAt)}, err
}

// roleOut is a project role; lists leave out permissions.
type roleOut struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Description *string         `json:"description"`
	Slug        string          `json:"slug"`
	Permissions json.RawMessage `json:"permissions,omitempty"`
	CreatedAt   jsTime          `json:"createdAt"`
	UpdatedAt   jsTime          `json:"updatedAt"`
	ProjectID   string          `json:"projectId"`
}

// roleOf writes a custom role; v1 selects the deprecated v1 routes' permission view.
func roleOf(r store.Role, withPermissions, v1 bool) (roleOut, error) {
	out := roleOut{ID: r.ID, Name: r.Name, Description: nullable(r.Description), Slug: r.Slug,
		CreatedAt: jsTime(r.CreatedAt), UpdatedAt: jsTime(r.UpdatedAt), ProjectID: r.ProjectID}
	if withPermissions {
		rs := r.Permissions
		if v1 {
			rs = rules.V1RoleResponse(rs)
		}
		perms, err := unpacked(rs)
		if err != nil {
			return out, err
		}
		out.Permissions = perms
	}
	return out, nil
}

// membershipOut is an identity's project membership with its roles and identity.
type membershipOut struct {
	ID         string            `json:"id"`
	IdentityID string            `json:"identityId"`
	CreatedAt  jsTime            `json:"createdAt"`
	UpdatedAt  jsTime            `json:"updatedAt"`
	Roles      []store.RoleGrant `json:"roles"`
	Identity   identityOut       `json:"identity"`
}

type identityOut struct {
	Name       string  `json:"name"`
	ID         string  `json:"id"`
	AuthMethod *string `json:"authMethod"`
}

func membershipOf(m store.Membership, id store.Identity) membershipOut {
	roles := m.Roles
	if roles == nil {
		roles = []store.RoleGrant{}
	}
	return membershipOut{ID: m.ID, IdentityID: m.IdentityID, CreatedAt: jsTime(m.CreatedAt), UpdatedAt: jsTime(m.UpdatedAt),
		Roles: roles, Identity: identityOut{Name: id.Name, ID: id.ID, AuthMethod: nullable(id.AuthMethod)}}
}

// membershipRow is the membership row create and delete answer with.
type membershipRow struct {
	ID         string `json:"id"`
	ProjectID  string `json:"projectId"`
	IdentityID string `json:"identityId"`
	CreatedAt  jsTime `json:"createdAt"`
	UpdatedAt  jsTime `json:"updatedAt"`
}

func membershipRowOf(m store.Membership) membershipRow {
	return membershipRow{m.ID, m.ProjectID, m.IdentityID, jsTime(m.CreatedAt), jsTime(m.UpdatedAt)}
}
