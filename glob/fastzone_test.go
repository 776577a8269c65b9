package glob

import (
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestFastZones checks the fast matcher against the simulation on patterns of blocks
// between globstars and long paths with breaks (dot segments, line terminators), often more
// than zones holds inline: each path is made from its pattern, sometimes with a gap that
// holds a break, and then sometimes mutated.
func TestFastZones(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	type part struct {
		pat  string
		inst []string // what the path may hold for it
	}
	gapSegs := []string{"a", "b", "ab", "é", "a.b", ".a", "a\nb"}
	gap := func(lead, trail bool) string {
		var b strings.Builder
		k := r.IntN(4)
		for i := 0; i < k; i++ {
			if lead || i > 0 {
				b.WriteString("/")
			}
			s := gapSegs[r.IntN(len(gapSegs))]
			if r.IntN(40) != 0 {
				s = gapSegs[r.IntN(4)] // mostly segments a globstar can cross
			}
			b.WriteString(s)
		}
		if trail && k > 0 {
			b.WriteString("/")
		}
		return b.String()
	}
	blocks := []part{
		{"a", []string{"a"}}, {"ab", []string{"ab"}}, {".a", []string{".a"}},
		{"*", []string{"x", "", ".x", "a\nb", "é"}}, {"a*", []string{"a", "ab", "a\n"}},
		{"?", []string{"a", "\n", "é", "."}}, {"[!a]", []string{"b", "é", "a"}},
		{".b/a", []string{".b/a"}}, {"a/.b", []string{"a/.b"}}, {"*/.a", []string{"x/.a", "/.a"}},
		{"a\n", []string{"a\n"}},
		{".b/a", []string{".b/a"}}, {"a/.b", []string{"a/.b"}}, {".a", []string{".a"}},
	}
	decided, matched, many, noFast := 0, 0, 0, 0
	n := randomCount(3000, 600)
	for i := 0; i < n; i++ {
		var pb strings.Builder
		var pieces []string // of the path, one a part
		for k := r.IntN(120) + 1; k > 0; k-- {
			if r.IntN(3) == 0 {
				pb.WriteString("/")
				pieces = append(pieces, "/")
			} else {
				pb.WriteString("/**/")
				pieces = append(pieces, "/"+gap(false, true))
			}
			b := blocks[r.IntN(len(blocks))]
			pb.WriteString(b.pat)
			inst := b.inst[0] // one the pattern matches, mostly
			if r.IntN(20) == 0 {
				inst = b.inst[r.IntN(len(b.inst))]
			}
			pieces[len(pieces)-1] += inst
		}
		if r.IntN(3) == 0 {
			pb.WriteString("/**")
			pieces = append(pieces, gap(true, false))
		}
		if r.IntN(4) == 0 {
			// Blocks out of order: the earliest place of one is often before the place
			// the one before it ends at.
			r.Shuffle(len(pieces)-1, func(i, j int) { pieces[i+1], pieces[j+1] = pieces[j+1], pieces[i+1] })
		}
		p, err := Compile(pb.String())
		if err != nil {
			t.Fatalf("pattern %q: %v", pb.String(), err)
		}
		if p.fast == nil {
			noFast++
			continue
		}
		path := strings.Join(pieces, "")
		if len(path) > 4096 || path == "" {
			continue
		}
		path = mutatePath(r, path, r.IntN(6)-3)
		if path == "" {
			continue
		}
		var inline [zoneInline]int
		z, buf := findBreaks(path, &inline)
		if len(z.brk) > zoneInline {
			many++
		}
		putZoneBuf(buf)
		if f := fastVsSim(t, pb.String(), p, path); f >= 0 {
			decided++
			matched += f
		}
	}
	t.Logf("%d decided, %d matched, %d paths with more than %d breaks; %d patterns without a fast matcher", decided, matched, many, zoneInline, noFast)
}

// TestFastEdges holds cases at the edges of the fast matcher: line terminators a block
// consumes where a globstar cannot, single-unit wildcards on code points of two and three
// bytes, tests in a last chunk placed from the end, and blocks before a plain globstar gap
// (from "{**,x}" or "@(**)"). The answers are picomatch's (shared/oracle/glob-oracle.mjs);
// the fast matcher must decide each one, except on code points beyond U+FFFF and where a
// star could take a block past a line terminator or a leading ".".
func TestFastEdges(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		// The answer, and whether blocksMatchZones gives up, leaving it to posProg.run (or,
		// without one, the DFA).
		want, gives bool
	}{
		// The only way on is a block that consumes the line terminator (a "?" or a class
		// holding it) and starts at it, after an earlier place matched.
		{"/**/a/**/?b/**/c", "/q/a/xb/\nb/c", true, false},
		{"/**/a/**/?b/**/c", "/q/a/xb/\u2029b/c", true, false},
		{"/**/a/**/[x\n]b/**/c", "/q/a/xb/\nb/c", true, false},
		{"/**/?b/**/c", "/xb/\nb/c", true, false},
		{"/**/a\nb/**/c", "/x/a\nb/c", true, false},
		{"/**/?b/**/c", "/xb/yb/\n/c", false, false},
		// Blocks out of order, on paths with a break.
		{"/**/a/**/b/**/c", "/q/a/c/b/.x", false, false},
		{"/**/a/**/b/**/c/**/d", "/q/a/d/b/c/.x", false, false},
		{"/**/a/**/b/**/c/**/d", "/q/a/c/b/d/\n", false, false},
		{"/**/a/**/b/**/c/**/d\ne", "/q/a/c/b/d\ne", false, false},
		{"/**/a/**/b/**/c/**/d\ne", "/q/a/b/c/d\ne", true, false},
		// A wildcard takes a whole code point, never a piece of one.
		{"/x/*??*", "/x/€", false, false},
		{"/**/?", "/x/€", true, false},
		{"/**/??", "/x/€", false, false},
		{"/**/a??/**", "/x/aéé/y", true, false},
		{"/**/*?", "/x/é", true, false},
		// A byte that is not valid UTF-8 is one unit, U+FFFD; one inside a valid
		// encoding is none.
		{"/x/??", "/x/\xe2\x80", true, false},
		{"/x/?", "/x/\xe2\x80", false, false},
		{"/x/*?b", "/x/\xffb", true, false},
		{"/x/*??b", "/x/€b", false, false},
		{"/x/*??b", "/x/\x82\xacb", true, false},
		{"/x/*a/??", "/x/ba/€\xff", true, false},
		{"/**/a?", "/ab/ab/a\xff", true, false},
		{"/x/[a-z]", "/x/\xff", false, false},
		// The last chunk is wider than its bytes count when its units are.
		{"/x/*a/??", "/x/ba/€€", true, false},
		{"/x/*a/??", "/x/ba/€", false, false},
		// Tests in a last chunk placed from the end.
		{"*/?", "a/.", false, false},
		{"*/?b", "a/.b", false, false},
		{"*/?b", "a/xb", true, false},
		// A star before a "/" gives one end per start, whatever the breaks.
		{"/**/a*/**/b", "/q/ab\n/x/b", true, false},
		{"/**/a*/**/b", "/q/a\nb/x/b", true, false},
		{"/**/a*/**/b", "/q/ab/x\n/b", false, false},
		{"/**/a*/**/b", "/q/ab/x/\nb", false, false},
		// Beyond U+FFFF a wildcard may take half of a code point: on such paths, the
		// wildcards work on the path split into units.
		{"/x/*?", "/x/😀", true, false},
		{"/x/??", "/x/😀", true, false},
		{"/x/?", "/x/😀", false, false},
		{"/x/*??", "/x/😀", true, false},
		{"/x/*😀?", "/x/😀😀", false, false},
		{"/x/*😀??", "/x/😀😀", true, false},
		{"/x/[😀]", "/x/😀", false, false},
		{"/x/[😀][😀]", "/x/😀", true, false},
		{"/x/😀?", "/x/😀a", true, false},
		{"/x/?😀", "/x/a😀", true, false},
		{"/**/a?/**/b", "/q/a😀/b", false, false},
		{"/**/a??/**/b", "/q/a😀/b", true, false},
		{"/**/a??/**/b", "/q/a😀/./b", false, false},
		{"/**/a?/**/*?", "/q/ab/😀", true, false},
		{"/x/*??b*", "/x/😀b", true, false},
		{"/x/*???b*", "/x/😀b", false, false}, // no unit starts inside a surrogate's bytes
		// The bytes a split path gives a surrogate are three units (U+FFFD) in a path,
		// and an invalid byte stays one unit on a split path.
		{"/x/???", "/x/\xed\xa0\x80", true, false},
		{"/x/?", "/x/\xed\xa0\x80", false, false},
		{"/x/[😀][😀]", "/x/\xed\xa0\xbd\xed\xb8\x80", false, false},
		{"/x/*😀", "/x/\xed\xa0\xbd\xed\xb8\x80", false, false},
		{"/x/??*", "/x/😀\xff", true, false},
		{"/x/??*?", "/x/😀\xff", true, false},
		{"/x/??*??", "/x/😀\xff", false, false},
		// The earliest end of a block with a star is not enough before a plain globstar
		// gap when the star can cross a break: blocksMatchZones gives up.
		{"a*{**,y}", "ab\nc", true, true},
		{"a*{**,x}/b", "ab\nc/b", true, true},
		{"@(**)*{**,x}", "\n", true, true},
		{"[^é]é*@(**)", "bé\néé", true, true},
		{"b*{**,x}[\r\n][a\n]", "b\n\n\n", true, true},
		{"*{a*,**}**/*", "b\u2029//a", true, true},
		{"{**,x}*@(**)", ".", true, true},
		{"{a,b}/***@(**)/.", "a/\r/.", true, true},
		{"@(**)@(**)*{a*,**}**/a", "./ba/ca/a", true, true},
		{"@(**)*{**,x}{a,b}{a*,**}", "./é.aaaa", true, true},
		// One star between literals (starMatch).
		{"/app/*/db", "/app/x/db", true, false},
		{"/app/*/db", "/app//db", true, false},
		{"/app/*/db", "/app/.x/db", false, false},
		{"/app/*/db", "/app/x/y/db", false, false},
		{"/app/*/db", "/app/\n/db", false, false},
		{"/app/*/db", "/app/x\n/db", true, false},
		{"/app/*/db", "/app/x/db/", false, false},
		{"/app/*/db", "/app/\u2028x/db", false, false},
		{"/app/*/db", "/app/é/db", true, false},
		{"a*a", "a", false, false},
		{"a*a", "aa", true, false},
		{"a*a", "a/a", false, false},
		{"/app/*", "/app/", false, false},
		{"/app/*", "/app/x/", true, false},
		{"/app/*", "/app/x//", false, false},
		{"dev*", "dev", true, false},
		{"dev*", "dev/", false, false},
		{"dev*", "devx/y", false, false},
		{"*.json", ".json", false, false},
		{"*.json", "a.json", true, false},
		{"*.json", "x/a.json", false, false},
		{"*.json", "a.json/", true, false},
		// A class that may match its own text, one token (fClassLit) where it needs no search.
		{"/**/[ab][ab]", "/x/[ab]a", true, false},
		{"/**/[ab][ab]", "/x/[ab][ab]", true, false},
		{"/**/[ab][ab]", "/x/[ab", false, false},
		{"/**/[ab][ab]", "/x/b[ab]", true, false},
		{"/**/[ab]", "/[ab]", false, false},
		{"[ab]/**", "[ab]/x", true, false},
		{"[ab]/**", "[ab", false, false},
		{"/**/[ab]/**/[ab]", "/x/[ab]/y/a", true, false},
		{"/**/[ab]/**/[ab]", "/x/[ab]/y/[ab]", true, false},
		{"/**/x[ab]", "/q/x[ab]", true, false},
		{"/**/x[ab]", "/q/x[a", false, false},
		{"/x/[[a]", "/x/[", true, false},
		{"/x/[a😀]", "/x/[a😀]", true, false},
		{"/x/[a😀]", "/x/😀", false, false},
		{"*/[ab]", "q/[ab]", true, false},
		{"*/[ab]", "q/[ab]/", true, false},
		{"/**/[ab]*", "/x/[ab]yy", true, false},
		{"/**/[ab]", "/x\n/[ab]", false, false},
		{"/**/[ab]", "/x/.y/[ab]", false, false},
		{"/**/[ab]", "/x/[ab]\n", false, false},
		{"/a/[ab]/**", "/a/[ab]/.x", false, false},
		{"/a/[ab]/**", "/a/[ab]/x", true, false},
		{"[ab][ab]*", "[ab]b", true, false},
		{"[ab][ab]*", "[ab]", false, false},
		{"/**/[a-c]", "/x/[a-c]", false, false},
		{"/**/[a-c]", "/x/-", false, false},
		// ... and after a star, at its leftmost end (leftmostEnd).
		{"x*[ab]b*c", "x[ab]bc", true, false},
		{"x*[ab]*]b", "x[ab]b", true, false},
		{"x*[ab]*]b", "x[ab]", false, false},
		{"x*[ab]*[ab]", "x[ab]a", true, false},
		{"x*[ab]*[ab]", "x[ab]", false, false},
		{"*[ab]*/**", "[ab]/x", true, false},
		{"*[ab]*[ab]*", "[[ab]", true, false},
		{"x*[ab][ab]*y", "x[ab]ay", true, false},
		{"x*[ab][ab]*y", "x[aby", true, false},
		{"x*[ab]*", "x[ab", true, false},
		{"x*[ab]*ab]", "x[ab]", false, false},
		{"x*[ab]]*]]", "x[ab]]]", true, false}, // the leftmost end is two starts on
		{"x*[ab]]*]]", "x[ab]]", false, false},
		{"y*[ab]x*", "y[ab]x", true, false}, // only the text's start can start the chunk
		{"y*[ab]x*", "y[ab]", false, false},
		// A block that ends with the "/" of a "/." goes on in the next zone when a plain
		// globstar gap follows it.
		{"/**/@(**)/**/a", "///./a", true, false},
		{"x{**,y}/{**,y}", "x/à/.é", true, false},
		{"[\r\n]{**,x}/{**,x}", "\n/à/.é", true, false},
	} {
		p := MustCompile(c.pattern)
		if got := p.Match(c.path); got != c.want {
			t.Errorf("Match(%q, %q) = %t, want %t", c.pattern, c.path, got, c.want)
		}
		if p.fast == nil {
			t.Errorf("%q: no fast matcher", c.pattern)
			continue
		}
		m, ok := p.fast.match(c.path)
		if !ok || m != c.want {
			t.Errorf("fast matcher on %q, %q: %t (decided %t), want %t", c.pattern, c.path, m, ok, c.want)
		}
		if posMode != posOnly {
			mode := posMode
			posMode = posNever
			if _, ok := p.fast.match(c.path); ok == c.gives {
				t.Errorf("blocksMatchZones on %q, %q: decided %t, want %t", c.pattern, c.path, ok, !c.gives)
			}
			posMode = mode
		}
	}
}

// TestFastRandom checks the fast matcher against the simulation on short random patterns
// of the shapes it takes (literals, "?", classes, stars, globstars, braces and "@(**)"),
// each on a path made from it, often mutated so that it does not match.
func TestFastRandom(t *testing.T) {
	type tok struct {
		pat  string
		inst []string // what the path may hold for it
	}
	toks := []tok{
		{"/", []string{"/"}}, {"a", []string{"a"}}, {"b", []string{"b"}}, {".", []string{"."}},
		{"é", []string{"é"}}, {"/.", []string{"/."}}, {".a/", []string{".a/"}},
		{"**", []string{"", "a", "ab/b", "x/.y", "\n", "é"}},
		{"/**/", []string{"/", "/a/", "/a/b/", "/.x/", "/a\n/", "/é/"}},
		{"/**", []string{"", "/a", "/a/b", "/.a", "/\n"}},
		{"**/", []string{"", "a/", "a/b/", ".a/"}},
		{"*", []string{"", "a", "ab", "é", ".", "\n", "\u2028", "\xe2\x82", "€\xac"}},
		{"?", []string{"a", "é", "😀", ".", "\n", "/", "\uffff", "\xff", "\xe2\x80", "\x80", "\xed\xa0\x80"}},
		{"??", []string{"😀", "ab", "\xed\xa0"}}, {"😀", []string{"😀", "\xed\xa0\xbd\xed\xb8\x80"}},
		{"[😀]", []string{"a", "😀"}}, {"[😀][😀]", []string{"😀", "😀😀"}},
		{"[ab]", []string{"a", "b", "é", "[ab]", "[a", "ab]"}}, {"[!a]", []string{"b", "é", "\n", "a", "[!a]"}},
		{"[[a]", []string{"[", "a", "[[a]"}}, {"[a-c]", []string{"b", "[a-c]", "-"}}, {"[a😀]", []string{"😀", "[a😀]"}},
		{"[é\n]", []string{"é", "\n", "e"}}, {"[\r\n]", []string{"\n", "\r"}},
		{"{a,b}", []string{"a", "b"}}, {"?(a)", []string{"", "a"}},
		{"{/**/a,b}", []string{"/a", "b", "/x/a", "/.x/a"}},
		{"{**,x}", []string{"", "x", "a/b", "\n", ".", "/."}},
		{"@(**)", []string{"", "a", "a/b", "\n", "./"}},
		{"{a*,**}", []string{"a", "ab\n", "b/c", ""}},
	}
	r := rand.New(rand.NewPCG(11, 3))
	n := randomCount(40000, 8000)
	decided, matched := 0, 0
	for i := 0; i < n; i++ {
		var pb, qb strings.Builder
		for k := r.IntN(12) + 1; k > 0; k-- {
			tk := toks[r.IntN(len(toks))]
			pb.WriteString(tk.pat)
			qb.WriteString(tk.inst[r.IntN(len(tk.inst))])
		}
		path := mutatePath(r, qb.String(), r.IntN(4)/3)
		p, err := Compile(pb.String())
		if err != nil || p.fast == nil || path == "" {
			continue
		}
		if f := fastVsSim(t, pb.String(), p, path); f >= 0 {
			decided++
			matched += f
		}
	}
	t.Logf("%d decided, %d matched", decided, matched)
}

// mutatePath makes n random edits to path (inserting, deleting or replacing a byte with
// one of "/", ".", "a" and a newline).
func mutatePath(r *rand.Rand, path string, n int) string {
	b := []byte(path)
	for ; n > 0 && len(b) > 0; n-- {
		j := r.IntN(len(b))
		c := "/.a\n"[r.IntN(4)]
		switch r.IntN(3) {
		case 0:
			b = append(b[:j:j], append([]byte{c}, b[j:]...)...)
		case 1:
			b = append(b[:j:j], b[j+1:]...)
		case 2:
			b[j] = c
		}
	}
	return string(b)
}

// fastVsSim returns the fast matcher's answer on path (1 or 0), or -1 when it gives up, and
// reports an error when it differs from the simulation's.
func fastVsSim(t *testing.T, pattern string, p *Pattern, path string) int {
	t.Helper()
	f, _, s := engineAnswers(p, path)
	if f >= 0 && f != s {
		t.Errorf("pattern %q, path %q: fast matcher %d, simulation %d", pattern, path, f, s)
	}
	return f
}

// TestFastZoneMemo checks the fast matcher against the simulation on patterns that repeat
// one block, on paths with breaks. Equal blocks may replay a zone's memo here, but seldom
// do; TestFastWork has paths on which they must.
func TestFastZoneMemo(t *testing.T) {
	blocks := []string{"/**/a?", "/**/x*y/", "/**/a*/", "/**/?", "**/a*b/", "/**/a/", "/**/*a/", "**/x?y"}
	tails := []string{"", "/**", "/b", "*", "/**/b"}
	toks := []string{"/a", "/ab", "/x", "y/", "x", "\n", "/.", "a", "/x\ny/", "b", "/", "\u2028", "/.a", "/a\n", "/x\n"}
	heads := []string{"/ab", "/xy/", "/a/", "/xay/", "/ab/", "/xby"}
	r := rand.New(rand.NewPCG(21, 4))
	n := randomCount(20000, 4000)
	decided := 0
	for i := 0; i < n; i++ {
		b := blocks[r.IntN(len(blocks))]
		pattern := strings.Repeat(b, r.IntN(6)+2)
		if r.IntN(3) == 0 {
			pattern += blocks[r.IntN(len(blocks))]
		}
		pattern += tails[r.IntN(len(tails))]
		p, err := Compile(pattern)
		if err != nil || p.fast == nil {
			continue
		}
		// A stretch where every block matches, so that its zone keeps handing the next
		// zone the same start, then breaks and noise.
		var qb strings.Builder
		qb.WriteString(strings.Repeat(heads[r.IntN(len(heads))], r.IntN(12)))
		for k := r.IntN(30) + 1; k > 0; k-- {
			qb.WriteString(toks[r.IntN(len(toks))])
		}
		if fastVsSim(t, pattern, p, qb.String()) >= 0 {
			decided++
		}
	}
	t.Logf("%d decided", decided)
}

// TestFastZoneRunEnds checks that a run whose steps redo most zones ends: on this path, which
// a search built, 12 of "/**/a?" to "/**/l?" (a period of 12) move the start of nearly every
// zone at every block, and the run's records cost more than blocks in full (16 146 units of
// work and 140 µs with runs to the end; 13 900 and 100 µs since). The blocks' latest starts
// (latest) would drop nearly every position of this path, which no match fits, so the test
// does without them.
func TestFastZoneRunEnds(t *testing.T) {
	defer func(m int) { lateMinZones = m }(lateMinZones)
	lateMinZones = math.MaxInt
	p := MustCompile(strings.Repeat(globstarBlocks("abcdefghijkl"), 12))
	path := testPath(t, "globstars-twelve-kinds.path")
	if spent := zoneWork(t, p, path); spent > 15000 {
		t.Errorf("blocksMatchZones spent %d units of work, want at most 15 000", spent)
	}
}

// zoneWork runs blocksMatchZones for the first sequence of p on path, checks its answer
// against the simulation, and returns the units of work it spent.
func zoneWork(t *testing.T, p *Pattern, path string) int {
	t.Helper()
	var inline [zoneInline]int
	z, buf := findBreaks(path, &inline)
	const budget = 1 << 30
	work := budget
	got := p.fast.seqs[0].blocksMatchZones(path, len(path), &z, buf, &work)
	putZoneBuf(buf)
	if want := p.auto.matchPath(newScratch(p.auto), path); got != want || work < 0 {
		t.Fatalf("blocksMatchZones: %t, work left %d; want %t", got, work, want)
	}
	return budget - work
}

// TestLatest checks the latest starts of blocks (latest): positions beyond them are
// dropped, so that a path whose end no block sequence reaches costs a pass, and none may
// be dropped that a match needs.
func TestLatest(t *testing.T) {
	s := &MustCompile(strings.Repeat(globstarBlocks("abc"), 3)).fast.seqs[0]
	late := make([]int, len(s.blocks))
	for _, c := range []struct {
		path string
		want []int // late[1:]
	}{
		// The blocks are "/a?/" (after "/" and the first globstar), "b?/", "c?/", ...,
		// and the last "c?"; each starts at the latest place the next one leaves room for.
		{"/x/ab/bb/cb/ab/bb/cb/ab/bb/cb/ab/bb/cb", []int{11, 15, 18, 21, 24, 27, 30, 33, 36}},
		{"/ab/bb/cb/ab/bb/cb/ab/bb/cb/ab/bb/bx", []int{-1, -1, -1, -1, -1, -1, -1, -1, -1}},
		{"/ab/bb/cb/ab/bb/cb/ab/bb/c\n", []int{0, 4, 7, 10, 13, 16, 19, 22, 25}},
	} {
		work := 1 << 20
		if !s.latest(c.path, len(c.path), late, &work) {
			t.Fatalf("%q: latest declined", c.path)
		}
		if !slices.Equal(late[1:], c.want) {
			t.Errorf("%q: latest starts %v, want %v", c.path, late[1:], c.want)
		}
	}
	// blocksMatchZones drops the positions beyond, once a block has a few zones: 16 of
	// "/**/a?" to "/**/i?" on a path of short zones whose last segment no "i?" matches
	// spend about 2 700 units of work, where the path as built (ending in "i?") takes
	// 14 400.
	p := MustCompile(strings.Repeat(globstarBlocks("abcdefghi"), 16))
	path := testPath(t, "globstars-nine-kinds-band.path")
	path = path[:strings.LastIndexByte(path, '/')] + "/xb"
	if spent := zoneWork(t, p, path); spent > 4000 {
		t.Errorf("blocksMatchZones spent %d units of work on a path whose end no block reaches, want at most 4 000", spent)
	}
	// A block before a segment-start gap that may end other than after "/" would let the
	// next block start where no "/" precedes it: latest declines.
	odd := *s
	odd.blocks = slices.Clone(s.blocks)
	b := &odd.blocks[2]
	b.chunks = [][]ftok{b.chunks[0][:len(b.chunks[0])-1]}
	if work := 1 << 20; odd.latest("/ab/bb/cb", 9, late, &work) {
		t.Errorf("latest served a block that may end without a \"/\" before a segment-start gap")
	}
}

// TestRunPeriod checks the periods of runs of blocks: a period that the blocks repeat for
// runBlocks of them, and none where blocks of a few kinds repeat by chance.
func TestRunPeriod(t *testing.T) {
	for _, c := range []struct {
		letters string
		want    int // the period of the third block (the second follows the first globstar)
	}{
		{strings.Repeat("abcde", 30), 5},
		{strings.Repeat("a", 150), 1},
		{strings.Repeat("ab", 3) + strings.Repeat("c", 20), 0}, // "ab" does not repeat for 8 blocks
		{strings.Repeat("abcdefghijklmnopq", 8), 0},            // a period beyond maxRunPeriod
		// Ten kinds in no order, with "bb", "ee", "aa", "dd" and "ii" by chance.
		{tenKindsMixed[:72], 0},
	} {
		s := &MustCompile(globstarBlocks(c.letters)).fast.seqs[0]
		if got := s.blocks[2].period; got != c.want {
			t.Errorf("%s: period %d, want %d", c.letters, got, c.want)
		}
		for i := 1; i < len(s.blocks); i++ {
			if p := s.blocks[i].period; p > 0 {
				for j := i; j < i+runBlocks(p); j++ {
					if !s.sameKind(j+p, j) {
						t.Fatalf("%s: block %d has period %d, but block %d differs from block %d", c.letters, i, p, j+p, j)
					}
				}
			}
		}
	}
}

// TestFastZoneMixed checks the fast matcher against the simulation on patterns of a few
// distinct blocks in no order, on paths whose line terminators let a block cross from one
// zone into the next, so that a zone's start moves back and forth and the memo keeps
// several entries for a block in a zone, or a scan stops at an entry's start. Half the
// patterns start runs on short paths too.
func TestFastZoneMixed(t *testing.T) {
	defer func(m int) { runMinZones = m }(runMinZones)
	blocks := []string{"/**/a?", "/**/b?", "/**/c?", "/**/?b", "**/a*/", "/**/x?y", "/**/ab", "**/b?", "/**/c"}
	// A tail that never matches makes every block run.
	tails := []string{"", "/**", "/b", "*", "/**/z", "/**/z?"}
	r := rand.New(rand.NewPCG(7, 21))
	seg := func() string {
		const letters = "abcx"
		switch r.IntN(10) {
		case 0:
			return "/" + letters[r.IntN(4):][:1]
		case 1:
			return []string{"/", "b", "/xay", "/xby"}[r.IntN(4)]
		}
		return "/" + letters[r.IntN(4):][:1] + letters[r.IntN(4):][:1]
	}
	breaks := []string{"/a\n", "/b\n", "/b\u2028", "/c\n", "/.", "/x\ny", "\n", "/.b"}
	n := randomCount(2000, 300)
	decided := 0
	for i := 0; i < n; i++ {
		runMinZones = 8 * (i % 2)
		kinds := blocks[:0:0]
		for k := r.IntN(3) + 2; k > 0; k-- {
			kinds = append(kinds, blocks[r.IntN(len(blocks))])
		}
		var pb strings.Builder
		for k := r.IntN(60) + 4; k > 0; k-- {
			pb.WriteString(kinds[r.IntN(len(kinds))])
		}
		pattern := pb.String() + tails[r.IntN(len(tails))]
		p, err := Compile(pattern)
		if err != nil || p.fast == nil {
			continue
		}
		// A few long zones, each ended by a break that a block may cross.
		var qb strings.Builder
		for z := r.IntN(4) + 1; z > 0; z-- {
			for k := r.IntN(100); k > 0; k-- {
				qb.WriteString(seg())
			}
			qb.WriteString(breaks[r.IntN(len(breaks))])
		}
		for k := r.IntN(100); k > 0; k-- {
			qb.WriteString(seg())
		}
		if fastVsSim(t, pattern, p, qb.String()) >= 0 {
			decided++
		}
	}
	if decided < n/2 {
		t.Errorf("%d of %d decided", decided, n)
	}
}

// TestFastStar checks which sequences starMatch decides, and that the shapes it must leave
// to runChunks (a literal after a test, a test in the last chunk, a wildcard) stay there.
func TestFastStar(t *testing.T) {
	for _, c := range []struct {
		pattern, head, foot string
		noDot, oneChar      bool
	}{
		{"/app/*/db", "/app/", "/db", true, true},
		{"dev*", "dev", "", false, false},
		{"*.json", "", ".json", true, true},
		{"/app/@(db|cache)/*", "/app/db/", "", true, true},
	} {
		s := &MustCompile(c.pattern).fast.seqs[0]
		if !s.star || s.head != c.head || s.foot != c.foot || s.noDot != c.noDot || s.oneChar != c.oneChar {
			t.Errorf("%q: star %t, head %q, foot %q, noDot %t, oneChar %t; want true, %q, %q, %t, %t",
				c.pattern, s.star, s.head, s.foot, s.noDot, s.oneChar, c.head, c.foot, c.noDot, c.oneChar)
		}
	}
	for _, pattern := range []string{"/app/**", "/a/*/b/*", "/a/?*", "/a/*b?", "/**/a*"} {
		for _, s := range MustCompile(pattern).fast.seqs {
			if s.star {
				t.Errorf("%q: star set", pattern)
			}
		}
	}
	lit := func(s string) ftok { return ftok{kind: fLit, str: s} }
	for name, chunks := range map[string][][]ftok{
		"literal after a test": {{lit("a"), {kind: fNoDot}, lit("b")}, {lit("c")}},
		"test in the foot":     {{lit("a")}, {lit("b"), {kind: fOneChar}}},
		"wildcard in the foot": {{lit("a")}, {{kind: fOne}}},
	} {
		s := &fastSeq{kind: seqGreedy, single: block{chunks: chunks}}
		if s.setStar(); s.star {
			t.Errorf("%s: star set", name)
		}
	}
}

// TestFastClassLit checks where a class that may match its own text becomes one token: only
// where no search places its chunk, and only when its text's first and last units are
// outside the set.
func TestFastClassLit(t *testing.T) {
	has := func(m *fastMatcher) bool {
		if m.choices {
			for _, k := range m.merged.kinds {
				if slices.ContainsFunc(k.pieces, func(p posPiece) bool { return p.classLit }) {
					return true
				}
			}
		}
		for _, s := range m.seqs {
			blocks := s.blocks
			if s.kind == seqGreedy {
				blocks = []block{s.single}
			}
			for _, b := range blocks {
				if slices.ContainsFunc(b.chunks, hasClassLit) {
					return true
				}
			}
		}
		return false
	}
	for _, c := range []struct {
		pattern    string
		fast, lits bool
	}{
		{"/**/" + strings.Repeat("[ab]", 250), true, true},
		{"/**" + strings.Repeat("/[ab]", 200), true, true},
		{"[ab]x*/**", true, true},
		{"x*[ab]", true, true},
		{"/**/[ab]/**/[ab]", true, false}, // the first is placed by a search: two alternatives each
		{"x*[ab]*", true, true},           // placed at its leftmost end
		{strings.Repeat("[ab]*", 200), true, true},
		{"x*a/[ab]*", true, false}, // a chunk with a "/" may end in a later segment
		{"/x/[[a]", true, false},   // "[" is in the set
		{"/x/[a[]", true, false},
		// Two alternatives each are too many sequences; one program of choices takes the
		// class anywhere (buildChoices).
		{strings.Repeat("/**/[ab]*", 20), true, true},
	} {
		m := MustCompile(c.pattern).fast
		if (m != nil) != c.fast || m != nil && has(m) != c.lits {
			t.Errorf("%q: fast matcher %t, class tokens %t; want %t, %t", short(c.pattern), m != nil, m != nil && has(m), c.fast, c.lits)
		}
	}
}

// TestFastZoneRun checks that a run of blocks with a period redoes only the zones whose
// start changed: every block of 150 "/**/a?" (or of 75 "/**/a?/**/b?", 50
// "/**/a?/**/b?/**/c?", 30 of five, 16 of nine) may enter the run of line terminators
// here, and each of its zones then keeps the same start for many blocks (of the same
// phase). Redoing every zone for every block takes about 11 to 13 units of work a byte; the
// runs take about 5 (7 with the search for the blocks' latest starts, latest, which finds
// no position to drop on these paths).
func TestFastZoneRun(t *testing.T) {
	for _, c := range []struct {
		letters string
		blocks  int
	}{{"a", 150}, {"ab", 75}, {"abc", 50}, {"abcde", 30}, {"abcdefghi", 16}} {
		var blk, seg, lt strings.Builder
		for _, r := range c.letters {
			blk.WriteString("/**/" + string(r) + "?")
			seg.WriteString("/" + string(r) + "b")
			lt.WriteString("/" + string(r) + "\n")
		}
		pattern := strings.Repeat(blk.String(), c.blocks)
		p := MustCompile(pattern)
		for _, path := range []string{
			"/" + strings.Repeat(seg.String(), c.blocks) + strings.Repeat(lt.String(), 74/len(c.letters)) + "/ab",
			"/" + strings.Repeat(seg.String(), c.blocks) + strings.Repeat(lt.String(), 74/len(c.letters)) + "/ax/",
			"/" + strings.Repeat(seg.String(), c.blocks-10) + strings.Repeat(lt.String(), 74/len(c.letters)) + strings.Repeat(seg.String(), 10),
		} {
			m := *p.fast
			m.perByte = fastPerByte
			got, ok := m.match(path)
			if want := p.auto.matchPath(newScratch(p.auto), path); !ok || got != want {
				t.Errorf("%q on %q: the fast matcher answered %t, %t with %d units a byte; want %t, true", short(pattern), short(path), got, ok, m.perByte, want)
			}
		}
	}
}

// globstarBlocks returns a block "/**/X?" for each letter X of letters.
func globstarBlocks(letters string) string {
	var b strings.Builder
	for _, x := range letters {
		b.WriteString("/**/" + string(x) + "?")
	}
	return b.String()
}

// tenKindsMixed is the letters of 150 blocks of ten kinds in no order (see
// TestFastZoneStartsBack).
const tenKindsMixed = "bbfifbdceejfibgbifhcgdefdaaediejfgfjcijbgcafjbjhdcahejgjhifjcbajbdhfebai" +
	"bghcggafibjbbaacebihjdccibfbdgfhhejdceajebbhjidicjjddiiddhghdbfiiahicdjgdejcjh"

// testPath returns the path, Go-quoted, in testdata/name.
func testPath(t testing.TB, name string) string {
	t.Helper()
	found, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	path, err := strconv.Unquote(strings.TrimSpace(string(found)))
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFastZoneKinds checks that the memo keeps a slot for each of several distinct
// blocks: on these paths, which a search built, 30 of "/**/a?/**/b?/**/c?/**/d?/**/e?"
// needed about 190 000 units of work when "a?" and "e?" took turns in one slot of 4 (the
// fast matcher gave up, 4.4 ms in all), and 16 of nine such blocks about 71 000 with 8
// slots; about 8 700 and 6 700 since. The paths of short zones (the band files) are the
// slowest known for 16 of nine and 12 of twelve such blocks (BenchmarkMatchSearched).
func TestFastZoneKinds(t *testing.T) {
	for _, c := range []struct{ letters, file string }{
		{"abcde", "globstars-five-kinds.path"},
		{"abcdefghi", "globstars-nine-kinds.path"},
		{"abcdefghi", "globstars-nine-kinds-band.path"},
		{"abcdefghijkl", "globstars-twelve-kinds-band.path"},
	} {
		path := testPath(t, c.file)
		p := MustCompile(strings.Repeat(globstarBlocks(c.letters), 150/len(c.letters)))
		m := *p.fast
		m.perByte = fastPerByte
		got, ok := m.match(path)
		if want := p.auto.matchPath(newScratch(p.auto), path); !ok || got != want {
			t.Errorf("%s: the fast matcher answered %t, %t with %d units a byte; want %t, true", c.file, got, ok, m.perByte, want)
		}
	}
}

// TestFastZoneStartsBack checks that a scan that reaches the start of an earlier scan of
// the same block in the same zone stops there and takes its ends. On this path, which a
// search built, 150 blocks "/**/X?" with X one of ten letters in no order (no run has a
// period) see the long last zone's start move back whenever the zone before hands it the
// end of "/b\u2028": "b?" then scanned the zone from each earlier start to its end again,
// about 24 300 units of work in all (150 µs); about 13 600 (45 µs) since.
func TestFastZoneStartsBack(t *testing.T) {
	// "c?" scans the zone after "\n" from the end of its "dd", then, after "b?" gave the
	// zone the start after "\n" again, from there: it stops at the end of "dd" and takes
	// the end of "cc" from the first scan (picomatch matches).
	small := MustCompile("/**/b?/**/d?/**/c?/**/b?/**/c?/**/z?")
	if got, ok := small.fast.match("/xx/bb/dd/cc/bb/b\n/dd/cc/zz"); !got || !ok {
		t.Errorf("small case: the fast matcher answered %t, %t; want true, true", got, ok)
	}
	path := testPath(t, "globstars-ten-kinds-mixed.path")
	p := MustCompile(globstarBlocks(tenKindsMixed))
	if spent := zoneWork(t, p, path); spent > 16000 {
		t.Errorf("blocksMatchZones spent %d units of work, want at most 16 000", spent)
	}
}

// TestFastFallback checks that the fast matcher of a pattern whose bit-parallel program is
// slow may spend more before it gives up (setFallback), and does: on this path, 8 of
// "/**/a?/**/b?/**/c?" and so on to "/**/q?" (17 distinct blocks, more than the memo
// keeps lists for) need about 4.5 units of work a byte (every block may enter the run of
// line terminators, and each of its zones stays live for many blocks), and the program
// takes about 0.7 ms. (The test's path ended in "/ax/", where they needed about 10 before
// the blocks' latest starts, latest, dropped every position.)
// No path a search built needs more than 8 units a byte, but the allowance stays for the
// paths not found.
func TestFastFallback(t *testing.T) {
	var unit, segs, lts strings.Builder
	for _, r := range "abcdefghijklmnopq" {
		unit.WriteString("/**/" + string(r) + "?")
		segs.WriteString("/" + string(r) + "b")
		lts.WriteString("/" + string(r) + "\n")
	}
	p := MustCompile(strings.Repeat(unit.String(), 8))
	path := "/" + strings.Repeat(segs.String(), 8) + strings.Repeat(lts.String(), 4) + "/qb"
	if p.fast.perByte <= fastPerByte {
		t.Fatalf("work per byte %d, want more than %d for a program of cost %d", p.fast.perByte, fastPerByte, p.auto.bitCost)
	}
	if m, ok := p.fast.match(path); !ok || m {
		t.Errorf("fast matcher: %t, %t; want false, true", m, ok)
	}
	cheap := *p.fast
	cheap.perByte = 4
	if m, ok := cheap.match(path); !ok || m {
		t.Errorf("with %d units a byte: %t, %t; want false, true (from posProg.run)", cheap.perByte, m, ok)
	}
	defer func(m int) { posMode = m }(posMode)
	posMode = posNever
	if _, ok := cheap.match(path); ok {
		t.Errorf("with %d units a byte blocksMatchZones decided; the test needs a path that takes more", cheap.perByte)
	}
	if got := MustCompile("/x/*a" + strings.Repeat("?", 900)).fast.perByte; got != fastPerByte {
		t.Errorf("work per byte of a cheap pattern: %d, want %d", got, fastPerByte)
	}
}

// TestFastZoneReach checks the fast matcher against the simulation on patterns of many
// blocks, on paths with many breaks: blocksMatchZones drops the zones from which the blocks
// left cannot consume the breaks before the end (blockBreaks), and a block's memo serves
// later starts.
func TestFastZoneReach(t *testing.T) {
	type blk struct {
		pat       string
		good, bad []string // what the path may hold for it, after the gap
	}
	blocks := []blk{
		{"a?", []string{"ab", "a\n", "a.", "a\u2028", "aa"}, []string{"a/", "a"}},
		{"?", []string{"a", "\n", ".", "\r"}, []string{""}},
		{"a", []string{"a"}, []string{"b"}},
		{".a", []string{".a"}, []string{"a"}},
		{"?/?", []string{"a/b", "\n/\n", "a/\n"}, []string{"./a", "\n/."}},
		{"?a", []string{"\na", "ba"}, []string{".a"}},
		{"a*", []string{"a", "ab\n", "a\u2028b"}, []string{"b"}},
		{"[a.]?", []string{"a\n", "[a.]b"}, []string{".b"}},
		{"a??", []string{"a\n\n", "abc", "a.b"}, []string{"a/b"}},
		{"?b/", []string{"\nb/", "ab/"}, []string{"b/"}},
	}
	gaps := []string{"/", "/", "/", "/x/", "/x/y/"}
	badGaps := []string{"/.x/", "/x\n/", ""}
	noise := []string{"/a\n", "/.a", "\n", "/", ".", "a", "/.", "\u2028", "b", "\r"}
	r := rand.New(rand.NewPCG(5, 17))
	n := randomCount(20000, 4000)
	// Runs start on any span of zones here; half the patterns repeat a unit of 1 to 5
	// blocks, so that runs with a period keep going.
	defer func(m int) { runMinZones = m }(runMinZones)
	runMinZones = 0
	decided, matched := 0, 0
	for i := 0; i < n; i++ {
		var pb, qb strings.Builder
		kinds := 1 + r.IntN(4)
		first := r.IntN(len(blocks))
		var unit []int
		if r.IntN(2) == 0 {
			for range 1 + r.IntN(5) {
				unit = append(unit, (first+r.IntN(kinds))%len(blocks))
			}
		}
		for k := range r.IntN(15) + 2 {
			b := blocks[(first+r.IntN(kinds))%len(blocks)]
			if unit != nil {
				b = blocks[unit[k%len(unit)]]
			}
			pb.WriteString("/**/" + b.pat)
			switch {
			case r.IntN(16) == 0:
				qb.WriteString(badGaps[r.IntN(len(badGaps))])
			case qb.Len() == 0: // the first gap takes two slashes
				qb.WriteString(gaps[3+r.IntN(2)])
			default:
				qb.WriteString(gaps[r.IntN(len(gaps))])
			}
			if r.IntN(8) == 0 {
				qb.WriteString(b.bad[r.IntN(len(b.bad))])
			} else {
				qb.WriteString(b.good[r.IntN(len(b.good))])
			}
			if r.IntN(12) == 0 {
				qb.WriteString(noise[r.IntN(len(noise))])
			}
		}
		if r.IntN(3) == 0 {
			pb.WriteString("/**")
			qb.WriteString(gaps[r.IntN(len(gaps))])
		}
		p, err := Compile(pb.String())
		if err != nil || p.fast == nil {
			continue
		}
		path := mutatePath(r, qb.String(), r.IntN(4)/3)
		if f := fastVsSim(t, pb.String(), p, path); f >= 0 {
			decided++
			matched += f
		}
	}
	t.Logf("%d decided, %d matched", decided, matched)
}

// TestNextBreak checks nextBreak, which tests eight bytes at a time, against a test of
// every byte, on random paths of the bytes that make or nearly make breaks.
func TestNextBreak(t *testing.T) {
	pieces := []string{"/", ".", "/.", "a", "ab/", "\n", "\r", "\u2028", "\u2029", "\u2027", "\xe2", "\xe2\x80", "é", "abcdefgh"}
	r := rand.New(rand.NewPCG(9, 2))
	for i := 0; i < 20000; i++ {
		path := randomPath(r, pieces, 16)
		for from := 0; from <= len(path); from++ {
			want := from
			for want < len(path) && !(breakByte[path[want]] && isBreak(path, want)) {
				want++
			}
			if got := nextBreak(path, from); got != want {
				t.Fatalf("nextBreak(%q, %d) = %d, want %d", path, from, got, want)
			}
		}
	}
}
