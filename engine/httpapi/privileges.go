package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

const (
	privilegesV2 = "/api/v2/identity-project-additional-privilege"
	privilegesV1 = "/api/v1/additional-privilege/identity"
)

func (h *Handler) privilegeRoutes() {
	h.handle("POST "+privilegesV2+"/", h.createPrivilegeV2)
	h.handle("PATCH "+privilegesV2+"/{id}", h.updatePrivilegeV2)
	h.handle("DELETE "+privilegesV2+"/{id}", h.deletePrivilegeV2)
	h.handle("GET "+privilegesV2+"/{id}", h.getPrivilegeV2)
	h.handle("GET "+privilegesV2+"/slug/{privilegeSlug}", h.getPrivilegeV2BySlug)
	h.handle("GET "+privilegesV2+"/", h.listPrivilegesV2)

	h.handle("POST "+privilegesV1+"/permanent", h.createPrivilegeV1Permanent)
	h.handle("POST "+privilegesV1+"/temporary", h.createPrivilegeV1Temporary)
	h.handle("PATCH "+privilegesV1+"/", h.updatePrivilegeV1)
	h.handle("DELETE "+privilegesV1+"/", h.deletePrivilegeV1)
	h.handle("GET "+privilegesV1+"/{privilegeSlug}", h.getPrivilegeV1)
	h.handle("GET "+privilegesV1+"/", h.listPrivilegesV1)
}

// ---- shared ----

// isAbsent reports whether a raw JSON value was left out or given as null.
func isAbsent(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// v2Rules parses and validates v2 permission objects (ProjectPermissionV2Schema) at field.
func (rq *request) v2Rules(ps *problems, field string, raw json.RawMessage) []rules.Rule {
	rs, err := rules.Parse(raw)
	if err != nil {
		ps.addRules(field, err)
		return nil
	}
	if err := rules.Validate(rs, rq.h.opts.cat); err != nil {
		ps.addRules(field, err)
	}
	return rs
}

// v1PrivilegeRules reads the permissions of a v1 privilege request: "permissions" (v1
// permission objects) or "privilegePermission", converted to the v2 form as Infisical
// stores them (rules.BackfillV1).
func v1PrivilegeRules(ps *problems, prefix string, perms, pp json.RawMessage) []rules.Rule {
	var rs []rules.Rule
	switch {
	case isAbsent(perms) && isAbsent(pp):
		ps.add(http.StatusBadRequest, prefix+"permissions", "required", "Permission or privilegePermission must be provided")
		return nil
	case !isAbsent(perms) && !isAbsent(pp):
		ps.invalid(prefix+"privilegePermission", "invalid value", "Give permissions or privilegePermission, not both")
		return nil
	case !isAbsent(perms):
		var err error
		if rs, err = rules.Parse(perms); err != nil {
			ps.addRules(prefix+"permissions", err)
			return nil
		}
		if err := rules.ValidateV1Privilege(rs); err != nil {
			ps.addRules(prefix+"permissions", err)
			return nil
		}
	default:
		var p rules.PrivilegePermission
		if err := p.UnmarshalJSON(pp); err != nil {
			ps.addRules(prefix+"privilegePermission", err)
			return nil
		}
		var err error
		if rs, err = rules.ExpandPrivilegePermission(p); err != nil {
			ps.addRules(prefix+"privilegePermission", err)
			return nil
		}
	}
	return backfill(rs, false)
}

// backfill converts v1 rules to v2 as Infisical does (rules.BackfillV1), with one change:
// the secrets copy that gains "readValue" loses "read". Infisical stores ["read",
// "readValue"], a combination its own v2 schema (and warden's store) rejects; the original
// rule still grants (or forbids) "read" with the same conditions in the same relative order,
// so every decision is the same.
func backfill(rs []rules.Rule, keepFolderRules bool) []rules.Rule {
	out := rules.BackfillV1(rs, keepFolderRules)
	for i, r := range out {
		if slices.Equal(r.Subjects, []string{"secrets"}) && slices.Contains(r.Actions, "read") && slices.Contains(r.Actions, "readValue") {
			r.Actions = slices.DeleteFunc(slices.Clone(r.Actions), func(a string) bool { return a == "read" })
			out[i] = r
		}
	}
	return out
}

// project returns the project with the given ID (404 when there is none).
func (rq *request) project(id string) (store.Project, error) {
	p, err := rq.h.st.Project(rq.ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return p, notFound("Project with id %s not found", id)
	}
	return p, err
}

// projectBySlug returns the project with the given slug (404 when there is none).
func (rq *request) projectBySlug(slug string) (store.Project, error) {
	p, err := rq.h.st.ProjectBySlug(rq.ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return p, notFound("Project with slug %s not found", slug)
	}
	return p, err
}

// privilegeBySlug returns an identity's privilege in a project by slug (404 when there is
// none).
func (rq *request) privilegeBySlug(projectID, identityID, slug string) (store.Privilege, error) {
	p, err := rq.h.st.PrivilegeBySlug(rq.ctx, projectID, identityID, slug)
	if errors.Is(err, store.ErrNotFound) {
		return p, notFound("Additional privilege with name %s not found", slug)
	}
	return p, err
}

// privilegeByID returns a privilege by ID (404 when there is none).
func (rq *request) privilegeByID(id string) (store.Privilege, error) {
	p, err := rq.h.st.Privilege(rq.ctx, id)
	return p, storeErr(err, nil)
}

func identityResource(id string) *rules.Resource { return &rules.Resource{IdentityID: id} }

// v2Field maps the store's privilege fields to the v2 body's.
func v2Field(f string) string {
	switch f {
	case "isTemporary", "temporaryMode", "temporaryRange", "temporaryAccessStartTime":
		return "type." + f
	}
	return f
}

// v1Field maps the store's privilege fields to a v1 body's: the permissions were converted,
// so a problem in them is reported on the whole list.
func v1Field(prefix string) func(string) string {
	return func(f string) string {
		if strings.HasPrefix(f, "permissions") {
			return prefix + "permissions"
		}
		return prefix + f
	}
}

// ---- v2 ----

type privilegeV2Body struct {
	IdentityID  *string         `json:"identityId"`
	ProjectID   *string         `json:"projectId"`
	Slug        *string         `json:"slug"`
	Permissions json.RawMessage `json:"permissions"`
	Type        *temporaryIn    `json:"type"`
}

func (h *Handler) createPrivilegeV2(rq *request) (any, error) {
	var in privilegeV2Body
	if err := rq.decodeBody(&in); err != nil {
		return nil, err
	}
	var ps problems
	identityID := requiredString(&ps, "identityId", in.IdentityID)
	projectID := requiredString(&ps, "projectId", in.ProjectID)
	var sl string
	if in.Slug != nil {
		sl = slug(&ps, "slug", *in.Slug, store.MaxPrivilegeSlug)
	}
	var perms []rules.Rule
	if isAbsent(in.Permissions) {
		ps.invalid("permissions", "required", msgRequired)
	} else {
		perms = rq.v2Rules(&ps, "permissions", in.Permissions)
	}
	var tmp store.Temporary
	if in.Type == nil {
		ps.invalid("type", "required", msgRequired)
	} else {
		tmp = in.Type.temporary(&ps, "type.", false)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	p, err := rq.project(projectID)
	if err != nil {
		return nil, err
	}
	if err := rq.can(p.ID, "edit", "identity", identityResource(identityID)); err != nil {
		return nil, err
	}
	if err := rq.boundary(p.ID, perms, "Failed to create the additional privilege"); err != nil {
		return nil, err
	}
	out, err := h.st.CreatePrivilege(rq.ctx, store.Privilege{Slug: sl, ProjectID: p.ID, IdentityID: identityID, Permissions: perms, Temporary: tmp})
	if err != nil {
		return nil, storeErr(err, v2Field)
	}
	return privilegeV2Response(out)
}

func privilegeV2Response(p store.Privilege) (any, error) {
	body, err := privilegeV2Of(p, true)
	return map[string]any{"privilege": body}, err
}

type privilegeV2Update struct {
	Slug        *string         `json:"slug"`
	Permissions json.RawMessage `json:"permissions"`
	Type        *temporaryIn    `json:"type"`
}

func (h *Handler) updatePrivilegeV2(rq *request) (any, error) {
	var in privilegeV2Update
	if err := rq.decodeBody(&in); err != nil {
		return nil, err
	}
	var ps problems
	var sl string
	if in.Slug == nil {
		ps.invalid("slug", "required", msgRequired)
	} else {
		sl = slug(&ps, "slug", *in.Slug, store.MaxPrivilegeSlug)
	}
	var perms []rules.Rule
	if !isAbsent(in.Permissions) {
		perms = rq.v2Rules(&ps, "permissions", in.Permissions)
	}
	var tmp store.Temporary
	if in.Type == nil {
		ps.invalid("type", "required", msgRequired)
	} else {
		tmp = in.Type.temporary(&ps, "type.", false)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	var out store.Privilege
	err := retry(func() error {
		old, err := rq.privilegeByID(rq.r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := rq.can(old.ProjectID, "edit", "identity", identityResource(old.IdentityID)); err != nil {
			return err
		}
		next := old.Clone()
		next.Slug, next.Temporary = sl, tmp
		if perms != nil {
			next.Permissions = perms
		}
		if err := rq.boundary(old.ProjectID, next.Permissions, "Failed to update the additional privilege"); err != nil {
			return err
		}
		out, err = h.st.UpdatePrivilege(rq.ctx, next)
		return err
	})
	if err != nil {
		return nil, storeErr(err, v2Field)
	}
	return privilegeV2Response(out)
}

func (h *Handler) deletePrivilegeV2(rq *request) (any, error) {
	var out store.Privilege
	err := retry(func() error {
		old, err := rq.privilegeByID(rq.r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := rq.can(old.ProjectID, "edit", "identity", identityResource(old.IdentityID)); err != nil {
			return err
		}
		out, err = h.st.DeletePrivilege(rq.ctx, old.ID, old.Version)
		return err
	})
	if err != nil {
		return nil, storeErr(err, nil)
	}
	return privilegeV2Response(out)
}

func (h *Handler) getPrivilegeV2(rq *request) (any, error) {
	p, err := rq.privilegeByID(rq.r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if err := rq.can(p.ProjectID, "read", "identity", identityResource(p.IdentityID)); err != nil {
		return nil, err
	}
	return privilegeV2Response(p)
}

func (h *Handler) getPrivilegeV2BySlug(rq *request) (any, error) {
	q, err := rq.query("identityId", "projectSlug")
	if err != nil {
		return nil, err
	}
	var ps problems
	identityID := requiredQuery(&ps, q, "identityId")
	projectSlug := requiredQuery(&ps, q, "projectSlug")
	if err := ps.err(); err != nil {
		return nil, err
	}
	proj, err := rq.projectBySlug(projectSlug)
	if err != nil {
		return nil, err
	}
	if err := rq.can(proj.ID, "read", "identity", identityResource(identityID)); err != nil {
		return nil, err
	}
	p, err := rq.privilegeBySlug(proj.ID, identityID, rq.r.PathValue("privilegeSlug"))
	if err != nil {
		return nil, err
	}
	return privilegeV2Response(p)
}

func (h *Handler) listPrivilegesV2(rq *request) (any, error) {
	q, err := rq.query("identityId", "projectId")
	if err != nil {
		return nil, err
	}
	var ps problems
	identityID := requiredQuery(&ps, q, "identityId")
	projectID := requiredQuery(&ps, q, "projectId")
	if err := ps.err(); err != nil {
		return nil, err
	}
	proj, err := rq.project(projectID)
	if err != nil {
		return nil, err
	}
	if err := rq.can(proj.ID, "read", "identity", identityResource(identityID)); err != nil {
		return nil, err
	}
	list, err := h.st.Privileges(rq.ctx, proj.ID, identityID)
	if err != nil {
		return nil, err
	}
	out := make([]privilegeV2, len(list))
	for i, p := range list {
		out[i], _ = privilegeV2Of(p, false)
	}
	return map[string]any{"privileges": out}, nil
}

// ---- v1 ----

type privilegeV1Permanent struct {
	IdentityID          *string         `json:"identityId"`
	ProjectSlug         *string         `json:"projectSlug"`
	Slug                *string         `json:"slug"`
	Permissions         json.RawMessage `json:"permissions"`
	PrivilegePermission json.RawMessage `json:"privilegePermission"`
}

type privilegeV1Temporary struct {
	privilegeV1Permanent
	TemporaryMode            *string `json:"temporaryMode"`
	TemporaryRange           *string `json:"temporaryRange"`
	TemporaryAccessStartTime *string `json:"temporaryAccessStartTime"`
}

func (h *Handler) createPrivilegeV1Permanent(rq *request) (any, error) {
	var in privilegeV1Permanent
	if err := rq.decodeBody(&in); err != nil {
		return nil, err
	}
	return h.createPrivilegeV1(rq, in, nil)
}

func (h *Handler) createPrivilegeV1Temporary(rq *request) (any, error) {
	var in privilegeV1Temporary
	if err := rq.decodeBody(&in); err != nil {
		return nil, err
	}
	yes := true
	return h.createPrivilegeV1(rq, in.privilegeV1Permanent, &temporaryIn{&yes, in.TemporaryMode, in.TemporaryRange, in.TemporaryAccessStartTime})
}

func (h *Handler) createPrivilegeV1(rq *request, in privilegeV1Permanent, t *temporaryIn) (any, error) {
	var ps problems
	identityID := requiredString(&ps, "identityId", in.IdentityID)
	projectSlug := requiredString(&ps, "projectSlug", in.ProjectSlug)
	var sl string
	if in.Slug != nil {
		sl = slug(&ps, "slug", *in.Slug, store.MaxPrivilegeSlug)
	}
	perms := v1PrivilegeRules(&ps, "", in.Permissions, in.PrivilegePermission)
	var tmp store.Temporary
	if t != nil {
		tmp = t.temporary(&ps, "", false)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	proj, err := rq.projectBySlug(projectSlug)
	if err != nil {
		return nil, err
	}
	if err := rq.can(proj.ID, "edit", "identity", identityResource(identityID)); err != nil {
		return nil, err
	}
	if err := rq.boundary(proj.ID, perms, "Failed to create the additional privilege"); err != nil {
		return nil, err
	}
	out, err := h.st.CreatePrivilege(rq.ctx, store.Privilege{Slug: sl, ProjectID: proj.ID, IdentityID: identityID, Permissions: perms, Temporary: tmp})
	if err != nil {
		return nil, storeErr(err, v1Field(""))
	}
	return rq.privilegeV1Response(out)
}

// privilegeV1Response writes {"privilege": ...} in the v1 form; projectMembershipId is the
// identity's membership in the project.
func (rq *request) privilegeV1Response(p store.Privilege) (any, error) {
	m, err := rq.h.st.Membership(rq.ctx, p.ProjectID, p.IdentityID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	body, err := privilegeV1Of(p, m.ID)
	return map[string]any{"privilege": body}, err
}

// privilegeV1Selector is how v1 requests name a privilege: by slug, for an identity, in a
// project named by slug.
type privilegeV1Selector struct {
	PrivilegeSlug *string `json:"privilegeSlug"`
	IdentityID    *string `json:"identityId"`
	ProjectSlug   *string `json:"projectSlug"`
}

func (s privilegeV1Selector) check(ps *problems) (privilegeSlug, identityID, projectSlug string) {
	return requiredString(ps, "privilegeSlug", s.PrivilegeSlug), requiredString(ps, "identityId", s.IdentityID), requiredString(ps, "projectSlug", s.ProjectSlug)
}

type privilegeV1Update struct {
	privilegeV1Selector
	PrivilegeDetails *privilegeV1Details `json:"privilegeDetails"`
}

type privilegeV1Details struct {
	Slug                *string         `json:"slug"`
	Permissions         json.RawMessage `json:"permissions"`
	PrivilegePermission json.RawMessage `json:"privilegePermission"`
	temporaryIn
}

func (h *Handler) updatePrivilegeV1(rq *request) (any, error) {
	var in privilegeV1Update
	if err := rq.decodeBody(&in); err != nil {
		return nil, err
	}
	var ps problems
	privSlug, identityID, projectSlug := in.check(&ps)
	d := in.PrivilegeDetails
	if d == nil {
		ps.invalid("privilegeDetails", "required", msgRequired)
		return nil, ps
	}
	var newSlug string
	if d.Slug != nil {
		newSlug = slug(&ps, "privilegeDetails.slug", *d.Slug, store.MaxPrivilegeSlug)
	}
	perms := v1PrivilegeRules(&ps, "privilegeDetails.", d.Permissions, d.PrivilegePermission)
	_, start := d.checkFields(&ps, "privilegeDetails.")
	if err := ps.err(); err != nil {
		return nil, err
	}
	proj, err := rq.projectBySlug(projectSlug)
	if err != nil {
		return nil, err
	}
	var out store.Privilege
	err = retry(func() error {
		old, err := rq.privilegeBySlug(proj.ID, identityID, privSlug)
		if err != nil {
			return err
		}
		if err := rq.can(proj.ID, "edit", "identity", identityResource(identityID)); err != nil {
			return err
		}
		// Infisical merges the patch over the stored privilege.
		next := old.Clone()
		if d.Slug != nil {
			next.Slug = newSlug
		}
		next.Permissions = perms
		if d.IsTemporary != nil {
			next.IsTemporary = *d.IsTemporary
		}
		if d.TemporaryMode != nil {
			next.Mode = *d.TemporaryMode
		}
		if d.TemporaryRange != nil {
			next.Range = *d.TemporaryRange
		}
		if start != nil {
			next.Start = start
		}
		if next.IsTemporary && next.Mode == "" {
			next.Mode = store.ModeRelative // the only mode; Infisical does not require it here
		}
		if !next.IsTemporary {
			next.Temporary = store.Temporary{}
		}
		if err := rq.boundary(proj.ID, next.Permissions, "Failed to update the additional privilege"); err != nil {
			return err
		}
		out, err = h.st.UpdatePrivilege(rq.ctx, next)
		return err
	})
	if err != nil {
		return nil, storeErr(err, v1Field("privilegeDetails."))
	}
	return rq.privilegeV1Response(out)
}

func (h *Handler) deletePrivilegeV1(rq *request) (any, error) {
	var in privilegeV1Selector
	if err := rq.decodeBody(&in); err != nil {
		return nil, err
	}
	var ps problems
	privSlug, identityID, projectSlug := in.check(&ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	proj, err := rq.projectBySlug(projectSlug)
	if err != nil {
		return nil, err
	}
	var out store.Privilege
	var membershipID string
	err = retry(func() error {
		old, err := rq.privilegeBySlug(proj.ID, identityID, privSlug)
		if err != nil {
			return err
		}
		if err := rq.can(proj.ID, "edit", "identity", identityResource(identityID)); err != nil {
			return err
		}
		if m, err := h.st.Membership(rq.ctx, proj.ID, identityID); err == nil {
			membershipID = m.ID
		}
		out, err = h.st.DeletePrivilege(rq.ctx, old.ID, old.Version)
		return err
	})
	if err != nil {
		return nil, storeErr(err, nil)
	}
	body, err := privilegeV1Of(out, membershipID)
	return map[string]any{"privilege": body}, err
}

// v1Query reads the identityId and projectSlug query parameters of the v1 reads and checks
// that the caller may read the identity.
func (rq *request) v1Query() (store.Project, string, error) {
	q, err := rq.query("identityId", "projectSlug")
	if err != nil {
		return store.Project{}, "", err
	}
	var ps problems
	identityID := requiredQuery(&ps, q, "identityId")
	projectSlug := requiredQuery(&ps, q, "projectSlug")
	if err := ps.err(); err != nil {
		return store.Project{}, "", err
	}
	proj, err := rq.projectBySlug(projectSlug)
	if err != nil {
		return proj, "", err
	}
	return proj, identityID, rq.can(proj.ID, "read", "identity", identityResource(identityID))
}

func (h *Handler) getPrivilegeV1(rq *request) (any, error) {
	proj, identityID, err := rq.v1Query()
	if err != nil {
		return nil, err
	}
	p, err := rq.privilegeBySlug(proj.ID, identityID, rq.r.PathValue("privilegeSlug"))
	if err != nil {
		return nil, err
	}
	return rq.privilegeV1Response(p)
}

func (h *Handler) listPrivilegesV1(rq *request) (any, error) {
	proj, identityID, err := rq.v1Query()
	if err != nil {
		return nil, err
	}
	list, err := h.st.Privileges(rq.ctx, proj.ID, identityID)
	if err != nil {
		return nil, err
	}
	var membershipID string
	if m, err := h.st.Membership(rq.ctx, proj.ID, identityID); err == nil {
		membershipID = m.ID
	}
	out := make([]privilegeV1, len(list))
	for i, p := range list {
		if out[i], err = privilegeV1Of(p, membershipID); err != nil {
			return nil, err
		}
	}
	return map[string]any{"privileges": out}, nil
}
