package glob

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestPosOnly runs the fast matcher's tests with posProg.run deciding every sequence of
// blocks on a path with breaks. Under the race detector, which finds nothing in a run on
// one goroutine, it leaves out the random ones (about 40 s without it).
// reducedRandom makes the random tests take their short counts (randomCount) while
// TestPosOnly runs them again with posProg alone.
var reducedRandom bool

// randomCount returns full, or short in short mode, under the race detector, or while
// reducedRandom is set.
func randomCount(full, short int) int {
	if testing.Short() || raceEnabled || reducedRandom {
		return short
	}
	return full
}

func TestPosOnly(t *testing.T) {
	defer func(m int) { posMode = m }(posMode)
	posMode = posOnly
	defer func() { reducedRandom = false }()
	reducedRandom = true
	for _, c := range []struct {
		name   string
		f      func(*testing.T)
		random bool
	}{
		{"FastRandom", TestFastRandom, true}, {"FastZones", TestFastZones, true},
		{"FastZoneMemo", TestFastZoneMemo, true}, {"FastZoneMixed", TestFastZoneMixed, true},
		{"FastZoneReach", TestFastZoneReach, true}, {"FastEdges", TestFastEdges, false},
		{"FastStar", TestFastStar, false}, {"FastClassLit", TestFastClassLit, false},
		{"EnginesAgree", TestEnginesAgree, false},
	} {
		if c.random && raceEnabled {
			continue
		}
		t.Run(c.name, c.f)
	}
}

// TestPosLong checks posProg.run against the simulation on long patterns and paths, whose
// sets of positions take many words: carries cross words, pieces are up to 63 units wide,
// and the bounds a block looks at (line terminators left, the next break) move.
func TestPosLong(t *testing.T) {
	// Blocks, each with texts it matches.
	type blk struct {
		pat  string
		inst []string
	}
	blocks := []blk{
		{"a?", []string{"ab", "a\n", "aé", "a😀"}}, {"a*b", []string{"ab", "aab", "a\nb", "axyb"}},
		{"*a", []string{"a", "ba", "\na"}}, {"[ab]", []string{"a", "[ab]"}}, {"?b/", []string{"ab/", "\nb/"}},
		{"a/b", []string{"a/b"}}, {"?\n", []string{"a\n"}}, {"😀?", []string{"😀a"}}, {"é*", []string{"é", "éab"}},
		{"a*?*?", []string{"aab", "a\n\n", "abcd"}}, {strings.Repeat("a", 70), []string{strings.Repeat("a", 70)}},
		{"[ab]*?", []string{"ab", "[ab]b"}}, {".a", []string{".a"}}, {"*/?", []string{"x/a", "/a"}},
		{"?(a|b)b", []string{"b", "ab"}}, {"ab*", []string{"ab", "abab\n"}},
		{"{a,b}?", []string{"ab", "b\n"}}, {"x{c,de}", []string{"xc", "xde"}},
	}
	// Gaps a globstar takes, and (last) a few it cannot.
	gaps := []string{"/", "/x/", "/x/y/", "/é/", "/", "/x/", "/\n/", "/.a/", "/a\u2028/"}
	defer func(m int) { posMode = m }(posMode)
	posMode = posOnly
	r := rand.New(rand.NewPCG(5, 9))
	n := randomCount(1500, 300)
	decided, matched, long, merged := 0, 0, 0, 0
	for i := 0; i < n; i++ {
		var pb, qb strings.Builder
		// Half the paths have no fillers between the blocks' texts, and no gap a globstar
		// cannot take: the long patterns then match more often.
		clean := r.IntN(2) == 0
		for k := r.IntN(40) + 1; k > 0; k-- {
			b := blocks[r.IntN(len(blocks))]
			pb.WriteString("/**/" + b.pat)
			gap := func() string {
				if r.IntN(8) == 0 && !clean {
					return gaps[r.IntN(len(gaps))]
				}
				return gaps[r.IntN(4)]
			}
			for j := r.IntN(6) * b2i(!clean); j > 0; j-- {
				qb.WriteString(gap())
				qb.WriteString(blocks[r.IntN(len(blocks))].inst[0])
			}
			qb.WriteString(gap())
			qb.WriteString(b.inst[r.IntN(len(b.inst))])
		}
		tail := posTails[r.IntN(len(posTails))]
		pb.WriteString(tail[0])
		qb.WriteString(tail[1])
		p, err := Compile(pb.String())
		if err != nil || p.fast == nil {
			continue
		}
		path := mutatePath(r, qb.String(), r.IntN(4)/3)
		if len(path) > 256 {
			long++
		}
		if p.fast.merged != nil {
			merged++
		}
		if f := fastVsSim(t, pb.String(), p, path); f >= 0 {
			decided++
			matched += f
		}
	}
	if decided < n/4 || matched < decided/10 || merged < decided/20 {
		t.Errorf("%d of %d decided, %d matched, %d merged: the test needs more of each", decided, n, matched, merged)
	}
	t.Logf("%d decided, %d matched, %d paths over 256 bytes, %d alternatives merged", decided, matched, long, merged)
}

// posTails are endings of patterns of blocks, each with a text it matches.
var posTails = [][2]string{{"", ""}, {"/**", "/x/y"}, {"/", "/"}, {"*", "ab"}, {"?", "a"}}

// TestPosBounds checks posProg.run where a block's last positions lie in the word after
// the one its start's break is in: the words a block looks at must reach them.
func TestPosBounds(t *testing.T) {
	defer func(m int) { posMode = m }(posMode)
	posMode = posOnly
	for _, c := range []struct {
		pattern, path string
	}{
		// "?" takes the line terminator at 59 or 60, then the class's text (one token,
		// fClassLit, where it ends the pattern) ends at 64 or 65.
		{"/**/?[ab]", "/" + strings.Repeat("a", 57) + "/\n[ab]"},
		{"/**/?[ab]", "/" + strings.Repeat("a", 58) + "/\n[ab]"},
		// A star after the break runs to the next "/", in the next word.
		{"/**/?*b/**/z", "/" + strings.Repeat("a", 57) + "/\n" + strings.Repeat("c", 10) + "b/z"},
		// A piece of 63 units and another after it.
		{"/**/" + strings.Repeat("a", 70) + "/**/z*", "/x/" + strings.Repeat("a", 70) + "/z\n"},
	} {
		p := MustCompile(c.pattern)
		f, _, s := engineAnswers(p, c.path)
		if s != 1 || f != s {
			t.Errorf("pattern %q, path %q: fast matcher %d, simulation %d; want 1", c.pattern, c.path, f, s)
		}
	}
}

// TestPosMerged checks the one posProg of alternatives that are every combination of
// blocks, and that alternatives that are not stay apart.
func TestPosMerged(t *testing.T) {
	// A leading "/**/" needs a segment before the first block ("/**/b" does not match "/b").
	for _, c := range []struct {
		pattern string
		merged  bool
		paths   []string
	}{
		{"/**/{a,bb}?/**/{c,dd}?", true, []string{"/x/ax/ddx\n", "/x/bbx/cx/\n", "/x/a\n/ddy", "/x/a\n/.d/ddy", "/x/cx/ax\n"}},
		{"/**/a{x,yy}/**/{c,dd}", true, []string{"/x/ayy/dd\n", "/x/ax/\nc/dd", "/x/ayy/.x/c", "/x/ax/x/dd"}},
		// Alternatives of single units are one unit of a set: one sequence.
		{"/**/{a,b}?/**/{c,d}?", false, []string{"/x/ax/dx\n", "/x/bx/cx/\n", "/x/a\n/dy"}},
		// Not every combination: "a" then "d" is no match.
		{"{/**/a?/**/b,/**/c?/**/d}", false, []string{"/x/a\n/d", "/x/a\n/b", "/x/c\n/d", "/x/c\n/b"}},
		// As many alternatives as combinations, but not all of them.
		{"{/**/a?/**/b,/**/a?/**/b,/**/c?/**/d,/**/c?/**/d}", false, []string{"/x/a\n/d", "/x/c\n/b", "/x/a\n/b"}},
		// Alternatives of different lengths, or gaps.
		{"/**/{a,b/**/c}", false, []string{"/x/a\n", "/x/a", "/x/b/c\n", "/x/b\n/c", "/x/b/y/c"}},
		{"{/**/a?/**/b,/**/a?**b}", false, []string{"/x/a\n/b", "/x/a\nb", "/x/a\n/y/b"}},
		// Only one alternative consumes line terminators.
		{"/**/{a?,x}/**/{a?,x}/**/{a?,x}", true, []string{"/y/a\n/a\n/a\n", "/y/x/a\n/a\n", "/y/a\n/a\n/x"}},
		// The first alternative reaches the next word, the last does not.
		{"/**/?{" + strings.Repeat("a", 20) + ",b}/**/z", true, []string{"/" + strings.Repeat("x", 48) + "/\n" + strings.Repeat("a", 20) + "/z"}},
	} {
		p := MustCompile(c.pattern)
		if got := p.fast != nil && p.fast.merged != nil; got != c.merged {
			t.Errorf("%q: merged %t, want %t", c.pattern, got, c.merged)
		}
		matched := 0
		for _, path := range c.paths {
			f, _, s := engineAnswers(p, path)
			if f != s {
				t.Errorf("pattern %q, path %q: fast matcher %d, simulation %d", c.pattern, path, f, s)
			}
			matched += s
		}
		if matched == 0 {
			t.Errorf("%q: no path matches; the case tests nothing", c.pattern)
		}
	}
}

// TestPosFirstWords checks the blocks that, on a path without breaks, stop at the first
// words that hold an end: the words after them must not keep what the gap left there, and
// on a path with breaks, a later end must stay.
func TestPosFirstWords(t *testing.T) {
	defer func(m int) { posMode = m }(posMode)
	posMode = posOnly
	long := strings.Repeat("c", 200)
	for _, c := range []struct {
		pattern, path string
		want          int
	}{
		// "+(a)" makes a program of choices, which runs on every path. The gap after the
		// first block leaves every position; the second block starts at a segment only.
		{"/**/+(a)/**/b?", "/x/a/" + long + "bd", 0},
		{"/**/+(a)/**/b?", "/x/a/" + long + "/bd", 1},
		{"/**/+(a)/**/b?", "/x/" + long + "/a/bd", 1},
		{"/**/{a,b}{c,d}{e,f}/**/{g,h}{i,j}/**/k?", "/x/ace/gi/" + long + "k", 0},
		{"/**/{a,b}{c,d}{e,f}/**/{g,h}{i,j}/**/k?", "/x/ace/gi/" + long + "/kx", 1},
		// An end in the first words, and one after a line terminator that only it can
		// reach the rest from.
		{"/**/a?/**/c", "/y/ax/" + long + "/a\n/c", 1},
		{"/**/+(a)[^b]/**/c", "/y/ax/" + long + "/a\n/c", 1},
		{"/**/+(a)[^b]/**/c", "/y/ax/" + long + "/a\n/d", 0},
	} {
		p := MustCompile(c.pattern)
		f, _, s := engineAnswers(p, c.path)
		if s != c.want || f != s {
			t.Errorf("pattern %q, path %q: fast matcher %d, simulation %d; want %d", c.pattern, c.path, f, s, c.want)
		}
	}
}

// TestPosEndFromTail checks, against the simulation, the blocks before a middle globstar
// that may match the end, on paths without breaks: whether such a block leaves the end is
// decided by its run from a few segments before the end (posRun.endFrom), and blocks of the
// same kinds take that answer. The paths end inside any block, after many short segments
// (so that the blocks start in later words) and in a long last segment.
func TestPosEndFromTail(t *testing.T) {
	items := [][]string{
		{"*(a|bc)", "", "abc", "bca", "b"}, {"+(a|bc)", "a", "bcbc"}, {"*(ab)", "", "abab"},
		{"*(*(a)b)", "", "aab", "ba"}, {"*", "", "xyz"}, {"?(a)", "", "a"}, {"a*", "a", "axy"},
		{"*(a|bc|d)", "", "dabc"}, {"x/*(a|bc)", "x/abc", "x/"}, {"*(a|bc)b", "b", "abcb"},
		{"{a,bc}*", "a", "bcx"}, {"?(x/*(a|bc))", "", "x/abc", "x/"}, {"?(x/y/)*(a)", "x/y/aa", "a"},
		{"*(x+(a|bc))", "", "xabc", "xbcxa", "xx"}, {"+(a*(b|cd))", "a", "abcd", "acdab"},
	}
	r := rand.New(rand.NewPCG(3, 14))
	n := randomCount(3000, 600)
	progs, decided, matched := 0, 0, 0
	for i := 0; i < n; i++ {
		var pb, qb strings.Builder
		k := r.IntN(7) + 2
		used := r.IntN(k) + 1  // the blocks the path has segments for
		head := r.IntN(3) == 0 // a first block without a gap
		if !head {
			qb.WriteString("/q")
		} else if r.IntN(4) == 0 {
			qb.WriteString("z") // a first segment most first blocks do not match
		}
		for b := 0; b < k; b++ {
			it := items[r.IntN(len(items))]
			if r.IntN(3) == 0 && b > 0 {
				it = items[0] // equal blocks, which share an answer
			}
			if b > 0 || !head {
				pb.WriteString("/**/")
			}
			pb.WriteString(it[0])
			if b >= used {
				continue
			}
			for j := r.IntN(3) * r.IntN(40); j > 0; j-- {
				qb.WriteString("/q")
			}
			inst := it[1+r.IntN(len(it)-1)]
			if (b == used-1 || b == 0 && head) && r.IntN(2) == 0 && len(inst) > 1 {
				inst += strings.Repeat(inst[len(inst)/2:], r.IntN(150))
			}
			if b > 0 || !head {
				qb.WriteString("/")
			}
			qb.WriteString(inst)
		}
		p := choicesProgram(t, pb.String())
		if p == nil {
			continue
		}
		progs++
		for v := range 3 {
			path := mutatePath(r, qb.String(), v/2)
			if f := fastVsSim(t, pb.String(), p, path); f >= 0 {
				decided++
				matched += f
			}
		}
	}
	if progs < n*9/10 || decided < progs*2 || matched < decided/5 {
		t.Errorf("%d of %d with programs, %d decided, %d matched: the test needs more of each", progs, n, decided, matched)
	}
	t.Logf("%d of %d with programs, %d decided, %d matched", progs, n, decided, matched)
}

// randomRow returns n words, each the union of density random words.
func randomRow(r *rand.Rand, n, density int) []uint64 {
	w := make([]uint64, n)
	for j := range w {
		for range density {
			w[j] |= r.Uint64()
		}
	}
	return w
}

// TestMixedPass checks mixedPass, for two texts and for more, against a walk of the
// positions one at a time, on random rows of a few words.
func TestMixedPass(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 2))
	for i := range randomCount(20000, 4000) {
		n := r.IntN(4) + 1
		row := func(density int) []uint64 { return randomRow(r, n, density) }
		k := 2 + r.IntN(2)*r.IntN(maxMixedTexts-1) // texts, some of one unit
		masks := make([][]uint64, k)
		widths := make([]int, k)
		for j := range k {
			masks[j] = row(1 + r.IntN(3))
			widths[j] = 1 + r.IntN(4)
			if r.IntN(4) == 0 {
				widths[j] = 1 + r.IntN(maxTextStar)
			}
		}
		src, m := row(1), row(1)
		for j := range src {
			src[j] &= r.Uint64() & r.Uint64()
		}
		lo, width, plus := r.IntN(n), r.IntN(64), r.IntN(2) == 0
		for j := range lo {
			src[j] = 0
		}
		// The walk: the positions of the run, one after another.
		run := make([]bool, n*64+64)
		has := func(w []uint64, p int) bool { return p < n*64 && w[p>>6]>>(p&63)&1 != 0 }
		for p := range n * 64 {
			if has(src, p) && !plus {
				run[p] = true
			}
			if has(src, p) && plus || run[p] {
				for j := range k {
					if has(masks[j], p) {
						run[p+widths[j]] = true
					}
				}
			}
		}
		want := make([]uint64, n)
		for p := range n * 64 {
			if run[p] && has(m, p) && p+width < n*64 {
				want[(p+width)>>6] |= 1 << ((p + width) & 63)
			}
		}
		// The texts of one unit as one row, nil when there are none.
		var units []uint64
		var wide [][]uint64
		var ws []int
		for j := range k {
			if widths[j] > 1 {
				wide, ws = append(wide, masks[j]), append(ws, widths[j])
				continue
			}
			if units == nil {
				units = make([]uint64, n)
			}
			for x := range units {
				units[x] |= masks[j][x]
			}
		}
		if wide == nil {
			continue // not a run mixedPass takes
		}
		got := make([]uint64, n)
		mixedPass(got, src, units, wide, ws, m, lo, width, plus)
		for j := lo; j < n; j++ {
			if got[j] != want[j] {
				t.Fatalf("case %d: %d texts %v, plus %t, width %d, lo %d: word %d is %#x, want %#x",
					i, k, widths, plus, width, lo, j, got[j], want[j])
			}
		}
	}
}

// TestAutoPass checks autoPass, on random automata of texts, against a walk of the
// positions one at a time.
func TestAutoPass(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 3))
	for i := range randomCount(20000, 4000) {
		n, k := r.IntN(4)+1, r.IntN(6)+1
		row := func(density int) []uint64 { return randomRow(r, n, density) }
		all := uint32(1)<<k - 1
		pc := &posPiece{auto: true, keep: r.IntN(2) == 0, width: r.IntN(64),
			autoFirst: uint32(r.Uint64()) & all, autoLast: uint32(r.Uint64()) & all}
		masks := make([][]uint64, k)
		for j := range k {
			masks[j] = row(1 + r.IntN(3))
			w := 1 + r.IntN(3)
			if r.IntN(4) == 0 {
				w = 1 + r.IntN(maxTextStar)
			}
			pc.textWidths = append(pc.textWidths, w)
			pc.autoFollow = append(pc.autoFollow, uint32(r.Uint64())&uint32(r.Uint64())&all)
		}
		src, m := row(1), row(1)
		for j := range src {
			src[j] &= r.Uint64() & r.Uint64()
		}
		lo := r.IntN(n)
		for j := range lo {
			src[j] = 0
		}
		has := func(w []uint64, p int) bool { return p < n*64 && w[p>>6]>>(p&63)&1 != 0 }
		// The walk: after[j][p] when a match of the automaton's texts ends with text j at p.
		after := make([][]bool, k)
		for j := range after {
			after[j] = make([]bool, n*64+64)
		}
		step := func(from uint32, p int) {
			for j := range k {
				if from>>j&1 != 0 && has(masks[j], p) {
					after[j][p+pc.textWidths[j]] = true
				}
			}
		}
		want := make([]uint64, n)
		for p := range n * 64 {
			if has(src, p) {
				step(pc.autoFirst, p)
			}
			out := pc.keep && has(src, p)
			for j := range k {
				if after[j][p] {
					step(pc.autoFollow[j], p)
					out = out || pc.autoLast>>j&1 != 0
				}
			}
			if q := p + pc.width; out && has(m, p) && q < n*64 {
				want[q>>6] |= 1 << (q & 63)
			}
		}
		got := make([]uint64, n)
		autoPass(got, src, slices.Clone(masks), pc, m, lo)
		for j := lo; j < n; j++ {
			if got[j] != want[j] {
				t.Fatalf("case %d: %d texts %v, first %b, last %b, follow %b, keep %t, width %d, lo %d: word %d is %#x, want %#x",
					i, k, pc.textWidths, pc.autoFirst, pc.autoLast, pc.autoFollow, pc.keep, pc.width, lo, j, got[j], want[j])
			}
		}
	}
}
