package memstore

import (
	"context"
	"slices"

	"github.com/wardenhq/warden/store"
)

// Writes. Each runs inside Store.write, so it sees a private state and either returns an
// error (nothing published) or leaves the new state and its changes in tx. The order of
// checks is the same everywhere: the object exists (ErrNotFound), the version is current
// (ErrStale), the input is valid (ErrInvalid), unique keys are free (ErrDuplicate).

// CreateProject stores a new project; see store.Store.
func (s *Store) CreateProject(ctx context.Context, p store.Project) (out store.Project, err error) {
	err = s.write(ctx, func(tx *txn) error {
		p, err := s.validator.Project(p)
		if err != nil {
			return err
		}
		if p.ID == "" {
			p.ID = store.NewID()
		} else if tx.st.projects.Has(p.ID) {
			return store.Duplicate(store.KindProject, "id", p.ID)
		}
		if tx.st.projectSlugs.Has(p.Slug) {
			return store.Duplicate(store.KindProject, "slug", p.Slug)
		}
		p.CreatedAt, p.UpdatedAt, p.Version = tx.now, tx.now, tx.next()
		tx.st.projects = tx.st.projects.Set(p.ID, &rec[store.Project]{p, tx.nextSeq()})
		tx.st.projectSlugs = tx.st.projectSlugs.Set(p.Slug, p.ID)
		tx.change(store.KindProject, false, p.ID, "", p.ID)
		out = p
		return nil
	})
	return out, err
}

// UpdateProject changes a project's slug and name; see store.Store.
func (s *Store) UpdateProject(ctx context.Context, p store.Project) (out store.Project, err error) {
	err = s.write(ctx, func(tx *txn) error {
		old, ok := tx.st.projects.Get(p.ID)
		if !ok {
			return store.NotFound(store.KindProject, p.ID)
		}
		if p.Version != old.v.Version {
			return store.Stale(store.KindProject, p.ID, p.Version, old.v.Version)
		}
		p, err := s.validator.Project(p)
		if err != nil {
			return err
		}
		if p.Slug != old.v.Slug {
			if tx.st.projectSlugs.Has(p.Slug) {
				return store.Duplicate(store.KindProject, "slug", p.Slug)
			}
			tx.st.projectSlugs = tx.st.projectSlugs.Delete(old.v.Slug).Set(p.Slug, p.ID)
		}
		p.CreatedAt, p.UpdatedAt, p.Version = old.v.CreatedAt, tx.now, tx.next()
		tx.st.projects = tx.st.projects.Set(p.ID, &rec[store.Project]{p, old.seq})
		tx.change(store.KindProject, false, p.ID, "", p.ID)
		out = p
		return nil
	})
	return out, err
}

// DeleteProject deletes a project with its roles, memberships and privileges. It delivers
// a deletion Change for each of them, privileges and memberships first, the project last.
func (s *Store) DeleteProject(ctx context.Context, id string, version uint64) (out store.Project, err error) {
	err = s.write(ctx, func(tx *txn) error {
		old, ok := tx.st.projects.Get(id)
		if !ok {
			return store.NotFound(store.KindProject, id)
		}
		if version != old.v.Version {
			return store.Stale(store.KindProject, id, version, old.v.Version)
		}
		var members []*rec[store.Membership]
		tx.st.memberships.Ascend(key(id, ""), func(_ string, r *rec[store.Membership]) bool {
			members = append(members, r)
			return true
		})
		for _, m := range members {
			tx.deleteMembership(m.v)
		}
		var roles []string
		tx.st.roleSlugs.Ascend(key(id, ""), func(_ string, rid string) bool {
			roles = append(roles, rid)
			return true
		})
		for _, rid := range roles {
			if r, ok := tx.st.roles.Get(rid); ok {
				tx.deleteRole(r.v)
			}
		}
		tx.st.projects = tx.st.projects.Delete(id)
		tx.st.projectSlugs = tx.st.projectSlugs.Delete(old.v.Slug)
		tx.change(store.KindProject, true, id, "", id)
		out = old.v
		return nil
	})
	return out, err
}

// CreateIdentity stores a new identity; see store.Store.
func (s *Store) CreateIdentity(ctx context.Context, i store.Identity) (out store.Identity, err error) {
	err = s.write(ctx, func(tx *txn) error {
		i, err := s.validator.Identity(i)
		if err != nil {
			return err
		}
		if i.ID == "" {
			i.ID = store.NewID()
		} else if tx.st.identities.Has(i.ID) {
			return store.Duplicate(store.KindIdentity, "id", i.ID)
		}
		i.CreatedAt, i.UpdatedAt, i.Version = tx.now, tx.now, tx.next()
		tx.st.identities = tx.st.identities.Set(i.ID, &rec[store.Identity]{i, tx.nextSeq()})
		tx.change(store.KindIdentity, false, "", i.ID, i.ID)
		out = i.Clone()
		return nil
	})
	return out, err
}

// UpdateIdentity changes an identity's name, auth method and metadata; see store.Store.
func (s *Store) UpdateIdentity(ctx context.Context, i store.Identity) (out store.Identity, err error) {
	err = s.write(ctx, func(tx *txn) error {
		old, ok := tx.st.identities.Get(i.ID)
		if !ok {
			return store.NotFound(store.KindIdentity, i.ID)
		}
		if i.Version != old.v.Version {
			return store.Stale(store.KindIdentity, i.ID, i.Version, old.v.Version)
		}
		i, err := s.validator.Identity(i)
		if err != nil {
			return err
		}
		i.CreatedAt, i.UpdatedAt, i.Version = old.v.CreatedAt, tx.now, tx.next()
		tx.st.identities = tx.st.identities.Set(i.ID, &rec[store.Identity]{i, old.seq})
		tx.change(store.KindIdentity, false, "", i.ID, i.ID)
		out = i.Clone()
		return nil
	})
	return out, err
}

// DeleteIdentity deletes an identity with its memberships and privileges, delivering a
// deletion Change for each, the identity last.
func (s *Store) DeleteIdentity(ctx context.Context, id string, version uint64) (out store.Identity, err error) {
	err = s.write(ctx, func(tx *txn) error {
		old, ok := tx.st.identities.Get(id)
		if !ok {
			return store.NotFound(store.KindIdentity, id)
		}
		if version != old.v.Version {
			return store.Stale(store.KindIdentity, id, version, old.v.Version)
		}
		var keys []string
		tx.st.memberOf.Ascend(key(id, ""), func(k string, _ string) bool {
			keys = append(keys, k)
			return true
		})
		for _, k := range keys {
			projectID := k[len(id)+1:]
			if m, ok := tx.st.memberships.Get(key(projectID, id)); ok {
				tx.deleteMembership(m.v)
			}
		}
		tx.st.identities = tx.st.identities.Delete(id)
		tx.change(store.KindIdentity, true, "", id, id)
		out = old.v.Clone()
		return nil
	})
	return out, err
}

// CreateRole stores a new custom role; see store.Store.
func (s *Store) CreateRole(ctx context.Context, r store.Role) (out store.Role, err error) {
	err = s.write(ctx, func(tx *txn) error {
		r, err := s.validator.Role(r, tx)
		if err != nil {
			return err
		}
		if r.ID == "" {
			r.ID = store.NewID()
		} else if tx.st.roles.Has(r.ID) {
			return store.Duplicate(store.KindRole, "id", r.ID)
		}
		if tx.st.roleSlugs.Has(key(r.ProjectID, r.Slug)) {
			return store.Duplicate(store.KindRole, "slug", r.Slug)
		}
		r.CreatedAt, r.UpdatedAt, r.Version = tx.now, tx.now, tx.next()
		tx.st.roles = tx.st.roles.Set(r.ID, &rec[store.Role]{r, tx.nextSeq()})
		tx.st.roleSlugs = tx.st.roleSlugs.Set(key(r.ProjectID, r.Slug), r.ID)
		tx.change(store.KindRole, false, r.ProjectID, "", r.ID)
		out = r.Clone()
		return nil
	})
	return out, err
}

// UpdateRole changes a custom role; see store.Store. An empty r.ProjectID means the role's
// own project. Memberships that grant the role show its new name and slug at once.
func (s *Store) UpdateRole(ctx context.Context, r store.Role) (out store.Role, err error) {
	err = s.write(ctx, func(tx *txn) error {
		old, ok := tx.st.roles.Get(r.ID)
		if !ok || r.ProjectID != "" && r.ProjectID != old.v.ProjectID {
			return store.NotFound(store.KindRole, r.ID)
		}
		if r.Version != old.v.Version {
			return store.Stale(store.KindRole, r.ID, r.Version, old.v.Version)
		}
		r.ProjectID = old.v.ProjectID
		r, err := s.validator.Role(r, tx)
		if err != nil {
			return err
		}
		if r.Slug != old.v.Slug {
			k := key(r.ProjectID, r.Slug)
			if tx.st.roleSlugs.Has(k) {
				return store.Duplicate(store.KindRole, "slug", r.Slug)
			}
			tx.st.roleSlugs = tx.st.roleSlugs.Delete(key(r.ProjectID, old.v.Slug)).Set(k, r.ID)
		}
		r.CreatedAt, r.UpdatedAt, r.Version = old.v.CreatedAt, tx.now, tx.next()
		tx.st.roles = tx.st.roles.Set(r.ID, &rec[store.Role]{r, old.seq})
		tx.change(store.KindRole, false, r.ProjectID, "", r.ID)
		out = r.Clone()
		return nil
	})
	return out, err
}

// DeleteRole deletes a custom role that no membership grants; see store.Store.
func (s *Store) DeleteRole(ctx context.Context, projectID, id string, version uint64) (out store.Role, err error) {
	err = s.write(ctx, func(tx *txn) error {
		old, ok := tx.st.roles.Get(id)
		if !ok || old.v.ProjectID != projectID {
			return store.NotFound(store.KindRole, id)
		}
		if version != old.v.Version {
			return store.Stale(store.KindRole, id, version, old.v.Version)
		}
		if n, _ := tx.st.roleUse.Get(id); n > 0 {
			return store.InUse(id, n)
		}
		tx.deleteRole(old.v)
		out = old.v.Clone()
		return nil
	})
	return out, err
}

func (tx *txn) deleteRole(r store.Role) {
	tx.st.roles = tx.st.roles.Delete(r.ID)
	tx.st.roleSlugs = tx.st.roleSlugs.Delete(key(r.ProjectID, r.Slug))
	tx.st.roleUse = tx.st.roleUse.Delete(r.ID)
	tx.change(store.KindRole, true, r.ProjectID, "", r.ID)
}

// CreateMembership makes an identity a member of a project; see store.Store. Every grant
// gets a new ID.
func (s *Store) CreateMembership(ctx context.Context, m store.Membership) (out store.Membership, err error) {
	err = s.write(ctx, func(tx *txn) error {
		m, err := s.validator.Membership(m, tx)
		if err != nil {
			return err
		}
		if m.ID == "" {
			m.ID = store.NewID()
		} else if tx.st.membershipIDs.Has(m.ID) {
			return store.Duplicate(store.KindMembership, "id", m.ID)
		}
		if tx.st.memberships.Has(key(m.ProjectID, m.IdentityID)) {
			return store.Duplicate(store.KindMembership, "identityId", m.IdentityID)
		}
		newGrantIDs(m.Roles)
		m.CreatedAt, m.UpdatedAt, m.Version = tx.now, tx.now, tx.next()
		tx.putMembership(m, tx.nextSeq(), nil)
		out = tx.st.fill(m)
		return nil
	})
	return out, err
}

// UpdateMembershipRoles replaces a membership's roles; see store.Store. Every grant gets a
// new ID, as Infisical deletes and re-inserts the rows.
func (s *Store) UpdateMembershipRoles(ctx context.Context, projectID, identityID string, roles []store.RoleGrant, version uint64) (out store.Membership, err error) {
	err = s.write(ctx, func(tx *txn) error {
		old, ok := tx.st.memberships.Get(key(projectID, identityID))
		if !ok {
			return store.NotFound(store.KindMembership, identityID)
		}
		if version != old.v.Version {
			return store.Stale(store.KindMembership, old.v.ID, version, old.v.Version)
		}
		gs, err := s.validator.Grants(projectID, roles, tx)
		if err != nil {
			return err
		}
		newGrantIDs(gs)
		m := old.v
		m.Roles, m.UpdatedAt, m.Version = gs, tx.now, tx.next()
		tx.putMembership(m, old.seq, &old.v)
		out = tx.st.fill(m)
		return nil
	})
	return out, err
}

func newGrantIDs(gs []store.RoleGrant) {
	for i := range gs {
		gs[i].ID = store.NewID()
	}
}

// putMembership stores m (owned by the state from now on), replacing old if set.
func (tx *txn) putMembership(m store.Membership, seq uint64, old *store.Membership) {
	if old != nil {
		tx.use(*old, -1)
	}
	tx.use(m, +1)
	k := key(m.ProjectID, m.IdentityID)
	tx.st.memberships = tx.st.memberships.Set(k, &rec[store.Membership]{m, seq})
	tx.st.membershipIDs = tx.st.membershipIDs.Set(m.ID, k)
	tx.st.memberOf = tx.st.memberOf.Set(key(m.IdentityID, m.ProjectID), m.ID)
	tx.change(store.KindMembership, false, m.ProjectID, m.IdentityID, m.ID)
}

// use adds delta to the use count of every custom role m grants (once per membership).
func (tx *txn) use(m store.Membership, delta int) {
	var ids []string
	for _, g := range m.Roles {
		if g.CustomRoleID != "" && !slices.Contains(ids, g.CustomRoleID) {
			ids = append(ids, g.CustomRoleID)
		}
	}
	for _, id := range ids {
		n, _ := tx.st.roleUse.Get(id)
		if n += delta; n > 0 {
			tx.st.roleUse = tx.st.roleUse.Set(id, n)
		} else {
			tx.st.roleUse = tx.st.roleUse.Delete(id)
		}
	}
}

// DeleteMembership deletes a membership and the identity's privileges in the project,
// delivering a deletion Change for each privilege, then for the membership.
func (s *Store) DeleteMembership(ctx context.Context, projectID, identityID string, version uint64) (out store.Membership, err error) {
	err = s.write(ctx, func(tx *txn) error {
		old, ok := tx.st.memberships.Get(key(projectID, identityID))
		if !ok {
			return store.NotFound(store.KindMembership, identityID)
		}
		if version != old.v.Version {
			return store.Stale(store.KindMembership, old.v.ID, version, old.v.Version)
		}
		out = tx.st.fill(old.v)
		tx.deleteMembership(old.v)
		return nil
	})
	return out, err
}

func (tx *txn) deleteMembership(m store.Membership) {
	type priv struct{ orderKey, id string }
	var privs []priv
	tx.st.privOrder.Ascend(key(m.ProjectID, m.IdentityID, ""), func(k string, id string) bool {
		privs = append(privs, priv{k, id})
		return true
	})
	for _, p := range privs {
		if r, ok := tx.st.privileges.Get(p.id); ok {
			tx.deletePrivilege(r.v, p.orderKey)
		}
	}
	tx.use(m, -1)
	tx.st.memberships = tx.st.memberships.Delete(key(m.ProjectID, m.IdentityID))
	tx.st.membershipIDs = tx.st.membershipIDs.Delete(m.ID)
	tx.st.memberOf = tx.st.memberOf.Delete(key(m.IdentityID, m.ProjectID))
	tx.change(store.KindMembership, true, m.ProjectID, m.IdentityID, m.ID)
}

// CreatePrivilege stores an additional privilege; see store.Store.
func (s *Store) CreatePrivilege(ctx context.Context, p store.Privilege) (out store.Privilege, err error) {
	err = s.write(ctx, func(tx *txn) error {
		if p.Slug == "" {
			p.Slug = tx.freeSlug(p.ProjectID, p.IdentityID)
		}
		p, err := s.validator.Privilege(p, tx)
		if err != nil {
			return err
		}
		if p.ID == "" {
			p.ID = store.NewID()
		} else if tx.st.privileges.Has(p.ID) {
			return store.Duplicate(store.KindPrivilege, "id", p.ID)
		}
		if tx.st.privSlugs.Has(key(p.ProjectID, p.IdentityID, p.Slug)) {
			return store.Duplicate(store.KindPrivilege, "slug", p.Slug)
		}
		p.CreatedAt, p.UpdatedAt, p.Version = tx.now, tx.now, tx.next()
		tx.putPrivilege(p, tx.nextSeq())
		out = p.Clone()
		return nil
	})
	return out, err
}

// freeSlug returns a random slug not yet taken by the identity's privileges in the project.
func (tx *txn) freeSlug(projectID, identityID string) string {
	for {
		s := store.RandomSlug()
		if !tx.st.privSlugs.Has(key(projectID, identityID, s)) {
			return s
		}
	}
}

func (tx *txn) putPrivilege(p store.Privilege, seq uint64) {
	tx.st.privileges = tx.st.privileges.Set(p.ID, &rec[store.Privilege]{p, seq})
	tx.st.privOrder = tx.st.privOrder.Set(key(p.ProjectID, p.IdentityID, seqKey(seq)), p.ID)
	tx.st.privSlugs = tx.st.privSlugs.Set(key(p.ProjectID, p.IdentityID, p.Slug), p.ID)
	tx.change(store.KindPrivilege, false, p.ProjectID, p.IdentityID, p.ID)
}

// UpdatePrivilege changes an additional privilege; see store.Store. It keeps its place in
// creation order.
func (s *Store) UpdatePrivilege(ctx context.Context, p store.Privilege) (out store.Privilege, err error) {
	err = s.write(ctx, func(tx *txn) error {
		old, ok := tx.st.privileges.Get(p.ID)
		if !ok {
			return store.NotFound(store.KindPrivilege, p.ID)
		}
		if p.Version != old.v.Version {
			return store.Stale(store.KindPrivilege, p.ID, p.Version, old.v.Version)
		}
		p, err := s.validator.PrivilegeUpdate(old.v, p, tx)
		if err != nil {
			return err
		}
		if p.Slug != old.v.Slug {
			k := key(p.ProjectID, p.IdentityID, p.Slug)
			if tx.st.privSlugs.Has(k) {
				return store.Duplicate(store.KindPrivilege, "slug", p.Slug)
			}
			tx.st.privSlugs = tx.st.privSlugs.Delete(key(p.ProjectID, p.IdentityID, old.v.Slug))
		}
		p.CreatedAt, p.UpdatedAt, p.Version = old.v.CreatedAt, tx.now, tx.next()
		tx.putPrivilege(p, old.seq)
		out = p.Clone()
		return nil
	})
	return out, err
}

// DeletePrivilege deletes an additional privilege; see store.Store.
func (s *Store) DeletePrivilege(ctx context.Context, id string, version uint64) (out store.Privilege, err error) {
	err = s.write(ctx, func(tx *txn) error {
		old, ok := tx.st.privileges.Get(id)
		if !ok {
			return store.NotFound(store.KindPrivilege, id)
		}
		if version != old.v.Version {
			return store.Stale(store.KindPrivilege, id, version, old.v.Version)
		}
		tx.deletePrivilege(old.v, key(old.v.ProjectID, old.v.IdentityID, seqKey(old.seq)))
		out = old.v.Clone()
		return nil
	})
	return out, err
}

func (tx *txn) deletePrivilege(p store.Privilege, orderKey string) {
	tx.st.privileges = tx.st.privileges.Delete(p.ID)
	tx.st.privOrder = tx.st.privOrder.Delete(orderKey)
	tx.st.privSlugs = tx.st.privSlugs.Delete(key(p.ProjectID, p.IdentityID, p.Slug))
	tx.change(store.KindPrivilege, true, p.ProjectID, p.IdentityID, p.ID)
}
