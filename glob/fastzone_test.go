package glob

import (
	"math/rand/v2"
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
	n := 3000
	if testing.Short() {
		n = 600
	}
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
		mut := r.IntN(6) - 3
		for m := mut; m > 0; m-- {
			b := []byte(path)
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
			path = string(b)
		}
		if path == "" {
			continue
		}
		var inline [zoneInline]int
		z, buf := findBreaks(path, inline[:])
		if len(z.brk) > zoneInline {
			many++
		}
		putZoneBuf(buf)
		f, _, s := engineAnswers(p, path)
		if f < 0 {
			continue
		}
		decided++
		matched += f
		if f != s {
			t.Errorf("pattern %q, path %q: fast matcher %d, simulation %d", pb.String(), path, f, s)
		}
	}
	t.Logf("%d decided, %d matched, %d paths with more than %d breaks; %d patterns without a fast matcher", decided, matched, many, zoneInline, noFast)
}

// TestFastEdges holds cases at the edges of the fast matcher: line terminators a block
// consumes where a globstar cannot, single-unit wildcards on code points of two and three
// bytes, and tests in a last chunk placed from the end. The answers are picomatch's
// (shared/oracle/glob-oracle.mjs); the fast matcher must decide each one, except on code
// points beyond U+FFFF.
func TestFastEdges(t *testing.T) {
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		// The only way on is a block that consumes the line terminator (a "?" or a class
		// holding it) and starts at it, after an earlier place matched.
		{"/**/a/**/?b/**/c", "/q/a/xb/\nb/c", true},
		{"/**/a/**/?b/**/c", "/q/a/xb/\u2029b/c", true},
		{"/**/a/**/[x\n]b/**/c", "/q/a/xb/\nb/c", true},
		{"/**/?b/**/c", "/xb/\nb/c", true},
		{"/**/a\nb/**/c", "/x/a\nb/c", true},
		{"/**/?b/**/c", "/xb/yb/\n/c", false},
		// Blocks out of order, on paths with a break.
		{"/**/a/**/b/**/c", "/q/a/c/b/.x", false},
		{"/**/a/**/b/**/c/**/d", "/q/a/d/b/c/.x", false},
		{"/**/a/**/b/**/c/**/d", "/q/a/c/b/d/\n", false},
		{"/**/a/**/b/**/c/**/d\ne", "/q/a/c/b/d\ne", false},
		{"/**/a/**/b/**/c/**/d\ne", "/q/a/b/c/d\ne", true},
		// A wildcard takes a whole code point, never a piece of one.
		{"/x/*??*", "/x/€", false},
		{"/**/?", "/x/€", true},
		{"/**/??", "/x/€", false},
		{"/**/a??/**", "/x/aéé/y", true},
		{"/**/*?", "/x/é", true},
		// The last chunk is wider than its bytes count when its units are.
		{"/x/*a/??", "/x/ba/€€", true},
		{"/x/*a/??", "/x/ba/€", false},
		// Tests in a last chunk placed from the end.
		{"*/?", "a/.", false},
		{"*/?b", "a/.b", false},
		{"*/?b", "a/xb", true},
		// Beyond U+FFFF a wildcard may take half of a code point: the DFA decides.
		{"/x/*?", "/x/😀", true},
	} {
		p := MustCompile(c.pattern)
		if got := p.Match(c.path); got != c.want {
			t.Errorf("Match(%q, %q) = %t, want %t", c.pattern, c.path, got, c.want)
		}
		m, ok := p.fast.match(c.path)
		if astral := unitWidth(c.path) == widthOther; ok == astral || ok && m != c.want {
			t.Errorf("fast matcher on %q, %q: %t, %t; want %t, %t", c.pattern, c.path, m, ok, c.want, !astral)
		}
	}
}
