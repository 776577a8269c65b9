package glob

import (
	"slices"
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
// many breaks (up to one a byte).
type zoneBuf struct {
	brk, cur, next []int
	memo           []zoneMemo
}

// zoneMemo records what a block's scan of a zone from a start kept: a block that is not
// the last, scanning the zone again from the same start, with the same gap after it, keeps
// the same ends.
type zoneMemo struct {
	start int      // -1: none
	same  int      // the block's same index
	gap   ftokKind // the gap after the block
	n     int      // the ends kept (at most 2)
	ends  [2]int   // the ends
}

var zonePool = sync.Pool{New: func() any { return new(zoneBuf) }}

// breakByte marks the bytes that may be, or start, a break after position 0.
var breakByte = [256]bool{'/': true, '\n': true, '\r': true, 0xE2: true}

// globstarSafe reports whether a globstar body could consume any part of path: whether it
// has no break.
func globstarSafe(path string) bool {
	if len(path) > 0 && path[0] == '.' {
		return false
	}
	for i := 0; i < len(path); i++ {
		if breakByte[path[i]] && isBreak(path, i) {
			return false
		}
	}
	return true
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
	for i := 0; i < len(path); i++ {
		if !breakByte[path[i]] || !isBreak(path, i) {
			continue
		}
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

// last returns the last position a globstar gap starting in zone k may end at.
func (z *zones) last(k, end int) int {
	if k < len(z.brk) {
		return min(z.brk[k], end)
	}
	return end
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
// A block with manyEnds keeps only its earliest end for each start, which is exact while
// its star cannot cross a break: the gap after a later end in the same zone could start
// from the earliest. On a path where it could (a line terminator, or a leading ".", which
// a block reaches when the gaps before it are empty), blocksMatchZones gives up, spending
// the work budget.
func (s *fastSeq) blocksMatchZones(path string, end int, z *zones, buf *zoneBuf, work *int) bool {
	n := len(z.brk)
	var cur, next []int
	var memo []zoneMemo
	var curA, nextA [zoneInline + 1]int
	var memoA [zoneInline + 1]zoneMemo
	if n <= zoneInline {
		cur, next, memo = curA[:n+1], nextA[:n+1], memoA[:n+1]
	} else {
		buf.cur, buf.next = slices.Grow(buf.cur[:0], n+1)[:n+1], slices.Grow(buf.next[:0], n+1)[:n+1]
		buf.memo = slices.Grow(buf.memo[:0], n+1)[:n+1]
		cur, next, memo = buf.cur, buf.next, buf.memo
	}
	for i := range cur {
		cur[i], next[i], memo[i].start = -1, -1, -1
	}
	// cur and next hold -1 outside [lo, hi] and [nlo, nhi].
	lo, hi, nlo, nhi := n+1, -1, n+1, -1
	keep := func(r int, gap ftokKind) int {
		k := z.of(r)
		if gap == fSegStart && r > 0 {
			k = z.of(r - 1)
		}
		if next[k] < 0 || r < next[k] {
			next[k] = r
		}
		nlo, nhi = min(nlo, k), max(nhi, k)
		return k
	}
	for i := range s.blocks {
		b := &s.blocks[i]
		last, mode := s.blockMode(i)
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
			keep(r, gap)
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
		for k := lo; k <= hi; k++ {
			if *work--; *work < 0 {
				return false
			}
			e := cur[k]
			if e < 0 {
				continue
			}
			cur[k] = -1
			top := z.last(k, end)
			if b.gap == fSegStart {
				// "/" (consumed) and nothing, or a run ending with "/" in which no break
				// precedes that last "/".
				top = min(top+1, end)
			}
			if anchor >= 0 {
				if e <= anchor && anchor <= top && (b.gap != fSegStart || anchor == e || path[anchor-1] == '/') {
					return true
				}
				continue
			}
			// An earlier zone may keep handing this one the same start, from which each
			// block would scan the same stretch again (150 of "/**/a?" on a path of "/ab"
			// and, after a line terminator, of "/a" repeated, where the first zone hands
			// the second the end of "/a\u2028" every time): an equal block replays the memo.
			if !last {
				if m := &memo[k]; m.start == e && m.same == b.same && m.gap == gap {
					for _, r := range m.ends[:m.n] {
						keep(r, gap)
					}
					continue
				}
			}
			var ends [2]int
			kept := 0
		scan:
			for q := e; q <= top; q++ {
				if q = b.nextStart(path, q, top, work); q > top {
					break
				}
				if b.gap == fSegStart && q > e && path[q-1] != '/' {
					continue
				}
				if *work--; *work < 0 {
					return false
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
						return true
					}
					continue
				}
				kr := keep(r, gap)
				if kept < len(ends) {
					ends[kept] = r
				}
				kept++
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
			if !last && kept <= len(ends) {
				memo[k] = zoneMemo{start: e, same: b.same, gap: gap, n: kept, ends: ends}
			}
		}
		if last || nhi < 0 {
			return false
		}
		cur, next, lo, hi, nlo, nhi = next, cur, nlo, nhi, n+1, -1
	}
	return false
}
