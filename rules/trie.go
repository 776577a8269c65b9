package rules

import "strings"

// trie maps literal prefixes to rules; walking a value visits every prefix of it. It is a
// radix tree: a node is entered by a label of one or more bytes (a chain of single-child
// nodes folded into one), and finds its child for the next byte of the value in one step
// (a table indexed by the byte) or, when its children's bytes are too sparse for a table, a
// short search. The nodes live in one slice, so a walk touches few cache lines.
type trie struct {
	nodes []tnode
}

type tnode struct {
	label string  // the bytes that lead to this node, its first byte chosen by the parent
	rules []int32 // rules whose prefix ends here, descending position
	// Children: with dense set, kids[b-lo] is the child for byte b (0: none); otherwise
	// bytes lists the children's first bytes in order and kids their nodes.
	dense bool
	lo    byte
	bytes string
	kids  []int32
}

// newTrie builds the trie of prefixes, which must be sorted and distinct.
func newTrie(prefixes []prefixRules) *trie {
	t := &trie{nodes: make([]tnode, 1, 2*len(prefixes)+1)}
	t.build(0, prefixes, 0)
	return t
}

// build fills node n with the prefixes that run through it; depth is the length of the
// path to n.
func (t *trie) build(n int32, ps []prefixRules, depth int) {
	if len(ps) > 0 && len(ps[0].prefix) == depth { // sorted: the prefix ending here comes first
		t.nodes[n].rules = ps[0].rules
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
		t.nodes = append(t.nodes, tnode{label: group[0].prefix[depth:end]})
		t.build(child, group, end)
		firsts = append(firsts, b)
		kids = append(kids, child)
		ps = ps[j:]
	}
	if len(kids) == 0 {
		return
	}
	nd := &t.nodes[n]
	lo, hi := firsts[0], firsts[len(firsts)-1]
	if span := int(hi-lo) + 1; span <= 2*len(kids)+8 {
		nd.dense, nd.lo, nd.kids = true, lo, make([]int32, span)
		for i, b := range firsts {
			nd.kids[b-lo] = kids[i]
		}
		return
	}
	nd.bytes, nd.kids = string(firsts), kids
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
		if len(n.rules) > 0 && !c.add(n.rules) {
			return false
		}
		if i == len(v) {
			return true
		}
		var k int32
		if b := v[i]; n.dense {
			// A byte below lo wraps around past hi: the table spans at most 256-lo bytes.
			if j := int(b - n.lo); j < len(n.kids) {
				k = n.kids[j]
			}
		} else if j := strings.IndexByte(n.bytes, b); j >= 0 {
			k = n.kids[j]
		}
		if k == 0 {
			return true
		}
		n = &t.nodes[k]
		if len(v)-i < len(n.label) || v[i:i+len(n.label)] != n.label {
			return true
		}
		i += len(n.label)
	}
}
