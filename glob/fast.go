package glob

import (
	"strings"
	"unicode/utf8"
)

// This file holds the matchers for the shapes most globs compile to. They are recognized
// from the expression tree itself, fragment by fragment, so each one decides exactly what
// the expression decides; anything they do not recognize goes to the DFA. They work on the
// path's UTF-8 bytes without converting it:
//
//   - a literal: the path must equal it;
//   - a literal prefix and a globstar tail ("/app/**", "/app/**" after braces);
//   - a sequence of literals, single units, stars (which never cross "/"), the tests a star
//     makes at the start of a segment, and an optional trailing slash: matched greedily,
//     each run of fixed pieces between two stars at its leftmost place, which is exact
//     because a star matches any run of units without "/";
//   - such sequences ("blocks") separated by globstars: on a path where a globstar body can
//     consume anything (no "/." anywhere, no line terminator, no "." first), each block is
//     matched at its leftmost possible place, which is exact because the gap before the
//     next block can absorb whatever an earlier place leaves over. Other paths go to the
//     DFA.
//
// Alternations (braces, the literal-or-class form of "[abc]") are expanded into up to
// maxFastAlts sequences, tried in turn.

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
)

type ftok struct {
	kind  ftokKind
	units []uint16 // fLit
	str   string   // fLit, as UTF-8
	set   charSet  // fOne
}

// fastSeq is one alternative.
type fastSeq struct {
	kind    uint8 // seqLiteral, seqTail, seqGreedy, seqBlocks
	lit     string
	prefix  string
	tail    ftokKind // seqTail: fTail or fGS (preceded by a no-dot test)
	chunks  [][]ftok // seqGreedy: fixed pieces; a star sits between consecutive chunks
	opt     bool     // an optional "/" before the end
	ones    bool     // has fOne tokens (which work on ASCII paths only)
	blocks  []block  // seqBlocks
	endTail bool     // seqBlocks: the last block is followed by "/" and anything, or the end
}

// block is a greedy sequence that follows a globstar gap.
type block struct {
	gap    ftokKind // fGS (any run), fSegStart (a run ending at a segment start), 0 for the first
	chunks [][]ftok
}

const (
	seqLiteral uint8 = iota
	seqTail
	seqGreedy
	seqBlocks
)

type fastMatcher struct {
	seqs []fastSeq
}

// newFastMatcher returns a matcher for tree, or nil when its shape is not one of the above.
func newFastMatcher(tree *node) *fastMatcher {
	seqs, ok := flattenFast(tree, [][]ftok{nil})
	if !ok || len(seqs) == 0 {
		return nil
	}
	m := &fastMatcher{}
	for _, toks := range seqs {
		s, ok := buildSeq(toks)
		if !ok {
			return nil
		}
		if s != nil {
			m.seqs = append(m.seqs, *s)
		}
	}
	if len(m.seqs) == 0 {
		return nil
	}
	return m
}

// flattenFast turns n into token sequences, one per alternative, appended to each of in.
func flattenFast(n *node, in [][]ftok) ([][]ftok, bool) {
	// Each sequence in in is owned by this call (branches copy before they fork), so a
	// token is appended in place.
	add := func(t ftok) [][]ftok {
		for i := range in {
			in[i] = append(in[i], t)
		}
		return in
	}
	switch n.op {
	case opCapture:
		return flattenFast(n.subs[0], in)
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
			if cur, ok = flattenFast(s, cur); !ok {
				return nil, false
			}
		}
		return cur, true
	case opAlt:
		switch dump(n) {
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
		var out [][]ftok
		for _, s := range n.subs {
			fork := make([][]ftok, len(in))
			for i, q := range in {
				fork[i] = append([]ftok(nil), q...)
			}
			r, ok := flattenFast(s, fork)
			if !ok || len(out)+len(r) > maxFastAlts {
				return nil, false
			}
			out = append(out, r...)
		}
		return out, true
	case opRepeat:
		switch dump(n) {
		case dumpStar:
			return add(ftok{kind: fStar}), true
		case dumpGS:
			return add(ftok{kind: fGS}), true
		case dumpOptSlash:
			return add(ftok{kind: fOptSlash}), true
		}
	case opLook:
		switch dump(n) {
		case dumpNoDot:
			return add(ftok{kind: fNoDot}), true
		case dumpOneChar:
			return add(ftok{kind: fOneChar}), true
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

// buildSeq classifies one token sequence. It returns nil, true for a sequence that can never
// match (a "^" after a unit), and false for one the fast matchers cannot handle.
func buildSeq(toks []ftok) (*fastSeq, bool) {
	// A middle globstar's alternative "the end" is dead when a unit must follow it.
	var expanded []ftok
	for k, t := range toks {
		if t.kind != fMid {
			expanded = append(expanded, t)
			continue
		}
		dead := false
		for _, u := range toks[k+1:] {
			if u.kind == fLit || u.kind == fOne || u.kind == fOneChar {
				dead = true
				break
			}
			if u.kind == fEnd {
				break
			}
		}
		if !dead {
			return nil, false
		}
		expanded = append(expanded, ftok{kind: fLit, units: []uint16{'/'}}, ftok{kind: fSegStart})
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
	// Leading "^" hold at position 0; one after anything that may consume never holds.
	i := 0
	for i < len(ts) && ts[i].kind == fBegin {
		i++
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
			case fLit, fOne, fOneChar:
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
		case fLit:
			if !unitsValid(t.units) {
				return nil, false
			}
			t.str = unitsString(t.units)
		}
	}

	// A literal prefix followed by a globstar tail.
	k := 0
	prefix := ""
	if k < len(ts) && ts[k].kind == fLit {
		prefix = unitsString(ts[k].units)
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
		case fLit, fOne, fNoDot, fOneChar:
			if t.kind == fOne {
				s.ones = true
			}
			chunk = append(chunk, t)
		case fGS, fSegStart:
			cur.chunks = append(cur.chunks, chunk)
			s.blocks = append(s.blocks, cur)
			cur = block{gap: t.kind}
			chunk = nil
		default:
			return nil, false
		}
	}
	cur.chunks = append(cur.chunks, chunk)
	s.blocks = append(s.blocks, cur)
	if len(s.blocks) == 1 && !s.endTail {
		s.chunks = s.blocks[0].chunks
		s.blocks = nil
		return s, true
	}
	s.kind = seqBlocks
	return s, true
}

// match reports whether path matches; ok is false when the matcher cannot decide and the
// DFA must: a path with non-ASCII units for a pattern with single-unit wildcards, or a path
// a globstar body cannot fully consume for a pattern with globstars between blocks.
func (m *fastMatcher) match(path string) (matched, ok bool) {
	ascii, safe := -1, -1
	for i := range m.seqs {
		s := &m.seqs[i]
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
		}
		if s.ones {
			if ascii < 0 {
				ascii = b2i(isASCII(path))
			}
			if ascii == 0 {
				return false, false
			}
		}
		if s.kind == seqBlocks {
			if safe < 0 {
				safe = b2i(globstarSafe(path))
			}
			if safe == 0 {
				return false, false
			}
		}
		if s.run(path, len(path)) {
			return true, true
		}
		if s.opt && len(path) > 0 && path[len(path)-1] == '/' && s.run(path, len(path)-1) {
			return true, true
		}
	}
	return false, true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *fastSeq) run(path string, end int) bool {
	if s.kind == seqBlocks {
		return s.blocksMatch(path, end)
	}
	return s.greedy(path, end)
}

// globstarSafe reports whether a globstar body could consume any part of path: it has no
// line terminator, no "/" followed by ".", and does not start with ".".
func globstarSafe(path string) bool {
	if len(path) > 0 && path[0] == '.' {
		return false
	}
	for i := 0; i < len(path); i++ {
		switch path[i] {
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

// blocksMatch matches the blocks against path[:end], each at its leftmost possible place.
func (s *fastSeq) blocksMatch(path string, end int) bool {
	p := 0
	for i := range s.blocks {
		b := &s.blocks[i]
		last := i == len(s.blocks)-1
		mode := endFree
		switch {
		case last && s.endTail:
			mode = endSegment
		case last:
			mode = endExact
		}
		if i == 0 {
			r, ok := runChunks(path, 0, end, b.chunks, mode)
			if !ok {
				return false
			}
			p = r
			continue
		}
		found := false
		for q := p; q <= end; q++ {
			if b.gap == fSegStart && q > 0 && path[q-1] != '/' {
				continue
			}
			if r, ok := runChunks(path, q, end, b.chunks, mode); ok {
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

// How runChunks places the last chunk.
const (
	endFree    = iota // leftmost
	endExact          // ending at end
	endSegment        // leftmost ending at a segment end (a "/" or the end of the path)
)

// runChunks matches chunks (separated by stars) from q and returns where they end.
func runChunks(path string, q, end int, chunks [][]ftok, mode int) (int, bool) {
	p, ok := matchChunk(path, q, end, chunks[0])
	if !ok {
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
	for _, c := range chunks[1 : len(chunks)-1] {
		if p, ok = findChunk(path, p, end, c); !ok {
			return 0, false
		}
	}
	last := chunks[len(chunks)-1]
	switch mode {
	case endExact:
		q := end - chunkWidth(last)
		if q < p || strings.IndexByte(path[p:q], '/') >= 0 {
			return 0, false
		}
		_, ok = matchChunk(path, q, end, last)
		return end, ok
	case endSegment:
		limit := end
		if k := strings.IndexByte(path[p:end], '/'); k >= 0 {
			limit = p + k
		}
		for q := p; q <= limit; q++ {
			if r, ok := matchChunk(path, q, end, last); ok && (r == len(path) || path[r] == '/') {
				return r, true
			}
		}
		return 0, false
	}
	return findChunk(path, p, end, last)
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
		switch c := path[i]; c {
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

// isLineSeparatorAt reports whether U+2028 or U+2029 starts at s[i].
func isLineSeparatorAt(s string, i int) bool {
	return i+2 < len(s) && s[i] == 0xE2 && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// greedy matches the chunks against path[:end] (tests still look at the whole path, as the
// expression does when an optional trailing "/" is left for the end). The last chunk has a
// fixed width: ASCII is guaranteed when there are single-unit tokens.
func (s *fastSeq) greedy(path string, end int) bool {
	_, ok := runChunks(path, 0, end, s.chunks, endExact)
	return ok
}

// chunkWidth is the number of bytes a chunk consumes on an ASCII path (literals may be
// non-ASCII: their byte length counts).
func chunkWidth(c []ftok) int {
	w := 0
	for i := range c {
		switch c[i].kind {
		case fLit:
			w += utf8Len(c[i].units)
		case fOne:
			w++
		}
	}
	return w
}

func utf8Len(u []uint16) int {
	n := 0
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case c < 0x80:
			n++
		case c < 0x800:
			n += 2
		case isHighSurrogate(c):
			n += 4
			i++
		default:
			n += 3
		}
	}
	return n
}

// matchChunk matches the fixed pieces c at byte q, consuming no further than end, and
// returns the position after them.
func matchChunk(path string, q, end int, c []ftok) (int, bool) {
	for i := range c {
		t := &c[i]
		switch t.kind {
		case fLit:
			lit := t.lit()
			if q+len(lit) > end || path[q:q+len(lit)] != lit {
				return 0, false
			}
			q += len(lit)
		case fOne:
			if q >= end || !t.set.has(uint16(path[q])) {
				return 0, false
			}
			q++
		case fNoDot:
			if q < len(path) && path[q] == '.' {
				return 0, false
			}
		case fOneChar:
			if q >= len(path) || path[q] == '\n' || path[q] == '\r' || isLineSeparatorAt(path, q) {
				return 0, false
			}
		}
	}
	return q, true
}

// findChunk finds the leftmost place at or after p where chunk c matches, such that the
// star before it (from p) crosses no "/", and returns the position after the chunk.
func findChunk(path string, p, end int, c []ftok) (int, bool) {
	limit := end // the chunk must start at or before the first "/" after p
	if k := strings.IndexByte(path[p:end], '/'); k >= 0 {
		limit = p + k
	}
	if len(c) > 0 && c[0].kind == fLit {
		lit := c[0].lit()
		for q := p; q <= limit; {
			hi := min(end, limit+len(lit))
			k := strings.Index(path[q:hi], lit)
			if k < 0 {
				return 0, false
			}
			q += k
			if r, ok := matchChunk(path, q, end, c); ok {
				return r, true
			}
			q++
		}
		return 0, false
	}
	for q := p; q <= limit; q++ {
		if r, ok := matchChunk(path, q, end, c); ok {
			return r, true
		}
	}
	return 0, false
}

func (t *ftok) lit() string { return t.str }
