package glob

// This file runs repetition lines: the sources (bitexec.go) that match y{lo,hi} for a body
// y of one string of fixed length L, a unit set at each offset ("?(ab)", "?([ab]c)", or
// "?(a|b)" as the one-unit string "[ab]"), as optChain lays out a long run of optionals of
// such a body. A thread that entered after step t leaves after step k when k-t is L·i for
// some i from lo to hi and the units of steps t+1..k spell y i times. Two numbers per
// offset modulo L decide that at each step, whatever the threads inside: the copies of y
// that the units up to step k spell back to back (cnt, counted as L units at a time end
// there), and the latest entry at least lo copies back (latest). The latest entry is the
// one that needs the fewest copies, so a thread leaves after step k exactly when that
// entry is at most cnt copies back. A step thus costs a few operations, as a delay line's
// does, instead of one per word of a fixed chain of hi items.

// bitRepProg is a repetition line as run.
type bitRepProg struct {
	slot, exit int
	n          int          // L, the length of y
	lo, hi     int          // the copies of y a thread takes, lo·L at least (lo ≥ 1)
	spell      *[256]uint64 // per class: the offsets of y whose set has it (bit j: offset j)
	ringMask   int          // the ring of entries holds ringMask+1 steps
}

// repState is the per-match state of a repetition line.
type repState struct {
	ring   []uint8 // whether a thread entered after each recent step
	d      uint64  // the offsets of y the last units spell up to (bit j: units 0..j)
	cnt    [maxFixedLen]int
	latest [maxFixedLen]int
	lastIn int // the last step after which a thread entered
}

// finishRep builds the tables of the repetition line laid out as chain g, whose one body
// string is g.strs[0][0], once the unit classes are known.
func finishRep(a *automaton, g *bitChain, exit int) bitRepProg {
	str := g.fsets[0][0]
	rp := bitRepProg{slot: g.slot, exit: exit, n: len(str), lo: g.exitFrom + 1, hi: len(g.strs)}
	rp.spell = new([256]uint64)
	for c := 0; c < a.classes.n; c++ {
		for j, set := range str {
			if a.inClass(set, c) {
				rp.spell[c] |= 1 << j
			}
		}
	}
	size := 64
	for size < rp.n*rp.lo+blockMax+1 {
		size <<= 1
	}
	rp.ringMask = size - 1
	return rp
}

func newRepState(rp *bitRepProg) repState {
	return repState{ring: make([]uint8, rp.ringMask+1)}
}

// reset empties the line at the start of a match.
func (rs *repState) reset() {
	clear(rs.ring)
	rs.d, rs.lastIn = 0, -1
	clear(rs.cnt[:])
	for i := range rs.latest {
		rs.latest[i] = -1 << 40
	}
}

// advance runs the line over steps k0+from..k0+m-1 and returns the steps of the block at
// which threads leave it. The entries it looks back to are at least lo·L steps old, so
// from blocks before (a block is at most that long).
func (rp *bitRepProg) advance(rs *repState, cls []uint8, k0, from, m int) uint64 {
	if rs.lastIn < 0 || rs.lastIn+rp.n*rp.hi < k0+from {
		// No thread inside: only the counts need to follow the units.
		rp.follow(rs, cls, k0, from, m)
		return 0
	}
	var ex uint64
	top := uint64(1) << (rp.n - 1)
	span := rp.n * rp.lo
	d, r := rs.d, (k0+from)%rp.n
	for j := from; j < m; j++ {
		k := k0 + j
		d = (d<<1 | 1) & rp.spell[cls[j]]
		c := 0
		if d&top != 0 {
			c = min(rs.cnt[r]+1, rp.hi)
		}
		rs.cnt[r] = c
		if t := k - span; t >= 0 && rs.ring[t&rp.ringMask] != 0 {
			rs.latest[r] = t
		}
		if rs.latest[r] >= k-rp.n*c {
			ex |= 1 << j
		}
		if r++; r == rp.n {
			r = 0
		}
	}
	rs.d = d
	return ex
}

// follow is advance for a line without a thread inside.
func (rp *bitRepProg) follow(rs *repState, cls []uint8, k0, from, m int) {
	top := uint64(1) << (rp.n - 1)
	d, r := rs.d, (k0+from)%rp.n
	for j := from; j < m; j++ {
		d = (d<<1 | 1) & rp.spell[cls[j]]
		c := 0
		if d&top != 0 {
			c = min(rs.cnt[r]+1, rp.hi)
		}
		rs.cnt[r] = c
		if r++; r == rp.n {
			r = 0
		}
	}
	rs.d = d
}

// takeIn records the threads that entered the line after steps k0..k0+m-1 (ents).
func (rp *bitRepProg) takeIn(rs *repState, ents uint64, k0, m int) {
	for j := 0; j < m; j++ {
		v := uint8(ents >> j & 1)
		rs.ring[(k0+j)&rp.ringMask] = v
		if v != 0 {
			rs.lastIn = k0 + j
		}
	}
}

// live reports whether a thread may still leave the line after step k.
func (rp *bitRepProg) live(rs *repState, k int) bool {
	return rs.lastIn >= 0 && rs.lastIn+rp.n*rp.hi > k
}
