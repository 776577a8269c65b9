package engine

import "github.com/wardenhq/warden/internal/strtab"

// table finds an identity's entry in a project: the first step of every check. It is a
// hash table keyed by (identity ID, project ID), split into shards by the key's hash so
// that a writer adding or removing one membership copies one shard (about n/256 entries)
// instead of the whole table. A published table is never modified; writers change a copy
// made with clone (copy on write, per shard).
type table struct {
	shards strtab.Shards[*entry]
}

// get returns id's entry, or nil.
func (t *table) get(id Identity) *entry {
	en, _ := t.shards.Get(id.IdentityID, id.ProjectID)
	return en
}

// clone returns a copy of t that set and remove may change; t itself stays as it is.
func (t *table) clone() *table {
	c := *t
	return &c
}

// set adds or replaces id's entry; only for a table not yet published.
func (t *table) set(id Identity, en *entry) {
	k := strtab.MakeKey(id.IdentityID, id.ProjectID)
	i := strtab.Shard(&k)
	var sh strtab.Table[*entry]
	if t.shards[i] != nil {
		sh = *t.shards[i]
	}
	sh = sh.With(k, en)
	t.shards[i] = &sh
}

// remove deletes id's entry; only for a table not yet published.
func (t *table) remove(id Identity) {
	k := strtab.MakeKey(id.IdentityID, id.ProjectID)
	i := strtab.Shard(&k)
	if t.shards[i] == nil {
		return
	}
	sh := t.shards[i].Without(k)
	t.shards[i] = &sh
	if sh.Len() == 0 {
		t.shards[i] = nil
	}
}

// buildTable returns a table of the given entries.
func buildTable(entries map[Identity]*entry) *table {
	var keys [strtab.NumShards][][2]string
	var vals [strtab.NumShards][]*entry
	for id, en := range entries {
		k := strtab.MakeKey(id.IdentityID, id.ProjectID)
		i := strtab.Shard(&k)
		keys[i] = append(keys[i], [2]string{id.IdentityID, id.ProjectID})
		vals[i] = append(vals[i], en)
	}
	t := &table{}
	for i := range keys {
		if len(keys[i]) > 0 {
			sh := strtab.Build(keys[i], vals[i])
			t.shards[i] = &sh
		}
	}
	return t
}

// all calls yield for every identity and entry, until it returns false.
func (t *table) all(yield func(Identity, *entry) bool) {
	for _, sh := range t.shards {
		if sh == nil {
			continue
		}
		more := true
		sh.All(func(identityID, projectID string, en *entry) bool {
			more = yield(Identity{ProjectID: projectID, IdentityID: identityID}, en)
			return more
		})
		if !more {
			return
		}
	}
}

// len returns the number of entries.
func (t *table) len() int {
	n := 0
	for _, sh := range t.shards {
		if sh != nil {
			n += sh.Len()
		}
	}
	return n
}
