package glob

import "slices"

// This file is a lazily built DFA over an automaton's programs. A DFA state is the set of
// instructions the automaton is in just after consuming a unit (before following the
// zero-width moves), plus what the predicates may need to know about the past: whether
// this is the first position, and the class of the unit just consumed. Moving on the next
// unit follows the zero-width moves, testing predicates, then consumes the unit. Predicates
// that look at the next unit are decided by its class; the few that look further (finite
// and general lookarounds) are evaluated at the position and their values become part of
// the transition's key. States and transitions are built on first use and kept in a
// bounded cache, which is emptied and refilled when it is full, so matching takes at most
// the time of a state-set simulation and usually one table lookup per unit.

const (
	// maxRel is the number of lookaround values a state's transitions may depend on and
	// still be cached; a state needing more computes each transition anew.
	maxRel = 3
	// Cache budgets, in entries of 4 bytes: 256 KiB of transitions, 256 KiB of state sets.
	maxTrans  = 1 << 16
	maxPCs    = 1 << 16
	maxStates = 1 << 12

	noPrev     = 255 // class of the unit before position 0 (there is none)
	transNone  = -1
	relNoCache = 255
)

type dfaState struct {
	pcOff, pcLen int32
	transOff     int32
	relOff       int32
	nrel         uint8
	start        bool  // the first position of the run
	prev         uint8 // class of the unit consumed to get here, or noPrev
}

// dfa is the cache for one program. It lives in a scratch and is used by one goroutine.
type dfa struct {
	a        *automaton
	p        *prog
	reverse  bool // the program runs right to left (a lookahead's reversed body)
	search   bool // a match may begin at any position: the start is added to every state
	needPrev bool // some predicate depends on the unit before the position
	hasRel   bool // some predicate is a lookaround evaluated on the text (pFinite, pLook)
	stride   int

	states  []dfaState
	pcs     []uint32
	trans   []int32
	rels    []uint16
	table   []int32 // open addressing: index+1 of a state, 0 when empty
	initial int32

	visit  sparseSet
	stack  []uint32
	next   []uint32
	relBuf []uint16
}

func newDFA(a *automaton, p *prog, reverse, search bool) *dfa {
	d := &dfa{a: a, p: p, reverse: reverse, search: search, stride: a.classes.n + 1}
	for _, in := range p.insts {
		if in.op != iAssert {
			continue
		}
		switch a.preds[in.arg].kind {
		case pWord, pNotWord:
			d.needPrev = true
		case pPrevIn, pPrevNotIn:
			d.needPrev = d.needPrev || !reverse
		case pNextIn, pNextNotIn:
			d.needPrev = d.needPrev || reverse
		case pFinite, pLook:
			d.hasRel = true
		}
	}
	d.visit = newSparseSet(len(p.insts))
	d.table = make([]int32, 16)
	d.reset()
	return d
}

// reset empties the cache and adds the initial state again.
func (d *dfa) reset() {
	d.states = d.states[:0]
	d.pcs = d.pcs[:0]
	d.trans = d.trans[:0]
	d.rels = d.rels[:0]
	clear(d.table)
	d.next = append(d.next[:0], d.p.start)
	d.initial = d.intern(d.next, true, noPrev)
}

func hashState(pcs []uint32, start bool, prev uint8) uint32 {
	h := uint32(2166136261)
	for _, pc := range pcs {
		h = (h ^ pc) * 16777619
	}
	if start {
		h = (h ^ 0x9e3779b9) * 16777619
	}
	return (h ^ uint32(prev)) * 16777619
}

// intern returns the index of the state (pcs, start, prev), adding it if needed. It returns
// -1 when the cache is full.
func (d *dfa) intern(pcs []uint32, start bool, prev uint8) int32 {
	if !d.needPrev {
		prev = noPrev
	}
	h := hashState(pcs, start, prev)
	mask := uint32(len(d.table) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := d.table[i]
		if e == 0 {
			break
		}
		st := &d.states[e-1]
		if st.start == start && st.prev == prev && slices.Equal(d.pcs[st.pcOff:st.pcOff+st.pcLen], pcs) {
			return e - 1
		}
	}
	rel := d.relevant(pcs)
	n := 1
	if len(rel) <= maxRel {
		n = 1 << len(rel)
	}
	if len(d.states) >= maxStates || len(d.pcs)+len(pcs) > maxPCs || len(d.trans)+n*d.stride > maxTrans ||
		len(d.rels)+len(rel) > maxPCs {
		return -1
	}
	st := dfaState{
		pcOff: int32(len(d.pcs)), pcLen: int32(len(pcs)),
		transOff: int32(len(d.trans)), relOff: int32(len(d.rels)),
		start: start, prev: prev,
	}
	if len(rel) <= maxRel {
		st.nrel = uint8(len(rel))
	} else {
		st.nrel = relNoCache
	}
	d.pcs = append(d.pcs, pcs...)
	d.rels = append(d.rels, rel...)
	for k := 0; k < n*d.stride; k++ {
		d.trans = append(d.trans, transNone)
	}
	d.states = append(d.states, st)
	idx := int32(len(d.states) - 1)
	if 2*len(d.states) > len(d.table) {
		d.grow()
		return idx
	}
	for i := h & mask; ; i = (i + 1) & mask {
		if d.table[i] == 0 {
			d.table[i] = idx + 1
			break
		}
	}
	return idx
}

// grow doubles the hash table and reinserts every state.
func (d *dfa) grow() {
	d.table = make([]int32, 2*len(d.table))
	mask := uint32(len(d.table) - 1)
	for k := range d.states {
		st := &d.states[k]
		h := hashState(d.pcs[st.pcOff:st.pcOff+st.pcLen], st.start, st.prev)
		for i := h & mask; ; i = (i + 1) & mask {
			if d.table[i] == 0 {
				d.table[i] = int32(k) + 1
				break
			}
		}
	}
}

// relevant lists the lookaround predicates reachable from pcs without consuming a unit.
func (d *dfa) relevant(pcs []uint32) []uint16 {
	d.relBuf = d.relBuf[:0]
	if !d.hasRel {
		return d.relBuf
	}
	d.visit.clear()
	d.stack = append(d.stack[:0], pcs...)
	for len(d.stack) > 0 {
		pc := d.stack[len(d.stack)-1]
		d.stack = d.stack[:len(d.stack)-1]
		if d.visit.has(pc) {
			continue
		}
		d.visit.insert(pc)
		in := &d.p.insts[pc]
		switch in.op {
		case iSplit:
			d.stack = append(d.stack, in.out1, in.out)
		case iNop:
			d.stack = append(d.stack, in.out)
		case iAssert:
			if k := d.a.preds[in.arg].kind; k == pFinite || k == pLook {
				if !slices.Contains(d.relBuf, uint16(in.arg)) {
					d.relBuf = append(d.relBuf, uint16(in.arg))
				}
			}
			d.stack = append(d.stack, in.out)
		}
	}
	return d.relBuf
}

// relBits evaluates the lookaround predicates of st at position j.
func (d *dfa) relBits(s *scratch, st *dfaState, j int) int {
	b := 0
	a := d.a
	for i, k := range d.rels[st.relOff : st.relOff+int32(st.nrel)] {
		var ok bool
		if pr := a.preds[k]; pr.kind == pFinite {
			// The usual kind: its answer is a bit, once its word is filled in.
			w := pr.arg*s.finWords + j>>6
			if q := w >> 6; q >= len(s.finDone) || s.finDone[q]>>(w&63)&1 == 0 {
				a.fillFinite(s, pr.arg, j)
				w = pr.arg*s.finWords + j>>6
			}
			ok = s.finBits[w]>>(j&63)&1 != 0
		} else {
			ok = a.holds(s, int(k), j)
		}
		if ok {
			b |= 1 << i
		}
	}
	return b
}

// step returns the transition of state si at position j on class c (d.stride-1 for the end
// of the input): the next state shifted left by one, with bit 0 set when the program
// accepts at position j. The next state may be -1<<1 | match when the cache overflowed
// and even an empty cache cannot hold it (then the caller falls back to the simulation).
func (d *dfa) step(s *scratch, si int32, c, j int) int32 {
	st := &d.states[si]
	idx := -1
	bits := 0
	if st.nrel != relNoCache {
		if st.nrel > 0 {
			bits = d.relBits(s, st, j)
		}
		idx = int(st.transOff) + bits*d.stride + c
		if t := d.trans[idx]; t != transNone {
			return t
		}
	}
	return d.compute(s, si, c, j, idx)
}

// compute builds the transition of state si on class c at position j and caches it at idx
// (unless idx < 0 or the cache was reset meanwhile).
func (d *dfa) compute(s *scratch, si int32, c, j, idx int) int32 {
	st := d.states[si]
	eof := c == d.stride-1
	matched := false
	d.next = d.next[:0]
	d.visit.clear()
	d.stack = append(d.stack[:0], d.pcs[st.pcOff:st.pcOff+st.pcLen]...)
	for len(d.stack) > 0 {
		pc := d.stack[len(d.stack)-1]
		d.stack = d.stack[:len(d.stack)-1]
		if d.visit.has(pc) {
			continue
		}
		d.visit.insert(pc)
		in := &d.p.insts[pc]
		switch in.op {
		case iUnit:
			if !eof && d.a.inClass(int(in.arg), c) {
				d.next = append(d.next, in.out)
			}
		case iMatch:
			matched = true
		case iSplit:
			d.stack = append(d.stack, in.out1, in.out)
		case iNop:
			d.stack = append(d.stack, in.out)
		case iAssert:
			if d.holds(s, &st, int(in.arg), c, j) {
				d.stack = append(d.stack, in.out)
			}
		}
	}
	// Charge the visits, and the sorting, hashing and comparing of the new state.
	s.budget -= int(d.visit.n) + 2*len(d.next) + 16
	t := int32(0)
	if matched {
		t = 1
	}
	if eof {
		return t
	}
	slices.Sort(d.next)
	d.next = slices.Compact(d.next)
	if d.search && !slices.Contains(d.next, d.p.start) {
		d.next = append(d.next, d.p.start)
		slices.Sort(d.next)
	}
	ni := d.intern(d.next, false, uint8(c))
	if ni < 0 {
		// Full: start afresh with only the new state.
		keep := append(s.keep[:0], d.next...)
		s.keep = keep
		d.reset()
		ni = d.intern(keep, false, uint8(c))
		idx = -1
		if ni < 0 {
			return -1<<1 | t
		}
	}
	t |= ni << 1
	if idx >= 0 {
		d.trans[idx] = t
	}
	return t
}

// holds evaluates predicate k at position j for a transition out of st on class c.
func (d *dfa) holds(s *scratch, st *dfaState, k, c, j int) bool {
	pr := d.a.preds[k]
	eof := c == d.stride-1
	// ahead is the class of the unit after the position, behind the one before; either may
	// be missing (the start or the end of the path).
	ahead, behind := c, int(st.prev)
	aheadOK, behindOK := !eof, st.prev != noPrev
	if d.reverse {
		ahead, behind = behind, ahead
		aheadOK, behindOK = behindOK, aheadOK
	}
	switch pr.kind {
	case pBegin:
		if d.reverse {
			return eof
		}
		return st.start
	case pEnd:
		if d.reverse {
			return st.start
		}
		return eof
	case pNextIn:
		return aheadOK && d.a.inClass(pr.arg, ahead)
	case pNextNotIn:
		return !aheadOK || !d.a.inClass(pr.arg, ahead)
	case pPrevIn:
		return behindOK && d.a.inClass(pr.arg, behind)
	case pPrevNotIn:
		return !behindOK || !d.a.inClass(pr.arg, behind)
	case pWord, pNotWord:
		w := d.a.wordSet
		b := behindOK && d.a.inClass(w, behind)
		f := aheadOK && d.a.inClass(w, ahead)
		return (b != f) == (pr.kind == pWord)
	}
	return d.a.holds(s, k, j)
}

// searchForward runs the main program over s.in and reports whether it finds a match. It
// reports ok false when the cache could not hold a single state or the match spent its
// budget for building states (the caller then uses another matcher).
func (d *dfa) searchForward(s *scratch) (matched, ok bool) {
	in := s.in
	cm := d.a.classes
	eof := d.stride - 1
	si := d.initial
	for j := 0; ; j++ {
		c := eof
		if j < len(in) {
			if u := in[j]; u < 0x80 {
				c = int(cm.ascii[u])
			} else {
				c = cm.of(u)
			}
		}
		t := int32(transNone)
		if st := &d.states[si]; st.nrel == 0 {
			t = d.trans[int(st.transOff)+c]
		}
		if t == transNone {
			t = d.step(s, si, c, j)
			if s.overBudget(j) {
				return false, false
			}
		}
		if t&1 != 0 {
			return true, true
		}
		if j == len(in) {
			return false, true
		}
		si = t >> 1
		if si < 0 {
			return false, false
		}
		if !d.search && d.states[si].pcLen == 0 {
			return false, true
		}
	}
}

// searchASCII is searchForward over the bytes of an ASCII path, for programs whose
// predicates never need the units of the path (no lookaround evaluated on the text).
func (d *dfa) searchASCII(s *scratch, path string) (matched, ok bool) {
	cm := d.a.classes
	eof := d.stride - 1
	si := d.initial
	for j := 0; ; j++ {
		c := eof
		if j < len(path) {
			c = int(cm.ascii[path[j]&0x7F])
		}
		t := int32(transNone)
		if st := &d.states[si]; st.nrel == 0 {
			t = d.trans[int(st.transOff)+c]
		}
		if t == transNone {
			t = d.step(s, si, c, j)
			if s.overBudget(j) {
				return false, false
			}
		}
		if t&1 != 0 {
			return true, true
		}
		if j == len(path) {
			return false, true
		}
		si = t >> 1
		if si < 0 {
			return false, false
		}
		if !d.search && d.states[si].pcLen == 0 {
			return false, true
		}
	}
}

// mark records in bits, for every position, whether the program accepts there: a
// lookahead's reversed body run right to left (matches of the body start there), or a
// lookbehind's body run left to right (matches end there). It reports false when the cache
// could not hold a single state or the match spent its budget for building states.
func (d *dfa) mark(s *scratch, bits []uint64) bool {
	in := s.in
	n := len(in)
	cm := d.a.classes
	eof := d.stride - 1
	si := d.initial
	for k := 0; k <= n; k++ {
		j, c := k, eof
		if d.reverse {
			j = n - k
			if j > 0 {
				c = cm.of(in[j-1])
			}
		} else if j < n {
			c = cm.of(in[j])
		}
		t := d.step(s, si, c, j)
		if s.overBudget(k) {
			return false
		}
		if t&1 != 0 {
			bits[j/64] |= 1 << (j % 64)
		}
		if k == n {
			return true
		}
		si = t >> 1
		if si < 0 {
			return false
		}
	}
	return true
}
