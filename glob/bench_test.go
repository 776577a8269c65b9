package glob

import (
	"runtime"
	"strings"
	"testing"
)

var sink bool

// typicalCases are the shapes most Infisical globs have; each is benchmarked on a path it
// matches and one it does not.
var typicalCases = []struct {
	name, pattern, hit, miss string
}{
	{"globstar", "/app/**", "/app/db/password", "/apple/db/password"},
	{"segment", "/app/*/db", "/app/prod/db", "/app/prod/cache"},
	{"name", "dev*", "development", "staging"},
	{"braces", "/{a,b}/**", "/b/x/y", "/c/x/y"},
	{"literal", "/apps/prod/db", "/apps/prod/db", "/apps/prod/dc"},
	{"middle", "/app/**/db", "/app/x/y/db", "/app/x/y/dc"},
	{"negated", "!/prod/**", "/dev/x", "/prod/x"},
	{"extglob", "/app/@(db|cache)/*", "/app/db/x", "/app/web/x"},
	{"class", "/app/v[0-9]/*", "/app/v1/x", "/app/vx/x"},
	{"negext", "/app/!(secret*)", "/app/public", "/app/secret-x"},
}

func BenchmarkMatch(b *testing.B) {
	for _, c := range typicalCases {
		p := MustCompile(c.pattern)
		for _, kind := range []string{"hit", "miss"} {
			path := c.hit
			if kind == "miss" {
				path = c.miss
			}
			if got, want := p.Match(path), kind == "hit"; got != want {
				b.Fatalf("Match(%q, %q) = %t, want %t", c.pattern, path, got, want)
			}
			b.Run(c.name+"/"+kind, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					sink = p.Match(path)
				}
			})
		}
	}
}

// adversarialCases are patterns and paths that make backtracking matchers exponential.
// Patterns stay within 1 KiB and paths within 4 KiB.
var adversarialCases = []struct {
	name, pattern, path string
}{
	{"stars-gobwas", "*a*a*a*a*a*a*a*b*", strings.Repeat("a", 50)},
	{"stars-1k", strings.Repeat("*a", 511) + "*b", strings.Repeat("a", 4096)},
	{"stars-segments", strings.Repeat("/*a*a", 200), strings.Repeat("/aaaaaaaaaaaaaaaaaaa", 204)},
	{"literal-after-star", "*" + strings.Repeat("a", 1000) + "b", strings.Repeat("a", 4096)},
	{"literal-after-star-seg", "/x/*" + strings.Repeat("ab", 500) + "c", "/x/" + strings.Repeat("ab", 2046)},
	{"globstars", strings.Repeat("/**/a", 200), strings.Repeat("/a", 2048)},
	{"globstars-miss", strings.Repeat("/**/a", 200) + "/b", strings.Repeat("/a", 2048)},
	{"globstars-dotted", strings.Repeat("/**/a", 200), strings.Repeat("/a/.b", 819)},
	{"globstars-dot-at-end", strings.Repeat("/**/a", 200), strings.Repeat("/a", 2040) + "/.b"},
	{"globstars-middle", "/app/**/db/**/" + strings.Repeat("x/", 400) + "**/y", strings.Repeat("/app/x", 682)},
	{"nested-extglob", "/" + strings.Repeat("+(a|*(b|?(c", 60) + strings.Repeat(")))", 60), "/" + strings.Repeat("abc", 1365)},
	{"nested-extglob-irregular", "/" + strings.Repeat("+(a|*(b|?(c", 60) + strings.Repeat(")))", 60), "/" + irregularTokens(4094, "a", "b", "c")},
	{"extglob-chain", strings.Repeat("+(a|b)", 170), strings.Repeat("ab", 2048)},
	{"negext-star", "/" + strings.Repeat("!(*a)", 200), "/" + strings.Repeat("ba", 2047)},
	{"negext-segments", strings.Repeat("/!(a*)", 170), strings.Repeat("/ba", 1365)},
	{"negext-globstar", "/!(" + strings.Repeat("a/", 400) + ")", "/" + strings.Repeat("a/", 2047)},
	{"braces", "/" + strings.Repeat("{a,b,ab}", 120), "/" + strings.Repeat("ab", 2047)},
	{"qmarks", "*a" + strings.Repeat("?", 1000), strings.Repeat("ab", 2048)},
	// Outside the fast shapes, with a DFA that needs a new state at every unit: the
	// general matcher's worst case. The bit-parallel program runs them, the runs of "?" as
	// a delay line.
	{"qmarks-extglob", "/+(a|b)*a" + strings.Repeat("?", 1000), "/" + strings.Repeat("ab", 2047)},
	{"classes", strings.Repeat("[ab]*", 200), strings.Repeat("ab", 2048)},
	// The same kinds of shapes on paths that do not repeat: a periodic path lets the DFA
	// reuse states, an irregular one (pseudo-random "a" and "b") makes it build one per
	// unit.
	{"qmarks-extglob-irregular", "/+(a|b)*a" + strings.Repeat("?", 1000), "/" + irregular(4094)},
	{"qmarks-alternation", "/(a|b)+a" + strings.Repeat("?", 1000), "/" + irregular(4094)},
	{"qmarks-many-alts", "/+(" + strings.Repeat("a|", 300) + "b)*a" + strings.Repeat("?", 300), "/" + irregular(4094)},
	{"qmarks-nested-stars", "/" + strings.Repeat("*(a|*(b|", 40) + strings.Repeat("))", 40) + "a" + strings.Repeat("?", 600), "/" + irregular(4094)},
	{"qmarks-negext", "/!(a)*a" + strings.Repeat("?", 1000), "/" + irregular(4094)},
	{"qmarks-globstar", "/**/*a" + strings.Repeat("?", 900) + "/**", "/" + irregular(4094)},
	{"qmarks-globstars", strings.Repeat("/**/a?", 150), irregularSegments(4095)},
	{"brace-chain", "/+(a|b)*a" + strings.Repeat("{a,b}", 200), "/" + irregular(4094)},
	{"extglob-alts-chain", "/+(a|b)*a" + strings.Repeat("@(a|b|c|d|e|f)", 70), "/" + irregular(4094)},
	{"extglob-pairs-chain", "/+(a|b)*a" + strings.Repeat("@(ab|ba)", 120), "/" + irregular(4094)},
	{"optional-chain", "/+(a|b)*a" + strings.Repeat("?(a|b)", 160), "/" + irregular(4094)},
	{"star-extglob-chain", "/+(a|b)*a" + strings.Repeat("*(a|b)?", 140), "/" + irregular(4094)},
	{"class-chain", "/+(a|b)*a" + strings.Repeat("[ab]", 250), "/" + strings.Repeat("ab", 2047)},
	{"class-chain-irregular", "/+(a|b)*a" + strings.Repeat("[ab]", 250), "/" + irregular(4094)},
	// Runs of items (a class with its literal text, an alternation of strings, single units
	// of different sets) after an ambiguous start: chains (bitchain.go, bitfixed.go).
	{"class3-chain", "/+(a|b)*a" + strings.Repeat("[abc]", 200), "/" + irregular(4094)},
	{"range-chain", "/+(a|b)*a" + strings.Repeat("[a-b]", 200), "/" + irregular(4094)},
	{"extglob-class-chain", "/+(a|b)*a" + strings.Repeat("@([ab])", 140), "/" + irregular(4094)},
	{"brace-qmark-chain", "/+(a|b)*a" + strings.Repeat("{a,b}?", 160), "/" + irregular(4094)},
	{"class-qmark-chain", "/+(a|b)*a" + strings.Repeat("[ab]?", 200), "/" + irregular(4094)},
	{"distinct-class-chain", "/+(a|b)*a" + distinctClasses(200), "/" + irregular(4094)},
	{"negclass-chain", "/+(a|b)*a" + strings.Repeat("[!a]", 250), "/" + irregularTokens(4094, "a", "!")},
	{"pairs-class-chain", "/+(a|b)*a" + strings.Repeat("@(a[ab]|b)", 100), "/" + irregular(4094)},
	{"qmarks-class-chain", "/+(a|b)*a" + strings.Repeat("?", 500) + strings.Repeat("[ab]", 120), "/" + irregular(4094)},
	{"negext-class-chain", "/!(" + strings.Repeat("[ab]", 250) + ")", "/" + irregular(4094)},
	{"globstar-class-chain", "/**/" + strings.Repeat("[ab]", 250), irregularSegments(4095)},
	{"segments-class-chain", "/**" + strings.Repeat("/[ab]", 200), "/" + irregularTokens(4094, "a/", "b/", "a", "b")},
	// The same on paths with the classes' literal text, where each class is one token of
	// the fast matcher (fClassLit), matched back from the end or, after a star, placed at
	// its leftmost end.
	{"globstar-class-chain-literals", "/**/" + strings.Repeat("[ab]", 250), "/" + irregularTokens(4094, "a", "b", "[ab]", "/")},
	{"classes-literals", strings.Repeat("[ab]*", 200), irregularTokens(4096, "a", "b", "[ab]")},
	// Invalid bytes, which the fast matcher skips without decoding where a chunk must start
	// with an ASCII unit (18 µs when each was decoded; 0.36 ms on a path a search found).
	{"classes-invalid-bytes", strings.Repeat("[ab]*", 200), "abb" + irregularTokens(4093, "\xff", "\xf0", "\x80", "\xffb", "\xff\xff\xff\xff\xff\xff\xff\xff", "\x98\x80\x80", "/", "\n", "[")},
	{"segments-class-chain-literals", "/**" + strings.Repeat("/[ab]", 200), "/" + irregularTokens(4094, "a/", "b/", "[ab]/", "a", "b")},
	// Paths with the literal text of the classes, which keeps the longer strings busy.
	{"class-chain-literals", "/+(a|b)*a" + strings.Repeat("[ab]", 250), "/" + irregularTokens(4094, "a", "b", "[ab]")},
	{"class3-chain-literals", "/+(a|b)*a" + strings.Repeat("[abc]", 200), "/" + irregularTokens(4094, "a", "b", "c", "[abc]")},
	// Runs of optionals of one body (optChain: a repetition line, or a fixed chain threads
	// may leave early where the body's strings split a path more ways) and of stars of one
	// (which merge), and loops nested deep whose alternatives repeat the outer ones.
	{"optional-pairs-chain", "/+(a|b)*a" + strings.Repeat("?(ab)", 160), "/" + irregularTokens(4094, "a", "b")},
	{"optional-triples-chain", "/+(a|b)*a" + strings.Repeat("?(abc)", 140), "/" + irregularTokens(4094, "a", "b", "c", "abc")},
	{"optional-alts-chain", "/+(a|b)*a" + strings.Repeat("?(a|bc)", 120), "/" + irregularTokens(4094, "a", "b", "c")},
	{"optional-nullable-alts", "/+(a|b)*a" + strings.Repeat("@(a|bc|?(d))", 80), "/" + irregularTokens(4094, "a", "b", "c", "d")},
	{"optional-alts-star-end", "/+(a|b)*a" + strings.Repeat("?(a|bc)", 120) + "*", "/" + irregularTokens(4094, "a", "b", "c")},
	{"optional-prefix-alts", "/+(a|b)*a" + strings.Repeat("?(a|ab)", 120), "/" + irregularTokens(4094, "a", "b")},
	{"prefix-alts-chain", "/+(a|b)*a" + strings.Repeat("@(a|ab)", 140), "/" + irregularTokens(4094, "a", "b")},
	{"star-pairs-chain", "/+(a|b)*a" + strings.Repeat("*(ab)", 160), "/" + irregularTokens(4094, "a", "b")},
	{"nested-extglob-pairs", "/" + strings.Repeat("+(a|*(b|?(cd", 55) + strings.Repeat(")))", 55), "/" + irregularTokens(4094, "a", "b", "cd")},
	// Items with a repetition make a chain of position rows (bitchain.go), five of which
	// this path keeps busy, with a thread entering after every "a" (about 90 µs; the
	// bit-parallel program without chains took 0.28 ms).
	{"loop-class-chain-literals", "/+(a|b)*a" + strings.Repeat("@(+(a)b|[ab])", 75), "/" + irregularTokens(4094, "a", "b", "[ab]", "ab")},
	// The same with a star after it, which keeps what leaves the chain alive; copies of an
	// item whose last positions are in two rows; and copies of two items, whose DFA keeps
	// within its budget while making a state at most units.
	{"loop-class-chain-star-end", "/+(a|b)*a" + strings.Repeat("@(+(a)b|[ab])", 70) + "c*", "/" + irregularTokens(4094, "a", "b", "[ab]", "ab")},
	{"loop-alts-chain", "/+(a|b)*a" + strings.Repeat("@(+(ab)|a)", 100), "/" + irregularTokens(4094, "a", "b", "ab")},
	{"loop-pairs-chain", "/+(a|b)*a" + strings.Repeat("+(a)b", 200), "/" + irregularTokens(4094, "a", "b", "ab", "aab")},
	// Shapes above on paths a probe found them slow on, over 100 µs: many globstars on a
	// path that the fast matcher leaves to the DFA (a line terminator, which no globstar
	// body consumes; a non-ASCII unit, with "?"), whose DFA makes a state at every segment
	// and whose bit-parallel program takes about 1.2 µs a unit; negated extglobs on a path
	// without "a"; and a chunk of 900 "?" that the fast matcher would try at every place.
	{"globstars-line-terminator", strings.Repeat("/**/a", 200), strings.Repeat("/a", 2047) + "/\n"},
	{"qmarks-globstars-non-ascii", strings.Repeat("/**/a?", 150), strings.Repeat("/ab", 1365)[:4094] + "é"},
	// A code point beyond U+FFFF is two units, which "?" may split.
	{"qmarks-globstars-astral", strings.Repeat("/**/a?", 150), irregularSegments(4092) + "😀"},
	{"negext-star-no-a", "/" + strings.Repeat("!(*a)", 200), "/" + strings.Repeat("b", 4095)},
	// Runs of "/", where the block after the globstar could start at every "/" but needs a
	// unit that is not "/" after it (afterLead), and a line terminator that makes zones.
	{"qmarks-globstar-slashes", "/**/*a" + strings.Repeat("?", 900) + "/**", "//a/a" + strings.Repeat("/", 2000) + "b" + strings.Repeat("/", 2000) + "a\naaaa//"},
	{"qmarks-globstar-segment", "/**/*a" + strings.Repeat("?", 900) + "/**", "/a/" + strings.Repeat("a", 4093)},
	// Segments where every block matches, then segments each ended by a line terminator
	// that only a block consumes: every block may enter that run, and the zones holding a
	// start form a band that moves by a zone a block (runs of equal blocks redo only the
	// zones whose start changed; alternating blocks redo the band).
	{"qmarks-globstars-band", strings.Repeat("/**/a?", 150), "/" + strings.Repeat("/ab", 1230) + strings.Repeat("/a\n", 74) + "/ax/"},
	{"alternating-globstars-band", strings.Repeat("/**/a?/**/b?", 75), "/" + strings.Repeat("/ab/ba", 615) + strings.Repeat("/a\n/b\n", 37) + "/ax/"},
	// Blocks with stars on a path of one long zone and a line terminator at its end, which
	// a star could cross: blocksMatchZones would try every start of the zone for every block
	// (7 ms with the DFA after it), posProg moves the set through each star (fastbits.go).
	{"star-blocks-line-terminator", strings.Repeat("/**/a*b", 146), strings.Repeat("/aab", 1022) + "\n/x"},
	{"star-chains-line-terminator", strings.Repeat("/**/a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", 29), strings.Repeat("/aaaaaaaaaaaaaaab", 240) + "\n/x"},
	// Globstar blocks with extglobs, and braces with more combinations than the fast
	// matchers try one by one: one posProg of choices (fastchoice.go), where the DFA gave
	// up and the bit-parallel program took 3 to 6 ms. "+(a)?" is a lazy "+(a)".
	{"globstars-plus-extglob", strings.Repeat("/**/+(a)?", 113), strings.Repeat("/a", 2047)},
	{"globstars-star-extglob", strings.Repeat("/**/*(a)b", 113), strings.Repeat("/b", 2047)},
	{"globstars-optional-extglob", strings.Repeat("/**/?(a)b", 113), strings.Repeat("/b", 2047)},
	{"globstars-negext", strings.Repeat("/**/!(a)?", 113), strings.Repeat("/b", 2047)},
	{"globstars-braced-gaps", strings.Repeat("{/**/a?,/**/b?}", 34), strings.Repeat("/ab", 1300) + "\n"},
	{"globstars-braces-many", strings.Repeat("/**/{a,bc,cd}?", 73), strings.Repeat("/ab", 1300) + "\n"},
	// Braces of single units are one unit of a set ("{a,b,c}" is "[abc]"): one sequence,
	// whose blocks try every segment of the path.
	{"globstars-unit-braces", strings.Repeat("/**/{a,b,c}?", 85), strings.Repeat("/a", 2047)},
	// A repetition of a text of two units, whose runs move by two.
	{"globstars-text-extglob", strings.Repeat("/**/+(ab)?", 100), strings.Repeat("/ab", 1365)},
	// One segment, no globstar: repetitions of texts, and "!(a)?", which is
	// "(?:(?!a)[^/]*?)?".
	{"segment-text-extglob", strings.Repeat("*(ab)", 200), strings.Repeat("ab", 2047) + "c"},
	{"segment-text3-extglob", strings.Repeat("+(abc)", 170), strings.Repeat("abc", 1364) + "c"},
	{"segment-negext-optional", strings.Repeat("!(a)?", 200), strings.Repeat("b", 4000) + "c"},
	{"segment-text-alts", strings.Repeat("*(ab|cd)", 125), strings.Repeat("abcd", 1000) + "x"},
	// Texts that do not follow ("!(*a)" is "(?![^/]*?a)"), bodies with a star
	// inside ("*(a*b)" matches as "a*b" once or not at all), texts of one width.
	{"globstars-negext-star", strings.Repeat("/**/!(*a)", 110), strings.Repeat("/b", 2000)},
	{"globstars-negtext", strings.Repeat("/**/!(ab)", 110), strings.Repeat("/ba", 1333)},
	{"globstars-optstar-tail", strings.Repeat("/**/*(a*b)", 100), strings.Repeat("/ab", 1333)},
	{"globstars-text-alts", strings.Repeat("/**/*(ab|cd)", 83), strings.Repeat("/abcd", 800)},
	// Repetitions of texts of different widths ("*(a|bc)", and a class inside a
	// repetition, "+([ab])", which is "(?:\[ab\]|[ab])+"), and of a run then a unit
	// ("*(*(a)b)" is "(?:a*b)*"), on paths that do not match at the end.
	{"globstars-mixed-texts", strings.Repeat("/**/*(a|bc)", 93), strings.Repeat("/abcbca", 584) + "/x"},
	{"globstars-mixed-nonprefix", strings.Repeat("/**/+(a|ab)", 93), strings.Repeat("/aabab", 681) + "/x"},
	{"globstars-class-rep", strings.Repeat("/**/+([ab])c", 85), strings.Repeat("/ab[ab]c", 511) + "/x"},
	{"globstars-set-run", strings.Repeat("/**/*(*(a)b)", 85), strings.Repeat("/aabab", 681) + "/x"},
	// Repetitions inside repetitions, as automata whose steps are texts.
	{"globstars-nested-reps", strings.Repeat("/**/*(x+(a|bc))", 68), strings.Repeat("/xabcxa", 584) + "/y"},
	// The blocks before a middle globstar may match the end: whether one leaves the end is
	// run from the last segment, once for equal blocks; here a long one.
	{"globstars-mixed-long-end", strings.Repeat("/**/*(a|bc)", 93), strings.Repeat("/abc", 93) + "/" + strings.Repeat("abc", 1230) + "x"},
	// A negated extglob that ends the pattern, "(?!a$)": 5 ms with the bit-parallel program.
	{"globstars-negext-end", strings.Repeat("/**/a?", 150) + "/!(a)", "/" + strings.Repeat("/ab", 1230) + strings.Repeat("/a\n", 74) + "/ax/"},
}

// irregularTokens returns n units made of the tokens, picked pseudo-randomly (the same on
// every call), the last one cut to length.
func irregularTokens(n int, tokens ...string) string {
	var b strings.Builder
	x := uint32(777)
	for b.Len() < n {
		x = x*1103515245 + 12345
		t := tokens[int(x>>16)%len(tokens)]
		b.WriteString(t[:min(len(t), n-b.Len())])
	}
	return b.String()
}

// distinctClasses returns k classes of three units, "a", "b" and one of 60 others.
func distinctClasses(k int) string {
	const others = "cdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var b strings.Builder
	for i := 0; i < k; i++ {
		b.WriteString("[ab" + others[i%len(others):i%len(others)+1] + "]")
	}
	return b.String()
}

// irregular returns n pseudo-random units "a" and "b" (the same on every call).
func irregular(n int) string {
	b := make([]byte, n)
	x := uint32(12345)
	for i := range b {
		x = x*1103515245 + 12345
		b[i] = "ab"[x>>16&1]
	}
	return string(b)
}

// irregularSegments is irregular with every third unit a "/", starting with one.
func irregularSegments(n int) string {
	b := []byte(irregular(n))
	for i := 0; i < n; i += 3 {
		b[i] = '/'
	}
	return string(b)
}

// BenchmarkMatchAdversarial measures each adversarial match as the first call on a new
// Pattern makes it: the lazy DFAs start without a cached state and the pattern without a
// record of them giving up, so that a DFA which needs a new state at every unit spends its
// budget and the bit-parallel program then runs the whole path. No call takes longer (a
// later one reuses the states, or skips the DFA). BenchmarkMatchAdversarialWarm measures
// the same matches repeated, as a pattern matched against the same paths again and again
// runs them. It runs on one P: the scratch pool then keeps one scratch per pattern, which
// forget empties (with more, a match could take another, whose DFA kept its states).
func BenchmarkMatchAdversarial(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, c := range adversarialCases {
		withinLimits(b, c.name, c.pattern, c.path)
		p := MustCompile(c.pattern)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.path)))
			for b.Loop() {
				p.forget()
				sink = p.Match(c.path)
			}
		})
	}
}

// searchedCases are patterns with paths in testdata that a search built to make their
// first match slow: the slowest paths known for them.
var searchedCases = []struct {
	name, pattern, file string
}{
	{"globstars-five-kinds", strings.Repeat(globstarBlocks("abcde"), 30), "globstars-five-kinds.path"},
	{"globstars-nine-kinds", strings.Repeat(globstarBlocks("abcdefghi"), 16), "globstars-nine-kinds.path"},
	{"globstars-nine-kinds-band", strings.Repeat(globstarBlocks("abcdefghi"), 16), "globstars-nine-kinds-band.path"},
	{"globstars-ten-kinds-mixed", globstarBlocks(tenKindsMixed), "globstars-ten-kinds-mixed.path"},
	{"globstars-twelve-kinds", strings.Repeat(globstarBlocks("abcdefghijkl"), 12), "globstars-twelve-kinds.path"},
	{"globstars-twelve-kinds-band", strings.Repeat(globstarBlocks("abcdefghijkl"), 12), "globstars-twelve-kinds-band.path"},
	{"optional-alts-star-end", "/+(a|b)*a" + strings.Repeat("?(a|bc)", 120) + "*", "optional-alts-star-end.path"},
	{"loop-class-chain-star-end", "/+(a|b)*a" + strings.Repeat("@(+(a)b|[ab])", 70) + "c*", "loop-class-chain-star-end.path"},
	// Braces in blocks: 16 alternatives, one posProg (newPosProg).
	{"globstars-twelve-kinds-band-braces", "/**/{a,bb}?/**/{c,dd}?/**/{e,ff}?/**/{g,hh}?" + strings.Repeat(globstarBlocks("abcdefghijkl"), 11), "globstars-twelve-kinds-band.path"},
	// 32 alternatives: one posProg of choices (buildChoices); 5.3 ms with the bit-parallel
	// program.
	{"globstars-twelve-kinds-band-braces-32", "/**/{a,bb}?/**/{c,dd}?/**/{e,ff}?/**/{g,hh}?/**/{i,jj}?" + strings.Repeat(globstarBlocks("abcdefghijkl"), 11), "globstars-twelve-kinds-band.path"},
}

// BenchmarkMatchSearched measures the first matches of searchedCases, as
// BenchmarkMatchAdversarial does.
func BenchmarkMatchSearched(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, c := range searchedCases {
		path := testPath(b, c.file)
		withinLimits(b, c.name, c.pattern, path)
		p := MustCompile(c.pattern)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(path)))
			for b.Loop() {
				p.forget()
				sink = p.Match(path)
			}
		})
	}
}

// withinLimits fails b unless pattern is at most 1 KiB and path at most 4 KiB.
func withinLimits(b *testing.B, name, pattern, path string) {
	b.Helper()
	if len(pattern) > 1024 || len(path) > 4096 {
		b.Fatalf("%s: pattern %d bytes, path %d bytes; want at most 1 KiB and 4 KiB", name, len(pattern), len(path))
	}
}

func BenchmarkMatchAdversarialWarm(b *testing.B) {
	for _, c := range adversarialCases {
		p := MustCompile(c.pattern)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.path)))
			for b.Loop() {
				sink = p.Match(c.path)
			}
		})
	}
}

// forget empties the DFA caches of the scratch the next Match will most likely take from
// the pool (one goroutine gets back the scratch it put) and the record of DFAs giving up,
// without allocating.
func (p *Pattern) forget() {
	if p.auto == nil {
		return
	}
	p.auto.dfaMisses.Store(0)
	s := p.pool.Get().(*scratch)
	for _, d := range s.dfas {
		if d != nil {
			d.reset()
		}
	}
	p.pool.Put(s)
}

func BenchmarkCompile(b *testing.B) {
	for _, c := range typicalCases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compile(c.pattern); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMatchParallelShared measures one Pattern shared by all goroutines.
func BenchmarkMatchParallelShared(b *testing.B) {
	for _, c := range []struct{ name, pattern, path string }{
		{"globstar", "/app/**", "/app/db/password"},
		{"general", "/app/!(secret*)/**/[a-z]*", "/app/public/x/y/zeta"},
	} {
		p := MustCompile(c.pattern)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					sink = p.Match(c.path)
				}
			})
		})
	}
}
