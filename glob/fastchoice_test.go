package glob

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFastChoices checks the programs buildChoices makes against the simulation, on
// patterns of blocks whose braces have more combinations than the fast matchers expand,
// and on paths with and without breaks.
func TestFastChoices(t *testing.T) {
	// Pieces of blocks, each with texts it matches.
	type piece struct {
		pat  string
		inst []string
	}
	pieces := []piece{
		{"{a,b}", []string{"a", "b"}}, {"{a,bc}", []string{"a", "bc"}}, {"{x?,y}", []string{"xa", "y", "x\n"}},
		{"{a*,b}", []string{"a", "axx", "b", "a\n"}}, {"[ab]", []string{"a", "[ab]"}}, {"?", []string{"a", "\n", "é"}},
		{"*", []string{"", "xy"}}, {"c", []string{"c"}}, {"{,d}", []string{"", "d"}}, {"{.a,b}", []string{".a", "b"}},
		{"{e/f,g}", []string{"e/f", "g"}}, {"{h,{i,j}k}", []string{"h", "ik", "jk"}}, {"{😀,?}", []string{"😀", "a"}},
		{"{a,b,c,d,e,f}", []string{"c", "f"}}, {"{[ab],c}", []string{"[ab]", "b", "c"}},
		{"{?x,[^a]y}", []string{"ax", "ay", "by"}},
		// Runs of units of a set, and optionals.
		{"*(a)", []string{"", "a", "aaa"}}, {"+(a|\n)b", []string{"ab", "a\nab", "b"}},
		{"*(a|é)*(b)", []string{"aéb", "bb", "é"}}, {"+([ab])", []string{"abba", "[ab]"}},
		{"?(a)b", []string{"b", "ab"}}, {"?(a|xy)", []string{"", "a", "xy"}}, {"x*+(a)", []string{"xyaa", "xa"}},
		{"!(a)b", []string{"b", "cb", "ab", "xyb"}}, {"x!(a|\n)", []string{"x", "xb", "xa", "x\n"}},
		{"!([ab])?(c)", []string{"", "c", "ac", "dd"}},
		// Gaps every alternative starts or ends with, and (last) gaps that differ.
		{"{/**/a?,/**/bc}", []string{"/x/ab", "/bc", "/a\n", "/.x/bc"}},
		{"{x?/**/,y/**/}z", []string{"xa/z", "y/q/z", "x\n/z", "y/.q/z"}},
		{"{/**/{a,b}?,/**/c}", []string{"/x/aa", "/bb", "/c"}},
		{"{/**/a,/**/a/**/b}", []string{"/x/a", "/a/b"}},
	}
	gaps := []string{"/**/", "/**/", "/**/", "/", "**/", "/**"}
	pathGaps := []string{"/", "/x/", "/x/y/", "/é/", "/\n/", "/.a/", "/a\u2028/"}
	r := rand.New(rand.NewPCG(11, 3))
	n := randomCount(3000, 600)
	// Endings: those of posTails, and blocks that may match the empty string, after a
	// middle globstar that may then match the end.
	tails := append([][2]string{{"/**/*(e)", "/ee"}, {"/**/{,c}", ""}, {"/**/?(e)*(f)", "/f"},
		{"/!(a)", "/a"}, {"/**/x!(ab|cd)", "/xab"}, {"*!(a|\n)", "b\n"}}, posTails...)
	var last []piece
	choices, paths, decided, matched, safe := 0, 0, 0, 0, 0
	for i := 0; i < n; i++ {
		var pb, qb strings.Builder
		for k := r.IntN(12) + 2; k > 0; k-- {
			gap := gaps[r.IntN(len(gaps))]
			if pb.Len() == 0 || strings.HasSuffix(pb.String(), "/") || strings.HasSuffix(pb.String(), "**") {
				gap = "/**/"
			}
			pb.WriteString(gap)
			switch gap {
			case "/**/":
				qb.WriteString(pathGaps[r.IntN(3+r.IntN(2)*4)])
			case "/**":
				qb.WriteString("/xy")
			case "**/":
				qb.WriteString("x/")
			default:
				qb.WriteString(gap)
			}
			// The pieces of the block before again, a time in four: equal blocks.
			if r.IntN(4) > 0 || len(last) == 0 {
				last = last[:0]
				for j := r.IntN(3) + 1; j > 0; j-- {
					last = append(last, pieces[r.IntN(len(pieces))])
				}
			}
			for _, pc := range last {
				pb.WriteString(pc.pat)
				qb.WriteString(pc.inst[r.IntN(len(pc.inst))])
			}
		}
		tail := tails[r.IntN(len(tails))]
		pb.WriteString(tail[0])
		qb.WriteString(tail[1])
		p, err := Compile(pb.String())
		if err != nil || p.fast == nil || !p.fast.choices {
			continue
		}
		choices++
		// Four paths: the last with a long segment inside, so that the sets of positions
		// take words.
		for v := range 4 {
			path := qb.String()
			if k := strings.LastIndexByte(path[:r.IntN(len(path))+1], '/'); v == 3 && k >= 0 {
				path = path[:k] + "/" + strings.Repeat("y", 70+r.IntN(70)) + path[k:]
			}
			path = mutatePath(r, path, r.IntN(3)/2)
			paths++
			if globstarSafe(path) {
				safe++
			}
			if f := fastVsSim(t, pb.String(), p, path); f >= 0 {
				decided++
				matched += f
			}
		}
	}
	if choices < n/7 || decided < paths*9/10 || matched < decided/10 || safe < paths/10 {
		t.Errorf("%d of %d with choices, %d paths, %d decided, %d matched, %d without breaks: the test needs more of each", choices, n, paths, decided, matched, safe)
	}
	t.Logf("%d of %d with choices, %d paths, %d decided, %d matched, %d without breaks", choices, n, paths, decided, matched, safe)
}

// TestFastLiveEnd checks sequences whose middle globstar may match the end of the path,
// where everything after it matches nothing there: posProg tests the end before the "/"
// that globstar starts with.
func TestFastLiveEnd(t *testing.T) {
	for _, c := range []struct {
		pattern string
		paths   map[string]int
	}{
		{"/**/x/**/*(a)", map[string]int{"/y/x": 1, "/y/x/aa": 1, "/y/x/b": 0, "/y/xa": 0, "/y/x/": 1, "/y/x\n": 0}},
		{"/**/x/**/{,a}", map[string]int{"/y/x": 1, "/y/x/a": 1, "/y/x/b": 0, "/y/x/q/a": 1}},
		{"/**/!(a)?/**/!(a)?", map[string]int{"/y/b": 1, "/y/a": 0, "/y/b/c": 1, "/y/b/a": 0, "/y/ba/a/c": 1}},
		{"/**/x*/**/?(b)/**/!(c)x", map[string]int{"/y/xa/b/dx": 1, "/y/xa": 0, "/y/x/b/cx": 0}},
		{"/**/x/**/+(a)/**/*(b)", map[string]int{"/y/x/a": 1, "/y/x/a/b": 1, "/y/x": 0, "/y/x/a/c": 0}},
		// An end of the first block in the first words, and the end of the path far after:
		// the block needs every position.
		{"/**/x*/**/*(a)", map[string]int{"/y/x/" + strings.Repeat("c", 200) + "/xzz": 1, "/y/x/" + strings.Repeat("c", 200) + "/zz": 0}},
		// Blocks equal in every sample but the last, whose globstar after them may match
		// the end: they are different kinds.
		{"/**/x/**/{a,bb}/**/{a,bb}/**/{,c}", map[string]int{"/q/x/bb/bb": 1, "/q/x/a/bb": 1, "/q/x/a/bb/c": 1, "/q/x/a": 0}},
		// The block with the end test stops before the end of the path (a "/." break),
		// where an earlier block with alternatives left an end in its row.
		{"/**/{q,.x}/**/{a,bb}*/**/k/**/{c,dd}/**/*(e)", map[string]int{"/z/q/bb/k/c/.x/" + strings.Repeat("y", 80) + "/bb/": 0, "/z/q/bb/k/c/ee": 1}},
		// "+(c*)" needs a "c", "!(a)+" nothing: the globstar before the first is dead.
		{"x/**/*(a)+(c*)!(a|b)?*", map[string]int{"x": 0, "x/c": 1, "x/y/aacz": 1, "x/a": 0}},
		{"x/**/*(a)!(a)+", map[string]int{"x": 1, "x/b": 1, "x/ab": 1}},
	} {
		p := MustCompile(c.pattern)
		if p.fast == nil || p.fast.merged == nil {
			t.Errorf("%q: no program", c.pattern)
			continue
		}
		checkAnswers(t, p, c.pattern, c.paths)
	}
}

// TestFastUnitBraces checks that braces of single units are one unit of a set, and stay
// alternatives where one of them is "/", which a unit of a set never is.
func TestFastUnitBraces(t *testing.T) {
	for _, c := range []struct {
		pattern string
		seqs    int
		paths   map[string]int
	}{
		{"/x/{a,b,c}y", 1, map[string]int{"/x/ay": 1, "/x/cy": 1, "/x/dy": 0, "/x/{a,b,c}y": 1}},
		{"/x/{a,/}y", 2, map[string]int{"/x/ay": 1, "/x//y": 1, "/x/by": 0}},
		{"/**/{a,é,😀}", 3, map[string]int{"/q/a": 1, "/q/é": 1, "/q/😀": 1, "/q/b": 0}},
	} {
		p := MustCompile(c.pattern)
		if p.fast == nil || len(p.fast.seqs) != c.seqs {
			t.Errorf("%q: fast matcher %v; want %d sequences", c.pattern, p.fast != nil, c.seqs)
			continue
		}
		for path, want := range c.paths {
			if got := b2i(p.Match(path)); got != want {
				t.Errorf("Match(%q, %q) = %d, want %d", c.pattern, path, got, want)
			}
			if f, _, s := engineAnswers(p, path); f != s {
				t.Errorf("pattern %q, path %q: fast matcher %d, simulation %d", c.pattern, path, f, s)
			}
		}
	}
}

// TestFastNotTail checks the negated extglob that ends a pattern, "!(ab)": the units from
// there to the end are not its text.
func TestFastNotTail(t *testing.T) {
	for _, c := range []struct {
		pattern string
		paths   map[string]int
	}{
		{"/**/x/!(a)", map[string]int{"/q/x/a": 0, "/q/x/b": 1, "/q/x/ab": 1, "/q/x/": 1}},
		{"/**/x/!(ab)", map[string]int{"/q/x/ab": 0, "/q/x/a": 1, "/q/x/abc": 1, "/q/x/b": 1}},
		{"/**/x*!(a)", map[string]int{"/q/xa": 1, "/q/xba": 1, "/q/x": 1}},
		{"/**/x/!(a|b)", map[string]int{"/q/x/b": 0, "/q/x/c": 1}},
		{"/**/x/!(@(a|b)c)", map[string]int{"/q/x/bc": 0, "/q/x/ac": 0, "/q/x/cc": 1, "/q/x/b": 1}},
		{"/**/x/!(é😀)", map[string]int{"/q/x/é😀": 0, "/q/x/😀": 1, "/q/x/é": 1}},
		{strings.Repeat("/**/a?", 3) + "/!(a)", map[string]int{"/q/ab/ab/ab/a": 0, "/q/ab/ab/ab/b": 1, "/q/ab/ab/ab/ab": 1}},
	} {
		p := MustCompile(c.pattern)
		if p.fast == nil || !p.fast.choices {
			t.Errorf("%q: no program of choices", c.pattern)
			continue
		}
		checkAnswers(t, p, c.pattern, c.paths)
	}
}

// checkAnswers reports an error for each path whose simulation's answer is not the one
// paths gives, or that the fast matcher does not decide the same.
func checkAnswers(t *testing.T, p *Pattern, pattern string, paths map[string]int) {
	t.Helper()
	for path, want := range paths {
		f, _, s := engineAnswers(p, path)
		if s != want || f != s {
			t.Errorf("pattern %q, path %q: fast matcher %d, simulation %d; want %d", pattern, path, f, s, want)
		}
	}
}

// choicesProgram compiles pattern, and returns it when one program of choices decides it
// (fastMatcher.choices), or nil.
func choicesProgram(t *testing.T, pattern string) *Pattern {
	t.Helper()
	p, err := Compile(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if p.fast == nil || !p.fast.choices {
		return nil
	}
	return p
}

// TestFastTextStar checks runs of repetitions of a text ("*(ab)", "+(a?c)") against the
// simulation, with paths whose runs of the text cross the words of positions at every
// offset.
func TestFastTextStar(t *testing.T) {
	type star struct {
		pat  string
		text []string // texts one repetition matches
	}
	stars := []star{
		{"*(ab)", []string{"ab"}}, {"+(ab)", []string{"ab"}}, {"*(a?)", []string{"ab", "a\n", "aé"}},
		{"+(x?w)", []string{"xyw", "xzw", "x\nw"}}, {"*(é😀)", []string{"é😀"}}, {"*(a\nb)", []string{"a\nb"}},
		{"+(abcdefghijklmnopqrstuvwxyz0123)", []string{"abcdefghijklmnopqrstuvwxyz0123"}},
		{"*(ab|cd)", []string{"ab", "cd"}}, {"+(ab|c?)", []string{"ab", "cx", "c\n"}},
		{"+(abcde|fgh??)", []string{"abcde", "fghij"}}, {"*(xy|z.|😀)", []string{"xy", "z.", "😀"}},
		{"*(a.)", []string{"a."}}, {"*(abcd)", []string{"abcd"}}, {"+(a?b?)", []string{"axby", "a\nb."}}, {"*(a?b?c?)", []string{"axbycz", "a\nb\nc."}},
		// Texts of different widths (mixedPass): two, then more, up to 32 units wide.
		{"*(a|bc)", []string{"a", "bc"}}, {"+(a|bc)", []string{"a", "bc"}}, {"*(a|ab)", []string{"a", "ab"}},
		{"+(a?|b)", []string{"ax", "b", "a\n", "ab"}}, {"+([ab])", []string{"a", "b", "[ab]"}},
		{"*(ba|a|abab)", []string{"ba", "a", "abab"}}, {"+(é|😀x|ab)", []string{"é", "😀x", "ab"}},
		{"*(x|abcdefghijklmnopqrstuvwxyz012345)", []string{"x", "abcdefghijklmnopqrstuvwxyz012345"}},
		// Repetitions inside repetitions, as automata of texts (autoPass).
		{"*(x+(a|bc))", []string{"xa", "xbca", "xabc"}}, {"+(a*(b|cd))", []string{"a", "ab", "acdb"}},
		{"*(+(ab)c)", []string{"abc", "ababc"}}, {"+(x*(a))", []string{"x", "xaa", "xaaaaaaaaaaaaaaaaaaaaaaaaaa"}},
		{"*(a?(bc)+(d))", []string{"ad", "abcdd"}}, {"+(@(a|bb)*(c|dd))", []string{"a", "bbcdd", "ac"}},
		{"*(x*(?|é)y)", []string{"xy", "xaéy", "x😀y"}}, {"+(a+(b+(c)))", []string{"abc", "abbcc", "abcbc"}},
	}
	afters := [][2]string{{"", ""}, {"c", "c"}, {"?", "z"}, {"*", "zz"}, {"a", "a"}, {"b*(c)", "bcc"},
		{"*(ab)", "abab"}, {"[ab]", "b"}, {"*", ""}}
	r := rand.New(rand.NewPCG(5, 17))
	n := randomCount(1500, 300)
	progs, paths, decided, matched := 0, 0, 0, 0
	for i := 0; i < n; i++ {
		var pb, qb strings.Builder
		for k := r.IntN(5) + 1; k > 0; k-- {
			pb.WriteString("/**/")
			qb.WriteString([]string{"/q/", "/q/", "/", "/x\n/"}[r.IntN(3+b2i(qb.Len() > 0))])
			s := stars[r.IntN(len(stars))]
			after := afters[r.IntN(len(afters))]
			pb.WriteString(s.pat + after[0])
			// 0 to 80 repetitions, so that runs cross words.
			reps := r.IntN(81)
			if reps == 0 && s.pat[0] == '+' {
				reps = 1
			}
			for ; reps > 0; reps-- {
				qb.WriteString(s.text[r.IntN(len(s.text))])
			}
			qb.WriteString(after[1])
		}
		if r.IntN(2) == 0 {
			pb.WriteString("/**")
		}
		p := choicesProgram(t, pb.String())
		if p == nil {
			continue
		}
		progs++
		for v := range 3 {
			path := mutatePath(r, qb.String(), v)
			paths++
			if f := fastVsSim(t, pb.String(), p, path); f >= 0 {
				decided++
				matched += f
			}
		}
	}
	if progs < n*9/10 || decided < paths*9/10 || matched < decided/10 {
		t.Errorf("%d of %d with programs, %d paths, %d decided, %d matched: the test needs more of each", progs, n, paths, decided, matched)
	}
	t.Logf("%d of %d with programs, %d paths, %d decided, %d matched", progs, n, paths, decided, matched)
}

// TestFastOptStar checks, against the simulation, the repetitions whose body is fixed
// units and a star ("!(a)?", "*(a*)"), which match as the body once or not at all, and
// patterns of one block without a globstar that only posProg runs.
func TestFastOptStar(t *testing.T) {
	items := [][]string{{"!(a)?", "", "b", "bca", "a"}, {"!(a|b)?", "c", "", "ca"}, {"@(a*)?", "", "a", "abc"},
		{"*(b*)", "", "bb", "bxa"}, {"+(c*)", "c", "cab"}, {"!(a)*", "", "bx"}, {"!(a)+", "", "ca"},
		{"@(ab*)+", "ab", "abxy"}, {"*(.*)", "", ".x"}, {"x", "x"}, {"?", "a", "\n"}, {"*", "", "abc"},
		{"+(ab)", "ab", "abab"}, {"*(a)", "", "aa"}, {"!(a)", "", "b", "bc"}, {"[ab]", "a", "[ab]"},
		{"a", "a"}, {"b", "b"},
		// Texts that do not follow, and bodies with fixed tokens after their star.
		{"!(ab)x", "x", "bx", "abx", "aax"}, {"!(ab)?", "", "ba", "ab"}, {"*(a*b)", "", "ab", "axxb", "ba"},
		{"?(*a)", "", "a", "xya", "ab"}, {"+(*a)", "a", "bba"}, {"!(a*)b", "b", "cb", "ab"},
		{"*(!(ab))", "", "b", "ab"}, {"@(a*b)?", "", "ab", "acb"}, {"!(a?c)", "", "abc", "abd", "x"},
		// Lookaheads with stars: "!(*a)" is (?![^/]*?a), and at the end of the pattern
		// (?![^/]*?a$); "!(a*)" at the end is (?!a[^/]*?$).
		{"!(*a)", "", "b", "ba", "bb"}, {"!(*ab)c", "c", "bc", "abc", "aac"}, {"!(a*)", "", "b", "ab"},
		// Runs of a set's units then one unit, repeated: "(?:[ab]*b)?".
		{"*(*(a)b)", "", "b", "aab", "abab", "ba", "xb"}, {"+(*([ab])c)", "c", "abcc", "cba", "acbc", "xc"},
		{"*(*(a)[bc])", "", "abac", "ca", "cc", "dc"},
		{"!(a*b)", "", "ab", "ac", "b"}, {"!(*.js)", "", "x.ts", "x.js", ".js"},
		// Runs of units in alternatives ("*(a|*(b))" is "[ab]*"), and a lookahead of
		// the end, which never holds in the last segment ("!(*)" at the end).
		{"*(a|*(b))", "", "ab", "bba", "c"}, {"+(a|*(b))c", "c", "abc", "bc"}, {"!(*)", "", "a"},
		// Optional texts, of one width or several.
		{"?(a)", "", "a"}, {"?(ab|c)", "", "ab", "c", "a"}, {"?(a?|bcd|😀)x", "x", "abx", "bcdx", "😀x", "bx"},
		{"?(.a)", "", ".a"}, {"?(a|b|c|d)", "", "c"}}
	heads := [][]string{{"", ""}, {"", ""}, {"/**/", "/q/", "/"}, {"x/**/", "x/", "x/y/"}, {"/", "/"}, {"**/", "q/", ""}}
	r := rand.New(rand.NewPCG(8, 1))
	n := randomCount(3000, 600)
	progs, single, paths, decided, matched := 0, 0, 0, 0, 0
	for i := 0; i < n; i++ {
		var pb, qb strings.Builder
		h := heads[r.IntN(len(heads))]
		pb.WriteString(h[0])
		qb.WriteString(h[1+r.IntN(len(h)-1)])
		for k := r.IntN(8) + 1; k > 0; k-- {
			it := items[r.IntN(len(items))]
			pb.WriteString(it[0])
			inst := it[1+r.IntN(len(it)-1)]
			if r.IntN(5) == 0 {
				// A long run, across words.
				inst += strings.Repeat(inst[len(inst)/2:], 60)
			}
			qb.WriteString(inst)
		}
		if r.IntN(4) == 0 {
			pb.WriteString("/**")
			qb.WriteString("/z")
		}
		p := choicesProgram(t, pb.String())
		if p == nil {
			continue
		}
		progs++
		if !strings.Contains(pb.String(), "**") {
			single++
		}
		for v := range 4 {
			path := mutatePath(r, qb.String(), v/2)
			paths++
			if f := fastVsSim(t, pb.String(), p, path); f >= 0 {
				decided++
				matched += f
			}
		}
	}
	if progs < n/4 || single < progs/4 || decided < paths*9/10 || matched < decided/10 {
		t.Errorf("%d of %d with programs (%d without globstars), %d paths, %d decided, %d matched: the test needs more of each", progs, n, single, paths, decided, matched)
	}
	t.Logf("%d of %d with programs (%d without globstars), %d paths, %d decided, %d matched", progs, n, single, paths, decided, matched)
}

// TestShapeBound checks that shape tells the shapes the fast matchers look for from
// longer ones, and that the dump of a deep node is cut.
func TestShapeBound(t *testing.T) {
	for _, s := range []string{dumpGS, dumpNoDot, dumpOneChar, dumpStar, dumpOptSlash, dumpTail, dumpMid, dumpMidEnd, dumpMidNoEnd, dumpLead} {
		if len(s) > maxShape {
			t.Errorf("shape %q is longer than maxShape (%d)", s, maxShape)
		}
	}
	deep := &node{op: opUnit, set: single('a')}
	for range 200 {
		deep = &node{op: opRepeat, min: 0, max: 1, subs: []*node{deep}}
	}
	if s, d := shape(deep), dump(deep); len(s) <= maxShape || len(s) > len(d)/4 {
		t.Errorf("shape of a deep node: %d bytes, dump %d", len(s), len(d))
	}
}

// TestFastEndLook checks patterns whose last block may hold a lookahead that fails at
// the end of the path ("!(*)" there is (?![^/]*?$)): the globstar before it is not live,
// and a fast matcher, where there is one, answers as the simulation does.
func TestFastEndLook(t *testing.T) {
	for _, c := range []struct {
		pattern string
		paths   map[string]int
	}{
		{"x/**/!(*)", map[string]int{"x": 0, "x/a": 0, "x/a/": 0}},
		{"x/**/{a,!(*)}", map[string]int{"x": 0, "x/a": 1, "x/q/a": 1, "x/b": 0}},
		{"x/**/{,!(*)}", map[string]int{"x": 1, "x/a": 0}},
		{"x/**/!(*a)", map[string]int{"x": 1, "x/b": 1, "x/ba": 0}},
		// Before more of the pattern, (?![^/]*?) never holds: nothing matches but the
		// pattern itself.
		{"x!(*)y", map[string]int{"xy": 0, "xay": 0}},
		{"/**/!(*)x", map[string]int{"/x": 0, "/a/x": 0, "/a/ax": 0}},
	} {
		p := MustCompile(c.pattern)
		if !p.Match(c.pattern) {
			t.Errorf("%q does not match itself", c.pattern)
		}
		for path, want := range c.paths {
			if f, _, s := engineAnswers(p, path); s != want || f >= 0 && f != s {
				t.Errorf("pattern %q, path %q: fast matcher %d, simulation %d; want %d", c.pattern, path, f, s, want)
			}
		}
	}
}

// TestFastOptTextWords checks optional texts that end in the word after the one they
// start in, where the block's last word must count their width. (Five optionals make
// 32 sequences, more than the other fast matchers take: only a program takes the
// pattern.)
func TestFastOptTextWords(t *testing.T) {
	for _, n := range []int{57, 58, 59, 121} {
		pattern := strings.Repeat("?(q)y", 5) + strings.Repeat("?", n) + "?(ab|c)"
		p := choicesProgram(t, pattern)
		if p == nil {
			t.Fatalf("%q: no program", pattern)
		}
		x := "yyyyy" + strings.Repeat("x", n)
		checkAnswers(t, p, pattern, map[string]int{x: 1, x + "ab": 1, x + "c": 1, x + "a": 0, x + "abc": 0})
	}
}
