package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/wardenhq/warden/store"
)

// The existence checks of unique keys.
const (
	projectIDTaken     = `SELECT FROM warden_projects WHERE id = $1`
	projectSlugTaken   = `SELECT FROM warden_projects WHERE slug = $1`
	identityIDTaken    = `SELECT FROM warden_identities WHERE id = $1`
	roleIDTaken        = `SELECT FROM warden_roles WHERE id = $1`
	roleSlugTaken      = `SELECT FROM warden_roles WHERE project_id = $1 AND slug = $2`
	membershipIDTaken  = `SELECT FROM warden_memberships WHERE id = $1`
	memberTaken        = `SELECT FROM warden_memberships WHERE project_id = $1 AND identity_id = $2`
	privilegeIDTaken   = `SELECT FROM warden_additional_privileges WHERE id = $1`
	privilegeSlugTaken = `SELECT FROM warden_additional_privileges WHERE project_id = $1 AND identity_id = $2 AND slug = $3`
)

// The plans of the writes: what each will read under the version lock, with the values
// the validator will use (trimmed slugs). See plan.

// idPlan checks that a given ID is free.
func idPlan(id, taken string) plan {
	var p plan
	if id != "" {
		p.exist(taken, id)
	}
	return p
}

func createProjectPlan(x store.Project) plan {
	p := idPlan(x.ID, projectIDTaken)
	p.exist(projectSlugTaken, trim(x.Slug))
	return p
}

func createRolePlan(r store.Role) plan {
	p := idPlan(r.ID, roleIDTaken)
	p.projects = []string{r.ProjectID}
	p.exist(roleSlugTaken, r.ProjectID, trim(r.Slug))
	return p
}

func updateRolePlan(r store.Role) plan {
	p := plan{roles: []string{r.ID}}
	if r.ProjectID != "" { // else the role's project is read when known
		p.projects = []string{r.ProjectID}
		p.exist(roleSlugTaken, r.ProjectID, trim(r.Slug))
	}
	return p
}

func createMembershipPlan(m store.Membership) plan {
	p := idPlan(m.ID, membershipIDTaken)
	p.projects, p.identities = []string{m.ProjectID}, []string{m.IdentityID}
	p.roleGrants(m.ProjectID, m.Roles)
	p.exist(memberTaken, m.ProjectID, m.IdentityID)
	return p
}

func updateGrantsPlan(projectID, identityID string, gs []store.RoleGrant) plan {
	p := plan{memberships: [][2]string{{projectID, identityID}}}
	p.roleGrants(projectID, gs)
	return p
}

// privilegePlan plans a creation, or an update that names the project and identity.
func privilegePlan(x store.Privilege, create bool) plan {
	var p plan
	if create {
		p = idPlan(x.ID, privilegeIDTaken)
	} else {
		p.privileges = []string{x.ID}
	}
	if x.ProjectID != "" && x.IdentityID != "" {
		p.projects, p.identities = []string{x.ProjectID}, []string{x.IdentityID}
		p.memberships = [][2]string{{x.ProjectID, x.IdentityID}}
		if x.Slug != "" {
			p.exist(privilegeSlugTaken, x.ProjectID, x.IdentityID, trim(x.Slug))
		}
	}
	return p
}

// result returns v, or the zero value with err.
func result[T any](v T, err error) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// CreateProject stores a new project; see store.Store.
func (s *Store) CreateProject(ctx context.Context, p store.Project) (out store.Project, err error) {
	err = s.write(ctx, createProjectPlan(p), func(w *wtx) error {
		p, err := s.validator.Project(p)
		if err != nil {
			return err
		}
		if p.ID == "" {
			p.ID = store.NewID()
		} else if dup, err := w.exists(projectIDTaken, p.ID); err != nil || dup {
			return orConflict(err, store.Duplicate(store.KindProject, "id", p.ID))
		}
		if dup, err := w.exists(projectSlugTaken, p.Slug); err != nil || dup {
			return orConflict(err, store.Duplicate(store.KindProject, "slug", p.Slug))
		}
		p.CreatedAt, p.UpdatedAt, p.Version = w.now, w.now, w.next()
		w.queue(`INSERT INTO warden_projects (id, slug, name, created_at, updated_at, version, created_version)
			VALUES ($1, $2, $3, $4, $4, $5, $5)`, p.ID, p.Slug, p.Name, w.now, int64(p.Version))
		w.change(store.KindProject, false, p.ID, "", p.ID)
		out = p
		return nil
	})
	return result(out, err)
}

// orConflict returns err if it is set, else the conflict.
func orConflict(err, conflict error) error {
	if err != nil {
		return err
	}
	return conflict
}

// UpdateProject changes a project's slug and name; see store.Store.
func (s *Store) UpdateProject(ctx context.Context, p store.Project) (out store.Project, err error) {
	err = s.write(ctx, plan{projects: []string{p.ID}, exists: []query{{projectSlugTaken, []any{trim(p.Slug)}}}}, func(w *wtx) error {
		old, err := w.Project(p.ID)
		if err != nil {
			return err
		}
		if p.Version != old.Version {
			return store.Stale(store.KindProject, p.ID, p.Version, old.Version)
		}
		if p, err = s.validator.Project(p); err != nil {
			return err
		}
		if p.Slug != old.Slug {
			if dup, err := w.exists(projectSlugTaken, p.Slug); err != nil || dup {
				return orConflict(err, store.Duplicate(store.KindProject, "slug", p.Slug))
			}
		}
		p.CreatedAt, p.UpdatedAt, p.Version = old.CreatedAt, w.now, w.next()
		w.queue(`UPDATE warden_projects SET slug = $2, name = $3, updated_at = $4, version = $5 WHERE id = $1`,
			p.ID, p.Slug, p.Name, w.now, int64(p.Version))
		w.change(store.KindProject, false, p.ID, "", p.ID)
		out = p
		return nil
	})
	return result(out, err)
}

// DeleteProject deletes a project with its roles, memberships and privileges, recording a
// deletion change for each: each membership's privileges then the membership (by identity
// ID), the roles (by slug), the project last.
func (s *Store) DeleteProject(ctx context.Context, id string, version uint64) (out store.Project, err error) {
	err = s.write(ctx, plan{projects: []string{id}}, func(w *wtx) error {
		old, err := w.Project(id)
		if err != nil {
			return err
		}
		if version != old.Version {
			return store.Stale(store.KindProject, id, version, old.Version)
		}
		if err := w.deleteMemberships(`project_id = $1`, id); err != nil {
			return err
		}
		rows, err := w.tx.Query(w.ctx, `WITH d AS (DELETE FROM warden_roles WHERE project_id = $1 RETURNING id, slug)
			SELECT id FROM d ORDER BY slug`, id)
		if err != nil {
			return readError(err)
		}
		roles, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return readError(err)
		}
		for _, rid := range roles {
			w.change(store.KindRole, true, id, "", rid)
		}
		w.queue(`DELETE FROM warden_projects WHERE id = $1`, id)
		w.change(store.KindProject, true, id, "", id)
		out = old
		return nil
	})
	return result(out, err)
}

// deleteMemberships deletes the memberships that cond (on project_id and identity_id)
// selects and the privileges of their identities in their projects, recording a deletion
// change for each: for each membership, by project then identity ID, its privileges in
// creation order, then the membership.
func (w *wtx) deleteMemberships(cond string, args ...any) error {
	type key struct{ project, identity string }
	type obj struct {
		id                string
		project, identity string
	}
	scan := func(row pgx.CollectableRow) (obj, error) {
		var o obj
		err := row.Scan(&o.id, &o.project, &o.identity)
		return o, err
	}
	rows, err := w.tx.Query(w.ctx, `WITH d AS (DELETE FROM warden_additional_privileges WHERE `+cond+`
			RETURNING id, project_id, identity_id, created_version)
		SELECT id, project_id, identity_id FROM d ORDER BY created_version`, args...)
	if err != nil {
		return readError(err)
	}
	privs, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return readError(err)
	}
	byMember := map[key][]string{}
	for _, p := range privs {
		k := key{p.project, p.identity}
		byMember[k] = append(byMember[k], p.id)
	}
	rows, err = w.tx.Query(w.ctx, `WITH d AS (DELETE FROM warden_memberships WHERE `+cond+` RETURNING id, project_id, identity_id)
		SELECT id, project_id, identity_id FROM d ORDER BY project_id, identity_id`, args...)
	if err != nil {
		return readError(err)
	}
	members, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return readError(err)
	}
	for _, m := range members {
		for _, pid := range byMember[key{m.project, m.identity}] {
			w.change(store.KindPrivilege, true, m.project, m.identity, pid)
		}
		w.change(store.KindMembership, true, m.project, m.identity, m.id)
	}
	return nil
}

// CreateIdentity stores a new identity; see store.Store.
func (s *Store) CreateIdentity(ctx context.Context, i store.Identity) (out store.Identity, err error) {
	err = s.write(ctx, idPlan(i.ID, identityIDTaken), func(w *wtx) error {
		i, err := s.validator.Identity(i)
		if err != nil {
			return err
		}
		if i.ID == "" {
			i.ID = store.NewID()
		} else if dup, err := w.exists(identityIDTaken, i.ID); err != nil || dup {
			return orConflict(err, store.Duplicate(store.KindIdentity, "id", i.ID))
		}
		i.CreatedAt, i.UpdatedAt, i.Version = w.now, w.now, w.next()
		w.queue(`INSERT INTO warden_identities (id, name, auth_method, metadata, created_at, updated_at, version, created_version)
			VALUES ($1, $2, $3, $4, $5, $5, $6, $6)`, i.ID, i.Name, i.AuthMethod, encodeMetadata(i.Metadata), w.now, int64(i.Version))
		w.change(store.KindIdentity, false, "", i.ID, i.ID)
		out = i.Clone()
		return nil
	})
	return result(out, err)
}

// UpdateIdentity changes an identity's name, auth method and metadata; see store.Store.
func (s *Store) UpdateIdentity(ctx context.Context, i store.Identity) (out store.Identity, err error) {
	err = s.write(ctx, plan{identities: []string{i.ID}}, func(w *wtx) error {
		old, err := w.Identity(i.ID)
		if err != nil {
			return err
		}
		if i.Version != old.Version {
			return store.Stale(store.KindIdentity, i.ID, i.Version, old.Version)
		}
		if i, err = s.validator.Identity(i); err != nil {
			return err
		}
		i.CreatedAt, i.UpdatedAt, i.Version = old.CreatedAt, w.now, w.next()
		w.queue(`UPDATE warden_identities SET name = $2, auth_method = $3, metadata = $4, updated_at = $5, version = $6 WHERE id = $1`,
			i.ID, i.Name, i.AuthMethod, encodeMetadata(i.Metadata), w.now, int64(i.Version))
		w.change(store.KindIdentity, false, "", i.ID, i.ID)
		out = i.Clone()
		return nil
	})
	return result(out, err)
}

// DeleteIdentity deletes an identity with its memberships and privileges, recording a
// deletion change for each (each membership's privileges, then the membership, by project
// ID), the identity last.
func (s *Store) DeleteIdentity(ctx context.Context, id string, version uint64) (out store.Identity, err error) {
	err = s.write(ctx, plan{identities: []string{id}}, func(w *wtx) error {
		old, err := w.Identity(id)
		if err != nil {
			return err
		}
		if version != old.Version {
			return store.Stale(store.KindIdentity, id, version, old.Version)
		}
		if err := w.deleteMemberships(`identity_id = $1`, id); err != nil {
			return err
		}
		w.queue(`DELETE FROM warden_identities WHERE id = $1`, id)
		w.change(store.KindIdentity, true, "", id, id)
		out = old
		return nil
	})
	return result(out, err)
}

// CreateRole stores a new custom role; see store.Store. Its permissions are stored packed.
func (s *Store) CreateRole(ctx context.Context, r store.Role) (out store.Role, err error) {
	err = s.write(ctx, createRolePlan(r), func(w *wtx) error {
		r, err := s.validator.Role(r, w)
		if err != nil {
			return err
		}
		if r.ID == "" {
			r.ID = store.NewID()
		} else if dup, err := w.exists(roleIDTaken, r.ID); err != nil || dup {
			return orConflict(err, store.Duplicate(store.KindRole, "id", r.ID))
		}
		if dup, err := w.exists(roleSlugTaken, r.ProjectID, r.Slug); err != nil || dup {
			return orConflict(err, store.Duplicate(store.KindRole, "slug", r.Slug))
		}
		perms, err := packPermissions(r.Permissions)
		if err != nil {
			return readError(err)
		}
		r.CreatedAt, r.UpdatedAt, r.Version = w.now, w.now, w.next()
		w.queue(`INSERT INTO warden_roles (id, project_id, slug, name, description, permissions, created_at, updated_at, version, created_version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $8)`,
			r.ID, r.ProjectID, r.Slug, r.Name, r.Description, string(perms), w.now, int64(r.Version))
		w.change(store.KindRole, false, r.ProjectID, "", r.ID)
		out = r.Clone()
		return nil
	})
	return result(out, err)
}

// UpdateRole changes a custom role; see store.Store. Memberships that grant the role show
// its new name and slug at once.
func (s *Store) UpdateRole(ctx context.Context, r store.Role) (out store.Role, err error) {
	err = s.write(ctx, updateRolePlan(r), func(w *wtx) error {
		old, err := w.Role(r.ID)
		if err != nil {
			return err
		}
		if r.ProjectID != "" && r.ProjectID != old.ProjectID {
			return store.NotFound(store.KindRole, r.ID)
		}
		if r.Version != old.Version {
			return store.Stale(store.KindRole, r.ID, r.Version, old.Version)
		}
		r.ProjectID = old.ProjectID
		if r, err = s.validator.Role(r, w); err != nil {
			return err
		}
		if r.Slug != old.Slug {
			if dup, err := w.exists(roleSlugTaken, r.ProjectID, r.Slug); err != nil || dup {
				return orConflict(err, store.Duplicate(store.KindRole, "slug", r.Slug))
			}
		}
		perms, err := packPermissions(r.Permissions)
		if err != nil {
			return readError(err)
		}
		r.CreatedAt, r.UpdatedAt, r.Version = old.CreatedAt, w.now, w.next()
		w.queue(`UPDATE warden_roles SET slug = $2, name = $3, description = $4, permissions = $5, updated_at = $6, version = $7 WHERE id = $1`,
			r.ID, r.Slug, r.Name, r.Description, string(perms), w.now, int64(r.Version))
		w.change(store.KindRole, false, r.ProjectID, "", r.ID)
		out = r.Clone()
		return nil
	})
	return result(out, err)
}

// DeleteRole deletes a custom role that no membership grants; see store.Store.
func (s *Store) DeleteRole(ctx context.Context, projectID, id string, version uint64) (out store.Role, err error) {
	err = s.write(ctx, plan{roles: []string{id}}, func(w *wtx) error {
		old, err := w.Role(id)
		if err != nil {
			return err
		}
		if old.ProjectID != projectID {
			return store.NotFound(store.KindRole, id)
		}
		if version != old.Version {
			return store.Stale(store.KindRole, id, version, old.Version)
		}
		var n int
		if err := w.tx.QueryRow(w.ctx, `SELECT count(DISTINCT membership_id) FROM warden_membership_roles WHERE custom_role_id = $1`, id).Scan(&n); err != nil {
			return readError(err)
		}
		if n > 0 {
			return store.InUse(id, n)
		}
		w.queue(`DELETE FROM warden_roles WHERE id = $1`, id)
		w.change(store.KindRole, true, projectID, "", id)
		out = old
		return nil
	})
	return result(out, err)
}

// CreateMembership makes an identity a member of a project; see store.Store. Every grant
// gets a new ID.
func (s *Store) CreateMembership(ctx context.Context, m store.Membership) (out store.Membership, err error) {
	err = s.write(ctx, createMembershipPlan(m), func(w *wtx) error {
		m, err := s.validator.Membership(m, w)
		if err != nil {
			return err
		}
		if m.ID == "" {
			m.ID = store.NewID()
		} else if dup, err := w.exists(membershipIDTaken, m.ID); err != nil || dup {
			return orConflict(err, store.Duplicate(store.KindMembership, "id", m.ID))
		}
		if dup, err := w.exists(memberTaken, m.ProjectID, m.IdentityID); err != nil || dup {
			return orConflict(err, store.Duplicate(store.KindMembership, "identityId", m.IdentityID))
		}
		newGrantIDs(m.Roles)
		m.CreatedAt, m.UpdatedAt, m.Version = w.now, w.now, w.next()
		w.queue(`INSERT INTO warden_memberships (id, project_id, identity_id, created_at, updated_at, version, created_version)
			VALUES ($1, $2, $3, $4, $4, $5, $5)`, m.ID, m.ProjectID, m.IdentityID, w.now, int64(m.Version))
		w.queueGrants(m.ID, m.Roles)
		w.change(store.KindMembership, false, m.ProjectID, m.IdentityID, m.ID)
		out = m
		return nil
	})
	return result(out, err)
}

func newGrantIDs(gs []store.RoleGrant) {
	for i := range gs {
		gs[i].ID = store.NewID()
	}
}

// queueGrants queues the insertion of a membership's grants, in order.
func (w *wtx) queueGrants(membershipID string, gs []store.RoleGrant) {
	for i, g := range gs {
		var custom *string
		if g.CustomRoleID != "" {
			custom = &g.CustomRoleID
		}
		args := append([]any{g.ID, membershipID, i, g.Role, custom}, temporaryArgs(g.Temporary)...)
		w.queue(`INSERT INTO warden_membership_roles (id, membership_id, position, role, custom_role_id,
			is_temporary, temporary_mode, temporary_range, temporary_access_start_time, temporary_access_end_time)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, args...)
	}
}

// UpdateMembershipRoles replaces a membership's roles; see store.Store. Every grant gets a
// new ID, as Infisical deletes and re-inserts the rows.
func (s *Store) UpdateMembershipRoles(ctx context.Context, projectID, identityID string, roles []store.RoleGrant, version uint64) (out store.Membership, err error) {
	err = s.write(ctx, updateGrantsPlan(projectID, identityID, roles), func(w *wtx) error {
		old, err := w.Membership(projectID, identityID)
		if err != nil {
			return err
		}
		if version != old.Version {
			return store.Stale(store.KindMembership, old.ID, version, old.Version)
		}
		gs, err := s.validator.Grants(projectID, roles, w)
		if err != nil {
			return err
		}
		newGrantIDs(gs)
		m := old
		m.Roles, m.UpdatedAt, m.Version = gs, w.now, w.next()
		w.queue(`DELETE FROM warden_membership_roles WHERE membership_id = $1`, m.ID)
		w.queueGrants(m.ID, m.Roles)
		w.queue(`UPDATE warden_memberships SET updated_at = $2, version = $3 WHERE id = $1`, m.ID, w.now, int64(m.Version))
		w.change(store.KindMembership, false, m.ProjectID, m.IdentityID, m.ID)
		out = m
		return nil
	})
	return result(out, err)
}

// DeleteMembership deletes a membership and the identity's privileges in the project,
// recording a deletion change for each privilege, in creation order, then for the
// membership.
func (s *Store) DeleteMembership(ctx context.Context, projectID, identityID string, version uint64) (out store.Membership, err error) {
	err = s.write(ctx, plan{memberships: [][2]string{{projectID, identityID}}}, func(w *wtx) error {
		old, err := w.Membership(projectID, identityID)
		if err != nil {
			return err
		}
		if version != old.Version {
			return store.Stale(store.KindMembership, old.ID, version, old.Version)
		}
		if err := w.deleteMemberships(`project_id = $1 AND identity_id = $2`, projectID, identityID); err != nil {
			return err
		}
		out = old
		return nil
	})
	return result(out, err)
}

// CreatePrivilege stores an additional privilege; see store.Store. Its permissions are
// stored packed.
func (s *Store) CreatePrivilege(ctx context.Context, p store.Privilege) (out store.Privilege, err error) {
	err = s.write(ctx, privilegePlan(p, true), func(w *wtx) error {
		if p.Slug == "" {
			slug, err := w.freeSlug(p.ProjectID, p.IdentityID)
			if err != nil {
				return err
			}
			p.Slug = slug
		}
		p, err := s.validator.Privilege(p, w)
		if err != nil {
			return err
		}
		if p.ID == "" {
			p.ID = store.NewID()
		} else if dup, err := w.exists(privilegeIDTaken, p.ID); err != nil || dup {
			return orConflict(err, store.Duplicate(store.KindPrivilege, "id", p.ID))
		}
		if dup, err := w.exists(privilegeSlugTaken,
			p.ProjectID, p.IdentityID, p.Slug); err != nil || dup {
			return orConflict(err, store.Duplicate(store.KindPrivilege, "slug", p.Slug))
		}
		perms, err := packPermissions(p.Permissions)
		if err != nil {
			return readError(err)
		}
		p.CreatedAt, p.UpdatedAt, p.Version = w.now, w.now, w.next()
		args := append([]any{p.ID, p.Slug, p.ProjectID, p.IdentityID, string(perms)}, temporaryArgs(p.Temporary)...)
		args = append(args, w.now, int64(p.Version))
		w.queue(`INSERT INTO warden_additional_privileges (id, slug, project_id, identity_id, permissions,
			is_temporary, temporary_mode, temporary_range, temporary_access_start_time, temporary_access_end_time,
			created_at, updated_at, version, created_version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $12)`, args...)
		w.change(store.KindPrivilege, false, p.ProjectID, p.IdentityID, p.ID)
		out = p.Clone()
		return nil
	})
	return result(out, err)
}

// freeSlug returns a random slug not yet taken by the identity's privileges in the project.
func (w *wtx) freeSlug(projectID, identityID string) (string, error) {
	for {
		slug := store.RandomSlug()
		taken, err := w.exists(privilegeSlugTaken,
			projectID, identityID, slug)
		if err != nil || !taken {
			return slug, err
		}
	}
}

// UpdatePrivilege changes an additional privilege; see store.Store. It keeps its place in
// creation order.
func (s *Store) UpdatePrivilege(ctx context.Context, p store.Privilege) (out store.Privilege, err error) {
	err = s.write(ctx, privilegePlan(p, false), func(w *wtx) error {
		old, err := w.privilege(p.ID)
		if err != nil {
			return err
		}
		if p.Version != old.Version {
			return store.Stale(store.KindPrivilege, p.ID, p.Version, old.Version)
		}
		if p, err = s.validator.PrivilegeUpdate(old, p, w); err != nil {
			return err
		}
		if p.Slug != old.Slug {
			if dup, err := w.exists(privilegeSlugTaken,
				p.ProjectID, p.IdentityID, p.Slug); err != nil || dup {
				return orConflict(err, store.Duplicate(store.KindPrivilege, "slug", p.Slug))
			}
		}
		perms, err := packPermissions(p.Permissions)
		if err != nil {
			return readError(err)
		}
		p.CreatedAt, p.UpdatedAt, p.Version = old.CreatedAt, w.now, w.next()
		args := append([]any{p.ID, p.Slug, string(perms)}, temporaryArgs(p.Temporary)...)
		args = append(args, w.now, int64(p.Version))
		w.queue(`UPDATE warden_additional_privileges SET slug = $2, permissions = $3,
			is_temporary = $4, temporary_mode = $5, temporary_range = $6, temporary_access_start_time = $7, temporary_access_end_time = $8,
			updated_at = $9, version = $10 WHERE id = $1`, args...)
		w.change(store.KindPrivilege, false, p.ProjectID, p.IdentityID, p.ID)
		out = p.Clone()
		return nil
	})
	return result(out, err)
}

// DeletePrivilege deletes an additional privilege; see store.Store.
func (s *Store) DeletePrivilege(ctx context.Context, id string, version uint64) (out store.Privilege, err error) {
	err = s.write(ctx, plan{privileges: []string{id}}, func(w *wtx) error {
		old, err := w.privilege(id)
		if err != nil {
			return err
		}
		if version != old.Version {
			return store.Stale(store.KindPrivilege, id, version, old.Version)
		}
		w.queue(`DELETE FROM warden_additional_privileges WHERE id = $1`, id)
		w.change(store.KindPrivilege, true, old.ProjectID, old.IdentityID, id)
		out = old
		return nil
	})
	return result(out, err)
}
