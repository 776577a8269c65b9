package store

import "fmt"

// Snapshot checks a whole state, as a store does before it loads one: every object as the
// single-object methods check it, plus what a store checks at commit (unique IDs per kind,
// unique project slugs, role slugs per project, privilege slugs per project and identity,
// one membership per project and identity). References are resolved within the snapshot.
//
// It reports every problem at once as ValidationErrors, each with Object naming the
// object's position ("memberships[2]") and Field the field ("roles[0].customRoleSlug").
// On success it returns a normalized copy of s (as the single-object methods normalize),
// in which objects without an ID have a NewID and grants without one too; createdAt,
// updatedAt and versions are left as they are, for the store to fill in. s is not modified.
func (v Validator) Snapshot(s *Snapshot) (*Snapshot, error) {
	c := s.Clone()
	l := &snapLookup{
		projects:    map[string]*Project{},
		identities:  map[string]*Identity{},
		roles:       map[string]*Role{},
		roleSlugs:   map[string]*Role{},
		memberships: map[string]*Membership{},
	}
	var all ValidationErrors
	collect := func(p *problems) { all = append(all, p.list...) }
	at := func(kind string, i int) *problems { return &problems{object: fmt.Sprintf("%s[%d]", kind, i)} }
	dup := func(p *problems, field string, seen map[string]bool, key, format string, args ...any) {
		if seen[key] {
			p.add(field, CodeDuplicate, nil, format, args...)
		}
		seen[key] = true
	}

	seenID, seenSlug := map[string]bool{}, map[string]bool{}
	for i := range c.Projects {
		x, p := &c.Projects[i], at("projects", i)
		assignID(&x.ID)
		v.project(x, p)
		dup(p, "id", seenID, x.ID, "project id %s appears twice", x.ID)
		dup(p, "slug", seenSlug, x.Slug, "Project with slug %s already exists", x.Slug)
		if l.projects[x.ID] == nil {
			l.projects[x.ID] = x
		}
		collect(p)
	}
	seenID = map[string]bool{}
	for i := range c.Identities {
		x, p := &c.Identities[i], at("identities", i)
		assignID(&x.ID)
		v.identity(x, p)
		dup(p, "id", seenID, x.ID, "identity id %s appears twice", x.ID)
		if l.identities[x.ID] == nil {
			l.identities[x.ID] = x
		}
		collect(p)
	}
	seenID, seenSlug = map[string]bool{}, map[string]bool{}
	for i := range c.Roles {
		x, p := &c.Roles[i], at("roles", i)
		assignID(&x.ID)
		_ = v.role(x, l, p) // snapLookup never fails
		dup(p, "id", seenID, x.ID, "role id %s appears twice", x.ID)
		key := x.ProjectID + "\x00" + x.Slug
		dup(p, "slug", seenSlug, key, "Role with %s exists", x.Slug)
		if l.roles[x.ID] == nil {
			l.roles[x.ID] = x
		}
		if l.roleSlugs[key] == nil {
			l.roleSlugs[key] = x
		}
		collect(p)
	}
	seenID, seenSlug = map[string]bool{}, map[string]bool{}
	for i := range c.Memberships {
		x, p := &c.Memberships[i], at("memberships", i)
		assignID(&x.ID)
		_ = v.membership(x, l, p)
		for j := range x.Roles {
			assignID(&x.Roles[j].ID)
		}
		dup(p, "id", seenID, x.ID, "membership id %s appears twice", x.ID)
		key := x.ProjectID + "\x00" + x.IdentityID
		dup(p, "identityId", seenSlug, key, "Identity is already a member")
		if l.memberships[key] == nil {
			l.memberships[key] = x
		}
		collect(p)
	}
	seenID, seenSlug = map[string]bool{}, map[string]bool{}
	for i := range c.Privileges {
		x, p := &c.Privileges[i], at("privileges", i)
		assignID(&x.ID)
		_ = v.privilege(x, l, p)
		dup(p, "id", seenID, x.ID, "privilege id %s appears twice", x.ID)
		dup(p, "slug", seenSlug, x.ProjectID+"\x00"+x.IdentityID+"\x00"+x.Slug, "Additional privilege with name %s exists", x.Slug)
		collect(p)
	}
	if len(all) > 0 {
		sortProblems(all)
		return nil, all
	}
	return c, nil
}

func assignID(id *string) {
	if *id == "" {
		*id = NewID()
	}
}

// snapLookup resolves references within a snapshot.
type snapLookup struct {
	projects    map[string]*Project
	identities  map[string]*Identity
	roles       map[string]*Role
	roleSlugs   map[string]*Role // projectID \x00 slug
	memberships map[string]*Membership
}

func (l *snapLookup) Project(id string) (Project, error) {
	if x := l.projects[id]; x != nil {
		return *x, nil
	}
	return Project{}, NotFound(KindProject, id)
}

func (l *snapLookup) Identity(id string) (Identity, error) {
	if x := l.identities[id]; x != nil {
		return *x, nil
	}
	return Identity{}, NotFound(KindIdentity, id)
}

func (l *snapLookup) Role(id string) (Role, error) {
	if x := l.roles[id]; x != nil {
		return *x, nil
	}
	return Role{}, NotFound(KindRole, id)
}

func (l *snapLookup) RoleBySlug(projectID, slug string) (Role, error) {
	if x := l.roleSlugs[projectID+"\x00"+slug]; x != nil {
		return *x, nil
	}
	return Role{}, NotFound(KindRole, slug)
}

func (l *snapLookup) Membership(projectID, identityID string) (Membership, error) {
	if x := l.memberships[projectID+"\x00"+identityID]; x != nil {
		return *x, nil
	}
	return Membership{}, NotFound(KindMembership, identityID)
}
