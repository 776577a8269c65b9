package glob

import "math/bits"

// This file runs a bit-parallel program (bitnfa.go) over a path. A step consumes one code
// unit, in one pass over the words of the state (a shift by one, the slots that loop on
// themselves, the jumps, the threads leaving delay lines), and then follows the moves that
// consume nothing: each family and level's addition, in a fixed order, over the words it
// concerns, then the backward moves. That round is exact unless a move leads to one that
// an earlier addition of the round should have made; the feed masks record which bits
// could, and only a step that sets one of them (a test at the start of an alternative, a
// backward move) makes another round, which sets at least one more bit. A step thus costs
// a few operations per word of state and level, whatever the input: a path of n units
// against a program of w words takes time proportional to n·w (times the levels), without
// the DFA's worst case of building a new state, proportional to the program's size, at
// every unit.

// bitScratch is the per-match memory of one bit-parallel program.
type bitScratch struct {
	x        []uint64 // the state, plus a word that stays zero
	hold     []uint64 // the zero-width slots whose predicate holds at the current position
	held     bool     // some slot of hold is set
	ring     []uint8  // delay lines: whether a thread entered at each recent position
	lastKill []int    // per delay line: the last step whose unit was outside its set
	lastIn   []int    // per delay line: the last step a thread entered
}

// newBitScratch allocates the per-match memory of bp.
func newBitScratch(bp *bitProg) bitScratch {
	return bitScratch{
		x:        make([]uint64, bp.words+1),
		hold:     make([]uint64, bp.words+1),
		ring:     make([]uint8, bp.ring),
		lastKill: make([]int, len(bp.lines)),
		lastIn:   make([]int, len(bp.lines)),
	}
}

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

// execN is exec for a program of any size.
func (bp *bitProg) execN(a *automaton, s *scratch, bs *bitScratch, reverse, search bool, marks []uint64) bool {
	in := s.in
	n := len(in)
	x := bs.x
	clear(x)
	clear(bs.hold)
	bs.held = false
	lines := bp.lines
	lastKill, lastIn, ring := bs.lastKill, bs.lastIn, bs.ring
	for i := range lines {
		lastKill[i] = -1
		lastIn[i] = -1
	}
	clear(ring) // a position not reached yet reads as no entry
	cm := a.classes
	stride := bp.words + 1
	startW, startB := bp.start>>6, uint64(1)<<(bp.start&63)
	matchW, matchB := bp.match>>6, uint64(1)<<(bp.match&63)
	general := len(bp.preds) > 0 // tests other than "^" and "$", evaluated at every position
	tests := len(bp.holdWs) > 0
	jumps := bp.jumps
	x[startW] = startB
	for k := 0; ; k++ {
		pos := k
		if reverse {
			pos = n - k
		}
		if tests && (general || bs.held || pos == 0 || pos == n) {
			bp.computeHold(a, s, bs, pos, n)
		}
		if k > 0 {
			var u uint16
			if reverse {
				u = in[n-k]
			} else {
				u = in[k-1]
			}
			c := int(cm.ascii[u&0x7F])
			if u >= 0x80 {
				c = cm.of(u)
			}
			// Consume: every consuming slot whose set has the unit continues at the next
			// slot, at itself if it loops, and where its jumps lead (back to the start of
			// its repetition, or past a junction it alone leads to).
			reach := bp.reach[c*stride : (c+1)*stride : (c+1)*stride]
			reach = reach[:len(x)]
			inLines := reach[bp.words]
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
			// Threads leaving delay lines: those that entered n units ago, if no unit since
			// was outside the set (written without branches, the entries being random).
			var out uint64
			for i := range lines {
				l := &lines[i]
				kill := lastKill[i]
				if inLines>>i&1 == 0 {
					kill = k - 1
				}
				lastKill[i] = kill
				t := k - l.n
				o := uint64(ring[l.ringOff+t&l.ringMask])
				if kill >= t {
					o = 0
				}
				x[l.exit>>6] |= o << (l.exit & 63)
				out |= o
			}
			if search {
				x[startW] |= startB
			} else if any == 0 && out == 0 && !bp.linesLive(bs, k) {
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
		for i := range lines {
			l := &lines[i]
			in := x[l.slot>>6] >> (l.slot & 63) & 1
			ring[l.ringOff+k&l.ringMask] = uint8(in)
			last := lastIn[i]
			if in != 0 {
				last = k
			}
			lastIn[i] = last
		}
		if x[matchW]&matchB != 0 {
			if marks == nil {
				return true
			}
			marks[pos>>6] |= 1 << (pos & 63)
		}
		if k == n {
			return false
		}
	}
}

// linesLive reports whether a thread is still inside a delay line after step k.
func (bp *bitProg) linesLive(bs *bitScratch, k int) bool {
	for i := range bp.lines {
		if bs.lastIn[i] > bs.lastKill[i] && bs.lastIn[i]+bp.lines[i].n > k {
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

// exec1 is exec for a program of one word, the usual size once long runs of units are
// delay lines: the state, the reach rows and the additions are plain words.
func (bp *bitProg) exec1(a *automaton, s *scratch, bs *bitScratch, reverse, search bool, marks []uint64) bool {
	in := s.in
	n := len(in)
	lines := bp.lines
	lastKill, lastIn, ring := bs.lastKill, bs.lastIn, bs.ring
	for i := range lines {
		lastKill[i] = -1
		lastIn[i] = -1
	}
	clear(ring)
	bs.hold[0] = 0
	bs.held = false
	cm := a.classes
	reach := bp.reach
	self := bp.self[0]
	jumps := bp.jumps
	backs := bp.backs
	ents, static := bp.ents, bp.static
	startB := uint64(1) << bp.start
	matchB := uint64(1) << bp.match
	general := len(bp.preds) > 0
	tests := len(bp.holdWs) > 0
	x := startB
	for k := 0; ; k++ {
		pos := k
		if reverse {
			pos = n - k
		}
		if k > 0 {
			var u uint16
			if reverse {
				u = in[n-k]
			} else {
				u = in[k-1]
			}
			c := int(cm.ascii[u&0x7F])
			if u >= 0x80 {
				c = cm.of(u)
			}
			r := reach[2*c] // rows are two words long: the state's word and the delay lines'
			inLines := reach[2*c+1]
			ac := x & r
			y := ac<<1 | ac&self
			for i := range jumps {
				if j := &jumps[i]; j.left {
					y |= ac & j.m0 << j.r
				} else {
					y |= ac & j.m0 >> j.r
				}
			}
			var out uint64
			for i := range lines {
				l := &lines[i]
				kill := lastKill[i]
				if inLines>>i&1 == 0 {
					kill = k - 1
				}
				lastKill[i] = kill
				t := k - l.n
				o := uint64(ring[l.ringOff+t&l.ringMask])
				if kill >= t {
					o = 0
				}
				y |= o << l.exit
				out |= o
			}
			x = y
			if search {
				x |= startB
			} else if x == 0 && out == 0 && !bp.linesLive(bs, k) {
				return false
			}
		}
		hold := uint64(0)
		if tests && (general || bs.held || pos == 0 || pos == n) {
			bp.computeHold(a, s, bs, pos, n)
			hold = bs.hold[0]
		}
		es := static
		if hold != 0 {
			es = ents
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
			for i := range backs {
				b := &backs[i]
				add := x & b.m0 >> b.r &^ x
				fb |= add & b.feed
				x |= add
			}
			if fb == 0 {
				break
			}
		}
		for i := range lines {
			l := &lines[i]
			v := x >> l.slot & 1
			ring[l.ringOff+k&l.ringMask] = uint8(v)
			last := lastIn[i]
			if v != 0 {
				last = k
			}
			lastIn[i] = last
		}
		if x&matchB != 0 {
			if marks == nil {
				return true
			}
			marks[pos>>6] |= 1 << (pos & 63)
		}
		if k == n {
			return false
		}
	}
}
