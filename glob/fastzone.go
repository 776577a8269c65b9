package glob

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// zones records the breaks of a path: the positions whose unit a globstar body cannot
// consume (a "/" followed by ".", a "." at position 0, a line terminator). A stretch between
// two breaks is a zone: a globstar gap [p, q) is possible when p and q are in the same zone,
// that is, when no break lies in [p, q).
type zones struct {
	brk []int // the breaks, in order
	lt  bool  // some break is a line terminator
}

// zoneInline is the number of breaks a caller keeps in an array of its own.
const zoneInline = 32

// zoneBuf holds the breaks and the per-zone positions of blocksMatchZones for a path with
// many breaks (up to one a byte), and the memo of a sequence with equal blocks.
type zoneBuf struct {
	brk, cur, next []int
	// The memo's entries, and the first entry of each list (-1 for none: every head is
	// -1 between matches; touched lists those a match set).
	memo           []zoneMemo
	heads, touched []int32
	// For runs of blocks with a period: what each zone's start gave, the marks of the zones a
	// step reached, and the lists of zones to redo.
	outs       []zoneOut
	st         []int
	mark       []uint64
	run, stamp uint64
	aff, todo  []int
	dirty      [maxRunPeriod][]int
	changes    [][2]int
	late       []int // latest's places
}

// zoneMemo records what a block's scan of a zone from a start kept: a block equal to it
// (the same index same), with the same gap after it, that scans the zone from a start
// between that start and the first place where the block matched keeps the same ends.
// The entries of a zone and a slot form a list, latest start first.
type zoneMemo struct {
	start int32 // where the scan started
	first int32 // the first place where the block matched, or past the zone
	same  int32 // the block's same index
	next  int32 // the entry of the list with the next start, or -1
	gap   ftokKind
	n     uint8 // the ends kept, the earliest in each of n zones
	ends  [memoEnds]int32
	zone  [memoEnds]int32 // the zone each end is kept in
}

// memoEnds is the number of zones a zoneMemo records ends in; a scan that kept ends in more
// zones is not recorded.
const memoEnds = 4

// memoWays is the number of lists the memo keeps a zone, one for each distinct block up to
// memoWays, each block in the slot its kind selects; blocks that share a slot share its
// list (30 of "/**/a?/**/b?/**/c?/**/d?/**/e?" with one entry for each of 4 slots, where
// "a?" and "e?" took turns in one, needed 190 000 units of work on a path a search built,
// and then 8 700; 16 of nine such blocks with 8 slots, 71 000, and then 6 700). A path
// with many zones has fewer: at most zoneEntries lists.
const memoWays = 16

// memoWalk is the most entries of its list a look at the memo walks.
const memoWalk = 32

// zoneEntries bounds, for one match, the entries of the memo (52 bytes each) and its
// lists, and the runs' records (88 bytes each): with more than zoneEntries/memoWays zones,
// the memo has fewer slots, and runs a shorter period.
const zoneEntries = 1 << 15

// zoneOut records the ends a zone's start gave a block of a run (see blocksMatchZones).
type zoneOut struct {
	run  uint64 // the run it belongs to
	from int    // the start, or -1 for none
	n    int    // the ends, the earliest in each of n zones
	ends [memoEnds]int
	zone [memoEnds]int
}

// maxRunPeriod is the longest period of a run of blocks that blocksMatchZones redoes in
// part.
const maxRunPeriod = 16

// runMinZones is the least span of zones holding a start at which a block starts a run:
// with fewer, doing each block in full costs less than keeping the run's records. (A
// variable, so that tests can start runs on short paths.)
var runMinZones = 8

// lateMinZones is the least span of zones holding a start at which blocksMatchZones
// searches for the blocks' latest starts (latest). (A variable, so that tests can keep
// the search from dropping positions.)
var lateMinZones = 8

// runCooldown is the number of blocks after a run that redid most zones before another
// run may start.
const runCooldown = 64

// maxRunSpan bounds how many zones apart the ends of a zone's starts in a run may be before
// runs are done in full: a zone's new start is found from the ends of that many zones.
const maxRunSpan = 8

// The status of visiting a zone in blocksMatchZones.
const (
	visitDone    = iota
	visitMatched // the last block matched
	visitOut     // the work ran out
)

var zonePool = sync.Pool{New: func() any { return new(zoneBuf) }}

// breakByte marks the bytes that may be, or start, a break after position 0.
var breakByte = [256]bool{'/': true, '\n': true, '\r': true, 0xE2: true}

// globstarSafe reports whether a globstar body could consume any part of path: whether it
// has no break.
func globstarSafe(path string) bool {
	return (len(path) == 0 || path[0] != '.') && nextBreak(path, 0) == len(path)
}

// nextBreak returns the first position from i on whose unit is a break (isBreak), or
// len(path). It tests eight bytes at a time: a byte that is a line terminator or may start
// one, or a "/" followed by ".".
func nextBreak(path string, i int) int {
	const (
		ones = 0x0101010101010101
		low7 = 0x7F7F7F7F7F7F7F7F
	)
	// eq marks with 0x80 the bytes of w equal to c.
	eq := func(w uint64, c byte) uint64 {
		x := w ^ uint64(c)*ones
		return ^((x&low7 + low7) | x | low7)
	}
	for ; i+9 <= len(path); i += 8 {
		w := load64(path, i)
		next := w>>8 | uint64(path[i+8])<<56 // the byte after each byte of w
		m := eq(w, '\n') | eq(w, '\r') | eq(w, 0xE2) | eq(w, '/')&eq(next, '.')
		for m != 0 {
			k := i + bits.TrailingZeros64(m)/8
			if isBreak(path, k) {
				return k
			}
			m &= m - 1
		}
	}
	for ; i < len(path); i++ {
		if breakByte[path[i]] && isBreak(path, i) {
			return i
		}
	}
	return len(path)
}

// isBreak reports whether the unit at path[i], for i > 0 or a path[0] other than ".", is a
// break.
func isBreak(path string, i int) bool {
	switch path[i] {
	case '/':
		return i+1 < len(path) && path[i+1] == '.'
	case '\n', '\r':
		return true
	case 0xE2:
		return isLineSeparatorAt(path, i)
	}
	return false
}

// findBreaks returns the zones of path, with the breaks in inline, or in a buffer from
// zonePool once there are more than inline can hold; the caller gives that back with
// putZoneBuf. (The buffer is not a field of zones so that the caller's inline array stays
// on its stack.)
func findBreaks(path string, inline *[zoneInline]int) (zones, *zoneBuf) {
	// Separate variables, not the fields of a zones, so that inline does not escape.
	brk, lt := inline[:0], false
	var buf *zoneBuf
	var more []int // the breaks, once they are in buf
	if len(path) > 0 && path[0] == '.' {
		brk = append(brk, 0)
	}
	for i := nextBreak(path, 0); i < len(path); i = nextBreak(path, i+1) {
		lt = lt || path[i] != '/'
		switch {
		case buf != nil:
			more = append(more, i)
		case len(brk) == cap(brk):
			buf = zonePool.Get().(*zoneBuf)
			more = append(append(buf.brk[:0], brk...), i)
		default:
			brk = append(brk, i)
		}
	}
	if buf != nil {
		buf.brk = more
		return zones{brk: more, lt: lt}, buf
	}
	return zones{brk: brk, lt: lt}, nil
}

// putZoneBuf gives back a buffer findBreaks took, if any.
func putZoneBuf(b *zoneBuf) {
	if b != nil {
		zonePool.Put(b)
	}
}

// of returns the zone of position x: the number of breaks before it.
func (z *zones) of(x int) int {
	k, _ := slices.BinarySearch(z.brk, x)
	return k
}

// near is of(x), found from zone k: x is usually in k or a zone close to it.
func (z *zones) near(x, k int) int {
	for k > 0 && z.brk[k-1] >= x {
		k--
	}
	for k < len(z.brk) && z.brk[k] < x {
		k++
	}
	return k
}

// last returns the last position a globstar gap starting in zone k may end at.
func (z *zones) last(k, end int) int {
	if k < len(z.brk) {
		return min(z.brk[k], end)
	}
	return end
}

// latest sets late[i], for each block i but the first, to the last place where block i
// may start such that it and the blocks after it match in path[:end] if the gaps could cross
// every break, or -1 for none (a block after a segment-start gap starting after a "/"): a
// position left for block i beyond late[i] can lead to no match, whatever the zones. It
// reports false, setting nothing, when a block before a segment-start gap may end other
// than after a "/" (a start of the next block there would need no "/" before it). The
// search goes back from the end once, block by block, each from the place the next one
// found; it charges a unit of work for each place it tries and each 8 bytes it scans for
// a lead.
func (s *fastSeq) latest(path string, end int, late []int, work *int) bool {
	for i := 1; i+1 < len(s.blocks); i++ {
		if s.blocks[i+1].gap == fSegStart && !endsWithSlash(&s.blocks[i]) {
			return false
		}
	}
	lim := end // the last place block i may end at
	for i := len(s.blocks) - 1; i >= 1; i-- {
		b := &s.blocks[i]
		last, mode := s.blockMode(i)
		late[i] = -1
		seg := b.gap == fSegStart
		for q := lim; q >= 0 && *work >= 0; q-- {
			switch {
			case len(b.lead) == 1:
				// A loop that tests the "/" before and the unit after too.
				c, x := b.lead[0], min(q, len(path)-1)
				for ; x >= 0; x-- {
					if path[x] == c && (!seg || x > 0 && path[x-1] == '/') &&
						(!b.afterLead || x+1 < end && path[x+1] != '/') {
						break
					}
				}
				*work -= (q-x)/8 + 1
				q = x
			case b.lead != "":
				x := strings.LastIndex(path[:min(q+len(b.lead), len(path))], b.lead)
				*work -= (q-x)/8 + 1
				q = x
			}
			if q < 0 {
				break
			}
			if seg && (q == 0 || path[q-1] != '/') ||
				b.afterLead && (q+len(b.lead) >= end || path[q+len(b.lead)] == '/') {
				continue
			}
			*work--
			if r, ok := runChunks(path, q, end, b, mode, work); ok && (last || r <= lim) {
				late[i] = q
				break
			}
		}
		if late[i] < 0 {
			for j := i - 1; j >= 1; j-- {
				late[j] = -1
			}
			break
		}
		lim = late[i]
	}
	return true
}

// endsWithSlash reports whether every end of block b follows a "/": its last chunk ends
// with one.
func endsWithSlash(b *block) bool {
	c := b.chunks[len(b.chunks)-1]
	if len(c) == 0 {
		return false
	}
	t := &c[len(c)-1]
	return t.kind == fLit && strings.HasSuffix(t.lit(), "/")
}

// blocksMatchZones matches the blocks against path[:end] on a path with breaks. For each
// zone it keeps the earliest position where the blocks so far can end such that the gap
// that follows starts in that zone; a later end whose gap starts in the same zone can do
// nothing an earlier one cannot, since the gap from the earlier one can absorb the
// difference. A gap after "/" (a middle globstar) starts at that "/", whose follower it
// tests, so its zone is the one of the position before the end.
//
// Each zone visited between the first and the last that hold a position costs one unit of
// work, as each place tried does. buf is the buffer findBreaks returned with z (not nil
// when z has more than zoneInline breaks).
//
// Two things bound the zones visited. A zone from which the blocks still to match cannot
// consume the breaks before the end holds nothing useful (blockBreaks): on a path of line
// terminators, only a band of zones stays. And a run of blocks with a period of up to
// maxRunPeriod (equal blocks, or "/**/a?/**/b?" repeated), whose zones often keep their
// starts from one period to the next, redoes only the zones whose start changed (150 of
// "/**/a?" on "/ab" repeated, then "/a\n" repeated: the first zone hands the second a start
// at every block, and the band of zones that hold one moves by a zone a block; redoing them
// all took 13 units of work a byte, 5 now), once the zones holding a start span
// runMinZones.
//
// A block with manyEnds keeps only its earliest end for each start, which is exact while
// its star cannot cross a break: the gap after a later end in the same zone could start
// from the earliest. On a path where it could (a line terminator, or a leading ".", which
// a block reaches when the gaps before it are empty), blocksMatchZones gives up, spending
// the work budget.
func (s *fastSeq) blocksMatchZones(path string, end int, z *zones, buf *zoneBuf, work *int) bool {
	n := len(z.brk)
	var cur, next []int
	var curA, nextA [zoneInline + 1]int
	if n <= zoneInline {
		cur, next = curA[:n+1], nextA[:n+1]
	} else {
		buf.cur, buf.next = slices.Grow(buf.cur[:0], n+1)[:n+1], slices.Grow(buf.next[:0], n+1)[:n+1]
		cur, next = buf.cur, buf.next
	}
	for i := range cur {
		cur[i], next[i] = -1, -1
	}
	// The memo, for a sequence with equal blocks: a list of entries a zone for each
	// distinct block (up to memoWays lists a zone, each block in the one its kind selects).
	var memo []zoneMemo
	var heads []int32
	memoOn := false
	ways := max(1, min(s.kinds, memoWays, zoneEntries/(n+1)))
	if s.repeats && len(path) <= math.MaxInt32 { // positions fit a zoneMemo
		if buf == nil {
			buf = zonePool.Get().(*zoneBuf)
			defer zonePool.Put(buf)
		}
		memoOn = true
		if h := len(buf.heads); h < (n+1)*ways {
			buf.heads = slices.Grow(buf.heads, (n+1)*ways-h)[:(n+1)*ways]
			for i := h; i < len(buf.heads); i++ {
				buf.heads[i] = -1
			}
		}
		heads, memo = buf.heads, buf.memo[:0]
		defer func() {
			for _, h := range buf.touched {
				heads[h] = -1
			}
			buf.touched, buf.memo = buf.touched[:0], memo[:0]
		}()
	}
	// cur and next hold -1 outside [lo, hi] and [nlo, nhi].
	lo, hi, nlo, nhi := n+1, -1, n+1, -1
	// The zone the last block must end in (or after): its end, the end of the path or
	// before the "/" of a tail without breaks, is preceded by all breaks before end.
	// A position kept in zone k is in zone k or, after a segment-start gap's "/", in zone
	// k+1; from there to the last end lie at least breaks k+1 to target-1, which no gap
	// consumes: the blocks still to match must. Zones before useful hold positions from
	// which they cannot: slash and lt count the "/." breaks and the line terminators
	// among breaks useful+1 to target-1. (Zone 0 may hold position 0, where a break, a
	// leading ".", is a unit blockBreaks does not count.)
	target := z.of(end)
	useful, slash, lt := 1, 0, 0
	for _, x := range z.brk[min(useful+1, target):target] {
		if path[x] == '/' {
			slash++
		} else {
			lt++
		}
	}
	// No match goes on from a position beyond the next block's latest start (latest): 16
	// of "/**/a?" to "/**/i?" took 99 µs on a path of short zones a search built, whose end
	// the last block does not match, and take 19 µs now; with that end mended, where about
	// three positions in four lay beyond, 99 then 62 µs. The search costs about as much as
	// a block with a few zones, so it waits for a block with lateMinZones of them (200 of
	// "/**/a" on paths with dot segments or line terminators, where few zones are live,
	// take 10 to 18 µs, and took 21 to 30 with a search at the start).
	late, lateNext, lateTried := []int(nil), math.MaxInt, false
	// put records end r in zone k, unless the zone holds nothing useful (zones 1 to
	// useful-1, which stay clear) or r lies beyond lateNext (but 0, where a leading
	// globstar's gap begins).
	put := func(r, k int) {
		if k > 0 && k < useful || r > lateNext && r > 0 {
			return
		}
		if next[k] < 0 || r < next[k] {
			next[k] = r
		}
		nlo, nhi = min(nlo, k), max(nhi, k)
	}
	// zoneOf returns the zone end r, close to zone from, is kept in: the zone of the gap
	// that follows it.
	zoneOf := func(r int, gap ftokKind, from int) int {
		if gap == fSegStart && r > 0 {
			return z.near(r-1, from)
		}
		return z.near(r, from)
	}
	// A run of blocks with a period P (each block equal to the one P before it: the same
	// index same, the same gap after, not the last) maps each zone's start to the same ends
	// every time its phase comes back. The first P blocks of a run are done in full and
	// record what each zone's start gave (outs, one table a phase) and the positions they
	// leave (st, one array a phase). A later block of phase f takes its starts from
	// st[f-1] and redoes only the zones whose start changed since phase f last took them
	// (buf.dirty[f-1]), then only the zones their ends (before and after) reach (aff), each
	// from the ends of the zones that may reach it, in st[f], which holds what the block
	// P before left: a zone no changed start reaches keeps its position.
	var outs []zoneOut
	var aff []int
	var mark []uint64
	runP, runStart := 0, 0 // the period of the run (0: none) and its first block
	var st [maxRunPeriod][]int
	var runID [maxRunPeriod]uint64         // outs of phase f is valid when its run is runID[f]
	var fresh [maxRunPeriod]bool           // phase f's next step must find its dirty zones
	var inLo, inHi [maxRunPeriod]int       // the zones whose starts phase f recorded
	var stLo, stHi, live [maxRunPeriod]int // bounds of st[f]'s positions, and their count
	var stCleared [maxRunPeriod]int        // st[f] is clear in zones 1 to stCleared[f]-1
	loOff, hiOff := 0, 0                   // the zones of ends, less the zone of their start
	redone, held := 0, 0                   // over the run's steps: zones redone, starts they had
	runAfter := 0                          // no run starts before this block
	if memoOn {
		buf.mark = slices.Grow(buf.mark[:0], n+1)[:n+1]
		mark, aff = buf.mark, buf.aff[:0]
		defer func() { buf.aff = aff[:0] }()
	}
	// runPeriod returns the period of a run starting at block i, or 0.
	runPeriod := func(i int) int {
		if p := s.blocks[i].period; p <= min(maxRunPeriod, zoneEntries/(n+1)) {
			return p
		}
		return 0
	}

	// An earlier zone may keep handing a zone the same start, from which each block would
	// scan the same stretch again (150 of "/**/a?" on a path of "/ab" and, after a line
	// terminator, of "/a" repeated, where the first zone hands the second the end of
	// "/a\u2028" every time): an equal block replays the memo. From a later start up to the
	// first place the block matched, the scan would try the same places (at a start after a
	// unit other than "/", a block after a segment-start gap could match where the earlier
	// scan skipped). A scan from an earlier start that reaches an entry's start without a
	// match would go on as that entry's scan did, so it stops there and takes its ends:
	// each stretch of a zone is scanned once for a block, whatever the order of its starts
	// (the starts of a zone often move back, when an earlier zone hands it a start again).
	//
	// look returns, for block b, not the last, in zone k from start e: the entry that
	// holds what b gives (hit), else the entry whose start a scan from e may stop at
	// (stop), and the entry of the list a new entry follows (at); each -1 for none, and at
	// -2 when no entry is to be made. Starts mostly move forward, so that the entry
	// sought is usually first in its list; a look walks at most memoWalk entries.
	//
	// The list of block b in zone k is heads[slot+k], slot being set once for each block:
	// a division at each look and entry made cost a match with many looks (12 of
	// "/**/a?" to "/**/l?" on a path a search built, 2 500 looks) about 8 % of its time.
	slot := 0
	look := func(b *block, k, e int, gap ftokKind) (hit, stop, at int32) {
		hit, stop, at = -1, -1, -1
		walked := 0
		for x := heads[slot+k]; x >= 0; x = memo[x].next {
			if walked++; walked > memoWalk {
				return -1, stop, -2
			}
			m := &memo[x]
			if int(m.start) > e {
				at = x
				// At its start, the entry's scan tried a place that a scan from e tries
				// only after a "/" when b follows a segment-start gap.
				if int(m.same) == b.same && m.gap == gap && (m.first > m.start || b.gap != fSegStart || path[m.start-1] == '/') {
					stop = x
				}
				continue
			}
			if int(m.same) != b.same || m.gap != gap {
				continue
			}
			if e <= int(m.first) && (e == int(m.start) || b.gap != fSegStart || path[e-1] == '/') {
				hit = x
			}
			return
		}
		return
	}
	// remember records what block b in zone k gave from start e: the first place it
	// matched and the ends, as an entry after at.
	remember := func(b *block, k, e, first int, gap ftokKind, ends, zs [memoEnds]int, kept int, at int32) {
		if kept > memoEnds || len(memo) >= zoneEntries || at == -2 {
			return
		}
		m := zoneMemo{start: int32(e), first: int32(first), same: int32(b.same), gap: gap, n: uint8(kept)}
		for j := range kept {
			m.ends[j], m.zone[j] = int32(ends[j]), int32(zs[j])
		}
		x := int32(len(memo))
		if at >= 0 {
			m.next, memo[at].next = memo[at].next, x
		} else {
			h := slot + k
			if heads[h] < 0 {
				buf.touched = append(buf.touched, int32(h))
			}
			m.next, heads[h] = heads[h], x
		}
		memo = append(memo, m)
	}
	// visit scans zone k from start e, whose positions reach top, for block b. With
	// direct, it puts every end (for a last block, it tests them instead: accept). It
	// returns the ends in up to memoEnds zones, ends[j] in zone zs[j], with kept above
	// memoEnds when there were more, the first place b matched, and a status. Until b
	// matches, it stops at the start of memo entry stop, if not -1, and takes its ends.
	visit := func(b *block, k, e, top, mode int, last bool, gap ftokKind, early, direct bool, accept func(int) bool, stop int32) (ends, zs [memoEnds]int, kept, first, status int) {
		first = top + 1
		lim := top // the last start to try before stop
		if stop >= 0 {
			lim = min(top, int(memo[stop].start)-1)
		}
	scan:
		for q := e; q <= top; q++ {
			if q = b.nextStart(path, q, e, lim, work); q > lim {
				if lim < top {
					m := &memo[stop]
					first, kept = int(m.first), int(m.n)
					for j := range kept {
						ends[j], zs[j] = int(m.ends[j]), int(m.zone[j])
						if direct {
							put(ends[j], zs[j])
						}
					}
				}
				break
			}
			if *work--; *work < 0 {
				return ends, zs, kept, first, visitOut
			}
			if b.afterLead && (q+len(b.lead) >= end || path[q+len(b.lead)] == '/') {
				continue
			}
			r, ok := runChunks(path, q, end, b, mode, work)
			if !ok {
				continue
			}
			if last {
				if accept(r) {
					return ends, zs, kept, first, visitMatched
				}
				continue
			}
			kr := zoneOf(r, gap, k)
			if direct {
				put(r, kr)
			}
			first, lim = min(first, q), top
			if kept <= memoEnds {
				i := slices.Index(zs[:kept], kr)
				switch {
				case i >= 0:
					ends[i] = min(ends[i], r)
				case kept < memoEnds:
					ends[kept], zs[kept] = r, kr
					kept++
				default:
					kept++
				}
			}
			switch {
			case early:
				if k == n || z.brk[k]+1 > top || z.brk[k] < q {
					break scan
				}
				q = z.brk[k] // then q++: the start right after the break
			case len(b.chunks) == 1:
				// A later start ends later (the block takes as many units from any
				// start). Until it can reach past the break that ends zone kr, which
				// takes at most lastMax bytes, its ends stay in that zone, where r is
				// kept.
				if kr == n {
					break scan
				}
				q = max(q, z.brk[kr]-b.lastMax) // then q++
			}
		}
		if *work < 0 {
			return ends, zs, kept, first, visitOut
		}
		return ends, zs, kept, first, visitDone
	}
	// top returns the last position a start of block b in zone k may take.
	top := func(b *block, k int) int {
		t := z.last(k, end)
		if b.gap == fSegStart {
			// "/" (consumed) and nothing, or a run ending with "/" in which no break
			// precedes that last "/".
			t = min(t+1, end)
		}
		return t
	}
	// record sets what zone k's start e gave to phase f.
	record := func(f, k, e int, ends, zs [memoEnds]int, kept int) bool {
		if kept > memoEnds {
			return false
		}
		for j := range kept {
			loOff, hiOff = min(loOff, zs[j]-k), max(hiOff, zs[j]-k)
		}
		outs[f*(n+1)+k] = zoneOut{run: runID[f], from: e, n: kept, ends: ends, zone: zs}
		return hiOff-loOff <= maxRunSpan
	}
	// from returns the start phase f's ends for zone k came from, or -1.
	from := func(f, k int) int {
		if o := &outs[f*(n+1)+k]; o.run == runID[f] {
			return o.from
		}
		return -1
	}
	// endRun leaves the run before block i: cur takes the positions block i-1 left.
	endRun := func(i int) {
		f := (i - 1 - runStart) % runP
		for k := lo; k <= hi; k++ {
			cur[k] = -1
		}
		lo, hi = stLo[f], stHi[f]
		for k := lo; k <= hi; k++ {
			cur[k] = st[f][k]
		}
		runP = 0
	}
	// step does block i, of phase f of the run, from st[f-1] into st[f]. It returns false
	// when the block is to be done in full instead, and sets out when the work ran out.
	step := func(i int, b *block, mode int, gap ftokKind, early bool) (ok, out bool) {
		f := (i - runStart) % runP
		g := (f + runP - 1) % runP
		in, res := st[g], st[f]
		held += live[g]
		// The list of zones to redo is taken, and phase g's list starts again empty
		// (buf.dirty and buf.todo own distinct arrays, which they pass around).
		todo := buf.dirty[g]
		buf.dirty[g] = buf.todo[:0]
		// Starts in zones before useful hold nothing useful; nor do positions left there.
		for k := max(stLo[g], stCleared[g]); k < min(useful, stHi[g]+1); k++ {
			if in[k] >= 0 {
				in[k] = -1
				live[g]--
				todo = append(todo, k)
			}
		}
		stCleared[g] = max(stCleared[g], useful)
		for k := max(stLo[f], stCleared[f]); k < min(useful, stHi[f]+1); k++ {
			if res[k] >= 0 {
				res[k] = -1
				live[f]--
				buf.dirty[f] = append(buf.dirty[f], k)
			}
		}
		stCleared[f] = max(stCleared[f], useful)
		if fresh[f] {
			fresh[f] = false
			for k := min(stLo[g], inLo[f]); k <= max(stHi[g], inHi[f]); k++ {
				if in[k] != from(f, k) {
					todo = append(todo, k)
				}
			}
		}
		buf.todo = todo[:0]
		buf.stamp++
		stamp := buf.stamp
		aff = aff[:0]
		mark1 := func(j int) {
			if mark[j] != stamp {
				mark[j] = stamp
				aff = append(aff, j)
			}
		}
		for _, k := range todo {
			e := in[k]
			if e == from(f, k) {
				continue
			}
			redone++
			if *work--; *work < 0 {
				return false, true
			}
			if o := &outs[f*(n+1)+k]; o.run == runID[f] {
				for _, j := range o.zone[:o.n] {
					mark1(j)
				}
			}
			if e < 0 {
				outs[f*(n+1)+k] = zoneOut{run: runID[f], from: -1}
				continue
			}
			var ends, zs [memoEnds]int
			kept := 0
			if hit, stop, at := look(b, k, e, gap); hit >= 0 {
				m := &memo[hit]
				kept = int(m.n)
				for j := range kept {
					ends[j], zs[j] = int(m.ends[j]), int(m.zone[j])
				}
			} else {
				var status, first int
				ends, zs, kept, first, status = visit(b, k, e, top(b, k), mode, false, gap, early, false, nil, stop)
				if status == visitOut {
					return false, true
				}
				remember(b, k, e, first, gap, ends, zs, kept, at)
			}
			if !record(f, k, e, ends, zs, kept) {
				// Too many ends, or too far: the block is done in full.
				return false, false
			}
			for _, j := range zs[:kept] {
				mark1(j)
			}
		}
		// The new positions, found before any is set.
		changes := buf.changes[:0]
		for _, j := range aff {
			if *work--; *work < 0 {
				return false, true
			}
			v := -1
			if j == 0 || j >= useful {
				for k := max(0, j-hiOff); k <= min(n, j-loOff); k++ {
					o := &outs[f*(n+1)+k]
					if o.run != runID[f] {
						continue
					}
					for t, zt := range o.zone[:o.n] {
						if zt == j && (v < 0 || o.ends[t] < v) {
							v = o.ends[t]
						}
					}
				}
			}
			if v != res[j] {
				changes = append(changes, [2]int{j, v})
			}
		}
		buf.changes = changes
		for _, c := range changes {
			j, v := c[0], c[1]
			live[f] += b2i(v >= 0) - b2i(res[j] >= 0)
			res[j] = v
			if v >= 0 {
				stLo[f], stHi[f] = min(stLo[f], j), max(stHi[f], j)
			}
			buf.dirty[f] = append(buf.dirty[f], j)
		}
		return true, false
	}

	for i := range s.blocks {
		b := &s.blocks[i]
		last, mode := s.blockMode(i)
		slot = (b.kind % ways) * (n + 1)
		if !lateTried && hi-lo >= lateMinZones && len(s.blocks) > 2 {
			lateTried = true
			if buf == nil {
				buf = zonePool.Get().(*zoneBuf)
				defer zonePool.Put(buf)
			}
			buf.late = slices.Grow(buf.late[:0], len(s.blocks))[:len(s.blocks)]
			if s.latest(path, end, buf.late, work) {
				late = buf.late
			}
			if *work < 0 {
				return false
			}
		}
		if late != nil && !last {
			lateNext = late[i+1]
		}
		var gap ftokKind // the gap after the block
		if !last {
			gap = s.blocks[i+1].gap
		}
		accept := func(r int) bool {
			if mode == endExact {
				return true
			}
			// "/" and a globstar body to the end: no break from r on.
			return r == len(path) || path[r] == '/' && (n == 0 || z.brk[n-1] < r)
		}
		if b.manyEnds && (z.lt || n > 0 && z.brk[0] == 0) {
			*work = -1
			return false
		}
		if i == 0 {
			r, ok := runChunks(path, 0, end, b, mode, work)
			if !ok {
				return false
			}
			if last {
				return accept(r)
			}
			put(r, zoneOf(r, gap, 0))
			cur, next, lo, hi, nlo, nhi = next, cur, nlo, nhi, n+1, -1
			continue
		}
		// A block that cannot consume a break (crossSlash and crossLT) ends in the zone it
		// starts in, so once it matched in a zone, later starts end in the same zone,
		// except a start right after the zone's break (which a segment-start gap may
		// reach).
		early := !b.crossSlash && (!z.lt || !b.crossLT)
		// A last block of fixed pieces that must end at end can start at one place only.
		anchor := -1
		if last && mode == endExact && len(b.chunks) == 1 {
			*work -= 1 + len(b.chunks[0])
			q, ok := matchChunkBack(path, end, b.chunks[0])
			if !ok {
				return false
			}
			anchor = q
		}
		// Zones 1 to useful-1 were cleared for the previous block, and put kept nothing
		// there since.
		cleared := useful
		for useful+1 < target && (slash > s.crossFrom[0][i] || lt > s.crossFrom[1][i]) {
			if path[z.brk[useful+1]] == '/' {
				slash--
			} else {
				lt--
			}
			useful++
		}
		for k := max(lo, cleared); k < min(useful, hi+1); k++ {
			cur[k] = -1
		}
		if runP > 0 && i >= runStart+runP {
			switch {
			case !s.sameKind(i, i-runP):
				endRun(i)
			case i >= runStart+3*runP && 2*redone > held:
				// Two periods of steps redid more than half the zones that held a start:
				// blocks in full cost less (12 of "/**/a?" to "/**/l?" on a path a search
				// built, where each zone's start moves at nearly every block, took 140 µs
				// with runs to the end, 100 µs so; TestFastZoneRunEnds).
				endRun(i)
				runAfter = i + runCooldown
			default:
				ok, out := step(i, b, mode, gap, early)
				if out {
					return false
				}
				if ok {
					if live[(i-runStart)%runP] == 0 {
						return false
					}
					continue
				}
				endRun(i)
			}
		}
		// The block in full, from every zone's start. A block that starts a run, and the
		// rest of its first period, record what each start gives, and copy what the
		// block leaves.
		if runP == 0 && !last && memoOn && hi-lo >= runMinZones && i >= runAfter {
			if p := runPeriod(i); p > 0 {
				runP, runStart, redone, held = p, i, 0, 0
				buf.outs = slices.Grow(buf.outs[:0], p*(n+1))[:p*(n+1)]
				buf.st = slices.Grow(buf.st[:0], p*(n+1))[:p*(n+1)]
				outs = buf.outs
				for f := range p {
					buf.run++
					runID[f], fresh[f] = buf.run, true
					st[f] = buf.st[f*(n+1) : (f+1)*(n+1)]
					buf.dirty[f] = buf.dirty[f][:0]
				}
			}
		}
		rec := -1 // the phase recorded
		if runP > 0 && i < runStart+runP {
			rec = i - runStart
			inLo[rec], inHi[rec] = lo, hi
		}
		for k := lo; k <= hi; k++ {
			if k > 0 && k < useful {
				k = useful - 1 // then k++
				continue
			}
			if *work--; *work < 0 {
				return false
			}
			e := cur[k]
			if e < 0 {
				continue
			}
			cur[k] = -1
			t := top(b, k)
			if anchor >= 0 {
				if e <= anchor && anchor <= t && (b.gap != fSegStart || anchor == e || path[anchor-1] == '/') {
					return true
				}
				continue
			}
			stop, at := int32(-1), int32(-1)
			if memoOn && !last {
				var hit int32
				if hit, stop, at = look(b, k, e, gap); hit >= 0 {
					m := &memo[hit]
					for j := range m.n {
						put(int(m.ends[j]), int(m.zone[j]))
					}
					if rec >= 0 && runP > 0 {
						var ends, zs [memoEnds]int
						for j := range m.n {
							ends[j], zs[j] = int(m.ends[j]), int(m.zone[j])
						}
						if !record(rec, k, e, ends, zs, int(m.n)) {
							runP = 0
						}
					}
					continue
				}
			}
			ends, zs, kept, first, status := visit(b, k, e, t, mode, last, gap, early, true, accept, stop)
			switch status {
			case visitOut:
				return false
			case visitMatched:
				return true
			}
			if memoOn && !last {
				remember(b, k, e, first, gap, ends, zs, kept, at)
			}
			if rec >= 0 && runP > 0 && !record(rec, k, e, ends, zs, kept) {
				runP = 0
			}
		}
		if last || nhi < 0 {
			return false
		}
		cur, next, lo, hi, nlo, nhi = next, cur, nlo, nhi, n+1, -1
		if rec >= 0 && runP > 0 {
			r := st[rec]
			for k := range r {
				r[k] = -1
			}
			live[rec] = 0
			for k := lo; k <= hi; k++ {
				r[k] = cur[k]
				live[rec] += b2i(cur[k] >= 0)
			}
			stLo[rec], stHi[rec], stCleared[rec] = lo, hi, useful
		}
	}
	return false
}
