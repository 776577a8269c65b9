package glob

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// Limits. Each is checked by Compile, which returns an *Error when a pattern exceeds it.
const (
	// MaxPatternLength is the longest pattern, in UTF-16 code units, that Compile accepts.
	// It is picomatch's own limit: picomatch throws on anything longer, so Infisical can
	// neither store nor evaluate such a pattern (ErrTooLong).
	MaxPatternLength = 64 * 1024

	// maxUnits bounds the length of a pattern, in UTF-16 code units, that Compile accepts
	// although picomatch would (ErrTooComplex). Node's engine fails on some expressions
	// picomatch builds from long patterns: it overflows its stack or reports "Regular
	// expression too large" when the check runs, for example on "/*" repeated 2504 times
	// (5008 units), "/**/a" repeated 2159 times, or 32767 literal characters. Infisical
	// cannot evaluate such patterns, so warden refuses them all; 4096 stays below the shortest
	// failing pattern found and far above any realistic path glob.
	maxUnits = 4096

	// maxNesting bounds how deeply groups nest in the expression a pattern compiles to
	// (ErrTooComplex). Node's engine overflows its stack on nesting somewhere between ten
	// and twenty thousand levels, which picomatch reports as an exception during the check;
	// a limit of 1000, as in Go's regexp/syntax, refuses such patterns at compile time and is
	// far above anything a path glob needs (a level is one "(", "{", or extglob).
	maxNesting = 1000

	// maxProgram bounds the number of automaton instructions a pattern compiles to
	// (ErrTooComplex), since matching may take time proportional to it. Long patterns
	// compile to at most about six instructions per code unit (a lone "*" takes nine), so
	// within maxUnits only the removal of backreferences, which copies the expression once
	// per string a group can capture, can reach it.
	maxProgram = 1 << 16
)

// Pattern is a compiled glob. A Pattern is immutable and safe for concurrent use by
// multiple goroutines.
type Pattern struct {
	src   string
	units []uint16 // src as UTF-16, when paths must be compared to it by units (invalid UTF-8, U+FFFD)

	never   bool         // the expression matches nothing: only the pattern itself matches
	negated bool         // the expression is "^(?!inner).*$": match is no line terminator and not inner
	fast    *fastMatcher // nil when the shape needs the general matcher
	plain   *fastMatcher // for paths without "[", when it differs from fast (plain.go)
	auto    *automaton
	pool    sync.Pool

	prefix    string
	prefixes  []string
	literal   string
	isLiteral bool
}

// Compile parses a glob pattern in Infisical's $glob dialect (see the package
// documentation) and returns a Pattern that can be matched against paths many times.
func Compile(pattern string) (*Pattern, error) {
	if pattern == "" {
		return nil, &Error{Pattern: pattern, Code: ErrEmpty}
	}
	units := toUnits(pattern)
	if len(units) > MaxPatternLength {
		return nil, &Error{Pattern: pattern, Offset: unitOffset(pattern, MaxPatternLength), Code: ErrTooLong}
	}
	if len(units) > maxUnits {
		return nil, &Error{Pattern: pattern, Offset: unitOffset(pattern, maxUnits), Code: ErrTooComplex}
	}
	if _, ok := inheritedNames[pattern]; ok {
		return nil, &Error{Pattern: pattern, Code: ErrRejected}
	}
	tr, terr := translate(units)
	if terr != nil {
		return nil, &Error{Pattern: pattern, Offset: unitOffset(pattern, terr.unit), Code: terr.code}
	}
	p := &Pattern{src: pattern}
	if !utf8.ValidString(pattern) || containsRune(pattern, utf8.RuneError) {
		p.units = units
	}
	tree, ok, deep := parseExpression(tr.source, maxNesting)
	switch {
	case deep:
		return nil, &Error{Pattern: pattern, Code: ErrTooComplex}
	case !ok:
		p.never = true
	}
	if !p.never {
		var ok bool
		if tree, ok = resolveBackrefs(tree); !ok {
			return nil, &Error{Pattern: pattern, Offset: backrefOffset(pattern), Code: ErrBackreference}
		}
		tree = dropImpliedLooks(tree)
		if inner := negatedBody(tree); inner != nil {
			// The lookahead tests its body at position 0 only.
			p.negated = true
			tree = &node{op: opConcat, subs: []*node{{op: opAssert, assert: assertBegin}, inner}}
		}
		a, ok := compileAutomaton(tree, maxProgram)
		if !ok {
			return nil, &Error{Pattern: pattern, Code: ErrTooComplex}
		}
		p.auto = a
		p.pool.New = func() any { return newScratch(a) }
		p.fast = newFastMatcher(tree)
		if plain := withoutUnit(tree, plainUnit); plain != tree {
			p.plain = newFastMatcher(plain)
		}
		p.fast.setFallback(a.bitCost)
		p.plain.setFallback(a.bitCost)
	}
	p.analyze(tree)
	return p, nil
}

// MustCompile is like Compile but panics if the pattern cannot be compiled. It simplifies
// safe initialization of global variables holding compiled patterns.
func MustCompile(pattern string) *Pattern {
	p, err := Compile(pattern)
	if err != nil {
		panic(err)
	}
	return p
}

// String returns the source pattern.
func (p *Pattern) String() string { return p.src }

// Match reports whether path matches the pattern, as picomatch.isMatch(path, pattern,
// {strictSlashes: false}) would. The empty path never matches; a path equal to the pattern
// always does. Match may be called from many goroutines at once, never backtracks, and
// allocates nothing once the per-goroutine caches it keeps in a pool are warm.
func (p *Pattern) Match(path string) bool {
	if path == "" {
		return false
	}
	fast := p.fast
	if p.plain != nil {
		fast = p.plainFor(path)
	}
	if !p.negated && !p.never && fast != nil {
		// The usual case: the fast matcher decides, and a match needs no equality test.
		if m, ok := fast.match(path); ok {
			return m || p.equal(path)
		}
		if p.equal(path) {
			return true
		}
		return p.matchAuto(path)
	}
	if p.equal(path) {
		return true
	}
	if p.never {
		return false
	}
	if p.negated && hasLineTerminator(path) {
		return false
	}
	if fast != nil {
		if m, ok := fast.match(path); ok {
			return m != p.negated
		}
	}
	return p.matchAuto(path) != p.negated
}

// plainFor returns the fast matcher Match uses on path when p has a plain matcher: that one
// on a path without "[", else p.fast (which may be nil).
func (p *Pattern) plainFor(path string) *fastMatcher {
	if strings.IndexByte(path, plainUnit) < 0 {
		return p.plain
	}
	return p.fast
}

// equal reports whether path is the pattern itself, which always matches.
func (p *Pattern) equal(path string) bool {
	return path == p.src || (p.units != nil && unitsEqual(path, p.units))
}

// matchAuto runs the automaton, with a scratch from the pool.
func (p *Pattern) matchAuto(path string) bool {
	s := p.pool.Get().(*scratch)
	m := p.auto.matchPath(s, path)
	p.pool.Put(s)
	return m
}

// Prefix returns a literal string that every path matching the pattern starts with, or ""
// when none can be promised (for example for a negated pattern). The prefix is also a
// prefix of the pattern itself, since a path equal to the pattern always matches.
func (p *Pattern) Prefix() string { return p.prefix }

// Prefixes returns literal strings one of which every matching path starts with, or nil when
// none can be promised. It says more than Prefix for alternatives: every path matching
// /{app,shared}/** starts with /app or /shared (or is the pattern itself, which is also
// covered). The slice must not be modified.
func (p *Pattern) Prefixes() []string { return p.prefixes }

// Literal reports whether the pattern matches exactly one path, and returns that path.
func (p *Pattern) Literal() (string, bool) { return p.literal, p.isLiteral }

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// hasLineTerminator reports whether s contains \n, \r, U+2028 or U+2029.
func hasLineTerminator(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n', '\r':
			return true
		case 0xE2:
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
				return true
			}
		}
	}
	return false
}

// negatedBody recognizes the expression of a negated pattern, "^(?!body).*$", and returns
// body.
func negatedBody(n *node) *node {
	if n.op != opConcat || len(n.subs) != 4 {
		return nil
	}
	s := n.subs
	if s[0].op != opAssert || s[0].assert != assertBegin ||
		s[1].op != opLook || s[1].behind || !s[1].neg ||
		s[2].op != opRepeat || s[2].min != 0 || s[2].max >= 0 || s[2].subs[0].op != opUnit || !sameSet(s[2].subs[0].set, setDot) ||
		s[3].op != opAssert || s[3].assert != assertEnd {
		return nil
	}
	return s[1].subs[0]
}

func sameSet(a, b unitSet) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// backrefOffset finds the escape in pattern that became a backreference: the first "\"
// followed by a digit 1-9 or by "k".
func backrefOffset(pattern string) int {
	for i := 0; i+1 < len(pattern); i++ {
		if pattern[i] == '\\' {
			if c := pattern[i+1]; c >= '1' && c <= '9' || c == 'k' {
				return i
			}
			i++
		}
	}
	return 0
}
