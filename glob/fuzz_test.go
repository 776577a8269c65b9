package glob

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// This file fuzzes Compile and Match. FuzzMatch checks three things on every input: no
// panic; all of a Pattern's matchers (fast, DFA, bit-parallel, simulation) agree; and, for
// a subset of the dialect derived from the input, Match agrees with Go's regexp package
// running an independent translation of the glob written from the dialect's rules
// (doc.go), not from the code that compiles it.

// A subset pattern: "/"-separated segments, each either "**" or a sequence of items, with
// an optional trailing "/". Items: the letters a b c x and "-", ".", "?", "*", [ab], [^a],
// {a,b}, {a,bc}. No two stars are adjacent, ".*" does not start a segment, and no two
// "**" segments are adjacent.
type subsetSeg struct {
	globstar bool
	items    []string
}

var subsetItems = []string{"a", "b", "c", "-", ".", "?", "*", "[ab]", "[^a]", "{a,b}", "{a,bc}", "x"}

// subsetPattern derives a subset pattern from arbitrary bytes.
func subsetPattern(b []byte) ([]subsetSeg, bool) {
	var segs []subsetSeg
	cur := subsetSeg{}
	flush := func() {
		if cur.globstar || len(cur.items) > 0 {
			segs = append(segs, cur)
		}
		cur = subsetSeg{}
	}
	for _, c := range b {
		if len(segs) >= 6 {
			break
		}
		switch k := int(c) % 16; {
		case k < 12:
			if cur.globstar || len(cur.items) >= 4 {
				flush()
			}
			it := subsetItems[k]
			n := len(cur.items)
			if it == "*" && (n > 0 && cur.items[n-1] == "*" || n == 1 && cur.items[0] == ".") {
				continue
			}
			cur.items = append(cur.items, it)
		case k < 14:
			flush()
		default:
			flush()
			if len(segs) > 0 && segs[len(segs)-1].globstar {
				continue
			}
			cur = subsetSeg{globstar: true}
			flush()
		}
	}
	flush()
	trailing := len(b) > 0 && b[len(b)-1]%2 == 1
	return segs, trailing && len(segs) > 0
}

func subsetString(segs []subsetSeg, trailing bool) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		if s.globstar {
			b.WriteString("**")
		} else {
			b.WriteString(strings.Join(s.items, ""))
		}
	}
	if trailing {
		b.WriteByte('/')
	}
	return b.String()
}

// The regexp pieces. A globstar body here never starts with "." nor has a segment that
// does, and is always followed by "/" or the end, so it is a run of segments none of which
// starts with ".".
const (
	reNever    = `[^\x00-\x{10FFFF}]`
	reGlobBody = `(?:[^./][^/]*)?(?:/(?:[^./][^/]*)?)*`
)

// subsetRegexp translates a subset pattern into a Go regular expression.
func subsetRegexp(segs []subsetSeg, trailing bool) string {
	return "^" + subsetFrom(segs, trailing, 0, 0, true, false) + "$"
}

// subsetFrom translates the pattern from item k of segment i on. slash is false when the
// "/" before segment i was already consumed (by a globstar). noDot is true when the first
// unit consumed from here must exist and must not be "." (an empty star at the start of a
// segment leaves that test to what follows).
func subsetFrom(segs []subsetSeg, trailing bool, i, k int, slash, noDot bool) string {
	if i == len(segs) {
		switch {
		case trailing:
			return `/`
		case noDot:
			return reNever
		}
		return ""
	}
	s := segs[i]
	if s.globstar {
		last := i == len(segs)-1
		// Every form starts with "/", which satisfies a pending no-dot test, except the
		// alternatives that match the end, which do not.
		end := `|$`
		if noDot {
			end = ""
		}
		switch {
		case i == 0:
			// "/**": a "/" and a globstar body; a later segment keeps its own "/".
			return `/` + reGlobBody + subsetFrom(segs, trailing, i+1, 0, true, false)
		case last && trailing:
			return `(?:/` + reGlobBody + `/|/)`
		case last && endsWithStar(segs[i-1]):
			return `/` + reGlobBody // after a star, "/**" at the end is not optional
		case last:
			return `(?:/` + reGlobBody + end + `)`
		default:
			return `(?:/` + reGlobBody + `/|/` + end + `)` + subsetFrom(segs, trailing, i+1, 0, false, false)
		}
	}
	prefix := ""
	if k == 0 && slash {
		prefix = "/"
		if noDot {
			noDot = false // the "/" is the unit the test looked at
		}
	}
	if k == len(s.items) {
		// End of the segment.
		if i == len(segs)-1 && !trailing && endsWithMaybeSlash(s) {
			if noDot {
				return prefix + `/`
			}
			return prefix + `/?`
		}
		return prefix + subsetFrom(segs, trailing, i+1, 0, true, noDot)
	}
	next := func(nd bool) string { return subsetFrom(segs, trailing, i, k+1, slash, nd) }
	it := s.items[k]
	switch it {
	case "*":
		if k == 0 {
			// At the start of a segment: not ".", and not at the end of the path.
			return prefix + `(?:[^./][^/]*` + next(false) + `|` + next(true) + `)`
		}
		return prefix + `[^/]*` + next(false)
	case "?":
		if k == 0 || noDot {
			return prefix + `[^./]` + next(false)
		}
		return prefix + `[^/]` + next(false)
	case ".":
		if noDot {
			return reNever
		}
		return prefix + `\.` + next(false)
	case "[ab]":
		return prefix + `(?:\[ab\]|[ab])` + next(false)
	case "[^a]":
		if noDot {
			return prefix + `[^a/.]` + next(false)
		}
		return prefix + `[^a/]` + next(false)
	case "{a,b}":
		return prefix + `(?:a|b)` + next(false)
	case "{a,bc}":
		return prefix + `(?:a|bc)` + next(false)
	}
	return prefix + regexp.QuoteMeta(it) + next(false)
}

func endsWithStar(s subsetSeg) bool {
	return !s.globstar && len(s.items) > 0 && s.items[len(s.items)-1] == "*"
}

// endsWithMaybeSlash: a pattern ending with a star or a class takes one optional "/".
func endsWithMaybeSlash(s subsetSeg) bool {
	switch s.items[len(s.items)-1] {
	case "*", "[ab]", "[^a]":
		return true
	}
	return false
}

// subsetPath maps arbitrary bytes to a path over the units that matter to the subset.
func subsetPath(b []byte) string {
	const alphabet = "abc.-x//"
	var s strings.Builder
	s.WriteByte('/')
	for _, c := range b {
		s.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return s.String()
}

func fuzzSeeds(f *testing.F) {
	for _, file := range corpusFiles {
		for _, c := range loadCorpus(f, file) {
			if len(c.Pattern) < 200 && len(c.Path) < 200 {
				f.Add(c.Pattern, c.Path)
			}
		}
	}
	// Units beyond U+FFFF, which split paths carry, and classes that also match their text.
	f.Add("/**/a?/*??b*", "/q/a😀/x😀b")
	f.Add("/x/[😀]?/**/[ab][ab]", "/x/😀/.y/ab")
	f.Add("/x/*[ab]?", "/x/[ab]\xed\xa0\x80")
	// Programs of choices (fastchoice.go): extglobs of single units in blocks, braces of
	// many combinations or around blocks, a middle globstar that may match the end.
	f.Add("/**/+(a)?/**/*(b|c)d/**/!(a)x/**/?(e)f", "/x/aa/bcd/.y/bx\n/f")
	f.Add("/**/+(ab|cd)x/**/*(a*b)!(*.js)", "/q/abcdx/y/axxb.ts")
	f.Add("*(abc)!(a)?!(ab)c!(a*)", "abcabcbxabcb")
	f.Add("{/**/a?,/**/b?}{/**/c,/**/d}/**/{e,fg}{h,ij}{k,lm}{n,op}{q,rs}", "/x/ab/\nd/ejkop/rs")
	f.Add("/**/x/**/*(a)", "/y/x/aa")
	// Repetitions of texts of different widths, of a run then a unit, and blocks that may
	// leave the end, on a path whose last segment they match.
	f.Add("/**/*(a|bc)/**/+([ab])c/**/*(*(a)b)/**/*(a|bc)", "/q/abc/a[ab]c/aab/"+strings.Repeat("abc", 30))
	f.Add("/**/+(a|ab)/**/*(a?|b|cde)x", "/q/aab/ab\ncdex")
	f.Add("/**/*(x+(a|bc))/**/+(a*(b|cd))", "/q/xabcxa/abcdb")
}

func FuzzMatch(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, pattern, path string) {
		if len(pattern) > 300 || len(path) > 300 {
			return
		}
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > time.Second {
				t.Errorf("Compile and Match(%q, %q) took %v", pattern, path, d)
			}
		}()
		// Any input: no panic, and the matchers agree.
		if p, err := Compile(pattern); err == nil && path != "" {
			got := p.Match(path)
			fa, da, sa := engineAnswers(p, path)
			ba := bitAnswer(p, path)
			if sa >= 0 && (fa >= 0 && fa != sa || da >= 0 && da != sa || ba >= 0 && ba != sa) {
				t.Errorf("Match(%q, %q): fast %d, dfa %d, bit-parallel %d, simulation %d", pattern, path, fa, da, ba, sa)
			}
			if sa >= 0 && !unitsEqual(path, toUnits(pattern)) && got != (sa == 1) {
				t.Errorf("Match(%q, %q) = %t, simulation says %d", pattern, path, got, sa)
			}
			// The same with every run of two items or more made a chain.
			restore := setChainMin(2)
			pc, err := Compile(pattern)
			restore()
			if err != nil {
				t.Fatalf("Compile(%q) with chains: %v", pattern, err)
			}
			if ca := bitAnswer(pc, path); sa >= 0 && ca >= 0 && ca != sa {
				t.Errorf("Match(%q, %q): bit-parallel with chains %d, simulation %d", pattern, path, ca, sa)
			}
		}

		// The subset: Match against the independent regexp translation.
		segs, trailing := subsetPattern([]byte(pattern))
		if len(segs) == 0 {
			return
		}
		glob := subsetString(segs, trailing)
		re := regexp.MustCompile(subsetRegexp(segs, trailing))
		p, err := Compile(glob)
		if err != nil {
			t.Fatalf("Compile(%q): %v", glob, err)
		}
		sp := subsetPath([]byte(path))
		want := sp == glob || re.MatchString(sp)
		if got := p.Match(sp); got != want {
			t.Errorf("Match(%q, %q) = %t, want %t (regexp %s)", glob, sp, got, want, re)
		}
	})
}

func FuzzCompile(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, pattern, _ string) {
		if len(pattern) > 1000 {
			return
		}
		p, err := Compile(pattern)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Compile(%q) error %T, want *Error", pattern, err)
			}
			return
		}
		if p.String() != pattern {
			t.Errorf("String() = %q, want %q", p.String(), pattern)
		}
		if !strings.HasPrefix(pattern, p.Prefix()) {
			t.Errorf("Compile(%q).Prefix() = %q, not a prefix of the pattern", pattern, p.Prefix())
		}
		if lit, ok := p.Literal(); ok && !p.Match(lit) {
			t.Errorf("Compile(%q).Literal() = %q, which does not match", pattern, lit)
		}
		if !p.Match(pattern) {
			t.Errorf("Match(%q, %q) = false; a pattern matches itself", pattern, pattern)
		}
	})
}
