package glob

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The bit-parallel programs are checked against the state-set simulation (and the DFA) on
// generated patterns, which reach shapes the corpora hardly have (repetitions whose way back
// goes through a test, delay lines, deep nesting), and on the adversarial shapes of
// bench_test.go at a reduced size.

// genPattern returns a random glob over a small alphabet, with extglobs, braces, classes,
// regular-expression groups and escapes nested up to depth.
func genPattern(r *rand.Rand, depth int) string {
	var b strings.Builder
	n := 1 + r.IntN(4)
	for i := 0; i < n; i++ {
		genItem(r, &b, depth)
	}
	return b.String()
}

var genAtoms = []string{"a", "b", "/", ".", "?", "*", "**", "/**/", "[ab]", "[!a]", "[^b]", "[a-c]",
	"{a,bc}", "{x,,y}", "{1..3}", "\\b", "\\B", "\\d", "\\w", "$", "^", "c", "-", "\\.", "\"a*\"", "[[:alpha:]]"}

func genItem(r *rand.Rand, b *strings.Builder, depth int) {
	if depth <= 0 || r.IntN(3) > 0 {
		b.WriteString(genAtoms[r.IntN(len(genAtoms))])
		return
	}
	alts := func(sep string) {
		k := 1 + r.IntN(3)
		for i := 0; i < k; i++ {
			if i > 0 {
				b.WriteString(sep)
			}
			if r.IntN(5) > 0 {
				b.WriteString(genPattern(r, depth-1))
			}
		}
	}
	switch r.IntN(9) {
	case 0, 1, 2, 3, 4:
		b.WriteByte("@+*?!"[r.IntN(5)])
		b.WriteByte('(')
		alts("|")
		b.WriteByte(')')
	case 5:
		b.WriteByte('{')
		alts(",")
		b.WriteByte('}')
	case 6:
		b.WriteByte('(')
		alts("|")
		b.WriteByte(')')
		b.WriteString([]string{"+", "?", "*", "{2}", "{1,3}", ""}[r.IntN(6)])
	case 7:
		b.WriteString([]string{"(?=", "(?!", "(?<=", "(?<!"}[r.IntN(4)])
		alts("|")
		b.WriteByte(')')
	default:
		b.WriteString("!(")
		b.WriteString(genPattern(r, depth-1))
		b.WriteString(")")
	}
}

// genPath returns a random path over the units the generated patterns use.
func genPath(r *rand.Rand, max int) string {
	const alphabet = "ab/.c-1x/a"
	n := r.IntN(max + 1)
	var b strings.Builder
	if r.IntN(2) == 0 {
		b.WriteByte('/')
	}
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	if r.IntN(8) == 0 {
		b.WriteString("é")
	}
	return b.String()
}

// bitFeatures counts what a bit-parallel program uses, to check that the generated
// patterns reach every part of it.
type bitFeatures struct {
	programs, backs, jumps, lines, asserts, looks, levels, selfLoops, chains, chainRows, fixed, fixedTracks int
	reps, repForks, tables                                                                                  int
}

func (f *bitFeatures) add(p *Pattern) {
	for i, pr := range append([]*prog{p.auto.main}, lookProgs(p.auto)...) {
		bp := pr.bits
		if bp == nil {
			continue
		}
		f.programs++
		if i > 0 {
			f.looks++
		}
		if len(bp.backs) > 0 {
			f.backs++
		}
		if len(bp.jumps) > 0 {
			f.jumps++
		}
		if len(bp.lines) > 0 {
			f.lines++
		}
		if len(bp.chains) > 0 {
			f.chains++
		}
		for _, g := range bp.chains {
			if g.rows > 1 {
				f.chainRows++
				break
			}
		}
		if len(bp.fixes) > 0 {
			f.fixed++
		}
		for _, g := range bp.fixes {
			if len(g.tracks) > 0 {
				f.fixedTracks++
				break
			}
		}
		if len(bp.reps) > 0 {
			f.reps++
		}
		for _, rp := range bp.reps {
			if rp.maxLen > rp.minLen {
				f.repForks++ // strings of different lengths, which may begin one another
				break
			}
		}
		if bp.fast1 != nil && bp.fast1.useTab {
			f.tables++
		}
		if len(bp.preds) > 0 {
			f.asserts++
		}
		if len(bp.static) > 4 {
			f.levels++
		}
		for _, w := range bp.self {
			if w != 0 {
				f.selfLoops++
				break
			}
		}
	}
}

func lookProgs(a *automaton) []*prog {
	var ps []*prog
	for _, l := range a.looks {
		ps = append(ps, l.prog)
	}
	return ps
}

// compileChained compiles pattern as usual and with every run of two items or more made a
// chain; p is nil when the pattern does not compile or never matches.
func compileChained(t *testing.T, pattern string) (p, pc *Pattern) {
	t.Helper()
	p, err := Compile(pattern)
	if err != nil || p.never {
		return nil, nil
	}
	restore := setChainMin(2)
	pc, err = Compile(pattern)
	restore()
	if err != nil {
		t.Fatalf("Compile(%q) with chains: %v", pattern, err)
	}
	return p, pc
}

func TestBitAgreesGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	var feat, chained bitFeatures
	patterns, pairs := 0, 0
	for i := 0; i < 4000; i++ {
		pattern := genPattern(r, 3)
		p, pc := compileChained(t, pattern)
		if p == nil {
			continue
		}
		patterns++
		feat.add(p)
		chained.add(pc)
		for k := 0; k < 12; k++ {
			path := genPath(r, 14)
			if path == "" {
				continue
			}
			pairs++
			_, d, s := engineAnswers(p, path)
			if bp := bitAnswer(p, path); bp >= 0 && bp != s || d >= 0 && d != s {
				t.Errorf("pattern %q, path %q: dfa %d, bit-parallel %d, simulation %d", pattern, path, d, bp, s)
			}
			if bc := bitAnswer(pc, path); bc >= 0 && bc != s {
				t.Errorf("pattern %q, path %q: bit-parallel with chains %d, simulation %d", pattern, path, bc, s)
			}
		}
	}
	t.Logf("%d patterns, %d pairs, features %+v, with chains %+v", patterns, pairs, feat, chained)
	// The generator must keep reaching every part of the programs.
	if feat.backs < 20 || feat.jumps < 100 || feat.asserts < 100 || feat.looks < 50 || feat.levels < 100 || feat.selfLoops < 100 {
		t.Errorf("generated patterns reach too little: %+v", feat)
	}
	if chained.chains < 150 || chained.chainRows < 150 || chained.fixed < 2000 || chained.fixedTracks < 1000 {
		t.Errorf("generated patterns make too few chains: %+v", chained)
	}
}

// chainAtoms are items (and a few things that are not items: stars, tests) that runs of
// items are made of.
var chainAtoms = []string{"[ab]", "[abc]", "[!a]", "[a-c]", "[^b]", "?", "a", "b", "/", "{a,b}", "{a,bc}",
	"@(ab|b)", "@(a[ab]|b)", "+(a|b)", "+(ab|c)", "*(a)b", "?(a)b", "[ab]?", "{[ab],c}", "[[]", "[]a]",
	"\\[", "(a|[ab]c)", "(a|b)+", "(ab)?c", "[a]", "[[:alpha:]]", "[ab]*", "a*", "[ab]?(c)", "*(a|b)?",
	"\\d", "*", "\\b", "**"}

// genChainPattern returns a pattern with a long run of items, after and before a few
// common shapes.
func genChainPattern(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString([]string{"/+(a|b)*a", "/", "/**/", "*", "/!(", "(?=[ab[])", "", "/?(a)"}[r.IntN(8)])
	n := 2 + r.IntN(40)
	same := r.IntN(2) == 0 // one item repeated, or any mixture
	first := chainAtoms[r.IntN(len(chainAtoms)-4)]
	for i := 0; i < n; i++ {
		if same {
			b.WriteString(first)
		} else {
			b.WriteString(chainAtoms[r.IntN(len(chainAtoms))])
		}
	}
	b.WriteString([]string{"", "*", "/**", ")", "?", "b"}[r.IntN(6)])
	return b.String()
}

// chainPath returns a path likely to exercise the literal text of classes: "a", "b", "[",
// "]", "!", "c", "/" in random runs, with the text of whole classes now and then.
func chainPath(r *rand.Rand) string {
	var b strings.Builder
	b.WriteByte('/')
	n := r.IntN(120)
	for b.Len() < n {
		switch k := r.IntN(20); {
		case k < 2:
			b.WriteString([]string{"[ab]", "[abc]", "[!a]", "[a]", "[]a]", "[[]"}[r.IntN(6)])
		case k < 3:
			b.WriteByte("[]!c/.-"[r.IntN(7)])
		default:
			b.WriteByte("ab"[r.IntN(2)])
		}
	}
	return b.String()
}

// TestBitChainsGenerated checks the chains against the simulation on patterns made of long
// runs of items, including literal text of classes and items that differ in shape.
func TestBitChainsGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 17))
	var feat bitFeatures
	patterns, most := 0, 0
	for i := 0; i < 1500; i++ {
		pattern := genChainPattern(r)
		p, pc := compileChained(t, pattern)
		if p == nil {
			continue
		}
		patterns++
		feat.add(pc)
		most = max(most, chainTableWords(p), chainTableWords(pc))
		sample := newSampler(t, pattern)
		for k := 0; k < 16; k++ {
			path := chainPath(r)
			if k%2 == 1 {
				path = sample.path(r)
			}
			_, d, s := engineAnswers(p, path)
			bp, bc := bitAnswer(p, path), bitAnswer(pc, path)
			if bp >= 0 && bp != s || bc >= 0 && bc != s || d >= 0 && d != s {
				t.Errorf("pattern %q, path %q: dfa %d, bit-parallel %d, with chains %d, simulation %d", pattern, path, d, bp, bc, s)
			}
			if got := p.Match(path); got != (s == 1) && path != pattern {
				t.Errorf("Match(%q, %q) = %t, simulation %d", pattern, path, got, s)
			}
		}
	}
	t.Logf("%d patterns, features with chains %+v", patterns, feat)
	if most > maxChainWords {
		t.Errorf("a program's chains take %d words, more than maxChainWords", most)
	}
	if feat.chains < 250 || feat.chainRows < 150 || feat.fixed < 600 || feat.fixedTracks < 500 || feat.reps < 100 || feat.repForks < 30 || feat.tables < 100 {
		t.Errorf("generated patterns make too few chains: %+v", feat)
	}
}

// reducedAdversarial are the shapes of adversarialCases and adversarialExtra at a size the
// simulation answers quickly, with long enough runs to make delay lines.
func reducedAdversarial() []struct{ name, pattern string } {
	return []struct{ name, pattern string }{
		{"stars", strings.Repeat("*a", 12) + "*b"},
		{"globstars", strings.Repeat("/**/a", 8) + "/b"},
		{"nested-extglob", "/" + strings.Repeat("+(a|*(b|?(c", 5) + strings.Repeat(")))", 5)},
		{"extglob-chain", strings.Repeat("+(a|b)", 12)},
		{"negext-star", "/" + strings.Repeat("!(*a)", 6)},
		{"negext-globstar", "/!(" + strings.Repeat("a/", 20) + ")"},
		{"braces", "/" + strings.Repeat("{a,b,ab}", 12)},
		{"qmarks-extglob", "/+(a|b)*a" + strings.Repeat("?", 70)},
		{"qmarks-line-end", "/+(a|b)*a" + strings.Repeat("?", 64)},
		{"qmarks-lines", "/+(a|b)*a" + strings.Repeat("?", 65) + "b" + strings.Repeat("?", 66) + "/**"},
		{"literal-line", "/+(a|b)*" + strings.Repeat("a", 70) + "b"},
		{"class-chain", "/+(a|b)*a" + strings.Repeat("[ab]", 20)},
		{"class3-chain", "/+(a|b)*a" + strings.Repeat("[abc]", 20)},
		{"class-qmark-chain", "/+(a|b)*a" + strings.Repeat("[ab]?", 20)},
		{"negclass-chain", "/+(a|b)*a" + strings.Repeat("[!a]", 20)},
		{"pairs-class-chain", "/+(a|b)*a" + strings.Repeat("@(a[ab]|b)", 12)},
		{"mixed-class-chain", "/+(a|b)*a" + strings.Repeat("[ab][abc]?[a-c]{a,b}[!a]", 5)},
		{"negext-class-chain", "/!(" + strings.Repeat("[ab]", 20) + ")"},
		{"globstar-class-chain", "/**/" + strings.Repeat("[ab]", 20)},
		{"plus-class-chain", "/+(a|b)*a" + strings.Repeat("+([ab])", 14)},
		{"class-chain-long", "/+(a|b)*a" + strings.Repeat("[ab]", 70)},
		{"mixed-chain-long", "/*" + strings.Repeat("[ab]?{a,b}", 45) + "*"},
		{"loop-class-chain", "/+(a|b)*a" + strings.Repeat("@(+(a)b|[ab])", 10)},
		{"distinct-class-chain", "/+(a|b)*a" + distinctClasses(30)},
		{"qmarks-class-chain", "/+(a|b)*a" + strings.Repeat("?", 70) + strings.Repeat("[ab]", 20)},
		{"range-chain", "/+(a|b)*a" + strings.Repeat("[a-b]", 70)},
		{"chain-in-loop", "/+(" + strings.Repeat("[ab]", 20) + "|c)b"},
		{"chain-in-alt", "/*(" + strings.Repeat("[ab]", 20) + "|" + strings.Repeat("a?", 40) + ")b"},
		{"brace-chain", "/+(a|b)*a" + strings.Repeat("{a,b}", 70)},
		{"alt-chain", "/+(a|b)*a" + strings.Repeat("@(a|bc)", 15)},
		{"opt-chain", "/+(a|b)*a" + strings.Repeat("?(a|b)", 15)},
		{"star-ext-chain", "/+(a|b)*a" + strings.Repeat("*(a|b)?", 15)},
		{"nested-star-ext", "/" + strings.Repeat("*(a|*(b|", 6) + strings.Repeat("))", 6) + "a" + strings.Repeat("?", 66)},
		{"plus-concat", "/" + strings.Repeat("+(ab|c)", 10) + "?"},
		{"plus-test", "/+(a|b\\b)*a" + strings.Repeat("?", 20)},
		{"globstar-qmarks", strings.Repeat("/**/a?", 10)},
		{"ext-alts", "/+(" + strings.Repeat("a|", 40) + "b)*a" + strings.Repeat("?", 66)},
		{"negext-qmarks", "/!(a)*a" + strings.Repeat("?", 66)},
		{"lookahead-chain", "/" + strings.Repeat("(?=a)?", 70)},
		{"plus-concat-long", "/" + strings.Repeat("+(ab|c)", 30) + "?"},
		{"plus-wide", "/+(" + strings.Repeat("ab", 40) + "|b)*a?"},
		{"plus-wide-nested", "/+(a+(" + strings.Repeat("ba", 35) + ")|b)?"},
		{"opt-run-pairs", "/x*" + strings.Repeat("?(ab)", 40)},
		{"star-run-pairs", "/x" + strings.Repeat("*(ab)", 20) + "c"},
		{"nested-extglob-pairs", "/" + strings.Repeat("+(a|*(b|?(cd", 5) + strings.Repeat(")))", 5)},
		{"opt-run-exact", "/x" + strings.Repeat("?(ab)", 40) + "c"},
		{"opt-run-alts-exact", "/x" + strings.Repeat("?(a|bc)", 30) + "c"},
		{"opt-run-alts", "/+(a|b)*a" + strings.Repeat("?(a|bc)", 30)},
		{"opt-run-nullable", "/+(a|b)*a" + strings.Repeat("@(a|bc|?(d))", 30)},
		{"opt-run-triples", "/*" + strings.Repeat("?(abc)", 25) + "c"},
		{"opt-run-classes", "/+(a|b)*a" + strings.Repeat("?([ab])", 40)},
		{"opt-run-units", "/+(a|b)*a" + strings.Repeat("?(a|b)", 100)},
		{"opt-run-short", "/+(a|b)*a" + strings.Repeat("?(ab)", 3) + "b"},
		{"lines-slash", "/*a" + strings.Repeat("?", 64) + "/" + strings.Repeat("?", 70) + "/*"},
	}
}

func TestBitAgreesAdversarialReduced(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, c := range reducedAdversarial() {
		p, err := Compile(c.pattern)
		if err != nil {
			t.Fatalf("Compile(%q): %v", c.pattern, err)
		}
		if p.auto == nil || p.auto.main.bits == nil {
			t.Errorf("%s: no bit-parallel program", c.name)
			continue
		}
		sample := newSampler(t, c.pattern)
		for k := 0; k < 300; k++ {
			path := advPath(r, c.pattern, 40+r.IntN(200))
			if k%2 == 1 {
				path = sample.path(r)
			}
			_, d, s := engineAnswers(p, path)
			if bp := bitAnswer(p, path); bp != s || d >= 0 && d != s {
				t.Errorf("%s: pattern %q, path %q: dfa %d, bit-parallel %d, simulation %d", c.name, c.pattern, path, d, bp, s)
			}
			if got := p.Match(path); got != (s == 1) && path != c.pattern {
				t.Errorf("%s: Match(%q, %q) = %t, simulation %d", c.name, c.pattern, path, got, s)
			}
		}
	}
}

// advPath returns a path that an adversarial pattern has a fair chance to match: mostly
// "a" and "b", with a few other units and segments.
func advPath(r *rand.Rand, pattern string, n int) string {
	var b strings.Builder
	b.WriteByte('/')
	other := 20 + r.IntN(200) // one unit in other is "/", one "c" and one "."
	for i := 0; i < n; i++ {
		switch k := r.IntN(other); {
		case k == 0:
			b.WriteByte('/')
		case k == 1:
			b.WriteByte('c')
		case k == 2:
			b.WriteByte('.')
		case k < 20 || r.IntN(4) == 0 && strings.Contains(pattern, "b"):
			b.WriteByte('a')
		default:
			b.WriteByte('b')
		}
	}
	return b.String()
}

// TestBitSimplify pins the simplification the bit-parallel programs are built from.
func TestBitSimplify(t *testing.T) {
	tests := []struct{ src, want string }{
		{`(?:a|b)+`, `loop{0x61-0x62}`},
		{`(?:a|b|)`, `opt{unit{0x61-0x62}}`},
		{`(?:a|(?:b|c)*)*`, `opt{loop{0x61-0x63}}`},
		{`(?:a|bc)+`, `plus{alt{unit{0x61}|cat{unit{0x62}unit{0x63}}}}`},
		{`(?:(?:ab)?)+`, `opt{plus{cat{unit{0x61}unit{0x62}}}}`},
		{`a{2,3}`, `cat{unit{0x61}unit{0x61}opt{unit{0x61}}}`},
		{`(?:a?b?)?`, `cat{opt{unit{0x61}}opt{unit{0x62}}}`},
		{`(?:a|(?:bc)+)+`, `plus{alt{unit{0x61}|cat{unit{0x62}unit{0x63}}}}`},
		// A repeated body that may be empty: (y z)+ = (y|z)* when both may be empty.
		{`(?:a*b*)+`, `opt{loop{0x61-0x62}}`},
		{`(?:a*(?:bc)?)+`, `opt{plus{alt{unit{0x61}|cat{unit{0x62}unit{0x63}}}}}`},
		{`(?:a?(?:b+c?)?)+`, `opt{plus{alt{unit{0x61}|cat{loop{0x62}opt{unit{0x63}}}}}}`},
		{`(?:(?:a|b?)c?)+`, `opt{loop{0x61-0x63}}`},
		{`(?:a*\bb*)+`, `plus{cat{opt{loop{0x61}}test{}opt{loop{0x62}}}}`},
		// Neighbouring repetitions of one set.
		{`a*a*a?a*b`, `cat{opt{loop{0x61}}unit{0x62}}`},
		{`a?a*`, `opt{loop{0x61}}`},
		{`a+a?a*`, `loop{0x61}`},
		{`a*a+`, `loop{0x61}`},
		{`a+a+`, `cat{loop{0x61}loop{0x61}}`},
		{`a?a?b*b?`, `cat{opt{unit{0x61}}opt{unit{0x61}}opt{loop{0x62}}}`},
		{`(?:a|b)*?(?:b|a)*?`, `opt{loop{0x61-0x62}}`},
		// ... and of one body.
		{`(?:ab)*(?:ab)*(?:ab)?`, `opt{plus{cat{unit{0x61}unit{0x62}}}}`},
		{`(?:ab)?(?:ab)+c`, `cat{plus{cat{unit{0x61}unit{0x62}}}unit{0x63}}`},
		{`(?:ab)?(?:ab)?`, `cat{opt{cat{unit{0x61}unit{0x62}}}opt{cat{unit{0x61}unit{0x62}}}}`},
		{`(?:ab)+(?:ab)+`, `cat{plus{cat{unit{0x61}unit{0x62}}}plus{cat{unit{0x61}unit{0x62}}}}`},
		{`(?:ab)*(?:ba)*`, `cat{opt{plus{cat{unit{0x61}unit{0x62}}}}opt{plus{cat{unit{0x62}unit{0x61}}}}}`},
		// A repetition whose body matches each of its units alone is a loop of them.
		{`(?:a|(?:b|(?:c(?:a|(?:b|(?:c)?)*)+)?)*)+`, `opt{loop{0x61-0x63}}`},
		{`(?:a|b|d|cd?)+`, `loop{0x61-0x64}`},
		{`(?:a|b|cd?)+`, `plus{alt{unit{0x61-0x62}|cat{unit{0x63}opt{unit{0x64}}}}}`},
		{`(?:a|b|c(?:d|e)*)+`, `plus{alt{unit{0x61-0x62}|cat{unit{0x63}opt{loop{0x64-0x65}}}}}`},
		{`(?:a|b|c\bd?)+`, `plus{alt{unit{0x61-0x62}|cat{unit{0x63}test{}opt{unit{0x64}}}}}`},
		// Alternatives with the same first part.
		{`(?:a|ab)`, `cat{unit{0x61}opt{unit{0x62}}}`},
		{`(?:ab|ac)`, `cat{unit{0x61}unit{0x62-0x63}}`},
		{`(?:abc|abd|e)`, `alt{unit{0x65}|cat{unit{0x61}unit{0x62}unit{0x63-0x64}}}`},
		{`(?:a|b|ab)`, `alt{unit{0x61-0x62}|cat{unit{0x61}unit{0x62}}}`},
		// A loop inside a loop, whose alternatives are all among the outer loop's.
		{`(?:a|(?:b|(?:cd(?:a|(?:b|(?:cd)?)*)+)?)*)+`, `opt{plus{alt{unit{0x61-0x62}|cat{unit{0x63}unit{0x64}}}}}`},
		{`(?:a|b|(?:a|b)*c)+`, `loop{0x61-0x63}`},
		{`(?:ab|c(?:ab|c)*)+`, `plus{alt{unit{0x63}|cat{unit{0x61}unit{0x62}}}}`},
		{`(?:a|cd(?:a|e)*)+`, `plus{alt{unit{0x61}|cat{unit{0x63}unit{0x64}opt{loop{0x61 0x65}}}}}`},
		{`(?:a|cd(?:a|cd)+)+`, `plus{alt{unit{0x61}|cat{unit{0x63}unit{0x64}plus{alt{unit{0x61}|cat{unit{0x63}unit{0x64}}}}}}}`},
	}
	for _, tt := range tests {
		n, ok, _ := parseExpression(toUnits(tt.src), maxNesting)
		if !ok {
			t.Fatalf("parseExpression(%q) rejected", tt.src)
		}
		c := &compiler{a: &automaton{}, setIdx: map[string]int{}, predIdx: map[pred]int{}, lookIdx: map[string]int{}, limit: maxProgram}
		if got := bdump(c.bsimp(n)); got != tt.want {
			t.Errorf("bsimp(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

// bdump writes a simplified tree in a compact notation.
func bdump(x *bnode) string {
	var b strings.Builder
	var walk func(x *bnode)
	set := func(s unitSet) {
		for i, r := range s {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("0x" + strings.ToLower(strings.TrimLeft(hex16(r.lo), "0")))
			if r.hi != r.lo {
				b.WriteString("-0x" + strings.ToLower(strings.TrimLeft(hex16(r.hi), "0")))
			}
		}
	}
	walk = func(x *bnode) {
		name := [...]string{"unit", "loop", "test", "emp", "cat", "alt", "opt", "plus"}[x.kind]
		b.WriteString(name + "{")
		switch x.kind {
		case bUnit, bLoop:
			set(x.set)
		}
		for i, s := range x.subs {
			if i > 0 && x.kind == bAlt {
				b.WriteByte('|')
			}
			walk(s)
		}
		b.WriteByte('}')
	}
	walk(x)
	return b.String()
}

func hex16(u uint16) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[u>>12], digits[u>>8&15], digits[u>>4&15], digits[u&15]})
}

// sampler generates paths from a pattern's simplified tree: strings the expression would
// match if its zero-width tests all held, slightly mutated half of the time, so that long
// patterns get paths that match them or only just fail to.
type sampler struct {
	tree *bnode
}

func newSampler(t *testing.T, pattern string) *sampler {
	tr, terr := translate(toUnits(pattern))
	if terr != nil {
		t.Fatalf("translate(%q) failed", pattern)
	}
	tree, ok, _ := parseExpression(tr.source, maxNesting)
	if !ok {
		t.Fatalf("parseExpression(%q) rejected", pattern)
	}
	tree, _ = resolveBackrefs(tree)
	c := &compiler{a: &automaton{}, setIdx: map[string]int{}, predIdx: map[pred]int{}, lookIdx: map[string]int{}, limit: maxProgram}
	return &sampler{tree: c.bsimp(tree)}
}

func (s *sampler) path(r *rand.Rand) string {
	var u []uint16
	var walk func(x *bnode)
	unit := func(set unitSet) {
		if len(set) == 0 {
			return
		}
		for _, c := range "ab/.c-x" {
			if set.has(uint16(c)) && r.IntN(3) == 0 {
				u = append(u, uint16(c))
				return
			}
		}
		rg := set[r.IntN(len(set))]
		u = append(u, rg.lo+uint16(r.IntN(int(rg.hi-rg.lo)+1)))
	}
	walk = func(x *bnode) {
		switch x.kind {
		case bUnit:
			unit(x.set)
		case bLoop:
			for k := 1 + r.IntN(3); k > 0; k-- {
				unit(x.set)
			}
		case bConcat:
			for _, c := range x.subs {
				walk(c)
			}
		case bAlt:
			walk(x.subs[r.IntN(len(x.subs))])
		case bOpt:
			if r.IntN(2) == 0 {
				walk(x.subs[0])
			}
		case bPlus:
			for k := 1 + r.IntN(3); k > 0; k-- {
				walk(x.subs[0])
			}
		}
	}
	walk(s.tree)
	if r.IntN(2) == 0 && len(u) > 0 {
		i := r.IntN(len(u))
		switch r.IntN(3) {
		case 0:
			u[i] = uint16("ab/."[r.IntN(4)])
		case 1:
			u = append(u[:i], u[i+1:]...)
		default:
			u = append(u[:i], append([]uint16{uint16("ab/."[r.IntN(4)])}, u[i:]...)...)
		}
	}
	if len(u) == 0 {
		return "/"
	}
	return unitsString(u)
}

// TestBitDelayLineEdges places one unit outside a delay line's set at every position around
// the line's window, and checks where threads leave the line.
func TestBitDelayLineEdges(t *testing.T) {
	for _, n := range []int{64, 65, 70, 127, 128, 129} {
		for _, c := range []struct{ pattern, fill, kill string }{
			{"/*a" + strings.Repeat("?", n), "b", "/"},
			{"/+(a|b)*c" + strings.Repeat("a", n), "a", "b"},
			{"/*c" + strings.Repeat("?", n) + "/*", "x", "/"},
		} {
			p := MustCompile(c.pattern)
			if p.auto == nil || p.auto.main.bits == nil || len(p.auto.main.bits.lines) == 0 {
				t.Fatalf("%q: no delay line", c.pattern)
			}
			head := c.pattern[1:2]
			if head == "*" || head == "+" {
				head = "b"
			}
			for lead := 0; lead < 3; lead++ {
				for length := n - 2; length <= n+2; length++ {
					for kill := -1; kill < length; kill++ {
						var b strings.Builder
						b.WriteString("/" + strings.Repeat(head, lead) + c.pattern[len(c.pattern)-n-1:len(c.pattern)-n])
						for i := 0; i < length; i++ {
							if i == kill {
								b.WriteString(c.kill)
							} else {
								b.WriteString(c.fill)
							}
						}
						path := b.String()
						_, _, sim := engineAnswers(p, path)
						if bp := bitAnswer(p, path); bp != sim {
							t.Errorf("pattern %q, path %q: bit-parallel %d, simulation %d", short(c.pattern), path, bp, sim)
						}
					}
				}
			}
		}
	}
}

// TestBitDelayLineLastIn has threads enter a delay line at two steps of a block, after which
// the state empties, then holds the thread of the first entry for a step: the match waits
// on the last to leave the line.
func TestBitDelayLineLastIn(t *testing.T) {
	for _, n := range []int{70, 100, 130} {
		pattern := "/+(c)+(a|bbbbbbbbbb)" + strings.Repeat("?", n+1) + "x" // the first "?" makes the group lazy
		p := MustCompile(pattern)
		if bp := p.auto.main.bits; bp == nil || len(bp.lines) != 1 {
			t.Fatalf("%q: no delay line", short(pattern))
		}
		for cs := 1; cs < 200; cs++ {
			path := "/" + strings.Repeat("c", cs) + "abbbbbbbbbb" + strings.Repeat("d", n) + "x"
			_, _, sim := engineAnswers(p, path)
			if bp := bitAnswer(p, path); bp != 1 || sim != 1 {
				t.Errorf("pattern %q, path %q: bit-parallel %d, simulation %d, want 1", short(pattern), short(path), bp, sim)
			}
		}
	}
}

// TestBitChainWordEdges runs chains (and repetition lines) of about one and two words of
// items, on paths that leave or fail them near the ends of the words.
func TestBitChainWordEdges(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 23))
	for _, k := range []int{62, 63, 64, 65, 127, 128, 129} {
		for _, c := range []struct{ item, fill, kill string }{
			{"[ab]", "a", "c"},
			{"[ab]", "[ab]", "[a]"},
			{"{a,b}?", "ab", "/b"},
			{"[!a]", "!", "b"},
			{"@(a[ab]|b)", "a[ab]", "a["},
			{"@(+(a)b|[ab])", "aab[ab]", "[a"},
			{"+(a|b)[ab]", "ab[ab]", "a[a"},
		} {
			pattern := "/+(a|b)*c" + strings.Repeat(c.item, k) + "/*"
			p := MustCompile(pattern)
			if bp := p.auto.main.bits; bp == nil || len(bp.chains)+len(bp.fixes)+len(bp.reps) != 1 || strings.Contains(c.item, "+") && len(bp.chains) != 1 {
				t.Fatalf("%q: no chain", short(pattern))
			}
			for length := k - 2; length <= k+1; length++ {
				for kill := -1; kill < length; kill++ {
					if kill >= 2 && kill < length-3 && r.IntN(8) > 0 {
						continue
					}
					var b strings.Builder
					b.WriteString("/" + strings.Repeat("ab", r.IntN(3)) + "c")
					for i := 0; i < length; i++ {
						if i == kill {
							b.WriteString(c.kill)
						} else {
							b.WriteString(c.fill)
						}
					}
					b.WriteString([]string{"", "/", "/x", "x"}[r.IntN(4)])
					path := b.String()
					_, _, sim := engineAnswers(p, path)
					if bp := bitAnswer(p, path); bp != sim {
						t.Errorf("pattern %q, path %q: bit-parallel %d, simulation %d", short(pattern), short(path), bp, sim)
					}
				}
			}
		}
	}
}

// TestBitLoopAcrossWords places one repetition at every offset around a word boundary, with
// its way back made a jump and, through a test before its end, a backward move.
func TestBitLoopAcrossWords(t *testing.T) {
	defer setChainMin(1 << 30)() // the runs around the loop would be chains
	r := rand.New(rand.NewPCG(9, 9))
	for _, loop := range []string{"+(ab|c)", "+(ab(?=[abcy])|c)", "+(a+(bc)|d)", "+(" + strings.Repeat("ab", 40) + "|c)"} {
		for off := 40; off < 72; off++ {
			pattern := "/" + strings.Repeat("xy", off/2) + strings.Repeat("x", off%2) + loop + "y"
			p := MustCompile(pattern)
			bp := p.auto.main.bits
			if bp == nil || len(bp.jumps)+len(bp.backs) == 0 {
				t.Fatalf("%q: no way back", pattern)
			}
			sample := newSampler(t, pattern)
			for k := 0; k < 40; k++ {
				path := sample.path(r)
				_, _, sim := engineAnswers(p, path)
				if got := bitAnswer(p, path); got != sim {
					t.Errorf("pattern %q, path %q: bit-parallel %d, simulation %d", short(pattern), path, got, sim)
				}
			}
		}
	}
}

// TestMatchAllocsAdversarial checks that, once warm, Match allocates nothing on the
// adversarial shapes either: the bit-parallel programs' memory is in the pooled scratch,
// and the DFA caches stop growing at their bounds (which takes a pattern whose DFA keeps
// giving up hundreds of matches, as it is tried in one match out of dfaMissCost).
func TestMatchAllocsAdversarial(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops objects under the race detector")
	}
	if testing.Short() {
		t.Skip("slow")
	}
	for _, c := range adversarialCases {
		p := MustCompile(c.pattern)
		for i := 0; i < 1500; i++ {
			p.Match(c.path)
		}
		if n := testing.AllocsPerRun(100, func() { p.Match(c.path) }); n != 0 {
			t.Errorf("%s: Match allocates %.2f times per call, want 0", c.name, n)
		}
	}
}

// setChainMin makes runs of items of at least n slots chains, and returns the function that
// restores the threshold.
func setChainMin(n int) func() {
	old := chainMinSlots
	chainMinSlots = n
	return func() { chainMinSlots = old }
}

// chainTableWords returns the words the tables of the chains of p's main program take,
// as the budget maxChainWords counts them.
func chainTableWords(p *Pattern) int {
	bp := p.auto.main.bits
	if bp == nil {
		return 0
	}
	n := 0
	for _, g := range bp.chains {
		n += len(g.masks) + len(g.last) + len(g.terms)*3/2 + (len(g.termsOf)+len(g.leads))/2 + 2*len(g.fastE)/2
	}
	for _, g := range bp.fixes {
		n += len(g.masks) + 2*len(g.masks2) + len(g.one)/2
		for _, tr := range g.tracks {
			n += len(tr.tab) + len(tr.mask)/2
		}
	}
	return n
}

// TestFiniteWord checks the answers of finite lookarounds, filled in a word of positions at
// a time, against their test at each position.
func TestFiniteWord(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 37))
	checked := 0
	for i := 0; i < 3000; i++ {
		pattern := genPattern(r, 3)
		p, err := Compile(pattern)
		if err != nil || p.never || p.auto == nil || len(p.auto.finites) == 0 {
			continue
		}
		a := p.auto
		for k := 0; k < 6; k++ {
			in := toUnits(genPath(r, 150))
			s := newScratch(a)
			s.in = in
			for f := range a.finites {
				for j := 0; j <= len(in); j++ {
					checked++
					if got, want := a.finiteAt(s, f, j), a.finites[f].holds(a.sets, in, j); got != want {
						t.Fatalf("pattern %q, path %q: finite %d at %d: %t, want %t", pattern, unitsString(in), f, j, got, want)
					}
				}
			}
		}
	}
	if checked < 10000 {
		t.Errorf("only %d answers checked", checked)
	}
}

// TestBitPredSteps pins the steps before which programs test their predicates: those
// after which no thread reaches a test.
func TestBitPredSteps(t *testing.T) {
	for _, tt := range []struct {
		pattern string
		steps   int
	}{
		{"+(a|b)+(a|b)", 1}, // "(?=.)" at the start
		{"+(a|b)x*", 1},
		{"/!(a)b", 2},       // a lookahead after "/"
		{"/ab/!(x)", 5},     // after "/ab/"
		{"+(a|b)/!(x)", -1}, // after a repetition
		{"*(a|b)\\bx", -1},
		{"/" + strings.Repeat("?", 70) + "/!(x)", -1}, // after a delay line
	} {
		p := MustCompile(tt.pattern)
		bp := p.auto.main.bits
		if bp == nil || len(bp.preds) == 0 {
			t.Fatalf("%q: no bit-parallel program with predicates", tt.pattern)
		}
		if bp.predSteps != tt.steps {
			t.Errorf("%q: predSteps = %d, want %d", tt.pattern, bp.predSteps, tt.steps)
		}
	}
}

// TestBitAdditionOrder checks that additions come before those whose seeds they lead to,
// where no cycle forbids it: then no bit a round sets feeds an addition made before it, and
// a step takes one round.
func TestBitAdditionOrder(t *testing.T) {
	for _, pattern := range []string{
		"/+(a|b)*a" + strings.Repeat("?(a|b)", 100),
		"/x*" + strings.Repeat("?(ab)", 40),
		"/@(a|b?(c|d?(e)))*",
	} {
		p := MustCompile(pattern)
		bp := p.auto.main.bits
		if bp == nil || len(bp.static) == 0 {
			t.Fatalf("%q: no additions to check", pattern)
		}
		for i, e := range bp.static {
			if e.tgt&e.feed != 0 {
				t.Errorf("%q: addition entry %d (word %d) may set seeds %#x of an earlier one", pattern, i, e.w, e.tgt&e.feed)
			}
		}
	}
}

// TestBitOptChain checks which runs of optionals of one body become a source that threads
// may leave after a number of copies on (optChain): a repetition line for a body whose
// strings split a path into copies one way only, a fixed chain for another, and that the
// source keeps a block long.
func TestBitOptChain(t *testing.T) {
	for _, tt := range []struct {
		pattern string
		kind    string // "rep", "fixed" or "" for none
	}{
		{"/x*" + strings.Repeat("?(ab)", 40), "rep"},
		{"/+(a|b)*a" + strings.Repeat("?(a|bc)", 30), "rep"},
		{"/+(a|b)*a" + strings.Repeat("@(a|bc|?(d))", 30), "rep"},
		{"/+(a|b)*a" + strings.Repeat("?(a|ab)", 30), "rep"},   // "a" begins "ab", but "b" no string
		{"/+(a|b)*a" + strings.Repeat("?(a|aa)", 30), "fixed"}, // "a" ends "aa"
		{"/+(a|b)*a" + strings.Repeat("?(b|ab)", 30), "fixed"}, // "b" ends "ab"
		{"/+(a|b)*a" + strings.Repeat("?(a|b)", 100), "rep"},
		{"/+(a|b)*a" + strings.Repeat("?(a?)", 40), "rep"},
		{"/+(a|b)*a" + strings.Repeat("?(a[bc])", 30), "rep"},      // "a[bc]" too
		{"/+(a|b)*a" + strings.Repeat("?(ab)", 3) + "b", ""},       // too short
		{"/+(a|b)*a" + strings.Repeat("?(+(a)b)", 20) + "b", ""},   // not fixed
		{"/+(a|b)*a" + strings.Repeat("?(ab)?(ba)", 20) + "b", ""}, // not one body
	} {
		bp := MustCompile(tt.pattern).auto.main.bits
		kind, kmin := "", 0
		for i := range bp.fixes {
			n := 0
			for _, w := range bp.fixes[i].exitM {
				n += bits.OnesCount64(w)
			}
			if n > 1 {
				kind, kmin = "fixed", bp.fixes[i].kmin
			}
		}
		for _, rp := range bp.reps {
			if rp.lo < rp.hi {
				kind, kmin = "rep", rp.minLen*rp.lo
			}
		}
		if kind != tt.kind {
			t.Errorf("%q: source that threads may leave early: %q, want %q", tt.pattern, kind, tt.kind)
			continue
		}
		if kind != "" && (kmin < 8 || bp.block < 8 || bp.words != 1) {
			t.Errorf("%q: source holds threads for %d steps, block %d, %d words of state", tt.pattern, kmin, bp.block, bp.words)
		}
	}

	// Every count of copies, through the slots, the chain and past it, with the copies
	// picked at random among the body's strings.
	r := rand.New(rand.NewPCG(7, 11))
	for _, tt := range []struct {
		body string
		strs []string
		k    int
	}{
		{"?(ab)", []string{"ab"}, 40},
		{"?(a|bc)", []string{"a", "bc"}, 30},
		{"@(a|bc|?(d))", []string{"a", "bc", "d"}, 30},
		{"?(a|b)", []string{"a", "b"}, 100},
		{"?(abc)", []string{"abc"}, 25},
		{"?(a?)", []string{"ab", "ac"}, 40},
		{"?(a|ab)", []string{"a", "ab"}, 30},
		{"?(a|bcd|ef)", []string{"a", "bcd", "ef"}, 30},
		{"?([ab])", []string{"a", "b"}, 70},
		// A body of 27 slots: the chain takes every copy (m = 1).
		{"?(abcdefgh|ijklmnop|qrstuvwx)", []string{"abcdefgh", "ijklmnop", "qrstuvwx"}, 10},
	} {
		pattern := "/x" + strings.Repeat(tt.body, tt.k) + "c"
		p := MustCompile(pattern)
		for j := 0; j <= tt.k+2; j++ {
			var b strings.Builder
			b.WriteString("/x")
			for range j {
				b.WriteString(tt.strs[r.IntN(len(tt.strs))])
			}
			b.WriteString("c")
			path := b.String()
			want := j <= tt.k
			if got := p.Match(path); got != want {
				t.Errorf("Match(%q, %q) = %t, want %t", pattern, path, got, want)
			}
			p.auto.dfaMisses.Store(1 << 20) // the bit-parallel program alone
			if got := p.Match(path); got != want {
				t.Errorf("bit-parallel Match(%q, %q) = %t, want %t", pattern, path, got, want)
			}
			p.auto.dfaMisses.Store(0)
		}
	}
}

// TestBitAbsorbStars checks the loops nested in loops whose alternatives they repeat
// (absorbStars) against the state-set simulation: patterns nest "+(", "*(" and "?(" with
// alternatives picked among a few strings, so that some inner loops repeat outer
// alternatives and some do not, on paths made of those strings.
func TestBitAbsorbStars(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 19))
	tokens := []string{"a", "b", "cd", "c", "ab", "[ab]", "+(a)"}
	for range 400 {
		depth := 1 + r.IntN(6)
		var b strings.Builder
		b.WriteByte('/')
		for range depth {
			b.WriteString([]string{"+(", "*(", "@(", "?("}[r.IntN(4)])
			for range 1 + r.IntN(2) {
				b.WriteString(tokens[r.IntN(len(tokens))] + "|")
			}
			if r.IntN(2) == 0 {
				b.WriteString(tokens[r.IntN(3)])
			}
		}
		b.WriteString(strings.Repeat(")", depth))
		pattern := b.String()
		p, err := Compile(pattern)
		if err != nil {
			t.Fatalf("Compile(%q): %v", pattern, err)
		}
		if p.auto == nil || p.auto.main.bits == nil {
			continue
		}
		for range 40 {
			var path strings.Builder
			path.WriteByte('/')
			for range r.IntN(12) {
				path.WriteString([]string{"a", "b", "c", "d", "cd", "ab"}[r.IntN(6)])
			}
			_, d, s := engineAnswers(p, path.String())
			if bp := bitAnswer(p, path.String()); bp != s || d >= 0 && d != s {
				t.Errorf("pattern %q, path %q: dfa %d, bit-parallel %d, simulation %d", pattern, path.String(), d, bp, s)
			}
		}
	}
}

// TestBitRepLines checks which runs of copies of an item become repetition lines (an item
// of up to maxRepPeriod parts whose strings split a path one way only), and compares
// them with the state-set simulation on paths of copies, one of them sometimes spoiled.
func TestBitRepLines(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 31))
	for _, tt := range []struct {
		item  string
		strs  []string
		k     int
		lines bool
	}{
		{"[ab]", []string{"a", "b", "[ab]"}, 100, true},
		{"[ab]?", []string{"ab", "b/", "[ab]x"}, 80, true},
		{"/[ab]", []string{"/a", "/[ab]"}, 80, true},
		{"a?", []string{"ab", "ac"}, 80, true}, // one string
		{"ab[cd]?", []string{"abcx", "abd/", "ab[cd]-"}, 40, true},
		{"{a,b,ab}", []string{"a", "b", "ab"}, 100, false},       // "a" begins "ab"
		{"@(a|ba)", []string{"a", "ba"}, 100, false},             // "a" ends "ba"
		{"@(a|ab)", []string{"a", "ab"}, 100, true},              // "b" begins no string
		{"@(ab|abc|cd)", []string{"ab", "abc", "cd"}, 60, false}, // "c" begins a string
		{"@(a|abcdefghijklmno)", []string{"a", "abcdefghijklmno"}, 40, true},
	} {
		pattern := "/x*" + strings.Repeat(tt.item, tt.k) + "y"
		p := MustCompile(pattern)
		bp := p.auto.main.bits
		if got := bp != nil && len(bp.reps) == 1; got != tt.lines {
			t.Errorf("%q: repetition line %t, want %t", short(pattern), got, tt.lines)
		}
		for range 60 {
			var b strings.Builder
			b.WriteString("/x")
			n := tt.k - 2 + r.IntN(5)
			spoil := -1
			if r.IntN(2) == 0 {
				spoil = r.IntN(n)
			}
			for i := range n {
				s := tt.strs[r.IntN(len(tt.strs))]
				if i == spoil {
					s = s[:len(s)-1] + "!"
				}
				b.WriteString(s)
			}
			b.WriteString("y")
			path := b.String()
			_, _, sim := engineAnswers(p, path)
			if bp := bitAnswer(p, path); bp != sim {
				t.Errorf("pattern %q, path %q: bit-parallel %d, simulation %d", short(pattern), short(path), bp, sim)
			}
		}
	}
}

// TestBitDeferred checks which chains a one-word program defers (advancing them after the
// state has run a block, with the threads that entered them in it) and that deferring
// them, in every block or as the program chooses, answers as the simulation does.
func TestBitDeferred(t *testing.T) {
	loop, fixed := strings.Repeat("@(+(a)b|[ab])", 16), strings.Repeat("@(a[ab]|b)", 50)
	for _, tt := range []struct {
		pattern  string
		deferred []bool // per chain: those of rows, then the fixed ones
	}{
		{"/+(a|b)*a" + loop, []bool{true}},
		{"/+(a|b)*a" + loop + "c*", []bool{true}}, // the star after it leads back to no entry
		{"/*a" + fixed, []bool{true}},
		{"/*a" + fixed + "*b" + loop, []bool{true, false}},    // the fixed chain leads to the other
		{"/*a" + loop + "(?=b)" + fixed, []bool{false, true}}, // the chain of rows leads to the other
		{"/+(x" + loop + ")", []bool{false}},                  // the chain leads back to itself
		{"/*(x" + fixed + "|y)" + loop, []bool{true, false}},
	} {
		p := MustCompile(tt.pattern)
		bp := p.auto.main.bits
		if bp == nil || bp.words != 1 || len(bp.chains)+len(bp.fixes) != len(tt.deferred) {
			t.Errorf("%q: want a one-word program with %d chains", short(tt.pattern), len(tt.deferred))
			continue
		}
		for i, want := range tt.deferred {
			if got := bp.deferred>>(len(bp.lines)+i)&1 != 0; got != want {
				t.Errorf("%q: chain %d deferred %t, want %t", short(tt.pattern), i, got, want)
			}
		}
	}

	// A prefix whose state changes with every unit, and threads leaving the chain in most
	// blocks that the "*(abc)" after it keeps (life and quick do not drop them): the state
	// must be run again from the right step.
	for _, n := range []int{10, 31, 40} {
		pattern := "/+(abc)" + strings.Repeat("@(abc|c)", n) + "*(abc)"
		p := MustCompile(pattern)
		if bp := p.auto.main.bits; bp == nil || bp.deferred == 0 {
			t.Errorf("%q: no chain deferred", short(pattern))
			continue
		}
		for m := n + 1; m < n+60; m += 7 {
			path := "/" + strings.Repeat("abc", m) // matches
			for _, mode := range []int{1, 0} {
				deferMode = mode
				got := bitAnswer(p, path)
				deferMode = 0
				if got != 1 {
					t.Errorf("pattern %q, path %q, deferring %d: bit-parallel %d, want 1", short(pattern), short(path), mode, got)
				}
			}
		}
	}

	r := rand.New(rand.NewPCG(37, 41))
	patterns, deferring := 0, 0
	for i := 0; i < 400; i++ {
		pattern := genChainPattern(r)
		p, pc := compileChained(t, pattern)
		if p == nil {
			continue
		}
		patterns++
		if bp := pc.auto.main.bits; bp != nil && bp.deferred != 0 {
			deferring++
		}
		for k := 0; k < 12; k++ {
			path := chainPath(r)
			_, _, s := engineAnswers(p, path)
			for _, mode := range []int{1, -1, 0} {
				deferMode = mode
				bp, bc := bitAnswer(p, path), bitAnswer(pc, path)
				deferMode = 0
				if bp >= 0 && bp != s || bc >= 0 && bc != s {
					t.Errorf("pattern %q, path %q, deferring %d: bit-parallel %d, with chains %d, simulation %d", pattern, path, mode, bp, bc, s)
				}
			}
		}
	}
	if deferring < patterns/4 {
		t.Errorf("%d of %d generated patterns defer a chain", deferring, patterns)
	}
}

// TestBitChainHead checks that a chain of rows leaves the few items that differ from the
// copies making the rest of it to the slots.
func TestBitChainHead(t *testing.T) {
	for _, tt := range []struct {
		pattern string
		k       int // the items of the chain
	}{
		{"/+(a|b)*a" + strings.Repeat("@(+(a)b|[ab])", 20), 20},
		{"/x" + strings.Repeat("@(+(a)b|[ab])", 20), 20},
		{"/+(a)b" + strings.Repeat("@(+(a)b|[ab])", 20), 20},
		{"/+(a)b" + strings.Repeat("@(+(a)b|[ab])", 7), 7},
		// More than four items differ ("/", "+(a|b)*", "a", "+(c)", "+(d)"; "/" and
		// six of "+(a)" and "b"): one chain of them all.
		{"/+(a|b)*a+(c)+(d)" + strings.Repeat("@(+(a)b|[ab])", 20), 25},
		{"/" + strings.Repeat("+(a)b", 6) + strings.Repeat("@(+(a)b|[ab])", 20), 33},
	} {
		bp := MustCompile(tt.pattern).auto.main.bits
		if bp == nil || len(bp.chains) != 1 {
			t.Errorf("%q: want one chain of rows", short(tt.pattern))
			continue
		}
		if k := bp.chains[0].k; k != tt.k {
			t.Errorf("%q: a chain of %d items, want %d", short(tt.pattern), k, tt.k)
		}
	}
}

// TestBitChainCopies runs chains of rows of two words whose items are alike, which step
// without masks (waveCopies, or in registers where a block has at most three rows
// active), against the simulation: every count of copies around the
// words' edges, on paths of their strings with a thread killed here and there.
func TestBitChainCopies(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 47))
	// Random paths for each pattern; fewer under the race detector, where the test took
	// most of the package's ten minutes.
	trials := 40
	if raceEnabled {
		trials = 8
	}
	for _, c := range []struct {
		item string
		strs []string
	}{
		{"@(+(a)b|[ab])", []string{"a", "b", "ab", "aab", "[ab]"}},
		{"@(+(a)b|[ab]|c)", []string{"ab", "aab", "a[ab]", "bc"}},
		{"@(a|+(b)c)", []string{"a", "bc", "bbc"}},
		{"@(+(ab)|a)", []string{"a", "ab", "abab"}}, // last positions in two rows
		{"@(+(a)|b)", []string{"a", "b", "aa"}},
		{"+(a)b", []string{"ab", "aab"}}, // copies of two items, one of the chain each
		{"+(a|b)c", []string{"ac", "bc", "abc"}},
	} {
		for _, k := range []int{65, 66, 100, 127, 128, 129, 200, 256} {
			for _, end := range []string{"", "c", "/*", "c*"} {
				pattern := "/+(a|b)*a" + strings.Repeat(c.item, k) + end
				p := MustCompile(pattern)
				bp := p.auto.main.bits
				if bp == nil || len(bp.chains) != 1 || bp.chains[0].copies == nil {
					t.Errorf("%q: no chain of copies", short(pattern))
					continue
				}
				// Exactly k copies, one of each string in turn: the threads cross every
				// word of the rows.
				var exact strings.Builder
				exact.WriteString("/ba")
				for i := range k {
					exact.WriteString(c.strs[i%len(c.strs)])
				}
				path := exact.String() + strings.TrimSuffix(end, "*")
				if _, _, sim := engineAnswers(p, path); bitAnswer(p, path) != sim || end == "" && sim != 1 {
					t.Errorf("pattern %q, path %q: bit-parallel %d, simulation %d", short(pattern), short(path), bitAnswer(p, path), sim)
				}
				for range trials {
					var b strings.Builder
					b.WriteString("/a")
					n := k - 3 + r.IntN(8)
					for i := range n {
						s := c.strs[r.IntN(len(c.strs))]
						switch {
						case i == n/2 && r.IntN(3) == 0:
							s = "/"
						case r.IntN(8) == 0:
							s += "c" // where threads leave the chain in the middle, one may go on
						}
						b.WriteString(s)
					}
					b.WriteString([]string{"", "c", "/", "/x", "x"}[r.IntN(5)])
					path := b.String()
					_, _, sim := engineAnswers(p, path)
					for _, mode := range []int{1, -1} {
						for _, regs := range []bool{true, false} {
							deferMode, copiesInRegs = mode, regs
							got := bitAnswer(p, path)
							deferMode, copiesInRegs = 0, true
							if got != sim {
								t.Errorf("pattern %q, path %q, deferring %d, in registers %t: bit-parallel %d, simulation %d", short(pattern), short(path), mode, regs, got, sim)
							}
						}
					}
				}
			}
		}
	}
}

// TestBitChainRegs runs chains of copies whose blocks keep different rows busy, on paths
// made of runs of one string each, as long as a block or longer: the blocks that run in
// registers change rows and classes from one to the next (from a new scratch, which has
// not met any, or one that a match left threads in), and some hand threads in a high word
// only to a block of other classes.
func TestBitChainRegs(t *testing.T) {
	// A class first met in a later block than the others, with the same rows busy.
	pattern := "/+(a|b)*a" + strings.Repeat("@(a|+(b)c)", 100)
	path := "/ba" + strings.Repeat("a", 61) + strings.Repeat("b", 70) + "c" + strings.Repeat("a", 38)
	if got := bitAnswer(MustCompile(pattern), path); got != 1 {
		t.Errorf("pattern %q, path %q: bit-parallel %d, want a match", short(pattern), short(path), got)
	}
	// Threads that complete the literal text "[ab]" of the class of "@(+(a)b|[ab])" only
	// where it starts with "[", and only into the row of the class: "]" ends every other
	// thread, and "[ab]b" takes two items.
	cases := []struct {
		k    int
		path string
	}{
		{70, "/ba" + strings.Repeat("a", 70) + "ab]"},
		{71, "/ba" + strings.Repeat("[ab]b", 40)},
		{80, "/ba" + strings.Repeat("[ab]b", 40)},
	}
	for k := 60; k < 75; k++ { // a "]" not after "[ab", in a block that has one that is
		cases = append(cases, struct {
			k    int
			path string
		}{k, "/ba" + strings.Repeat("a", 62) + "[ab]" + strings.Repeat("a", 5) + "ab]"})
	}
	for _, c := range cases {
		p := MustCompile("/+(a|b)*a" + strings.Repeat("@(+(a)b|[ab])", c.k))
		if _, _, sim := engineAnswers(p, c.path); bitAnswer(p, c.path) != sim || c.k == 80 && sim != 1 {
			t.Errorf("%d copies, path %q: bit-parallel %d, simulation %d", c.k, short(c.path), bitAnswer(p, c.path), sim)
		}
	}
	r := rand.New(rand.NewPCG(61, 67))
	for _, c := range []struct {
		item string
		strs []string
	}{
		{"@(+(ab)|a)", []string{"a", "ab", "b", "abab", "aab"}},
		{"@(+(ab)|c)", []string{"a", "ab", "b", "c", "abc"}},
		{"+(a)b", []string{"a", "b", "ab", "aab"}},
		{"@(+(a)|b)", []string{"a", "b", "ba"}},
		{"@(a|+(b)c)", []string{"a", "b", "c", "bc", "abc"}},
		{"@(+(a)b|[ab])", []string{"a", "b", "ab", "[ab]", "[", "]"}}, // a string: the class's literal text
		{"@(+(a)b|[abc])", []string{"a", "b", "ab", "[abc]", "[ab", "c]", "[a"}},
		{"@(+(a)b|[a])", []string{"a", "b", "ab", "[a]", "[", "a]"}},
		{"@(+(ab)|[ab])", []string{"a", "b", "ab", "[ab]", "[a"}}, // a string, and three other rows
		{"[ab]*", []string{"a", "b", "[ab]", "[a", "b]", "c"}},    // a string, and one other row
		{"[ab]+(c)", []string{"a", "b", "[ab]", "c", "[ab]c"}},    // a string into the row before the loop
	} {
		for _, k := range []int{70, 130, 200} {
			pattern := "/+(a|b)*a" + strings.Repeat(c.item, k) + "c*"
			var p *Pattern
			for i := range 80 {
				if i%4 == 0 {
					p = MustCompile(pattern) // whose scratch has not met any row or class yet
				}
				var b strings.Builder
				b.WriteString("/ba")
				for b.Len() < 2*k {
					s := c.strs[r.IntN(len(c.strs))]
					for range 1 + r.IntN(200/len(s)) {
						b.WriteString(s)
					}
				}
				path := b.String()[:k+r.IntN(k)]
				_, _, sim := engineAnswers(p, path)
				for _, regs := range []bool{true, false} {
					copiesInRegs = regs
					got := bitAnswer(p, path)
					copiesInRegs = true
					if got != sim {
						t.Errorf("pattern %q, path %q, in registers %t: bit-parallel %d, simulation %d", short(pattern), short(path), regs, got, sim)
					}
				}
			}
		}
	}
}

// TestWaveRegsString1 checks the kernel for one row besides a string against the one for
// two rows, given the same random state with the second row empty. Its only users,
// chains of "[ab]*", go through their string where the star of the copy before could
// instead, so their answers cannot tell whether it is right.
func TestWaveRegsString1(t *testing.T) {
	r := rand.New(rand.NewPCG(71, 73))
	const nclass = 5
	ones := func() uint64 { return -uint64(r.IntN(2)) }
	for range 2000 {
		k := 2 + r.IntN(maxString-1)
		mats := make([][regRows][regRows + 1]uint64, nclass)
		cond := make([]uint64, nclass)
		for c := range mats {
			mats[c][0][0], mats[c][0][3] = ones(), ones()
			cond[c] = r.Uint64() & (1<<k - 1)
		}
		cls := make([]uint8, 1+r.IntN(64))
		for i := range cls {
			cls[i] = uint8(r.IntN(nclass))
		}
		var x [regRows][2]uint64
		x[0] = [2]uint64{r.Uint64(), r.Uint64()}
		var ring [maxString][2]uint64
		for i := range ring {
			ring[i] = [2]uint64{r.Uint64(), r.Uint64()}
		}
		var le [2]uint64
		if w := r.IntN(3); w < 2 {
			le[w] = 1 << r.IntN(64)
		}
		la, cin := ones(), r.Uint64()
		x1, x2, ring1, ring2 := x, x, ring, ring
		ia := ones() // the row is the string's into, or not
		cout1, ex1, d1 := waveRegsString1(&x1, mats, la, le, cin, cls, &ring1, cond, k, ia)
		cout2, ex2, d2 := waveRegsString(&x2, mats, &[regRows]uint64{la}, le, cin, cls, &ring2, cond, k, [2]uint64{ia, 0})
		if x1 != x2 || ring1 != ring2 || cout1 != cout2 || ex1 != ex2 || d1 != d2 {
			t.Fatalf("k %d, %d steps: one row %x %x %x %x %x, two rows %x %x %x %x %x", k, len(cls), x1[0], cout1, ex1, d1, ring1, x2[0], cout2, ex2, d2, ring2)
		}
	}
}

// TestChainString finds the strings of chains of copies from their terms: rows that
// threads only pass through, from the start of the items on.
func TestChainString(t *testing.T) {
	type term struct{ c, src, dst int }
	const S = chainStart
	for _, tt := range []struct {
		name  string
		rows  int
		last  uint32
		terms []term
		want  []int    // the string's rows then into, nil for none
		cond  []uint64 // per class, the units of the string it may be
	}{
		{"literal text", 5, 1, []term{{0, S, 0}, {0, S, 1}, {0, 1, 1}, {1, 1, 0}, {2, S, 2}, {0, 2, 3}, {1, 3, 4}, {3, 4, 0}}, []int{2, 3, 4, 0}, []uint64{0b10, 0b100, 0b1, 0b1000}},
		{"two classes a unit", 3, 1, []term{{0, S, 0}, {1, S, 1}, {2, S, 1}, {0, 1, 2}, {1, 2, 0}}, []int{1, 2, 0}, []uint64{0b10, 0b101, 0b1, 0}},
		{"a row of it last", 4, 1 | 1<<2, []term{{0, S, 0}, {1, S, 1}, {0, 1, 2}, {1, 2, 3}, {2, 3, 0}}, []int{1, 2}, nil},
		{"a row of it looping", 4, 1, []term{{0, S, 0}, {1, S, 1}, {0, 1, 2}, {1, 2, 2}, {1, 2, 3}, {2, 3, 0}}, []int{1, 2}, nil},
		{"a row of it taking from two", 4, 1, []term{{0, S, 0}, {1, S, 1}, {0, 1, 2}, {2, 0, 2}, {1, 2, 3}, {2, 3, 0}}, []int{1, 2}, nil},
		{"a row of it giving to two", 4, 1, []term{{0, S, 0}, {1, S, 1}, {0, 1, 2}, {0, 1, 3}, {1, 2, 0}, {2, 3, 0}}, nil, nil},
		{"none from the start", 3, 1, []term{{0, S, 0}, {1, 0, 1}, {2, 1, 2}, {0, 2, 0}}, nil, nil},
	} {
		cc := &chainCopies{nclass: 4}
		for _, tm := range tt.terms {
			cc.ops[tm.c] |= uint64(tm.src<<4|tm.dst) << (8 * cc.nops[tm.c])
			cc.nops[tm.c]++
		}
		var got []int
		if st := cc.stringOf(tt.rows, tt.last); st != nil {
			got = append(slices.Clone(st.rows), st.into)
			if tt.cond != nil && !slices.Equal(st.cond, tt.cond) {
				t.Errorf("%s: the units of the string by class %b, want %b", tt.name, st.cond, tt.cond)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: string %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestBitSourceCut matches paths whose only way through a source at the end of the pattern
// enters it as early as may matter: its longest strings, then the tail, end the path.
func TestBitSourceCut(t *testing.T) {
	r := rand.New(rand.NewPCG(53, 59))
	for _, c := range []struct {
		body, long string
		k          int
	}{
		{"@(a[ab]|b)", "a[ab]", 60}, // a fixed chain
		{"[ab]", "[ab]", 100},       // a repetition line
		{"?(a|bc)", "bc", 100},      // a repetition line of optionals
		{"?", "x", 200},             // a delay line
		{"@(a|bcd|ef)", "bcd", 70},  // a fixed chain, strings of three lengths
	} {
		for _, tail := range []string{"", "c", "/", "c?", "c??"} { // "?" right after ")" would make the group optional
			pattern := "/*a" + strings.Repeat(c.body, c.k) + tail
			p := MustCompile(pattern)
			bp := p.auto.main.bits
			if bp == nil || bp.words != 1 || len(bp.srcSlot) == 0 {
				t.Errorf("%q: want a one-word program with a source", short(pattern))
				continue
			}
			if si := len(bp.srcSlot) - 1; bp.life[si] < 0 || bp.span[si] < 0 {
				t.Errorf("%q: life %d, span %d", short(pattern), bp.life[si], bp.span[si])
			}
			for range 6 {
				var b strings.Builder
				b.WriteString("/")
				for b.Len() < 200+r.IntN(300) {
					b.WriteByte("ab"[r.IntN(2)])
				}
				b.WriteString("a" + strings.Repeat(c.long, c.k) + strings.ReplaceAll(tail, "?", "z"))
				path := b.String()
				_, _, sim := engineAnswers(p, path)
				for _, mode := range []int{0, 1, -1} {
					deferMode = mode
					got := bitAnswer(p, path)
					deferMode = 0
					if got != 1 || sim != 1 {
						t.Errorf("pattern %q, path %q, deferring %d: bit-parallel %d, simulation %d, want 1", short(pattern), short(path), mode, got, sim)
					}
				}
			}
		}
	}
}
