package rules

import (
	"math/bits"

	"github.com/wardenhq/warden/internal/strtab"
)

// heads finds, among a few literal prefixes, those that start a value. A prefix's head is
// its first eight bytes (all of it when shorter). Prefixes are grouped in classes by the
// length of their head, and each class is a small hash table of heads cut to its length, so
// a value costs one lookup per class (usually one or two) rather than one comparison per
// prefix. A class also takes longer heads when cutting them loses nothing: "/shared/" goes
// with "/app-0/" as "/shared", since no other head of the class starts that way.
type heads struct {
	classes []headClass // by increasing head length
	ps      []prefixRules
}

type headClass struct {
	mask  uint64 // covers the n bytes of this class's heads
	n     int
	shift uint8 // a head's slot is its hash's top bits
	slots []headSlot
}

// headSlot is one head of a class. When a single prefix has the head, and the head is all of
// it, the slot holds that prefix's rules, pos[lo:hi], and a value with the head needs nothing
// more. Otherwise it holds the prefixes with the head, ps[lo:-hi], to be checked against the
// value. hi == 0 marks an empty slot.
type headSlot struct {
	head   uint64
	lo, hi int32
}

// headArena hands out the classes and slots of a bucket's heads from one allocation each:
// reserve counts what each set of prefixes will need, alloc allocates it all, and newHeads
// takes its part.
type headArena struct {
	nclass, nslots int
	classes        []headClass
	slots          []headSlot
}

// reserve counts the memory of a heads whose classes have count prefixes (see headPlan).
func (a *headArena) reserve(count *[9]int) {
	for _, k := range count {
		if k > 0 {
			a.nclass++
			a.nslots += slotsFor(k)
		}
	}
}

func (a *headArena) alloc() {
	a.classes = make([]headClass, 0, a.nclass)
	a.slots = make([]headSlot, a.nslots)
}

// take returns nclass classes and nslots slots, allocating them when the arena lacks them.
func (a *headArena) take(nclass, nslots int) ([]headClass, []headSlot) {
	if a == nil || cap(a.classes)-len(a.classes) < nclass || len(a.slots) < nslots {
		return make([]headClass, 0, nclass), make([]headSlot, nslots)
	}
	classes := a.classes[len(a.classes) : len(a.classes) : len(a.classes)+nclass]
	a.classes = a.classes[:len(a.classes)+nclass]
	slots := a.slots[:nslots:nslots]
	a.slots = a.slots[nslots:]
	return classes, slots
}

// headPlan chooses the classes of prefixes. Head lengths are taken in increasing order; a
// length joins the class before it when its heads, cut to that class's length, are still
// told apart from the class's other heads as well as when whole; otherwise it starts a
// class. It returns the class of each head length (its length, or -1 when no prefix has
// that head length) and the number of prefixes in each class.
func headPlan(prefixes []prefixRules) (classOf, count [9]int) {
	var byLen [9]int
	for _, p := range prefixes {
		byLen[headLen(p.prefix)]++
	}
	cur := -1
	for n := range byLen {
		classOf[n] = -1
		if byLen[n] == 0 {
			continue
		}
		if cur < 0 || !cutsApart(prefixes, &classOf, cur, n) {
			cur = n
		}
		classOf[n] = cur
		count[cur] += byLen[n]
	}
	return classOf, count
}

// cutsApart reports whether the heads of class cur's prefixes and of the prefixes with head
// length n stay distinct when cut to cur bytes.
func cutsApart(prefixes []prefixRules, classOf *[9]int, cur, n int) bool {
	in := func(p prefixRules) bool {
		l := headLen(p.prefix)
		return l == n || classOf[l] == cur
	}
	mask := headMask(cur)
	for i, p := range prefixes {
		if !in(p) {
			continue
		}
		a := p.head
		for _, q := range prefixes[:i] {
			if b := q.head; in(q) && a != b && a&mask == b&mask {
				return false
			}
		}
	}
	return true
}

func headLen(s string) int { return min(len(s), 8) }

// newHeads indexes prefixes, which must be sorted and distinct, in the classes headPlan
// chose for them, taking its memory from a (which may be nil). It reorders prefixes by class,
// keeping each class's in order. The heads refer to prefixes only when some slot lists them
// (ps is nil otherwise); the caller then keeps them.
func newHeads(prefixes []prefixRules, classOf, count *[9]int, a *headArena) heads {
	nclass, nslots := 0, 0
	for _, k := range count {
		if k > 0 {
			nclass++
			nslots += slotsFor(k)
		}
	}
	class := func(p prefixRules) int { return classOf[headLen(p.prefix)] }
	for i := 1; i < len(prefixes); i++ { // a stable insertion sort: there are few
		for j := i; j > 0 && class(prefixes[j-1]) > class(prefixes[j]); j-- {
			prefixes[j-1], prefixes[j] = prefixes[j], prefixes[j-1]
		}
	}
	var h heads
	classes, slots := a.take(nclass, nslots)
	lo := 0
	for n, k := range count {
		if k == 0 {
			continue
		}
		size := slotsFor(k)
		c := headClass{n: n, mask: headMask(n), shift: uint8(64 - bits.TrailingZeros(uint(size))), slots: slots[:size:size]}
		slots = slots[size:]
		for i := lo; i < lo+k; {
			hd := prefixes[i].head & c.mask
			j := i + 1
			for j < lo+k && prefixes[j].head&c.mask == hd { // sorted: equal heads are adjacent
				j++
			}
			at := c.slot(hd)
			for c.slots[at].hi != 0 {
				at = (at + 1) & (size - 1)
			}
			if p := prefixes[i]; j == i+1 && len(p.prefix) <= n {
				c.slots[at] = headSlot{hd, p.lo, p.hi}
			} else {
				c.slots[at] = headSlot{hd, int32(i), -int32(j)}
				h.ps = prefixes
			}
			i = j
		}
		lo += k
		classes = append(classes, c)
	}
	h.classes = classes
	return h
}

// slotsFor returns the table size for k heads: a power of two, at most three quarters full.
func slotsFor(k int) int {
	size := 2
	for 3*size < 4*k {
		size <<= 1
	}
	return size
}

func headMask(n int) uint64 {
	if n == 0 {
		return 0
	}
	return ^uint64(0) >> (64 - 8*n)
}

func (c *headClass) slot(hd uint64) int {
	return int((hd * 0x9e3779b97f4a7c15) >> c.shift)
}

// add adds to cur the rules of every prefix of v.
func (h *heads) add(v string, cur *cursor) bool {
	w := head8(v)
	for i := range h.classes {
		c := &h.classes[i]
		if len(v) < c.n {
			break // the classes come by increasing head length
		}
		hd := w & c.mask
		for k := c.slot(hd); c.slots[k].hi != 0; k = (k + 1) & (len(c.slots) - 1) {
			sl := &c.slots[k]
			if sl.head != hd {
				continue
			}
			if sl.hi > 0 {
				if !cur.add(span{sl.lo, sl.hi}) {
					return false
				}
				break
			}
			for _, p := range h.ps[sl.lo:-sl.hi] {
				if len(p.prefix) <= c.n || len(v) >= len(p.prefix) && v[c.n:len(p.prefix)] == p.prefix[c.n:] {
					if !cur.add(span{p.lo, p.hi}) {
						return false
					}
				}
			}
			break
		}
	}
	return true
}

// head8 returns s's first eight bytes as a little-endian word, zero-padded when s is shorter.
func head8(s string) uint64 {
	if len(s) >= 8 {
		return strtab.Load64(s)
	}
	return headShort(s)
}

func headShort(s string) uint64 {
	var x uint64
	for i := 0; i < len(s); i++ {
		x |= uint64(s[i]) << (8 * i)
	}
	return x
}
