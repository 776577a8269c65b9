package glob

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// engineAnswers runs every matcher a Pattern has on path: the fast matcher Match would use
// (if it has one and it decides), the DFA, and the state-set simulation. -1 means "no answer".
func engineAnswers(p *Pattern, path string) (fast, dfaAns, sim int) {
	fast, dfaAns, sim = -1, -1, -1
	if p.never || p.auto == nil {
		return
	}
	lt := p.negated && hasLineTerminator(path) // a negated pattern never matches these
	b := func(m bool) int {
		if m != p.negated && !lt {
			return 1
		}
		return 0
	}
	f := p.fast
	if p.plain != nil {
		f = p.plainFor(path)
	}
	if f != nil {
		if m, ok := f.match(path); ok {
			fast = b(m)
		}
	}
	s := newScratch(p.auto)
	s.in = appendUnits(nil, path)
	if p.auto.classes != nil {
		// matchUnits prefers the DFA.
		dfaAns = b(p.auto.matchUnits(s))
	}
	s2 := newScratch(p.auto)
	s2.in = appendUnits(nil, path)
	if len(p.auto.looks) > 0 {
		s2.words = (len(s2.in) + 64) / 64
		s2.lookBits = make([]uint64, s2.words*len(p.auto.looks))
	}
	// The simulation, with lookarounds answered by simulation passes too.
	p.auto.classesOff(func() { sim = b(p.auto.search(s2, p.auto.main, 0)) })
	return
}

// bitAnswer runs the bit-parallel program of p on path, with lookarounds answered by their
// own bit-parallel programs where they have one: 1 or 0, -1 when p has none, and 2 when the
// one-word runner and the general one disagree.
func bitAnswer(p *Pattern, path string) int {
	if p.never || p.auto == nil || p.auto.main.bits == nil {
		return -1
	}
	a := p.auto
	s := newScratch(a)
	s.budget = -1 // no DFA
	s.in = appendUnits(nil, path)
	if len(a.looks) > 0 {
		s.words = (len(s.in) + 64) / 64
		s.lookBits = make([]uint64, s.words*len(a.looks))
	}
	m := a.main.bits.exec(a, s, &s.bits[0], false, !a.main.anchored, nil)
	if a.main.bits.words == 1 {
		// The general runner must agree with the one-word one.
		clear(s.lookDone)
		if mn := a.main.bits.execN(a, s, &s.bits[0], false, !a.main.anchored, nil); mn != m {
			return 2
		}
	}
	if m != p.negated && !(p.negated && hasLineTerminator(path)) {
		return 1
	}
	return 0
}

// pathVariants derives paths from a corpus path that stress segment boundaries.
func pathVariants(r *rand.Rand, path string) []string {
	out := []string{path, path + "/", path + "//", "/" + path, path + "/.x", path + "/x", strings.ToUpper(path)}
	for k := 0; k < 4; k++ {
		b := []byte(path)
		if len(b) == 0 {
			break
		}
		i := r.IntN(len(b))
		switch r.IntN(5) {
		case 0:
			b = append(b[:i:i], append([]byte{"/.ax*"[r.IntN(5)]}, b[i:]...)...)
		case 1:
			b = append(b[:i:i], b[i+1:]...)
		case 2:
			b[i] = "ab/.-x"[r.IntN(6)]
		case 3:
			b = append(b[:i:i], append([]byte("é"), b[i:]...)...)
		case 4:
			b = append(b[:i:i], append([]byte("\n"), b[i:]...)...)
		}
		out = append(out, string(b))
	}
	return out
}

func TestEnginesAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	checked, fastUsed, bitUsed := 0, 0, 0
	for _, file := range corpusFiles {
		for _, c := range loadCorpus(t, file) {
			p, err := Compile(c.Pattern)
			if err != nil || len(c.Pattern) > 300 || p.never {
				continue
			}
			for _, path := range pathVariants(r, c.Path) {
				key := c.Pattern + "\x00" + path
				if path == "" || seen[key] {
					continue
				}
				seen[key] = true
				f, d, s := engineAnswers(p, path)
				bp := bitAnswer(p, path)
				checked++
				if f >= 0 {
					fastUsed++
				}
				if bp >= 0 {
					bitUsed++
				}
				if s < 0 || (f >= 0 && f != s) || (d >= 0 && d != s) || (bp >= 0 && bp != s) {
					t.Errorf("pattern %s, path %s: fast %d, dfa %d, bit-parallel %d, simulation %d", short(c.Pattern), short(path), f, d, bp, s)
				}
			}
		}
	}
	t.Logf("%d pairs checked, fast matcher decided %d, bit-parallel program ran %d", checked, fastUsed, bitUsed)
}

// classesOff runs f with the DFA disabled (tests use it to compare the two matchers).
func (a *automaton) classesOff(f func()) {
	c := a.classes
	a.classes = nil
	defer func() { a.classes = c }()
	f()
}

// TestFastWork gives the fast matcher shapes whose chunks it would try at every place of
// a long path, at a cost of the chunk's length each: it leaves those paths to the DFA, and
// still decides where a chunk matches at its first places. (A last block of fixed pieces
// without a star is placed from the end at once, hence the "*" at the end of some.)
func TestFastWork(t *testing.T) {
	q := strings.Repeat("?", 900)
	for _, c := range []struct {
		pattern    string
		long, near string // a path it gives up on, and one it decides
	}{
		{"/**/*a" + q + "/b/**", "/a/" + strings.Repeat("a", 4093), "/a/" + strings.Repeat("a", 901) + "/b"},
		{"*" + q + "b*", strings.Repeat("a", 4096), strings.Repeat("a", 900) + "b"},
		{"*a" + q + "b*", strings.Repeat("a", 4096), strings.Repeat("a", 901) + "b"}, // found by its literal
		{"/**/*" + q + "b*", "/x/" + strings.Repeat("a", 4093), "/x/" + strings.Repeat("a", 900) + "b"},
		{"/**/*" + q + "b/c/**", "/x/" + strings.Repeat("a", 4093), "/x/" + strings.Repeat("a", 900) + "b/c/d"},
	} {
		p := MustCompile(c.pattern)
		if p.fast == nil {
			t.Errorf("%q: no fast matcher", short(c.pattern))
			continue
		}
		if m, ok := p.fast.match(c.long); ok {
			t.Errorf("%q on %q: the fast matcher decided %t, want it to give up", short(c.pattern), short(c.long), m)
		}
		if got, want := p.Match(c.long), p.auto.matchPath(newScratch(p.auto), c.long); got != want {
			t.Errorf("%q on %q: %t, the automaton %t", short(c.pattern), short(c.long), got, want)
		}
		if m, ok := p.fast.match(c.near); !ok || !m {
			t.Errorf("%q on %q: the fast matcher answered %t, %t; want a match", short(c.pattern), short(c.near), m, ok)
		}
	}
	// These have one place to try: a last chunk without "/" before "/**" ends where its
	// segment does, and a block after a globstar that starts with a literal starts where
	// the literal is.
	for _, c := range [][2]string{
		{"/**/*a" + q + "/**", "/a/" + strings.Repeat("a", 4093)},
		{"/**/*a" + q + "/**", "/a/" + strings.Repeat("a", 4093) + "/b"},
		{"/**/*a" + q + "/**", "/a/" + strings.Repeat("a", 900)},
		{"/**/" + q + "b*", "/" + strings.Repeat("a", 4095)},
		{"/**/" + q + "b/**", "/" + strings.Repeat("a", 4095)},
		{"/**/" + q + "b/**", "/x/" + strings.Repeat("a", 900) + "b/c"},
		{"**/x" + q + "b*", strings.Repeat("/x", 2048)}, // each place fails at its second piece
		// A start at every "/", each failing at once, within the budget.
		{"/**/*a" + q + "/**", strings.Repeat("/", 4096)},
		{"/**/*a" + q + "/**", strings.Repeat("//a", 1365) + "😀"},
		// Zones: the first keeps handing the second the end of "/a\u2028", from which
		// each of 150 equal blocks would scan the stretch of "/a" again.
		{strings.Repeat("/**/a?", 150), strings.Repeat("/ab", 1160) + "/a\u2028" + strings.Repeat("/a", 240) + "/a\u2028" + strings.Repeat("/a", 40)},
		{strings.Repeat("/**/a?", 150), strings.Repeat("/ab", 1160) + "/a\u2028" + strings.Repeat("/a", 240) + "/a\u2028" + strings.Repeat("/ab", 40)},
		{strings.Repeat("/**/a?/**/b?", 75), strings.Repeat("/ab/bb", 580) + "/a\n" + strings.Repeat("/a", 240) + "/b\n" + strings.Repeat("/a/b", 20)},
	} {
		p := MustCompile(c[0])
		m, ok := p.fast.match(c[1])
		if want := p.auto.matchPath(newScratch(p.auto), c[1]); !ok || m != want {
			t.Errorf("%q on %q: the fast matcher answered %t, %t; want %t, true", short(c[0]), short(c[1]), m, ok, want)
		}
	}
}

// TestDFACredit runs the DFA of 200 copies of "+(a)b" on paths that repeat "ab" for a
// while, which takes a few dozen states, then go on irregularly, which takes a new state
// every few units: the DFA must give up soon after the head, not save the head's budget
// for the tail (it then built 200 to 400 states, and answered on one of these paths).
// Without a budget it never gives up.
func TestDFACredit(t *testing.T) {
	p := MustCompile("/+(a|b)*a" + strings.Repeat("+(a)b", 200))
	tail := "/" + irregularTokens(4094, "a", "b", "ab", "aab")
	for _, k := range []int{1000, 2304, 3000} {
		path := ("/" + strings.Repeat("ab", k/2))[:k] + tail[k:]
		s := newScratch(p.auto)
		s.base, s.rate = p.auto.dfaBase(), p.auto.dfaRate()
		s.budget = s.base
		d := newDFA(p.auto, p.auto.main, false, !p.auto.main.anchored)
		if _, ok := d.searchASCII(s, path); ok || len(d.states) > 120 {
			t.Errorf("head of %d units: the DFA answered %t with %d states, want it to give up with 120 at most", k, ok, len(d.states))
		}
	}
	// Without a budget (as for an automaton without a bit-parallel program), it answers.
	path := "/ba" + strings.Repeat("aab", 150) + strings.Repeat("ab", 60)
	s := newScratch(p.auto)
	s.in = appendUnits(nil, path)
	d := newDFA(p.auto, p.auto.main, false, !p.auto.main.anchored)
	if _, ok := d.searchForward(s); !ok {
		t.Errorf("without a budget, the DFA gave up on %q after %d states", short(path), len(d.states))
	}
}

// TestDFARate checks the budget a first match gives the DFA, against the cost of the
// bit-parallel program it would otherwise run (dfaRate, dfaBase). The program of a chain
// of 250 classes reads a path in about 35 µs, so the DFA, which needs a state every few
// units on an irregular path, must give up soon (allowed 2 + cost/4 a unit, it built 222
// states on this path and answered in about 0.1 ms). The programs of patterns with
// lookarounds cost more per step than their estimate says, and there the DFA must answer:
// on 170 copies of "/!(a*)" (whose program takes 0.1 ms on this path and 0.6 ms on others),
// and on a path a search found for "/**" and 200 copies of "/[ab]", whose first states
// visit most of the program (it gave up there with a budget of dfaBudgetBase).
func TestDFARate(t *testing.T) {
	for _, c := range []struct {
		name, pattern, path string
		states              int // the most states the DFA may build before it gives up
	}{
		{"chain of classes", "/+(a|b)*a" + strings.Repeat("[ab]", 250), "/" + irregularTokens(4094, "a", "b", "c"), 100},
		// On a path a search built, the first states of optionals visit most of the program
		// (they took a base of dfaBudgetBase, then 10 states and 45 µs in all).
		{"optionals", "/+(a|b)*a" + strings.Repeat("?(a|bc)", 120) + "*", testPath(t, "optional-alts-star-end.path"), 8},
		// On another, a chain of copies of an item with a loop: allowed a sixteenth of the
		// cost, at least a unit of work a unit, the DFA built 58 states before it gave up.
		{"loops", "/+(a|b)*a" + strings.Repeat("@(+(a)b|[ab])", 70) + "c*", testPath(t, "loop-class-chain-star-end.path"), 20},
	} {
		p := MustCompile(c.pattern)
		s := newScratch(p.auto)
		s.base, s.rate = p.auto.dfaBase(), p.auto.dfaRate()
		s.budget = s.base
		s.in = appendUnits(nil, c.path)
		d := newDFA(p.auto, p.auto.main, false, !p.auto.main.anchored)
		if _, ok := d.searchForward(s); ok || len(d.states) > c.states {
			t.Errorf("%s: the DFA answered %t with %d states, want it to give up with %d at most", c.name, ok, len(d.states), c.states)
		}
	}
	path := testPath(t, "segments-class-chain.path")
	for _, c := range [][2]string{
		{strings.Repeat("/!(a*)", 170), strings.Repeat("/ba", 1365)},
		{"/**" + strings.Repeat("/[ab]", 200), path},
	} {
		p := MustCompile(c[0])
		p.Match(c[1])
		if n := p.auto.dfaMisses.Load(); n != 0 {
			t.Errorf("%q on %q: the DFA gave up (%d misses), want it to answer", short(c[0]), short(c[1]), n)
		}
	}
}
