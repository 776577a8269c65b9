package rules

import (
	"math/bits"

	"github.com/wardenhq/warden/internal/strtab"
)

// heads finds, among a few literal prefixes, those that start a value. A prefix's head is
// its first eight bytes (all of it when shorter). Prefixes are grouped by the length of their
// head, and each group is a small hash table of heads, so a value costs one lookup per
// distinct head length (usually one to three) rather than one comparison per prefix.
type heads struct {
	classes []headClass
}

type headClass struct {
	mask  uint64 // covers the n bytes of this class's heads
	n     int
	shift uint8 // a head's slot is its hash's top bits
	slots []headSlot
}

type headSlot struct {
	head uint64
	ps   []prefixRules // the prefixes with this head, sorted; nil marks an empty slot
}

// newHeads indexes prefixes, which must be sorted and distinct.
func newHeads(prefixes []prefixRules) heads {
	var count [9]int // prefixes per head length
	for _, p := range prefixes {
		count[min(len(p.prefix), 8)]++
	}
	nclass, nslots := 0, 0
	for _, k := range count {
		if k > 0 {
			nclass++
			nslots += slotsFor(k)
		}
	}
	h := heads{classes: make([]headClass, 0, nclass)}
	slots := make([]headSlot, nslots)
	var byClass []prefixRules // each class's prefixes, in order, when there are several classes
	if nclass > 1 {
		byClass = make([]prefixRules, 0, len(prefixes))
	}
	for n, k := range count {
		if k == 0 {
			continue
		}
		size := slotsFor(k)
		c := headClass{n: n, mask: headMask(n), shift: uint8(64 - bits.TrailingZeros(uint(size))), slots: slots[:size:size]}
		slots = slots[size:]
		in := prefixes
		if nclass > 1 {
			start := len(byClass)
			for _, p := range prefixes {
				if min(len(p.prefix), 8) == n {
					byClass = append(byClass, p)
				}
			}
			in = byClass[start:]
		}
		for i := 0; i < len(in); {
			hd := head8(in[i].prefix)
			j := i + 1
			for j < len(in) && head8(in[j].prefix) == hd { // sorted: equal heads are adjacent
				j++
			}
			at := c.slot(hd)
			for c.slots[at].ps != nil {
				at = (at + 1) & (size - 1)
			}
			c.slots[at] = headSlot{hd, in[i:j:j]}
			i = j
		}
		h.classes = append(h.classes, c)
	}
	return h
}

// slotsFor returns the table size for k heads: a power of two, at most half full.
func slotsFor(k int) int {
	size := 2
	for size < 2*k {
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
		for k := c.slot(hd); c.slots[k].ps != nil; k = (k + 1) & (len(c.slots) - 1) {
			if c.slots[k].head != hd {
				continue
			}
			for _, p := range c.slots[k].ps {
				if len(p.prefix) <= 8 || len(v) >= len(p.prefix) && v[8:len(p.prefix)] == p.prefix[8:] {
					if !cur.add(p.rules) {
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
	var x uint64
	for i := 0; i < len(s); i++ {
		x |= uint64(s[i]) << (8 * i)
	}
	return x
}
