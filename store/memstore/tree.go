package memstore

import (
	"hash/maphash"
	"strings"
)

// tree is a persistent ordered map from strings to V: a treap whose updates copy the path
// from the root to the changed node and share everything else. Set and Delete return a new
// tree and leave the receiver untouched, so a state published to readers never changes under
// them, and a write that is rejected halfway simply drops its new trees.
//
// Priorities are a keyed hash of the key (the seed is random per process), so the shape does
// not depend on insertion order and an adversary cannot choose keys that unbalance it: the
// expected depth is O(log n). The zero tree is empty and ready to use.
type tree[V any] struct {
	root *tnode[V]
	n    int
}

type tnode[V any] struct {
	key  string
	prio uint64
	val  V
	l, r *tnode[V]
}

var prioSeed = maphash.MakeSeed()

func priority(key string) uint64 { return maphash.String(prioSeed, key) }

// Len returns the number of keys.
func (t tree[V]) Len() int { return t.n }

// Get returns the value stored under key.
func (t tree[V]) Get(key string) (V, bool) {
	n := t.root
	for n != nil {
		switch {
		case key < n.key:
			n = n.l
		case key > n.key:
			n = n.r
		default:
			return n.val, true
		}
	}
	var zero V
	return zero, false
}

// Has reports whether key is present.
func (t tree[V]) Has(key string) bool {
	_, ok := t.Get(key)
	return ok
}

// Set returns a tree in which key maps to v.
func (t tree[V]) Set(key string, v V) tree[V] {
	root, added := insert(t.root, key, priority(key), v)
	t.root = root
	if added {
		t.n++
	}
	return t
}

// Delete returns a tree without key.
func (t tree[V]) Delete(key string) tree[V] {
	root, removed := remove(t.root, key)
	if removed {
		t.root = root
		t.n--
	}
	return t
}

// Ascend calls fn for every key that starts with prefix, in increasing key order, until fn
// returns false.
func (t tree[V]) Ascend(prefix string, fn func(key string, v V) bool) {
	ascend(t.root, prefix, fn)
}

// insert returns a copy of n with key set to v. Every node it returns on the path is fresh,
// so rotations may modify them.
func insert[V any](n *tnode[V], key string, prio uint64, v V) (*tnode[V], bool) {
	if n == nil {
		return &tnode[V]{key: key, prio: prio, val: v}, true
	}
	c := *n
	var added bool
	switch {
	case key < n.key:
		c.l, added = insert(n.l, key, prio, v)
		if c.l.prio > c.prio { // rotate right
			l := c.l
			c.l = l.r
			l.r = &c
			return l, added
		}
	case key > n.key:
		c.r, added = insert(n.r, key, prio, v)
		if c.r.prio > c.prio { // rotate left
			r := c.r
			c.r = r.l
			r.l = &c
			return r, added
		}
	default:
		c.val = v
	}
	return &c, added
}

func remove[V any](n *tnode[V], key string) (*tnode[V], bool) {
	if n == nil {
		return nil, false
	}
	switch {
	case key < n.key:
		l, ok := remove(n.l, key)
		if !ok {
			return n, false
		}
		c := *n
		c.l = l
		return &c, true
	case key > n.key:
		r, ok := remove(n.r, key)
		if !ok {
			return n, false
		}
		c := *n
		c.r = r
		return &c, true
	}
	return join(n.l, n.r), true
}

// join returns the union of a and b, every key of a being less than every key of b.
func join[V any](a, b *tnode[V]) *tnode[V] {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.prio > b.prio:
		c := *a
		c.r = join(a.r, b)
		return &c
	default:
		c := *b
		c.l = join(a, b.l)
		return &c
	}
}

func ascend[V any](n *tnode[V], prefix string, fn func(string, V) bool) bool {
	if n == nil {
		return true
	}
	// Keys left of n are smaller than n.key: they can carry the prefix only if n.key >= prefix.
	if n.key >= prefix && !ascend(n.l, prefix, fn) {
		return false
	}
	has := strings.HasPrefix(n.key, prefix)
	if has && !fn(n.key, n.val) {
		return false
	}
	// Keys right of n are larger: once n.key is past every key with the prefix, stop.
	if n.key < prefix || has {
		return ascend(n.r, prefix, fn)
	}
	return true
}
