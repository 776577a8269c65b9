package rules

import (
	"hash/maphash"
	"sync"
)

// buildScratch is memory an index build needs only while it runs. Builds take it from
// scratchPool and give it back, so that recompiling an identity allocates little more than
// the indexes it keeps.
type buildScratch struct {
	items  []item
	sorted []item
	counts []int32
	runs   []prefixRun
	pfx    strIDs
	pids   []int32       // an item's prefix number in pfx
	ps     []prefixRules // the prefix lists of every keyed run of a bucket
	keys   []prefixKey
	rank   []int32
	// buildIndex's
	pl, byName       []pairList
	buckets          []*bucket
	keys2, otherKeys [][2]string
	vals, others     []*bucket
	envs             smallMap[string]
	pairs            smallMap[[2]string]
	ids              []int32 // the pair numbers of each rule's (subject, action) pairs, in order
	global           []int32 // the pair numbers of each part's pairs
	starts           []int32 // where each part's are in global
	acts             smallMap[string]
	built            smallMap[uint64]
}

var scratchPool = sync.Pool{New: func() any { return new(buildScratch) }}

// release forgets the strings sc refers to and returns it to the pool.
func (sc *buildScratch) release() {
	clear(sc.items[:cap(sc.items)])
	clear(sc.sorted[:cap(sc.sorted)])
	clear(sc.ps[:cap(sc.ps)])
	clear(sc.pl[:cap(sc.pl)])
	clear(sc.byName[:cap(sc.byName)])
	clear(sc.buckets[:cap(sc.buckets)])
	clear(sc.keys2[:cap(sc.keys2)])
	clear(sc.otherKeys[:cap(sc.otherKeys)])
	clear(sc.vals[:cap(sc.vals)])
	clear(sc.others[:cap(sc.others)])
	sc.pfx.reset(0)
	sc.envs.reset()
	sc.pairs.reset()
	sc.ids = sc.ids[:0]
	sc.acts.reset()
	sc.built.reset()
	scratchPool.Put(sc)
}

// smallMap numbers keys from 1 in their order of arrival. While it holds few keys it scans
// them, which for the handful of environments, subjects and actions of a typical bucket is
// cheaper than hashing; past that it keeps a map as well.
type smallMap[K comparable] struct {
	keys []K // keys[i] has the number i+1
	m    map[K]int32
}

// smallMapScan is the number of keys up to which a smallMap scans.
const smallMapScan = 8

func (m *smallMap[K]) reset() {
	if len(m.keys) > smallMapScan {
		clear(m.m)
	}
	clear(m.keys)
	m.keys = m.keys[:0]
}

// find returns k's number, or 0 when k is absent.
func (m *smallMap[K]) find(k K) int32 {
	if len(m.keys) > smallMapScan {
		return m.m[k]
	}
	for i := range m.keys {
		if m.keys[i] == k {
			return int32(i + 1)
		}
	}
	return 0
}

// id returns k's number, adding k when it is absent.
func (m *smallMap[K]) id(k K) int32 {
	if i := m.find(k); i > 0 {
		return i
	}
	m.keys = append(m.keys, k)
	n := int32(len(m.keys))
	switch {
	case n == smallMapScan+1: // the map starts now; a reused one may hold older keys
		if m.m == nil {
			m.m = make(map[K]int32)
		} else {
			clear(m.m)
		}
		for i, x := range m.keys {
			m.m[x] = int32(i + 1)
		}
	case n > smallMapScan+1:
		m.m[k] = n
	}
	return n
}

func (m *smallMap[K]) len() int { return len(m.keys) }

// strIDs numbers strings from 1 in their order of arrival, by a hash of every byte (prefixes
// of paths often differ only in their middles).
type strIDs struct {
	slots []int32 // 1 + index in keys; 0 marks an empty slot
	keys  []string
	mask  uint64
}

var strSeed = maphash.MakeSeed()

// reset empties m, with room for n strings.
func (m *strIDs) reset(n int) {
	size := 8
	for size < 2*n {
		size <<= 1
	}
	if cap(m.slots) < size {
		m.slots = make([]int32, size)
	} else {
		m.slots = m.slots[:size]
		clear(m.slots)
	}
	clear(m.keys)
	m.keys = m.keys[:0]
	m.mask = uint64(size - 1)
}

// id returns s's number, adding s when it is absent. m must have room for it (see reset).
func (m *strIDs) id(s string) int32 {
	for i := maphash.String(strSeed, s) & m.mask; ; i = (i + 1) & m.mask {
		k := m.slots[i]
		if k == 0 {
			m.keys = append(m.keys, s)
			m.slots[i] = int32(len(m.keys))
			return int32(len(m.keys))
		}
		if m.keys[k-1] == s {
			return k
		}
	}
}
