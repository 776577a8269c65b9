package rules

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"

	"github.com/wardenhq/warden/internal/strtab"
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
	// positions holds every list of the groups and their indexes, each a span of it.
	positions []int32
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

// hashEnvs builds envHash, an open-addressing table of envKeys hashed by their words, for
// the environments numbered from 1 in order; it reports false, leaving envHash empty, when the keys collide into long probe runs.
func (b *bucket) hashEnvs(envs []string) bool {
	size := 16
	for size < 2*len(envs) {
		size <<= 1
	}
	slots := make([]envKey, size)
	shift := uint8(64 - bits.TrailingZeros(uint(size)))
	for i, e := range envs {
		x, y := strtab.Ends(e)
		at := envSlot(len(e), x, y, shift)
		for n := 0; slots[at].group != 0; n++ {
			if n == maxEnvProbe {
				return false
			}
			at = (at + 1) & (size - 1)
		}
		slots[at] = envKey{len(e), x, y, int32(i + 1), e}
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
	rest  span
	paths prefixIndex
	names *nameIndex // nil when no rule is keyed by secretName
	empty bool       // no rule at all
}

// prefixIndex finds the rules keyed by a prefix of a value. A few prefixes are looked up by
// their heads; many go in a trie.
type prefixIndex struct {
	few  heads
	trie *trie
}

// nameIndex is the prefixIndex of secretName; all lists every rule of it, for a resource
// without a name.
type nameIndex struct {
	prefixIndex
	all span
}

// prefixRules is a prefix and its rules, pos[lo:hi] of the positions array of the index
// holding it.
type prefixRules struct {
	prefix string
	lo, hi int32
	head   uint64 // head8(prefix)
}

// fewPrefixes is the number of distinct prefixes up to which a heads lookup (see heads) is
// cheaper than building and walking a trie.
const fewPrefixes = 16

// indexThreshold is the bucket size below which a plain scan is as fast as the indexes.
const indexThreshold = 4

// maxLists bounds the number of candidate lists merged by one indexed check; a check that
// would need more falls back to the plain scan. Each list is a group's unkeyed rules or the
// rules of one prefix of the path or name; a check typically needs four to eight.
const maxLists = 16

// buildIndex builds the Set's indexes. sc numbers the (subject, action) pairs of the rules,
// and sc.ids lists the pairs of each rule of s.compiled in turn (see Join).
func (s *Set) buildIndex(sc *buildScratch) {
	// The pairs, each with its rules in descending position, in one flat array. pl[i] is
	// the pair numbered i+1 in sc.pairs.
	pl := sc.pl[:0]
	for _, k := range sc.pairs.keys {
		pl = append(pl, pairList{sub: k[0], act: k[1]})
	}
	sc.pl = pl
	ids := sc.ids
	for _, i := range ids {
		pl[i].n++
	}
	total := len(ids)
	flat := make([]int32, total)
	off := int32(0)
	for i := range pl {
		pl[i].off, off = off, off+pl[i].n
		pl[i].n = 0
	}
	for pos, end := len(s.compiled)-1, len(ids); pos >= 0; pos-- {
		start := end - len(s.compiled[pos].pairs)
		for _, i := range ids[start:end] {
			p := &pl[i]
			flat[p.off+p.n] = int32(pos)
			p.n++
		}
		end = start
	}
	list := func(sub, act string) []int32 {
		if i := sc.pairs.find([2]string{sub, act}); i > 0 {
			p := pl[i-1]
			return flat[p.off : p.off+p.n : p.off+p.n]
		}
		return nil
	}
	byName := append(sc.byName[:0], pl...) // sorted by subject and action
	sc.byName = byName
	slices.SortFunc(byName, func(a, b pairList) int {
		if c := strings.Compare(a.sub, b.sub); c != 0 {
			return c
		}
		return strings.Compare(a.act, b.act)
	})
	// Actions listed together in rules get identical buckets (readValue and describeSecret,
	// edit and create, ...): build each distinct one once and share it. built[i] is the
	// bucket numbered i+1 in sc.built, by the hash of its rules.
	built := sc.buckets[:0]
	defer func() { sc.buckets = built }()
	mk := func(lists ...[]int32) *bucket {
		rules := mergeDesc(lists...)
		h := uint64(len(rules))
		for _, p := range rules {
			h = (h^uint64(p))*0x100000001b3 + 0x9e3779b97f4a7c15
		}
		if i := sc.built.find(h); i > 0 && slices.Equal(built[i-1].rules, rules) {
			return built[i-1]
		}
		b := &bucket{rules: rules}
		b.finish(s, sc)
		if sc.built.find(h) == 0 { // a collision keeps the first
			sc.built.id(h)
			built = append(built, b)
		}
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
	keys, vals := sc.keys2[:0], sc.vals[:0]
	otherKeys, others := sc.otherKeys[:0], sc.others[:0]
	// index adds the buckets of sub (All: of subjects no rule names) and returns the bucket
	// for actions no rule names.
	index := func(sub string, own []pairList) *bucket {
		sc.acts.reset()
		for _, p := range own {
			sc.acts.id(p.act)
		}
		for _, p := range all {
			sc.acts.id(p.act)
		}
		ownManage := list(sub, Manage)
		if sub == All {
			ownManage = nil
		}
		other := mk(ownManage, list(All, Manage))
		for _, a := range sc.acts.keys {
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
	sc.keys2, sc.vals, sc.otherKeys, sc.others = keys, vals, otherKeys, others
}

// pairList is a (subject, action) pair and its rules, flat[off:off+n] while a Set's indexes
// are built.
type pairList struct {
	sub, act string
	off, n   int32
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
func (b *bucket) finish(s *Set, sc *buildScratch) {
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
	b.buildGroups(s, sc)
}

// item is one (group, key) of one rule, while a bucket's indexes are built: a rule keyed by
// several environments or prefixes has several.
type item struct {
	prefix string
	pos    int32
	key    int32 // 3*group + kind; group 0 is the free group, 1+i the i-th environment's; kind 0 is unkeyed, 1 keyed by secretPath, 2 by secretName
}

// prefixRun is the prefix lists of one group's rules keyed by one field, while a bucket's
// indexes are built.
type prefixRun struct {
	key            int32
	lo, hi         int // in the bucket's prefix lists
	at             int // the run's first position in the bucket's positions
	n              int // its number of positions
	classOf, count [9]int
}

// buildGroups builds the environment groups and their prefix indexes with a handful of
// allocations: every list is a slice of one shared array.
func (b *bucket) buildGroups(s *Set, sc *buildScratch) {
	sc.envs.reset()
	items := sc.items[:0]
	for _, pos := range b.rules { // descending position, which every list keeps
		k := &s.compiled[pos].keys
		kind := int32(0)
		switch k.field {
		case fieldSecretPath:
			kind = 1
		case fieldSecretName:
			kind = 2
		}
		if !k.envKeyed {
			items = appendItems(items, k, kind, pos)
			continue
		}
		for _, e := range k.envs {
			items = appendItems(items, k, 3*sc.envs.id(e)+kind, pos)
		}
	}
	sc.items = items
	// Order the items by key, each key's items staying in descending position, then each
	// keyed run by prefix.
	nkeys := 3 * (sc.envs.len() + 1)
	counts := slices.Grow(sc.counts[:0], nkeys+1)[:nkeys+1]
	clear(counts)
	for i := range items {
		counts[items[i].key+1]++
	}
	for k := 1; k <= nkeys; k++ {
		counts[k] += counts[k-1]
	}
	sorted := slices.Grow(sc.sorted[:0], len(items))[:len(items)]
	for _, it := range items {
		sorted[counts[it.key]] = it
		counts[it.key]++
	}
	sc.counts, sc.sorted = counts, sorted
	// Every list of the bucket is a span of positions: the groups' rules, then, for each
	// run keyed by name, all its rules.
	named := 0
	for k := 2; k < nkeys; k += 3 {
		named += int(counts[k] - counts[k-1])
	}
	positions := make([]int32, len(sorted), len(sorted)+named)
	for i := range sorted {
		positions[i] = sorted[i].pos
	}
	groups := make([]group, sc.envs.len()+1)
	// The prefix lists of every keyed run, in one array; then the space their heads need.
	runs := sc.runs[:0]
	ps := sc.ps[:0]
	var arena headArena
	for i := 0; i < len(sorted); {
		key := sorted[i].key
		j := i + 1
		for j < len(sorted) && sorted[j].key == key {
			j++
		}
		if key%3 == 0 {
			groups[key/3].rest = span{int32(i), int32(j)}
			i = j
			continue
		}
		run := prefixRun{key: key, at: i, n: j - i, lo: len(ps)}
		ps = groupByPrefix(sc, sorted[i:j], positions[i:j], int32(i), ps)
		run.hi = len(ps)
		if run.hi-run.lo <= fewPrefixes {
			run.classOf, run.count = headPlan(ps[run.lo:run.hi])
			arena.reserve(&run.count)
		}
		runs = append(runs, run)
		i = j
	}
	sc.ps = ps
	arena.alloc()
	for r := range runs {
		run := &runs[r]
		ix := prefixIndex{}
		if ps := ps[run.lo:run.hi:run.hi]; len(ps) > fewPrefixes {
			ix.trie = newTrie(ps)
		} else {
			ix.few = newHeads(ps, &run.classOf, &run.count, &arena)
			if ix.few.ps != nil {
				ix.few.ps = slices.Clone(ix.few.ps) // ps is scratch
			}
		}
		g := &groups[run.key/3]
		if run.key%3 == 1 {
			g.paths = ix
			continue
		}
		// A rule with several name prefixes is in the run several times.
		lo := len(positions)
		positions = append(positions, positions[run.at:run.at+run.n]...)
		all := positions[lo:]
		slices.SortFunc(all, func(a, b int32) int { return int(b - a) })
		positions = positions[:lo+len(slices.Compact(all))]
		g.names = &nameIndex{ix, span{int32(lo), int32(len(positions))}}
	}
	b.positions = positions
	sc.runs = runs
	for i := range groups {
		g := &groups[i]
		g.empty = g.rest.lo == g.rest.hi && len(g.paths.few.classes) == 0 && g.paths.trie == nil && g.names == nil
	}
	b.groups = groups
	envs := sc.envs.keys
	switch {
	case len(envs) == 0:
	case len(envs) <= fewEnvs:
		b.few = make([]envKey, len(envs))
		for i, e := range envs {
			x, y := strtab.Ends(e)
			b.few[i] = envKey{len(e), x, y, int32(i + 1), e}
		}
	case !b.hashEnvs(envs):
		keys := make([][2]string, len(envs))
		ids := make([]int32, len(envs))
		for i, e := range envs {
			keys[i], ids[i] = [2]string{e, ""}, int32(i+1)
		}
		b.envs = strtab.Build(keys, ids)
	}
}

// appendItems appends to items the items of the rule at pos keyed by k, under key.
func appendItems(items []item, k *ruleKeys, key, pos int32) []item {
	if key%3 == 0 {
		return append(items, item{"", pos, key})
	}
	for _, p := range k.prefixes {
		items = append(items, item{p, pos, key})
	}
	return items
}

// groupByPrefix writes to pos the positions of run (items of one key, in descending
// position), grouped by prefix, each group in descending position, and appends to ps a
// prefix list for each, sorted by prefix; off is pos's offset in the bucket's positions.
func groupByPrefix(sc *buildScratch, run []item, pos []int32, off int32, ps []prefixRules) []prefixRules {
	sc.pfx.reset(len(run))
	ids := sc.pids[:0]
	for _, it := range run {
		ids = append(ids, sc.pfx.id(it.prefix)-1)
	}
	sc.pids = ids
	// Sort the distinct prefixes; rank[id] is the place of the prefix numbered id+1.
	prefixes := sc.pfx.keys
	keys := sc.keys[:0]
	for i, p := range prefixes {
		keys = append(keys, prefixKey{bits.ReverseBytes64(head8(p)), int32(i)})
	}
	order := func(a, b prefixKey) int {
		if a.head != b.head {
			return cmp.Compare(a.head, b.head)
		}
		return strings.Compare(prefixes[a.i], prefixes[b.i])
	}
	// Paths listed in order by a role come here latest first: reversed.
	desc := true
	for i := 1; i < len(keys) && desc; i++ {
		desc = order(keys[i-1], keys[i]) > 0
	}
	if desc {
		slices.Reverse(keys)
	} else {
		slices.SortFunc(keys, order)
	}
	sc.keys = keys
	n := len(keys)
	rank := slices.Grow(sc.rank[:0], n)[:n]
	for r, k := range keys {
		rank[k.i] = int32(r)
	}
	sc.rank = rank
	// Place the positions by the rank of their prefix, each rank's in the order given.
	counts := slices.Grow(sc.counts[:0], n+1)[:n+1]
	clear(counts)
	for _, id := range ids {
		counts[rank[id]+1]++
	}
	for r := 1; r <= n; r++ {
		counts[r] += counts[r-1]
	}
	for r, k := range keys {
		ps = append(ps, prefixRules{prefixes[k.i], off + counts[r], off + counts[r+1], bits.ReverseBytes64(k.head)})
	}
	for i, id := range ids {
		r := rank[id]
		pos[counts[r]] = run[i].pos
		counts[r]++
	}
	sc.counts = counts
	return ps
}

// prefixKey is a prefix's place in a list, with its first eight bytes as a big-endian word,
// zero-padded: two keys' words order as their prefixes do, unless they are equal.
type prefixKey struct {
	head uint64
	i    int32
}
