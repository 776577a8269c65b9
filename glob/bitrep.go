package glob

import "math/bits"

// This file runs repetition lines: the sources (bitexec.go) that match y{lo,hi} for a body
// y that matches a few strings of fixed length (unit sets at each offset) of which none
// begins or ends another ("?(ab)", "?(a|bc)", "[ab]" with its literal text "[ab]"), or
// begins another only where the rest of that one begins no string ("?(a|ab)"). optChain
// lays out a long run of optionals of such a body as one, and chainRun a long run of copies
// of one item.
//
// Since no string of y ends another, at most one ends at each position; since none begins
// another (or only as said), at most one starts there that leads further. The positions
// thus form chains: position k follows position p when the units of steps p+1..k spell a
// string of y (then k has no other previous, and p no other next but dead ends). A thread
// that entered y{lo,hi} after step t leaves it after step k exactly when k is on t's chain
// lo to hi places after t. Each position keeps, as the units are read, its place on its
// chain, the position lo places back (found from the previous position's in one step, each
// position having one next that leads anywhere), and the place of the latest entry at
// least lo places back on its chain: the entry that needs the fewest strings, so that a
// thread leaves after step k when that entry is at most hi places back.
// That entry is lo strings back, so at least as many steps as a block (bitexec.go) is
// long: the block before already recorded it. A step thus costs a few operations, as a
// delay line's does, instead of one per word of a fixed chain of hi items.
//
// A body of one string of length L makes the chains periodic: position k follows k-L when
// the last L units spell the string. The line then keeps, per offset modulo L, the strings
// spelled back to back up to the last step of that offset and the latest entry lo strings
// back or more (advanceOne), which takes fewer memory accesses a step.

// maxRepUnits bounds the units of a repetition line's strings together (one word of
// offsets), and maxRepPeriod the parts of a concatenation its item may take ("[ab]?" is
// two: a run of copies of it is a run of parts with a period of two).
const (
	maxRepUnits  = 64
	maxRepPeriod = 4
)

// bitRepProg is a repetition line as run.
type bitRepProg struct {
	slot, exit int
	lo, hi     int          // the strings a thread takes (lo ≥ 1)
	spell      *[256]uint64 // per class: the offsets of the strings whose set has it
	first      uint64       // the first offset of each string
	last       uint64       // the last offset of each string
	lenAt      [64]int32    // per last offset: the string's length
	minLen     int
	maxLen     int
	one        bool // the body is one string (advanceOne)
	ringMask   int  // the rings of positions hold ringMask+1 steps
}

// repState is the per-match state of a repetition line: rings indexed by position.
type repState struct {
	d      uint64    // the offsets the last units spell up to
	entry  []uint8   // whether a thread entered after the step
	nodes  []repNode // per position
	next   []int32   // per position: the next position on its chain
	lastIn int       // the last step after which a thread entered

	// cold: no thread may be inside, and the nodes are not kept (advance follows only the
	// units, recording ds, the offsets spelled after each step of the block); the first
	// block with an entry builds them from the entry on (takeIn).
	cold bool
	ds   [blockMax]uint64

	// One string: per offset modulo its length, the strings spelled back to back up to the
	// last step of that offset, and the latest entry lo strings back or more.
	cnt  [maxFixedLen]int
	late [maxFixedLen]int
}

// repNode is what a repetition line keeps of a position (four fields, which the compiler
// keeps in registers).
type repNode struct {
	place  int32 // the place on its chain
	back   int32 // the position lo places back, or -1
	root   int32 // the first position of the chain
	latest int32 // the place of the latest entry at least lo places back, or noEntry
}

const noEntry = -1 << 30

// repStrings reports whether the strings of strs (unit sets at each offset) may be a
// repetition line's body: none may spell the end of another (or the same units), and where
// one may spell the beginning of a longer one, the rest of the longer may not begin a
// string or be begun by one. Then at most one string ends at each position, and of two
// that start at one position, the shorter leads nowhere when the longer is spelled ("a"
// and "ab": no string starts with "b"), so the chains fork only into dead ends: a position
// read as the next of another is always the one its chain goes on to, the longer string's
// end having replaced the shorter's before anything after it could be read.
func repStrings(strs [][]unitSet) bool {
	meets := func(a, b []unitSet) bool { // a is the same length as b
		for o := range a {
			if !setsMeet(a[o], b[o]) {
				return false
			}
		}
		return true
	}
	for i, s := range strs {
		if len(s) == 0 {
			return false
		}
		for _, t := range strs[i+1:] {
			short, long := s, t
			if len(t) < len(s) {
				short, long = t, s
			}
			if meets(short, long[len(long)-len(short):]) {
				return false
			}
			if !meets(short, long[:len(short)]) {
				continue
			}
			rest := long[len(short):]
			for _, u := range strs {
				n := min(len(u), len(rest))
				if meets(u[:n], rest[:n]) {
					return false
				}
			}
		}
	}
	return true
}

// setsMeet reports whether sets a and b (normalized) have a unit in common.
func setsMeet(a, b unitSet) bool {
	for _, r := range a {
		for _, q := range b {
			if r.lo <= q.hi && q.lo <= r.hi {
				return true
			}
		}
	}
	return false
}

// repBody reports whether strs may be the body of a repetition line.
func repBody(strs [][]unitSet) bool {
	n := 0
	for _, s := range strs {
		n += len(s)
	}
	return n <= maxRepUnits && repStrings(strs)
}

// finishRep builds the tables of the repetition line laid out as chain g (every item has
// the strings of the first, g.fsets[0]) once the unit classes are known.
func finishRep(a *automaton, g *bitChain, exit int) bitRepProg {
	rp := bitRepProg{slot: g.slot, exit: exit, lo: g.exitFrom + 1, hi: len(g.strs)}
	rp.spell = new([256]uint64)
	off := 0
	for _, str := range g.fsets[0] {
		rp.first |= 1 << off
		for o, set := range str {
			for c := 0; c < a.classes.n; c++ {
				if a.inClass(set, c) {
					rp.spell[c] |= 1 << (off + o)
				}
			}
		}
		off += len(str)
		rp.last |= 1 << (off - 1)
		rp.lenAt[off-1] = int32(len(str))
		rp.maxLen = max(rp.maxLen, len(str))
		if rp.minLen == 0 || len(str) < rp.minLen {
			rp.minLen = len(str)
		}
	}
	rp.one = len(g.fsets[0]) == 1
	size := 64
	for size < rp.maxLen*(rp.lo+1)+blockMax+1 {
		size <<= 1
	}
	rp.ringMask = size - 1
	return rp
}

func newRepState(rp *bitRepProg) repState {
	n := rp.ringMask + 1
	return repState{entry: make([]uint8, n), nodes: make([]repNode, n), next: make([]int32, n)}
}

// reset empties the line at the start of a match (cold: takeIn builds the nodes from the
// first entry on).
func (rs *repState) reset() {
	clear(rs.entry)
	rs.d, rs.lastIn = 0, -1
	rs.cold = true
	clear(rs.cnt[:])
	for i := range rs.late {
		rs.late[i] = noEntry
	}
}

// advance runs the line over steps k0+from..k0+m-1 and returns the steps of the block at
// which threads leave it. Each step builds the node of its position from those before.
func (rp *bitRepProg) advance(rs *repState, cls []uint8, k0, from, m int) uint64 {
	if rp.one {
		return rp.advanceOne(rs, cls, k0, from, m)
	}
	if rs.lastIn < 0 || rs.lastIn+rp.maxLen*rp.hi < k0+from {
		rs.cold = true
		d := rs.d
		if from > 0 {
			rs.ds[from-1] = d // the first block: step 0 spells nothing
		}
		for j := from; j < m; j++ {
			d = (d<<1 | rp.first) & rp.spell[cls[j]]
			rs.ds[j] = d
		}
		rs.d = d
		return 0
	}
	var ex uint64
	mask := rp.ringMask
	lo, hi := int32(rp.lo), int32(rp.hi)
	d := rs.d
	entry, nodes, next := rs.entry, rs.nodes, rs.next
	// The node of the previous position, which a string of one unit follows.
	prev := nodes[(k0+from-1)&mask]
	for j := from; j < m; j++ {
		k := k0 + j
		d = (d<<1 | rp.first) & rp.spell[cls[j]]
		e := d & rp.last
		if e == 0 {
			// Position k begins a chain.
			prev = repNode{back: -1, root: int32(k), latest: noEntry}
			nodes[k&mask] = prev
			continue
		}
		pk := k - int(rp.lenAt[bits.TrailingZeros64(e)&63])
		next[pk&mask] = int32(k)
		pv := prev
		if pk != k-1 {
			pv = nodes[pk&mask]
		}
		n := repNode{place: pv.place + 1, back: -1, root: pv.root, latest: pv.latest}
		switch {
		case n.place == lo:
			n.back = pv.root
		case n.place > lo:
			n.back = next[int(pv.back)&mask]
		}
		if n.back >= 0 && entry[int(n.back)&mask] != 0 {
			n.latest = n.place - lo
		}
		if n.latest >= n.place-hi {
			ex |= 1 << j
		}
		nodes[k&mask] = n
		prev = n
	}
	rs.d = d
	return ex
}

// advanceOne is advance for a body of one string.
func (rp *bitRepProg) advanceOne(rs *repState, cls []uint8, k0, from, m int) uint64 {
	var ex uint64
	n := rp.maxLen
	top := uint64(1) << (n - 1)
	span := n * rp.lo
	d, r := rs.d, (k0+from)%n
	for j := from; j < m; j++ {
		k := k0 + j
		d = (d<<1 | 1) & rp.spell[cls[j]]
		c := 0
		if d&top != 0 {
			c = min(rs.cnt[r]+1, rp.hi)
		}
		rs.cnt[r] = c
		if t := k - span; t >= 0 && rs.entry[t&rp.ringMask] != 0 {
			rs.late[r] = t
		}
		if rs.late[r] >= k-n*c {
			ex |= 1 << j
		}
		if r++; r == n {
			r = 0
		}
	}
	rs.d = d
	return ex
}

// takeIn records the threads that entered the line after steps k0..k0+m-1 (ents, cls the
// block's classes). On a cold line, it builds the nodes of the steps from the first entry
// on, the entry and the few steps before it that a string ending later may start at each
// beginning a chain: no entry before those is near enough to matter.
func (rp *bitRepProg) takeIn(rs *repState, cls []uint8, ents uint64, k0, m int) {
	for j := 0; j < m; j++ {
		v := uint8(ents >> j & 1)
		rs.entry[(k0+j)&rp.ringMask] = v
		if v != 0 {
			rs.lastIn = k0 + j
		}
	}
	if !rs.cold || ents == 0 || rp.one {
		return
	}
	rs.cold = false
	j0 := bits.TrailingZeros64(ents)
	t0 := k0 + j0
	for k := max(t0-rp.maxLen+1, 0); k <= t0; k++ {
		rs.nodes[k&rp.ringMask] = repNode{back: -1, root: int32(k), latest: noEntry}
	}
	// advance builds them (no thread leaves in the block it entered: lo strings take a
	// block at least), from the offsets spelled after the entry to those after the block.
	rs.d = rs.ds[j0]
	rp.advance(rs, cls, k0, j0+1, m)
}

// live reports whether a thread may still leave the line after step k.
func (rp *bitRepProg) live(rs *repState, k int) bool {
	return rs.lastIn >= 0 && rs.lastIn+rp.maxLen*rp.hi > k
}
