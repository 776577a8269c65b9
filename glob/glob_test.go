package glob

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// matchTests are decisions of picomatch 3.0.1 with {strictSlashes: false}; TestOracle
// re-checks them against the oracle when one is available.
var matchTests = []struct {
	pattern, path string
	want          bool
}{
	// Globstars.
	{"/app/**", "/app", true},
	{"/app/**", "/app/", true},
	{"/app/**", "/app/db/password", true},
	{"/app/**", "/apple", false},
	{"/app/**", "/app/.env", false},
	{"/app/**", "/app/x/.git/config", false},
	{"/app/**", "/app//x", true},
	{"/**", "/", true},
	{"/**", "/.hidden", false},
	{"**", "dev", true},
	{"**", "/a/b", true},
	{"/a/**/b", "/a/b", true},
	{"/a/**/b", "/a/x/y/b", true},
	{"/a/**/b", "/a/.x/b", false},
	{"/**/db", "/db", false},
	{"/**/db", "/x/db", true},
	{"**/a", "a", true},
	{"**/a", "x/y/a", true},
	{"/a/**b", "/a/xb", true},
	{"/a/**b", "/a/x/b", false},
	{"dev**", "dev-1", true},
	{"/a*/**", "/ab", false},
	{"/a*/**", "/ab/", true},
	// Stars.
	{"/app/*", "/app/x", true},
	{"/app/*", "/app/x/", true},
	{"/app/*", "/app", false},
	{"/app/*", "/app/", false},
	{"/app/*", "/app//", true},
	{"/app/*", "/app/x/y", false},
	{"/app/*", "/app/.env", false},
	{"*", "/", true},
	{"*", "a/b", false},
	{"/*", "/", false},
	{"/*", "//", true},
	{"dev*", "dev", true},
	{"dev*", "dev/x", false},
	{"dev*", "dev/", false},
	{"/apps*", "/apps/", true},
	{"*a*a*a*a*a*a*a*b*", strings.Repeat("a", 50), false},
	{"*a*a*a*a*a*a*a*b*", strings.Repeat("a", 50) + "b", true},
	// Question marks and code units.
	{"/?", "/a", true},
	{"/?", "/.", false},
	{"/a/?", "/a/b/", false},
	{"/?", "/😀", false},
	{"/??", "/😀", true},
	{"/*?", "/😀", true},
	{"/[^a][^a]", "/😀", true},
	// Classes.
	{"/[abc]", "/a", true},
	{"/[abc]", "/[abc]", true},
	{"/[^abc]", "/d", true},
	{"/[^abc]", "/a", false},
	{"/[!abc]", "/d", false},
	{"/[!abc]", "/!", true},
	{"/[!a]b", "/cb", false},
	{"/[^a]b", "/cb", true},
	{"/[^a]", "/.", true},
	{"/a/[bc]", "/a/b/", true},
	{"/[[:digit:]]", "/1", true},
	{"/[[:digit:]]", "/a", false},
	{"/[[:alpha:][:digit:]]", "/-", false},
	{"/[z-a]", "/b", false},
	{"/[z-a]", "/[z-a]", true},
	// Braces and ranges.
	{"/{a,b}/**", "/b/c", true},
	{"/{a,b}/**", "/c", false},
	{"/x{1..3}", "/x2", true},
	{"/x{1..3}", "/x4", false},
	{"/{1..10}", "/5", false},
	{"/{1..10}", "/0", true},
	{"/a/{b}", "/a/b", false},
	{"/a/{b}", "/a/{b}", true},
	{"/a/{b,}", "/a/", true},
	// Extglobs.
	{"/@(foo|bar)", "/foo", true},
	{"/+(foo|bar)", "/foobar", true},
	{"/?(x)", "/", true},
	{"/*(ab)", "/abab", true},
	{"/!(bar)", "/foo", true},
	{"/!(bar)", "/bar", false},
	{"/!(bar)", "/barx", true},
	{"/a/!(b)x", "/a/bcx", false},
	{"/!(*.d).ts", "/a.ts", true},
	{"/!(*.d).ts", "/a.d.ts", false},
	// Negation.
	{"!/a/b", "/a/c", true},
	{"!/a/b", "/a/b", false},
	{"!/a/b", "/a/b/", true},
	{"!/prod/**", "/prod/x", false},
	{"!/prod/**", "/dev/x\n", false},
	// Escapes and quotes.
	{"/a\\*b", "/a*b", true},
	{"/a\\*b", "/axb", false},
	{"/a/\\{b,c\\}", "/a/{b,c}", true},
	{"/x/\"a*\"", "/x/a*", true},
	{"/a\\d", "/a5", true},
	// Equality, empties, case.
	{"/a/b", "/a/b/", false},
	{"/a/b/", "/a/b", false},
	{"/Apps/**", "/apps/x", false},
	{"/ÄÖ/**", "/ÄÖ/x", true},
	{"**", "", false},
	{"{", "{", true},
	{"(", "(", true},
	{"/a\\", "/a\\", true},
	{"))|(", "abc", true},
	{")|(a", "xa", false},
	{"a)|(b))", "xb)", false},
	{"))|(a", "xa", true},
	// Backreferences.
	{"/{a,b}\\1", "/aa", true},
	{"/{a,b}\\1", "/ab", false},
	{"/(a|b)+\\1", "/abb", true},
	{"/(a|b)+\\1", "/aba", false},
}

func TestMatch(t *testing.T) {
	for _, tt := range matchTests {
		p, err := Compile(tt.pattern)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.pattern, err)
			continue
		}
		if got := p.Match(tt.path); got != tt.want {
			t.Errorf("Match(%q, %q) = %t, want %t", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		pattern string
		code    ErrorCode
		offset  int
	}{
		{"", ErrEmpty, 0},
		{strings.Repeat("a", MaxPatternLength+1), ErrTooLong, MaxPatternLength},
		{"é" + strings.Repeat("a", MaxPatternLength), ErrTooLong, MaxPatternLength + 1}, // offsets are in bytes
		{strings.Repeat("a", MaxPatternLength), ErrTooComplex, maxUnits},
		{"/" + strings.Repeat("a", maxUnits), ErrTooComplex, maxUnits},
		{"/" + strings.Repeat("(", maxNesting) + "a" + strings.Repeat(")", maxNesting), ErrTooComplex, 0},
		{"/" + strings.Repeat("@(", maxNesting) + "a" + strings.Repeat(")", maxNesting), ErrTooComplex, 0},
		{"constructor", ErrRejected, 0},
		{"__proto__", ErrRejected, 0},
		{"toString", ErrRejected, 0},
		{"/a\\\\\\\\", ErrNoTermination, 2},
		{"/a\\\\\\\\\\", ErrNoTermination, 2},
		{"/[]x[:alpha:", ErrNoTermination, 11},
		{"/(a*)\\1", ErrBackreference, 5},
		{"/(?=(a))\\1", ErrBackreference, 8},
	}
	for _, tt := range tests {
		_, err := Compile(tt.pattern)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Compile(%s) error = %v, want code %q", short(tt.pattern), err, tt.code)
			continue
		}
		if e.Code != tt.code || e.Offset != tt.offset || e.Pattern != tt.pattern {
			t.Errorf("Compile(%s) = {Code %q, Offset %d}, want {Code %q, Offset %d}", short(tt.pattern), e.Code, e.Offset, tt.code, tt.offset)
		}
		if msg := e.Error(); !strings.Contains(msg, string(tt.code)) {
			t.Errorf("Compile(%s).Error() = %q, does not name the code", short(tt.pattern), msg)
		}
	}
}

// TestCompileAtLimits checks that patterns just within the limits compile.
func TestCompileAtLimits(t *testing.T) {
	for _, pattern := range []string{
		"/" + strings.Repeat("a", maxUnits-1),
		strings.Repeat("/*", maxUnits/2),
		strings.Repeat("/**/a", maxUnits/5),
		"/" + strings.Repeat("(", maxNesting-2) + "a" + strings.Repeat(")", maxNesting-2),
		"/" + strings.Repeat("+(a|", 300) + "b" + strings.Repeat(")", 300),
		"Constructor", "constructors", "/constructor",
		"/a\\\\\\b", "/[]x[:alpha:]",
	} {
		if _, err := Compile(pattern); err != nil {
			t.Errorf("Compile(%s): %v", short(pattern), err)
		}
	}
}

func TestMustCompilePanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Errorf("MustCompile(%q) did not panic", "")
		} else if _, ok := r.(*Error); !ok {
			t.Errorf("MustCompile(%q) panicked with %T, want *Error", "", r)
		}
	}()
	MustCompile("")
}

func TestString(t *testing.T) {
	for _, s := range []string{"/app/**", "!x", "/[z-a]", "é\xff"} {
		if got := MustCompile(s).String(); got != s {
			t.Errorf("MustCompile(%q).String() = %q", s, got)
		}
	}
}

func TestPrefixLiteral(t *testing.T) {
	tests := []struct {
		pattern, prefix, literal string
		isLiteral                bool
	}{
		{"/apps", "/apps", "/apps", true},
		{"/apps/", "/apps/", "/apps/", true},
		{"/app/**", "/app", "", false},
		{"/app/*/db", "/app/", "", false},
		{"dev*", "dev", "", false},
		{"/{a,b}/**", "/", "", false},
		{"/{ab,ac}/x", "/", "", false},
		{"/a\\*b", "/a", "", false},
		{"/[z-a]", "/[z-a]", "/[z-a]", true},
		{"!/prod/**", "", "", false},
		{"*", "", "", false},
		{"/a/{b}", "/a/{b}", "/a/{b}", true},
		{"\"\"", "\"\"", "\"\"", true},
		{"/é/x", "/é/x", "/é/x", true},
		{"))|(", "", "", false},
		{"/a\\.b", "/a", "", false},
	}
	for _, tt := range tests {
		p := MustCompile(tt.pattern)
		if got := p.Prefix(); got != tt.prefix {
			t.Errorf("Compile(%q).Prefix() = %q, want %q", tt.pattern, got, tt.prefix)
		}
		lit, ok := p.Literal()
		if lit != tt.literal || ok != tt.isLiteral {
			t.Errorf("Compile(%q).Literal() = %q, %t; want %q, %t", tt.pattern, lit, ok, tt.literal, tt.isLiteral)
		}
	}
}

func TestPrefixes(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string
	}{
		{"/app/**", []string{"/app"}},
		{"/{app,shared}/**", []string{"/app", "/shared", "/{app,shared}/**"}},
		{"/{team-b,shared}/svc-1/**", []string{"/team-b/svc-1", "/shared/svc-1", "/{team-b,shared}/svc-1/**"}},
		{"/@(db|cache)/x", []string{"/db/x", "/cache/x", "/@(db|cache)/x"}},
		{"/{a,}/x", nil}, // an empty alternative: /x/.. or /a/x; the common prefix "/" is all there is
		{"!/prod/**", nil},
		{"**", nil},
		{"/apps", []string{"/apps"}},
	}
	for _, tt := range tests {
		got := MustCompile(tt.pattern).Prefixes()
		if tt.pattern == "/{a,}/x" {
			// Either nothing or prefixes that each start with "/": both are sound.
			for _, g := range got {
				if !strings.HasPrefix(g, "/") {
					t.Errorf("Compile(%q).Prefixes() = %q", tt.pattern, got)
				}
			}
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Compile(%q).Prefixes() = %q, want %q", tt.pattern, got, tt.want)
		}
	}
}

// TestPrefixLiteralCorpora proves Prefix and Literal against Match on the corpora: every
// path that matches starts with Prefix, and a Literal pattern matches its literal and no
// other path. Each pattern is tried on its own corpus paths, variants of them, its own
// text, and samples of the other paths and pattern texts.
func TestPrefixLiteralCorpora(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	own := map[string][]string{}
	var order, paths, texts []string
	for _, file := range corpusFiles {
		for _, c := range loadCorpus(t, file) {
			if _, seen := own[c.Pattern]; !seen {
				order = append(order, c.Pattern)
				texts = append(texts, c.Pattern)
			}
			own[c.Pattern] = append(own[c.Pattern], pathVariants(r, c.Path)...)
			paths = append(paths, c.Path)
		}
	}
	literals, checked := 0, 0
	for _, src := range order {
		p, err := Compile(src)
		if err != nil {
			continue
		}
		lit, isLit := p.Literal()
		if isLit {
			literals++
			if !p.Match(lit) {
				t.Errorf("Compile(%q).Literal() = %q, which does not match", src, lit)
			}
		}
		if !strings.HasPrefix(src, p.Prefix()) {
			t.Errorf("Compile(%q).Prefix() = %q, not a prefix of the pattern", src, p.Prefix())
		}
		try := append(append([]string(nil), own[src]...), src)
		for k := 0; k < 200; k++ {
			try = append(try, paths[r.IntN(len(paths))], texts[r.IntN(len(texts))])
		}
		for _, path := range try {
			checked++
			if !p.Match(path) {
				continue
			}
			if !strings.HasPrefix(path, p.Prefix()) {
				t.Errorf("Match(%q, %q) = true, but the path does not start with Prefix() %q", src, path, p.Prefix())
			}
			if ps := p.Prefixes(); ps != nil && !slices.ContainsFunc(ps, func(pre string) bool { return strings.HasPrefix(path, pre) }) {
				t.Errorf("Match(%q, %q) = true, but the path starts with none of Prefixes() %q", src, path, ps)
			}
			if isLit && path != lit {
				t.Errorf("Match(%q, %q) = true, but Literal() = %q", src, path, lit)
			}
		}
	}
	t.Logf("%d patterns (%d literal), %d checks", len(order), literals, checked)
}

// allocPatterns exercise every matcher: literal, tail, greedy, blocks, DFA, lookarounds,
// the simulation fallback, negation and never-matching expressions.
var allocPatterns = []struct{ pattern, path string }{
	{"/apps/prod", "/apps/prod"},
	{"/app/**", "/app/db/password"},
	{"/app/*/db", "/app/x/db"},
	{"dev*", "development"},
	{"/{a,b}/**", "/b/x"},
	{"/app/**/db", "/app/x/y/db"},
	{"/app/**/db", "/app/.x/db"},
	{"/**/.x/**/db", strings.Repeat("/.x", 40) + "/db"}, // more breaks than zones keeps inline
	{"/**/a?/**", "/x/a\n/é"},
	{"/app/!(secret*)/**", "/app/public/x"},
	{"/@(a|b)+(c|d)/*", "/acd/x"},
	{"!/prod/**", "/dev/x"},
	{"/a/[z-a]", "/a/b"},
	{"/a/\\b\\d+(?<=1)", "/a/1"},
	{"/é/?", "/é/😀"},
	{"/**/a?/**/b", "/q/a😀/x/b\xff"},                      // a split path
	{"/**/a?", "/" + strings.Repeat("\xff", 60000) + "😀"}, // a long one, three times as long split
	{"/{a,b}\\1", "/aa"},
}

func TestMatchAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops objects under the race detector")
	}
	for _, tt := range allocPatterns {
		p := MustCompile(tt.pattern)
		p.Match(tt.path) // warm the pool and the DFA cache
		if n := testing.AllocsPerRun(100, func() { p.Match(tt.path) }); n != 0 {
			t.Errorf("Match(%q, %q) allocates %.1f times per call, want 0", tt.pattern, tt.path, n)
		}
	}
}

// TestMatchAllocsNewPaths checks that, once warm, Match allocates nothing on paths it has
// not seen (the DFA caches grow to their bounds and then reuse their memory).
func TestMatchAllocsNewPaths(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops objects under the race detector")
	}
	var paths []string
	for i := 0; i < 3000; i++ {
		paths = append(paths, fmt.Sprintf("/app/%x/%d/acd/x%c/%s", i*7919, i%13, 'a'+i%26, strings.Repeat("é", i%3)))
	}
	for _, tt := range allocPatterns {
		p := MustCompile(tt.pattern)
		for _, s := range paths[:2000] {
			p.Match(s)
		}
		i := 0
		if n := testing.AllocsPerRun(1000, func() { p.Match(paths[i%len(paths)]); i++ }); n != 0 {
			t.Errorf("Match(%q, new paths) allocates %.3f times per call, want 0", tt.pattern, n)
		}
	}
}

// TestConcurrentMatch shares patterns between goroutines (run with -race).
func TestConcurrentMatch(t *testing.T) {
	var pats []*Pattern
	for _, tt := range allocPatterns {
		pats = append(pats, MustCompile(tt.pattern))
	}
	want := make([]bool, len(pats))
	for i, p := range pats {
		want[i] = p.Match(allocPatterns[i].path)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 200; r++ {
				for i, p := range pats {
					if got := p.Match(allocPatterns[i].path); got != want[i] {
						t.Errorf("Match(%q, %q) = %t concurrently, want %t", allocPatterns[i].pattern, allocPatterns[i].path, got, want[i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestParseDump pins the expression parser on a few sources (in dump notation).
func TestParseDump(t *testing.T) {
	tests := []struct{ src, want string }{
		{`a|b`, `alt{lit{a}|lit{b}}`},
		{`[^/]*?`, `rep{0,-1 cc{0x0-0x2e 0x30-0xffff}}`},
		{`(?!\.)(?=.)`, `cat{nla{lit{.}}la{dot{}}}`},
		{`a{2,3}`, `rep{2,3 lit{a}}`},
		{`a{,3}`, `cat{lit{a}lit{{}lit{,}lit{3}lit{}}}`},
		{`\x41\u0042\103\8`, `cat{lit{A}lit{B}lit{C}lit{8}}`},
		{`\c1`, `cat{lit{\}lit{c}lit{1}}`},
		{`[\c1\d-z]`, `cc{0x11 0x2d 0x30-0x39 0x7a}`},
		{`(a)\1`, `cat{lit{a}bref{1}}`},
		{`\1(a)`, `cat{bref{1}lit{a}}`},
		{`(?<n>a)(?<=b)\b`, `cat{lit{a}lb{lit{b}}wb{}}`},
		{`]}`, `cat{lit{]}lit{}}}`},
	}
	for _, tt := range tests {
		n, ok, _ := parseExpression(toUnits(tt.src), maxNesting)
		if !ok {
			t.Errorf("parseExpression(%q) rejected", tt.src)
			continue
		}
		if got := dump(n); got != tt.want {
			t.Errorf("parseExpression(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
	for _, src := range []string{`*`, `a**`, `(`, `)`, `[`, `[z-a]`, `a{2,1}`, `(?<=a)*`, `(?i:a)`, `\`, `(?<a>x)(?<a>y)`, `(?<1>x)`, `(?<a>x)\k<b>`, `{1}`, `^*`} {
		if _, ok, _ := parseExpression(toUnits(src), maxNesting); ok {
			t.Errorf("parseExpression(%q) accepted; Node's engine rejects it", src)
		}
	}
}
