package glob

import (
	"sort"
	"sync/atomic"
)

// This file compiles the expression tree into programs for the matcher in exec.go: a
// Thompson automaton over code units whose zero-width tests (anchors, word boundaries,
// lookarounds) are predicates of a position. Without backreferences a lookaround is such
// a predicate: whether its body matches starting (ahead) or ending (behind) at the
// position. exec.go evaluates a simple one on the spot and a general one for the whole
// path at once, with a pass of the body's own program.

type instOp uint8

const (
	iUnit   instOp = iota // consume one unit in sets[arg], continue at out
	iSplit                // continue at out and at out1
	iAssert               // continue at out if preds[arg] holds at the current position
	iNop                  // continue at out
	iMatch                // accept
)

type inst struct {
	op   instOp
	arg  uint32
	out  uint32
	out1 uint32
}

// prog is one automaton: the main expression, or the body of a lookaround.
type prog struct {
	insts    []inst
	start    uint32
	anchored bool // every way to consume or accept passes "^" first

	bb   *bitBuilder // the bit-parallel layout, until the unit classes are known
	bits *bitProg    // the bit-parallel form (bitnfa.go), or nil
}

type predKind uint8

const (
	pBegin     predKind = iota // position 0
	pEnd                       // position n
	pWord                      // \b: the units on either side differ in being word units
	pNotWord                   // \B
	pNextIn                    // the next unit exists and is in sets[arg]
	pNextNotIn                 // there is no next unit, or it is not in sets[arg]
	pPrevIn                    // the previous unit exists and is in sets[arg]
	pPrevNotIn                 // there is no previous unit, or it is not in sets[arg]
	pFinite                    // finites[arg] holds: a lookaround whose body is a few short strings
	pLook                      // looks[arg] holds (or, when negated, does not)
)

type pred struct {
	kind predKind
	arg  int
}

// finite is a lookaround whose body matches a few strings of at most maxFiniteLen units,
// each possibly anchored at the start or the end of the path, such as the test a globstar
// makes before each unit it consumes, (?!(?:^|\/)\.), or longer strings anchored at the
// start or the end (the test "!(...)" makes at the end of a pattern), which can match at one
// position only. It is evaluated directly at a position, without a pass over the path.
type finite struct {
	alts   []finiteAlt
	behind bool
	neg    bool
}

type finiteAlt struct {
	begin bool  // the string must start at position 0
	end   bool  // the string must end at the end of the path
	sets  []int // one set per unit, indexes into automaton.sets
}

const (
	maxFiniteAlts = 16
	maxFiniteLen  = 8
)

// holds reports whether the finite lookaround holds at position j of in.
func (f *finite) holds(sets []charSet, in []uint16, j int) bool {
	for i := range f.alts {
		alt := &f.alts[i]
		k := len(alt.sets)
		start := j
		if f.behind {
			start = j - k
		}
		if start < 0 || start+k > len(in) || alt.begin && start != 0 || alt.end && start+k != len(in) {
			continue
		}
		if alt.matches(sets, in[start:start+k]) {
			return !f.neg
		}
	}
	return f.neg
}

// word returns whether the finite lookaround holds at positions 64w..64w+63 of in, as the
// bits of a word: one pass over those positions per alternative, or one test for an
// anchored one, rather than a test of every alternative at every position a matcher asks
// about.
func (f *finite) word(sets []charSet, in []uint16, w int) uint64 {
	n := len(in)
	lo := w << 6
	var bits uint64
	for i := range f.alts {
		alt := &f.alts[i]
		k := len(alt.sets)
		if k > n {
			continue
		}
		// The positions j of the word, and the starts of the units they look at.
		jlo, jhi := lo, min(lo+63, n)
		off := 0
		if f.behind {
			off = k
		}
		slo, shi := max(jlo-off, 0), min(jhi-off, n-k) // starts
		switch {
		case slo > shi:
		case alt.begin || alt.end:
			// One place only.
			start := 0
			if alt.end {
				start = n - k
			}
			if start >= slo && start <= shi && (!alt.begin || start == 0) && alt.matches(sets, in[start:start+k]) {
				bits |= 1 << ((start + off - lo) & 63)
			}
		case k == 0:
			for j := slo; j <= shi; j++ {
				bits |= 1 << ((j - lo) & 63)
			}
		case k == 1:
			s0 := &sets[alt.sets[0]]
			for start := slo; start <= shi; start++ {
				if s0.has(in[start]) {
					bits |= 1 << ((start + off - lo) & 63)
				}
			}
		case k == 2:
			s0, s1 := &sets[alt.sets[0]], &sets[alt.sets[1]]
			for start := slo; start <= shi; start++ {
				if s0.has(in[start]) && s1.has(in[start+1]) {
					bits |= 1 << ((start + off - lo) & 63)
				}
			}
		default:
			for start := slo; start <= shi; start++ {
				if alt.matches(sets, in[start:start+k]) {
					bits |= 1 << ((start + off - lo) & 63)
				}
			}
		}
	}
	if f.neg {
		bits = ^bits
	}
	return bits
}

// matches reports whether the units u (as many as the alternative has sets) match it.
func (alt *finiteAlt) matches(sets []charSet, u []uint16) bool {
	for i, s := range alt.sets {
		if !sets[s].has(u[i]) {
			return false
		}
	}
	return true
}

// look is a general lookaround. Its program runs over the whole path in one pass: a
// lookahead's body reversed, right to left; a lookbehind's body as written, left to right.
type look struct {
	prog   *prog
	behind bool
	neg    bool
	// A lookahead whose body is C*U, or C*U$, with C and U sets (star and unit, indices
	// into sets; star is -1 otherwise): it holds at j when a unit of U follows a run of C
	// from j (ending the path for atEnd). markLook answers it in one backward pass.
	star, unit int
	atEnd      bool
}

// charSet is a unitSet with a bitmap for ASCII.
type charSet struct {
	ascii [2]uint64
	wide  unitSet // ranges at or above 0x80
}

func newCharSet(s unitSet) charSet {
	var c charSet
	for _, r := range s {
		for u := uint32(r.lo); u <= uint32(r.hi) && u < 0x80; u++ {
			c.ascii[u>>6] |= 1 << (u & 63)
		}
		if r.hi >= 0x80 {
			lo := r.lo
			if lo < 0x80 {
				lo = 0x80
			}
			c.wide = append(c.wide, unitRange{lo, r.hi})
		}
	}
	return c
}

// units returns the units of c as a unitSet.
func (c *charSet) units() unitSet {
	var s unitSet
	for u := range uint16(0x80) {
		if c.has(u) {
			s = append(s, unitRange{u, u})
		}
	}
	return append(s, c.wide...).normalize()
}

func (c *charSet) has(u uint16) bool {
	if u < 0x80 {
		return c.ascii[u>>6]&(1<<(u&63)) != 0
	}
	return c.hasWide(u)
}

// hasWide is has for a unit at or above 0x80 (kept apart so that has inlines).
func (c *charSet) hasWide(u uint16) bool {
	w := c.wide
	if len(w) <= 8 {
		for _, r := range w {
			if u < r.lo {
				return false
			}
			if u <= r.hi {
				return true
			}
		}
		return false
	}
	lo, hi := 0, len(w)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if w[m].hi < u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(w) && w[lo].lo <= u
}

// automaton is everything exec.go needs to answer for one expression.
type automaton struct {
	sets     []charSet
	rawSets  []unitSet
	preds    []pred
	finites  []finite
	looks    []look
	main     *prog
	size     int       // instructions in all programs
	classes  *classMap // nil when the units do not fit in 255 classes
	setClass [][4]uint64
	wordSet  int // index of the word-unit set in sets, or -1
	bitCost  int // the step costs of the bit-parallel programs added up, 0 without any

	// dfaMisses grows when a match gives up on the DFA for lack of budget and shrinks when
	// the DFA answers; while it is high, matches skip the DFA (see matchPath).
	dfaMisses atomic.Int32
}

// tooComplex is raised (by panic, recovered in compileAutomaton) when a limit is exceeded.
type tooComplex struct{}

type compiler struct {
	a       *automaton
	setIdx  map[string]int
	predIdx map[pred]int
	lookIdx map[string]int // dump of a lookaround -> its predicate, so identical ones are shared
	limit   int
}

// compileAutomaton builds the automaton for tree. It reports false when the program would
// exceed limit instructions.
func compileAutomaton(tree *node, limit int) (a *automaton, ok bool) {
	c := &compiler{a: &automaton{}, setIdx: map[string]int{}, predIdx: map[pred]int{}, lookIdx: map[string]int{}, limit: limit}
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(tooComplex); is {
				a, ok = nil, false
				return
			}
			panic(r)
		}
	}()
	c.a.main = c.program(tree)
	c.a.wordSet = -1
	for _, p := range c.a.preds {
		if p.kind == pWord || p.kind == pNotWord {
			c.a.wordSet = c.set(setWord)
			break
		}
	}
	c.a.buildClasses()
	c.a.finishBits(c.a.main)
	for i := range c.a.looks {
		c.a.finishBits(c.a.looks[i].prog)
	}
	return c.a, true
}

func (c *compiler) set(s unitSet) int {
	key := setKey(s)
	if i, ok := c.setIdx[key]; ok {
		return i
	}
	c.a.sets = append(c.a.sets, newCharSet(s))
	c.a.rawSets = append(c.a.rawSets, s)
	c.setIdx[key] = len(c.a.sets) - 1
	return len(c.a.sets) - 1
}

func setKey(s unitSet) string {
	b := make([]byte, 0, len(s)*4)
	for _, r := range s {
		b = append(b, byte(r.lo>>8), byte(r.lo), byte(r.hi>>8), byte(r.hi))
	}
	return string(b)
}

func (c *compiler) pred(p pred) int {
	if i, ok := c.predIdx[p]; ok {
		return i
	}
	c.a.preds = append(c.a.preds, p)
	c.predIdx[p] = len(c.a.preds) - 1
	return len(c.a.preds) - 1
}

// progBuilder assembles one program.
type progBuilder struct {
	c     *compiler
	insts []inst
}

// frag is a piece of program: its entry and the dangling exits to patch.
type frag struct {
	start uint32
	exits []exit
}

type exit struct {
	pc  uint32
	alt bool // patch out1 instead of out
}

func (c *compiler) program(tree *node) *prog {
	b := &progBuilder{c: c}
	f := b.compile(tree)
	m := b.emit(inst{op: iMatch})
	b.patch(f, m)
	p := &prog{insts: b.insts, start: f.start}
	p.anchored = anchoredAt(p, c.a.preds)
	p.bb = c.newBitBuilder(tree)
	return p
}

func (b *progBuilder) emit(in inst) uint32 {
	b.c.a.size++
	if b.c.a.size > b.c.limit {
		panic(tooComplex{})
	}
	b.insts = append(b.insts, in)
	return uint32(len(b.insts) - 1)
}

func (b *progBuilder) patch(f frag, to uint32) {
	for _, e := range f.exits {
		if e.alt {
			b.insts[e.pc].out1 = to
		} else {
			b.insts[e.pc].out = to
		}
	}
}

func (b *progBuilder) compile(n *node) frag {
	switch n.op {
	case opFail:
		pc := b.emit(inst{op: iUnit, arg: uint32(b.c.set(nil))})
		return frag{start: pc} // no exits: nothing gets past it
	case opEmpty:
		pc := b.emit(inst{op: iNop})
		return frag{start: pc, exits: []exit{{pc, false}}}
	case opUnit:
		pc := b.emit(inst{op: iUnit, arg: uint32(b.c.set(n.set))})
		return frag{start: pc, exits: []exit{{pc, false}}}
	case opAssert:
		pc := b.emit(inst{op: iAssert, arg: uint32(b.c.assertPred(n))})
		return frag{start: pc, exits: []exit{{pc, false}}}
	case opLook:
		pc := b.emit(inst{op: iAssert, arg: uint32(b.c.lookPred(n))})
		return frag{start: pc, exits: []exit{{pc, false}}}
	case opConcat:
		f := b.compile(n.subs[0])
		for _, s := range n.subs[1:] {
			g := b.compile(s)
			b.patch(f, g.start)
			f.exits = g.exits
		}
		return f
	case opAlt:
		var exits []exit
		var start uint32
		for i := len(n.subs) - 1; i >= 0; i-- {
			g := b.compile(n.subs[i])
			exits = append(exits, g.exits...)
			if i == len(n.subs)-1 {
				start = g.start
				continue
			}
			pc := b.emit(inst{op: iSplit, out: g.start, out1: start})
			start = pc
		}
		return frag{start: start, exits: exits}
	case opRepeat:
		return b.repeat(n)
	case opCapture:
		return b.compile(n.subs[0])
	}
	panic("glob: unexpected node")
}

// repeat expands x{min,max} into min copies of x followed by max-min optional copies, or by
// a loop when max is unbounded.
func (b *progBuilder) repeat(n *node) frag {
	x := n.subs[0]
	if n.min == 1 && n.max < 0 {
		// x+ is x with a way back: one copy of x, so that nesting stays linear.
		g := b.compile(x)
		pc := b.emit(inst{op: iSplit, out: g.start})
		b.patch(g, pc)
		return frag{start: g.start, exits: []exit{{pc, true}}}
	}
	var parts []frag
	for i := 0; i < n.min; i++ {
		parts = append(parts, b.compile(x))
	}
	if n.max < 0 {
		g := b.compile(x)
		pc := b.emit(inst{op: iSplit, out: g.start})
		b.patch(g, pc)
		parts = append(parts, frag{start: pc, exits: []exit{{pc, true}}})
	} else {
		for i := n.min; i < n.max; i++ {
			g := b.compile(x)
			pc := b.emit(inst{op: iSplit, out: g.start})
			parts = append(parts, frag{start: pc, exits: append(g.exits, exit{pc, true})})
		}
	}
	if len(parts) == 0 {
		pc := b.emit(inst{op: iNop})
		return frag{start: pc, exits: []exit{{pc, false}}}
	}
	f := parts[0]
	for _, g := range parts[1:] {
		b.patch(f, g.start)
		f.exits = g.exits
	}
	return f
}

// finishBits completes the bit-parallel form of p and adds its step cost to a.bitCost.
func (a *automaton) finishBits(p *prog) {
	p.bits = p.bb.finish(a)
	p.bb = nil
	if p.bits != nil {
		a.bitCost += p.bits.cost
	}
}

// assertPred returns the predicate of an anchor or word-boundary node.
func (c *compiler) assertPred(n *node) int {
	var p pred
	switch n.assert {
	case assertBegin:
		p = pred{kind: pBegin}
	case assertEnd:
		p = pred{kind: pEnd}
	case assertWordBoundary:
		p = pred{kind: pWord}
	default:
		p = pred{kind: pNotWord}
	}
	return c.pred(p)
}

// lookPred returns the predicate for a lookaround: a test of the adjacent unit when the
// body is a single unit, a general lookaround otherwise.
func (c *compiler) lookPred(n *node) int {
	body := trimLook(n.subs[0], n.behind)
	if body.op == opEmpty {
		// Always true; its negation never holds.
		if n.neg {
			return c.pred(pred{kind: pNextIn, arg: c.set(nil)})
		}
		return c.pred(pred{kind: pNextNotIn, arg: c.set(nil)})
	}
	key := dump(&node{op: opLook, subs: []*node{body}, behind: n.behind, neg: n.neg})
	if k, ok := c.lookIdx[key]; ok {
		return k
	}
	k := c.lookPredOf(n, body)
	c.lookIdx[key] = k
	return k
}

func (c *compiler) lookPredOf(n *node, body *node) int {
	if body.op == opUnit {
		kind := pNextIn
		if n.behind {
			kind = pPrevIn
		}
		if n.neg {
			kind++ // the NotIn twin
		}
		return c.pred(pred{kind: kind, arg: c.set(body.set)})
	}
	if alts, ok := finiteAlts(body); ok {
		f := finite{behind: n.behind, neg: n.neg}
		for _, a := range alts {
			fa := finiteAlt{begin: a.begin, end: a.end}
			for _, s := range a.sets() {
				fa.sets = append(fa.sets, c.set(s))
			}
			f.alts = append(f.alts, fa)
		}
		c.a.finites = append(c.a.finites, f)
		c.a.preds = append(c.a.preds, pred{kind: pFinite, arg: len(c.a.finites) - 1})
		return len(c.a.preds) - 1
	}
	l := look{behind: n.behind, neg: n.neg, star: -1}
	if cs, us, end, ok := starUnit(body); ok && !n.behind {
		l.star, l.unit, l.atEnd = c.set(cs), c.set(us), end
	}
	if n.behind {
		l.prog = c.program(body)
	} else {
		l.prog = c.program(reverse(body))
	}
	c.a.looks = append(c.a.looks, l)
	// Each general lookaround gets its own predicate.
	c.a.preds = append(c.a.preds, pred{kind: pLook, arg: len(c.a.looks) - 1})
	return len(c.a.preds) - 1
}

// starUnit reports whether body is C*U or C*U$ (C a star over a set, lazy or not, and U
// one unit), and returns C, U and whether "$" ends it.
func starUnit(body *node) (star, unit unitSet, atEnd, ok bool) {
	var items []*node
	var flat func(n *node)
	flat = func(n *node) {
		if n.op == opConcat {
			for _, s := range n.subs {
				flat(s)
			}
			return
		}
		items = append(items, n)
	}
	flat(body)
	if k := len(items); k == 3 && items[2].op == opAssert && items[2].assert == assertEnd {
		atEnd, items = true, items[:2]
	}
	if len(items) != 2 {
		return nil, nil, false, false
	}
	r, u := items[0], items[1]
	if r.op != opRepeat || r.min != 0 || r.max >= 0 || r.subs[0].op != opUnit || u.op != opUnit {
		return nil, nil, false, false
	}
	return r.subs[0].set, u.set, atEnd, true
}

// reverse returns the tree that matches the reversed strings of n (lookarounds inside stay
// as they are: they are tests of a position).
func reverse(n *node) *node {
	switch n.op {
	case opConcat:
		subs := make([]*node, len(n.subs))
		for i, s := range n.subs {
			subs[len(n.subs)-1-i] = reverse(s)
		}
		return &node{op: opConcat, subs: subs}
	case opAlt:
		subs := make([]*node, len(n.subs))
		for i, s := range n.subs {
			subs[i] = reverse(s)
		}
		return &node{op: opAlt, subs: subs}
	case opRepeat:
		return &node{op: opRepeat, subs: []*node{reverse(n.subs[0])}, min: n.min, max: n.max}
	case opCapture:
		return reverse(n.subs[0])
	}
	return n
}

// anchoredAt reports whether every path from the start passes a "^" test before it
// consumes a unit or accepts.
func anchoredAt(p *prog, preds []pred) bool {
	seen := make([]bool, len(p.insts))
	stack := []uint32{p.start}
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		in := p.insts[pc]
		switch in.op {
		case iUnit, iMatch:
			return false
		case iSplit:
			stack = append(stack, in.out, in.out1)
		case iNop:
			stack = append(stack, in.out)
		case iAssert:
			if preds[in.arg].kind == pBegin {
				continue
			}
			stack = append(stack, in.out)
		}
	}
	return true
}

// rawAlt is an alternative of a finite lookaround body while it is being enumerated: its
// unit sets, last first, in a list whose earlier part alternatives share.
type rawAlt struct {
	begin, end bool
	last       *setNode
	n          int
}

type setNode struct {
	set  unitSet
	prev *setNode
}

// sets returns the unit sets of a, first first.
func (a rawAlt) sets() []unitSet {
	out := make([]unitSet, a.n)
	for i, p := a.n-1, a.last; p != nil; i, p = i-1, p.prev {
		out[i] = p.set
	}
	return out
}

// finiteAlts enumerates the strings (as sequences of unit sets, with anchors) that body
// matches, when there are at most maxFiniteAlts of them, each at most maxFiniteLen long or,
// when anchored at the start or the end of the path (so that it is compared at one position
// only), at most maxUnits long. Alternatives that can never match (a "^" after a unit, a
// unit after "$") are dropped.
func finiteAlts(body *node) ([]rawAlt, bool) {
	alts := []rawAlt{{}}
	var walk func(n *node, in []rawAlt) ([]rawAlt, bool)
	walk = func(n *node, in []rawAlt) ([]rawAlt, bool) {
		switch n.op {
		case opCapture:
			return walk(n.subs[0], in)
		case opEmpty:
			return in, true
		case opFail:
			return nil, true
		case opUnit:
			var out []rawAlt
			for _, a := range in {
				if a.end {
					continue // a unit after "$" never matches
				}
				if a.n >= maxUnits {
					return nil, false
				}
				out = append(out, rawAlt{begin: a.begin, last: &setNode{set: n.set, prev: a.last}, n: a.n + 1})
			}
			return out, true
		case opAssert:
			var out []rawAlt
			for _, a := range in {
				switch n.assert {
				case assertBegin:
					if a.n > 0 {
						continue // "^" after a unit never matches
					}
					a.begin = true
				case assertEnd:
					a.end = true
				default:
					return nil, false
				}
				out = append(out, a)
			}
			return out, true
		case opConcat:
			cur := in
			for _, s := range n.subs {
				var ok bool
				if cur, ok = walk(s, cur); !ok {
					return nil, false
				}
			}
			return cur, true
		case opAlt:
			var out []rawAlt
			for _, s := range n.subs {
				r, ok := walk(s, in)
				if !ok {
					return nil, false
				}
				out = append(out, r...)
				if len(out) > maxFiniteAlts {
					return nil, false
				}
			}
			return out, true
		case opRepeat:
			if n.max < 0 || n.max > maxFiniteLen {
				return nil, false
			}
			cur := in
			var out []rawAlt
			for i := 0; i <= n.max; i++ {
				if i >= n.min {
					out = append(out, cur...)
				}
				if i == n.max {
					break
				}
				var ok bool
				if cur, ok = walk(n.subs[0], cur); !ok {
					return nil, false
				}
				if len(cur)+len(out) > maxFiniteAlts {
					return nil, false
				}
			}
			return out, true
		}
		return nil, false
	}
	out, ok := walk(body, alts)
	if !ok || len(out) > maxFiniteAlts {
		return nil, false
	}
	for _, a := range out {
		if a.n > maxFiniteLen && !a.begin && !a.end {
			return nil, false
		}
	}
	return out, true
}

// classMap partitions the code units into classes that every set of the automaton treats
// alike, so that a DFA can index its transitions by class.
type classMap struct {
	n      int // number of classes; class n stands for the end of the input
	ascii  [128]uint8
	bounds []uint16 // first unit of each interval at or above 0x80
	ids    []uint8  // class of each interval
}

func (m *classMap) of(u uint16) int {
	if u < 0x80 {
		return int(m.ascii[u])
	}
	lo, hi := 0, len(m.bounds)
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if m.bounds[mid] <= u {
			lo = mid
		} else {
			hi = mid
		}
	}
	return int(m.ids[lo])
}

// maxClasses leaves room for the end-of-input class in a uint8.
const maxClasses = 255

// buildClasses computes the class partition and, for each set, the classes it contains. It
// leaves a.classes nil when more than maxClasses classes are needed.
func (a *automaton) buildClasses() {
	points := []uint32{0, 0x80}
	for _, s := range a.rawSets {
		for _, r := range s {
			points = append(points, uint32(r.lo), uint32(r.hi)+1)
		}
	}
	sort.Slice(points, func(i, j int) bool { return points[i] < points[j] })
	var starts []uint32
	for _, p := range points {
		if p <= 0xFFFF && (len(starts) == 0 || starts[len(starts)-1] != p) {
			starts = append(starts, p)
		}
	}
	ids := map[string]int{}
	interval := make([]int, len(starts))
	sig := make([]byte, len(a.rawSets))
	for i, st := range starts {
		for k, s := range a.rawSets {
			sig[k] = 0
			if s.has(uint16(st)) {
				sig[k] = 1
			}
		}
		id, ok := ids[string(sig)]
		if !ok {
			id = len(ids)
			ids[string(sig)] = id
		}
		interval[i] = id
	}
	if len(ids) > maxClasses {
		return
	}
	m := &classMap{n: len(ids)}
	k := 0
	for u := 0; u < 0x80; u++ {
		for k+1 < len(starts) && starts[k+1] <= uint32(u) {
			k++
		}
		m.ascii[u] = uint8(interval[k])
	}
	for i, st := range starts {
		if st >= 0x80 {
			m.bounds = append(m.bounds, uint16(st))
			m.ids = append(m.ids, uint8(interval[i]))
		}
	}
	a.setClass = make([][4]uint64, len(a.rawSets))
	for i, st := range starts {
		c := interval[i]
		for k, s := range a.rawSets {
			if s.has(uint16(st)) {
				a.setClass[k][c>>6] |= 1 << (c & 63)
			}
		}
	}
	a.classes = m
}

// inClass reports whether set k contains the units of class c.
func (a *automaton) inClass(k, c int) bool {
	return a.setClass[k][c>>6]&(1<<(c&63)) != 0
}
