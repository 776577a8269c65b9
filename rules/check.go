package rules

import "github.com/wardenhq/warden/internal/strtab"

// decideIndexed answers an instance question through the indexes.
func (s *Set) decideIndexed(b *bucket, r *Resource) Decision {
	if !b.indexed || r.SecretPath == "" && r.Empty&FieldSecretPath == 0 || r.Other != nil && otherShadows(r) {
		return s.scan(b.rules, r)
	}
	var c cursor
	name, hasName := r.SecretName, r.SecretName != "" || r.Empty&FieldSecretName != 0
	if g := &b.groups[0]; !g.empty && !c.addGroup(g, r.SecretPath, name, hasName) {
		return s.scan(b.rules, r)
	}
	if i := b.envGroup(r); i > 0 && !c.addGroup(&b.groups[i], r.SecretPath, name, hasName) {
		return s.scan(b.rules, r)
	}
	c.pos = b.positions
	if c.n == 1 { // the usual case: no merging
		for _, pos := range b.positions[c.lists[0].lo:c.lists[0].hi] {
			if d, done := s.tryFound(pos, r); done {
				return d
			}
		}
		return Decision{Rule: -1}
	}
	c.last = -1
	for {
		pos := c.next()
		if pos < 0 {
			return Decision{Rule: -1}
		}
		if d, done := s.tryFound(pos, r); done {
			return d
		}
	}
}

// envGroup returns the index in groups of the rules requiring r's environment, or 0.
func (b *bucket) envGroup(r *Resource) int32 {
	if len(b.few) == 0 && len(b.envHash) == 0 && b.envs.Len() == 0 {
		return 0
	}
	env := r.Environment
	if env == "" && r.Empty&FieldEnvironment == 0 {
		return 0
	}
	if len(b.few) > 0 {
		x, y := strtab.Ends(env)
		for i := range b.few {
			if b.few[i].is(env, x, y) {
				return b.few[i].group
			}
		}
		return 0
	}
	if len(b.envHash) > 0 {
		x, y := strtab.Ends(env)
		for at := envSlot(len(env), x, y, b.envShift); ; at = (at + 1) & (len(b.envHash) - 1) {
			k := &b.envHash[at]
			if k.group == 0 {
				return 0
			}
			if k.is(env, x, y) {
				return k.group
			}
		}
	}
	i, _ := b.envs.Get(env, "")
	return i
}

// tryFound tests a rule the indexes found; done is set when it decides (or fails).
func (s *Set) tryFound(pos int32, r *Resource) (d Decision, done bool) {
	ok, err := s.matchFound(pos, r)
	if err != nil {
		return Decision{Rule: -1, Err: err}, true
	}
	if ok {
		return s.decision(pos), true
	}
	return Decision{}, false
}

// otherShadows reports whether Other holds a value for an indexed field, which the typed
// slots (and so the indexes) do not see.
func otherShadows(r *Resource) bool {
	_, env := r.Other["environment"]
	_, path := r.Other["secretPath"]
	_, name := r.Other["secretName"]
	return env || path || name
}

// cursor merges candidate lists (each sorted by descending position) without allocating. A
// rule may be in several lists (it has several prefixes); it is returned once.
type cursor struct {
	lists [maxLists]span // of the bucket's positions
	n     int
	pos   []int32 // the bucket's positions, for next
	last  int32
}

// span is the list of rules pos[lo:hi] of a bucket's positions.
type span struct{ lo, hi int32 }

func (c *cursor) add(l span) bool {
	if l.lo == l.hi {
		return true
	}
	if c.n == maxLists {
		return false
	}
	c.lists[c.n] = l
	c.n++
	return true
}

func (c *cursor) addGroup(g *group, path, name string, hasName bool) bool {
	if !c.add(g.rest) || !c.addPrefixed(&g.paths, path) {
		return false
	}
	switch {
	case g.names == nil:
		return true
	case !hasName:
		return c.add(g.names.all) // the rules' name conditions are reached, and throw
	}
	return c.addPrefixed(&g.names.prefixIndex, name)
}

// addPrefixed adds the rules of ix keyed by prefixes of v.
func (c *cursor) addPrefixed(ix *prefixIndex, v string) bool {
	if len(ix.few.classes) > 0 && !ix.few.add(v, c) {
		return false
	}
	if ix.trie == nil {
		return true
	}
	return ix.trie.walk(v, c)
}

// next pops the highest position among the list heads, or returns -1.
func (c *cursor) next() int32 {
	for {
		best := -1
		for i := 0; i < c.n; i++ {
			if l := c.lists[i]; l.lo < l.hi && (best < 0 || c.pos[l.lo] > c.pos[c.lists[best].lo]) {
				best = i
			}
		}
		if best < 0 {
			return -1
		}
		pos := c.pos[c.lists[best].lo]
		c.lists[best].lo++
		if c.n > 1 && pos == c.last {
			continue // the same rule through another of its prefixes
		}
		c.last = pos
		return pos
	}
}
