package rules

import (
	"github.com/wardenhq/warden/internal/strtab"
	"math/bits"
	"slices"
	"strings"
)

// bucket holds the rules that apply to one (subject, action) question, and the indexes over
// them.
type bucket struct {
	rules     []int32 // evaluation positions, highest priority (latest) first
	typeLevel int32   // the rule that decides the type-level question, or -1

	indexed  bool
	envs     strtab.Table[int32] // environment → index in groups of the rules requiring it
	few      []envKey            // the same, when there are few environments
	envHash  []envKey            // the same, hashed by the keys' words, when there are more
	envShift uint8
	groups   []group // groups[0] holds every rule not keyed by environment
}

// envKey is an environment of a bucket with few: its length and ends decide equality for
// names of up to 16 bytes without reading them again.
type envKey struct {
	n     int
	x, y  uint64
	group int32
	name  string
}

// is reports whether k is env, whose ends are x and y.
func (k *envKey) is(env string, x, y uint64) bool {
	return k.n == len(env) && k.x == x && k.y == y && (k.n <= 16 || k.name == env)
}

// hashEnvs builds envHash, an open-addressing table of envKeys hashed by their words; it
// reports false, leaving envHash empty, when the keys collide into long probe runs.
func (b *bucket) hashEnvs(keys [][2]string, ids []int32) bool {
	size := 16
	for size < 2*len(keys) {
		size <<= 1
	}
	slots := make([]envKey, size)
	shift := uint8(64 - bits.TrailingZeros(uint(size)))
	for i, k := range keys {
		x, y := strtab.Ends(k[0])
		at := envSlot(len(k[0]), x, y, shift)
		for n := 0; slots[at].group != 0; n++ {
			if n == maxEnvProbe {
				return false
			}
			at = (at + 1) & (size - 1)
		}
		slots[at] = envKey{len(k[0]), x, y, ids[i], k[0]}
	}
	b.envHash, b.envShift = slots, shift
	return true
}

// maxEnvProbe bounds the probe runs of envHash.
const maxEnvProbe = 8

func envSlot(n int, x, y uint64, shift uint8) int {
	return int(((x ^ bits.RotateLeft64(y, 31) ^ uint64(n)<<56) * 0x9e3779b97f4a7c15) >> shift)
}

// fewEnvs is the number of environments up to which a bucket compares each rather than
// hashing.
const fewEnvs = 12

// group is a set of rules, split into those keyed by secretPath prefixes, those keyed by
// secretName prefixes, and the rest.
type group struct {
	rest  []int32
	paths prefixIndex
	names prefixIndex
	empty bool // no rule at all
}

// prefixIndex finds the rules keyed by a prefix of a value. A few prefixes are looked up by
// their heads; many go in a trie. all lists every rule of the index, for a value that is
// absent.
type prefixIndex struct {
	few  heads
	trie *trie
	all  []int32
}

type prefixRules struct {
	prefix string
	rules  []int32
}

// fewPrefixes is the number of distinct prefixes up to which a heads lookup (see heads) is
// cheaper than building and walking a trie.
const fewPrefixes = 16

// indexThreshold is the bucket size below which a plain scan is as fast as the indexes.
const indexThreshold = 8

// maxLists bounds the number of candidate lists merged by one indexed check; a check that
// would need more falls back to the plain scan. Each list is a group's unkeyed rules or the
// rules of one prefix of the path or name; a check typically needs four to eight.
const maxLists = 16

func (s *Set) buildIndex() {
	// The (subject, action) pairs the rules name, each with its rules in descending
	// position, in one flat array.
	type pairList struct {
		sub, act string
		off, n   int32
	}
	at := map[[2]string]int32{}
	var pl []pairList
	total := 0
	for pos := range s.compiled {
		r := s.compiled[pos].rule
		for _, sub := range r.Subjects {
			for _, act := range r.Actions {
				k := [2]string{sub, act}
				i, ok := at[k]
				if !ok {
					i = int32(len(pl))
					at[k] = i
					pl = append(pl, pairList{sub: sub, act: act})
				}
				pl[i].n++
				total++
			}
		}
	}
	flat := make([]int32, total)
	off := int32(0)
	for i := range pl {
		pl[i].off, off = off, off+pl[i].n
		pl[i].n = 0
	}
	for pos := len(s.compiled) - 1; pos >= 0; pos-- {
		r := s.compiled[pos].rule
		for _, sub := range r.Subjects {
			for _, act := range r.Actions {
				p := &pl[at[[2]string{sub, act}]]
				flat[p.off+p.n] = int32(pos)
				p.n++
			}
		}
	}
	list := func(sub, act string) []int32 {
		if i, ok := at[[2]string{sub, act}]; ok {
			p := pl[i]
			return flat[p.off : p.off+p.n : p.off+p.n]
		}
		return nil
	}
	byName := slices.Clone(pl) // sorted by subject and action; at indexes pl
	slices.SortFunc(byName, func(a, b pairList) int {
		if c := strings.Compare(a.sub, b.sub); c != 0 {
			return c
		}
		return strings.Compare(a.act, b.act)
	})
	// Actions listed together in rules get identical buckets (readValue and describeSecret,
	// edit and create, ...): build each distinct one once and share it.
	built := map[uint64]*bucket{}
	mk := func(lists ...[]int32) *bucket {
		rules := mergeDesc(lists...)
		h := uint64(len(rules))
		for _, p := range rules {
			h = (h^uint64(p))*0x100000001b3 + 0x9e3779b97f4a7c15
		}
		if b := built[h]; b != nil && slices.Equal(b.rules, rules) {
			return b
		}
		b := &bucket{rules: rules}
		b.finish(s)
		built[h] = b
		return b
	}
	// actionsOf returns the run of pl naming sub.
	actionsOf := func(sub string) []pairList {
		i, _ := slices.BinarySearchFunc(byName, sub, func(p pairList, sub string) int { return strings.Compare(p.sub, sub) })
		j := i
		for j < len(byName) && byName[j].sub == sub {
			j++
		}
		return byName[i:j]
	}
	all := actionsOf(All)
	var keys [][2]string
	var vals []*bucket
	var otherKeys [][2]string
	var others []*bucket
	// index adds the buckets of sub (All: of subjects no rule names) and returns the bucket
	// for actions no rule names.
	index := func(sub string, own []pairList) *bucket {
		acts := map[string]bool{}
		for _, p := range own {
			acts[p.act] = true
		}
		for _, p := range all {
			acts[p.act] = true
		}
		ownManage := list(sub, Manage)
		if sub == All {
			ownManage = nil
		}
		other := mk(ownManage, list(All, Manage))
		for a := range acts {
			b := other
			if a != Manage {
				var ownA []int32
				if sub != All {
					ownA = list(sub, a)
				}
				b = mk(ownA, ownManage, list(All, a), list(All, Manage))
			}
			keys = append(keys, [2]string{sub, a})
			vals = append(vals, b)
		}
		return other
	}
	for i := 0; i < len(byName); {
		sub := byName[i].sub
		own := actionsOf(sub)
		i += len(own)
		if sub == All {
			continue
		}
		otherKeys = append(otherKeys, [2]string{sub, ""})
		others = append(others, index(sub, own))
	}
	s.anyOther = index(All, nil) // also the buckets of the subject "all" itself
	s.pairs = strtab.Build(keys, vals)
	s.others = strtab.Build(otherKeys, others)
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
	envCond  int      // the condition envs come from, when envKeyed
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
					k.envKeyed, k.envs, k.envCond = true, []string{c.str}, i
				case c.op == opIn && c.allStrs:
					k.envKeyed, k.envs, k.envCond = true, c.strs, i
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
	// Sort by group, kind and prefix, each run in descending position.
	slices.SortFunc(items, func(a, b item) int {
		if a.group != b.group {
			return int(a.group - b.group)
		}
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		if c := strings.Compare(a.prefix, b.prefix); c != 0 {
			return c
		}
		return int(b.pos - a.pos)
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
	for i := range groups {
		g := &groups[i]
		g.empty = len(g.rest) == 0 && len(g.paths.few.classes) == 0 && g.paths.trie == nil && len(g.names.few.classes) == 0 && g.names.trie == nil
	}
	b.groups = groups
	if len(envs) > 0 {
		keys := make([][2]string, 0, len(envs))
		ids := make([]int32, 0, len(envs))
		for e, id := range envs {
			keys = append(keys, [2]string{e, ""})
			ids = append(ids, id)
		}
		if len(keys) <= fewEnvs {
			for i, k := range keys {
				x, y := strtab.Ends(k[0])
				b.few = append(b.few, envKey{len(k[0]), x, y, ids[i], k[0]})
			}
		} else if !b.hashEnvs(keys, ids) {
			b.envs = strtab.Build(keys, ids)
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
		ix.few = newHeads(groups)
	}
	if withAll {
		ix.all = slices.Clone(pos)
		slices.SortFunc(ix.all, func(a, b int32) int { return int(b - a) })
		ix.all = slices.Compact(ix.all) // a rule with several prefixes is there several times
	}
	return ix, buf
}
