package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// Pagination of the membership list, as Infisical's deprecated router declares it.
const (
	defaultListLimit = 100
	maxListLimit     = 20000
)

func (h *Handler) membershipRoutes() {
	for _, prefix := range []string{
		"/api/v2/workspace/{projectId}/identity-memberships",
		"/api/v1/projects/{projectId}/identity-memberships",
	} {
		h.handle("GET "+prefix+"/", h.listMemberships)
		h.handle("GET "+prefix+"/{identityId}", h.getMembership)
		h.handle("POST "+prefix+"/{identityId}", h.createMembership)
		h.handle("PATCH "+prefix+"/{identityId}", h.updateMembership)
		h.handle("DELETE "+prefix+"/{identityId}", h.deleteMembership)
	}
}

// grantBody is one role of a membership request: {role, isTemporary: false} or {role,
// isTemporary: true, temporaryMode, temporaryRange, temporaryAccessStartTime}.
type grantBody struct {
	Role *string `json:"role"`
	temporaryIn
}

// grants checks a request's roles and resolves what each grants, for the boundary check:
// a built-in role's rules, or a custom role of the project's (404 when there is none).
func (rq *request) grants(ps *problems, projectID string, in []grantBody) ([]store.RoleGrant, [][]rules.Rule, error) {
	out := make([]store.RoleGrant, len(in))
	granted := make([][]rules.Rule, len(in))
	for i, g := range in {
		prefix := fmt.Sprintf("roles[%d].", i)
		slug := strings.TrimSpace(requiredString(ps, prefix+"role", g.Role))
		out[i] = store.RoleGrant{Role: slug, Temporary: g.temporary(ps, prefix, true)}
		if slug == "" {
			continue
		}
		if rs, ok := engine.BuiltinRole(slug); ok {
			granted[i] = rs
			continue
		}
		if store.IsReservedSlug(slug) {
			continue // the store decides what a reserved slug without contents means
		}
		r, err := rq.h.st.RoleBySlug(rq.ctx, projectID, slug)
		switch {
		case errors.Is(err, store.ErrNotFound):
			ps.add(http.StatusNotFound, prefix+"role", string(store.CodeNotFound), "One or more custom roles not found")
		case err != nil:
			return nil, nil, err
		default:
			granted[i] = r.Permissions
		}
	}
	return out, granted, nil
}

// grantBoundary checks that the caller holds everything each granted role grants.
func (rq *request) grantBoundary(projectID string, gs []store.RoleGrant, granted [][]rules.Rule) error {
	for i, rs := range granted {
		if gs[i].Role == "no-access" || len(rs) == 0 {
			continue
		}
		if err := rq.boundary(projectID, rs, "Failed to assign the role "+gs[i].Role); err != nil {
			return err
		}
	}
	return nil
}

type membershipCreate struct {
	Role  *string     `json:"role"`
	Roles []grantBody `json:"roles"`
}

func (h *Handler) createMembership(rq *request) (any, error) {
	var in membershipCreate
	if err := rq.decodeBody(&in); err != nil {
		return nil, err
	}
	proj, err := rq.project(rq.r.PathValue("projectId"))
	if err != nil {
		return nil, err
	}
	identityID := rq.r.PathValue("identityId")
	roles := in.Roles
	if roles == nil {
		role := "no-access" // Infisical's default for the deprecated "role" field
		if in.Role != nil {
			role = *in.Role
		}
		roles = []grantBody{{Role: &role}}
	}
	var ps problems
	gs, granted, err := rq.grants(&ps, proj.ID, roles)
	if err != nil {
		return nil, err
	}
	if ps.status() == http.StatusUnprocessableEntity || ps.status() == http.StatusBadRequest {
		return nil, ps
	}
	if err := rq.can(proj.ID, "create", "identity", nil); err != nil {
		return nil, err
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	if err := rq.grantBoundary(proj.ID, gs, granted); err != nil {
		return nil, err
	}
	m, err := h.st.CreateMembership(rq.ctx, store.Membership{ProjectID: proj.ID, IdentityID: identityID, Roles: gs})
	if err != nil {
		return nil, storeErr(err, membershipField)
	}
	return map[string]any{"identityMembership": membershipRowOf(m)}, nil
}

// membershipField maps the store's membership fields to the request's: a custom role named
// by slug is the grant's "role".
func membershipField(f string) string {
	for _, s := range []string{".customRoleSlug", ".customRoleId"} {
		if strings.HasSuffix(f, s) {
			return strings.TrimSuffix(f, s) + ".role"
		}
	}
	return f
}

type membershipUpdate struct {
	Roles []grantBody `json:"roles"`
}

func (h *Handler) updateMembership(rq *request) (any, error) {
	var in membershipUpdate
	if err := rq.decodeBody(&in); err != nil {
		return nil, err
	}
	if len(in.Roles) == 0 {
		var ps problems
		ps.invalid("roles", "required", "Array must contain at least 1 element(s)")
		return nil, ps
	}
	proj, err := rq.project(rq.r.PathValue("projectId"))
	if err != nil {
		return nil, err
	}
	identityID := rq.r.PathValue("identityId")
	var ps problems
	gs, granted, err := rq.grants(&ps, proj.ID, in.Roles)
	if err != nil {
		return nil, err
	}
	if ps.status() == http.StatusUnprocessableEntity || ps.status() == http.StatusBadRequest {
		return nil, ps
	}
	if err := rq.can(proj.ID, "edit", "identity", identityResource(identityID)); err != nil {
		return nil, err
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	if err := rq.grantBoundary(proj.ID, gs, granted); err != nil {
		return nil, err
	}
	var out store.Membership
	err = retry(func() error {
		m, err := h.st.Membership(rq.ctx, proj.ID, identityID)
		if err != nil {
			return err
		}
		out, err = h.st.UpdateMembershipRoles(rq.ctx, proj.ID, identityID, gs, m.Version)
		return err
	})
	if err != nil {
		return nil, storeErr(err, membershipField)
	}
	return map[string]any{"roles": out.Roles}, nil
}

func (h *Handler) deleteMembership(rq *request) (any, error) {
	proj, err := rq.project(rq.r.PathValue("projectId"))
	if err != nil {
		return nil, err
	}
	identityID := rq.r.PathValue("identityId")
	if err := rq.can(proj.ID, "delete", "identity", identityResource(identityID)); err != nil {
		return nil, err
	}
	if identityID == rq.actor {
		return nil, badRequest("You cannot delete your own membership in the project")
	}
	var out store.Membership
	err = retry(func() error {
		m, err := h.st.Membership(rq.ctx, proj.ID, identityID)
		if err != nil {
			return err
		}
		out, err = h.st.DeleteMembership(rq.ctx, proj.ID, identityID, m.Version)
		return err
	})
	if err != nil {
		return nil, storeErr(err, nil)
	}
	return map[string]any{"identityMembership": membershipRowOf(out)}, nil
}

func (h *Handler) getMembership(rq *request) (any, error) {
	proj, err := rq.project(rq.r.PathValue("projectId"))
	if err != nil {
		return nil, err
	}
	identityID := rq.r.PathValue("identityId")
	if err := rq.can(proj.ID, "read", "identity", identityResource(identityID)); err != nil {
		return nil, err
	}
	m, err := h.st.Membership(rq.ctx, proj.ID, identityID)
	if err != nil {
		return nil, storeErr(err, nil)
	}
	id, err := h.st.Identity(rq.ctx, identityID)
	if err != nil {
		return nil, storeErr(err, nil)
	}
	return map[string]any{"identityMembership": membershipOf(m, id)}, nil
}

func (h *Handler) listMemberships(rq *request) (any, error) {
	q, err := rq.query("offset", "limit")
	if err != nil {
		return nil, err
	}
	var ps problems
	offset := intQuery(&ps, q.Get("offset"), "offset", 0, 0, -1)
	limit := intQuery(&ps, q.Get("limit"), "limit", defaultListLimit, 1, maxListLimit)
	if err := ps.err(); err != nil {
		return nil, err
	}
	proj, err := rq.project(rq.r.PathValue("projectId"))
	if err != nil {
		return nil, err
	}
	if err := rq.can(proj.ID, "read", "identity", nil); err != nil {
		return nil, err
	}
	all, err := h.st.Memberships(rq.ctx, proj.ID)
	if err != nil {
		return nil, storeErr(err, nil)
	}
	// Each membership is listed only when the caller may read its identity.
	who := engine.Identity{ProjectID: proj.ID, IdentityID: rq.actor}
	var visible []store.Membership
	for _, m := range all {
		if h.eng.Can(who, "read", "identity", identityResource(m.IdentityID)) {
			visible = append(visible, m)
		}
	}
	out := []membershipOut{}
	for i := offset; i < len(visible) && i < offset+limit; i++ {
		m := visible[i]
		id, err := h.st.Identity(rq.ctx, m.IdentityID)
		if err != nil {
			return nil, storeErr(err, nil)
		}
		out = append(out, membershipOf(m, id))
	}
	return map[string]any{"identityMemberships": out, "totalCount": len(visible)}, nil
}

// intQuery reads an integer query parameter in [lo, hi] (hi < 0: no upper bound), or def
// when it is absent.
func intQuery(ps *problems, s, name string, def, lo, hi int) int {
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		ps.invalid(name, "wrong type", "Expected number, received %q", s)
	case n < lo:
		ps.invalid(name, "invalid value", "Number must be greater than or equal to %d", lo)
	case hi >= 0 && n > hi:
		ps.invalid(name, "invalid value", "Number must be less than or equal to %d", hi)
	default:
		return n
	}
	return def
}
