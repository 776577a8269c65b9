package glob

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestImpliedLooks compiles random patterns of negated extglobs, stars, globstars and
// literals with and without dropImpliedLooks, and checks that both answer alike on paths
// made of the same pieces.
func TestImpliedLooks(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"!(*a)", "!(*a)", "!(*.a)", "!(a*)", "!(*a*)", "!(*[ab])", "*", "*a", "a", "b", "/", "/**/", "?",
		"+(a|b)", "*(!(*a))", "@(!(*a)|b)", "!(?(a)b)", "!(+(a)b)", "+(a)", "*(a)", "*([b-z])", "*([a-c])"}
	units := []string{"a", "b", "ba", "/", ".", "bbb", "\n", "é"}
	n := 3000
	if testing.Short() {
		n = 600
	}
	dropped, differ := 0, 0
	for i := 0; i < n; i++ {
		var pb strings.Builder
		pb.WriteString("/")
		for k := r.IntN(10) + 1; k > 0; k-- {
			pb.WriteString(pieces[r.IntN(len(pieces))])
		}
		pat := pb.String()
		p, err := Compile(pat)
		if err != nil {
			t.Fatalf("%q: %v", pat, err)
		}
		impliedOn = false
		q, err := Compile(pat)
		impliedOn = true
		if err != nil {
			t.Fatalf("%q without the rewrite: %v", pat, err)
		}
		if p.auto != nil && q.auto != nil && len(p.auto.main.insts) < len(q.auto.main.insts) {
			dropped++
		}
		for j := 0; j < 40; j++ {
			var qb strings.Builder
			qb.WriteString("/")
			for k := r.IntN(12); k > 0; k-- {
				qb.WriteString(units[r.IntN(len(units))])
			}
			path := qb.String()
			if got, want := p.Match(path), q.Match(path); got != want {
				differ++
				if differ <= 10 {
					t.Errorf("Match(%q, %q) = %t, %t without dropping implied lookaheads", pat, path, got, want)
				}
			}
		}
	}
	if dropped == 0 {
		t.Errorf("no pattern lost a lookahead or a star")
	}
	t.Logf("%d of %d patterns lost a lookahead or a star", dropped, n)
}

// TestImpliedLooksChain checks that a run of copies of "!(*a)" keeps the lookaheads of its
// first and last copies only (the last one's body ends with "$"), and one star each.
func TestImpliedLooksChain(t *testing.T) {
	for _, k := range []int{2, 3, 200} {
		pat := "/" + strings.Repeat("!(*a)", k)
		tr, _ := translate(toUnits(pat))
		tree, _, _ := parseExpression(tr.source, maxNesting)
		tree = dropImpliedLooks(tree)
		d := dump(tree)
		if looks, stars := strings.Count(d, "nla{"), strings.Count(d, "rep{0,-1 cc{0x0-0x2e 0x30-0xffff}}"); looks != 2 || stars != 4 {
			t.Errorf("%d copies: %d lookaheads and %d stars (with those inside lookaheads) left, want 2 and 4: %s", k, looks, stars, short(d))
		}
	}
}

// TestImpliedLooksTree runs dropImpliedLooks on expressions and counts the lookaheads and
// stars it leaves.
func TestImpliedLooksTree(t *testing.T) {
	for _, c := range []struct {
		src          string
		looks, stars int
	}{
		{`(?![^/]*a)[^/]*(?![^/]*a)b`, 1, 2},
		{`(?![^/]*a)b(?![^/]*a)`, 1, 1},       // the test still holds after "b"
		{`(?![^/]*a)/(?![^/]*a)`, 2, 2},       // but not after "/"
		{`(?![^/]+a)b(?![^/]+a)`, 1, 1},       // "+" keeps the test too
		{`(?!a?b)a(?!a?b)`, 2, 0},             // a bounded repeat does not
		{`(?=[^/]*a)b(?![^/]*a)`, 2, 2},       // a positive lookahead implies nothing
		{`(?![^/]*a)(?:b|c)(?![^/]*a)`, 2, 2}, // nor does an alternation carry facts
		{`[^/]*[^/]*`, 0, 1},
		{`[^/]*[ab]*[^/]+`, 0, 2},
		{`[ab]*[^/]*`, 0, 2},
		{`[ab]?a*`, 0, 1},
		{`[^/]*\b[^/]*`, 0, 2},
		{`[^/]*(?=x)[^/]*`, 1, 2},
	} {
		tree, ok, _ := parseExpression(toUnits(c.src), maxNesting)
		if !ok {
			t.Fatalf("%s does not parse", c.src)
		}
		d := dump(dropImpliedLooks(tree))
		looks := strings.Count(d, "la{")
		stars := strings.Count(d, "rep{0,-1 ") + strings.Count(d, "rep{1,-1 ")
		if looks != c.looks || stars != c.stars {
			t.Errorf("%s: %d lookarounds and %d loops left, want %d and %d: %s", c.src, looks, stars, c.looks, c.stars, d)
		}
	}
}

// TestStarUnitLook checks the lookaheads whose body is a star and one unit, as "!(*a)"
// makes them, against the simulation (which answers lookaheads by their own programs), on
// random paths; and that such bodies are recognized.
func TestStarUnitLook(t *testing.T) {
	for _, c := range []struct {
		pattern string
		looks   int // lookaheads answered by markStarUnit
	}{
		{"/!(*a)", 1}, {"/!(*a)!(*a)x", 1}, {"/!(*a)!(*b)", 2}, {"/!(*.)/*", 1},
		{"/!(*[ab])", 0}, {"/!(a*)", 0}, {"/!(*ab)", 0}, // "[ab]" is an alternation with its text
	} {
		p := MustCompile(c.pattern)
		n := 0
		for _, l := range p.auto.looks {
			if l.star >= 0 {
				n++
			}
		}
		if n != c.looks {
			t.Errorf("%q: %d lookaheads of a star and a unit, want %d", c.pattern, n, c.looks)
		}
	}
	r := rand.New(rand.NewPCG(9, 9))
	// "é", "©" and "ũ" share their low six bits, which choose markStarUnit's cache entry.
	pieces := []string{"!(*a)", "!(*[ab])", "!(*.)", "!(+(b)a)", "!(?(b)a)", "x", "a", "*", "/", "?", "!(*é)"}
	units := []string{"a", "b", "x", ".", "/", "\n", "é", "ab", "bba", "©", "ũ", "é©"}
	checked := 0
	for i := 0; i < 400; i++ {
		pat := "/"
		for k := r.IntN(6) + 1; k > 0; k-- {
			pat += pieces[r.IntN(len(pieces))]
		}
		p := MustCompile(pat)
		for j := 0; j < 30; j++ {
			path := "/"
			for k := r.IntN(10); k > 0; k-- {
				path += units[r.IntN(len(units))]
			}
			_, d, s := engineAnswers(p, path)
			if d >= 0 {
				checked++
			}
			if got := b2i(p.Match(path)); got != s || d >= 0 && d != s {
				t.Errorf("pattern %q, path %q: Match %d, DFA and marks %d, simulation %d", pat, path, got, d, s)
			}
		}
	}
	t.Logf("%d pairs where the DFA answered", checked)
}
