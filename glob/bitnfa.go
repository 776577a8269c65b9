package glob

import "slices"

// This file builds the bit-parallel form of a program: the automaton laid out so that a
// set of its states is a vector of bits and a step of the matcher is a few operations per
// 64-bit word whatever the set (bitexec.go runs it). It answers where the lazy DFA would
// need a new state at almost every unit.
//
// The expression tree is first simplified without changing what it matches (an
// alternation of single units becomes one unit, "(a|b)+" a unit that loops on itself,
// nested stars collapse), then every node becomes a run of consecutive slots, one bit each:
//
//   - a unit is one slot that consumes a unit of its set and continues at the next slot,
//     and, when it loops, at itself too;
//   - a zero-width test (anchor, word boundary, lookaround) is one slot that continues at
//     the next slot where its predicate holds;
//   - an alternation (x1|...|xk) is a fork slot F, then each alternative followed by a
//     join slot (the last alternative continues straight after the alternation): F leads
//     to the first slot of every alternative ("fan-out") and every join to the slot after
//     the alternation ("exit");
//   - an optional x? is a slot S then x: S leads to x and past it;
//   - a repetition x+ is x then a slot B, which leads to the slot after it and back to the
//     start of x. Where every way into B comes from consuming a unit, the way back is made
//     part of that consumption instead (a "jump"), so that no step needs to go backwards;
//   - a run of at least minLine units of one set becomes a delay line: a slot that records
//     when a thread enters, and the thread comes out at the slot after it as many units
//     later, unless a unit outside the set came in between (bitexec.go keeps one entry per
//     position and the position of the last such unit, so the run costs nothing per step);
//   - a run of copies of one item (of up to maxRepPeriod parts) whose strings split a path
//     into copies one way only (repStrings), and a run of optionals of such a body, that
//     would take chainMinSlots slots or more become a repetition line: a slot that threads
//     enter, kept apart as delay lines are, which counts the copies by position
//     (bitrep.go);
//   - a run of other items that would take chainMinSlots slots or more (classes with their
//     literal text, alternations of strings, units of different sets) becomes a chain: a
//     slot that threads enter, kept apart as delay lines are, with one bit per item
//     (bitchain.go, bitfixed.go).
//
// Every node continues at the slot right after its own slots, so a concatenation needs no
// slots of its own. The moves that consume nothing go forward and are taken by adding
// words: a fork, an optional slot or the joins of an alternation are the lowest bits of a
// run of ones, and adding a seed bit to the run carries it to the end of the run, setting
// the bits in between, which a target mask then filters. Runs of one kind ("fan-out" or
// "exit") belong to a level, the number of alternations and optionals around them, so that
// the runs of one level never overlap; two runs of one level that touch (one ends where
// the next begins) may be added together, since reaching the end of the first is reaching
// the start of the second. Zero-width tests are runs of the slots whose predicate holds
// at the position, computed at each step. In a program of one word, a junction that only
// consuming a unit leads to is skipped by jumps too (skipJunctions).
//
// A step thus costs a few operations for each word of state and each level; a pattern of
// up to 1 KiB makes a program of at most about 40 words, usually of one once long runs are
// delay lines and chains.

const (
	// minLine is the shortest run of units of one set that becomes a delay line. A delay
	// line costs a step about as much as a word of state, and a shorter run fits in one.
	minLine = 64

	// maxBitSlots bounds the slots of one bit-parallel program (1024 words of state), far
	// above what a pattern within maxUnits needs.
	maxBitSlots = 1 << 16

	// maxBitTable bounds the words of the per-class table of one bit-parallel program
	// (64 KiB), and maxBitEntries its additions at one word and its jumps and backward
	// moves (each of these two tables then takes under 200 KiB). A program that would need
	// more (one nesting hundreds of alternations deep, or with hundreds of unit classes)
	// is run by the state-set simulation instead. Typical patterns take a few KiB; the
	// largest patterns of 1 KiB (alternations nested 250 deep) about 120 KiB.
	maxBitTable   = 1 << 13
	maxBitEntries = 1 << 12
)

// bkind is the kind of a node of the simplified tree.
type bkind uint8

const (
	bUnit   bkind = iota // one unit of set (an empty set never matches)
	bLoop                // one or more units of set
	bAssert              // a zero-width test: predicate pred
	bEmpty               // the empty string
	bConcat              // subs in sequence
	bAlt                 // one of subs (at least two, none of them nullable alternatives of units)
	bOpt                 // subs[0] or the empty string
	bPlus                // subs[0] one or more times
)

// bnode is a node of the tree the bit-parallel program is built from.
type bnode struct {
	kind bkind
	set  unitSet
	pred int
	subs []*bnode
}

// bEmptyNode is the empty string (shared: nodes are never modified once built).
var bEmptyNode = &bnode{kind: bEmpty}

// bsimp converts an expression tree (without backreferences) into a simplified bnode tree
// matching the same strings.
func (c *compiler) bsimp(n *node) *bnode {
	switch n.op {
	case opFail:
		return &bnode{kind: bUnit}
	case opEmpty:
		return bEmptyNode
	case opUnit:
		return &bnode{kind: bUnit, set: n.set}
	case opCapture:
		return c.bsimp(n.subs[0])
	case opAssert:
		return &bnode{kind: bAssert, pred: c.assertPred(n)}
	case opLook:
		return &bnode{kind: bAssert, pred: c.lookPred(n)}
	case opConcat:
		subs := make([]*bnode, 0, len(n.subs))
		for _, s := range n.subs {
			subs = append(subs, c.bsimp(s))
		}
		return bconcat(subs)
	case opAlt:
		subs := make([]*bnode, 0, len(n.subs))
		for _, s := range n.subs {
			subs = append(subs, c.bsimp(s))
		}
		return balt(subs)
	case opRepeat:
		x := c.bsimp(n.subs[0])
		if x.kind == bEmpty || n.max == 0 {
			return bEmptyNode
		}
		var parts []*bnode
		if n.max < 0 {
			if n.min == 0 {
				return bopt(bplus(x))
			}
			for i := 1; i < n.min; i++ {
				parts = append(parts, x)
			}
			parts = append(parts, bplus(x))
		} else {
			for i := 0; i < n.min; i++ {
				parts = append(parts, x)
			}
			if n.max > n.min {
				ox := bopt(x)
				for i := n.min; i < n.max; i++ {
					parts = append(parts, ox)
				}
			}
		}
		return bconcat(parts)
	}
	panic("glob: unexpected node")
}

// bconcat returns the concatenation of subs, flattened, without empty parts, and with
// neighbouring repetitions of one set merged (x* x* = x*, x+ x? = x+, ...).
func bconcat(subs []*bnode) *bnode {
	var out []*bnode
	add := func(s *bnode) {
		if n := len(out); n > 0 {
			if m := mergeRepeats(out[n-1], s); m != nil {
				out[n-1] = m
				return
			}
		}
		out = append(out, s)
	}
	for _, s := range subs {
		switch s.kind {
		case bEmpty:
		case bConcat:
			for _, t := range s.subs {
				add(t)
			}
		default:
			add(s)
		}
	}
	switch len(out) {
	case 0:
		return bEmptyNode
	case 1:
		return out[0]
	}
	return &bnode{kind: bConcat, subs: out}
}

// mergeRepeats returns the one node that x y is when both repeat one body, at least one of
// them without bound (y* y* = y*, y* y? = y*, y+ y* = y+, y+ y? = y+, for units of a set as
// for "@(ab)" and the like), and nil otherwise (y+ y+ is y{2,}).
func mergeRepeats(x, y *bnode) *bnode {
	bx, mx, ux, okx := repeatOf(x)
	by, my, uy, oky := repeatOf(y)
	if !okx || !oky || !(ux || uy) || !bequal(bx, by) {
		return nil
	}
	switch {
	case mx+my == 0 && ux: // y* y*, y* y?
		return x
	case mx+my == 0: // y? y*
		return y
	case mx == 1 && my == 0: // y+ y*, y+ y?
		return x
	case mx == 0 && my == 1: // y* y+, y? y+
		return y
	}
	return nil // y+ y+
}

// repeatOf reports whether x is y? (min 0, bounded), y* (min 0) or y+ (min 1), with a loop
// of units S taken as S+, and returns the body y (a unit of S for a loop).
func repeatOf(x *bnode) (body *bnode, min int, unbounded, ok bool) {
	switch x.kind {
	case bLoop:
		return &bnode{kind: bUnit, set: x.set}, 1, true, len(x.set) > 0
	case bPlus:
		return x.subs[0], 1, true, true
	case bOpt:
		switch s := x.subs[0]; s.kind {
		case bLoop:
			return &bnode{kind: bUnit, set: s.set}, 0, true, len(s.set) > 0
		case bPlus:
			return s.subs[0], 0, true, true
		case bUnit:
			return s, 0, false, len(s.set) > 0
		default:
			return s, 0, false, true
		}
	}
	return nil, 0, false, false
}

// bequal reports whether x and y are the same tree.
func bequal(x, y *bnode) bool {
	if x == y {
		return true
	}
	if x.kind != y.kind || x.pred != y.pred || len(x.subs) != len(y.subs) || !sameSet(x.set, y.set) {
		return false
	}
	for i := range x.subs {
		if !bequal(x.subs[i], y.subs[i]) {
			return false
		}
	}
	return true
}

// balt returns the alternation of subs: nested alternations are flattened, alternatives
// that are single units merge into one unit, and an alternative that may be empty makes the
// whole alternation optional.
func balt(subs []*bnode) *bnode {
	var out []*bnode
	var units unitSet
	hasUnit, nullable := false, false
	var add func(x *bnode)
	add = func(x *bnode) {
		switch x.kind {
		case bEmpty:
			nullable = true
		case bOpt:
			nullable = true
			add(x.subs[0])
		case bAlt:
			for _, s := range x.subs {
				add(s)
			}
		case bUnit:
			hasUnit = true
			units = append(units, x.set...)
		default:
			out = append(out, x)
		}
	}
	for _, s := range subs {
		add(s)
	}
	if hasUnit && (len(units) > 0 || len(out) == 0) {
		u := &bnode{kind: bUnit, set: append(unitSet(nil), units...).normalize()}
		out = append([]*bnode{u}, out...)
	}
	out = factorHeads(out)
	var r *bnode
	switch len(out) {
	case 0:
		r = bEmptyNode
	case 1:
		r = out[0]
	default:
		r = &bnode{kind: bAlt, subs: out}
	}
	if nullable {
		return bopt(r)
	}
	return r
}

// factorHeads takes the first part of alternatives out where it is the same: "a|ab" is
// "ab?", and "ab|ac" "a(b|c)". An alternative that is one unit is its own first part, with
// nothing after it. The alternatives then take fewer slots, and a run of copies of them
// fewer still.
func factorHeads(alts []*bnode) []*bnode {
	head := func(x *bnode) (*bnode, *bnode) {
		switch {
		case x.kind == bUnit:
			return x, bEmptyNode
		case x.kind == bConcat && x.subs[0].kind == bUnit:
			return x.subs[0], bconcat(x.subs[1:])
		}
		return nil, nil
	}
	for i := 0; i < len(alts); i++ {
		h, rest := head(alts[i])
		if h == nil {
			continue
		}
		rests := []*bnode{rest}
		keep := alts[: i+1 : i+1]
		for _, y := range alts[i+1:] {
			if hy, ry := head(y); hy != nil && sameSet(hy.set, h.set) {
				rests = append(rests, ry)
			} else {
				keep = append(keep, y)
			}
		}
		if len(rests) > 1 {
			keep[i] = bconcat([]*bnode{h, balt(rests)})
			alts = keep
		}
	}
	return alts
}

// bopt returns x?.
func bopt(x *bnode) *bnode {
	if x.kind == bEmpty || x.kind == bOpt || bnullable(x) {
		return x
	}
	return &bnode{kind: bOpt, subs: []*bnode{x}}
}

// bplus returns x+, using (y?)+ = (y+)?, (y+)+ = y+, (a|y+)+ = (a|y)+, and y+ = (y°)* for
// a y that may match the empty string (bstar).
func bplus(x *bnode) *bnode {
	switch x.kind {
	case bEmpty, bLoop, bPlus:
		return x
	case bUnit:
		if len(x.set) == 0 {
			return x
		}
		return &bnode{kind: bLoop, set: x.set}
	case bOpt:
		return bopt(bplus(x.subs[0]))
	}
	if bnullable(x) {
		return bopt(bplus(bstar(x)))
	}
	if u, ok := unitsRepeat(x); ok {
		return &bnode{kind: bLoop, set: u}
	}
	if y, ok := absorbStars(x); ok {
		return bplus(y)
	}
	switch x.kind {
	case bAlt:
		stripped := false
		subs := make([]*bnode, len(x.subs))
		for i, s := range x.subs {
			switch s.kind {
			case bPlus:
				subs[i], stripped = s.subs[0], true
			case bLoop:
				subs[i], stripped = &bnode{kind: bUnit, set: s.set}, true
			default:
				subs[i] = s
			}
		}
		if stripped {
			return bplus(balt(subs))
		}
	}
	return &bnode{kind: bPlus, subs: []*bnode{x}}
}

// absorbStars returns an alternation y with y+ = x+ and fewer loops inside, when x is an
// alternation with an alternative p·Q* (or Q*·p) every alternative of Q is in: one of the
// other alternatives, or p itself. Then (A|pQ*)+ = (A|p|Q)+ = (A|p)+, as each piece of
// the one is a sequence of pieces of the other. "+(a|*(b|?(cd" nested deep, "(a|b|cd)+" at
// its innermost level, is one loop at every level instead of one level of additions per
// nesting: the body of each has the alternatives of the loop inside it.
func absorbStars(x *bnode) (*bnode, bool) {
	if x.kind != bAlt {
		return nil, false
	}
	subs := slices.Clone(x.subs)
	changed := false
	for i, s := range subs {
		if s.kind != bConcat || len(s.subs) < 2 {
			continue
		}
		var q *bnode
		var p []*bnode
		if q = starBody(s.subs[len(s.subs)-1]); q != nil {
			p = s.subs[:len(s.subs)-1]
		} else if q = starBody(s.subs[0]); q != nil {
			p = s.subs[1:]
		} else {
			continue
		}
		pn := bconcat(p)
		qs := []*bnode{q}
		if q.kind == bAlt {
			qs = q.subs
		}
		covered := true
		for _, a := range qs {
			if !bequal(a, pn) && !altCovers(subs, i, a) {
				covered = false
				break
			}
		}
		if covered {
			subs[i], changed = pn, true
		}
	}
	if !changed {
		return nil, false
	}
	return balt(subs), true
}

// starBody returns y when x is y* (a loop of units S as the unit S), and nil otherwise.
func starBody(x *bnode) *bnode {
	if x.kind != bOpt {
		return nil
	}
	switch s := x.subs[0]; s.kind {
	case bPlus:
		return s.subs[0]
	case bLoop:
		return &bnode{kind: bUnit, set: s.set}
	}
	return nil
}

// altCovers reports whether y matches only strings one of alts other than alts[skip]
// matches: one that is the same tree, or a unit or loop of a set including y's units.
func altCovers(alts []*bnode, skip int, y *bnode) bool {
	for j, a := range alts {
		if j == skip {
			continue
		}
		if bequal(a, y) {
			return true
		}
		if y.kind == bUnit && (a.kind == bUnit || a.kind == bLoop) && len(y.set) > 0 && setWithin(y.set, a.set) {
			return true
		}
	}
	return false
}

// setWithin reports whether every unit of s is in t (both normalized).
func setWithin(s, t unitSet) bool {
	for _, r := range s {
		in := false
		for _, q := range t {
			if q.lo <= r.lo && r.hi <= q.hi {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// unitsRepeat reports whether x+ is U+, U the units x uses: when x matches every one of
// them alone, and only strings that are not empty (it is not nullable and has no zero-width
// test). "+(a|*(b|?(c" nested sixty deep is then "[abc]+" rather than a program of sixty
// levels of additions: the body of each level matches "a", "b" and "c" alone.
func unitsRepeat(x *bnode) (unitSet, bool) {
	var used unitSet
	var walk func(x *bnode) bool
	walk = func(x *bnode) bool {
		switch x.kind {
		case bAssert:
			return false
		case bUnit, bLoop:
			used = append(used, x.set...)
		}
		for _, s := range x.subs {
			if !walk(s) {
				return false
			}
		}
		return true
	}
	if bnullable(x) || !walk(x) || len(used) == 0 {
		return nil, false
	}
	used = used.normalize()
	single := bsingles(x).normalize()
	return used, sameSet(used, single)
}

// bsingles returns the units u for which x matches the string "u" (a zero-width test
// counts as matching nothing).
func bsingles(x *bnode) unitSet {
	switch x.kind {
	case bUnit, bLoop:
		return append(unitSet(nil), x.set...)
	case bAlt, bOpt, bPlus:
		var out unitSet
		for _, s := range x.subs {
			out = append(out, bsingles(s)...)
		}
		return out
	case bConcat:
		// One part matches the unit and the others the empty string.
		var must *bnode
		for _, s := range x.subs {
			if !bnullable(s) {
				if must != nil {
					return nil // two parts that consume
				}
				must = s
			}
		}
		if must != nil {
			return bsingles(must)
		}
		var all unitSet
		for _, s := range x.subs {
			all = append(all, bsingles(s)...)
		}
		return all
	}
	return nil
}

// bstar returns y with y* = x*, without the ways to match the empty string inside x that
// the star makes useless: (y?)* = y*, (y+)* = y*, (a|y)* = (a°|y°)*, and (yz)* = (y|z)* when
// y and z may both be empty. "@(*(a)*(b))+" then makes one loop of units, "[ab]*", instead
// of a repetition of two optional loops, whose ways that consume nothing cost a program
// levels of additions at every step.
func bstar(x *bnode) *bnode {
	switch x.kind {
	case bLoop:
		return &bnode{kind: bUnit, set: x.set}
	case bOpt, bPlus:
		return bstar(x.subs[0])
	case bAlt:
		subs := make([]*bnode, len(x.subs))
		for i, s := range x.subs {
			subs[i] = bstar(s)
		}
		return balt(subs)
	case bConcat:
		if !bnullable(x) {
			return x
		}
		subs := make([]*bnode, len(x.subs))
		for i, s := range x.subs {
			subs[i] = bstar(s)
		}
		return balt(subs)
	}
	return x
}

// bnullable reports whether x matches the empty string whatever the position (a
// zero-width test counts as not nullable).
func bnullable(x *bnode) bool {
	switch x.kind {
	case bEmpty, bOpt:
		return true
	case bConcat:
		for _, s := range x.subs {
			if !bnullable(s) {
				return false
			}
		}
		return true
	case bAlt:
		for _, s := range x.subs {
			if bnullable(s) {
				return true
			}
		}
		return false
	case bPlus:
		return bnullable(x.subs[0])
	}
	return false
}

// Slot kinds.
const (
	slotPos      uint8 = iota // consumes a unit of sets[arg]
	slotAssert                // passes to the next slot when preds[arg] holds
	slotJunction              // a fork, join, optional or repetition slot
	slotLine                  // the entry of delay line arg
	slotChain                 // the entry of chain arg (bitchain.go)
	slotMatch                 // accepts
)

// Families of forward moves, each taken by one addition per level.
const (
	famFanout = iota
	famExit
)

// bitRun is a run of slots [lo, hi] of one family and level: each seed reaches every
// target above it in the run and the slot hi+1.
type bitRun struct {
	fam, lvl int
	lo, hi   int
	seeds    []int
	targets  []int
}

// bitEdge is a move that consumes nothing, for the analysis of repetitions.
type bitEdge struct {
	from, to int
	cond     bool // taken only where a predicate holds
}

// bitLine is a delay line: a run of n units of set sets[set], entered at slot.
type bitLine struct {
	slot, n, set int
}

// bitLoop is a repetition: x from slot start, then its repetition slot back.
type bitLoop struct {
	start, back int
}

// bitBuilder lays out one program.
type bitBuilder struct {
	c      *compiler
	kinds  []uint8
	args   []int
	self   []bool
	runs   []bitRun
	loops  []bitLoop
	edges  []bitEdge
	lines  []bitLine
	chains []bitChain
	chainW int      // the words the chains' tables may take (chainWords, fixedWords)
	jumps  [][2]int // consuming slot from continues at slot to
	backs  [][2]int // repetition slot from leads back to slot to
	// exitTo has, for a one-word program, the slots a delay line or chain entered at a
	// slot leads to when it leaves, when a junction after it is skipped.
	exitTo map[int]uint64
	maxLvl int
	start  int
	match  int
	tooBig bool
}

// newBitBuilder lays out the bit-parallel form of tree. Its tables are completed by
// finish, once the unit classes are known.
func (c *compiler) newBitBuilder(tree *node) *bitBuilder {
	b := &bitBuilder{c: c}
	b.build(c.bsimp(tree), 0)
	b.match = b.slot(slotMatch, 0)
	if b.tooBig {
		return nil
	}
	b.analyzeLoops()
	if len(b.kinds) <= 64 {
		b.skipJunctions()
	}
	return b
}

// next returns the index the next slot will have.
func (b *bitBuilder) next() int { return len(b.kinds) }

// slot adds a slot and returns its index.
func (b *bitBuilder) slot(kind uint8, arg int) int {
	if len(b.kinds) >= maxBitSlots {
		b.tooBig = true
	}
	b.kinds = append(b.kinds, kind)
	b.args = append(b.args, arg)
	b.self = append(b.self, false)
	return len(b.kinds) - 1
}

// run records a run of slots lo..hi of a family and level, with the moves it stands for.
func (b *bitBuilder) run(fam, lvl, lo, hi int, seeds, targets []int) {
	b.runs = append(b.runs, bitRun{fam: fam, lvl: lvl, lo: lo, hi: hi, seeds: seeds, targets: targets})
	if lvl > b.maxLvl {
		b.maxLvl = lvl
	}
	for _, s := range seeds {
		if fam == famExit {
			b.edges = append(b.edges, bitEdge{from: s, to: hi + 1})
			continue
		}
		for _, t := range targets {
			b.edges = append(b.edges, bitEdge{from: s, to: t})
		}
	}
}

// build lays out x at level lvl.
func (b *bitBuilder) build(x *bnode, lvl int) {
	if b.tooBig {
		return
	}
	switch x.kind {
	case bUnit:
		b.slot(slotPos, b.c.set(x.set))
	case bLoop:
		p := b.slot(slotPos, b.c.set(x.set))
		b.self[p] = true
	case bAssert:
		a := b.slot(slotAssert, x.pred)
		b.edges = append(b.edges, bitEdge{from: a, to: a + 1, cond: true})
	case bEmpty:
	case bConcat:
		subs := x.subs
		// lineEnd[i]: the end of the run of units of one set that starts at i.
		lineEnd := make([]int, len(subs)+1)
		lineEnd[len(subs)] = len(subs)
		for i := len(subs) - 1; i >= 0; i-- {
			lineEnd[i] = i
			if subs[i].kind == bUnit && len(subs[i].set) > 0 {
				lineEnd[i] = i + 1
				if i+1 < len(subs) && subs[i+1].kind == bUnit && sameSet(subs[i+1].set, subs[i].set) {
					lineEnd[i] = lineEnd[i+1]
				}
			}
		}
		// repN[i], repP[i]: the copies and the period of the longest run of copies of an
		// item of one to maxRepPeriod parts that starts at subs[i] and may make a repetition
		// line (bitrep.go), and srcAt[i]: a delay line or a repetition line starts at i,
		// which ends a chain before it. same[p-1][i] counts the parts from i on equal to the
		// part p after them.
		var same [maxRepPeriod][]int
		for p := 1; p <= maxRepPeriod; p++ {
			same[p-1] = make([]int, len(subs)+1)
			for i := len(subs) - p - 1; i >= 0; i-- {
				if bequal(subs[i], subs[i+p]) {
					same[p-1][i] = same[p-1][i+1] + 1
				}
			}
		}
		repN, repP := make([]int, len(subs)), make([]int, len(subs))
		srcAt := make([]bool, len(subs)+1)
		for i := range subs {
			for p := 1; p <= maxRepPeriod; p++ {
				n := 1 + same[p-1][i]/p
				if n < 2 || n*p <= repN[i]*repP[i] || p == 1 && subs[i].kind == bUnit {
					continue // units of one set make delay lines
				}
				x := bconcat(subs[i : i+p])
				if strs, ok := fixedItemOf(x); ok && repBody(strs) && n*bslots(x) >= chainMinSlots {
					repN[i], repP[i] = n, p
				}
			}
			srcAt[i] = lineEnd[i]-i >= minLine || repN[i] > 0
		}
		for i := 0; i < len(subs); {
			if k := lineEnd[i]; k-i >= minLine {
				b.lines = append(b.lines, bitLine{slot: b.next(), n: k - i, set: b.c.set(subs[i].set)})
				b.slot(slotLine, len(b.lines)-1)
				i = k
				continue
			}
			if k := optRunEnd(subs, i); k-i >= 2 {
				if !b.optChain(subs[i].subs[0], k-i) {
					b.optRun(subs[i].subs[0], k-i, lvl)
				}
				i = k
				continue
			}
			if n, p := repN[i], repP[i]; n > 0 {
				// Copies of one item: a repetition line takes them all.
				strs, _ := fixedItemOf(bconcat(subs[i : i+p]))
				items := make([][][]unitSet, n)
				for j := range items {
					items[j] = strs
				}
				b.chain(nil, items)
				b.chains[len(b.chains)-1].rep = true
				i += n * p
				continue
			}
			k, items, strs, w, slots := chainRun(subs, i, len(subs), srcAt)
			if h, e, group := copiesRun(subs, i, k, items); h > i || e < k || group != nil {
				for ; i < h; i++ {
					b.build(subs[i], lvl)
				}
				if group != nil {
					// (slots stays the whole run's: the copies alone take chainMinSlots.)
					k, items, strs, w = e, group, nil, chainWords(group)
				} else {
					k, items, strs, w, slots = chainRun(subs, i, e, srcAt)
				}
			}
			if k-i >= 2 && slots >= chainMinSlots && b.chainW+w <= maxChainWords {
				b.chainW += w
				b.chain(items, strs)
				i = k
				continue
			}
			for k = max(k, i+1); i < k; i++ {
				b.build(subs[i], lvl)
			}
		}
	case bAlt:
		f := b.slot(slotJunction, 0)
		var starts, joins []int
		for i, s := range x.subs {
			starts = append(starts, b.next())
			b.build(s, lvl+1)
			if i < len(x.subs)-1 {
				joins = append(joins, b.slot(slotJunction, 0))
			}
		}
		e := b.next()
		last := starts[len(starts)-1]
		b.run(famFanout, lvl, f, last-1, []int{f}, starts)
		b.run(famExit, lvl, joins[0], e-1, joins, []int{e})
	case bOpt:
		s := b.slot(slotJunction, 0)
		b.build(x.subs[0], lvl+1)
		e := b.next()
		b.run(famFanout, lvl, s, s, []int{s}, []int{s + 1})
		b.run(famExit, lvl, s, e-1, []int{s}, []int{e})
	case bPlus:
		start := b.next()
		b.build(x.subs[0], lvl)
		back := b.slot(slotJunction, 0)
		b.run(famExit, lvl, back, back, []int{back}, []int{back + 1})
		b.edges = append(b.edges, bitEdge{from: back, to: start})
		b.loops = append(b.loops, bitLoop{start: start, back: back})
	}
}

// maxPredSteps bounds the steps testSteps follows the threads for.
const maxPredSteps = 8

// testSteps returns the number of first steps after which no thread may reach a zero-width
// slot testing something other than "^" and "$" (1 when a thread may reach one before
// consuming a unit only, as picomatch's "(?=.)" at the start of most patterns; 2 for the
// lookahead of "/!(...)"), or -1 when threads may reach one after maxPredSteps steps or
// more (a loop, a delay line or a chain before the test), for a program that does not
// search. The slots a thread may be at after d steps are followed, with every unit
// consumed, each source holding its threads for as long as it likes.
func (b *bitBuilder) testSteps(a *automaton) int {
	n := len(b.kinds)
	next := make([][]int, n+1) // the moves from a slot: those that consume nothing, then the others
	eps := make([]int, n+1)
	for _, e := range b.edges {
		next[e.from] = append(next[e.from], e.to)
	}
	for i := range eps {
		eps[i] = len(next[i])
	}
	for i, k := range b.kinds {
		switch k {
		case slotPos:
			next[i] = append(next[i], i+1)
			if b.self[i] {
				next[i] = append(next[i], i)
			}
		case slotLine, slotChain:
			next[i] = append(next[i], i, i+1)
		}
	}
	for _, j := range b.jumps {
		next[j[0]] = append(next[j[0]], j[1])
	}
	isTest := func(s int) bool {
		if s >= n || b.kinds[s] != slotAssert {
			return false
		}
		k := a.preds[b.args[s]].kind
		return k != pBegin && k != pEnd
	}
	// closure adds to set the slots its slots lead to (by every move with all, else by
	// those that consume nothing), and reports whether one is a test.
	var stack []int
	closure := func(set []bool, all bool) bool {
		stack = stack[:0]
		test := false
		for s, in := range set {
			if in {
				stack = append(stack, s)
			}
		}
		for len(stack) > 0 {
			s := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			test = test || isTest(s)
			moves := next[s]
			if !all {
				moves = moves[:eps[s]]
			}
			for _, t := range moves {
				if !set[t] {
					set[t] = true
					stack = append(stack, t)
				}
			}
		}
		return test
	}
	cur := make([]bool, n+1)
	cur[b.start] = true
	closure(cur, false)
	reach := make([]bool, n+1)
	for d := 0; d <= maxPredSteps; d++ {
		copy(reach, cur)
		if !closure(reach, true) {
			return d
		}
		// The slots after one more step: where the consuming moves of cur lead.
		clear(reach)
		for s, in := range cur {
			if in {
				for _, t := range next[s][eps[s]:] {
					reach[t] = true
				}
			}
		}
		cur, reach = reach, cur
		closure(cur, false)
	}
	return -1
}

// optRunEnd returns the end of the run of optionals of one body ("?(a|b)" or "?(ab)"
// repeated) that starts at subs[i].
func optRunEnd(subs []*bnode, i int) int {
	if subs[i].kind != bOpt {
		return i
	}
	k := i + 1
	for k < len(subs) && subs[k].kind == bOpt && bequal(subs[k].subs[0], subs[i].subs[0]) {
		k++
	}
	return k
}

// optRun lays out k optionals of body y, which match y from 0 to k times, as one optional
// slot and k copies of y, from the start of each of which a thread may leave for the slot
// after the last copy (a thread at the start of a copy can do all that one at the start of
// a later copy can). Laid out one by one, the k optionals would take a slot and a level of
// additions more each.
func (b *bitBuilder) optRun(y *bnode, k, lvl int) {
	s := b.slot(slotJunction, 0)
	seeds := []int{s}
	for j := 0; j < k; j++ {
		seeds = append(seeds, b.next())
		b.build(y, lvl+1)
	}
	e := b.next()
	b.run(famFanout, lvl, s, s, []int{s}, []int{s + 1})
	b.run(famExit, lvl, s, e-1, seeds, []int{e})
}

// optChain lays out k optionals of a body y that matches a few strings of fixed length as
// y{0,m-1} | y{m,k}: the first as slots (optRun), the second as a repetition line when
// y's strings split a path into copies one way only (repStrings), else as a fixed chain of
// k items that threads may leave from the end of the m-th on. m is the fewest copies of y
// that take optChainSteps steps, so that the chain holds every thread for a block of that
// many at least, or as many as optChainSlots slots hold. It reports false, laying out
// nothing, when the chain would not fit or the run is too short to gain from one.
func (b *bitBuilder) optChain(y *bnode, k int) bool {
	strs, ok := fixedItemOf(y)
	if !ok {
		return false
	}
	short := len(strs[0])
	for _, s := range strs {
		short = min(short, len(s))
	}
	ys := bslots(y)
	m := min((optChainSteps+short-1)/short, max(1, optChainSlots/ys))
	if k < m+2 || k*ys < chainMinSlots {
		return false
	}
	items := make([][][]unitSet, k)
	for i := range items {
		items[i] = strs
	}
	rep := repBody(strs) // a repetition line (bitrep.go)
	if !rep {
		if _, ok := fixedTracks(items); !ok {
			return false
		}
		w := fixedWords(items)
		if b.chainW+w > maxChainWords {
			return false
		}
		b.chainW += w
	}
	// The alternation takes levels of its own: at the level of the parts around it, its
	// additions and theirs (a "*" before it) could lead to one another in a cycle, which
	// takes a second round at every step.
	lvl := b.maxLvl + 1
	f := b.slot(slotJunction, 0)
	s1 := b.next()
	if m > 1 {
		b.optRun(y, m-1, lvl+1)
	}
	join := b.slot(slotJunction, 0)
	s2 := b.next()
	b.chain(nil, items)
	b.chains[len(b.chains)-1].exitFrom = m - 1
	b.chains[len(b.chains)-1].rep = rep
	e := b.next()
	b.run(famFanout, lvl, f, s2-1, []int{f}, []int{s1, s2})
	b.run(famExit, lvl, join, e-1, []int{join}, []int{e})
	return true
}

// optChainSteps is the length of block (bitexec.go) an optChain's fixed chain should allow
// at least, and optChainSlots the slots the copies before it should take at most.
const (
	optChainSteps = 32
	optChainSlots = 48
)

// analyzeLoops turns the way back of each repetition into jumps of the consuming slots
// where that is exact: when every way into the repetition slot B from inside x starts by
// consuming a unit at some slot p and continues by moves that test nothing, consuming at
// p may as well continue at the start of x directly. Otherwise the way back stays a
// backward move, which costs the matcher another round at the steps that take it.
func (b *bitBuilder) analyzeLoops() {
	n := len(b.kinds)
	into := make([][]bitEdge, n)
	for _, e := range b.edges {
		into[e.to] = append(into[e.to], e)
	}
	// reach[i]: 0 unknown, 1 B is reachable from i only through tests, 2 reachable without.
	reach := make([]uint8, n)
	var stack []int
	for _, l := range b.loops {
		lo, hi := l.start, l.back
		for i := lo; i <= hi; i++ {
			reach[i] = 0
		}
		// First the slots that reach B by moves that test nothing, then, from all of those,
		// the slots that reach it through tests.
		reach[hi] = 2
		stack = append(stack[:0], hi)
		for pass := uint8(2); pass >= 1; pass-- {
			if pass == 1 {
				stack = stack[:0]
				for i := lo; i <= hi; i++ {
					if reach[i] == 2 {
						stack = append(stack, i)
					}
				}
			}
			for len(stack) > 0 {
				t := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, e := range into[t] {
					if e.from < lo || e.from > hi || (pass == 2 && e.cond) || reach[e.from] != 0 {
						continue
					}
					reach[e.from] = pass
					stack = append(stack, e.from)
				}
			}
		}
		var from []int
		exact := true
		for p := lo; p < hi; p++ {
			switch b.kinds[p] {
			case slotPos:
				switch reach[p+1] {
				case 2:
					from = append(from, p)
				case 1:
					exact = false
				}
			case slotLine, slotChain:
				if reach[p+1] > 0 {
					exact = false
				}
			}
		}
		if !exact {
			b.backs = append(b.backs, [2]int{hi, lo})
			continue
		}
		for _, p := range from {
			if p == lo {
				b.self[p] = true
			} else {
				b.jumps = append(b.jumps, [2]int{p, lo})
			}
		}
	}
}

// skipJunctions removes work from the steps of a one-word program: a fork, join or
// optional slot that nothing but consuming a unit or leaving a delay line or chain leads
// to (no move that consumes nothing, not the start) is skipped by making every slot that
// consumes into it continue directly at the slots it leads to by moves that test nothing
// (the consuming slots, tests, delay lines and chains among them; the other junctions
// there are reached otherwise too, and what they lead to is in the same set), and the
// threads leaving the delay line or chain before it go there too (exitTo). The junction
// then seeds no addition. In a one-word program such a jump costs two operations a step,
// an addition about eight.
func (b *bitBuilder) skipJunctions() {
	n := len(b.kinds)
	into := make([]int, n+1)
	out := make([][]bitEdge, n+1)
	for _, e := range b.edges {
		into[e.to]++
		out[e.from] = append(out[e.from], e)
	}
	skip := make([]bool, n)
	var closure []int
	seen := make([]bool, n+1)
	var stack []int
	for j, k := range b.kinds {
		if k != slotJunction || into[j] > 0 || j == b.start {
			continue
		}
		// Only consuming the unit at j-1 leads to j (the start of a repetition, which a jump
		// may lead to, has the way back leading to it too), or leaving the delay line or
		// chain at j-1, which then leads where j does.
		var from []int
		src := j > 0 && (b.kinds[j-1] == slotLine || b.kinds[j-1] == slotChain)
		if j > 0 && b.kinds[j-1] == slotPos {
			from = append(from, j-1)
		}
		// What j leads to without a test.
		clear(seen)
		closure = closure[:0]
		stack = append(stack[:0], j)
		seen[j] = true
		for len(stack) > 0 {
			t := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if t != j && b.kinds[t] != slotJunction {
				closure = append(closure, t)
			}
			for _, e := range out[t] {
				if !e.cond && !seen[e.to] {
					seen[e.to] = true
					stack = append(stack, e.to)
				}
			}
		}
		for _, p := range from {
			for _, t := range closure {
				if t == p {
					b.self[p] = true
				} else {
					b.jumps = append(b.jumps, [2]int{p, t})
				}
			}
		}
		if src {
			if b.exitTo == nil {
				b.exitTo = make(map[int]uint64)
			}
			for _, t := range closure {
				b.exitTo[j-1] |= 1 << t
			}
		}
		skip[j] = true
	}
	for i := range b.runs {
		r := &b.runs[i]
		r.seeds = slices.DeleteFunc(r.seeds, func(s int) bool { return skip[s] })
	}
	b.backs = slices.DeleteFunc(b.backs, func(m [2]int) bool { return skip[m[0]] })
}

// bitProg is the bit-parallel form of one program, run by bitexec.go. Slot i is bit i%64 of
// word i/64 of a state.
type bitProg struct {
	words  int
	start  int
	match  int
	nclass int
	// reach holds a row of words+1 words per unit class: the consuming slots whose set has
	// the class, then (a word the state never uses) the delay lines whose set has it.
	reach  []uint64
	self   []uint64   // words+1: consuming slots that also continue at themselves
	jumps  []bitShift // by target word: consuming slots that also continue elsewhere
	ents   []bitEnt   // the additions of a round, word by word
	static []bitEnt   // the middle of ents, without the zero-width tests, for positions where none holds
	backs  []bitShift // backward moves that consume nothing
	preds  []bitPred  // predicates other than "^" and "$"
	begin  []bitPred  // "^" (at most one)
	end    []bitPred  // "$" (at most one)
	holdWs []int32    // words holding a zero-width test slot or where one leads
	lines  []bitLineProg
	ring   int // total length of the delay lines' rings, in bits (a multiple of 64)
	chains []bitChainProg
	fixes  []bitFixedProg
	reps   []bitRepProg
	// The sources (delay lines, chains, fixed chains, then repetition lines): their entry
	// and exit slots, and the length of a block of steps (bitexec.go), at most the fewest
	// steps a thread takes through any.
	srcSlot, srcExit []int
	srcExitBits      []uint64 // one-word programs: the slots the threads leaving each source reach
	// deferred: the sources (bit i: source i) that a one-word program advances after it
	// has run a block, with the threads that entered them during it (bitexec.go): chains
	// from whose exit no slot leads to the entry of any chain, so that the entries of a
	// block do not depend on what leaves them in it. life, per source of a one-word
	// program: the steps after which the threads leaving it are gone, where no zero-width
	// test holds, never having reached the match or a source (-1: they may reach them, or
	// live on); span: the most steps a thread stays in it (-1: no bound). A thread that
	// enters a source more than life+span steps before the end cannot matter.
	deferred   uint64
	life, span []int
	// quick, per source of a one-word program: the slots its exits reach without
	// consuming, when none is the match or a source's entry (else 0): threads left there
	// are gone at once if no slot of them consumes the next unit.
	quick []uint64
	block int
	fast1 *fast1Prog // the one-word program as run1 runs it, when it fits
	cost  int        // an estimate of the work of one step, in word operations

	// predSteps: the tests of preds matter at the first predSteps steps only (-1: at every
	// step), unless the program searches, starting threads at every step (testSteps).
	predSteps int
}

// bitShift moves the bits of slots masked by m0 (word i) and m1 (word i+1), shifted right by
// r, into word tw: a jump or a backward move (or, with left, a jump forward within a word).
type bitShift struct {
	tw, i  int32
	r      uint8
	left   bool // a jump forward: the bits of m0 in word i (= tw) shifted left by r
	m0, m1 uint64
	feed   uint64
}

// bitEnt is one family and level's addition at one word w; a round makes the entries in
// order. An addition spans consecutive entries, and the carry out of its last word is
// always zero (the end of every run is one of its targets), so consecutive additions can
// share the carry variable. For the zero-width tests, dyn is all ones and the run and the
// seeds are the slots whose predicate holds. A bit added where feed is set is the seed of
// an addition made earlier in the round, which means another round.
type bitEnt struct {
	w                         int
	run, seed, tgt, feed, dyn uint64
}

// bitPred is a predicate tested by zero-width slots, and where those slots are.
type bitPred struct {
	pred  int
	kind  predKind
	words []int32
	masks []uint64
}

// bitLineProg is a delay line as run: entry slot, exit slot, length, set (and its
// classes), and its ring: a bit per position, from word ringOff, ringMask+1 bits.
type bitLineProg struct {
	slot, exit, n, set int
	classes            [4]uint64
	ringOff, ringMask  int
}

// finish builds the tables of the program once the unit classes are known. It returns nil
// when the program cannot be run bit-parallel within the limits.
func (b *bitBuilder) finish(a *automaton) *bitProg {
	if b == nil || a.classes == nil {
		return nil
	}
	nslots := len(b.kinds)
	words := (nslots + 63) / 64
	nclass := a.classes.n
	if (nclass+2)*(words+1) > maxBitTable {
		return nil
	}
	bp := &bitProg{words: words, start: b.start, match: b.match, nclass: nclass}
	bit := func(v []uint64, i int) { v[i>>6] |= 1 << (i & 63) }

	bp.reach = make([]uint64, nclass*(words+1))
	bp.self = make([]uint64, words+1)
	for i, k := range b.kinds {
		if k != slotPos {
			continue
		}
		for c := 0; c < nclass; c++ {
			if a.inClass(b.args[i], c) {
				bit(bp.reach[c*(words+1):], i)
			}
		}
		if b.self[i] {
			bit(bp.self, i)
		}
	}

	// The last word of each reach row meets only the state's extra word, which stays zero;
	// its bits say which delay lines' sets hold the class (at most 64 lines, which a
	// pattern within maxUnits cannot exceed).
	if len(b.lines) > 64 {
		return nil
	}
	for i, l := range b.lines {
		for c := 0; c < nclass; c++ {
			if a.inClass(l.set, c) {
				bp.reach[c*(words+1)+words] |= 1 << i
			}
		}
	}

	// The forward additions: the first zero-width round, exits from the deepest level up,
	// fan-outs from the top down, the last zero-width round (the middle then reordered by
	// orderAdditions).
	var order []addKey
	order = append(order, addKey{-1, 0})
	for l := b.maxLvl; l >= 0; l-- {
		order = append(order, addKey{famExit, l})
	}
	for l := 0; l <= b.maxLvl; l++ {
		order = append(order, addKey{famFanout, l})
	}
	order = append(order, addKey{-1, 1})
	masks := make([]addMasks, len(order))
	index := map[addKey]int{}
	for i, k := range order {
		index[k] = i
		masks[i] = addMasks{make([]uint64, words+1), make([]uint64, words+1), make([]uint64, words+1)}
	}
	for _, r := range b.runs {
		m := masks[index[addKey{r.fam, r.lvl}]]
		for i := r.lo; i <= r.hi; i++ {
			bit(m.run, i)
		}
		for _, s := range r.seeds {
			bit(m.seed, s)
		}
		for _, t := range r.targets {
			bit(m.tgt, t)
		}
		bit(m.tgt, r.hi+1)
	}
	assertSlots := make([]uint64, words+1)
	assertWords := make([]bool, words+1)
	for i, k := range b.kinds {
		if k == slotAssert {
			bit(assertSlots, i)
			assertWords[i>>6] = true
			assertWords[(i+1)>>6] = true
		}
	}
	orderAdditions(order, masks)
	// seen[w]: seeds of the additions made so far in the round, at word w.
	seen := make([]uint64, words+1)
	staticFrom := 0
	for i, k := range order {
		m := masks[i]
		if k.fam < 0 {
			m.run = assertSlots
			m.tgt = make([]uint64, words+1)
			for w := range m.tgt {
				if assertWords[w] {
					m.tgt[w] = ^uint64(0)
				}
			}
		}
		// One addition per stretch of words it touches; a stretch may not end where a
		// carry is still due, which the target masks ensure (the end of every run is a
		// target). An addition without seeds does nothing.
		if k.fam >= 0 && !slices.ContainsFunc(m.seed, func(w uint64) bool { return w != 0 }) {
			continue
		}
		for w := 0; w < words; {
			if m.run[w]|m.tgt[w] == 0 {
				w++
				continue
			}
			for ; w < words && m.run[w]|m.tgt[w] != 0; w++ {
				e := bitEnt{w: w, run: m.run[w], seed: m.seed[w], tgt: m.tgt[w], feed: seen[w]}
				if i == 0 {
					e.feed = 0
				}
				if k.fam < 0 {
					e.run, e.seed, e.dyn = 0, 0, ^uint64(0)
				}
				bp.ents = append(bp.ents, e)
			}
			if len(bp.ents) > maxBitEntries {
				return nil
			}
		}
		if k.fam >= 0 {
			for w := range seen {
				seen[w] |= m.seed[w]
			}
		}
		if i == 0 {
			staticFrom = len(bp.ents)
		}
	}
	// The additions of the tests come first and last, so the others are the middle.
	staticTo := len(bp.ents)
	for staticTo > staticFrom && bp.ents[staticTo-1].dyn != 0 {
		staticTo--
	}
	bp.static = bp.ents[staticFrom:staticTo:staticTo]

	// Everything a backward move may need to take further: every seed and test slot.
	allSeeds := slices.Clone(assertSlots)
	for _, m := range masks {
		for w := range allSeeds {
			allSeeds[w] |= m.seed[w]
		}
	}
	backSrc := make([]uint64, words+1)
	for _, e := range b.backs {
		bit(backSrc, e[0])
	}
	for w := range allSeeds {
		allSeeds[w] |= backSrc[w]
	}
	if len(b.jumps)+len(b.backs) > maxBitEntries {
		return nil
	}
	bp.jumps = shifts(b.jumps, words, nil)
	slices.SortStableFunc(bp.jumps, func(x, y bitShift) int { return int(x.tw - y.tw) }) // the pass takes them word by word
	bp.backs = shifts(b.backs, words, allSeeds)

	// Predicates of the zero-width slots.
	byPred := map[int]*bitPred{}
	var preds []*bitPred
	for i, k := range b.kinds {
		if k != slotAssert {
			continue
		}
		p, ok := byPred[b.args[i]]
		if !ok {
			p = &bitPred{pred: b.args[i], kind: a.preds[b.args[i]].kind}
			byPred[b.args[i]] = p
			preds = append(preds, p)
		}
		w := int32(i >> 6)
		if n := len(p.words); n == 0 || p.words[n-1] != w {
			p.words = append(p.words, w)
			p.masks = append(p.masks, 0)
		}
		p.masks[len(p.masks)-1] |= 1 << (i & 63)
	}
	for _, p := range preds {
		switch p.kind {
		case pBegin:
			bp.begin = append(bp.begin, *p)
		case pEnd:
			bp.end = append(bp.end, *p)
		default:
			bp.preds = append(bp.preds, *p)
		}
	}
	bp.predSteps = -1
	if len(bp.preds) > 0 {
		bp.predSteps = b.testSteps(a)
	}
	for w, ok := range assertWords[:words] {
		if ok {
			bp.holdWs = append(bp.holdWs, int32(w))
		}
	}

	for _, l := range b.lines {
		size := 64
		for size < l.n+1 {
			size <<= 1
		}
		lp := bitLineProg{slot: l.slot, exit: l.slot + 1, n: l.n, set: l.set, ringOff: bp.ring / 64, ringMask: size - 1}
		for c := 0; c < a.classes.n; c++ {
			if a.inClass(l.set, c) {
				lp.classes[c>>6] |= 1 << (c & 63)
			}
		}
		bp.lines = append(bp.lines, lp)
		bp.ring += size
	}
	bp.block = blockMax
	for _, l := range bp.lines {
		bp.srcSlot = append(bp.srcSlot, l.slot)
		bp.srcExit = append(bp.srcExit, l.exit)
		bp.block = min(bp.block, l.n)
	}
	for i := range b.chains {
		if g := &b.chains[i]; g.strs == nil {
			cp := finishChain(a, g, g.slot+1)
			bp.chains = append(bp.chains, cp)
			bp.srcSlot = append(bp.srcSlot, cp.slot)
			bp.srcExit = append(bp.srcExit, cp.exit)
			bp.block = min(bp.block, cp.k) // every item consumes a unit at least
			bp.cost += 4 + 2*cp.cw
		}
	}
	for i := range b.chains {
		if g := &b.chains[i]; g.strs != nil && !g.rep {
			fp := finishFixed(a, g, g.slot+1)
			bp.fixes = append(bp.fixes, fp)
			bp.srcSlot = append(bp.srcSlot, fp.slot)
			bp.srcExit = append(bp.srcExit, fp.exit)
			bp.block = min(bp.block, fp.kmin)
			bp.cost += 4 + 2*fp.cw
		}
	}
	for i := range b.chains {
		if g := &b.chains[i]; g.rep {
			rp := finishRep(a, g, g.slot+1)
			bp.reps = append(bp.reps, rp)
			bp.srcSlot = append(bp.srcSlot, rp.slot)
			bp.srcExit = append(bp.srcExit, rp.exit)
			bp.block = min(bp.block, rp.minLen*rp.lo)
			bp.cost += 6
		}
	}
	if words == 1 {
		for i, slot := range bp.srcSlot {
			m, ok := b.exitTo[slot]
			if !ok {
				m = 1 << bp.srcExit[i]
			}
			bp.srcExitBits = append(bp.srcExitBits, m)
		}
	}
	bp.analyseSources()
	bp.fast1 = newFast1(bp)
	step := 2*words + len(bp.ents) + len(bp.jumps) + len(bp.backs)
	if bp.fast1 != nil && bp.fast1.useTab {
		// The steps the table runs make no additions: the exits come closed.
		for i, m := range bp.srcExitBits {
			bp.srcExitBits[i] = bp.close1(m, 0)
		}
		step = 2 + 8 // the table's lookups
	}
	bp.cost += step + 4*len(bp.preds) + 4*len(bp.lines)
	return bp
}

// addKey names the addition of a family and level (fam -1: the zero-width tests, first
// when lvl is 0 and last when it is 1).
type addKey struct{ fam, lvl int }

// addMasks are an addition's runs, seeds and targets (the slot after each run included),
// a word per word of state.
type addMasks struct{ run, seed, tgt []uint64 }

// orderAdditions reorders the additions of a round, between the first and the last (the
// zero-width tests, which keep their places), so that as far as it can an addition comes
// before those whose seeds its targets are. The order given, exits from the deepest level
// up and fan-outs from the top down, is right for nested alternations; but a bit an
// addition sets at the seed of one made before it in the round makes another round, and
// "a?(b)?(c)..." would make two at every step reaching the optionals after the "a", whose
// fan-out leads to their exit. Additions that lead to one another in a cycle come in the
// order given.
func orderAdditions(keys []addKey, masks []addMasks) {
	n := len(keys)
	if n <= 3 {
		return
	}
	// The additions 1..n-2 move; succ[a] are those a's targets are seeds of.
	words := len(masks[0].seed)
	seededAt := make([][]int, words)
	for a := 1; a < n-1; a++ {
		for w, v := range masks[a].seed {
			if v != 0 {
				seededAt[w] = append(seededAt[w], a)
			}
		}
	}
	succ := make([][]int, n)
	pred := make([]int, n)
	for a := 1; a < n-1; a++ {
		for w, v := range masks[a].tgt {
			if v == 0 {
				continue
			}
			for _, b := range seededAt[w] {
				if b != a && masks[b].seed[w]&v != 0 && !slices.Contains(succ[a], b) {
					succ[a] = append(succ[a], b)
					pred[b]++
				}
			}
		}
	}
	placed := make([]bool, n)
	perm := make([]int, 0, n-2)
	for len(perm) < n-2 {
		pick, first := -1, -1
		for a := 1; a < n-1 && pick < 0; a++ {
			if !placed[a] {
				if first < 0 {
					first = a
				}
				if pred[a] == 0 {
					pick = a
				}
			}
		}
		if pick < 0 { // a cycle: the first left
			pick = first
		}
		placed[pick] = true
		perm = append(perm, pick)
		for _, b := range succ[pick] {
			pred[b]--
		}
	}
	k2 := slices.Clone(keys)
	m2 := slices.Clone(masks)
	for i, a := range perm {
		keys[i+1], masks[i+1] = k2[a], m2[a]
	}
}

// shifts groups moves (from, to) by distance into per-word shifts, ordered by distance and
// then by target word. A move forward (to > from) must stay within one word.
func shifts(moves [][2]int, words int, feed []uint64) []bitShift {
	byDist := map[int][]int{}
	var dists []int
	for _, m := range moves {
		d := m[0] - m[1]
		if _, ok := byDist[d]; !ok {
			dists = append(dists, d)
		}
		byDist[d] = append(byDist[d], m[0])
	}
	slices.Sort(dists)
	var out []bitShift
	src := make([]uint64, words+2)
	for _, d := range dists {
		clear(src)
		for _, f := range byDist[d] {
			src[f>>6] |= 1 << (f & 63)
		}
		if d < 0 {
			for w := 0; w < words; w++ {
				if src[w] != 0 {
					out = append(out, bitShift{tw: int32(w), i: int32(w), r: uint8(-d), left: true, m0: src[w]})
				}
			}
			continue
		}
		q, r := d>>6, uint8(d&63)
		for tw := 0; tw+q < words; tw++ {
			i := tw + q
			m0, m1 := src[i], uint64(0)
			if r != 0 {
				m1 = src[i+1]
			}
			var v uint64
			if r == 0 {
				v = m0
			} else {
				v = m0>>r | m1<<(64-r)
			}
			if v == 0 {
				continue
			}
			s := bitShift{tw: int32(tw), i: int32(i), r: r, m0: m0, m1: m1}
			if r == 0 {
				s.m1 = 0
			}
			if feed != nil {
				s.feed = feed[tw]
			}
			out = append(out, s)
		}
	}
	return out
}

// analyseSources sets bp.deferred: the chains (of either kind) of a one-word program none of
// whose exits leads to one of their entries, as far as the moves of the program tell (every
// slot taken to consume any unit); and every source's life, span and quick.
func (bp *bitProg) analyseSources() {
	if bp.words != 1 || len(bp.srcSlot) > 64 {
		return
	}
	var cand, entries uint64
	for si := len(bp.lines); si < len(bp.lines)+len(bp.chains)+len(bp.fixes); si++ {
		cand |= 1 << si
		entries |= 1 << (bp.srcSlot[si] & 63)
	}
	var all uint64 // the entries of every source
	for _, slot := range bp.srcSlot {
		all |= 1 << (slot & 63)
	}
	bp.life, bp.span = make([]int, len(bp.srcSlot)), make([]int, len(bp.srcSlot))
	bp.quick = make([]uint64, len(bp.srcSlot))
	for si := range bp.life {
		if cand>>si&1 != 0 && bp.reachFrom(bp.srcExitBits[si])&entries == 0 {
			bp.deferred |= 1 << si
		}
		bp.life[si] = bp.exitLife(bp.srcExitBits[si], all|1<<bp.match)
		if cl := bp.close1(bp.srcExitBits[si], 0); cl&(all|1<<bp.match) == 0 {
			bp.quick[si] = cl
		}
		bp.span[si] = -1
		switch i := si - len(bp.lines); {
		case i < 0:
			bp.span[si] = bp.lines[si].n
		case i < len(bp.chains):
			// A chain of rows may have loops.
		case i < len(bp.chains)+len(bp.fixes):
			bp.span[si] = bp.fixes[i-len(bp.chains)].kmax
		default:
			rp := &bp.reps[i-len(bp.chains)-len(bp.fixes)]
			bp.span[si] = rp.maxLen * rp.hi
		}
	}
}

// maxExitLife bounds the steps exitLife follows threads for.
const maxExitLife = 64

// exitLife returns the steps after which the threads of a one-word program at slots x are
// gone, whatever units they meet, where no zero-width test holds, none having been at a
// slot of stop; or -1 when some may be at one or live longer than maxExitLife steps.
func (bp *bitProg) exitLife(x, stop uint64) int {
	var any uint64 // the consuming slots
	for c := 0; c < bp.nclass; c++ {
		any |= bp.reach[c*(bp.words+1)]
	}
	x = bp.close1(x, 0)
	for t := 0; t <= maxExitLife; t++ {
		if x&stop != 0 {
			return -1
		}
		if x == 0 {
			return t
		}
		x = bp.close1(bp.consume1(x&any), 0)
	}
	return -1
}

// reachFrom returns the slots of a one-word program that threads at the slots of x may
// reach within a block, over any units: more than they can, never fewer.
func (bp *bitProg) reachFrom(x uint64) uint64 {
	for {
		y := x | x<<1
		for _, j := range bp.jumps {
			if j.left {
				y |= x & j.m0 << (j.r & 63)
			} else {
				y |= x & j.m0 >> (j.r & 63)
			}
		}
		for _, b := range bp.backs {
			y |= x & b.m0 >> (b.r & 63)
		}
		for _, e := range bp.ents {
			// An addition carries each seed up its run (the carry out of a word's last
			// run is zero); a test's moves threads up from its slots only, as x<<1 does.
			if e.dyn == 0 {
				sd := x & e.seed
				y |= ((e.run + sd) ^ e.run | sd) & e.tgt
			}
		}
		if y == x {
			return x
		}
		x = y
	}
}
