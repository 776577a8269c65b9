package glob

// A negative lookahead (?!Y) whose body starts with a star over a class C, Y = C*Z (or
// C+Z, or any unbounded repetition of C), stays true while the path goes on through units
// of C: had Y matched after those units, it would have matched before them too, its star
// taking them as well. So in
//
//	(?!Y) D* (?!Y) D*
//
// with D within C, the second lookahead holds wherever it is reached, and dropping it
// changes no answer. Then D* D* is D*: a star right after a star over a class that holds
// its own adds nothing. picomatch writes "!(*a)" as (?:(?![^/]*?a)[^/]*?), so a run of
// such extglobs would otherwise keep one test and one star per copy.

// impliedFact records that a negative lookahead with body dump key holds at the current
// place of a sequence, and the class its body's star runs over.
type impliedFact struct {
	key  string
	over unitSet
}

// dropImpliedLooks returns n without the negative lookaheads an earlier one in the same
// sequence implies, and without the stars a star right before them absorbs. It changes
// the nodes of n's sequences in place and returns n.
func dropImpliedLooks(n *node) *node {
	if !impliedOn {
		return n
	}
	var w impliedWalk
	w.walk(n)
	return n
}

// impliedOn lets Compile drop implied lookaheads and absorbed stars (tests turn it off to
// compare).
var impliedOn = true

// impliedWalk goes through a sequence: facts hold at the current place, and star is the
// class of a star that ends right there, if any (hasStar).
type impliedWalk struct {
	facts   []impliedFact
	star    unitSet
	hasStar bool
}

// fresh walks n as a sequence of its own.
func fresh(n *node) {
	var w impliedWalk
	w.walk(n)
}

// walk goes through n, the next item of the sequence, and leaves w as it is after n.
func (w *impliedWalk) walk(n *node) {
	switch n.op {
	case opEmpty:
		return
	case opAssert:
		w.hasStar = false
		return
	case opUnit:
		w.facts, w.hasStar = keepFacts(w.facts, n.set), false
		return
	case opConcat:
		subs := n.subs[:0]
		for _, s := range n.subs {
			if w.implied(s) {
				continue
			}
			w.walk(s)
			subs = append(subs, s)
		}
		if len(subs) == 0 {
			subs = append(subs, &node{op: opEmpty})
		}
		n.subs = subs
		return
	case opCapture:
		w.walk(n.subs[0])
		return
	case opLook:
		// Its body is a sequence of its own, at a place that is not this one.
		fresh(n.subs[0])
		w.hasStar = false
		if !n.neg || n.behind {
			return
		}
		if over, ok := leadingStar(n.subs[0]); ok {
			w.facts = append(w.facts[:len(w.facts):len(w.facts)], impliedFact{key: dump(n.subs[0]), over: over})
		}
		return
	case opRepeat:
		if n.max == 0 {
			return
		}
		if b := n.subs[0]; b.op == opUnit {
			w.facts = keepFacts(w.facts, b.set)
			w.hasStar = n.min == 0 && n.max < 0
			w.star = b.set
			return
		}
	}
	for _, s := range n.subs {
		fresh(s)
	}
	*w = impliedWalk{}
}

// implied reports whether item n of a sequence, at the place w describes, can go: a
// negative lookahead a fact implies, or a star over a class within that of the star that
// ends at this place.
func (w *impliedWalk) implied(n *node) bool {
	switch {
	case n.op == opLook && n.neg && !n.behind:
		return holdsFact(w.facts, dump(n.subs[0]))
	case n.op == opRepeat && w.hasStar && n.min == 0 && n.max < 0 && n.subs[0].op == opUnit:
		return subsetOf(n.subs[0].set, w.star)
	}
	return false
}

// keepFacts returns the facts that survive a unit from set s.
func keepFacts(facts []impliedFact, s unitSet) []impliedFact {
	var out []impliedFact
	for _, f := range facts {
		if subsetOf(s, f.over) {
			out = append(out, f)
		}
	}
	return out
}

func holdsFact(facts []impliedFact, key string) bool {
	for _, f := range facts {
		if f.key == key {
			return true
		}
	}
	return false
}

// leadingStar returns C when n starts with an unbounded repetition of C (C*, C+ or more): it
// itself, or a sequence whose first item does. (A bounded one would not do: a?b does not
// match "aab", though it matches "ab".)
func leadingStar(n *node) (unitSet, bool) {
	for {
		switch n.op {
		case opConcat:
			if len(n.subs) == 0 {
				return nil, false
			}
			n = n.subs[0]
			continue
		case opCapture:
			n = n.subs[0]
			continue
		case opRepeat:
			if n.max < 0 && n.subs[0].op == opUnit {
				return n.subs[0].set, true
			}
		}
		return nil, false
	}
}

// subsetOf reports whether every unit of a is in b (both normalized).
func subsetOf(a, b unitSet) bool {
	j := 0
	for _, r := range a {
		for j < len(b) && b[j].hi < r.lo {
			j++
		}
		if j == len(b) || b[j].lo > r.lo || b[j].hi < r.hi {
			return false
		}
	}
	return true
}
