package glob

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// This file holds the matchers for the shapes most globs compile to. They are recognized
// from the expression tree itself, fragment by fragment, so each one decides exactly what
// the expression decides; anything they do not recognize goes to the DFA. They work on the
// path's UTF-8 bytes without converting it:
//
//   - a literal: the path must equal it;
//   - a literal prefix and a globstar tail ("/app/**", and "/{a,b}/**" after expansion);
//   - a sequence of literals, single units, stars (which never cross "/"), the tests a star
//     makes at the start of a segment, and an optional trailing slash: matched greedily,
//     each run of fixed pieces between two stars at its leftmost place, which is exact
//     because a star matches any run of units without "/";
//   - such sequences ("blocks") separated by globstars. On a path where a globstar body can
//     consume anything (no "/." anywhere, no line terminator, no "." first), each block is
//     matched at its leftmost possible place, which is exact because the gap before the
//     next block can absorb whatever an earlier place leaves over. On a path with places a
//     globstar body cannot consume ("/.", a leading "." and line terminators), the same
//     holds within each stretch between two such places, and blocksMatchZones keeps one
//     earliest place per stretch (fastzone.go). Where a block could go past such a place
//     (a star that could take it to an end other than its earliest), or where the zones
//     take long, posProg moves the set of every place through the pattern (fastbits.go).
//
// Single-unit wildcards take one code point, or one byte that is not valid UTF-8 (U+FFFD),
// which is one unit on a path without code points beyond U+FFFF; on other paths, a
// sequence that has them works on the path split into units (splitPath).
// Every matcher here charges the places it tries to a work budget and gives the path to
// the DFA when it runs out.
//
// Alternations (braces, the literal-or-class form of "[abc]") are expanded into up to
// maxFastAlts sequences, tried in turn; alternatives of single units ("{a,b}") are one
// unit of their union, and an optional ("?(a)") is two alternatives. Some tokens only
// posProg runs (a sequence that has them is posOnly): a run of units of a set ("*(a|b)",
// and "+(a)" after one unit of it), a test that the next unit is not of a set ("!(a)"
// before more of the pattern) or that the units to the end are not a text ("!(ab)" that
// ends the pattern), and a middle globstar that may also match the end of the
// path, where the rest of the pattern matches the empty string there. Such sequences, and
// braces inside blocks with more combinations than maxFastAlts, make one posProg that runs
// on every path (buildChoices, fastchoice.go).

const maxFastAlts = 16

// Tree fragments, as dump writes them, that the dialect builds from its wildcards.
const (
	dumpGS       = "rep{0,-1 cat{nla{cat{alt{bol{}|lit{/}}lit{.}}}dot{}}}"  // the body of "**"
	dumpNoDot    = "nla{lit{.}}"                                            // (?!\.)
	dumpOneChar  = "la{dot{}}"                                              // (?=.)
	dumpStar     = "rep{0,-1 cc{0x0-0x2e 0x30-0xffff}}"                     // [^/]*?
	dumpOptSlash = "rep{0,1 lit{/}}"                                        // \/?
	dumpTail     = "alt{cat{lit{/}" + dumpNoDot + dumpGS + "}|eol{}}"       // (?:\/(?!\.)GS|$)
	dumpMid      = "alt{cat{lit{/}" + dumpNoDot + dumpGS + "lit{/}}|lit{/}" // (?:\/(?!\.)GS\/|\/ ...
	dumpMidEnd   = dumpMid + "|eol{}}"                                      // ... |$)
	dumpMidNoEnd = dumpMid + "}"                                            // ... )
	dumpLead     = "alt{bol{}|lit{/}|cat{" + dumpGS + "lit{/}}}"            // (?:^|\/|GS\/)
)

type ftokKind uint8

const (
	fLit      ftokKind = iota
	fOne               // one unit from set
	fClassLit          // one unit from set, or the literal units (a class or its own text)
	fStar              // [^/]*?
	fNoDot             // the next unit is not "."
	fOneChar           // there is a next unit and it is not a line terminator
	fOptSlash          // an optional "/" (only right before the end)
	fBegin
	fEnd
	fGS       // the body of "**"
	fTail     // "/" and a globstar body, or the end
	fSegStart // a globstar gap that ends at the start of a segment
	fMid      // a middle globstar: "/" and a gap ending at a segment start, or the end
	// A run of units from set, none of them "/" ("*(a)" is "(?:a)*"), which only posProg
	// places (fastSeq.posOnly).
	fSetStar
	fNotNext // the next unit is not one of set, or there is none (posOnly, as fSetStar)
	fNotTail // the units from here are not one of each of tail, to the end (posOnly)
	// Fixed tokens (body), a star and fixed tokens (after), or nothing when keep is set:
	// "!(a)?", which is "(?:(?!a)[^/]*?)?", and "*(a*b)" (posOnly). Repeated, it matches
	// no more than once. Its star is a run of units of set, which for "*(*(a)b)", that is
	// "(?:[ab]*b)?", holds fewer than every unit but "/".
	fOptStar
	fNotText // the fixed tokens of body do not follow (posOnly)
	fOptText // nothing, or one of the texts alts (posOnly)
)

type ftok struct {
	kind  ftokKind
	units []uint16 // fLit, fClassLit
	str   string   // fLit, fClassLit, as UTF-8
	// set: for fOne, fClassLit, fSetStar and fNotNext, their set; for fSetStar with a
	// body and fOptText, the units they may consume, for the bounds on breaks; for
	// fOptStar, the units its star may consume.
	set charSet
	// live: an fSegStart of a middle globstar whose "or the end" may match (buildSeq).
	live bool
	tail []charSet // fNotTail
	x    *ftokMore // the fields only the tokens that posProg alone runs use, or nil
}

// ftokMore holds the fields of a token that only posProg runs, apart from the others so
// that the tokens every matcher walks stay small.
type ftokMore struct {
	// body: for an fSetStar that repeats texts of fixed widths rather than a unit, the
	// first text's tokens (fLit, fOne, fNoDot); for an fOptStar, the fixed tokens before
	// its star; for an fNotText, the text.
	body  []ftok
	after []ftok   // fOptStar: the fixed tokens after its star
	alts  [][]ftok // fSetStar with a body: the other texts it repeats (of any widths: textBody)
	keep  bool     // fOptStar, fSetStar with a body: it may match nothing
	// fSetStar whose texts are those of an automaton (textAuto, "*(x+(a|bc))"): the texts
	// that may come first and last, and those that may follow each, a bit each (bit k for
	// text k of body, then alts); follow is nil for a run of the texts in any order.
	first, last uint32
	follow      []uint32
	// fNotText: the text is body, or body, a star and after (star), then the end (end).
	star, end bool
}

// noMore is the ftokMore of a token without one, never written.
var noMore ftokMore

// more returns t's ftokMore, or an empty one.
func (t *ftok) more() *ftokMore {
	if t.x == nil {
		return &noMore
	}
	return t.x
}

// fastSeq is one alternative.
type fastSeq struct {
	kind    uint8 // seqLiteral, seqTail, seqGreedy, seqBlocks
	lit     string
	prefix  string
	tail    ftokKind // seqTail: fTail or fGS (preceded by a no-dot test)
	single  block    // seqGreedy: fixed pieces in chunks; a star sits between consecutive chunks
	opt     bool     // an optional "/" before the end
	ones    bool     // has fOne tokens (which work on paths where a code point is a unit)
	posOnly bool     // has tokens only posProg runs (posToken), or a live fMid
	blocks  []block  // seqBlocks
	endTail bool     // seqBlocks: the last block is followed by "/" and anything, or the end
	repeats bool     // seqBlocks: some block is equal to an earlier one (block.same)
	kinds   int      // seqBlocks: the distinct blocks (block.kind)
	// seqBlocks: crossFrom[0][i] bounds the "/." breaks blocks i on can consume together,
	// and crossFrom[1][i] the line terminators (blockBreaks).
	crossFrom [2][]int
	pos       *posProg // seqBlocks: the steps of posProg.run, or nil
	// star: a seqGreedy of one star between literals, head (followed by the tests noDot
	// and oneChar, if set) and foot, which starMatch decides without runChunks.
	star           bool
	noDot, oneChar bool
	head, foot     string
}

// block is a greedy sequence that follows a globstar gap.
type block struct {
	gap    ftokKind // fGS (any run), fSegStart (a run ending at a segment start), 0 for the first
	chunks [][]ftok
	// The least and the most bytes the last chunk consumes (a single-unit wildcard takes
	// one to three); with a single chunk, the most bytes the block consumes.
	lastMin, lastMax int
	lastSlash        bool   // the last chunk holds a "/"
	lead             string // the literal the block starts with, if any
	slead            string // "/" and lead, for a block after a segment-start gap
	// afterLead: the block consumes a unit after its lead, and no unit it consumes after the
	// lead can be "/", so it cannot start where the lead is followed by "/" or the end.
	afterLead bool
	// Whether the block can consume the "/" of a "/." and go on after it (crossSlash), or
	// a line terminator (crossLT): that is, a break of the path (see zones).
	crossSlash, crossLT bool
	// manyEnds: the block is not the last and has a star, and its last chunk holds no
	// "/", so that one start can give several ends, in different zones if the star
	// crosses a line terminator.
	manyEnds bool
	// same is the index of the first block of the sequence equal to this one (the same gap
	// and chunks): such blocks match at the same places. kind numbers the distinct blocks
	// of the sequence in order, from 0.
	same, kind int
	// liveEnd: the middle globstar after the block may match the end of the path, where
	// the rest of the pattern matches the empty string (a posOnly sequence).
	liveEnd bool
	// period is the least period P of a run of blocks starting here (each block equal to
	// the one P before, sameKind) that repeats for runBlocks(P) blocks, or 0 (see
	// blocksMatchZones).
	period int
}

// runBlocks is how many blocks past its first period a run of period p must repeat for
// blocksMatchZones to keep records for it: a sequence of blocks of a few kinds in no order
// often repeats a block or two by chance, and a run that ends at once costs its records
// (150 blocks "/**/X?" of ten kinds in no order spent a third of their time on such runs).
func runBlocks(p int) int { return max(2*p, 8) }

// sameKind reports whether blocks a and b, neither the first nor the last, do the same:
// the same blocks, with the same gap after them.
func (s *fastSeq) sameKind(a, b int) bool {
	return a > 0 && b > 0 && a+1 < len(s.blocks) && b+1 < len(s.blocks) &&
		s.blocks[a].same == s.blocks[b].same && s.blocks[a+1].gap == s.blocks[b+1].gap
}

const (
	seqLiteral uint8 = iota
	seqTail
	seqGreedy
	seqBlocks
)

type fastMatcher struct {
	seqs []fastSeq
	// split holds the same sequences with their literals in the encoding of split paths
	// (see splitPath); it is seqs when no literal holds a code point beyond U+FFFF.
	split []fastSeq
	// perByte is the work a byte of the path allows (fastWork), fastPerByte unless the
	// pattern's fallback is slow (setFallback).
	perByte int
	// merged, for alternatives that are sequences of blocks, each every combination of the
	// blocks at each place (braces inside blocks), is all of them as one posProg, which
	// decides a path with breaks in one run (newPosProg).
	merged *posProg
	// choices: the pattern is merged alone, braces inside blocks with more combinations
	// than seqs would take one by one (buildChoices); seqs is empty.
	choices bool
}

// newFastMatcher returns a matcher for tree, or nil when its shape is not one of the above.
// A class that may match its own text is one token (fClassLit) where the matchers place
// it without a search; else it is two alternatives, as picomatch writes it, or one token
// again in a matcher of choices.
func newFastMatcher(tree *node) *fastMatcher {
	m, lits := buildFast(tree, true)
	if lits && (m == nil || !m.classLitsPlaced()) {
		m, _ = buildFast(tree, false)
	}
	if m == nil {
		// Too many alternatives, perhaps, which one program may take as choices inside
		// blocks (fastchoice.go). It places fClassLit tokens anywhere.
		m = buildChoices(tree, true)
	}
	return m
}

// buildFast builds the matcher for tree, with fClassLit tokens when lits is set, and
// reports whether it made any.
func buildFast(tree *node, lits bool) (*fastMatcher, bool) {
	seqs, ok := flattenFast(tree, [][]ftok{nil}, flatOpts{lits: lits})
	if !ok {
		return nil, false
	}
	if len(seqs) == 0 {
		// Every alternative fails ("x!(*)y" holds (?![^/]*?)): a matcher that matches
		// nothing.
		return &fastMatcher{perByte: fastPerByte}, false
	}
	made := slices.ContainsFunc(seqs, hasClassLit)
	m := &fastMatcher{perByte: fastPerByte}
	pairs := false // a literal holds a surrogate pair
	for _, toks := range seqs {
		s, ok := buildSeq(toks, unitsString)
		if !ok || s != nil && s.posOnly {
			return nil, made
		}
		if s != nil {
			m.seqs = append(m.seqs, *s)
		}
		for _, t := range toks {
			pairs = pairs || (t.kind == fLit || t.kind == fClassLit) && slices.ContainsFunc(t.units, isSurrogate)
		}
	}
	if len(m.seqs) == 0 {
		return nil, made
	}
	if len(m.seqs) > 1 {
		ptrs := make([]*fastSeq, len(m.seqs))
		for i := range m.seqs {
			ptrs[i] = &m.seqs[i]
		}
		m.merged = newPosProg(ptrs...)
	}
	m.split = m.seqs
	if pairs {
		m.split = nil
		for _, toks := range seqs {
			if s, _ := buildSeq(toks, splitUnits); s != nil {
				m.split = append(m.split, *s)
			}
		}
	}
	return m, made
}

// classLitsPlaced reports whether every fClassLit token of m sits where the matchers can
// place it: in the first chunk of a sequence, which starts at 0; in the last one when it
// must end at the end (or at the end of a segment, without a "/" of its own), matched from
// there backwards; or in a chunk after a star that findChunk places at its leftmost end
// (leftmostEnd), when the chunk holds no "/" and so ends in the segment it starts in. A
// block after a globstar is placed at its leftmost start, which for fixed pieces of one
// width is also its leftmost end; a token of two widths breaks that.
func (m *fastMatcher) classLitsPlaced() bool {
	for i := range m.seqs {
		s := &m.seqs[i]
		blocks := s.blocks
		if s.kind == seqGreedy {
			blocks = []block{s.single}
		}
		for bi := range blocks {
			b := &blocks[bi]
			last, mode := bi == len(blocks)-1, endExact
			if s.kind == seqBlocks {
				last, mode = s.blockMode(bi)
			}
			for ci, c := range b.chunks {
				if !hasClassLit(c) {
					continue
				}
				first := bi == 0 && ci == 0
				lastChunk := ci == len(b.chunks)-1
				end := last && lastChunk && (mode == endExact || mode == endSegment && !b.lastSlash)
				found := ci > 0 && (!lastChunk || mode == endFree) && !chunkHasSlash(c)
				if !first && !end && !found {
					return false
				}
			}
		}
	}
	return true
}

// hasClassLit reports whether tokens c hold an fClassLit.
func hasClassLit(c []ftok) bool {
	return slices.ContainsFunc(c, func(t ftok) bool { return t.kind == fClassLit })
}

// flatOpts are the tokens flattenFast may make: fClassLit with lits, and those only
// posProg runs (posToken) with pos. Without pos, it gives up early on the extglobs of a
// pattern whose sequences only posProg could run.
type flatOpts struct{ lits, pos bool }

// flattenFast turns n into token sequences, one per alternative, appended to each of in.
func flattenFast(n *node, in [][]ftok, opt flatOpts) ([][]ftok, bool) {
	// Each sequence in in is owned by this call (branches copy before they fork), so a
	// token is appended in place.
	add := func(t ...ftok) [][]ftok {
		for i := range in {
			in[i] = append(in[i], t...)
		}
		return in
	}
	switch n.op {
	case opCapture:
		return flattenFast(n.subs[0], in, opt)
	case opEmpty:
		return in, true
	case opFail:
		return nil, true
	case opUnit:
		if len(n.set) == 1 && n.set[0].lo == n.set[0].hi {
			return add(ftok{kind: fLit, units: []uint16{n.set[0].lo}}), true
		}
		if n.set.has('/') {
			return nil, false
		}
		return add(ftok{kind: fOne, set: newCharSet(n.set)}), true
	case opConcat:
		cur := in
		for _, s := range n.subs {
			var ok bool
			if cur, ok = flattenFast(s, cur, opt); !ok {
				return nil, false
			}
		}
		return cur, true
	case opAlt:
		switch shape(n) {
		case dumpTail:
			return add(ftok{kind: fTail}), true
		case dumpLead:
			return add(ftok{kind: fSegStart}), true
		case dumpMidEnd:
			return add(ftok{kind: fMid}), true
		case dumpMidNoEnd:
			add(ftok{kind: fLit, units: []uint16{'/'}})
			return add(ftok{kind: fSegStart}), true
		}
		if t, ok := classLit(n); ok && opt.lits {
			return add(t), true
		}
		if set, ok := unitsOf(n); ok && !set.has('/') {
			// Alternatives of single units ("{a,b,c}") are one unit of their union.
			return flattenFast(&node{op: opUnit, set: set}, in, opt)
		}
		var out [][]ftok
		for _, s := range n.subs {
			fork := make([][]ftok, len(in))
			for i, q := range in {
				fork[i] = append([]ftok(nil), q...)
			}
			r, ok := flattenFast(s, fork, opt)
			if !ok || len(out)+len(r) > maxFastAlts {
				return nil, false
			}
			out = append(out, r...)
		}
		return out, true
	case opRepeat:
		switch shape(n) {
		case dumpStar:
			return add(ftok{kind: fStar}), true
		case dumpGS:
			return add(ftok{kind: fGS}), true
		case dumpOptSlash:
			return add(ftok{kind: fOptSlash}), true
		}
		if set, ok := unitsOfStars(n.subs[0]); ok && opt.pos && n.max < 0 && n.min <= 1 && !set.has('/') {
			// "*(a|*(b))" and "+(a|*(b))", which are "[ab]*": a run of units of one set.
			return add(ftok{kind: fSetStar, set: newCharSet(set)}), true
		}
		if set, ok := unitsOf(n.subs[0]); ok && opt.pos && n.max < 0 && n.min <= 1 && !set.has('/') {
			// "*(a|b)" and "+(a)": a run of units of one set.
			if n.min == 1 {
				if in, ok = flattenFast(&node{op: opUnit, set: set}, in, opt); !ok {
					return nil, false
				}
			}
			return add(ftok{kind: fSetStar, set: newCharSet(set)}), true
		}
		if opt.pos {
			if set, unit, ok := setRunBody(n); ok {
				// "*(*(a)b)", which is "(?:[ab]*b)?": a run of units of either set that ends
				// with one of the second, as a body that matches once or not at all.
				return add(ftok{kind: fOptStar, set: set, x: &ftokMore{after: []ftok{unit}, keep: n.min == 0}}), true
			}
			if body, after, ok := optStarBody(n); ok {
				return add(ftok{kind: fOptStar, set: newCharSet(anyButSlash), x: &ftokMore{body: body, after: after, keep: n.min == 0}}), true
			}
		}
		if opt.pos && n.max < 0 && n.min <= 1 {
			// "*(ab)" and "+(ab)": a run of repetitions of a text of fixed width. (The body
			// is flattened without opt.pos: no repetition inside it flattens its own body.)
			if texts, set, ok := textBody(n.subs[0]); ok {
				keep := n.min == 0
				if len(texts) == 1 && !keep {
					// "+(ab)": the text, which joins the fixed tokens before it, then
					// "*(ab)".
					in, keep = add(texts[0]...), true
				}
				return add(ftok{kind: fSetStar, set: set, x: &ftokMore{body: texts[0], alts: texts[1:], keep: keep}}), true
			}
			if a, ok := textAuto(n); ok {
				// "*(x+(a|bc))": an automaton whose steps are texts. (Optionals inside,
				// "*(a?(b))", are alternatives of whole texts, which textBody takes: the
				// run then steps a text "ab" at once, not "a" then "b".)
				return add(ftok{kind: fSetStar, set: a.set, x: &ftokMore{body: a.texts[0], alts: a.texts[1:],
					keep: a.nullable, first: a.first, last: a.last, follow: a.follow}}), true
			}
		}
		if texts, set, ok := optTexts(n); ok && opt.pos {
			// "?(a)", "?(ab|c)": the position, or the texts after it, in one pass.
			return add(ftok{kind: fOptText, set: set, x: &ftokMore{alts: texts}}), true
		}
		if alt := optionalAlt(n); alt != nil {
			return flattenFast(alt, in, opt)
		}
	case opLook:
		if !n.behind && freelyNullable(n.subs[0]) {
			// (?!) never holds, and (?=) always does: "!(*)" before more of the pattern
			// is (?![^/]*?).
			if n.neg {
				return nil, true
			}
			return in, true
		}
		switch shape(n) {
		case dumpNoDot:
			return add(ftok{kind: fNoDot}), true
		case dumpOneChar:
			return add(ftok{kind: fOneChar}), true
		}
		if set, ok := unitsOf(n.subs[0]); ok && opt.pos && n.neg && !n.behind {
			// "!(a)" before more of the pattern: (?!a).
			return add(ftok{kind: fNotNext, set: newCharSet(set)}), true
		}
		if tail, ok := unitsToEnd(n.subs[0]); ok && opt.pos && n.neg && !n.behind {
			// "!(ab)" that ends the pattern: (?!ab$).
			return add(ftok{kind: fNotTail, tail: tail}), true
		}
		if opt.pos && n.neg && !n.behind {
			if t, ok := lookText(n.subs[0]); ok {
				// "!(ab)" before more of the pattern, "!(*a)", "!(a*)" at the end.
				return add(t), true
			}
		}
	case opAssert:
		switch n.assert {
		case assertBegin:
			return add(ftok{kind: fBegin}), true
		case assertEnd:
			return add(ftok{kind: fEnd}), true
		}
	}
	return nil, false
}

// maxTextStar is the widest text a run of repetitions (fSetStar with a body) repeats: a
// repetition may cross at most one boundary of the words of positions (textPass).
const maxTextStar = 32

// maxMixedTexts is the most texts of different widths a run of repetitions repeats
// (mixedPass tests each at each step).
const maxMixedTexts = 8

// textBody returns the alternatives of n, and the units they match, for an n that
// matches texts of fixed width (no "/") and nothing else: literal units, single units of
// sets, and tests that the next unit is not ".". The texts are of one width, 2 to
// maxTextStar units, or of different widths, 1 to maxTextStar units, up to maxMixedTexts
// of them ("a|bc").
func textBody(n *node) ([][]ftok, charSet, bool) {
	seqs, ok := flattenFast(n, [][]ftok{nil}, flatOpts{})
	if !ok || len(seqs) == 0 {
		return nil, charSet{}, false
	}
	for _, seq := range seqs {
		for _, t := range seq {
			if t.kind != fLit && t.kind != fOne && t.kind != fNoDot {
				return nil, charSet{}, false
			}
		}
	}
	set := unitsOfTexts(seqs)
	if set.has('/') {
		return nil, charSet{}, false
	}
	// Texts of one unit each are a run of units of a set (unitsOf), not this.
	w := textWidth(seqs[0])
	least, mixed := 2, slices.ContainsFunc(seqs, func(s []ftok) bool { return textWidth(s) != w })
	if mixed {
		least = 1
	}
	if mixed && len(seqs) > maxMixedTexts || slices.ContainsFunc(seqs, func(s []ftok) bool {
		return textWidth(s) < least || textWidth(s) > maxTextStar
	}) {
		return nil, charSet{}, false
	}
	return seqs, set, true
}

// maxAutoTexts is the most texts the automaton of a repetition steps through (textAuto).
const maxAutoTexts = 16

// textAutomaton is a repetition whose body nests repetitions and alternatives of texts
// of fixed width ("*(x+(a|bc))"), as an automaton whose steps are the texts: a position
// after text k may be followed by text j when follow[k] has bit j. A match takes a text of
// first, then texts that follow each other, and ends after a text of last, or takes
// nothing when the repetition is nullable.
type textAutomaton struct {
	texts       [][]ftok
	follow      []uint32
	first, last uint32
	nullable    bool
	set         charSet // the units of the texts
}

// glushkov is what textAutomaton.build returns for a part of the expression: the texts
// that may start and end it, and whether it matches nothing.
type glushkov struct {
	first, last uint32
	nullable    bool
}

// textAuto returns the automaton of a repetition n of 0 or 1 or more ("*" or "+") whose
// body holds only units (no "/"), sequences, alternatives, and repetitions of 0 or 1 or
// more, or of 0 or 1, of them, with a repetition among them, up to maxAutoTexts texts of
// up to maxTextStar units. A body of texts only is textBody's.
func textAuto(n *node) (*textAutomaton, bool) {
	if n.op != opRepeat || n.min > 1 || n.max >= 0 || !repeatsIn(n.subs[0]) {
		return nil, false
	}
	a := &textAutomaton{}
	g, ok := a.build(n)
	if !ok || len(a.texts) < 2 {
		return nil, false
	}
	a.first, a.last, a.nullable = g.first, g.last, g.nullable
	a.set = unitsOfTexts(a.texts)
	return a, !a.set.has('/')
}

// build adds the texts of n to a, and the steps between them, and returns n's first and
// last texts (the positions automaton of n, with a text for each run of units).
func (a *textAutomaton) build(n *node) (glushkov, bool) {
	switch n.op {
	case opCapture:
		return a.build(n.subs[0])
	case opEmpty:
		return glushkov{nullable: true}, true
	case opUnit:
		return a.text([]*node{n})
	case opConcat:
		g := glushkov{nullable: true}
		for i := 0; i < len(n.subs); {
			var h glushkov
			var ok bool
			if n.subs[i].op == opUnit {
				// A run of units is one text.
				j := i + 1
				for j < len(n.subs) && j-i < maxTextStar && n.subs[j].op == opUnit {
					j++
				}
				h, ok = a.text(n.subs[i:j])
				i = j
			} else {
				h, ok = a.build(n.subs[i])
				i++
			}
			if !ok {
				return glushkov{}, false
			}
			for m := g.last; m != 0; m &= m - 1 {
				a.follow[bits.TrailingZeros32(m)] |= h.first
			}
			first, last := g.first, h.last
			if g.nullable {
				first |= h.first
			}
			if h.nullable {
				last |= g.last
			}
			g = glushkov{first, last, g.nullable && h.nullable}
		}
		return g, true
	case opAlt:
		var g glushkov
		for _, s := range n.subs {
			h, ok := a.build(s)
			if !ok {
				return glushkov{}, false
			}
			g = glushkov{g.first | h.first, g.last | h.last, g.nullable || h.nullable}
		}
		return g, true
	case opRepeat:
		if n.min > 1 || n.max >= 0 && n.max != 1 || shape(n) == dumpOptSlash {
			return glushkov{}, false
		}
		g, ok := a.build(n.subs[0])
		if n.max < 0 {
			for m := g.last; m != 0; m &= m - 1 {
				a.follow[bits.TrailingZeros32(m)] |= g.first
			}
		}
		g.nullable = g.nullable || n.min == 0
		return g, ok
	}
	return glushkov{}, false
}

// text adds the text of units, a node each, to a.
func (a *textAutomaton) text(units []*node) (glushkov, bool) {
	seqs, ok := flattenFast(&node{op: opConcat, subs: units}, [][]ftok{nil}, flatOpts{})
	if !ok || len(seqs) != 1 || len(a.texts) == maxAutoTexts || !fixedTokens(seqs[0]) {
		return glushkov{}, false
	}
	k := len(a.texts)
	a.texts = append(a.texts, seqs[0])
	a.follow = append(a.follow, 0)
	return glushkov{first: 1 << k, last: 1 << k}, true
}

// maxOptTexts is the most texts an fOptText holds.
const maxOptTexts = 4

// optTexts returns the texts of an optional n ("?(a)", "?(ab|c)"), and the units they
// match, when they are texts of fixed width (1 to 63 units, no "/"), up to maxOptTexts.
func optTexts(n *node) ([][]ftok, charSet, bool) {
	if n.op != opRepeat || n.min != 0 || n.max != 1 || shape(n) == dumpOptSlash || repeatsIn(n.subs[0]) {
		return nil, charSet{}, false
	}
	seqs, ok := flattenFast(n.subs[0], [][]ftok{nil}, flatOpts{})
	if !ok || len(seqs) == 0 || len(seqs) > maxOptTexts {
		return nil, charSet{}, false
	}
	for _, seq := range seqs {
		if w := textWidth(seq); w == 0 || w > 63 || !fixedTokens(seq) {
			return nil, charSet{}, false
		}
	}
	return seqs, unitsOfTexts(seqs), true
}

// unitsOfTexts returns the units the literal and single units of texts match.
func unitsOfTexts(texts [][]ftok) charSet {
	var units unitSet
	for _, text := range texts {
		for _, t := range text {
			switch t.kind {
			case fLit:
				for _, u := range t.units {
					units = append(units, unitRange{u, u})
				}
			case fOne:
				units = append(units, t.set.units()...)
			}
		}
	}
	return newCharSet(units.normalize())
}

// textWidth returns the units tokens (fLit, fOne and tests) match.
func textWidth(toks []ftok) int {
	w := 0
	for _, t := range toks {
		switch t.kind {
		case fLit:
			w += len(t.units)
		case fOne:
			w++
		}
	}
	return w
}

// optStarBody returns the fixed tokens before and after the star of the body of a
// repetition n of 0 or 1, or 0 or 1 or more ("?", "*" or "+"), for a body that is fixed
// tokens, a star and fixed tokens, with no "/": such a body, repeated, matches no more
// than once does. A second time would start after the first's start and end before the
// same "/", where the first time's star could have taken the second's tokens before the
// star and the star's units.
func optStarBody(n *node) (before, after []ftok, ok bool) {
	if n.op != opRepeat || n.min > 1 || n.max >= 0 && n.max != 1 || shape(n) == dumpOptSlash || repeatsIn(n.subs[0]) {
		return nil, nil, false
	}
	seqs, ok := flattenFast(n.subs[0], [][]ftok{nil}, flatOpts{pos: true})
	if !ok || len(seqs) != 1 {
		return nil, nil, false
	}
	toks := seqs[0]
	star := slices.IndexFunc(toks, func(t ftok) bool { return t.kind == fStar })
	if star < 0 || !fixedTokens(toks[:star]) || !fixedTokens(toks[star+1:]) {
		return nil, nil, false
	}
	return toks[:star], toks[star+1:], true
}

// setRunBody returns, for a repetition n of 0 or 1 or more ("*" or "+") whose body is a
// run of units of a set then one unit of another set t ("*(*(a)b)"), the units of both
// sets and the token of t: a run of such bodies is a run of units of either set that ends
// with a unit of t (cut it after each unit of t that is not of the first set, and at its
// end), and runs of them are runs too.
func setRunBody(n *node) (charSet, ftok, bool) {
	if n.op != opRepeat || n.min > 1 || n.max >= 0 {
		return charSet{}, ftok{}, false
	}
	seqs, ok := flattenFast(n.subs[0], [][]ftok{nil}, flatOpts{pos: true})
	if !ok || len(seqs) != 1 || len(seqs[0]) != 2 {
		return charSet{}, ftok{}, false
	}
	run, unit := seqs[0][0], seqs[0][1]
	if run.kind != fSetStar || run.x != nil || unit.kind != fOne && (unit.kind != fLit || len(unit.units) != 1) {
		return charSet{}, ftok{}, false
	}
	units := run.set.units()
	if unit.kind == fOne {
		units = append(units, unit.set.units()...)
	} else {
		units = append(units, unitRange{unit.units[0], unit.units[0]})
	}
	set := newCharSet(units.normalize())
	return set, unit, !set.has('/')
}

// fixedTokens reports whether toks are tokens posProg.fixedSteps takes, with no "/".
func fixedTokens(toks []ftok) bool {
	for _, t := range toks {
		switch t.kind {
		case fLit:
			if slices.Contains(t.units, '/') {
				return false
			}
		case fOne, fNoDot, fNotNext, fNotTail, fOneChar, fNotText:
		default:
			return false
		}
	}
	return true
}

// lookText returns the token of a negative lookahead whose body n is a text of fixed
// width (literal and single units, no "/"), maybe followed by a star, more text and the
// end: (?!ab), (?!a[^/]*?$), (?![^/]*?ab), (?!a[^/]*?b$). A star that ends the body and
// is not followed by the end changes nothing.
func lookText(n *node) (ftok, bool) {
	seqs, ok := flattenFast(n, [][]ftok{nil}, flatOpts{})
	if !ok || len(seqs) != 1 {
		return ftok{}, false
	}
	m := &ftokMore{}
	toks := seqs[0]
	if k := len(toks) - 1; k >= 0 && toks[k].kind == fEnd {
		m.end, toks = true, toks[:k]
	}
	if k := slices.IndexFunc(toks, func(t ftok) bool { return t.kind == fStar }); k >= 0 {
		m.star, m.after, toks = true, toks[k+1:], toks[:k]
	}
	if m.star && !m.end && len(m.after) == 0 {
		m.star = false // (?!a[^/]*?) is (?!a)
	}
	m.body = toks
	for _, u := range append(slices.Clip(m.body), m.after...) {
		if u.kind != fLit && u.kind != fOne || slices.Contains(u.units, '/') {
			return ftok{}, false
		}
	}
	// (?![^/]*?) never holds, and a pattern holding it never matches: not a token.
	return ftok{kind: fNotText, x: m}, len(m.body)+len(m.after) > 0 || m.end
}

// repeatsIn reports whether n holds a repetition other than a star, which optStarBody
// refuses before it flattens n: flattening repetitions inside repetitions again at every
// depth would take time exponential in the depth.
func repeatsIn(n *node) bool {
	if n.op == opRepeat && shape(n) != dumpStar {
		return true
	}
	return slices.ContainsFunc(n.subs, repeatsIn)
}

// anyButSlash is every unit but "/".
var anyButSlash = unitSet{{0, '/' - 1}, {'/' + 1, 0xFFFF}}

// emptyAtEnd reports whether token t matches the empty string at the end of a path.
func emptyAtEnd(t *ftok) bool {
	switch t.kind {
	case fStar, fNoDot, fGS, fMid, fTail, fOptSlash, fSetStar, fNotNext, fNotTail, fOptText:
		return true
	case fNotText:
		// No text follows the end; but "the end follows" does ((?![^/]*?$)).
		x := t.more()
		return len(x.body)+len(x.after) > 0
	case fOptStar:
		x := t.more()
		return x.keep || all(append(slices.Clip(x.body), x.after...), func(u ftok) bool { return emptyAtEnd(&u) })
	}
	return false
}

// optionalAlt returns the alternation "nothing, or the body" that an optional n ("?(a)",
// a repetition of 0 or 1) means, or nil for any other n and for the optional trailing
// slash (a token of its own).
func optionalAlt(n *node) *node {
	if n.op != opRepeat || n.min != 0 || n.max != 1 || shape(n) == dumpOptSlash {
		return nil
	}
	return &node{op: opAlt, subs: []*node{{op: opEmpty}, n.subs[0]}}
}

// unitsOf returns the units n matches, for an n that matches one unit: a set, or
// alternatives of sets.
func unitsOf(n *node) (unitSet, bool) {
	switch n.op {
	case opCapture:
		return unitsOf(n.subs[0])
	case opUnit:
		return n.set, len(n.set) > 0
	case opConcat:
		if len(n.subs) == 1 {
			return unitsOf(n.subs[0])
		}
	case opAlt:
		var set unitSet
		for _, s := range n.subs {
			u, ok := unitsOf(s)
			if !ok {
				return nil, false
			}
			set = append(set, u...)
		}
		return set.normalize(), len(set) > 0
	}
	return nil, false
}

// unitsOfStars returns the units n matches, for alternatives of single units and runs
// of units of sets, one run at least ("a|*(b)"): a repetition of n is a run of its units.
func unitsOfStars(n *node) (unitSet, bool) {
	if n = unwrapped(n); n.op != opAlt {
		return nil, false
	}
	var set unitSet
	runs := false
	for _, s := range n.subs {
		if s = unwrapped(s); s.op == opRepeat && s.min == 0 && s.max < 0 {
			s, runs = s.subs[0], true
		}
		u, ok := unitsOf(s)
		if !ok {
			return nil, false
		}
		set = append(set, u...)
	}
	return set.normalize(), runs
}

// unwrapped returns n without the captures and concatenations of one node around it.
func unwrapped(n *node) *node {
	for n.op == opCapture || n.op == opConcat && len(n.subs) == 1 {
		n = n.subs[0]
	}
	return n
}

// unitsToEnd returns the sets of the units n matches one after another, for an n that
// matches units (sets, or alternatives of sets) and then the end of the path.
func unitsToEnd(n *node) ([]charSet, bool) {
	var tail []charSet
	ended := false
	var walk func(n *node) bool
	walk = func(n *node) bool {
		switch {
		case ended || len(tail) == 64:
			return false
		case n.op == opCapture || n.op == opConcat:
			for _, s := range n.subs {
				if !walk(s) {
					return false
				}
			}
			return true
		case n.op == opAssert && n.assert == assertEnd:
			ended = true
			return true
		}
		set, ok := unitsOf(n)
		tail = append(tail, newCharSet(set))
		return ok
	}
	return tail, walk(n) && ended && len(tail) > 0
}

// classLit recognizes a class that may also match its own text, "(?:\\[ab\\]|[ab])", and
// returns it as one token when the text's first and last units are outside the set, so that
// the path decides which of the two matches, from either end. Else the alternation is
// flattened into sequences as any other.
func classLit(n *node) (ftok, bool) {
	if len(n.subs) != 2 || n.subs[0].op != opConcat || n.subs[1].op != opUnit {
		return ftok{}, false
	}
	var lit []uint16
	for _, u := range n.subs[0].subs {
		if u.op != opUnit || len(u.set) != 1 || u.set[0].lo != u.set[0].hi || u.set[0].lo == '/' {
			return ftok{}, false
		}
		lit = append(lit, u.set[0].lo)
	}
	set := n.subs[1].set
	if len(lit) < 2 || set.has('/') || set.has(lit[0]) || set.has(lit[len(lit)-1]) {
		return ftok{}, false
	}
	return ftok{kind: fClassLit, units: lit, set: newCharSet(set)}, true
}

// buildSeq classifies one token sequence. It returns nil, true for a sequence that can never
// match (a "^" after a unit), and false for one the fast matchers cannot handle.
func buildSeq(toks []ftok, encode func([]uint16) string) (*fastSeq, bool) {
	// A middle globstar's alternative "the end" is dead when a unit must follow it.
	var expanded []ftok
	for k, t := range toks {
		if t.kind != fMid {
			expanded = append(expanded, t)
			continue
		}
		// Live when every token up to the end matches the empty string at the end; then
		// only posProg runs the sequence, with a test of the end before the "/".
		dead, live := false, true
		for _, u := range toks[k+1:] {
			if unitToken(&u) {
				dead = true
				break
			}
			if u.kind == fEnd {
				break
			}
			live = live && emptyAtEnd(&u)
		}
		if !dead && !live {
			return nil, false
		}
		expanded = append(expanded, ftok{kind: fLit, units: []uint16{'/'}}, ftok{kind: fSegStart, live: !dead})
	}
	// Merge adjacent literals.
	var ts []ftok
	for _, t := range expanded {
		if t.kind == fLit && len(ts) > 0 && ts[len(ts)-1].kind == fLit {
			last := &ts[len(ts)-1]
			last.units = append(append([]uint16(nil), last.units...), t.units...)
			continue
		}
		ts = append(ts, t)
	}
	// Leading "^" hold at position 0; one after anything that may consume never holds. A
	// sequence without one may match anywhere (a search), which these matchers do not do.
	i := 0
	for i < len(ts) && ts[i].kind == fBegin {
		i++
	}
	if i == 0 {
		return nil, false
	}
	ts = ts[i:]
	for _, t := range ts {
		if t.kind == fBegin {
			return nil, false
		}
	}
	// A "$" before the last token: what follows must match nothing at the end.
	for k, t := range ts {
		if t.kind != fEnd {
			continue
		}
		for _, u := range ts[k+1:] {
			switch u.kind {
			case fEnd, fStar, fNoDot, fOptSlash, fGS:
			case fLit, fOne, fClassLit, fOneChar:
				return nil, true // can never match
			default:
				return nil, false
			}
		}
		ts = append(ts[:k:k], ftok{kind: fEnd})
		break
	}
	// Trailing "$".
	j := len(ts)
	for j > 0 && ts[j-1].kind == fEnd {
		j--
	}
	if j == len(ts) {
		return nil, false // not anchored at the end
	}
	ts = ts[:j]
	for i := range ts {
		switch t := &ts[i]; t.kind {
		case fEnd:
			return nil, false
		case fLit, fClassLit:
			if !unitsValid(t.units) {
				return nil, false
			}
			t.str = encode(t.units)
		}
	}

	// A literal prefix followed by a globstar tail.
	k := 0
	prefix := ""
	if k < len(ts) && ts[k].kind == fLit {
		prefix = ts[k].str
		k++
	}
	rest := ts[k:]
	switch {
	case len(rest) == 1 && rest[0].kind == fTail:
		return &fastSeq{kind: seqTail, prefix: prefix, tail: fTail}, true
	case len(rest) >= 2 && rest[0].kind == fNoDot && rest[1].kind == fGS &&
		(len(rest) == 2 || len(rest) == 3 && rest[2].kind == fOptSlash):
		return &fastSeq{kind: seqTail, prefix: prefix, tail: fGS}, true
	case len(rest) == 0:
		return &fastSeq{kind: seqLiteral, lit: prefix}, true
	}

	// Greedy: chunks of fixed pieces separated by stars, in blocks separated by globstars.
	s := &fastSeq{kind: seqGreedy}
	if n := len(ts); n > 0 && ts[n-1].kind == fOptSlash {
		s.opt = true
		ts = ts[:n-1]
	}
	if n := len(ts); n > 0 && ts[n-1].kind == fTail {
		s.endTail = true
		ts = ts[:n-1]
	}
	cur := block{}
	var chunk []ftok
	for _, t := range ts {
		switch t.kind {
		case fStar:
			cur.chunks = append(cur.chunks, chunk)
			chunk = nil
		case fLit, fOne, fClassLit, fNoDot, fOneChar, fSetStar, fNotNext, fNotTail, fOptStar, fNotText, fOptText:
			if t.kind == fOne || t.kind == fClassLit {
				s.ones = true
			}
			s.posOnly = s.posOnly || posToken(t.kind)
			chunk = append(chunk, t)
		case fGS, fSegStart:
			cur.chunks = append(cur.chunks, chunk)
			cur.liveEnd = t.live
			s.posOnly = s.posOnly || t.live
			s.blocks = append(s.blocks, cur)
			cur = block{gap: t.kind}
			chunk = nil
		default:
			return nil, false
		}
	}
	cur.chunks = append(cur.chunks, chunk)
	s.blocks = append(s.blocks, cur)
	for i := range s.blocks {
		b := &s.blocks[i]
		b.lastMin, b.lastMax = chunkWidths(b.chunks[len(b.chunks)-1])
		b.lastSlash = chunkHasSlash(b.chunks[len(b.chunks)-1])
		b.slead = "/"
		if c := b.chunks[0]; len(c) > 0 && c[0].kind == fLit {
			b.lead, b.slead = c[0].str, "/"+c[0].str
			rest := append([][]ftok{c[1:]}, b.chunks[1:]...)
			b.afterLead = !slices.ContainsFunc(rest, chunkHasSlash) && slices.ContainsFunc(rest, func(c []ftok) bool {
				lo, _ := chunkWidths(c)
				return lo > 0
			})
		}
		next := ftokKind(0)
		if i+1 < len(s.blocks) {
			next = s.blocks[i+1].gap
		}
		b.crossSlash, b.crossLT = chunksCrossSlash(b.chunks, next), chunksCrossLT(b.chunks)
		b.manyEnds = next != 0 && len(b.chunks) > 1 && !b.lastSlash
	}
	s.findSame()
	for lt := range s.crossFrom {
		from := make([]int, len(s.blocks)+1)
		for i := len(s.blocks) - 1; i >= 0; i-- {
			from[i] = min(from[i+1]+blockBreaks(s.blocks[i].chunks, lt == 1), manyBreaks)
		}
		s.crossFrom[lt] = from
	}
	if len(s.blocks) == 1 && !s.endTail {
		s.single = s.blocks[0]
		s.blocks = nil
		s.setStar()
		return s, true
	}
	s.kind = seqBlocks
	s.pos = newPosProg(s)
	return s, true
}

// findSame sets the blocks' same, kind and period, and s.kinds and s.repeats: what
// depends on which blocks are equal (sameBlock).
func (s *fastSeq) findSame() {
	s.kinds, s.repeats = 0, false
	for i := range s.blocks {
		b := &s.blocks[i]
		b.same, b.kind, b.period = i, s.kinds, 0
		for j := range i {
			if sameBlock(&s.blocks[j], b) {
				b.same, b.kind = j, s.blocks[j].kind
				s.repeats = true
				break
			}
		}
		if b.same == i {
			s.kinds++
		}
	}
	for p := maxRunPeriod; p >= 1; p-- {
		run := 0 // the blocks from i on that equal the block p after them
		for i := len(s.blocks) - 1; i >= 0; i-- {
			if run = (run + 1) * b2i(s.sameKind(i+p, i)); run >= runBlocks(p) {
				s.blocks[i].period = p
			}
		}
	}
}

// match reports whether path matches; ok is false when the matcher cannot decide and the
// DFA must: a path on which a star could carry a block past a line terminator or a leading
// "." (see manyEnds), or one that used up the work budget.
func (m *fastMatcher) match(path string) (matched, ok bool) {
	return m.matchFrom(path, 0, nil)
}

// matchFrom is match, from sequence first on. split, when not nil, is path split into
// units (splitPath), which the sequences with single-unit wildcards then work on; the
// work budget is then that of the split path.
func (m *fastMatcher) matchFrom(path string, first int, split *splitBuf) (matched, ok bool) {
	if m.merged != nil && first == 0 {
		switch {
		case m.choices && (posMode == posNever || m.merged.cost(len(path)) < 0):
			return false, false
		case m.choices || posMode != posNever && !globstarSafe(path) && m.merged.cost(len(path)) >= 0:
			return m.merged.run(path), true
		}
	}
	width, safe := -1, -1
	work := m.fastWork(len(path))
	if split != nil {
		width, work = widthOther, m.fastWork(len(split.b))
	}
	for i := first; i < len(m.seqs); i++ {
		s, p := &m.seqs[i], path
		switch s.kind {
		case seqLiteral:
			if path == s.lit {
				return true, true
			}
			continue
		case seqTail:
			if tailMatch(path, s.prefix, s.tail) {
				return true, true
			}
			continue
		case seqGreedy:
			if s.star {
				if s.starMatch(path, len(path)) || s.opt && len(path) > 0 && path[len(path)-1] == '/' && s.starMatch(path, len(path)-1) {
					return true, true
				}
				continue
			}
		}
		if s.ones {
			if width < 0 {
				width = unitWidth(path)
			}
			if width == widthOther {
				if split == nil {
					split = splitPath(path)
					matched, ok = m.matchFrom(path, i, split)
					putSplitBuf(split, len(path))
					return matched, ok
				}
				s, p = &m.split[i], split.string()
			}
		}
		if s.kind == seqBlocks {
			if safe < 0 {
				// Splitting adds no break and removes none.
				safe = b2i(globstarSafe(path))
			}
			if safe == 0 {
				// Dot segments or line terminators: track the zones a globstar body can
				// cross.
				var inline [zoneInline]int
				z, buf := findBreaks(p, &inline)
				found, decided := s.zonesMatch(p, path, &z, buf, &work)
				putZoneBuf(buf)
				if found {
					return true, true
				}
				if !decided {
					return false, false
				}
				continue
			}
		}
		if s.run(p, len(p), &work) {
			return true, true
		}
		if s.opt && len(p) > 0 && p[len(p)-1] == '/' && s.run(p, len(p)-1, &work) {
			return true, true
		}
		if work < 0 {
			return false, false
		}
	}
	return false, true
}

// fastWork is the work the matchers of this file may spend on a path of n bytes before
// giving it to the DFA: a place tried for a chunk costs one unit per token of the chunk
// (for a first chunk, per token it looked at), and a byte scanned for a literal one.
// Trying the places of a chunk again for every place of an earlier one would otherwise
// take time quadratic in the path ("*a" and 900 "?" at the end of a segment of 4000 "a"s
// took 4 ms). A block that may start at every "/" of a path of "/" only, and fails at
// once, costs about 6 units a byte ("/**/*a" and 900 "?" before "/**": a start, the "/"
// and the tests of the star, the end of the segment); with 4 a byte, such paths went to
// the DFA and took 0.34 ms.
func (m *fastMatcher) fastWork(n int) int { return 256 + m.perByte*n }

// fastPerByte is the work a byte of the path allows, for a pattern whose bit-parallel
// program is cheap.
const fastPerByte = 8

// setFallback lets the matcher spend more on a pattern whose bit-parallel program costs cost
// word operations a step: an eighth of the cost a byte, where that is more than
// fastPerByte. 150 of "/**/a?" make a program of cost 380 that takes about 1 µs a unit,
// 4 ms on a path a search built so that the fast matcher needs about 30 units a byte; with
// 8 a byte it gave up there, and now answers in about 0.33 ms. Where the matcher still
// gives up, the match pays for both: a unit of work here takes about 4.4 ns, so the 47
// units a byte allowed take about 0.85 ms on 4 KiB before the program's 4 ms (with a
// quarter of the cost, 95 a byte, a search found paths that took 1.7 ms and then the
// program, 5.5 ms in all).
func (m *fastMatcher) setFallback(cost int) {
	if m != nil {
		m.perByte = max(fastPerByte, cost/8)
	}
}

// sameBlock reports whether blocks a and b have the same gap and chunks.
func sameBlock(a, b *block) bool {
	return a.gap == b.gap && a.liveEnd == b.liveEnd && slices.EqualFunc(a.chunks, b.chunks, func(x, y []ftok) bool {
		return slices.EqualFunc(x, y, func(t, u ftok) bool { return sameTok(&t, &u) })
	})
}

// chunkWidths returns the least and the most bytes chunk c consumes.
func chunkWidths(c []ftok) (lo, hi int) {
	for i := range c {
		switch c[i].kind {
		case fLit:
			lo += len(c[i].str)
			hi += len(c[i].str)
		case fOne:
			lo++
			hi += 3
		case fClassLit:
			lo++
			hi += max(3, len(c[i].str))
		}
	}
	return lo, hi
}

// chunksCrossSlash reports whether a literal of the chunks holds a "/" before the block's
// last unit, or as its last unit when a plain globstar gap (next, the gap after the block)
// follows: only then can the block consume a break and go on in a later zone. A "/" that
// ends the block before a segment-start gap leaves that gap in the zone it started in, since
// the gap tests the unit after the "/" and cannot take a ".".
func chunksCrossSlash(chunks [][]ftok, next ftokKind) bool {
	for ci, c := range chunks {
		for i := range c {
			if c[i].kind != fLit {
				continue
			}
			k := strings.IndexByte(c[i].str, '/')
			if k < 0 {
				continue
			}
			if ci != len(chunks)-1 || k != len(c[i].str)-1 || next == fGS {
				return true
			}
			for _, t := range c[i+1:] {
				if t.kind == fLit || t.kind == fOne || t.kind == fClassLit {
					return true
				}
			}
		}
	}
	return false
}

// chunkHasSlash reports whether a literal of chunk c holds a "/".
func chunkHasSlash(c []ftok) bool {
	for i := range c {
		if c[i].kind == fLit && strings.IndexByte(c[i].str, '/') >= 0 {
			return true
		}
	}
	return false
}

// chunksCrossLT reports whether the chunks can consume a line terminator: a star can, and
// so can a single-unit wildcard or a literal that holds one.
func chunksCrossLT(chunks [][]ftok) bool {
	if len(chunks) > 1 {
		return true
	}
	for _, t := range chunks[0] {
		switch t.kind {
		case fLit:
			if strings.ContainsAny(t.str, "\n\r\u2028\u2029") {
				return true
			}
		case fOne, fClassLit, fSetStar, fOptStar, fOptText:
			if t.set.has('\n') || t.set.has('\r') || t.set.has(0x2028) || t.set.has(0x2029) ||
				strings.ContainsAny(t.str, "\n\r\u2028\u2029") {
				return true
			}
		}
	}
	return false
}

// manyBreaks stands for a number of breaks no path has.
const manyBreaks = 1 << 30

// blockBreaks bounds the breaks of a path after its first unit that chunks can consume:
// the units its tokens may match that are "/" (the first unit of a "/." break), or with lt,
// that are line terminators, which a star also matches (then manyBreaks).
func blockBreaks(chunks [][]ftok, lt bool) int {
	if lt && len(chunks) > 1 {
		return manyBreaks
	}
	n := 0
	for _, c := range chunks {
		for _, t := range c {
			lits, set := strings.Count(t.str, "/"), t.set.has('/')
			if lt {
				lits = 0
				for _, r := range t.str {
					lits += b2i(r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029)
				}
				set = t.set.has('\n') || t.set.has('\r') || t.set.has(0x2028) || t.set.has(0x2029)
			}
			switch t.kind {
			case fLit:
				n += lits
			case fOne:
				n += b2i(set)
			case fClassLit: // its set's unit or its text
				n += max(b2i(set), lits)
			case fSetStar, fOptStar, fOptText:
				if set {
					return manyBreaks
				}
			}
		}
	}
	return n
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *fastSeq) run(path string, end int, work *int) bool {
	if s.kind == seqBlocks {
		return s.blocksMatch(path, end, work)
	}
	return s.greedy(path, end, work)
}

// blockMode tells whether block i is the last, and how runChunks must place its end.
func (s *fastSeq) blockMode(i int) (last bool, mode int) {
	switch {
	case i < len(s.blocks)-1:
		return false, endFree
	case s.endTail:
		return true, endSegment
	}
	return true, endExact
}

// blocksMatch matches the blocks against path[:end], each at its leftmost possible place.
func (s *fastSeq) blocksMatch(path string, end int, work *int) bool {
	p := 0
	for i := range s.blocks {
		b := &s.blocks[i]
		last, mode := s.blockMode(i)
		if i == 0 {
			r, ok := runChunks(path, 0, end, b, mode, work)
			if !ok {
				return false
			}
			p = r
			continue
		}
		if last && mode == endExact && len(b.chunks) == 1 {
			// Fixed pieces that must end at end can start at one place only.
			*work -= 1 + len(b.chunks[0])
			q, ok := matchChunkBack(path, end, b.chunks[0])
			return ok && p <= q && (b.gap != fSegStart || q == 0 || path[q-1] == '/')
		}
		found := false
		for q := p; q <= end; q++ {
			if q = b.nextStart(path, q, 0, end, work); q > end {
				break
			}
			if *work--; *work < 0 {
				return false
			}
			if b.afterLead && (q+len(b.lead) >= end || path[q+len(b.lead)] == '/') {
				continue
			}
			if r, ok := runChunks(path, q, end, b, mode, work); ok {
				p, found = r, true
				break
			}
		}
		if !found {
			return false
		}
	}
	if s.endTail {
		return p == len(path) || path[p] == '/'
	}
	return true
}

// nextStart returns the first place from q on, up to top, where the block's first literal
// (lead) occurs, or top+1 when there is none; a block without one may start anywhere. A
// block after a segment-start gap starts after a "/", except at place first (q is never
// below it). It charges the bytes it skips.
// (findChunk searches for its literal the same way, in a loop of its own: a call there
// cost stars-1k a tenth.)
func (b *block) nextStart(path string, q, first, top int, work *int) int {
	if q > top {
		return q
	}
	if b.lead == "" && (b.gap != fSegStart || q == first) {
		return q
	}
	hi := min(len(path), top+len(b.lead))
	if len(b.lead) == 1 && hi-q <= shortScan {
		// A short stretch: a loop costs less than a search's setup.
		c, seg := b.lead[0], b.gap == fSegStart
		for x := q; x < hi; x++ {
			if path[x] == c && (!seg || x == first || path[x-1] == '/') {
				*work -= x - q
				return x
			}
		}
		*work -= hi - q
		return top + 1
	}
	if b.lead != "" {
		k := strings.Index(path[q:hi], b.lead)
		if k < 0 {
			*work -= hi - q
			return top + 1
		}
		*work -= k
		if q += k; b.gap != fSegStart || q == first || path[q-1] == '/' {
			return q
		}
		q++
	}
	// A block after a segment-start gap whose lead occurs where no "/" precedes it: the
	// lead is common here, "/" and the lead may be rarer.
	k := strings.Index(path[q-1:hi], b.slead)
	if k < 0 {
		*work -= hi - q
		return top + 1
	}
	*work -= k
	return q + k
}

// shortScan is the longest stretch nextStart scans with a loop rather than a search.
const shortScan = 64

// How runChunks places the last chunk.
const (
	endFree    = iota // leftmost
	endExact          // ending at end
	endSegment        // leftmost ending at a segment end (a "/" or the end of the path)
)

// runChunks matches the chunks of b (separated by stars) from q and returns where they
// end. It charges work for the places it tries, and fails once work is below zero.
func runChunks(path string, q, end int, b *block, mode int, work *int) (int, bool) {
	chunks := b.chunks
	p, k := matchChunkN(path, q, end, chunks[0])
	// The pieces it looked at: a long chunk that fails at its first pieces costs little.
	if *work -= min(k+1, len(chunks[0])); k < len(chunks[0]) {
		return 0, false
	}
	if len(chunks) == 1 {
		switch mode {
		case endExact:
			return p, p == end
		case endSegment:
			return p, p == len(path) || path[p] == '/'
		}
		return p, true
	}
	// slash is the first "/" at or after the last position asked about (or end), kept so
	// that a long run of chunks in one segment does not rescan it.
	slash := -1
	var ok bool
	for _, c := range chunks[1 : len(chunks)-1] {
		if slash < p {
			slash = firstSlash(path, p, end)
		}
		if p, ok = findChunk(path, p, end, slash, c, work); !ok {
			return 0, false
		}
	}
	if slash < p {
		slash = firstSlash(path, p, end)
	}
	last := chunks[len(chunks)-1]
	switch mode {
	case endExact:
		if end-b.lastMin < p || end-b.lastMax > slash {
			return 0, false
		}
		q, ok := matchChunkBack(path, end, last)
		return end, ok && p <= q && q <= slash
	case endSegment:
		if !b.lastSlash {
			// Without a "/" of its own, the last chunk can only end at the end of the
			// segment it starts in. Matching it back looks at a token a byte at most
			// before it fails below p (tests aside), nothing when it cannot fit.
			if slash-p < b.lastMin {
				*work--
				return 0, false
			}
			*work -= 1 + min(len(last), slash-p+1)
			q, ok := matchChunkBack(path, slash, last)
			return slash, ok && q >= p
		}
		for q := p; q <= slash; q++ {
			if *work -= 1 + len(last); *work < 0 {
				return 0, false
			}
			if r, ok := matchChunk(path, q, end, last); ok && (r == len(path) || path[r] == '/') {
				return r, true
			}
		}
		return 0, false
	}
	return findChunk(path, p, end, slash, last, work)
}

// firstSlash returns the first "/" of path[p:end], or end.
func firstSlash(path string, p, end int) int {
	if k := strings.IndexByte(path[p:end], '/'); k >= 0 {
		return p + k
	}
	return end
}

// tailMatch matches prefix followed by "/" and a globstar body, or by nothing (fTail), or
// prefix followed by a globstar body that does not start with "." (fGS).
func tailMatch(path, prefix string, tail ftokKind) bool {
	if !strings.HasPrefix(path, prefix) {
		return false
	}
	i := len(prefix)
	if tail == fTail {
		if i == len(path) {
			return true
		}
		if path[i] != '/' {
			return false
		}
	} else if i < len(path) && path[i] == '.' {
		return false
	}
	// The globstar body consumes the rest: no line terminator, and no "/" followed by ".".
	for ; i < len(path); i++ {
		c := path[i]
		if !tailStops[c] {
			continue
		}
		switch c {
		case '/':
			if i+1 < len(path) && path[i+1] == '.' {
				return false
			}
		case '\n', '\r':
			return false
		case 0xE2:
			if isLineSeparatorAt(path, i) {
				return false
			}
		}
	}
	return true
}

// tailStops marks the bytes tailMatch must look at: "/", line terminators and the first
// byte of U+2028 and U+2029.
var tailStops = [256]bool{'/': true, '\n': true, '\r': true, 0xE2: true}

// isLineSeparatorAt reports whether U+2028 or U+2029 starts at s[i].
func isLineSeparatorAt(s string, i int) bool {
	return i+2 < len(s) && s[i] == 0xE2 && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9)
}

// Kinds of path for the single-unit wildcards, which take one code point (or one byte that
// is not valid UTF-8, which reads as U+FFFD) at a time.
const (
	widthASCII = iota // every unit one byte
	widthBMP          // no code points beyond U+FFFF: a code point, or an invalid byte, is a unit
	// A code point beyond U+FFFF, two units that a wildcard could split, or bytes that
	// read as a surrogate's encoding (which splitting gives a meaning): the wildcards work
	// on the path split into units (splitPath).
	widthOther
)

// asciiPrefix returns the length of the longest prefix of s that is ASCII.
func asciiPrefix(s string) int {
	i := 0
	// Sixteen bytes at a time while they are ASCII, then eight (the loads combine).
	for ; i+16 <= len(s); i += 16 {
		if (load64(s, i)|load64(s, i+8))&highBits != 0 {
			break
		}
	}
	if i+8 <= len(s) && load64(s, i)&highBits == 0 {
		i += 8
	}
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	return i
}

// highBits is the high bit of each byte of a word: a word of ASCII bytes has none.
const highBits = 0x8080808080808080

// load64 returns the eight bytes of s from i, the first the lowest.
func load64(s string, i int) uint64 {
	t := s[i : i+8]
	return uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
		uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
}

// unitWidth tells how the units of path map to its bytes.
func unitWidth(s string) int {
	i := asciiPrefix(s)
	if i == len(s) {
		return widthASCII
	}
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			i += asciiPrefix(s[i:])
			continue
		}
		if loneByte(s, i) {
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		if size == 4 || size == 1 && isSurrogateAt(s[i:]) {
			return widthOther
		}
		i += size
	}
	return widthBMP
}

// neverLead reports whether a byte at or above 0x80 can never start a valid encoding (a
// continuation byte, 0xC0, 0xC1, or 0xF5 and up): it is an invalid byte, one unit.
func neverLead(c byte) bool { return c < 0xC2 || c > 0xF4 }

// loneByte reports whether the byte s[i], at or above 0x80, is invalid for a reason found
// without decoding: it never leads, or no continuation byte follows it.
func loneByte(s string, i int) bool {
	return neverLead(s[i]) || i+1 == len(s) || s[i+1]&0xC0 != 0x80
}

// A split path is a path rewritten so that every unit has an encoding of its own: a code
// point beyond U+FFFF becomes its two surrogates, each in the three bytes UTF-8 would give
// it if it allowed them (0xED, 0xA0-0xBF, a continuation byte), and an invalid byte becomes
// U+FFFD. A single-unit wildcard then takes one encoding, whatever the unit, and the
// literals of the split sequences are encoded the same way (splitUnits). Nothing else
// changes: "/", "." and the line terminators keep their bytes, so stars, tests and zones
// work as on the path itself. Decoding tells a surrogate's bytes by isSurrogateAt; a path
// that holds such bytes as invalid ones is split first, so they never mean two things.
type splitBuf struct{ b []byte }

var splitPool = sync.Pool{New: func() any { return new(splitBuf) }}

// splitPath returns path split into units, in a buffer from splitPool.
func splitPath(path string) *splitBuf {
	sb := splitPool.Get().(*splitBuf)
	b := slices.Grow(sb.b[:0], 3*len(path)) // an invalid byte takes three
	for i := 0; i < len(path); {
		c := path[i]
		if c < utf8.RuneSelf {
			k := i + 1
			if k < len(path) && path[k] < utf8.RuneSelf {
				// A run of ASCII bytes at once.
				k += asciiPrefix(path[k:])
			}
			b = append(b, path[i:k]...)
			i = k
			continue
		}
		if loneByte(path, i) {
			b = append(b, "\uFFFD"...)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(path[i:])
		switch {
		case size == 4:
			r -= 0x10000
			b = appendUnit(appendUnit(b, uint16(0xD800+r>>10)), uint16(0xDC00+r&0x3FF))
		case size == 1:
			b = append(b, "\uFFFD"...)
		default:
			b = append(b, path[i:i+size]...)
		}
		i += size
	}
	sb.b = b
	return sb
}

// string returns the split path. It shares the buffer's bytes, which stay unchanged until
// putSplitBuf.
func (sb *splitBuf) string() string {
	return unsafe.String(unsafe.SliceData(sb.b), len(sb.b))
}

// putSplitBuf gives back the buffer splitPath made for a path of n bytes.
func putSplitBuf(sb *splitBuf, n int) {
	if n <= maxPoolPath {
		splitPool.Put(sb)
	}
}

// maxPoolPath is the longest path whose split buffer goes back to splitPool.
const maxPoolPath = 1 << 16

// appendUnit appends the encoding of unit u in a split path.
func appendUnit(b []byte, u uint16) []byte {
	switch {
	case u < 0x80:
		return append(b, byte(u))
	case u < 0x800:
		return append(b, 0xC0|byte(u>>6), 0x80|byte(u&0x3F))
	}
	return append(b, 0xE0|byte(u>>12), 0x80|byte(u>>6&0x3F), 0x80|byte(u&0x3F))
}

// splitUnits encodes literal units for a split path.
func splitUnits(u []uint16) string {
	b := make([]byte, 0, 3*len(u))
	for _, c := range u {
		b = appendUnit(b, c)
	}
	return string(b)
}

// isSurrogateAt reports whether s starts with the encoding a split path gives a surrogate.
func isSurrogateAt(s string) bool {
	return len(s) >= 3 && s[0] == 0xED && s[1]&0xE0 == 0xA0 && s[2]&0xC0 == 0x80
}

// decodeUnit returns the unit s starts with and its length in bytes: a code point
// of the BMP, U+FFFD for an invalid byte, or a surrogate of a split path.
func decodeUnit(s string) (rune, int) {
	r, size := utf8.DecodeRuneInString(s)
	if size == 1 && isSurrogateAt(s) {
		return rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F) | 0xD000, 3
	}
	return r, size
}

// decodeLastUnit is decodeUnit for the unit s ends with.
func decodeLastUnit(s string) (rune, int) {
	r, size := utf8.DecodeLastRuneInString(s)
	if size == 1 && len(s) >= 3 && isSurrogateAt(s[len(s)-3:]) {
		return decodeUnit(s[len(s)-3:])
	}
	return r, size
}

// midRune reports whether byte q of path lies inside an encoding that starts before it (it
// is then no unit's first byte).
func midRune(path string, q int) bool {
	for k := 1; k <= 3 && k <= q; k++ {
		if path[q-k]&0xC0 != 0x80 {
			_, size := decodeUnit(path[q-k:])
			return size > k
		}
	}
	return false
}

// greedy matches the chunks against path[:end] (tests still look at the whole path, as the
// expression does when an optional trailing "/" is left for the end).
func (s *fastSeq) greedy(path string, end int, work *int) bool {
	_, ok := runChunks(path, 0, end, &s.single, endExact, work)
	return ok
}

// setStar sets s.star and its fields when s is one star between literals: the first chunk
// literals and then tests, the second literals only.
func (s *fastSeq) setStar() {
	c := s.single.chunks
	if len(c) != 2 {
		return
	}
	var head, foot strings.Builder
	noDot, oneChar := false, false
	for _, t := range c[0] {
		switch t.kind {
		case fLit:
			if noDot || oneChar {
				return // a literal after a test
			}
			head.WriteString(t.str)
		case fNoDot:
			noDot = true
		case fOneChar:
			oneChar = true
		default:
			return
		}
	}
	for _, t := range c[1] {
		if t.kind != fLit {
			return
		}
		foot.WriteString(t.str)
	}
	s.star, s.noDot, s.oneChar, s.head, s.foot = true, noDot, oneChar, head.String(), foot.String()
}

// starMatch matches path[:end] against a sequence with s.star set: the head, the tests
// right after it, then a run without "/" up to the foot, which ends at end.
func (s *fastSeq) starMatch(path string, end int) bool {
	h, f := len(s.head), end-len(s.foot)
	if f < h || path[:h] != s.head || path[f:end] != s.foot {
		return false
	}
	if s.noDot && h < len(path) && path[h] == '.' || s.oneChar && !testAt(path, h, fOneChar) {
		return false
	}
	return strings.IndexByte(path[h:f], '/') < 0
}

// matchChunk matches the fixed pieces c at byte q, consuming no further than end, and
// returns the position after them.
func matchChunk(path string, q, end int, c []ftok) (int, bool) {
	r, n := matchChunkN(path, q, end, c)
	return r, n == len(c)
}

// matchChunkN is matchChunk that also says how far it got: n is the number of pieces that
// matched, len(c) when all did.
func matchChunkN(path string, q, end int, c []ftok) (r, n int) {
	for i := range c {
		t := &c[i]
		switch t.kind {
		case fLit:
			lit := t.lit()
			if len(lit) == 1 { // without a call to compare
				if q >= end || path[q] != lit[0] {
					return 0, i
				}
				q++
				break
			}
			if q+len(lit) > end || path[q:q+len(lit)] != lit {
				return 0, i
			}
			q += len(lit)
		case fOne, fClassLit:
			if q >= end {
				return 0, i
			}
			if t.kind == fClassLit && strings.HasPrefix(path[q:end], t.str) {
				// The literal's first unit is not in the set: no choice to make.
				q += len(t.str)
				break
			}
			if c := path[q]; c < utf8.RuneSelf {
				if !t.set.has(uint16(c)) {
					return 0, i
				}
				q++
				break
			}
			// On a path with no code point beyond the BMP (unitWidth), each code point
			// is one unit, and so is each invalid byte (U+FFFD) that does not continue
			// a valid encoding; on a split path, each encoding is one unit.
			r, size := decodeUnit(path[q:end])
			if size == 1 && midRune(path, q) || !t.set.has(uint16(r)) {
				return 0, i
			}
			q += size
		case fNoDot, fOneChar:
			if !testAt(path, q, t.kind) {
				return 0, i
			}
		}
	}
	return q, len(c)
}

// testAt answers a test of kind fNoDot or fOneChar at byte q.
func testAt(path string, q int, kind ftokKind) bool {
	if kind == fNoDot {
		return q >= len(path) || path[q] != '.'
	}
	return q < len(path) && path[q] != '\n' && path[q] != '\r' && !isLineSeparatorAt(path, q)
}

// matchChunkBack matches the fixed pieces c so that they end at byte end, and returns the
// position where they start. A test (which consumes nothing) is answered at the position
// the pieces after it start at.
func matchChunkBack(path string, end int, c []ftok) (int, bool) {
	q := end
	for i := len(c) - 1; i >= 0; i-- {
		t := &c[i]
		switch t.kind {
		case fLit:
			lit := t.lit()
			if q < len(lit) || path[q-len(lit):q] != lit {
				return 0, false
			}
			q -= len(lit)
		case fOne, fClassLit:
			if q == 0 {
				return 0, false
			}
			if t.kind == fClassLit && strings.HasSuffix(path[:q], t.str) {
				// Nor is its last unit.
				q -= len(t.str)
				break
			}
			if c := path[q-1]; c < utf8.RuneSelf {
				if !t.set.has(uint16(c)) {
					return 0, false
				}
				q--
				break
			}
			// An invalid byte is U+FFFD, and a split surrogate one unit, as forwards.
			r, size := decodeLastUnit(path[:q])
			if !t.set.has(uint16(r)) {
				return 0, false
			}
			q -= size
		case fNoDot, fOneChar:
			if !testAt(path, q, t.kind) {
				return 0, false
			}
		}
	}
	return q, true
}

// findChunk finds the leftmost place at or after p where chunk c matches, such that the
// star before it (from p) crosses no "/", and returns the position after the chunk. limit
// is the first "/" at or after p (or end): the chunk must start at or before it. It
// charges work as runChunks does.
func findChunk(path string, p, end, limit int, c []ftok, work *int) (int, bool) {
	if len(c) > 0 && c[0].kind == fLit {
		lit := c[0].lit()
		for q := p; q <= limit; {
			hi := min(end, limit+len(lit))
			k := strings.Index(path[q:hi], lit)
			if k < 0 {
				*work -= hi - q
				return 0, false
			}
			if *work -= k + len(c); *work < 0 {
				return 0, false
			}
			q += k
			if r, ok := matchChunk(path, q, end, c); ok {
				return leftmostEnd(path, q, r, end, limit, c, work)
			}
			q++
		}
		return 0, false
	}
	ascii := len(c) > 0 && (c[0].kind == fOne || c[0].kind == fClassLit) && len(c[0].set.wide) == 0
	for q := p; q <= limit; q++ {
		if ascii {
			// The chunk starts with a unit of an ASCII set (or a class's text, "[..."):
			// skip the bytes that cannot start it, non-ASCII ones included.
			q0 := q
			for q < limit && !c[0].startsAt(path[q]) {
				q++
			}
			*work -= q - q0
		}
		if *work -= 1 + len(c); *work < 0 {
			return 0, false
		}
		if r, ok := matchChunk(path, q, end, c); ok {
			return leftmostEnd(path, q, r, end, limit, c, work)
		}
	}
	return 0, false
}

// startsAt reports whether byte b may start token t, of kind fOne or fClassLit with a set
// of ASCII units only.
func (t *ftok) startsAt(b byte) bool {
	return b < utf8.RuneSelf && t.set.ascii[b>>6]>>(b&63)&1 != 0 || t.kind == fClassLit && b == t.str[0]
}

// leftmostEnd returns the leftmost end of chunk c, which matched at q ending at r, over the
// starts from q to limit. For fixed pieces of one width that is r; with fClassLit tokens a
// later start may end first ("[ab]" on "[ab]a" ends at 4 from 0, and at 2 from 1), and a
// star before the chunk may take any of them. Starts from r less the chunk's least width on
// cannot end before r.
func leftmostEnd(path string, q, r, end, limit int, c []ftok, work *int) (int, bool) {
	if !hasClassLit(c) {
		return r, true
	}
	lo, _ := chunkWidths(c)
	for q++; q <= limit && q+lo < r; q++ {
		if *work -= 1 + len(c); *work < 0 {
			return 0, false
		}
		if e, ok := matchChunk(path, q, end, c); ok && e < r {
			r = e
		}
	}
	return r, true
}

func (t *ftok) lit() string { return t.str }
