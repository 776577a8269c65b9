package rules

import (
	"encoding/binary"
	"slices"
	"sort"
	"strings"
)

// bucket holds the rules that apply to one (subject, action) question, and the indexes over
// them.
type bucket struct {
	rules     []int32 // evaluation positions, highest priority (latest) first
	typeLevel int32   // the rule that decides the type-level question, or -1

	indexed bool
	env     map[string]*group // rules whose environment must equal the key
	free    group             // every other rule
}

// group is a set of rules, split into those keyed by secretPath prefixes, those keyed by
// secretName prefixes, and the rest.
type group struct {
	rest  []int32
	paths prefixIndex
	names prefixIndex
}

// prefixIndex finds the rules keyed by a prefix of a value. A few prefixes are tested one by
// one; many go in a trie. all lists every rule of the index, for a value that is absent.
type prefixIndex struct {
	few  []prefixRules
	trie *trie
	all  []int32
}

type prefixRules struct {
	prefix string
	rules  []int32
}

// fewPrefixes is the number of distinct prefixes up to which testing each is cheaper than
// building and walking a trie.
const fewPrefixes = 16

// indexThreshold is the bucket size below which a plain scan is as fast as the indexes.
const indexThreshold = 8

// maxLists bounds the number of candidate lists merged by one indexed check; a check that
// would need more falls back to the plain scan. Each list is a group's unkeyed rules or the
// rules of one prefix of the path or name; a check typically needs four to eight.
const maxLists = 16

func (s *Set) buildIndex() {
	direct := map[string]map[string][]int32{}
	for pos := len(s.compiled) - 1; pos >= 0; pos-- { // lists come out sorted by descending position
		r := s.compiled[pos].rule
		for _, sub := range r.Subjects {
			m := direct[sub]
			if m == nil {
				m = map[string][]int32{}
				direct[sub] = m
			}
			for _, act := range r.Actions {
				m[act] = append(m[act], int32(pos))
			}
		}
	}
	// Actions listed together in rules get identical buckets (readValue and describeSecret,
	// edit and create, ...): build each distinct one once and share it.
	built := map[string]*bucket{}
	var key []byte
	mk := func(lists ...[]int32) *bucket {
		rules := mergeDesc(lists...)
		key = key[:0]
		for _, p := range rules {
			key = binary.LittleEndian.AppendUint32(key, uint32(p))
		}
		if b := built[string(key)]; b != nil {
			return b
		}
		b := &bucket{rules: rules}
		b.finish(s)
		built[string(key)] = b
		return b
	}
	indexFor := func(sub string) *subjectIndex {
		si := &subjectIndex{actions: map[string]*bucket{}}
		own, all := direct[sub], direct[All]
		if sub == All {
			own = nil
		}
		acts := map[string]bool{}
		for a := range own {
			acts[a] = true
		}
		for a := range all {
			acts[a] = true
		}
		for a := range acts {
			if a == Manage {
				continue
			}
			si.actions[a] = mk(own[a], own[Manage], all[a], all[Manage])
		}
		si.other = mk(own[Manage], all[Manage])
		if acts[Manage] {
			si.actions[Manage] = si.other
		}
		return si
	}
	s.subjects = map[string]*subjectIndex{}
	s.pairs = map[pairKey]*bucket{}
	for sub := range direct {
		si := indexFor(sub)
		s.subjects[sub] = si
		for a, b := range si.actions {
			s.pairs[pairKey{sub, a}] = b
		}
	}
	if si := s.subjects[All]; si != nil {
		s.any = si
	} else {
		s.any = indexFor(All)
	}
}

// mergeDesc merges lists sorted by descending position, dropping duplicates.
func mergeDesc(lists ...[]int32) []int32 {
	var only []int32
	n := 0
	for _, l := range lists {
		if len(l) > 0 {
			only = l
			n++
		}
	}
	if n <= 1 {
		return only // already sorted, and shared: buckets never modify their lists
	}
	var out []int32
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.SortFunc(out, func(a, b int32) int { return int(b - a) })
	return slices.Compact(out)
}

// ruleKeys is what the indexes know of one rule.
type ruleKeys struct {
	envKeyed bool
	envs     []string // the environments the rule can match (may be empty: it never matches)
	// field is fieldSecretPath or fieldSecretName when the rule is keyed by literal prefixes
	// of that field: every value it matches starts with one of prefixes.
	field    fieldID
	prefixes []string
}

// ruleKeysOf finds the index keys of a rule. A key may only come from a condition that every
// earlier condition of the rule is tested before without any chance of throwing, because the
// index skips the rule without testing those earlier conditions. Indexed checks always have a
// string secretPath, so a $glob on secretPath cannot throw there; a secretName may be absent,
// and then every rule keyed by it is a candidate.
func ruleKeysOf(cr *crule) ruleKeys {
	var k ruleKeys
	if !cr.hasCond || cr.skip {
		return k
	}
	var path, name []string
	safe := true
	for i := range cr.conds {
		c := &cr.conds[i]
		if c.path == nil && safe {
			switch {
			case c.field == fieldEnvironment && !k.envKeyed:
				switch {
				case c.op == opEq && c.isStr:
					k.envKeyed, k.envs = true, []string{c.str}
				case c.op == opIn && c.allStrs:
					k.envKeyed, k.envs = true, c.strs
				}
			case c.field == fieldSecretPath && path == nil:
				path = c.prefixes()
			case c.field == fieldSecretName && name == nil:
				name = c.prefixes()
			}
		}
		if c.mayThrow() && !(c.op == opGlob && c.field == fieldSecretPath && c.path == nil) {
			safe = false
		}
	}
	// Key by the field whose prefixes say more: a path prefix of "/" says nothing.
	switch {
	case name != nil && shortest(name) > 0 && (path == nil || shortest(path) <= 1):
		k.field, k.prefixes = fieldSecretName, name
	case path != nil:
		k.field, k.prefixes = fieldSecretPath, path
	}
	return k
}

// prefixes returns literal prefixes of the values c can match (one of them starts every
// match), or nil when c says nothing usable.
func (c *cond) prefixes() []string {
	switch {
	case c.op == opEq && c.isStr:
		return []string{c.str}
	case c.op == opIn && c.allStrs && len(c.strs) > 0 && len(c.strs) <= maxKeyAlternatives:
		return c.strs
	case c.op == opGlob && c.pattern != nil:
		if ps := c.pattern.Prefixes(); len(ps) > 0 && len(ps) <= maxKeyAlternatives {
			return ps
		}
		if p := c.pattern.Prefix(); p != "" {
			return []string{p}
		}
	}
	return nil
}

// maxKeyAlternatives bounds the prefixes a rule is indexed under.
const maxKeyAlternatives = 16

func shortest(ps []string) int {
	n := -1
	for _, p := range ps {
		if n < 0 || len(p) < n {
			n = len(p)
		}
	}
	return n
}

// finish computes the type-level answer and, for large buckets, the indexes.
func (b *bucket) finish(s *Set) {
	b.typeLevel = -1
	for _, pos := range b.rules {
		cr := &s.compiled[pos]
		if cr.skip || (cr.hasCond && cr.inverted) {
			continue
		}
		b.typeLevel = pos
		break
	}
	if len(b.rules) < indexThreshold {
		return
	}
	b.indexed = true
	b.buildGroups(s)
}

// item is one (group, key) of one rule, while a bucket's indexes are built: a rule keyed by
// several environments or prefixes has several.
type item struct {
	group  int32 // 0: the free group; 1+i: the group of the i-th environment
	kind   uint8 // 0: unkeyed; 1: keyed by secretPath; 2: keyed by secretName
	prefix string
	pos    int32
}

// buildGroups builds the environment groups and their prefix indexes with a handful of
// allocations: every list is a slice of one shared array.
func (b *bucket) buildGroups(s *Set) {
	envs := map[string]int32{}
	n := 0
	for _, pos := range b.rules {
		k := &s.compiled[pos].keys
		mult := max(1, len(k.prefixes))
		if !k.envKeyed {
			n += mult
			continue
		}
		for _, e := range k.envs {
			if _, ok := envs[e]; !ok {
				envs[e] = int32(len(envs) + 1)
			}
		}
		n += mult * len(k.envs)
	}
	items := make([]item, 0, n)
	for _, pos := range b.rules {
		k := &s.compiled[pos].keys
		add := func(g int32) {
			switch k.field {
			case fieldSecretPath, fieldSecretName:
				kind := uint8(1)
				if k.field == fieldSecretName {
					kind = 2
				}
				for _, p := range k.prefixes {
					items = append(items, item{g, kind, p, pos})
				}
			default:
				items = append(items, item{g, 0, "", pos})
			}
		}
		if !k.envKeyed {
			add(0)
			continue
		}
		for _, e := range k.envs {
			add(envs[e])
		}
	}
	// Sort by group, kind and prefix; the stable sort keeps each run in descending position.
	slices.SortStableFunc(items, func(a, b item) int {
		if a.group != b.group {
			return int(a.group - b.group)
		}
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		return strings.Compare(a.prefix, b.prefix)
	})
	positions := make([]int32, len(items))
	for i := range items {
		positions[i] = items[i].pos
	}
	groups := make([]group, len(envs)+1)
	prefixes := make([]prefixRules, 0, len(items))
	for i := 0; i < len(items); {
		g, kind := items[i].group, items[i].kind
		j := i
		for j < len(items) && items[j].group == g && items[j].kind == kind {
			j++
		}
		gr := &groups[g]
		switch kind {
		case 0:
			gr.rest = positions[i:j:j]
		case 1:
			gr.paths, prefixes = buildPrefixIndex(items[i:j], positions[i:j], prefixes, false)
		case 2:
			gr.names, prefixes = buildPrefixIndex(items[i:j], positions[i:j], prefixes, true)
		}
		i = j
	}
	b.free = groups[0]
	if len(envs) > 0 {
		b.env = make(map[string]*group, len(envs))
		for e, id := range envs {
			b.env[e] = &groups[id]
		}
	}
}

// buildPrefixIndex builds the index of one run of items sorted by prefix (pos holds their
// positions), appending its prefix lists to buf. withAll also lists every rule of the run in
// descending position, for a value that is absent.
func buildPrefixIndex(items []item, pos []int32, buf []prefixRules, withAll bool) (prefixIndex, []prefixRules) {
	var ix prefixIndex
	start := len(buf)
	for i := 0; i < len(items); {
		j := i
		for j < len(items) && items[j].prefix == items[i].prefix {
			j++
		}
		buf = append(buf, prefixRules{items[i].prefix, pos[i:j:j]})
		i = j
	}
	if groups := buf[start:len(buf):len(buf)]; len(groups) > fewPrefixes {
		ix.trie = newTrie(groups)
	} else {
		ix.few = groups
	}
	if withAll {
		ix.all = slices.Clone(pos)
		slices.SortFunc(ix.all, func(a, b int32) int { return int(b - a) })
		ix.all = slices.Compact(ix.all) // a rule with several prefixes is there several times
	}
	return ix, buf
}

// decideIndexed answers an instance question through the indexes.
func (s *Set) decideIndexed(b *bucket, r *Resource) Decision {
	if !b.indexed || r.SecretPath == "" && r.Empty&FieldSecretPath == 0 || r.Other != nil && otherShadows(r) {
		return s.scan(b.rules, r)
	}
	c := cursor{last: -1}
	name, hasName := r.str(fieldSecretName)
	if !c.addGroup(&b.free, r.SecretPath, name, hasName) {
		return s.scan(b.rules, r)
	}
	if env, ok := r.str(fieldEnvironment); ok && b.env != nil {
		if g := b.env[env]; g != nil && !c.addGroup(g, r.SecretPath, name, hasName) {
			return s.scan(b.rules, r)
		}
	}
	for {
		pos := c.next()
		if pos < 0 {
			return Decision{Rule: -1}
		}
		ok, err := s.match(pos, r)
		if err != nil {
			return Decision{Rule: -1, Err: err}
		}
		if ok {
			return s.decision(pos)
		}
	}
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
	lists [maxLists][]int32
	n     int
	last  int32
}

func (c *cursor) add(l []int32) bool {
	if len(l) == 0 {
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
	if !hasName {
		return c.add(g.names.all) // the rules' name conditions are reached, and throw
	}
	return c.addPrefixed(&g.names, name)
}

func (c *cursor) addPrefixed(ix *prefixIndex, v string) bool {
	for i := range ix.few {
		// Prefixes of one index usually differ in their last bytes (/app-1, /app-2, ...):
		// test that byte before the whole prefix.
		p := ix.few[i].prefix
		if len(v) >= len(p) && v[len(p)-1] == p[len(p)-1] && v[:len(p)] == p && !c.add(ix.few[i].rules) {
			return false
		}
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
			if len(c.lists[i]) > 0 && (best < 0 || c.lists[i][0] > c.lists[best][0]) {
				best = i
			}
		}
		if best < 0 {
			return -1
		}
		pos := c.lists[best][0]
		c.lists[best] = c.lists[best][1:]
		if c.n > 1 && pos == c.last {
			continue // the same rule through another of its prefixes
		}
		c.last = pos
		return pos
	}
}

// trie maps literal prefixes to rules; walking a path visits every prefix of it.
type trie struct {
	nodes []tnode
}

type tnode struct {
	edges []tedge // sorted by byte
	rules []int32 // rules whose prefix ends here, descending position
}

type tedge struct {
	b     byte
	child int32
}

func newTrie(prefixes []prefixRules) *trie {
	t := &trie{nodes: []tnode{{}}}
	for _, p := range prefixes {
		n := int32(0)
		for i := 0; i < len(p.prefix); i++ {
			n = t.child(n, p.prefix[i])
		}
		t.nodes[n].rules = p.rules
	}
	return t
}

func (t *trie) child(n int32, b byte) int32 {
	edges := t.nodes[n].edges
	i := sort.Search(len(edges), func(i int) bool { return edges[i].b >= b })
	if i < len(edges) && edges[i].b == b {
		return edges[i].child
	}
	t.nodes = append(t.nodes, tnode{})
	c := int32(len(t.nodes) - 1)
	edges = append(edges, tedge{})
	copy(edges[i+1:], edges[i:])
	edges[i] = tedge{b, c}
	t.nodes[n].edges = edges
	return c
}

// walk adds to c the rule lists of every node on path's way down the trie.
func (t *trie) walk(path string, c *cursor) bool {
	n := &t.nodes[0]
	for i := 0; ; i++ {
		if !c.add(n.rules) {
			return false
		}
		if i == len(path) {
			return true
		}
		b := path[i]
		edges := n.edges
		lo, hi := 0, len(edges)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if edges[m].b < b {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo == len(edges) || edges[lo].b != b {
			return true
		}
		n = &t.nodes[edges[lo].child]
	}
}
