package glob

// This file runs an automaton over a path by simulating all its states at once, one code
// unit at a time: the time is O(len(path) × size of the automaton), whatever the pattern.
// A general lookaround costs one more such pass over the path, made the first time a state
// asks for it, and its answers for every position are kept for the rest of the match.

// sparseSet is a set of instruction indexes with O(1) insert, test and clear.
type sparseSet struct {
	dense  []uint32
	sparse []uint32
	n      uint32
}

func newSparseSet(size int) sparseSet {
	return sparseSet{dense: make([]uint32, size), sparse: make([]uint32, size)}
}

func (s *sparseSet) has(pc uint32) bool {
	i := s.sparse[pc]
	return i < s.n && s.dense[i] == pc
}

func (s *sparseSet) insert(pc uint32) {
	s.sparse[pc] = s.n
	s.dense[s.n] = pc
	s.n++
}

func (s *sparseSet) clear() { s.n = 0 }

// scratch is the per-match memory of one automaton. It is never shared between
// goroutines; Pattern keeps a pool of them.
type scratch struct {
	in       []uint16
	sets     [][2]sparseSet // per program: the main one, then one per general lookaround
	stack    []uint32
	lookBits []uint64 // per general lookaround: one bit per position 0..len(in)
	lookDone []bool
	finBits  []uint64 // per finite lookaround: one bit per position 0..len(in), a word at a time
	finDone  []uint64 // one bit per word of finBits, set once it is filled
	finWords int      // the words of finBits per finite lookaround, for the current path
	words    int
	dfas     []*dfa // per program, built on first use: the main one, then one per general lookaround
	keep     []uint32
	bits     []bitScratch // per program with a bit-parallel form: the main one, then one per general lookaround
	budget   int          // work the DFAs may still spend building states in this match (see dfaBudgetBase)
	rate     int          // work they may spend per unit read
	base     int          // the budget they start with, and the most they may keep unspent
	dfaTried bool         // a DFA ran in this match
}

func newScratch(a *automaton) *scratch {
	s := &scratch{
		sets:     make([][2]sparseSet, 1+len(a.looks)),
		lookDone: make([]bool, len(a.looks)),
		dfas:     make([]*dfa, 1+len(a.looks)),
	}
	s.sets[0] = [2]sparseSet{newSparseSet(len(a.main.insts)), newSparseSet(len(a.main.insts))}
	for i, l := range a.looks {
		s.sets[i+1] = [2]sparseSet{newSparseSet(len(l.prog.insts)), newSparseSet(len(l.prog.insts))}
	}
	if a.bitCost > 0 {
		s.bits = make([]bitScratch, 1+len(a.looks))
		if bp := a.main.bits; bp != nil {
			s.bits[0] = newBitScratch(bp)
		}
		for i, l := range a.looks {
			if bp := l.prog.bits; bp != nil {
				s.bits[i+1] = newBitScratch(bp)
			}
		}
	}
	s.budget = noBudget
	return s
}

// noBudget leaves the DFAs unbounded (for automata without a bit-parallel form).
const noBudget = int(^uint(0) >> 2)

// The DFAs of an automaton with bit-parallel programs may spend, building states, at most
// a base (dfaBudgetBase and the size of the programs, dfaBase) plus s.rate per four code
// units they have read so far (s.budget counts down from the base, and a DFA gives up once
// s.budget + s.rate·position/4 < 0). A unit of work is an instruction visited, or about one
// for each instruction of a new state sorted, hashed and compared (dfa.compute charges
// them). A DFA whose states are cached
// spends nothing; one that needs a new state at every unit, each costing the visit of every
// instruction in it, gives up after a few dozen units, having spent about what as many
// steps of the bit-parallel program would. The base covers the first states a typical
// pattern builds on a new path (a few hundred units of work); without lookarounds, a
// quarter of it: on a path a search built for "/+(a|b)*a", 120 of "?(a|bc)" and "*", the
// DFA's first states took it all (each visits most of the program's 615 instructions and
// costs more than its work says), and the DFA then gave up after 10 states and 45 µs,
// before the program's 70 µs; with a quarter, after 7 and a few µs. A DFA keeps no more
// than the base unspent: each time it builds a state, what it saved beyond that is gone.
// Else a DFA that reuses its states over a long stretch (a head that repeats) saves up the
// budget of the whole stretch, spends it on an irregular tail, and gives up near the end,
// having taken two or three times what the bit-parallel program then takes.
const dfaBudgetBase = 2048

// overBudget reports whether a DFA that has read n units and just built a state has spent
// more than its budget allows, and drops the credit it saved beyond the base. An
// unbounded budget (noBudget, rate 0) is never over nor capped.
func (s *scratch) overBudget(n int) bool {
	if s.budget+s.rate*n/4 < 0 {
		return true
	}
	if s.rate > 0 {
		s.budget = min(s.budget, s.base-s.rate*n/4)
	}
	return false
}

// dfaRate returns the work per four units read a DFA may spend. A unit of work takes about 4 ns
// (3.3 to 5.5 over the adversarial benchmark's chains, which build a state every few
// units), and a step of the bit-parallel program 0.4 to 1.2 ns per word operation of its
// estimated cost, so an eighth of the cost would let the DFA spend about what the program
// takes. A DFA that keeps close to its rate for the whole path and gives up near the end
// makes a first match pay for both, though, and without lookarounds the program was the
// faster of the two on every such path of the adversarial benchmark: the rate is a
// thirty-second, at least half a unit of work a unit. Allowed 2 + cost/4, the DFAs of
// chains took 0.1 to 0.25 ms before the program's 25 to 90 µs; allowed cost/8, optionals
// on paths a search built still spent 50 µs (first matches of 0.1 to 0.12 ms, then 60 to
// 80 µs); allowed a sixteenth, at least a unit of work a unit, 75 of "@(+(a)b|[ab])" and
// "c*" on a path a search built took 112 µs, the program alone 75 µs (82 µs in all with a
// thirty-second). Lookarounds, general or finite, make a step cost 1.3 to 2.4 ns per
// operation of the estimate (the main program of 170 copies of "/!(a*)" takes 0.1 to
// 0.6 ms on 4 KiB), and their DFAs must answer: they get half the cost a unit.
func (a *automaton) dfaRate() int {
	if len(a.looks) > 0 || len(a.finites) > 0 {
		return 4 * max(1, a.bitCost/2)
	}
	return max(2, a.bitCost/8)
}

// dfaBase returns the budget a DFA starts a match with: a quarter of dfaBudgetBase, or,
// for an automaton with lookarounds, dfaBudgetBase and the size of the programs, since
// the first states of a large pattern visit much of it (those of 170 copies of "/!(a*)"
// cost about 7 500 units over the first 240 units of the path, and then 3 a unit), and
// their DFAs must answer (dfaRate).
func (a *automaton) dfaBase() int {
	if len(a.looks) == 0 && len(a.finites) == 0 {
		return dfaBudgetBase / 4
	}
	return dfaBudgetBase + a.size
}

// matchPath reports whether the main program finds a match in path, converting it to
// units only when something needs them.
func (a *automaton) matchPath(s *scratch, path string) bool {
	s.budget, s.rate, s.dfaTried = noBudget, 0, false
	if a.bitCost > 0 {
		s.base, s.rate = a.dfaBase(), a.dfaRate()
		s.budget = s.base
		if a.skipDFA() {
			s.budget = -1
		}
	}
	if a.classes != nil && len(a.looks) == 0 && len(a.finites) == 0 && s.budget >= 0 && asciiPrefix(path) == len(path) {
		d := s.dfas[0]
		if d == nil {
			d = newDFA(a, a.main, false, !a.main.anchored)
			s.dfas[0] = d
		}
		s.dfaTried = true
		if m, ok := d.searchASCII(s, path); ok {
			a.dfaAnswered()
			return m
		}
	}
	s.in = appendUnits(s.in[:0], path)
	return a.matchUnits(s)
}

// Skipping the DFA: a match that gives up on it adds dfaMissCost to dfaMisses, one it
// answers takes that much off, and while dfaMisses is at least dfaSkipFrom a match skips
// the DFA and takes one off. A pattern whose DFA keeps giving up (a new state at every
// unit) thus tries it once in dfaMissCost matches, and one whose DFA answers again soon
// stops skipping it. The counter is shared by the goroutines matching the pattern; its
// updates race harmlessly, as it only chooses between exact matchers.
const (
	dfaMissCost = 16
	dfaSkipFrom = 2 * dfaMissCost
	dfaMissMax  = 4 * dfaMissCost
)

// skipDFA reports whether this match should go straight to the bit-parallel programs.
func (a *automaton) skipDFA() bool {
	if a.dfaMisses.Load() < dfaSkipFrom {
		return false
	}
	a.dfaMisses.Add(-1)
	return true
}

// dfaAnswered records a match the DFA answered within its budget.
func (a *automaton) dfaAnswered() {
	if a.bitCost > 0 && a.dfaMisses.Load() >= dfaMissCost {
		a.dfaMisses.Add(-dfaMissCost)
	}
}

// dfaGaveUp records a match in which the DFA spent its budget.
func (a *automaton) dfaGaveUp() {
	if a.dfaMisses.Load() < dfaMissMax {
		a.dfaMisses.Add(dfaMissCost)
	}
}

// matchUnits reports whether the main program finds a match in s.in.
func (a *automaton) matchUnits(s *scratch) bool {
	clear(s.finDone)
	s.finWords = (len(s.in) + 64) / 64
	if len(a.looks) > 0 {
		s.words = (len(s.in) + 64) / 64
		need := s.words * len(a.looks)
		if cap(s.lookBits) < need {
			s.lookBits = make([]uint64, need)
		}
		s.lookBits = s.lookBits[:need]
		clear(s.lookDone)
	}
	if a.classes != nil && s.budget >= 0 {
		d := s.dfas[0]
		if d == nil {
			d = newDFA(a, a.main, false, !a.main.anchored)
			s.dfas[0] = d
		}
		s.dfaTried = true
		if m, ok := d.searchForward(s); ok {
			a.dfaAnswered()
			return m
		}
	}
	if bp := a.main.bits; bp != nil && a.classes != nil {
		if s.dfaTried {
			a.dfaGaveUp()
		}
		return bp.exec(a, s, &s.bits[0], false, !a.main.anchored, nil)
	}
	return a.search(s, a.main, 0)
}

// markLook fills in the answers of general lookaround k for every position.
func (a *automaton) markLook(s *scratch, k int) {
	bits := s.lookBits[k*s.words : (k+1)*s.words]
	if l := &a.looks[k]; l.star >= 0 && a.classes != nil {
		a.markStarUnit(l, s.in, bits)
		return
	}
	if a.classes != nil && s.budget >= 0 {
		d := s.dfas[k+1]
		if d == nil {
			l := &a.looks[k]
			d = newDFA(a, l.prog, !l.behind, true)
			s.dfas[k+1] = d
		}
		clear(bits)
		if d.mark(s, bits) {
			return
		}
	}
	if l := &a.looks[k]; l.prog.bits != nil && a.classes != nil {
		clear(bits)
		l.prog.bits.exec(a, s, &s.bits[k+1], !l.behind, true, bits)
		return
	}
	a.lookPass(s, k)
}

// markStarUnit sets the bits of the positions of in where the body of l, C*U or C*U$,
// matches: from the end back, a position matches when its unit is in U (and is the last,
// for C*U$), or is in C and the next position matches.
func (a *automaton) markStarUnit(l *look, in []uint16, bits []uint64) {
	clear(bits)
	c, u := &a.sets[l.star], &a.sets[l.unit]
	// What the sets answer for units at or above 0x80, cached by their low bits: on a path
	// of a few such units, each searches the sets' ranges once (200 of "!(*a)" on a path of
	// "©" that a search built took 101 µs, 87 µs with the cache).
	var wide [64]struct {
		x        uint16 // never a wide unit when zero
		inU, inC bool
	}
	t := false
	for j := len(in) - 1; j >= 0; j-- {
		x := in[j]
		var inU, inC bool
		if x < 0x80 {
			inU, inC = u.ascii[x>>6]&(1<<(x&63)) != 0, c.ascii[x>>6]&(1<<(x&63)) != 0
		} else {
			e := &wide[x&63]
			if e.x != x {
				e.x, e.inU, e.inC = x, u.hasWide(x), c.hasWide(x)
			}
			inU, inC = e.inU, e.inC
		}
		t = inU && (!l.atEnd || j == len(in)-1) || t && inC
		if t {
			bits[j>>6] |= 1 << (j & 63)
		}
	}
}

// search runs the main program: a match may start anywhere unless the program is
// anchored, and may end anywhere.
func (a *automaton) search(s *scratch, p *prog, slot int) bool {
	in := s.in
	n := len(in)
	cur, next := &s.sets[slot][0], &s.sets[slot][1]
	cur.clear()
	match := uint32(len(p.insts) - 1)
	for j := 0; ; j++ {
		if j == 0 || !p.anchored {
			a.add(s, p, cur, p.start, j)
		}
		if cur.has(match) {
			return true
		}
		if j == n || (cur.n == 0 && p.anchored) {
			return false
		}
		c := in[j]
		next.clear()
		for _, pc := range cur.dense[:cur.n] {
			if ins := &p.insts[pc]; ins.op == iUnit && a.sets[ins.arg].has(c) {
				a.add(s, p, next, ins.out, j+1)
			}
		}
		cur, next = next, cur
	}
}

// add inserts pc and everything reachable from it without consuming a unit, testing
// predicates at position j.
func (a *automaton) add(s *scratch, p *prog, set *sparseSet, pc uint32, j int) {
	base := len(s.stack)
	s.stack = append(s.stack, pc)
	for len(s.stack) > base {
		pc := s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
		if set.has(pc) {
			continue
		}
		set.insert(pc)
		ins := &p.insts[pc]
		switch ins.op {
		case iSplit:
			s.stack = append(s.stack, ins.out1, ins.out)
		case iNop:
			s.stack = append(s.stack, ins.out)
		case iAssert:
			if a.holds(s, int(ins.arg), j) {
				s.stack = append(s.stack, ins.out)
			}
		}
	}
}

// holds evaluates predicate k at position j of s.in.
func (a *automaton) holds(s *scratch, k, j int) bool {
	in := s.in
	pr := a.preds[k]
	switch pr.kind {
	case pBegin:
		return j == 0
	case pEnd:
		return j == len(in)
	case pWord, pNotWord:
		before := j > 0 && isWordUnit(in[j-1])
		after := j < len(in) && isWordUnit(in[j])
		return (before != after) == (pr.kind == pWord)
	case pNextIn:
		return j < len(in) && a.sets[pr.arg].has(in[j])
	case pNextNotIn:
		return j >= len(in) || !a.sets[pr.arg].has(in[j])
	case pPrevIn:
		return j > 0 && a.sets[pr.arg].has(in[j-1])
	case pPrevNotIn:
		return j == 0 || !a.sets[pr.arg].has(in[j-1])
	case pFinite:
		return a.finiteAt(s, pr.arg, j)
	case pLook:
		l := &a.looks[pr.arg]
		if !s.lookDone[pr.arg] {
			a.markLook(s, pr.arg)
			s.lookDone[pr.arg] = true
		}
		bit := s.lookBits[pr.arg*s.words+j/64]>>(j%64)&1 != 0
		return bit != l.neg
	}
	return false
}

// finiteAt reports whether finite lookaround k holds at position j of s.in, filling in its
// answers for the 64 positions around j the first time a match asks about one of them.
func (a *automaton) finiteAt(s *scratch, k, j int) bool {
	i := k*s.finWords + j>>6
	if d := i >> 6; d >= len(s.finDone) || s.finDone[d]>>(i&63)&1 == 0 {
		a.fillFinite(s, k, j)
		i = k*s.finWords + j>>6
	}
	return s.finBits[i]>>(j&63)&1 != 0
}

// fillFinite fills in the word of the answers of finite lookaround k around position j
// (making room for them on a new path).
func (a *automaton) fillFinite(s *scratch, k, j int) {
	words := (len(s.in) + 64) / 64
	if words != s.finWords || len(s.finBits) < words*len(a.finites) {
		need := words * len(a.finites)
		if cap(s.finBits) < need {
			s.finBits = make([]uint64, need)
		}
		s.finBits = s.finBits[:need]
		dw := (need + 63) / 64
		if cap(s.finDone) < dw {
			s.finDone = make([]uint64, dw)
		}
		s.finDone = s.finDone[:dw]
		clear(s.finDone)
		s.finWords = words
	}
	i := k*words + j>>6
	s.finBits[i] = a.finites[k].word(a.sets, s.in, j>>6)
	s.finDone[i>>6] |= 1 << (i & 63)
}

// lookPass records, for every position, whether the body of general lookaround k matches
// there: starting at the position (ahead) or ending at it (behind).
func (a *automaton) lookPass(s *scratch, k int) {
	l := &a.looks[k]
	p := l.prog
	bits := s.lookBits[k*s.words : (k+1)*s.words]
	clear(bits)
	in := s.in
	n := len(in)
	cur, next := &s.sets[k+1][0], &s.sets[k+1][1]
	cur.clear()
	match := uint32(len(p.insts) - 1)
	if l.behind {
		for j := 0; ; j++ {
			a.add(s, p, cur, p.start, j)
			if cur.has(match) {
				bits[j/64] |= 1 << (j % 64)
			}
			if j == n {
				return
			}
			c := in[j]
			next.clear()
			for _, pc := range cur.dense[:cur.n] {
				if ins := &p.insts[pc]; ins.op == iUnit && a.sets[ins.arg].has(c) {
					a.add(s, p, next, ins.out, j+1)
				}
			}
			cur, next = next, cur
		}
	}
	for j := n; ; j-- {
		a.add(s, p, cur, p.start, j)
		if cur.has(match) {
			bits[j/64] |= 1 << (j % 64)
		}
		if j == 0 {
			return
		}
		c := in[j-1]
		next.clear()
		for _, pc := range cur.dense[:cur.n] {
			if ins := &p.insts[pc]; ins.op == iUnit && a.sets[ins.arg].has(c) {
				a.add(s, p, next, ins.out, j-1)
			}
		}
		cur, next = next, cur
	}
}
