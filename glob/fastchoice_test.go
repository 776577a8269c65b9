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
	n := 3000
	if testing.Short() || raceEnabled {
		n = 600
	}
	choices, decided, matched, safe := 0, 0, 0, 0
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
			for j := r.IntN(3) + 1; j > 0; j-- {
				pc := pieces[r.IntN(len(pieces))]
				pb.WriteString(pc.pat)
				qb.WriteString(pc.inst[r.IntN(len(pc.inst))])
			}
		}
		tail := posTails[r.IntN(len(posTails))]
		pb.WriteString(tail[0])
		qb.WriteString(tail[1])
		p, err := Compile(pb.String())
		if err != nil || p.fast == nil || !p.fast.choices {
			continue
		}
		choices++
		path := mutatePath(r, qb.String(), r.IntN(3)/2)
		if globstarSafe(path) {
			safe++
		}
		if f := fastVsSim(t, pb.String(), p, path); f >= 0 {
			decided++
			matched += f
		}
	}
	if choices < n/7 || decided < choices*9/10 || matched < decided/10 || safe < choices/10 {
		t.Errorf("%d of %d with choices, %d decided, %d matched, %d without breaks: the test needs more of each", choices, n, decided, matched, safe)
	}
	t.Logf("%d of %d with choices, %d decided, %d matched, %d without breaks", choices, n, decided, matched, safe)
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
	} {
		p := MustCompile(c.pattern)
		if p.fast == nil || p.fast.merged == nil {
			t.Errorf("%q: no program", c.pattern)
			continue
		}
		for path, want := range c.paths {
			f, _, s := engineAnswers(p, path)
			if s != want || f != s {
				t.Errorf("pattern %q, path %q: fast matcher %d, simulation %d; want %d", c.pattern, path, f, s, want)
			}
		}
	}
}
