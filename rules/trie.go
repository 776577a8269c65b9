package rules

import "strings"

// trie maps literal prefixes to rules; walking a value visits every prefix of it. It is a
// radix tree: a node is entered by a label of one or more bytes (a chain of single-child
// nodes folded into one), and finds its child for the next byte of the value in one step
// (a table indexed by the byte) or, when its children's bytes are too sparse for a table, a
// short search. Nodes are 32 bytes and refer to shared arrays by offset, so that a walk
// through a trie of thousands of prefixes touches few cache lines.
type trie struct {
	nodes []tnode
	kids  []int32    // every node's child table, at its kids offset
	bytes []byte     // a sparse node's children's first bytes, parallel to its kids
	tails string     // the bytes of long labels past their eighth
	rules [][2]int32 // rule lists, each pos[lo:hi], descending position
	pos   []int32
}

type tnode struct {
	head  uint64 // the label's first eight bytes (all of it when shorter), as head8 reads them
	tail  uint32 // offset in tails of the label's bytes past the eighth
	n     uint16 // label length; the label's first byte is the one the parent dispatched on
	nkids uint16
	kids  uint32 // offset in kids (and in bytes, for a sparse node)
	rules int32  // 1 + index in rules; 0: no prefix ends here
	lo    byte   // a dense node's first child byte
	dense bool   // kids[b-lo] is the child for byte b (0: none)
}

// newTrie builds the trie of prefixes, which must be sorted and distinct and whose rules are
// in pos.
func newTrie(prefixes []prefixRules, pos []int32) *trie {
	t := &trie{nodes: make([]tnode, 1, 2*len(prefixes)+1), pos: pos}
	var tails strings.Builder
	t.build(0, prefixes, 0, &tails)
	t.tails = tails.String()
	return t
}

// build fills node n with the prefixes that run through it; depth is the length of the
// path to n.
func (t *trie) build(n int32, ps []prefixRules, depth int, tails *strings.Builder) {
	if len(ps) > 0 && len(ps[0].prefix) == depth { // sorted: the prefix ending here comes first
		t.rules = append(t.rules, [2]int32{ps[0].lo, ps[0].hi})
		t.nodes[n].rules = int32(len(t.rules))
		ps = ps[1:]
	}
	var firsts []byte
	var kids []int32
	for len(ps) > 0 {
		b := ps[0].prefix[depth]
		j := 1
		for j < len(ps) && ps[j].prefix[depth] == b {
			j++
		}
		group := ps[:j]
		end := depth + commonPrefix(group[0].prefix[depth:], group[j-1].prefix[depth:])
		child := int32(len(t.nodes))
		label := group[0].prefix[depth:end]
		nd := tnode{head: head8(label), n: uint16(len(label))}
		if len(label) > 8 {
			nd.tail = uint32(tails.Len())
			tails.WriteString(label[8:])
		}
		t.nodes = append(t.nodes, nd)
		t.build(child, group, end, tails)
		firsts = append(firsts, b)
		kids = append(kids, child)
		ps = ps[j:]
	}
	if len(kids) == 0 {
		return
	}
	nd := &t.nodes[n]
	nd.kids = uint32(len(t.kids))
	lo, hi := firsts[0], firsts[len(firsts)-1]
	if span := int(hi-lo) + 1; span <= 2*len(kids)+8 {
		nd.dense, nd.lo, nd.nkids = true, lo, uint16(span)
		table := make([]int32, span)
		for i, b := range firsts {
			table[b-lo] = kids[i]
		}
		t.kids = append(t.kids, table...)
		t.bytes = append(t.bytes, make([]byte, span)...) // keeps bytes parallel to kids
		return
	}
	nd.nkids = uint16(len(kids))
	t.kids = append(t.kids, kids...)
	t.bytes = append(t.bytes, firsts...)
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
		if n.rules > 0 && !c.add(t.pos[t.rules[n.rules-1][0]:t.rules[n.rules-1][1]]) {
			return false
		}
		if i == len(v) {
			return true
		}
		var k int32
		if b := v[i]; n.dense {
			// A byte below lo wraps around past hi: the table spans at most 256-lo bytes.
			if j := uint32(b - n.lo); j < uint32(n.nkids) {
				k = t.kids[n.kids+j]
			}
		} else if j := strings.IndexByte(string(t.bytes[n.kids:n.kids+uint32(n.nkids)]), b); j >= 0 {
			k = t.kids[n.kids+uint32(j)]
		}
		if k == 0 {
			return true
		}
		n = &t.nodes[k]
		rest, ln := v[i:], int(n.n)
		if len(rest) < ln || head8(rest)&headMask(min(ln, 8)) != n.head ||
			ln > 8 && rest[8:ln] != t.tails[n.tail:n.tail+uint32(ln-8)] {
			return true
		}
		i += ln
	}
}
