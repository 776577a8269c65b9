package glob

import (
	"fmt"
	"sort"
	"unicode"
)

// This file parses JavaScript regular-expression source (no flags, so no "u": the
// expression reads UTF-16 code units and Annex B's lenient grammar applies) into the tree
// warden compiles. It accepts and rejects exactly what Node's engine does for the sources
// the dialect produces, because picomatch replaces an expression the engine rejects with
// one that never matches.

// nodeOp is the kind of a node of the expression tree.
type nodeOp uint8

const (
	opFail    nodeOp = iota // matches nothing
	opEmpty                 // matches the empty string
	opUnit                  // one code unit from set
	opConcat                // subs in sequence
	opAlt                   // one of subs
	opRepeat                // subs[0] between min and max times (max < 0: no upper bound)
	opAssert                // a zero-width test: assert
	opLook                  // lookahead or lookbehind (behind), negated (neg), of subs[0]
	opBackref               // backreference to capture group ref
	opCapture               // capture group ref around subs[0]; otherwise transparent
)

type assertKind uint8

const (
	assertBegin assertKind = iota
	assertEnd
	assertWordBoundary
	assertNotWordBoundary
)

type node struct {
	op       nodeOp
	set      unitSet
	subs     []*node
	min, max int
	assert   assertKind
	behind   bool
	neg      bool
	ref      int    // opBackref: group number, 0 until a named reference is resolved
	refName  string // opBackref by name
	refOpen  []int  // opBackref: groups open at the reference
	refAt    int    // opBackref: number of groups opened before the reference
	inBehind bool   // opBackref: the reference sits inside a lookbehind
}

// unitSet is a set of code units: sorted, non-overlapping, non-adjacent inclusive ranges.
type unitSet []unitRange

type unitRange struct{ lo, hi uint16 }

func (s unitSet) has(c uint16) bool {
	i := sort.Search(len(s), func(i int) bool { return s[i].hi >= c })
	return i < len(s) && s[i].lo <= c
}

// normalize sorts and merges the ranges of s.
func (s unitSet) normalize() unitSet {
	if len(s) == 0 {
		return s
	}
	sort.Slice(s, func(i, j int) bool { return s[i].lo < s[j].lo })
	out := s[:1]
	for _, r := range s[1:] {
		last := &out[len(out)-1]
		if uint32(r.lo) <= uint32(last.hi)+1 {
			if r.hi > last.hi {
				last.hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// negate returns the complement of a normalized set over all code units.
func (s unitSet) negate() unitSet {
	var out unitSet
	next := uint32(0)
	for _, r := range s {
		if uint32(r.lo) > next {
			out = append(out, unitRange{uint16(next), r.lo - 1})
		}
		next = uint32(r.hi) + 1
	}
	if next <= 0xFFFF {
		out = append(out, unitRange{uint16(next), 0xFFFF})
	}
	return out
}

func single(c uint16) unitSet { return unitSet{{c, c}} }

var (
	setDigit = unitSet{{'0', '9'}}
	setWord  = unitSet{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}
	setSpace = unitSet{{'\t', '\r'}, {' ', ' '}, {0xA0, 0xA0}, {0x1680, 0x1680}, {0x2000, 0x200A},
		{0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}}
	setLineTerminator = unitSet{{'\n', '\n'}, {'\r', '\r'}, {0x2028, 0x2029}}
	setDot            = setLineTerminator.negate()
)

// maxCaptures is the engine's limit on capture groups (half its 65536 registers).
const maxCaptures = 1 << 15

// syntaxError marks an expression the engine rejects.
type syntaxError struct{}

// depthError marks an expression nested deeper than maxNesting.
type depthError struct{}

type reParser struct {
	src      []uint16
	pos      int
	ncap     int            // capture groups opened so far
	totalCap int            // capture groups in the whole expression
	hasNamed bool           // the expression has a named group
	names    map[string]int // group name -> number
	open     []int          // numbers of the capture groups currently open
	behind   int            // lookbehinds currently open
	refs     []*node        // named references, resolved at the end
	depth    int            // current nesting
	maxDepth int            // nesting limit
}

// parseExpression parses src. ok is false when the engine would reject the source; deep is
// true when it is nested deeper than maxDepth.
func parseExpression(src []uint16, maxDepth int) (n *node, ok, deep bool) {
	p := &reParser{src: src, maxDepth: maxDepth}
	p.scanCaptures()
	defer func() {
		if r := recover(); r != nil {
			switch r.(type) {
			case syntaxError:
				n, ok, deep = nil, false, false
			case depthError:
				n, ok, deep = nil, false, true
			default:
				panic(r)
			}
		}
	}()
	n = p.disjunction()
	if p.pos < len(p.src) {
		p.fail() // an unmatched ")"
	}
	for _, r := range p.refs {
		num, found := p.names[r.refName]
		if !found {
			p.fail()
		}
		r.ref = num
	}
	return n, true, false
}

// validExpression reports whether the engine accepts src.
func validExpression(src []uint16) bool {
	_, ok, _ := parseExpression(src, 1<<30)
	return ok
}

func (p *reParser) fail() { panic(syntaxError{}) }

const endOfSource = -1

func (p *reParser) cur() int {
	if p.pos < len(p.src) {
		return int(p.src[p.pos])
	}
	return endOfSource
}

func (p *reParser) at(k int) int {
	if i := p.pos + k; i < len(p.src) {
		return int(p.src[i])
	}
	return endOfSource
}

// scanCaptures counts the capture groups of the whole expression and notes whether any is
// named, the way the engine does before it resolves "\N" and "\k".
func (p *reParser) scanCaptures() {
	s := p.src
	for i := 0; i < len(s); {
		c := s[i]
		i++
		switch c {
		case '\\':
			i++
		case '[':
			for i < len(s) {
				d := s[i]
				i++
				if d == '\\' {
					i++
				} else if d == ']' {
					break
				}
			}
		case '(':
			if i < len(s) && s[i] == '?' {
				i++
				if i >= len(s) || s[i] != '<' {
					continue
				}
				i++
				if i < len(s) && (s[i] == '=' || s[i] == '!') {
					continue
				}
				p.hasNamed = true
			}
			p.totalCap++
		}
	}
}

// disjunction parses alternatives up to ")" or the end.
func (p *reParser) disjunction() *node {
	var alts []*node
	for {
		alts = append(alts, p.alternative())
		if p.cur() != '|' {
			break
		}
		p.pos++
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return &node{op: opAlt, subs: alts}
}

// alternative parses terms up to "|", ")" or the end.
func (p *reParser) alternative() *node {
	var terms []*node
	for {
		c := p.cur()
		if c == endOfSource || c == '|' || c == ')' {
			break
		}
		atom, quantifiable, lookbehind := p.term()
		if atom == nil {
			continue
		}
		atom = p.quantifier(atom, quantifiable, lookbehind)
		terms = append(terms, atom)
	}
	switch len(terms) {
	case 0:
		return &node{op: opEmpty}
	case 1:
		return terms[0]
	}
	return &node{op: opConcat, subs: terms}
}

// term parses one atom or assertion. quantifiable is false for assertions that take no
// quantifier; lookbehind marks a lookbehind (a quantifier after it is an error).
func (p *reParser) term() (n *node, quantifiable, lookbehind bool) {
	c := p.cur()
	switch c {
	case '^':
		p.pos++
		return &node{op: opAssert, assert: assertBegin}, false, false
	case '$':
		p.pos++
		return &node{op: opAssert, assert: assertEnd}, false, false
	case '.':
		p.pos++
		return &node{op: opUnit, set: setDot}, true, false
	case '*', '+', '?':
		p.fail() // nothing to repeat
	case '{':
		if _, _, ok := p.interval(); ok {
			p.fail() // nothing to repeat
		}
		p.pos++
		return &node{op: opUnit, set: single('{')}, true, false
	case '[':
		return p.class(), true, false
	case '(':
		return p.group()
	case '\\':
		return p.atomEscape()
	}
	p.pos++
	return &node{op: opUnit, set: single(uint16(c))}, true, false
}

// quantifier parses an optional quantifier after atom.
func (p *reParser) quantifier(atom *node, quantifiable, lookbehind bool) *node {
	min, max := 0, 0
	switch p.cur() {
	case '*':
		min, max = 0, -1
		p.pos++
	case '+':
		min, max = 1, -1
		p.pos++
	case '?':
		min, max = 0, 1
		p.pos++
	case '{':
		lo, hi, ok := p.interval()
		if !ok {
			return atom
		}
		if hi >= 0 && hi < lo {
			p.fail() // numbers out of order
		}
		min, max = lo, hi
	default:
		return atom
	}
	if !quantifiable {
		p.fail() // nothing to repeat
	}
	if lookbehind {
		p.fail() // invalid quantifier
	}
	if p.cur() == '?' {
		p.pos++ // lazy: the same set of matches
	}
	return &node{op: opRepeat, subs: []*node{atom}, min: min, max: max}
}

// infinity is the engine's value for an unbounded or overflowing count.
const infinity = 1<<31 - 1

// interval parses "{n}", "{n,}" or "{n,m}" at the current position, advancing past it on
// success. An unbounded or overflowing upper bound is returned as -1.
func (p *reParser) interval() (lo, hi int, ok bool) {
	start := p.pos
	p.pos++
	number := func() int {
		v := 0
		for isDigit(p.cur()) {
			d := p.cur() - '0'
			if v > (infinity-d)/10 {
				for isDigit(p.cur()) {
					p.pos++
				}
				return infinity
			}
			v = v*10 + d
			p.pos++
		}
		return v
	}
	if !isDigit(p.cur()) {
		p.pos = start
		return 0, 0, false
	}
	lo = number()
	switch p.cur() {
	case '}':
		hi = lo
		p.pos++
	case ',':
		p.pos++
		if p.cur() == '}' {
			hi = infinity
			p.pos++
		} else {
			if !isDigit(p.cur()) {
				p.pos = start
				return 0, 0, false
			}
			hi = number()
			if p.cur() != '}' {
				p.pos = start
				return 0, 0, false
			}
			p.pos++
		}
	default:
		p.pos = start
		return 0, 0, false
	}
	if hi == infinity {
		hi = -1
	}
	return lo, hi, true
}

func isDigit(c int) bool { return c >= '0' && c <= '9' }

func isHex(c int) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexValue(c int) int {
	switch {
	case isDigit(c):
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// group parses "(" ... ")".
func (p *reParser) group() (n *node, quantifiable, lookbehind bool) {
	p.pos++
	kind := byte('c') // c capture, g grouping, l lookaround
	behind, neg := false, false
	name := ""
	if p.cur() == '?' {
		switch p.at(1) {
		case ':':
			p.pos += 2
			kind = 'g'
		case '=':
			p.pos += 2
			kind = 'l'
		case '!':
			p.pos += 2
			kind, neg = 'l', true
		case '<':
			switch p.at(2) {
			case '=':
				p.pos += 3
				kind, behind = 'l', true
			case '!':
				p.pos += 3
				kind, behind, neg = 'l', true, true
			default:
				p.pos += 2
				name = p.groupName()
			}
		default:
			p.fail() // invalid group
		}
	}
	num := 0
	if kind == 'c' {
		if p.ncap >= maxCaptures {
			p.fail() // too many captures
		}
		p.ncap++
		num = p.ncap
		if name != "" {
			if p.names == nil {
				p.names = map[string]int{}
			}
			if _, dup := p.names[name]; dup {
				p.fail() // duplicate capture group name
			}
			p.names[name] = num
		}
		p.open = append(p.open, num)
	}
	if behind {
		p.behind++
	}
	p.depth++
	if p.depth > p.maxDepth {
		panic(depthError{})
	}
	body := p.disjunction()
	p.depth--
	if p.cur() != ')' {
		p.fail() // unterminated group
	}
	p.pos++
	if behind {
		p.behind--
	}
	if kind == 'c' {
		p.open = p.open[:len(p.open)-1]
	}
	switch kind {
	case 'l':
		return &node{op: opLook, subs: []*node{body}, behind: behind, neg: neg}, true, behind
	case 'c':
		return &node{op: opCapture, subs: []*node{body}, ref: num}, true, false
	}
	return body, true, false
}

// groupName parses a group name up to and including ">". The name is read as an
// identifier with surrogate pairs joined and "\u" escapes decoded.
func (p *reParser) groupName() string {
	var name []rune
	for first := true; ; first = false {
		c := p.nameRune()
		if c == '\\' || c < 0 {
			p.fail()
		}
		if !first && c == '>' {
			break
		}
		if first && !isIDStart(c) || !first && !isIDPart(c) {
			p.fail() // invalid capture group name
		}
		name = append(name, c)
	}
	return string(name)
}

// nameRune reads one code point of a group name.
func (p *reParser) nameRune() rune {
	c := p.cur()
	if c == endOfSource {
		return -1
	}
	p.pos++
	if c == '\\' && p.cur() == 'u' {
		p.pos++
		v, ok := p.unicodeEscapeInName()
		if !ok {
			p.fail() // invalid Unicode escape
		}
		return v
	}
	r := rune(c)
	if isHighSurrogate(uint16(c)) && p.pos < len(p.src) && isLowSurrogate(p.src[p.pos]) {
		r = 0x10000 + (r-0xD800)<<10 + (rune(p.src[p.pos]) - 0xDC00)
		p.pos++
	}
	return r
}

// unicodeEscapeInName reads what follows "\u" in a group name: four hex digits (a
// surrogate pair written as two escapes is joined) or "{hex}".
func (p *reParser) unicodeEscapeInName() (rune, bool) {
	if p.cur() == '{' {
		p.pos++
		v := 0
		n := 0
		for isHex(p.cur()) {
			v = v*16 + hexValue(p.cur())
			if v > 0x10FFFF {
				return 0, false
			}
			p.pos++
			n++
		}
		if n == 0 || p.cur() != '}' {
			return 0, false
		}
		p.pos++
		return rune(v), true
	}
	v, ok := p.hex4()
	if !ok {
		return 0, false
	}
	if isHighSurrogate(uint16(v)) && p.cur() == '\\' && p.at(1) == 'u' {
		save := p.pos
		p.pos += 2
		if w, ok := p.hex4(); ok && isLowSurrogate(uint16(w)) {
			return 0x10000 + (rune(v)-0xD800)<<10 + (rune(w) - 0xDC00), true
		}
		p.pos = save
	}
	return rune(v), true
}

func (p *reParser) hex4() (int, bool) {
	v := 0
	for k := 0; k < 4; k++ {
		c := p.at(k)
		if !isHex(c) {
			return 0, false
		}
		v = v*16 + hexValue(c)
	}
	p.pos += 4
	return v, true
}

func isIDStart(r rune) bool {
	if r == '$' || r == '_' {
		return true
	}
	if r < 0 || unicode.Is(unicode.Pattern_Syntax, r) || unicode.Is(unicode.Pattern_White_Space, r) {
		return false
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r)
}

func isIDPart(r rune) bool {
	if isIDStart(r) || r == 0x200C || r == 0x200D {
		return true
	}
	if r < 0 || unicode.Is(unicode.Pattern_Syntax, r) || unicode.Is(unicode.Pattern_White_Space, r) {
		return false
	}
	return unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue)
}

// atomEscape parses a backslash escape outside a class.
func (p *reParser) atomEscape() (n *node, quantifiable, lookbehind bool) {
	next := p.at(1)
	switch {
	case next == endOfSource:
		p.fail() // \ at end of pattern
	case next >= '1' && next <= '9':
		if num, ok := p.backrefNumber(); ok {
			return p.backref(num, ""), true, false
		}
		if next == '8' || next == '9' {
			p.pos += 2
			return &node{op: opUnit, set: single(uint16(next))}, true, false
		}
		p.pos++
		return &node{op: opUnit, set: single(p.octal())}, true, false
	case next == '0':
		p.pos++
		return &node{op: opUnit, set: single(p.octal())}, true, false
	case next == 'b':
		p.pos += 2
		return &node{op: opAssert, assert: assertWordBoundary}, false, false
	case next == 'B':
		p.pos += 2
		return &node{op: opAssert, assert: assertNotWordBoundary}, false, false
	case next == 'k' && p.hasNamed:
		p.pos += 2
		if p.cur() != '<' {
			p.fail() // invalid named reference
		}
		p.pos++
		name := p.groupName()
		return p.backref(0, name), true, false
	}
	if s, ok := p.classEscape(next); ok {
		p.pos += 2
		return &node{op: opUnit, set: s}, true, false
	}
	return &node{op: opUnit, set: single(p.characterEscape(false))}, true, false
}

// backref builds a backreference node, noting what the resolution needs later.
func (p *reParser) backref(num int, name string) *node {
	n := &node{op: opBackref, ref: num, refName: name, refOpen: append([]int(nil), p.open...),
		refAt: p.ncap, inBehind: p.behind > 0}
	if name != "" {
		p.refs = append(p.refs, n)
	}
	return n
}

// backrefNumber reads "\N..." as a backreference if N names an existing group.
func (p *reParser) backrefNumber() (int, bool) {
	start := p.pos
	p.pos++
	v := 0
	for isDigit(p.cur()) {
		v = v*10 + p.cur() - '0'
		if v > maxCaptures*2 {
			p.pos = start
			return 0, false
		}
		p.pos++
	}
	if v > p.totalCap {
		p.pos = start
		return 0, false
	}
	return v, true
}

// octal reads a legacy octal escape at the current digit: up to three octal digits with a
// value below 256.
func (p *reParser) octal() uint16 {
	v := p.cur() - '0'
	p.pos++
	if c := p.cur(); c >= '0' && c <= '7' {
		v = v*8 + c - '0'
		p.pos++
		if c := p.cur(); v < 32 && c >= '0' && c <= '7' {
			v = v*8 + c - '0'
			p.pos++
		}
	}
	return uint16(v)
}

// classEscape returns the set of a \d \D \s \S \w \W escape.
func (p *reParser) classEscape(c int) (unitSet, bool) {
	switch c {
	case 'd':
		return setDigit, true
	case 'D':
		return setDigit.negate(), true
	case 's':
		return setSpace, true
	case 'S':
		return setSpace.negate(), true
	case 'w':
		return setWord, true
	case 'W':
		return setWord.negate(), true
	}
	return nil, false
}

// characterEscape parses a character escape at the backslash and returns its unit.
func (p *reParser) characterEscape(inClass bool) uint16 {
	p.pos++ // past the backslash
	c := p.cur()
	switch c {
	case 'f':
		p.pos++
		return '\f'
	case 'n':
		p.pos++
		return '\n'
	case 'r':
		p.pos++
		return '\r'
	case 't':
		p.pos++
		return '\t'
	case 'v':
		p.pos++
		return '\v'
	case 'c':
		letter := p.at(1)
		if l := letter &^ 0x20; l >= 'A' && l <= 'Z' {
			p.pos += 2
			return uint16(letter & 0x1F)
		}
		if inClass && (isDigit(letter) || letter == '_') {
			p.pos += 2
			return uint16(letter & 0x1F)
		}
		return '\\' // the backslash is literal; "c" is read next
	case '0':
		if !isDigit(p.at(1)) {
			p.pos++
			return 0
		}
		return p.octal()
	case '1', '2', '3', '4', '5', '6', '7':
		return p.octal()
	case 'x':
		p.pos++
		if isHex(p.cur()) && isHex(p.at(1)) {
			v := hexValue(p.cur())*16 + hexValue(p.at(1))
			p.pos += 2
			return uint16(v)
		}
		return 'x'
	case 'u':
		p.pos++
		if v, ok := p.hex4(); ok {
			return uint16(v)
		}
		return 'u'
	}
	p.pos++
	return uint16(c)
}

// class parses "[...]".
func (p *reParser) class() *node {
	p.pos++
	negated := false
	if p.cur() == '^' {
		negated = true
		p.pos++
	}
	var s unitSet
	for p.cur() != ']' {
		if p.cur() == endOfSource {
			p.fail() // unterminated character class
		}
		c1, set1 := p.classAtom()
		if p.cur() == '-' {
			p.pos++
			if p.cur() == endOfSource {
				p.fail()
			}
			if p.cur() == ']' {
				if set1 == nil {
					s = append(s, unitRange{c1, c1})
				}
				s = append(s, set1...)
				s = append(s, unitRange{'-', '-'})
				break
			}
			c2, set2 := p.classAtom()
			if set1 != nil || set2 != nil {
				s = append(s, set1...)
				s = append(s, set2...)
				if set1 == nil {
					s = append(s, unitRange{c1, c1})
				}
				if set2 == nil {
					s = append(s, unitRange{c2, c2})
				}
				s = append(s, unitRange{'-', '-'})
				continue
			}
			if c1 > c2 {
				p.fail() // range out of order
			}
			s = append(s, unitRange{c1, c2})
			continue
		}
		if set1 != nil {
			s = append(s, set1...)
		} else {
			s = append(s, unitRange{c1, c1})
		}
	}
	p.pos++
	s = append(unitSet(nil), s...).normalize()
	if negated {
		s = s.negate()
	}
	return &node{op: opUnit, set: s}
}

// classAtom reads one member of a class: a unit, or a set for \d and friends.
func (p *reParser) classAtom() (uint16, unitSet) {
	c := p.cur()
	if c != '\\' {
		p.pos++
		return uint16(c), nil
	}
	next := p.at(1)
	switch next {
	case 'b':
		p.pos += 2
		return '\b', nil
	case endOfSource:
		p.fail()
	}
	if s, ok := p.classEscape(next); ok {
		p.pos += 2
		return 0, s
	}
	if next == '8' || next == '9' {
		p.pos += 2
		return uint16(next), nil
	}
	return p.characterEscape(true), nil
}

// dump writes the tree in a compact notation, for tests and as a key for sharing
// identical lookarounds: lit{a}, cc{0x30-0x39}, dot{}, cat{...}, alt{...}, rep{min,max ...},
// bol{}, eol{}, wb{}, nwb{}, la{...}, nla{...}, lb{...}, nlb{...}, bref{n}, emp{}, fail{}.
func dump(n *node) string { return dumpTo(n, -1) }

// maxShape bounds the dumps shape makes: more than the longest shape the fast matchers
// look for (fast.go).
const maxShape = 160

// shape returns dump(n), or, for a node whose dump is longer than maxShape, a string
// longer than maxShape that equals no dump: the fast matchers compare the shapes of the
// nodes they meet with a few short ones, and a whole dump of each would take time
// quadratic in the depth of nested nodes.
func shape(n *node) string { return dumpTo(n, maxShape) }

// dumpTo is dump, which stops walking n once it has more than limit bytes (when limit is
// not negative).
func dumpTo(n *node, limit int) string {
	var b []byte
	var walk func(n *node)
	walk = func(n *node) {
		if limit >= 0 && len(b) > limit {
			return
		}
		switch n.op {
		case opCapture:
			walk(n.subs[0])
		case opFail:
			b = append(b, "fail{}"...)
		case opEmpty:
			b = append(b, "emp{}"...)
		case opUnit:
			switch {
			case len(n.set) == 1 && n.set[0].lo == n.set[0].hi:
				b = append(b, "lit{"...)
				b = append(b, unitsString([]uint16{n.set[0].lo})...)
				b = append(b, '}')
			case sameSet(n.set, setDot):
				b = append(b, "dot{}"...)
			default:
				b = append(b, "cc{"...)
				for i, r := range n.set {
					if i > 0 {
						b = append(b, ' ')
					}
					b = append(b, fmt.Sprintf("%#x", r.lo)...)
					if r.hi != r.lo {
						b = append(b, fmt.Sprintf("-%#x", r.hi)...)
					}
				}
				b = append(b, '}')
			}
		case opConcat, opAlt:
			if n.op == opConcat {
				b = append(b, "cat{"...)
			} else {
				b = append(b, "alt{"...)
			}
			for i, s := range n.subs {
				if i > 0 && n.op == opAlt {
					b = append(b, '|')
				}
				walk(s)
			}
			b = append(b, '}')
		case opRepeat:
			b = append(b, fmt.Sprintf("rep{%d,%d ", n.min, n.max)...)
			walk(n.subs[0])
			b = append(b, '}')
		case opAssert:
			b = append(b, [...]string{"bol{}", "eol{}", "wb{}", "nwb{}"}[n.assert]...)
		case opLook:
			name := "la{"
			switch {
			case n.behind && n.neg:
				name = "nlb{"
			case n.behind:
				name = "lb{"
			case n.neg:
				name = "nla{"
			}
			b = append(b, name...)
			walk(n.subs[0])
			b = append(b, '}')
		case opBackref:
			b = append(b, fmt.Sprintf("bref{%d%s}", n.ref, n.refName)...)
		}
	}
	walk(n)
	return string(b)
}

// freelyNullable reports whether n can match the empty string without passing any test.
func freelyNullable(n *node) bool {
	switch n.op {
	case opEmpty:
		return true
	case opCapture:
		return freelyNullable(n.subs[0])
	case opRepeat:
		return n.min == 0 || freelyNullable(n.subs[0])
	case opConcat:
		for _, s := range n.subs {
			if !freelyNullable(s) {
				return false
			}
		}
		return true
	case opAlt:
		for _, s := range n.subs {
			if freelyNullable(s) {
				return true
			}
		}
	}
	return false
}

// trimLook drops the part of a lookaround body that cannot change its answer: a lookahead
// only asks whether some match starts at the position, so a freely nullable tail may as
// well match nothing (and a lookbehind's freely nullable head likewise).
func trimLook(body *node, behind bool) *node {
	if body.op != opConcat {
		return body
	}
	subs := body.subs
	if behind {
		for len(subs) > 0 && freelyNullable(subs[0]) {
			subs = subs[1:]
		}
	} else {
		for len(subs) > 0 && freelyNullable(subs[len(subs)-1]) {
			subs = subs[:len(subs)-1]
		}
	}
	switch len(subs) {
	case 0:
		return &node{op: opEmpty}
	case 1:
		return subs[0]
	}
	return &node{op: opConcat, subs: subs}
}
