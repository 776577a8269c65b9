package rules

import "strings"

// trie maps literal prefixes to rules; walking a value visits every prefix of it. It is a
// radix tree: a node is entered by a label of one or more bytes (a chain of single-child
// nodes folded into one). A node's children are consecutive nodes, so it finds its child for
// the next byte of the value by arithmetic (dense children: one node per byte in their
// range, with empty nodes for the gaps) or by a short search in an array of first bytes
// parallel to the nodes (sparse children). Nodes are 32 bytes and hold their rules' span, so
// a step down the trie reads one node.
type trie struct {
	nodes []tnode
	first []byte // each node's label's first byte, for sparse searches
	tails string // the bytes of long labels past their eighth
}

type tnode struct {
	head   uint64 // the label's first eight bytes (all of it when shorter), as head8 reads them
	tail   uint32 // offset in tails of the label's bytes past the eighth
	n      uint16 // label length; 0 marks a gap among dense children
	nkids  uint16
	kids   uint32 // the first child's index
	lo, hi int32  // the rules of the prefix ending here, in the bucket's positions; hi == 0: none
	dense  bool   // nodes[kids+b-lo] is the child for byte b
	lo8    byte   // a dense node's first child byte
}

// newTrie builds the trie of prefixes, which must be sorted and distinct.
func newTrie(prefixes []prefixRules) *trie {
	t := &trie{nodes: make([]tnode, 1, 2*len(prefixes)+1)}
	var tails strings.Builder
	t.build(0, prefixes, 0, &tails)
	t.tails = tails.String()
	t.first = make([]byte, len(t.nodes))
	for i := range t.nodes {
		t.first[i] = byte(t.nodes[i].head)
	}
	return t
}

// build fills node n with the prefixes that run through it; depth is the length of the
// path to n. It places n's children together, then builds each.
func (t *trie) build(n int32, ps []prefixRules, depth int, tails *strings.Builder) {
	if len(ps) > 0 && len(ps[0].prefix) == depth { // sorted: the prefix ending here comes first
		t.nodes[n].lo, t.nodes[n].hi = ps[0].lo, ps[0].hi
		ps = ps[1:]
	}
	if len(ps) == 0 {
		return
	}
	// The children: one per distinct next byte, in order.
	type kid struct {
		b    byte
		ps   []prefixRules
		end  int // depth after the child's label
		node int32
	}
	var kids []kid
	for len(ps) > 0 {
		b := ps[0].prefix[depth]
		j := 1
		for j < len(ps) && ps[j].prefix[depth] == b {
			j++
		}
		group := ps[:j]
		end := depth + commonPrefix(group[0].prefix[depth:], group[j-1].prefix[depth:])
		kids = append(kids, kid{b: b, ps: group, end: end})
		ps = ps[j:]
	}
	first := int32(len(t.nodes))
	lo, hi := kids[0].b, kids[len(kids)-1].b
	nd := tnode{kids: uint32(first), nkids: uint16(len(kids))}
	if span := int(hi-lo) + 1; span <= 2*len(kids)+8 {
		nd.dense, nd.lo8, nd.nkids = true, lo, uint16(span)
		t.nodes = append(t.nodes, make([]tnode, span)...) // gaps stay empty: n == 0
		for i := range kids {
			kids[i].node = first + int32(kids[i].b-lo)
		}
	} else {
		t.nodes = append(t.nodes, make([]tnode, len(kids))...)
		for i := range kids {
			kids[i].node = first + int32(i)
		}
	}
	nd.lo, nd.hi = t.nodes[n].lo, t.nodes[n].hi
	nd.head, nd.tail, nd.n = t.nodes[n].head, t.nodes[n].tail, t.nodes[n].n
	t.nodes[n] = nd
	for _, k := range kids {
		label := k.ps[0].prefix[depth:k.end]
		c := &t.nodes[k.node]
		c.head, c.n = head8(label), uint16(len(label))
		if len(label) > 8 {
			c.tail = uint32(tails.Len())
			tails.WriteString(label[8:])
		}
	}
	for _, k := range kids {
		t.build(k.node, k.ps, k.end, tails)
	}
}

// commonPrefix returns the length of the longest common prefix of a and b.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// walk adds to c the rule lists of every node on v's way down the trie.
func (t *trie) walk(v string, c *cursor) bool {
	n := &t.nodes[0]
	for i := 0; ; {
		if n.hi > 0 && !c.add(span{n.lo, n.hi}) {
			return false
		}
		if i == len(v) || n.nkids == 0 {
			return true
		}
		var k uint32
		if b := v[i]; n.dense {
			// A byte below lo8 wraps around past the range: it spans at most 256-lo8 bytes.
			j := uint32(b - n.lo8)
			if j >= uint32(n.nkids) {
				return true
			}
			k = n.kids + j
		} else {
			j := indexByte(t.first[n.kids:n.kids+uint32(n.nkids)], b)
			if j < 0 {
				return true
			}
			k = n.kids + uint32(j)
		}
		n = &t.nodes[k]
		rest, ln := v[i:], int(n.n)
		if ln == 0 || len(rest) < ln || head8(rest)&headMask(min(ln, 8)) != n.head ||
			ln > 8 && rest[8:ln] != t.tails[n.tail:n.tail+uint32(ln-8)] {
			return true
		}
		i += ln
	}
}

// indexByte is strings.IndexByte without the call for the few bytes of a sparse node.
func indexByte(bs []byte, b byte) int {
	if len(bs) > 16 {
		return strings.IndexByte(string(bs), b)
	}
	for i, x := range bs {
		if x == b {
			return i
		}
	}
	return -1
}
