package engine

// table finds an identity's entry. It is keyed by identity ID alone (hashing one ID instead of
// two), with the identity's projects in a short list: an identity is a member of few projects.
// A table is never modified once published; writers build a new one (copy on write).
type table map[string][]slot

type slot struct {
	projectID string
	en        *entry
}

func (t table) get(id Identity) *entry {
	for _, s := range t[id.IdentityID] {
		if s.projectID == id.ProjectID {
			return s.en
		}
	}
	return nil
}

// remove deletes id's entry from t itself; only for a table not yet published.
func (t table) remove(id Identity) {
	var slots []slot
	for _, s := range t[id.IdentityID] {
		if s.projectID != id.ProjectID {
			slots = append(slots, s)
		}
	}
	if len(slots) == 0 {
		delete(t, id.IdentityID)
	} else {
		t[id.IdentityID] = slots
	}
}

// set adds or replaces id's entry in t itself; only for a table not yet published. The slot
// list is rebuilt, never written in place, since a copied table shares it with the original.
func (t table) set(id Identity, en *entry) {
	t.remove(id)
	slots := t[id.IdentityID]
	t[id.IdentityID] = append(slots[:len(slots):len(slots)], slot{id.ProjectID, en})
}
