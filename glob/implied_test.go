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
