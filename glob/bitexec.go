package glob

import (
	"math/bits"
	"sync"
)

// This file runs a bit-parallel program (bitnfa.go) over a path. A step consumes one code
// unit, in one pass over the words of the state (a shift by one, the slots that loop on
// themselves, the jumps, the threads leaving delay lines and chains), and then follows the
// moves that consume nothing: each family and level's addition, in a fixed order, over the
// words it concerns, then the backward moves. That round is exact unless a move leads to
// one that an earlier addition of the round should have made; the feed masks record which
// bits could, and only a step that sets one of them (a test at the start of an
// alternative, a backward move) makes another round, which sets at least one more bit. A
// step thus costs a few operations per word of state and level, whatever the input: a path
// of n units against a program of w words takes time proportional to n·w (times the
// levels), without the DFA's worst case of building a new state, proportional to the
// program's size, at every unit.

// Delay lines and chains (the sources) are advanced apart from the state, a block of steps
// at a time: a thread that enters one leaves it at the earliest as many steps later as the
// source's shortest way through (a delay line's length, a chain's items at least), so the
// threads that leave during a block all entered before it. A block is as long as that (at
// most blockMax), and each block is run in three passes: each source advances over the
// block with the threads it holds and tells at which steps threads leave it; the state
// runs the block, taking those threads in and recording at which steps threads enter the
// sources; the sources then take in the threads that entered (a delay line records them,
// a chain runs them through the first items, which is all they can reach in a block). Each
// pass is a short loop over the block, which the state's own loop, a few operations a
// step, does not have to share its registers with.
//
// Taking threads in costs a chain a second run over the rest of the block, which a pattern
// such as "/*a" followed by a chain pays at almost every block: a thread enters after
// every "a". A one-word program defers a chain none of whose exits leads to the entry of
// any chain (bitProg.deferred) in the blocks after one that took threads in over half of
// it: the state runs the block first, the chain then advances over it once with the
// threads it held and those that entered, and where threads left it for slots the state
// did not hold, the state runs the block again from that step. Within a block, what
// enters such a chain does not depend on what leaves it (a thread entering a chain during
// a block cannot leave it in that block, no longer than the chain's shortest way
// through), so the second run changes only what follows the chain.
//
// Where what leaves a source leads only to a test of the end (a chain or a line ending the
// pattern, as most long patterns do), a thread leaving it is gone a step or two later
// unless the path ends: the exits of a deferred chain farther from the end do not make the
// block run again, and a source ignores the threads entering it so long before the end
// that they would leave it before (a fixed chain of 100 items of at most five units, from
// 500 units before the end on; bitProg.life and span).

// blockMax is the longest block.
const blockMax = 64

// bitScratch is the per-match memory of one bit-parallel program.
type bitScratch struct {
	x        []uint64 // the state, plus a word that stays zero
	hold     []uint64 // the zero-width slots whose predicate holds at the current position
	held     bool     // some slot of hold is set
	ring     []uint64 // delay lines: whether a thread entered at each recent position, a bit each
	lastKill []int    // per delay line: the last step whose unit was outside its set
	lastIn   []int    // per delay line: the last step a thread entered
	chains   []chainState
	fixes    []fixedState
	reps     []repState

	// The current block.
	clsBuf []uint8          // the classes of the units of the maxFixedLen steps before the block, then cls
	cls    []uint8          // the class of the unit each step of the block consumes
	seen   [4]uint64        // the classes among them
	exits  []uint64         // per source (delay lines, chains, fixed chains): the steps threads leave it
	ents   []uint64         // per source: the steps after which threads enter it
	exitW  [blockMax]uint64 // one-word programs: the slots threads leaving sources reach, per step
	entW   [blockMax]uint64 // one-word programs: the state after each step
}

// newBitScratch allocates the per-match memory of bp.
func newBitScratch(bp *bitProg) bitScratch {
	bs := bitScratch{
		x:        make([]uint64, bp.words+1),
		hold:     make([]uint64, bp.words+1),
		ring:     make([]uint64, bp.ring/64),
		lastKill: make([]int, len(bp.lines)),
		lastIn:   make([]int, len(bp.lines)),
	}
	for i := range bp.chains {
		bs.chains = append(bs.chains, newChainState(&bp.chains[i]))
	}
	for i := range bp.fixes {
		bs.fixes = append(bs.fixes, newFixedState(&bp.fixes[i]))
	}
	for i := range bp.reps {
		bs.reps = append(bs.reps, newRepState(&bp.reps[i]))
	}
	bs.clsBuf = make([]uint8, maxFixedLen+blockMax)
	bs.cls = bs.clsBuf[maxFixedLen:]
	bs.exits = make([]uint64, len(bp.srcSlot))
	bs.ents = make([]uint64, len(bp.srcSlot))
	return bs
}

// clsAt returns the class of the unit step j of the block consumes, for j down to
// -maxFixedLen (steps of the blocks before).
func (bs *bitScratch) clsAt(j int) uint8 { return bs.clsBuf[maxFixedLen+j] }

// exec runs the program over s.in: left to right, or right to left when reverse is set.
// When search is set a match may start at any position, otherwise only at the first.
// Without marks it reports whether the program accepts somewhere; with marks it records,
// for every position, whether the program accepts there (and reports false).
func (bp *bitProg) exec(a *automaton, s *scratch, bs *bitScratch, reverse, search bool, marks []uint64) bool {
	if bp.words == 1 {
		return bp.exec1(a, s, bs, reverse, search, marks)
	}
	return bp.execN(a, s, bs, reverse, search, marks)
}

// resetSources empties the delay lines and chains at the start of a match.
func (bp *bitProg) resetSources(bs *bitScratch) {
	for i := range bp.lines {
		bs.lastKill[i] = -1
		bs.lastIn[i] = -1
	}
	clear(bs.ring) // a position not reached yet reads as no entry
	for i := range bs.chains {
		cs := &bs.chains[i]
		cs.live, cs.entry = 0, false
	}
	for i := range bs.fixes {
		bs.fixes[i].reset()
	}
	for i := range bs.reps {
		bs.reps[i].reset()
	}
}

// classify records the classes of the units steps k0..k1-1 consume (none at step 0), and
// which classes they are.
func (bp *bitProg) classify(a *automaton, in []uint16, bs *bitScratch, k0, k1 int, reverse bool) {
	cm := a.classes
	n := len(in)
	if k0 > 0 {
		// Keep the classes of the last steps before the block.
		copy(bs.clsBuf[:maxFixedLen], bs.clsBuf[bp.block:bp.block+maxFixedLen])
	}
	cls := bs.cls[:k1-k0]
	var low uint64 // the classes below 64, the usual ones
	var high [3]uint64
	for k := max(k0, 1); k < k1; k++ {
		var u uint16
		if reverse {
			u = in[n-k]
		} else {
			u = in[k-1]
		}
		c := cm.ascii[u&0x7F]
		if u >= 0x80 {
			c = uint8(cm.of(u))
		}
		cls[k-k0] = c
		if c < 64 {
			low |= 1 << (c & 63)
		} else {
			high[c>>6-1] |= 1 << (c & 63)
		}
	}
	bs.seen = [4]uint64{low, high[0], high[1], high[2]}
}

// advance runs the delay lines and chains (but the sources of skip) over steps k0..k1-1
// with the threads they hold, and records in bs.exits at which steps threads leave them.
func (bp *bitProg) advance(bs *bitScratch, k0, k1 int, skip uint64) {
	from, m := max(k0, 1)-k0, k1-k0
	for i := range bp.lines {
		// A thread leaves at step j when it entered l.n steps before and no unit since
		// was outside the set: no step of the block up to j (the kills of the block are
		// all after it entered, l.n being m at least), nor the last before it.
		l := &bp.lines[i]
		ring := bs.ring[l.ringOff : l.ringOff+(l.ringMask+1)/64]
		ex := ringRead(ring, l.ringMask, k0+from-l.n) << from
		if m < 64 {
			ex &= 1<<m - 1
		}
		if lim := bs.lastKill[i] - k0 + l.n; lim >= 63 {
			ex = 0
		} else if lim >= 0 {
			ex &^= 2<<lim - 1
		}
		if !within(bs.seen, l.classes) {
			var kills uint64
			for j := from; j < m; j++ {
				c := bs.cls[j]
				kills |= (l.classes[c>>6]>>(c&63)&1 ^ 1) << j
			}
			if kills != 0 {
				ex &= 1<<bits.TrailingZeros64(kills) - 1
				bs.lastKill[i] = k0 + 63 - bits.LeadingZeros64(kills) - 1
			}
		}
		bs.exits[i] = ex
	}
	for i := range bp.chains {
		if si := len(bp.lines) + i; skip>>si&1 == 0 {
			bs.exits[si] = bp.chains[i].advance(&bs.chains[i], bs, from, k1-k0)
		} else {
			bs.exits[si] = 0
		}
	}
	for i := range bp.fixes {
		if si := len(bp.lines) + len(bp.chains) + i; skip>>si&1 == 0 {
			bs.exits[si] = bp.fixes[i].advance(&bs.fixes[i], bs, bp.block, from, k1-k0)
		} else {
			bs.exits[si] = 0
		}
	}
	for i := range bp.reps {
		bs.exits[len(bp.lines)+len(bp.chains)+len(bp.fixes)+i] = bp.reps[i].advance(&bs.reps[i], bs.cls, k0, from, k1-k0)
	}
}

// takeIn gives the delay lines and chains (but the sources of skip) the threads that
// entered them after steps k0..k1-1 (bs.ents).
func (bp *bitProg) takeIn(bs *bitScratch, k0, k1 int, skip uint64) {
	for i := range bp.lines {
		l := &bp.lines[i]
		e := bs.ents[i]
		ringWrite(bs.ring[l.ringOff:l.ringOff+(l.ringMask+1)/64], l.ringMask, k0, k1-k0, e)
		if e != 0 {
			bs.lastIn[i] = k0 + 63 - bits.LeadingZeros64(e)
		}
	}
	for i := range bp.chains {
		if skip>>(len(bp.lines)+i)&1 == 0 {
			bp.chains[i].takeIn(&bs.chains[i], bs, bs.ents[len(bp.lines)+i], k1-k0)
		}
	}
	for i := range bp.fixes {
		if si := len(bp.lines) + len(bp.chains) + i; skip>>si&1 == 0 {
			bp.fixes[i].takeIn(&bs.fixes[i], bs, bs.ents[si], bp.block, k1-k0)
		}
	}
	for i := range bp.reps {
		bp.reps[i].takeIn(&bs.reps[i], bs.cls, bs.ents[len(bp.lines)+len(bp.chains)+len(bp.fixes)+i], k0, k1-k0)
	}
}

// within reports whether the classes of seen are all among those of set.
func within(seen, set [4]uint64) bool {
	return seen[0]&^set[0]|seen[1]&^set[1]|seen[2]&^set[2]|seen[3]&^set[3] == 0
}

// ringRead returns the 64 bits of a ring of mask+1 bits (a multiple of 64) from position
// p on (modulo its length).
func ringRead(ring []uint64, mask, p int) uint64 {
	p &= mask
	w, s := p>>6, uint(p&63)
	v := ring[w] >> s
	if s != 0 {
		v |= ring[(w+1)&(mask>>6)] << (64 - s)
	}
	return v
}

// ringWrite sets the m bits of a ring from position p on to those of v.
func ringWrite(ring []uint64, mask, p, m int, v uint64) {
	keep := ^uint64(0)
	if m < 64 {
		keep = 1<<m - 1
	}
	v &= keep
	p &= mask
	w, s := p>>6, uint(p&63)
	ring[w] = ring[w]&^(keep<<s) | v<<s
	if s != 0 && int(s)+m > 64 {
		w2 := (w + 1) & (mask >> 6)
		ring[w2] = ring[w2]&^(keep>>(64-s)) | v>>(64-s)
	}
}

// sourcesLive reports whether a thread may still leave a delay line or chain after step k.
func (bp *bitProg) sourcesLive(bs *bitScratch, k int) bool {
	for i := range bp.lines {
		if bs.lastIn[i] > bs.lastKill[i] && bs.lastIn[i]+bp.lines[i].n > k {
			return true
		}
	}
	for i := range bs.chains {
		if cs := &bs.chains[i]; cs.live != 0 || cs.entry {
			return true
		}
	}
	for i := range bs.fixes {
		if bs.fixes[i].live() {
			return true
		}
	}
	for i := range bs.reps {
		if bp.reps[i].live(&bs.reps[i], k) {
			return true
		}
	}
	return false
}

// execN is exec for a program of any size.
func (bp *bitProg) execN(a *automaton, s *scratch, bs *bitScratch, reverse, search bool, marks []uint64) bool {
	in := s.in
	n := len(in)
	x := bs.x
	clear(x)
	clear(bs.hold)
	bs.held = false
	bp.resetSources(bs)
	nsrc := len(bp.srcSlot)
	stride := bp.words + 1
	startW, startB := bp.start>>6, uint64(1)<<(bp.start&63)
	matchW, matchB := bp.match>>6, uint64(1)<<(bp.match&63)
	general, early := bp.predsAt(search) // tests other than "^" and "$", evaluated at every step or the first early ones
	tests := len(bp.holdWs) > 0
	jumps := bp.jumps
	x[startW] = startB
	for k0 := 0; k0 <= n; k0 += bp.block {
		k1 := min(k0+bp.block, n+1)
		bp.classify(a, in, bs, k0, k1, reverse)
		if nsrc > 0 {
			bp.advance(bs, k0, k1, 0)
			clear(bs.ents)
		}
		for j := 0; j < k1-k0; j++ {
			k := k0 + j
			pos := k
			if reverse {
				pos = n - k
			}
			if tests && (general || bs.held || k < early || pos == 0 || pos == n) {
				bp.computeHold(a, s, bs, pos, n)
			}
			if k > 0 {
				c := int(bs.cls[j])
				// Consume: every consuming slot whose set has the unit continues at the next
				// slot, at itself if it loops, and where its jumps lead (back to the start of
				// its repetition, or past a junction it alone leads to).
				reach := bp.reach[c*stride : (c+1)*stride : (c+1)*stride]
				reach = reach[:len(x)]
				self := bp.self[:len(x)]
				var cin, any uint64
				ji := 0
				for w := 0; w < bp.words; w++ {
					a := x[w] & reach[w]
					y := a<<1 | cin | a&self[w]
					cin = a >> 63
					for ji < len(jumps) && int(jumps[ji].tw) == w {
						j := &jumps[ji]
						if j.left {
							y |= x[w] & reach[w] & j.m0 << j.r
						} else {
							v := x[j.i] & reach[j.i] & j.m0 >> j.r
							if j.r != 0 {
								v |= (x[j.i+1] & reach[j.i+1] & j.m1) << (64 - j.r)
							}
							y |= v
						}
						ji++
					}
					x[w] = y
					any |= y
				}
				// Threads leaving delay lines and chains.
				for i, e := range bs.exits {
					o := e >> j & 1
					if bp.srcExitBits != nil {
						x[0] |= -o & bp.srcExitBits[i] // a one-word program's exit may skip a junction
					} else {
						x[bp.srcExit[i]>>6] |= o << (bp.srcExit[i] & 63)
					}
					any |= o
				}
				if search {
					x[startW] |= startB
				} else if any == 0 && nsrc == 0 {
					return false
				}
			}
			// The moves that consume nothing: rounds of additions and backward moves, until a
			// round sets no bit that leads further.
			for {
				again := bp.round(bs)
				if len(bp.backs) > 0 && bp.back(bs) {
					again = true
				}
				if !again {
					break
				}
			}
			for i, slot := range bp.srcSlot {
				bs.ents[i] |= (x[slot>>6] >> (slot & 63) & 1) << j
			}
			if x[matchW]&matchB != 0 {
				if marks == nil {
					return true
				}
				marks[pos>>6] |= 1 << (pos & 63)
			}
		}
		if nsrc > 0 {
			bp.takeIn(bs, k0, k1, 0)
			if !search && !bp.sourcesLive(bs, k1-1) && !anyBit(x) {
				return false
			}
		}
	}
	return false
}

func anyBit(x []uint64) bool {
	for _, w := range x {
		if w != 0 {
			return true
		}
	}
	return false
}

// computeHold records in bs.hold the zero-width slots whose predicate holds at position j
// of a path of n units.
func (bp *bitProg) computeHold(a *automaton, s *scratch, bs *bitScratch, j, n int) {
	hold := bs.hold
	if bs.held {
		for _, w := range bp.holdWs {
			hold[w] = 0
		}
		bs.held = false
	}
	set := func(p *bitPred) {
		for k, w := range p.words {
			hold[w] |= p.masks[k]
		}
		bs.held = true
	}
	if j == 0 {
		for i := range bp.begin {
			set(&bp.begin[i])
		}
	}
	if j == n {
		for i := range bp.end {
			set(&bp.end[i])
		}
	}
	for i := range bp.preds {
		if p := &bp.preds[i]; a.holds(s, p.pred, j) {
			set(p)
		}
	}
}

// round makes every addition once. It reports whether a bit it set may lead further than
// the round went.
func (bp *bitProg) round(bs *bitScratch) bool {
	x := bs.x
	var fb, carry uint64
	if !bs.held {
		for i := range bp.static {
			e := &bp.static[i]
			y := x[e.w]
			sd := y & e.seed
			sum, c := bits.Add64(e.run, sd, carry)
			carry = c
			add := ((sum ^ e.run) | sd) & e.tgt
			fb |= add &^ y & e.feed
			x[e.w] = y | add
		}
		return fb != 0
	}
	hold := bs.hold[:len(x)]
	ents := bp.ents
	for i := range ents {
		e := &ents[i]
		y := x[e.w]
		h := hold[e.w] & e.dyn
		run := e.run | h
		sd := y & (e.seed | h)
		sum, c := bits.Add64(run, sd, carry)
		carry = c
		add := ((sum ^ run) | sd) & e.tgt
		fb |= add &^ y & e.feed
		x[e.w] = y | add
	}
	return fb != 0
}

// back takes the backward moves once. It reports whether it set a bit that leads further.
func (bp *bitProg) back(bs *bitScratch) bool {
	x := bs.x
	again := false
	for i := range bp.backs {
		b := &bp.backs[i]
		v := x[b.i] & b.m0 >> b.r
		if b.r != 0 {
			v |= (x[b.i+1] & b.m1) << (64 - b.r)
		}
		if add := v &^ x[b.tw]; add != 0 {
			if add&b.feed != 0 {
				again = true
			}
			x[b.tw] |= add
		}
	}
	return again
}

// predsAt reports whether the tests other than "^" and "$" are to be evaluated at every
// step, and else before which step they are.
func (bp *bitProg) predsAt(search bool) (every bool, early int) {
	if len(bp.preds) == 0 {
		return false, 0
	}
	if search || bp.predSteps < 0 {
		return true, 0
	}
	return false, bp.predSteps
}

// exec1 is exec for a program of one word, the usual size once long runs of units are
// delay lines and chains: the state, the reach rows and the additions are plain words.
// The steps at positions where no zero-width test may hold (all but the first and the last,
// unless a test other than "^" and "$" is used) are run by run1.
func (bp *bitProg) exec1(a *automaton, s *scratch, bs *bitScratch, reverse, search bool, marks []uint64) bool {
	in := s.in
	n := len(in)
	bp.resetSources(bs)
	nsrc := len(bp.srcSlot)
	bs.hold[0] = 0
	bs.held = false
	general, early := bp.predsAt(search)
	var add uint64 // what every step adds: the start, when a match may start anywhere
	if search {
		add = uint64(1) << bp.start
	}
	stopEmpty := !search && nsrc == 0
	x := uint64(1) << bp.start
	// A thread entering source i after a position from early-1 to before cut[i] cannot
	// matter (bitProg.life, span: it leaves the source early enough to be gone by the
	// end, the tests not holding after it left); the source ignores it. (A program of
	// more than eight sources keeps them all.)
	var cutBuf [8]int
	cut := cutBuf[:0]
	if nsrc <= len(cutBuf) && bp.life != nil && !general {
		for i := range nsrc {
			c := 0
			if l, sp := bp.life[i], bp.span[i]; l >= 0 && sp >= 0 {
				c = n - l - sp
			}
			cut = append(cut, c)
		}
	}
	dropFrom := max(early-1, 0)
	var now uint64 // the sources deferred in this block: some of bp.deferred
	if deferMode > 0 {
		now = bp.deferred
	}
	for k0 := 0; k0 <= n; k0 += bp.block {
		k1 := min(k0+bp.block, n+1)
		m := k1 - k0
		bp.classify(a, in, bs, k0, k1, reverse)
		exitW := bs.exitW[:m]
		entW := bs.entW[:m]
		if nsrc > 0 {
			bp.advance(bs, k0, k1, now)
			clear(exitW)
			for i, e := range bs.exits {
				for ; e != 0; e &= e - 1 {
					exitW[bits.TrailingZeros64(e)] |= bp.srcExitBits[i]
				}
			}
		}
		x0 := x
		var done, res bool
		x, done, res = bp.block1(a, s, bs, x, 0, k0, k1, n, general, early, reverse, add, marks, stopEmpty)
		if done {
			return res
		}
		if now != 0 {
			// The deferred sources take in the threads that entered them in the block
			// as they advance over it; when threads left them for slots the state did
			// not hold, the block is run again from there with them.
			if redo := bp.advanceDeferred(bs, now, k0, m, n, cut, dropFrom, general, early); redo < m {
				if redo > 0 {
					x0 = entW[redo-1]
				}
				x, done, res = bp.block1(a, s, bs, x0, redo, k0, k1, n, general, early, reverse, add, marks, stopEmpty)
				if done {
					return res
				}
			}
		}
		if nsrc > 0 {
			for i, slot := range bp.srcSlot {
				if now>>i&1 == 0 {
					bs.ents[i] = entsAt(entW, slot) &^ dropMask(cut, i, dropFrom, k0)
				}
			}
			bp.takeIn(bs, k0, k1, now)
			now = bp.deferNext(bs, m)
			if !search && x == 0 && !bp.sourcesLive(bs, k1-1) {
				return false
			}
		}
	}
	return false
}

// advanceDeferred advances the sources of now over the block of m steps from position k0
// (of a path of n units) with the threads that entered them in it, after the state has
// run it, and adds the steps their threads leave them to bs.exitW. It returns the first
// step where those reach slots the state did not hold (bs.entW), or m.
func (bp *bitProg) advanceDeferred(bs *bitScratch, now uint64, k0, m, n int, cut []int, dropFrom int, general bool, early int) int {
	exitW, entW := bs.exitW[:m], bs.entW[:m]
	redo := m
	from := max(k0, 1) - k0
	for d := now; d != 0; d &= d - 1 {
		si := bits.TrailingZeros64(d)
		ents := entsAt(entW, bp.srcSlot[si]) &^ dropMask(cut, si, dropFrom, k0)
		bs.ents[si] = ents // as the second run would give them
		var e uint64
		if i := si - len(bp.lines); i < len(bp.chains) {
			e = bp.chains[i].advanceIn(&bs.chains[i], bs, from, m, ents)
		} else {
			i -= len(bp.chains)
			e = bp.fixes[i].advanceIn(&bs.fixes[i], bs, bp.block, from, m, ents)
		}
		life, quick := bp.life[si], bp.quick[si]
		if general {
			life, quick = -1, 0
		}
		for ; e != 0; e &= e - 1 {
			j := bits.TrailingZeros64(e)
			if k := k0 + j; k >= early && (life >= 0 && k+life < n ||
				quick != 0 && j+1 < m && quick&bp.reach[2*int(bs.cls[j+1])] == 0) {
				// Threads that die before the end, or at the next unit, and lead
				// nowhere.
				continue
			}
			exitW[j] |= bp.srcExitBits[si]
			if bp.srcExitBits[si]&^entW[j] != 0 {
				redo = min(redo, j)
			}
		}
	}
	return redo
}

// deferMode decides which sources a block defers: 0 as deferNext says; 1 (tests) all it
// may; -1 (tests) none. Tests that set it do not run in parallel.
var deferMode = 0

// deferNext returns the sources to defer in the block after one of m steps whose entries
// are bs.ents: those that taking in the threads that entered them would have run over half
// the block or more. Deferring a source saves that, but runs the state again over the
// steps after the first at which threads leave it.
func (bp *bitProg) deferNext(bs *bitScratch, m int) uint64 {
	switch deferMode {
	case 1:
		return bp.deferred
	case -1:
		return 0
	}
	var now uint64
	for d := bp.deferred; d != 0; d &= d - 1 {
		si := bits.TrailingZeros64(d)
		if e := bs.ents[si] &^ (1 << ((m - 1) & 63)); e != 0 && 2*(m-1-bits.TrailingZeros64(e)) >= m {
			now |= 1 << si
		}
	}
	return now
}

// block1 runs steps j0..m-1 of the block of steps k0..k1-1 (m of them) of a one-word
// program from state x, and returns the state after them, and whether that decides the
// match, with the answer.
func (bp *bitProg) block1(a *automaton, s *scratch, bs *bitScratch, x uint64, j0, k0, k1, n int, general bool, early int, reverse bool, add uint64, marks []uint64, stopEmpty bool) (uint64, bool, bool) {
	m := k1 - k0
	matchB := uint64(1) << bp.match
	for j := j0; j < m; {
		k := k0 + j
		var acc uint64
		if general || k < early || k == 0 || k == n {
			x = bp.step1(a, s, bs, x, j, k, n, reverse, add)
			if x&matchB != 0 {
				acc = 1 << (j & 63)
			}
			j++
		} else {
			j1 := m
			if k1 == n+1 {
				j1-- // the last step tests "$"
			}
			x, acc = bp.run1(x, bs, j, j1, add, marks == nil, stopEmpty)
			j = j1
		}
		if acc != 0 {
			if marks == nil {
				return x, true, true
			}
			for ; acc != 0; acc &= acc - 1 {
				pos := k0 + bits.TrailingZeros64(acc)
				if reverse {
					pos = n - pos
				}
				marks[pos>>6] |= 1 << (pos & 63)
			}
		}
		if x == 0 && stopEmpty {
			return x, true, false
		}
	}
	return x, false, false
}

// dropMask returns the steps of the block from position k0 after which an entry into
// source i is ignored: those at positions from lo to before cut[i] (none for a source cut
// does not cover).
func dropMask(cut []int, i, lo, k0 int) uint64 {
	if i >= len(cut) {
		return 0
	}
	a, b := max(lo-k0, 0), min(cut[i]-k0, 64)
	if a >= b {
		return 0
	}
	m := ^uint64(0) << a
	if b < 64 {
		m &= 1<<b - 1
	}
	return m
}

// entsAt returns the steps of a block after which a one-word program's state (entW) holds slot.
func entsAt(entW []uint64, slot int) uint64 {
	var e uint64
	for j, v := range entW {
		e |= (v >> (slot & 63) & 1) << (j & 63)
	}
	return e
}

// step1 runs step k (step j of the block) of a one-word program from state x, with the
// zero-width tests, and returns the state after it.
func (bp *bitProg) step1(a *automaton, s *scratch, bs *bitScratch, x uint64, j, k, n int, reverse bool, add uint64) uint64 {
	if k > 0 {
		ac := x & bp.reach[2*int(bs.cls[j])] // rows are two words long: the state's word and the delay lines'
		x = bp.consume1(ac) | bs.exitW[j] | add
	}
	pos := k
	if reverse {
		pos = n - k
	}
	hold := uint64(0)
	if len(bp.holdWs) > 0 {
		hold = bp.hold1(a, s, pos, n)
	}
	x = bp.close1(x, hold)
	bs.entW[j] = x
	return x
}

// hold1 returns the zero-width slots of a one-word program whose test holds at position
// pos of a path of n units (computeHold for the program's one word, without its scratch).
func (bp *bitProg) hold1(a *automaton, s *scratch, pos, n int) uint64 {
	var h uint64
	if pos == 0 {
		for i := range bp.begin {
			h |= bp.begin[i].masks[0]
		}
	}
	if pos == n {
		for i := range bp.end {
			h |= bp.end[i].masks[0]
		}
	}
	for i := range bp.preds {
		if p := &bp.preds[i]; a.holds(s, p.pred, pos) {
			h |= p.masks[0]
		}
	}
	return h
}

// consume1 returns the slots a one-word program's consuming slots ac lead to: the next
// slot, themselves where they loop, and where their jumps lead.
func (bp *bitProg) consume1(ac uint64) uint64 {
	y := ac<<1 | ac&bp.self[0]
	for i := range bp.jumps {
		if j := &bp.jumps[i]; j.left {
			y |= ac & j.m0 << (j.r & 63)
		} else {
			y |= ac & j.m0 >> (j.r & 63)
		}
	}
	return y
}

// close1 returns the slots a one-word program reaches from those of x without consuming,
// where the zero-width slots of hold have their test holding (none: static's additions).
func (bp *bitProg) close1(x, hold uint64) uint64 {
	es := bp.static
	if hold != 0 {
		es = bp.ents
	}
	for {
		var fb, carry uint64
		for i := range es {
			e := &es[i]
			h := hold & e.dyn
			run := e.run | h
			sd := x & (e.seed | h)
			sum, cy := bits.Add64(run, sd, carry)
			carry = cy
			add := ((sum ^ run) | sd) & e.tgt
			fb |= add &^ x & e.feed
			x |= add
		}
		for i := range bp.backs {
			b := &bp.backs[i]
			add := x & b.m0 >> (b.r & 63) &^ x
			fb |= add & b.feed
			x |= add
		}
		if fb == 0 {
			return x
		}
	}
}

// run1 runs steps j0..j1-1 of the block of a one-word program from state x, at positions
// where no zero-width test holds, and returns the state after them and the steps after
// which the program accepts (stopping at the first one if first is set, and when the
// state is empty if stopEmpty is).
func (bp *bitProg) run1(x uint64, bs *bitScratch, j0, j1 int, add uint64, first, stopEmpty bool) (uint64, uint64) {
	return bp.fast1.run(x, bs, j0, j1, add, first, stopEmpty)
}

// fast1Prog is a one-word program as run1 runs it without loops inside a step. One with
// at most fast1Jumps jumps, at most fast1Adds additions without tests that are independent
// (no addition's targets are another's seeds) and no backward moves runs the jumps as
// rotations (a jump stays within the word, so none wraps around; unused ones have empty
// masks) and makes the additions at once from the same state (they then depend on it only
// through their seeds, and the round is repeated when one leads back to another, as in
// bitProg.round), which shortens a step's chain of dependent operations: run0, run2, run4
// for those with two jumps at most, runSerial for the others. Any other program takes its
// steps from a table (runTab), which costs more than those where they apply (its 16 KiB
// share the first-level cache with the chains' tables).
type fast1Prog struct {
	reach  []uint64 // per class: the consuming slots (the state's word of bitProg.reach)
	self   uint64
	jm     [fast1Jumps]uint64
	jr     [fast1Jumps]uint8
	njump  int
	nadd   int
	adds   [fast1Adds]bitEnt
	feed   uint64 // the bits of all feed masks
	matchB uint64

	// tab gives, by byte of the consuming slots of a step, the slots they lead to: shifted
	// by one, themselves, where their jumps lead, and all that reaches without consuming.
	// Since what a set of slots reaches is the union of what each reaches, a step is then
	// one entry per byte ORed together, with the threads leaving the sources (whose exits
	// come closed, bitProg.srcExitBits) and the start (startCl): no additions, and a chain
	// of dependent operations as short as run0's, whatever the jumps and the additions. It
	// takes 16 KiB, built by the first match that needs it (tabOnce).
	useTab  bool
	tabOnce sync.Once
	tab     *[8][256]uint64
	startCl uint64
	bp      *bitProg
}

const (
	fast1Jumps = 4
	fast1Adds  = 4
)

// newFast1 returns the fast1Prog of bp (every one-word program has one), or nil when bp
// has more than one word.
func newFast1(bp *bitProg) *fast1Prog {
	if bp.words != 1 {
		return nil
	}
	f := &fast1Prog{self: bp.self[0], njump: len(bp.jumps), nadd: len(bp.static), matchB: 1 << bp.match}
	for c := 0; c < bp.nclass; c++ {
		f.reach = append(f.reach, bp.reach[2*c])
	}
	f.useTab = len(bp.jumps) > fast1Jumps || len(bp.static) > fast1Adds || len(bp.backs) > 0
	for i, e := range bp.static {
		for _, d := range bp.static[i+1:] {
			if e.tgt&d.seed != 0 {
				f.useTab = true
			}
		}
	}
	if f.useTab {
		f.bp = bp
		return f
	}
	for i, j := range bp.jumps {
		f.jm[i] = j.m0
		f.jr[i] = j.r
		if !j.left {
			f.jr[i] = 64 - j.r
		}
	}
	copy(f.adds[:], bp.static)
	for _, e := range bp.static {
		f.feed |= e.feed
	}
	return f
}

// buildTab fills in tab and startCl.
func (f *fast1Prog) buildTab() {
	bp := f.bp
	tab := new([8][256]uint64)
	for b := range 64 {
		y := bp.close1(bp.consume1(1<<b), 0)
		t := &tab[b>>3]
		for v := range 256 {
			if v>>(b&7)&1 != 0 {
				t[v] |= y
			}
		}
	}
	f.startCl = bp.close1(1<<bp.start, 0)
	f.tab = tab
}

// run is run1 for a fast1Prog.
func (f *fast1Prog) run(x uint64, bs *bitScratch, j0, j1 int, add uint64, first, stopEmpty bool) (uint64, uint64) {
	switch {
	case f.useTab:
		f.tabOnce.Do(f.buildTab)
		return f.runTab(x, bs, j0, j1, add, first, stopEmpty)
	case f.njump > 2:
		return f.runSerial(x, bs, j0, j1, add, first, stopEmpty)
	case f.nadd == 0:
		return f.run0(x, bs, j0, j1, add, first, stopEmpty)
	case f.nadd <= 2:
		return f.run2(x, bs, j0, j1, add, first, stopEmpty)
	}
	return f.run4(x, bs, j0, j1, add, first, stopEmpty)
}

// run0 is run for a program without additions (and at most two jumps, as run2 and run4).
func (f *fast1Prog) run0(x uint64, bs *bitScratch, j0, j1 int, add uint64, first, stopEmpty bool) (uint64, uint64) {
	reach := f.reach
	self := f.self
	jm0, jm1 := f.jm[0], f.jm[1]
	jr0, jr1 := int(f.jr[0]), int(f.jr[1])
	cls := bs.cls[:j1]
	exitW := bs.exitW[:j1]
	entW := bs.entW[:j1]
	matchB := f.matchB
	var acc uint64
	for j := j0; j < j1; j++ {
		ac := x & reach[cls[j]]
		x = ac<<1 | ac&self | bits.RotateLeft64(ac&jm0, jr0) | bits.RotateLeft64(ac&jm1, jr1) | exitW[j] | add
		entW[j] = x
		if x&matchB != 0 {
			acc |= 1 << (j & 63)
			if first {
				break
			}
		}
		if x == 0 && stopEmpty {
			break
		}
	}
	return x, acc
}

// run2 is run for a program of one or two independent additions.
func (f *fast1Prog) run2(x uint64, bs *bitScratch, j0, j1 int, add uint64, first, stopEmpty bool) (uint64, uint64) {
	reach := f.reach
	self := f.self
	jm0, jm1 := f.jm[0], f.jm[1]
	jr0, jr1 := int(f.jr[0]), int(f.jr[1])
	r0, s0, t0 := f.adds[0].run, f.adds[0].seed, f.adds[0].tgt
	r1, s1, t1 := f.adds[1].run, f.adds[1].seed, f.adds[1].tgt
	feed := f.feed
	cls := bs.cls[:j1]
	exitW := bs.exitW[:j1]
	entW := bs.entW[:j1]
	matchB := f.matchB
	var acc uint64
	for j := j0; j < j1; j++ {
		ac := x & reach[cls[j]]
		x = ac<<1 | ac&self | bits.RotateLeft64(ac&jm0, jr0) | bits.RotateLeft64(ac&jm1, jr1) | exitW[j] | add
		for {
			d0, d1 := x&s0, x&s1
			a := ((r0+d0)^r0|d0)&t0 | ((r1+d1)^r1|d1)&t1
			fb := a &^ x & feed
			x |= a
			if fb == 0 {
				break
			}
		}
		entW[j] = x
		if x&matchB != 0 {
			acc |= 1 << (j & 63)
			if first {
				break
			}
		}
		if x == 0 && stopEmpty {
			break
		}
	}
	return x, acc
}

// run4 is run for a program of three or four independent additions.
func (f *fast1Prog) run4(x uint64, bs *bitScratch, j0, j1 int, add uint64, first, stopEmpty bool) (uint64, uint64) {
	reach := f.reach
	self := f.self
	jm0, jm1 := f.jm[0], f.jm[1]
	jr0, jr1 := int(f.jr[0]), int(f.jr[1])
	ads := &f.adds
	feed := f.feed
	cls := bs.cls[:j1]
	exitW := bs.exitW[:j1]
	entW := bs.entW[:j1]
	matchB := f.matchB
	var acc uint64
	for j := j0; j < j1; j++ {
		ac := x & reach[cls[j]]
		x = ac<<1 | ac&self | bits.RotateLeft64(ac&jm0, jr0) | bits.RotateLeft64(ac&jm1, jr1) | exitW[j] | add
		for {
			d0, d1, d2, d3 := x&ads[0].seed, x&ads[1].seed, x&ads[2].seed, x&ads[3].seed
			a := ((ads[0].run+d0)^ads[0].run|d0)&ads[0].tgt | ((ads[1].run+d1)^ads[1].run|d1)&ads[1].tgt |
				((ads[2].run+d2)^ads[2].run|d2)&ads[2].tgt | ((ads[3].run+d3)^ads[3].run|d3)&ads[3].tgt
			fb := a &^ x & feed
			x |= a
			if fb == 0 {
				break
			}
		}
		entW[j] = x
		if x&matchB != 0 {
			acc |= 1 << (j & 63)
			if first {
				break
			}
		}
		if x == 0 && stopEmpty {
			break
		}
	}
	return x, acc
}

// runSerial is run for a program of three or four jumps and independent additions.
func (f *fast1Prog) runSerial(x uint64, bs *bitScratch, j0, j1 int, add uint64, first, stopEmpty bool) (uint64, uint64) {
	reach := f.reach
	self := f.self
	jm0, jm1, jm2, jm3 := f.jm[0], f.jm[1], f.jm[2], f.jm[3]
	jr0, jr1, jr2, jr3 := int(f.jr[0]), int(f.jr[1]), int(f.jr[2]), int(f.jr[3])
	ads := &f.adds
	nadd := f.nadd
	cls := bs.cls[:j1]
	exitW := bs.exitW[:j1]
	entW := bs.entW[:j1]
	matchB := f.matchB
	var acc uint64
	for j := j0; j < j1; j++ {
		ac := x & reach[cls[j]]
		x = ac<<1 | ac&self | bits.RotateLeft64(ac&jm0, jr0) | bits.RotateLeft64(ac&jm1, jr1) |
			bits.RotateLeft64(ac&jm2, jr2) | bits.RotateLeft64(ac&jm3, jr3) | exitW[j] | add
		for {
			// The additions in order (each ends with no carry), repeated while one leads
			// back to another.
			var fb uint64
			for i := 0; i < nadd; i++ {
				e := &ads[i]
				sd := x & e.seed
				a := ((e.run + sd) ^ e.run | sd) & e.tgt
				fb |= a &^ x & e.feed
				x |= a
			}
			if fb == 0 {
				break
			}
		}
		entW[j] = x
		if x&matchB != 0 {
			acc |= 1 << (j & 63)
			if first {
				break
			}
		}
		if x == 0 && stopEmpty {
			break
		}
	}
	return x, acc
}

// runTab is run for a program with a table: a step is a lookup per byte of the consuming
// slots.
func (f *fast1Prog) runTab(x uint64, bs *bitScratch, j0, j1 int, add uint64, first, stopEmpty bool) (uint64, uint64) {
	reach := f.reach
	tab := f.tab
	if add != 0 {
		add = f.startCl
	}
	cls := bs.cls[:j1]
	exitW := bs.exitW[:j1]
	entW := bs.entW[:j1]
	matchB := f.matchB
	var acc uint64
	for j := j0; j < j1; j++ {
		ac := x & reach[cls[j]]
		x = tab[0][uint8(ac)] | tab[1][uint8(ac>>8)] | tab[2][uint8(ac>>16)] | tab[3][uint8(ac>>24)] |
			tab[4][uint8(ac>>32)] | tab[5][uint8(ac>>40)] | tab[6][uint8(ac>>48)] | tab[7][uint8(ac>>56)] |
			exitW[j] | add
		entW[j] = x
		if x&matchB != 0 {
			acc |= 1 << (j & 63)
			if first {
				break
			}
		}
		if x == 0 && stopEmpty {
			break
		}
	}
	return x, acc
}
