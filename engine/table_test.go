package engine

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestTable drives a table through random copy-on-write changes and compares it with a map
// after each; earlier tables must not see later changes.
func TestTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var ids []Identity
	for i := 0; i < 300; i++ {
		ids = append(ids, Identity{ProjectID: fmt.Sprintf("project-%d", i%3), IdentityID: fmt.Sprintf("%08x-aaaa-4bbb-8ccc-%012x", rng.Uint32(), i)})
	}
	model := map[Identity]*entry{}
	for _, id := range ids[:100] {
		model[id] = &entry{}
	}
	cur := buildTable(model)
	type snap struct {
		t *table
		m map[Identity]*entry
	}
	var snaps []snap
	check := func(step int, tb *table, m map[Identity]*entry) {
		t.Helper()
		if tb.len() != len(m) {
			t.Fatalf("step %d: len = %d, want %d", step, tb.len(), len(m))
		}
		for _, id := range ids {
			if got := tb.get(id); got != m[id] {
				t.Fatalf("step %d: get(%v) = %p, want %p", step, id, got, m[id])
			}
		}
	}
	for step := 0; step < 400; step++ {
		if step%50 == 0 {
			snaps = append(snaps, snap{cur, clone(model)})
		}
		next := cur.clone()
		for range rng.IntN(4) + 1 {
			id := ids[rng.IntN(len(ids))]
			if rng.IntN(2) == 0 {
				next.remove(id)
				delete(model, id)
			} else {
				en := &entry{}
				next.set(id, en)
				model[id] = en
			}
		}
		cur = next
		check(step, cur, model)
		if step%50 == 49 {
			for _, s := range snaps {
				check(step, s.t, s.m)
			}
		}
	}
	n := 0
	cur.all(func(id Identity, en *entry) bool {
		if model[id] != en {
			t.Fatalf("all: %v has %p, want %p", id, en, model[id])
		}
		n++
		return true
	})
	if n != len(model) {
		t.Fatalf("all visited %d entries, want %d", n, len(model))
	}
}

func clone(m map[Identity]*entry) map[Identity]*entry {
	out := make(map[Identity]*entry, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
