package temporal

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"
)

// A Timeline is a merged list of grants. It answers which of them are active
// at an instant and when that set next changes. Build one with [Merge].
//
// The boundaries of the grants' windows split time into segments, and the
// active set is constant on each segment. The Timeline holds the boundaries
// sorted, so a query first finds t's segment by binary search. It then needs
// that segment's active set. Storing a bitset per segment would cost memory
// quadratic in the number of grants, so the Timeline stores a bitset only at
// some segments (checkpoints), plus the grants that flip at each boundary. A
// query copies the nearest earlier checkpoint and replays at most one
// bitset's worth of flips. Memory stays linear in the number of grants n.
// NextChange costs O(log n). Active costs O(log n + n/64) word operations
// plus its output.
//
// A Timeline is immutable and safe for concurrent use by multiple
// goroutines. The zero Timeline has no grants.
type Timeline struct {
	n     int // number of grants
	words int // uint64 words in a bitset of n bits

	// bounds holds the distinct instants at which the active set changes,
	// sorted. Segment s, for 0 <= s <= len(bounds), is
	// [bounds[s-1], bounds[s]), open-ended at both extremes.
	bounds []instant
	// flips[flipAt[j]:flipAt[j+1]] lists the grants that start or end at
	// bounds[j]. Each of them toggles. len(flipAt) == len(bounds)+1.
	flipAt []int32
	flips  []int32

	// sets holds the checkpoints: bitsets of the grants active during
	// segment from[c], words words each. Segment s uses checkpoint ck[s] and
	// then replays flips[flipAt[from[ck[s]]]:flipAt[s]].
	sets []uint64
	from []int32
	ck   []int32
}

// Merge builds the Timeline of grants. Grant i of the Timeline's answers is
// grants[i]. Merge does not retain grants.
//
// Merge panics if there are more than math.MaxInt32 grants.
func Merge(grants []Grant) *Timeline {
	if len(grants) > math.MaxInt32 {
		panic("temporal: too many grants to merge")
	}
	n := len(grants)
	tl := &Timeline{n: n, words: (n + 63) / 64}

	// The set before the first boundary, and the boundary events.
	type event struct {
		at instant
		i  int32
	}
	cur := make([]uint64, tl.words)
	events := make([]event, 0, 2*n)
	for i, g := range grants {
		w, ok := g.Window()
		if !ok {
			continue // never active: no boundaries either
		}
		if w.Start.IsZero() {
			cur[i>>6] |= 1 << (i & 63)
		} else {
			events = append(events, event{at(w.Start), int32(i)})
		}
		if !w.End.IsZero() {
			events = append(events, event{at(w.End), int32(i)})
		}
	}
	slices.SortFunc(events, func(a, b event) int {
		if c := a.at.compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})

	// Group the events into boundaries. A window is never empty here, so
	// a grant flips at most once per boundary, and every boundary changes
	// the active set.
	tl.flips = make([]int32, len(events))
	tl.flipAt = make([]int32, 0, len(events)+1)
	tl.bounds = make([]instant, 0, len(events))
	for k, e := range events {
		if k == 0 || e.at != events[k-1].at {
			tl.bounds = append(tl.bounds, e.at)
			tl.flipAt = append(tl.flipAt, int32(k))
		}
		tl.flips[k] = e.i
	}
	tl.flipAt = append(tl.flipAt, int32(len(events)))

	// Checkpoints. A new one is taken once more than stride flips have
	// accumulated since the last one, so a query replays at most stride
	// flips. With stride = words, replaying costs no more than copying a
	// checkpoint, and the checkpoints hold at most about 2n words.
	stride := max(tl.words, 1)
	tl.sets = append(tl.sets, cur...)
	tl.from = []int32{0}
	tl.ck = make([]int32, len(tl.bounds)+1)
	pending := 0
	for j := range tl.bounds {
		fl := tl.flips[tl.flipAt[j]:tl.flipAt[j+1]]
		for _, i := range fl {
			cur[i>>6] ^= 1 << (i & 63)
		}
		pending += len(fl)
		s := j + 1
		if pending > stride {
			tl.sets = append(tl.sets, cur...)
			tl.from = append(tl.from, int32(s))
			pending = 0
		}
		tl.ck[s] = int32(len(tl.from) - 1)
	}
	return tl
}

// Len returns the number of grants merged into tl.
func (tl *Timeline) Len() int { return tl.n }

// segment returns the index of the segment that contains x: the number of
// boundaries at or before x.
func (tl *Timeline) segment(x instant) int {
	lo, hi := 0, len(tl.bounds)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x.before(tl.bounds[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// Active returns the indices of the grants active at t, in increasing order,
// which is the order they were given to [Merge]. It returns nil if no grant
// is active.
func (tl *Timeline) Active(t time.Time) []int {
	return tl.AppendActive(nil, t)
}

// scratch holds bitsets for AppendActive on Timelines too large for its
// stack buffer.
var scratch = sync.Pool{New: func() any { return new([]uint64) }}

// stackWords is the largest bitset AppendActive keeps on the stack: 1024
// grants, far more than an identity normally holds.
const stackWords = 16

// AppendActive appends the indices of the grants active at t to dst, in
// increasing order, and returns the extended slice. It does not allocate
// when dst has room for the result. (For a Timeline of more than 1024
// grants, that holds in the steady state: scratch space comes from a
// sync.Pool.)
func (tl *Timeline) AppendActive(dst []int, t time.Time) []int {
	if tl.n == 0 {
		return dst
	}
	s := tl.segment(at(t))
	c := int(tl.ck[s])
	set := tl.sets[c*tl.words : (c+1)*tl.words]
	replay := tl.flips[tl.flipAt[tl.from[c]]:tl.flipAt[s]]
	if len(replay) == 0 {
		return appendBits(dst, set)
	}
	var buf [stackWords]uint64
	var work []uint64
	if tl.words <= len(buf) {
		work = buf[:tl.words]
	} else {
		p := scratch.Get().(*[]uint64)
		if cap(*p) < tl.words {
			*p = make([]uint64, tl.words)
		}
		work = (*p)[:tl.words]
		defer scratch.Put(p)
	}
	copy(work, set)
	for _, i := range replay {
		work[i>>6] ^= 1 << (i & 63)
	}
	return appendBits(dst, work)
}

// appendBits appends the positions of the bits set in set, in increasing
// order.
func appendBits(dst []int, set []uint64) []int {
	for w, x := range set {
		for x != 0 {
			dst = append(dst, w<<6|bits.TrailingZeros64(x))
			x &= x - 1
		}
	}
	return dst
}

// NextChange returns the first instant strictly after t at which the set of
// active grants changes, in UTC. The set is the same at every instant in
// [t, next). ok is false if the set never changes after t.
func (tl *Timeline) NextChange(t time.Time) (next time.Time, ok bool) {
	s := tl.segment(at(t))
	if s == len(tl.bounds) {
		return time.Time{}, false
	}
	return tl.bounds[s].time(), true
}
