package glob

// picomatch gives a class that could also be read as literal text both readings: "[ab]"
// becomes (?:\[ab\]|[ab]), which matches "[ab]" as well as "a" and "b". A chain of such
// classes expands into more alternatives than the fast matchers try, and even one doubles
// the sequences they run. On a path without "[", though, the literal reading can match
// nowhere, so the expression decides the same without it. withoutUnit builds that
// expression, and Pattern.Match uses a fast matcher built from it (plain) on such paths.

// plainUnit is the unit that the alternatives dropped for plain paths must consume.
const plainUnit = '['

// consumes reports whether every match of n consumes the unit u.
func consumes(n *node, u uint16) bool {
	switch n.op {
	case opUnit:
		return len(n.set) == 1 && n.set[0].lo == u && n.set[0].hi == u
	case opConcat:
		for _, s := range n.subs {
			if consumes(s, u) {
				return true
			}
		}
	case opAlt:
		for _, s := range n.subs {
			if !consumes(s, u) {
				return false
			}
		}
		return len(n.subs) > 0
	case opRepeat:
		return n.min > 0 && consumes(n.subs[0], u)
	case opCapture:
		return consumes(n.subs[0], u)
	}
	return false
}

// withoutUnit returns n without the alternatives that must consume the unit u: an
// expression that decides the same as n on every path without u. It returns n itself
// when there are none, and copies the nodes it changes (n is left as it is).
func withoutUnit(n *node, u uint16) *node {
	var subs []*node
	changed := false
	for i, s := range n.subs {
		if n.op == opAlt && consumes(s, u) {
			if !changed {
				subs, changed = append([]*node(nil), n.subs[:i]...), true
			}
			continue
		}
		w := withoutUnit(s, u)
		if w != s && !changed {
			subs, changed = append([]*node(nil), n.subs[:i]...), true
		}
		if changed {
			subs = append(subs, w)
		}
	}
	if !changed {
		return n
	}
	if n.op == opAlt {
		switch len(subs) {
		case 0:
			return &node{op: opFail}
		case 1:
			return subs[0]
		}
	}
	c := *n
	c.subs = subs
	return &c
}
