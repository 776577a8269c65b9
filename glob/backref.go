package glob

import "slices"

// This file removes backreferences ("\1" after a group a brace or parenthesis made) from
// the expression tree, where that can be done exactly and without giving up the linear
// matching time; Compile refuses the other patterns (ErrBackreference).
//
// A backreference matches what its group last captured, or the empty string when the
// group has not captured (yet, or since the iteration of a loop around it began). So:
//
//   - one inside its own group, one in another alternative than its group, and one before
//     its group (outside lookbehinds, which read right to left) always match the empty
//     string;
//   - a group whose language is a few fixed strings (not inside a lookaround) is tracked by
//     splitting the expression into one alternative per string the group can capture (and
//     one for "not captured"), in which the group and its backreferences are that string.
//     A loop around the group resets it at each iteration, so after the loop it holds what
//     the last iteration captured: the loop becomes "any iterations, then a last one that
//     captured this string".

// maxCaptureStrings bounds the strings a tracked group may capture, and maxCaptureSplits
// the alternatives all tracked groups together may produce.
const (
	maxCaptureStrings = 16
	maxCaptureSplits  = 64
)

// resolveBackrefs returns tree without backreferences, or ok false when one cannot be
// removed.
func resolveBackrefs(tree *node) (out *node, ok bool) {
	type site struct {
		n      *node
		path   []*node // ancestors, root first
		behind bool    // inside a lookbehind
		look   bool    // inside any lookaround
		loop   bool    // inside a repeat that may run more than once
	}
	var refs []site
	groups := map[int]site{}
	var walk func(n *node, path []*node, behind, look, loop bool)
	walk = func(n *node, path []*node, behind, look, loop bool) {
		switch n.op {
		case opBackref:
			refs = append(refs, site{n, append([]*node(nil), path...), behind, look, loop})
			return
		case opCapture:
			if _, dup := groups[n.ref]; !dup {
				groups[n.ref] = site{n, append([]*node(nil), path...), behind, look, loop}
			} else {
				groups[n.ref] = site{n: n, loop: true} // a copy: not trackable
			}
		case opLook:
			look = true
			behind = behind || n.behind
		case opRepeat:
			loop = loop || n.max < 0 || n.max > 1
		}
		path = append(path, n)
		for _, s := range n.subs {
			walk(s, path, behind, look, loop)
		}
	}
	walk(tree, nil, false, false, false)
	if len(refs) == 0 {
		return tree, true
	}

	tracked := map[int]bool{}
	for _, r := range refs {
		g, exists := groups[r.n.ref]
		if !exists {
			*r.n = node{op: opEmpty} // a named reference resolved to no group cannot happen
			continue
		}
		// Inside its own group.
		inside := false
		for _, a := range r.path {
			if a == g.n {
				inside = true
			}
		}
		if inside {
			*r.n = node{op: opEmpty}
			continue
		}
		// Lowest common ancestor of the group and the reference.
		k := 0
		for k < len(r.path) && k < len(g.path) && r.path[k] == g.path[k] {
			k++
		}
		if k > 0 && r.path[k-1].op == opAlt {
			*r.n = node{op: opEmpty}
			continue
		}
		if r.n.ref > r.n.refAt && !r.behind && !g.behind {
			*r.n = node{op: opEmpty}
			continue
		}
		if r.look || g.look {
			return nil, false
		}
		tracked[r.n.ref] = true
	}

	// Inner groups first: splitting an outer group copies what is inside it.
	order := make([]int, 0, len(tracked))
	for num := range tracked {
		order = append(order, num)
	}
	slices.SortFunc(order, func(a, b int) int { return len(groups[b].path) - len(groups[a].path) })
	splits := 1
	for _, num := range order {
		var ok bool
		var n int
		if tree, n, ok = splitCapture(tree, num); !ok {
			return nil, false
		}
		if splits *= n + 1; splits > maxCaptureSplits {
			return nil, false
		}
	}
	return tree, true
}

// captureStrings enumerates the strings n matches, when it is built from units with few
// members, concatenation, alternation and bounded repetition only.
func captureStrings(n *node) ([][]uint16, bool) {
	switch n.op {
	case opEmpty:
		return [][]uint16{{}}, true
	case opFail:
		return nil, true
	case opCapture:
		return captureStrings(n.subs[0])
	case opUnit:
		var out [][]uint16
		for _, r := range n.set {
			for u := uint32(r.lo); u <= uint32(r.hi); u++ {
				if len(out) == maxCaptureStrings {
					return nil, false
				}
				out = append(out, []uint16{uint16(u)})
			}
		}
		return out, true
	case opConcat:
		out := [][]uint16{{}}
		for _, s := range n.subs {
			part, ok := captureStrings(s)
			if !ok || len(out)*len(part) > maxCaptureStrings {
				return nil, false
			}
			var next [][]uint16
			for _, a := range out {
				for _, b := range part {
					next = append(next, append(append([]uint16(nil), a...), b...))
				}
			}
			out = next
		}
		return dedupeStrings(out), true
	case opAlt:
		var out [][]uint16
		for _, s := range n.subs {
			part, ok := captureStrings(s)
			if !ok {
				return nil, false
			}
			out = dedupeStrings(append(out, part...))
			if len(out) > maxCaptureStrings {
				return nil, false
			}
		}
		return out, true
	case opRepeat:
		if n.max < 0 || n.max > maxCaptureStrings {
			return nil, false
		}
		var out [][]uint16
		cur := [][]uint16{{}}
		for i := 0; i <= n.max; i++ {
			if i >= n.min {
				out = dedupeStrings(append(out, cur...))
			}
			if i == n.max {
				break
			}
			next, ok := captureStrings(&node{op: opConcat, subs: []*node{{op: opAlt, subs: stringNodes(cur)}, n.subs[0]}})
			if !ok || len(out) > maxCaptureStrings {
				return nil, false
			}
			cur = next
		}
		return out, true
	}
	return nil, false
}

func dedupeStrings(in [][]uint16) [][]uint16 {
	var out [][]uint16
	for _, s := range in {
		dup := false
		for _, t := range out {
			if equalUnits(s, t) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

func stringNodes(ss [][]uint16) []*node {
	out := make([]*node, len(ss))
	for i, s := range ss {
		out[i] = literalNode(s)
	}
	return out
}

// literalNode matches exactly s.
func literalNode(s []uint16) *node {
	if len(s) == 0 {
		return &node{op: opEmpty}
	}
	subs := make([]*node, len(s))
	for i, c := range s {
		subs[i] = &node{op: opUnit, set: single(c)}
	}
	return &node{op: opConcat, subs: subs}
}

// splitCapture rewrites tree so that group num and its backreferences become the string
// the group captured, one alternative per possibility (each string, or not captured). It
// returns the number of strings, and ok false when the group's strings cannot be listed.
func splitCapture(tree *node, num int) (*node, int, bool) {
	var vals [][]uint16
	index := func(s []uint16) int {
		for i, v := range vals {
			if equalUnits(v, s) {
				return i + 1
			}
		}
		vals = append(vals, s)
		return len(vals)
	}
	failed := false
	involved := map[*node]bool{}
	var mark func(n *node) bool
	mark = func(n *node) bool {
		hit := (n.op == opBackref || n.op == opCapture) && n.ref == num
		for _, s := range n.subs {
			if mark(s) {
				hit = true
			}
		}
		if hit {
			involved[n] = true
		}
		return hit
	}
	mark(tree)

	// rewrite returns, for each value the group may hold after n (0 = none, i+1 = vals[i]),
	// the part of n that ends with that value, given value u before n.
	var rewrite func(n *node, u int) map[int]*node
	rewrite = func(n *node, u int) map[int]*node {
		if !involved[n] {
			return map[int]*node{u: n}
		}
		switch n.op {
		case opBackref:
			if u == 0 {
				return map[int]*node{u: {op: opEmpty}}
			}
			return map[int]*node{u: literalNode(vals[u-1])}
		case opCapture:
			if n.ref == num {
				ss, ok := captureStrings(n.subs[0])
				if !ok || len(ss) > maxCaptureStrings {
					failed = true
					return map[int]*node{u: n}
				}
				out := map[int]*node{}
				for _, v := range ss {
					out[index(v)] = literalNode(v)
				}
				return out
			}
			out := map[int]*node{}
			for v, x := range rewrite(n.subs[0], u) {
				out[v] = &node{op: opCapture, ref: n.ref, subs: []*node{x}}
			}
			return out
		case opConcat:
			cur := map[int]*node{u: {op: opEmpty}}
			for _, s := range n.subs {
				next := map[int]*node{}
				for v, prefix := range cur {
					for w, x := range rewrite(s, v) {
						addAlt(next, w, &node{op: opConcat, subs: []*node{prefix, x}})
					}
				}
				cur = next
			}
			return cur
		case opAlt:
			out := map[int]*node{}
			for _, s := range n.subs {
				for w, x := range rewrite(s, u) {
					addAlt(out, w, x)
				}
			}
			return out
		case opRepeat:
			if n.max == 0 {
				return map[int]*node{u: {op: opEmpty}}
			}
			if !holdsGroup(n, num) {
				// Only backreferences inside: the value stays u.
				body := rewrite(n.subs[0], u)
				return map[int]*node{u: {op: opRepeat, min: n.min, max: n.max, subs: []*node{body[u]}}}
			}
			// Each iteration starts with the group reset; the last one decides.
			iter := rewrite(n.subs[0], 0)
			var any []*node
			for v := 0; v <= len(vals); v++ {
				if x, ok := iter[v]; ok {
					any = append(any, x)
				}
			}
			anyIter := &node{op: opAlt, subs: any}
			before := &node{op: opRepeat, min: max(n.min-1, 0), max: -1, subs: []*node{anyIter}}
			if n.max > 0 {
				before.max = n.max - 1
			}
			out := map[int]*node{}
			if n.min == 0 {
				out[u] = &node{op: opEmpty}
			}
			for v := 0; v <= len(vals); v++ {
				if x, ok := iter[v]; ok {
					addAlt(out, v, &node{op: opConcat, subs: []*node{before, x}})
				}
			}
			return out
		}
		return map[int]*node{u: n}
	}
	res := rewrite(tree, 0)
	if failed || len(vals) > maxCaptureStrings {
		return nil, 0, false
	}
	var alts []*node
	for v := 0; v <= len(vals); v++ {
		if x, ok := res[v]; ok {
			alts = append(alts, x)
		}
	}
	if len(alts) == 1 {
		return alts[0], len(vals), true
	}
	return &node{op: opAlt, subs: alts}, len(vals), true
}

// holdsGroup reports whether group num is inside n.
func holdsGroup(n *node, num int) bool {
	if n.op == opCapture && n.ref == num {
		return true
	}
	for _, s := range n.subs {
		if holdsGroup(s, num) {
			return true
		}
	}
	return false
}

func addAlt(m map[int]*node, k int, x *node) {
	if prev, ok := m[k]; ok {
		m[k] = &node{op: opAlt, subs: []*node{prev, x}}
		return
	}
	m[k] = x
}
