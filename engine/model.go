package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// model is the engine's copy of the store's state, kept by the writer side (under Engine.mu)
// to rebuild the inputs of the identities a change affects.
type model struct {
	version     uint64
	identities  map[string]*store.Identity
	roles       map[string]*store.Role
	memberships map[Identity]*store.Membership
	privileges  map[Identity][]store.Privilege
	holders     map[string]map[Identity]bool // custom role ID → identities whose membership grants it
	projectsOf  map[string]map[string]bool   // identity ID → projects it is a member of
	prep        *preparer
}

func newModel(s *store.Snapshot, cat *rules.Catalogue) *model {
	m := &model{
		prep:        newPreparer(cat),
		version:     s.Version,
		identities:  map[string]*store.Identity{},
		roles:       map[string]*store.Role{},
		memberships: map[Identity]*store.Membership{},
		privileges:  map[Identity][]store.Privilege{},
		holders:     map[string]map[Identity]bool{},
		projectsOf:  map[string]map[string]bool{},
	}
	for i := range s.Identities {
		m.identities[s.Identities[i].ID] = &s.Identities[i]
	}
	for i := range s.Roles {
		m.roles[s.Roles[i].ID] = &s.Roles[i]
	}
	for i := range s.Memberships {
		m.setMembership(&s.Memberships[i])
	}
	for _, p := range s.Privileges {
		k := Identity{p.ProjectID, p.IdentityID}
		m.privileges[k] = append(m.privileges[k], p)
	}
	return m
}

func (m *model) setMembership(ms *store.Membership) {
	k := Identity{ms.ProjectID, ms.IdentityID}
	m.dropMembership(k)
	m.memberships[k] = ms
	ps := m.projectsOf[k.IdentityID]
	if ps == nil {
		ps = map[string]bool{}
		m.projectsOf[k.IdentityID] = ps
	}
	ps[k.ProjectID] = true
	for _, g := range ms.Roles {
		if g.IsCustom() {
			h := m.holders[g.CustomRoleID]
			if h == nil {
				h = map[Identity]bool{}
				m.holders[g.CustomRoleID] = h
			}
			h[k] = true
		}
	}
}

func (m *model) dropMembership(k Identity) {
	old := m.memberships[k]
	if old == nil {
		return
	}
	for _, g := range old.Roles {
		if g.IsCustom() {
			delete(m.holders[g.CustomRoleID], k)
		}
	}
	delete(m.memberships, k)
	if ps := m.projectsOf[k.IdentityID]; ps != nil {
		delete(ps, k.ProjectID)
		if len(ps) == 0 {
			delete(m.projectsOf, k.IdentityID)
		}
	}
}

// inputsFor assembles the inputs of one identity, or nil when it is not a member.
func (m *model) inputsFor(k Identity) *inputs {
	ms := m.memberships[k]
	if ms == nil {
		return nil
	}
	var id store.Identity
	if p := m.identities[k.IdentityID]; p != nil {
		id = *p
	} else {
		id = store.Identity{ID: k.IdentityID}
	}
	return buildInputs(id, *ms, m.roles, m.privileges[k], m.prep)
}

// reload replaces the model and every entry from a fresh snapshot.
func (e *Engine) reload(ctx context.Context) error {
	snap, err := e.st.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("engine: loading the store: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	m := newModel(snap, e.cat)
	old := e.table.Load()
	entries := make(map[Identity]*entry, len(m.memberships))
	for k := range m.memberships {
		var en *entry
		if old != nil {
			en = old.get(k)
		}
		if en == nil {
			en = &entry{}
		}
		en.in.Store(m.inputsFor(k))
		entries[k] = en
	}
	e.model = m
	e.table.Store(buildTable(entries))
	e.dirty.Store(false)
	return nil
}

// apply brings the model up to date with one change and replaces the inputs of exactly the
// identities it affects. It reads the changed object from the store; on any error it falls
// back to a full reload.
func (e *Engine) apply(ctx context.Context, c store.Change) {
	if err := e.applyChange(ctx, c); err != nil {
		if err := e.reload(ctx); err != nil {
			e.dirty.Store(true) // the recompiler retries the reload until it succeeds
		}
	}
}

func (e *Engine) applyChange(ctx context.Context, c store.Change) error {
	if c.Reset {
		return e.reload(ctx)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	m := e.model
	if c.Version <= m.version && c.Version != 0 {
		return nil // already in the snapshot
	}
	affected := map[Identity]bool{}
	switch c.Kind {
	case store.KindProject:
		if !c.Deleted {
			return nil // a project's fields do not change decisions
		}
		for k := range m.memberships {
			if k.ProjectID == c.ID {
				m.dropMembership(k)
				delete(m.privileges, k)
				affected[k] = true
			}
		}
		for id, r := range m.roles {
			if r.ProjectID == c.ID {
				delete(m.roles, id)
			}
		}
	case store.KindIdentity:
		// The model lists the identity's memberships: no need to scan every membership.
		var members []string
		for p := range m.projectsOf[c.ID] {
			members = append(members, p)
		}
		if c.Deleted {
			delete(m.identities, c.ID)
			for _, p := range members {
				k := Identity{p, c.ID}
				m.dropMembership(k)
				delete(m.privileges, k)
				affected[k] = true
			}
			break
		}
		id, err := e.st.Identity(ctx, c.ID)
		if err != nil {
			return err
		}
		m.identities[c.ID] = &id
		for _, p := range members {
			affected[Identity{p, c.ID}] = true // templates read the name and metadata
		}
	case store.KindRole:
		if c.Deleted {
			delete(m.roles, c.ID)
			for k := range m.holders[c.ID] {
				affected[k] = true
			}
			break
		}
		r, err := e.st.Role(ctx, c.ID)
		if err != nil {
			return err
		}
		m.roles[c.ID] = &r
		// The holders' inputs differ from the current ones only in this role's grants: patch
		// them (the role prepared once, its grant shared) instead of rebuilding every holder.
		t := e.table.Load()
		patch := m.prep.patch(&r)
		for k := range m.holders[c.ID] {
			en := t.get(k)
			in, ok := patch.apply(en.in.Load())
			if !ok {
				affected[k] = true
				continue
			}
			en.in.Store(in)
			e.recompileSoon(en)
		}
	case store.KindMembership:
		k := Identity{c.ProjectID, c.IdentityID}
		affected[k] = true
		if c.Deleted {
			m.dropMembership(k)
			break
		}
		ms, err := e.st.Membership(ctx, c.ProjectID, c.IdentityID)
		if errors.Is(err, store.ErrNotFound) {
			m.dropMembership(k)
			break
		}
		if err != nil {
			return err
		}
		m.setMembership(&ms)
	case store.KindPrivilege:
		k := Identity{c.ProjectID, c.IdentityID}
		affected[k] = true
		ps, err := e.st.Privileges(ctx, c.ProjectID, c.IdentityID)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			delete(m.privileges, k)
		} else {
			m.privileges[k] = ps
		}
	default:
		return nil
	}
	if c.Version > m.version {
		m.version = c.Version
	}
	e.update(affected)
	return nil
}

// update replaces the inputs of the affected identities, adding and removing table entries
// for memberships that appeared or went away. Compilation happens on the next check.
func (e *Engine) update(affected map[Identity]bool) {
	t := e.table.Load()
	var next *table // a copy of t, made at the first membership that appears or goes away
	for k := range affected {
		in := e.model.inputsFor(k)
		en := t.get(k)
		switch {
		case in == nil && en != nil:
			if next == nil {
				next = t.clone()
			}
			next.remove(k)
			en.in.Store(nil)
		case in != nil && en == nil:
			if next == nil {
				next = t.clone()
			}
			en = &entry{}
			en.in.Store(in)
			next.set(k, en)
			e.recompileSoon(en)
		case in != nil:
			en.in.Store(in)
			e.recompileSoon(en)
		}
	}
	if next != nil {
		e.table.Store(next)
	}
}
