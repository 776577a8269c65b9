// Package strtab is a hash table keyed by pairs of strings, built for warden's check path:
// subject and action names, environments, identity and project IDs.
//
// Its hash reads only the lengths and the first and last eight bytes of each string, which
// tells such names apart in a few nanoseconds, and a slot keeps those words so that most
// comparisons read no string bytes. A table whose keys defeat the shortcut (they differ only
// in their middles) hashes every byte instead, so a lookup never degrades into a long scan.
//
// A Table is a value that is never changed once built: With and Without return new tables,
// so a published table can be read by any number of goroutines without locks.
package strtab

import "math/bits"

// Table maps pairs of strings to values of type V.
type Table[V any] struct {
	slots []slot[V] // a power of two in length, at most half full
	mask  uint32
	full  bool // hash every byte
	n     int
}

type slot[V any] struct {
	xa, ya, xb, yb uint64 // the keys' ends (see Key)
	la, lb         int32
	used           bool
	val            V
	a, b           string
}

// Key is a pair of strings with its ends and short hash computed, so that it can be looked
// up in several tables without hashing it again.
type Key struct {
	A, B           string
	xa, ya, xb, yb uint64
	h              uint64
}

// MakeKey prepares the key (a, b).
func MakeKey(a, b string) Key {
	var k Key
	k.Set(a, b)
	return k
}

// Set makes k the key (a, b). It is MakeKey without copying the Key on the check path.
func (k *Key) Set(a, b string) {
	k.A, k.B = a, b
	k.xa, k.ya, k.xb, k.yb = ends2(a, b)
	k.h = shortHash(a, b, k.xa, k.ya, k.xb, k.yb)
}

// Hash returns the key's short hash, which a caller may use to pick among several tables.
func (k *Key) Hash() uint64 { return k.h }

// maxProbe is the longest run of probes a table accepts from the short hash before it
// switches to hashing every byte.
const maxProbe = 8

// Build returns a table of the given keys; vals[i] is the value of keys[i]. A key given
// twice keeps its last value.
func Build[V any](keys [][2]string, vals []V) Table[V] {
	var t Table[V]
	t.resize(len(keys))
	for i, k := range keys {
		t.put(MakeKey(k[0], k[1]), vals[i])
	}
	return t
}

// Len returns the number of keys.
func (t *Table[V]) Len() int { return t.n }

// Get returns the value of (a, b).
func (t *Table[V]) Get(a, b string) (V, bool) {
	var k Key
	k.Set(a, b)
	return t.Lookup(&k)
}

// Lookup returns the value of k.
func (t *Table[V]) Lookup(k *Key) (V, bool) {
	return t.find(k.A, k.B, k.xa, k.ya, k.xb, k.yb, k.h)
}

// find returns the value of (a, b), whose ends and short hash are given.
func (t *Table[V]) find(a, b string, xa, ya, xb, yb, h uint64) (V, bool) {
	var zero V
	if t.n == 0 {
		return zero, false
	}
	if t.full {
		h = fullPairHash(a, b)
	}
	for i := uint32(h) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if !s.used {
			return zero, false
		}
		if s.is(a, b, xa, ya, xb, yb) {
			return s.val, true
		}
	}
}

// is reports whether s holds the key (a, b), whose ends are given.
func (s *slot[V]) is(a, b string, xa, ya, xb, yb uint64) bool {
	return s.xa == xa && s.ya == ya && s.xb == xb && s.yb == yb && s.la == int32(len(a)) && s.lb == int32(len(b)) &&
		(len(a) <= 16 || s.a == a) && (len(b) <= 16 || s.b == b)
}

// All calls yield for every key and value, in no particular order, until it returns false.
func (t *Table[V]) All(yield func(a, b string, v V) bool) {
	for i := range t.slots {
		if s := &t.slots[i]; s.used && !yield(s.a, s.b, s.val) {
			return
		}
	}
}

// With returns a copy of t in which k has the value v.
func (t *Table[V]) With(k Key, v V) Table[V] {
	var out Table[V]
	out.full = t.full
	out.resize(t.n + 1)
	t.All(func(a, b string, val V) bool {
		if a != k.A || b != k.B {
			out.put(MakeKey(a, b), val)
		}
		return true
	})
	out.put(k, v)
	return out
}

// Without returns a copy of t without k.
func (t *Table[V]) Without(k Key) Table[V] {
	var out Table[V]
	out.full = t.full
	out.resize(t.n)
	t.All(func(a, b string, val V) bool {
		if a != k.A || b != k.B {
			out.put(MakeKey(a, b), val)
		}
		return true
	})
	return out
}

// resize makes t an empty table with room for n keys.
func (t *Table[V]) resize(n int) {
	size := 2
	for size < 2*n {
		size <<= 1
	}
	t.empty(size)
}

func (t *Table[V]) empty(size int) {
	t.slots, t.mask, t.n = make([]slot[V], size), uint32(size-1), 0
}

// put inserts or replaces k. When the short hash gives a probe run longer than maxProbe,
// the table switches to hashing every byte and reinserts what it holds.
func (t *Table[V]) put(k Key, v V) {
	h := k.h
	if t.full {
		h = fullPairHash(k.A, k.B)
	}
	i := uint32(h) & t.mask
	for n := 0; ; n++ {
		s := &t.slots[i]
		if !s.used {
			break
		}
		if s.a == k.A && s.b == k.B {
			s.val = v
			return
		}
		if n == maxProbe && !t.full {
			t.rehashFull()
			t.put(k, v)
			return
		}
		i = (i + 1) & t.mask
	}
	t.slots[i] = slot[V]{k.xa, k.ya, k.xb, k.yb, int32(len(k.A)), int32(len(k.B)), true, v, k.A, k.B}
	t.n++
}

func (t *Table[V]) rehashFull() {
	old := t.slots
	t.full = true
	t.empty(len(old))
	for i := range old {
		if s := &old[i]; s.used {
			t.put(MakeKey(s.a, s.b), s.val)
		}
	}
}

const (
	k0 = 0xa0761d6478bd642f
	k1 = 0xe7037ed1a0b428db
	k2 = 0x8ebc6af09c88c6e3
)

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// shortHash hashes a pair by both strings' ends and lengths, mixed once.
func shortHash(a, b string, xa, ya, xb, yb uint64) uint64 {
	return mix(xa^bits.RotateLeft64(yb, 29)^k0, ya^bits.RotateLeft64(xb, 13)^uint64(len(a))<<32^uint64(len(b))^k1)
}

func fullPairHash(a, b string) uint64 { return mix(fullHash(a)^k2, fullHash(b)^k1) }

// ends2 returns the ends of a and b.
func ends2(a, b string) (xa, ya, xb, yb uint64) {
	xa, ya = ends(a)
	xb, yb = ends(b)
	return
}

// Ends returns the first and last eight bytes of s, fewer when s is shorter (see ends):
// with its length, they determine a string of up to 16 bytes.
func Ends(s string) (x, y uint64) { return ends(s) }

// ends returns the first and last eight bytes of s (fewer, when s is shorter). Together with
// its length they determine a string of up to 16 bytes.
func ends(s string) (x, y uint64) {
	n := len(s)
	switch {
	case n >= 8:
		return load64(s), load64(s[n-8:])
	case n >= 4:
		return uint64(load32(s)), uint64(load32(s[n-4:]))
	case n > 0:
		return uint64(s[0])<<16 | uint64(s[n>>1])<<8 | uint64(s[n-1]), 0
	}
	return 0, 0
}

// fullHash hashes every byte of s.
func fullHash(s string) uint64 {
	h := uint64(len(s)) ^ k0
	for len(s) >= 8 {
		h = mix(h^load64(s), k1)
		s = s[8:]
	}
	var x uint64
	for i := 0; i < len(s); i++ {
		x |= uint64(s[i]) << (8 * i)
	}
	return mix(h^x, k2)
}

// Load64 returns the first eight bytes of s as a little-endian word; len(s) >= 8.
func Load64(s string) uint64 { return load64(s) }

func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func load32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// Shards is a table split in 256 by the top byte of the keys' hash (see Key.Hash), so that
// adding a key copies one shard. A nil shard has no key.
type Shards[V any] [NumShards]*Table[V]

// NumShards is the number of shards of a Shards.
const NumShards = 256

// Shard returns the index of k's shard.
func Shard(k *Key) int { return int(k.h >> 56) }

// Get returns the value of (a, b). It is Key.Set, the choice of shard and Lookup in one,
// without a call between them: the first step of every check.
func (sh *Shards[V]) Get(a, b string) (V, bool) {
	var zero V
	xa, ya := ends(a)
	xb, yb := ends(b)
	h := shortHash(a, b, xa, ya, xb, yb)
	t := sh[h>>56]
	if t == nil || t.n == 0 {
		return zero, false
	}
	if t.full {
		h = fullPairHash(a, b)
	}
	for i := uint32(h) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if !s.used {
			return zero, false
		}
		if s.is(a, b, xa, ya, xb, yb) {
			return s.val, true
		}
	}
}
