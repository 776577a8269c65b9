package glob

import (
	"slices"
	"strings"
)

// This file derives the pre-filter facts Prefix and Literal from the expression tree. Both
// are conservative: a prefix may be shorter than possible, and a pattern may match exactly
// one path without Literal saying so, but neither ever promises more than Match keeps.

// analyze fills in p.prefix, p.literal and p.isLiteral. tree is the main expression (for a
// negated pattern, its body); it is unused when p.never is set.
func (p *Pattern) analyze(tree *node) {
	byUnits := p.units != nil // several byte strings decode to the pattern's units
	switch {
	case p.never:
		// Only the pattern itself matches.
		if !byUnits {
			p.prefix, p.literal, p.isLiteral = p.src, p.src, true
		}
		return
	case p.negated:
		return
	}
	if p.auto == nil || !p.auto.main.anchored {
		return
	}
	pre, _ := litPrefix(tree)
	p.prefix = commonPrefix(validPrefix(pre), p.src)
	if byUnits {
		p.prefix = ""
		return
	}
	p.prefixes = alternativePrefixes(tree, p.src)
	if s, ok := literalString(tree); ok && unitsValid(s) {
		str := unitsString(s)
		switch str {
		case p.src, "":
			p.literal, p.isLiteral = p.src, true
			p.prefix = p.src
		}
	}
}

// litPrefix returns code units that every string matched by n starts with, and whether n
// matches exactly those units and nothing else (so that what follows n may extend the
// prefix).
func litPrefix(n *node) ([]uint16, bool) {
	switch n.op {
	case opCapture:
		return litPrefix(n.subs[0])
	case opEmpty, opLook:
		return nil, true
	case opAssert:
		return nil, n.assert != assertEnd
	case opUnit:
		if len(n.set) == 1 && n.set[0].lo == n.set[0].hi {
			return []uint16{n.set[0].lo}, true
		}
		return nil, false
	case opConcat:
		var out []uint16
		for _, s := range n.subs {
			pre, exact := litPrefix(s)
			out = append(out, pre...)
			if !exact {
				return out, false
			}
		}
		return out, true
	case opAlt:
		first, exact := litPrefix(n.subs[0])
		for _, s := range n.subs[1:] {
			pre, e := litPrefix(s)
			k := 0
			for k < len(first) && k < len(pre) && first[k] == pre[k] {
				k++
			}
			if k < len(first) || k < len(pre) {
				exact = false
			}
			exact = exact && e
			first = first[:k]
		}
		return first, exact
	case opRepeat:
		if n.min == 0 {
			return nil, false
		}
		pre, exact := litPrefix(n.subs[0])
		if !exact {
			return pre, false
		}
		var out []uint16
		for i := 0; i < n.min; i++ {
			out = append(out, pre...)
		}
		return out, n.max == n.min
	}
	return nil, false
}

// literalString returns the one string n matches when n is a sequence of single units with
// "^" tests only before the first unit and "$" tests only after the last.
func literalString(n *node) ([]uint16, bool) {
	var leaves []*node
	var flatten func(*node) bool
	flatten = func(n *node) bool {
		switch n.op {
		case opCapture:
			return flatten(n.subs[0])
		case opConcat:
			for _, s := range n.subs {
				if !flatten(s) {
					return false
				}
			}
			return true
		case opEmpty:
			return true
		case opAssert, opUnit:
			leaves = append(leaves, n)
			return true
		}
		return false
	}
	if !flatten(n) {
		return nil, false
	}
	var s []uint16
	seenEnd := false
	for _, l := range leaves {
		switch {
		case l.op == opAssert && l.assert == assertBegin:
			if len(s) > 0 || seenEnd {
				return nil, false
			}
		case l.op == opAssert && l.assert == assertEnd:
			seenEnd = true
		case l.op == opUnit && len(l.set) == 1 && l.set[0].lo == l.set[0].hi:
			if seenEnd {
				return nil, false
			}
			s = append(s, l.set[0].lo)
		default:
			return nil, false
		}
	}
	if !seenEnd || len(leaves) == 0 || leaves[0].op != opAssert || leaves[0].assert != assertBegin {
		return nil, false
	}
	return s, true
}

// validPrefix converts units to a string, stopping before the first unit that does not
// stand for itself in a Go string (U+FFFD, which an invalid byte also reads as, or a
// surrogate that is not part of a pair).
func validPrefix(u []uint16) string {
	k := 0
	for k < len(u) {
		switch {
		case u[k] == 0xFFFD:
			return unitsString(u[:k])
		case isHighSurrogate(u[k]) && k+1 < len(u) && isLowSurrogate(u[k+1]):
			k += 2
		case isSurrogate(u[k]):
			return unitsString(u[:k])
		default:
			k++
		}
	}
	return unitsString(u)
}

func commonPrefix(a, b string) string {
	k := 0
	for k < len(a) && k < len(b) && a[k] == b[k] {
		k++
	}
	return a[:k]
}

// maxPrefixes bounds the alternative prefixes of a pattern: past it, Prefixes gives up on
// alternatives and returns the single common Prefix.
const maxPrefixes = 16

// alternativePrefixes returns literal strings one of which every path that tree matches
// starts with, and src too (a path equal to the pattern always matches), or nil when one
// of them would be empty. Braces and extglob alternatives give several: /{a,b}/** has the
// prefixes /a and /b (and /{a,b}/** itself).
func alternativePrefixes(tree *node, src string) []string {
	units, _ := litPrefixes(tree)
	var out []string
	coversSrc := false
	for _, u := range units {
		s := validPrefix(u)
		if s == "" {
			return nil
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
		coversSrc = coversSrc || strings.HasPrefix(src, s)
	}
	if len(out) == 0 {
		return nil
	}
	if !coversSrc {
		out = append(out, src)
	}
	// A prefix that starts with another of the set says nothing more: drop it.
	var kept []string
	for _, s := range out {
		if !slices.ContainsFunc(out, func(t string) bool { return t != s && strings.HasPrefix(s, t) }) {
			kept = append(kept, s)
		}
	}
	return kept
}

// litPrefixes is litPrefix with alternatives kept apart: code-unit strings one of which
// every string matched by n starts with, and whether n matches exactly those strings. It
// never returns more than maxPrefixes strings; where alternatives would exceed that, their
// common prefix stands for them.
func litPrefixes(n *node) ([][]uint16, bool) {
	switch n.op {
	case opCapture:
		return litPrefixes(n.subs[0])
	case opConcat:
		acc := [][]uint16{nil}
		for _, sub := range n.subs {
			ps, exact := litPrefixes(sub)
			if len(acc)*len(ps) > maxPrefixes {
				return acc, false
			}
			next := make([][]uint16, 0, len(acc)*len(ps))
			for _, a := range acc {
				for _, p := range ps {
					next = append(next, append(slices.Clip(a), p...))
				}
			}
			acc = next
			if !exact {
				return acc, false
			}
		}
		return acc, true
	case opAlt:
		var out [][]uint16
		exact := true
		for _, sub := range n.subs {
			ps, e := litPrefixes(sub)
			out = append(out, ps...)
			exact = exact && e
		}
		if len(out) > maxPrefixes {
			pre, e := litPrefix(n)
			return [][]uint16{pre}, e
		}
		return out, exact
	case opRepeat:
		if n.min == 1 && n.max == 1 {
			return litPrefixes(n.subs[0])
		}
	}
	pre, exact := litPrefix(n)
	return [][]uint16{pre}, exact
}
