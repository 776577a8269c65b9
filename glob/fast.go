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
//   - a literal prefix and a globstar tail ("/app/**", and "/{a,b}/**" after expansion);
//   - a sequence of literals, single units, stars (which never cross "/"), the tests a star
//     makes at the start of a segment, and an optional trailing slash: matched greedily,
//     each run of fixed pieces between two stars at its leftmost place, which is exact
//     because a star matches any run of units without "/";
//   - such sequences ("blocks") separated by globstars. On a path where a globstar body can
//     consume anything (no "/." anywhere, no line terminator, no "." first), each block is
//     matched at its leftmost possible place, which is exact because the gap before the
//     next block can absorb whatever an earlier place leaves over. On a path with up to
//     maxZoneBreaks places a globstar body cannot consume ("/." and a leading "."), the
//     same holds within each stretch between two such places, and blocksMatchZones keeps
//     one earliest place per stretch. Paths with line terminators go to the DFA.
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
	lastW   int      // seqGreedy: bytes the last chunk consumes on an ASCII path
	opt     bool     // an optional "/" before the end
	ones    bool     // has fOne tokens (which work on ASCII paths only)
	blocks  []block  // seqBlocks
	endTail bool     // seqBlocks: the last block is followed by "/" and anything, or the end
}

// block is a greedy sequence that follows a globstar gap.
type block struct {
	gap    ftokKind // fGS (any run), fSegStart (a run ending at a segment start), 0 for the first
	chunks [][]ftok
	lastW  int // bytes the last chunk consumes on an ASCII path
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
	for i := range s.blocks {
		b := &s.blocks[i]
		b.lastW = chunkWidth(b.chunks[len(b.chunks)-1])
	}
	if len(s.blocks) == 1 && !s.endTail {
		s.chunks, s.lastW = s.blocks[0].chunks, s.blocks[0].lastW
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
	work := fastWork(len(path))
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
				// Dot segments: track the zones a globstar body can cross.
				var z zones
				if !z.find(path) {
					return false, false
				}
				if s.blocksMatchZones(path, len(path), &z, &work) {
					return true, true
				}
				if s.opt && len(path) > 0 && path[len(path)-1] == '/' && s.blocksMatchZones(path, len(path)-1, &z, &work) {
					return true, true
				}
				if work < 0 {
					return false, false
				}
				continue
			}
		}
		if s.run(path, len(path), &work) {
			return true, true
		}
		if s.opt && len(path) > 0 && path[len(path)-1] == '/' && s.run(path, len(path)-1, &work) {
			return true, true
		}
		if work < 0 {
			return false, false
		}
	}
	return false, true
}

// fastWork is the work the matchers of this file may spend on a path of n bytes before
// giving it to the DFA: a place tried for a chunk costs one unit per token of the chunk,
// and a byte scanned for a literal one. Trying the places of a chunk again for every place
// of an earlier one would otherwise take time quadratic in the path ("*a" and 900 "?" at
// the end of a segment of 4000 "a"s took 4 ms).
func fastWork(n int) int { return 256 + 4*n }

// maxZoneBreaks bounds the places where a globstar body cannot go on (a "/" followed by
// ".", or a "." at position 0) that blocksMatchZones handles; a path with more goes to the
// DFA.
const maxZoneBreaks = 32

// zones records the breaks of a path: the positions whose unit a globstar body cannot
// consume. A stretch between two breaks is a zone: a globstar gap [p, q) is possible when
// p and q are in the same zone, that is, when no break lies in [p, q).
type zones struct {
	brk [maxZoneBreaks]int
	n   int
}

// find records the breaks of path. It reports false when the path has a line terminator
// (which a star may cross but a globstar may not) or more than maxZoneBreaks breaks.
func (z *zones) find(path string) bool {
	z.n = 0
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '\n' || c == '\r' || c == 0xE2 && isLineSeparatorAt(path, i):
			return false
		case i == 0 && c == '.' || c == '/' && i+1 < len(path) && path[i+1] == '.':
			if z.n == maxZoneBreaks {
				return false
			}
			z.brk[z.n] = i
			z.n++
		}
	}
	return true
}

// of returns the zone of position x: the number of breaks before it.
func (z *zones) of(x int) int {
	k := 0
	for k < z.n && z.brk[k] < x {
		k++
	}
	return k
}

// last returns the last position a globstar gap starting in zone k may end at.
func (z *zones) last(k, end int) int {
	if k < z.n {
		return min(z.brk[k], end)
	}
	return end
}

// blocksMatchZones matches the blocks against path[:end] on a path with breaks. For each
// zone it keeps the earliest position where the blocks so far can end such that the gap
// that follows starts in that zone; a later end whose gap starts in the same zone can do
// nothing an earlier one cannot, since the gap from the earlier one can absorb the
// difference. A gap after "/" (a middle globstar) starts at that "/", whose follower it
// tests, so its zone is the one of the position before the end.
func (s *fastSeq) blocksMatchZones(path string, end int, z *zones, work *int) bool {
	var cur, next [maxZoneBreaks + 1]int
	keep := func(arr *[maxZoneBreaks + 1]int, r int, gap ftokKind) {
		k := z.of(r)
		if gap == fSegStart && r > 0 {
			k = z.of(r - 1)
		}
		if arr[k] < 0 || r < arr[k] {
			arr[k] = r
		}
	}
	for i := range cur {
		cur[i] = -1
	}
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
		accept := func(r int) bool {
			if mode == endExact {
				return true
			}
			// "/" and a globstar body to the end: no break from r on.
			return r == len(path) || path[r] == '/' && z.of(r) == z.n
		}
		if i == 0 {
			r, ok := runChunks(path, 0, end, b.chunks, b.lastW, mode, work)
			if !ok {
				return false
			}
			if last {
				return accept(r)
			}
			keep(&cur, r, s.blocks[1].gap)
			continue
		}
		// A block without "/" cannot cross a break, so once it matched in a zone, later
		// starts end in the same zone, except a start right after the zone's break (which
		// a segment-start gap may reach).
		early := !chunksCrossSlash(b.chunks)
		any := false
		for k := range next {
			next[k] = -1
		}
		for k := 0; k <= z.n; k++ {
			e := cur[k]
			if e < 0 {
				continue
			}
			hi := z.last(k, end)
			if b.gap == fSegStart {
				// "/" (consumed) and nothing, or a run ending with "/" in which no break
				// precedes that last "/".
				hi = min(hi+1, end)
			}
			for q := e; q <= hi; q++ {
				if b.gap == fSegStart && q > e && path[q-1] != '/' {
					continue
				}
				if *work--; *work < 0 {
					return false
				}
				r, ok := runChunks(path, q, end, b.chunks, b.lastW, mode, work)
				if !ok {
					continue
				}
				if last {
					if accept(r) {
						return true
					}
					continue
				}
				keep(&next, r, s.blocks[i+1].gap)
				any = true
				if early {
					if k == z.n || z.brk[k]+1 > hi || z.brk[k] < q {
						break
					}
					q = z.brk[k] // then q++: the start right after the break
				}
			}
		}
		if last || !any {
			return false
		}
		cur = next
	}
	return false
}

// chunksCrossSlash reports whether a literal of the chunks holds a "/" before the block's
// last unit: only then can the block consume a break and go on in a later zone (a "/" that
// ends the block leaves the gap after it in the zone it started in).
func chunksCrossSlash(chunks [][]ftok) bool {
	for ci, c := range chunks {
		for i := range c {
			if c[i].kind != fLit {
				continue
			}
			k := strings.IndexByte(c[i].str, '/')
			if k < 0 {
				continue
			}
			if ci != len(chunks)-1 || k != len(c[i].str)-1 {
				return true
			}
			for _, t := range c[i+1:] {
				if t.kind == fLit || t.kind == fOne {
					return true
				}
			}
		}
	}
	return false
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
func (s *fastSeq) blocksMatch(path string, end int, work *int) bool {
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
			r, ok := runChunks(path, 0, end, b.chunks, b.lastW, mode, work)
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
			if *work--; *work < 0 {
				return false
			}
			if r, ok := runChunks(path, q, end, b.chunks, b.lastW, mode, work); ok {
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

// runChunks matches chunks (separated by stars) from q and returns where they end. lastW
// is the width of the last chunk (for mode endExact). It charges work for the places it
// tries, and fails once work is below zero.
func runChunks(path string, q, end int, chunks [][]ftok, lastW, mode int, work *int) (int, bool) {
	*work -= len(chunks[0])
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
	// slash is the first "/" at or after the last position asked about (or end), kept so
	// that a long run of chunks in one segment does not rescan it.
	slash := -1
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
		q := end - lastW
		if q < p || slash < q {
			return 0, false
		}
		_, ok = matchChunk(path, q, end, last)
		return end, ok
	case endSegment:
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
func (s *fastSeq) greedy(path string, end int, work *int) bool {
	_, ok := runChunks(path, 0, end, s.chunks, s.lastW, endExact, work)
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
				return r, true
			}
			q++
		}
		return 0, false
	}
	for q := p; q <= limit; q++ {
		if *work -= 1 + len(c); *work < 0 {
			return 0, false
		}
		if r, ok := matchChunk(path, q, end, c); ok {
			return r, true
		}
	}
	return 0, false
}

func (t *ftok) lit() string { return t.str }
