package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// roleAPI is one mounting of the project role routes.
type roleAPI struct {
	h *Handler
	// v1 says the routes take and answer Infisical's v1 permission objects (the deprecated
	// /api/v1/workspace/:projectSlug/roles routes); otherwise v2.
	v1 bool
	// bySlug says the project is named by slug in the path ({projectSlug}), not by ID.
	bySlug bool
}

func (h *Handler) roleRoutes() {
	for _, m := range []struct {
		prefix string
		api    roleAPI
	}{
		{"/api/v1/workspace/{projectSlug}/roles", roleAPI{h: h, v1: true, bySlug: true}},
		{"/api/v1/projects/{projectId}/roles", roleAPI{h: h}},
		{"/api/v2/workspace/{projectId}/roles", roleAPI{h: h}},
	} {
		a := m.api
		h.handle("POST "+m.prefix+"/", a.create)
		h.handle("PATCH "+m.prefix+"/{roleId}", a.update)
		h.handle("DELETE "+m.prefix+"/{roleId}", a.delete)
		h.handle("GET "+m.prefix+"/", a.list)
		h.handle("GET "+m.prefix+"/slug/{roleSlug}", a.getBySlug)
	}
}

// project resolves the path's project (404 when there is none).
func (a roleAPI) project(rq *request) (store.Project, error) {
	if a.bySlug {
		return rq.projectBySlug(rq.r.PathValue("projectSlug"))
	}
	return rq.project(rq.r.PathValue("projectId"))
}

// permissions parses and validates a role's permissions in the mounting's form, returning
// them in the v2 form the store keeps.
func (a roleAPI) permissions(rq *request, ps *problems, raw json.RawMessage) []rules.Rule {
	if !a.v1 {
		return rq.v2Rules(ps, "permissions", raw)
	}
	rs, err := rules.Parse(raw)
	if err != nil {
		ps.addRules("permissions", err)
		return nil
	}
	if err := rules.ValidateV1(rs); err != nil {
		ps.addRules("permissions", err)
		return nil
	}
	return backfill(rs, true)
}

// field maps the store's role fields to the request's: converted v1 permissions are
// reported on the whole list.
func (a roleAPI) field(f string) string {
	if a.v1 {
		return v1Field("")(f)
	}
	return f
}

type roleBody struct {
	Slug        *string         `json:"slug"`
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	Permissions json.RawMessage `json:"permissions"`
}

// check validates the fields that are present; create requires slug, name and permissions.
func (a roleAPI) check(rq *request, in roleBody, create bool) (store.Role, problems) {
	var ps problems
	var r store.Role
	if in.Slug != nil {
		r.Slug = slug(&ps, "slug", *in.Slug, store.MaxRoleSlug)
		if store.IsReservedSlug(r.Slug) {
			ps.invalid("slug", string(store.CodeReserved), "Please choose a different slug, the slug you have entered is reserved")
		}
	} else if create {
		ps.invalid("slug", "required", msgRequired)
	}
	if in.Name != nil || create {
		r.Name = requiredString(&ps, "name", in.Name)
	}
	if in.Description != nil {
		r.Description = *in.Description
	}
	switch {
	case !isAbsent(in.Permissions):
		r.Permissions = a.permissions(rq, &ps, in.Permissions)
	case create:
		ps.invalid("permissions", "required", msgRequired)
	}
	return r, ps
}

func (a roleAPI) create(rq *request) (any, error) {
	var in roleBody
	if err := rq.decodeBody(&in); err != nil {
		return nil, err
	}
	r, ps := a.check(rq, in, true)
	if err := ps.err(); err != nil {
		return nil, err
	}
	proj, err := a.project(rq)
	if err != nil {
		return nil, err
	}
	if err := rq.can(proj.ID, "create", "role", nil); err != nil {
		return nil, err
	}
	r.ProjectID = proj.ID
	out, err := a.h.st.CreateRole(rq.ctx, r)
	if err != nil {
		return nil, storeErr(err, a.field)
	}
	return a.roleResponse(out)
}

func (a roleAPI) roleResponse(r store.Role) (any, error) {
	body, err := roleOf(r, true, a.v1)
	return map[string]any{"role": body}, err
}

// role returns the custom role roleId of the project (404 when there is none; 400 for a
// built-in role, which cannot change).
func (a roleAPI) role(rq *request, proj store.Project) (store.Role, error) {
	id := rq.r.PathValue("roleId")
	if engine.IsReservedRoleSlug(id) {
		return store.Role{}, badRequest("The built-in role %s cannot be changed; create a custom role instead", id)
	}
	r, err := a.h.st.Role(rq.ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && r.ProjectID != proj.ID {
		return r, notFound("Role with id %s not found", id)
	}
	return r, err
}

func (a roleAPI) update(rq *request) (any, error) {
	var in roleBody
	if err := rq.decodeBody(&in); err != nil {
		return nil, err
	}
	patch, ps := a.check(rq, in, false)
	if err := ps.err(); err != nil {
		return nil, err
	}
	proj, err := a.project(rq)
	if err != nil {
		return nil, err
	}
	if err := rq.can(proj.ID, "edit", "role", nil); err != nil {
		return nil, err
	}
	var out store.Role
	err = retry(func() error {
		old, err := a.role(rq, proj)
		if err != nil {
			return err
		}
		next := old.Clone()
		if in.Slug != nil {
			next.Slug = patch.Slug
		}
		if in.Name != nil {
			next.Name = patch.Name
		}
		if in.Description != nil {
			next.Description = patch.Description
		}
		if !isAbsent(in.Permissions) {
			next.Permissions = patch.Permissions
		}
		out, err = a.h.st.UpdateRole(rq.ctx, next)
		return err
	})
	if err != nil {
		return nil, storeErr(err, a.field)
	}
	return a.roleResponse(out)
}

func (a roleAPI) delete(rq *request) (any, error) {
	proj, err := a.project(rq)
	if err != nil {
		return nil, err
	}
	if err := rq.can(proj.ID, "delete", "role", nil); err != nil {
		return nil, err
	}
	var out store.Role
	err = retry(func() error {
		old, err := a.role(rq, proj)
		if err != nil {
			return err
		}
		out, err = a.h.st.DeleteRole(rq.ctx, proj.ID, old.ID, old.Version)
		return err
	})
	if err != nil {
		return nil, storeErr(err, nil)
	}
	return a.roleResponse(out)
}

func (a roleAPI) list(rq *request) (any, error) {
	proj, err := a.project(rq)
	if err != nil {
		return nil, err
	}
	if err := rq.can(proj.ID, "read", "role", nil); err != nil {
		return nil, err
	}
	custom, err := a.h.st.Roles(rq.ctx, proj.ID)
	if err != nil {
		return nil, storeErr(err, nil)
	}
	out := []roleOut{}
	for _, slug := range engine.BuiltinRoles() {
		r, _ := builtinRole(proj, slug, false)
		out = append(out, r)
	}
	for _, r := range custom {
		body, _ := roleOf(r, false, a.v1)
		out = append(out, body)
	}
	return map[string]any{"roles": out}, nil
}

func (a roleAPI) getBySlug(rq *request) (any, error) {
	proj, err := a.project(rq)
	if err != nil {
		return nil, err
	}
	if err := rq.can(proj.ID, "read", "role", nil); err != nil {
		return nil, err
	}
	slug := rq.r.PathValue("roleSlug")
	if _, ok := engine.BuiltinRole(slug); ok {
		body, err := builtinRole(proj, slug, true)
		return map[string]any{"role": body}, err
	}
	if store.IsReservedSlug(slug) {
		return nil, badRequest("The role %s is reserved and has no contents", slug)
	}
	r, err := a.h.st.RoleBySlug(rq.ctx, proj.ID, slug)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &apiError{Status: http.StatusNotFound, Name: "NotFound", Message: "Role with slug " + slug + " not found"}
	}
	if err != nil {
		return nil, err
	}
	return a.roleResponse(r)
}

// builtinNames are the names and descriptions Infisical lists its predefined roles with.
var builtinNames = map[string][2]string{
	"admin":                  {"Admin", "Full administrative access over a project"},
	"member":                 {"Developer", "Limited read/write role in a project"},
	"viewer":                 {"Viewer", "Only read role in a project"},
	"no-access":              {"No Access", "No access to any resources in the project"},
	"cryptographic-operator": {"Cryptographic Operator", "Perform cryptographic operations with the project's keys"},
}

// builtinRole writes a built-in role of the project. Its ID is its slug (Infisical makes up
// a random ID on every request), and its times are the project's creation.
func builtinRole(proj store.Project, slug string, withPermissions bool) (roleOut, error) {
	names := builtinNames[slug]
	out := roleOut{ID: slug, Name: names[0], Description: nullable(names[1]), Slug: slug,
		CreatedAt: jsTime(proj.CreatedAt), UpdatedAt: jsTime(proj.CreatedAt), ProjectID: proj.ID}
	if withPermissions {
		rs, _ := engine.BuiltinRole(slug)
		perms, err := unpacked(rs)
		if err != nil {
			return out, err
		}
		out.Permissions = perms
	}
	return out, nil
}
