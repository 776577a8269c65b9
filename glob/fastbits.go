package glob

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
	"unicode/utf8"
)

// This file holds a second matcher for blocks between globstars on a path with breaks,
// posProg. It keeps the set of all the positions (of the path's UTF-16 units) where the
// blocks so far can end, one bit a position, and moves the whole set through each piece of
// the pattern in turn, with a few operations a 64-bit word of the set:
//
//   - a run of fixed pieces (literals, "?" and classes, tests), up to 63 units, keeps the
//     positions where it matches (a mask made once a match from a row of bits for each
//     class of unit) and moves them by its width;
//   - a star, or a globstar gap, adds to each position the run of units after it that it
//     may consume (not "/", or not a break), with one addition a word whose carries run
//     along the run; a segment-start gap then keeps the positions after a "/";
//   - a class that also matches its own text ("[ab]") takes one unit or the text;
//   - a run of units of a set ("*(a)") is a star whose run is the set's units, a test
//     that the next unit is not of a set ("!(a)") a step of a mask, as is one that the
//     units to the end are not a text (which drops one position at most), and a middle
//     globstar that may match the end a test of the end before its "/" (posPiece.checkEnd);
//   - a run of repetitions of texts of one width ("*(ab)", "+(ab|cd)") moves each position
//     by the width as far as the texts repeat: by one addition a residue of the width for
//     texts of up to 4 units (textAdd2, textAdd3, textAdd4), else by runs of 1, 2, 4...
//     repetitions inside a word (textFill), with a carry to the next word;
//   - a run of repetitions of texts of different widths ("*(a|bc)", and "+([ab])", whose
//     alternatives are the class and its text) moves, in each word, the positions it has
//     not moved yet by one repetition of each text until no new one comes, the texts of
//     one unit by the run of their repetitions (mixedPass): a few steps a word, and one
//     for each repetition a run takes in a word where the runs are long;
//   - a repetition whose body nests repetitions and alternatives of texts ("*(x+(a|bc))")
//     is an automaton whose steps are the texts, run the same way with the positions after
//     each text apart (autoPass);
//   - an optional of texts ("?(a|bc)") keeps the positions and adds those after each text;
//   - a repetition of fixed pieces, a star and fixed pieces ("!(a)?", which is
//     "(?:(?!a)[^/]*?)?", or "*(a*b)") matches as its body once, or not at all: a second
//     time would end before the same "/" as the first could (optPass); so does a run of
//     units of a set then one unit ("*(*(a)b)", which is "(?:[ab]*b)?");
//   - a text that does not follow ("!(ab)", "!(*.js)", which is "(?![^/]*?\.js$)") is a step
//     against the mask of the text: positions the text starts at, at the end of the path
//     (pAtEnd), with no "/" after them (pNoSlashFrom), or, after a star, those from which
//     units other than "/" lead to one (backReach, a pass from the last word down).
//
// A pattern without a globstar is one block, which posProg runs where only it can take
// the pattern's extglobs (buildChoices), and not for runs of texts of different widths,
// which the DFA and the bit-parallel program take sooner on one segment.
//
// Its time depends only on the pattern's pieces and the path's length: about B*W word
// steps for B pieces and W words, less where the positions lie in a band (a block looks
// at the words up to the next break after its last position, and drops the positions
// with more line terminators after them than the blocks left can consume), or, on a path
// without breaks, where a block ends early (the gap after it needs only its earliest end,
// so it looks at the first words, twice as many each time, until they hold one; a block
// before a middle globstar that may match the end also runs from the last segments it
// may span, to tell whether it leaves the end, once for all the blocks equal to it). It
// is exact for every path, where blocksMatchZones gives up or takes time quadratic in a
// zone: when a block may consume a break and go on (a star or "?" taking a line
// terminator, a "/" before "."), blocksMatchZones tries every start of a zone, and
// revisits the zones of a band at every block.
//
// zonesMatch runs blocksMatchZones first, with a share of the work this matcher's run
// would cost (posPerWork), and this one when that share runs out.

// Steps of a piece's mask (posPiece): the positions where its tokens match, one after
// another, are those where the unit of each token's offset is in its row.
const (
	pUnit        = iota // a literal unit: arg is its class (posProg.class)
	pOne                // a unit of set arg
	pNoDot              // the next unit is not "."
	pOneChar            // there is a next unit and it is not a line terminator
	pNotSet             // the next unit is not of set arg, or there is none
	pNotTail            // the units to the end are not one of each set of tail arg (posProg.tails)
	pNotMask            // mask number arg does not hold the position (a text that does not follow)
	pMask               // mask number arg holds the position
	pAtEnd              // the position is the end of the path
	pNoSlashFrom        // no "/" from the position to the end of the path
)

// Gaps.
const (
	pGS       = 1 + iota // a globstar gap: any run of units that are not breaks
	pSegStart            // a gap ending at a segment start (see segBlock)
)

const (
	maxPosClasses = 64 // the most classes of units a posProg tells apart
	maxPosSets    = 32 // the most distinct sets of single-unit tokens
)

type posStep struct {
	op  uint8
	arg uint8
}

// posProg is a sequence of blocks as steps over sets of positions.
type posProg struct {
	blocks []posBlock
	kinds  []posKind
	sets   []charSet // the distinct sets of single-unit tokens
	// class maps an ASCII unit to its class: units of one class are the same literal
	// unit, or belong to the same sets. Class 0 holds the units no step tells apart; "/",
	// ".", and the ASCII line terminators have classes of their own. The literal units
	// beyond ASCII (wideLits, in order) have classes wideCls.
	class            [utf8.RuneSelf]uint8
	wideLits         []uint16
	wideCls          []uint8
	classes          int
	classSets        []uint32 // the sets, a bit each, that the units of a class belong to
	slashCls, dotCls uint8
	lfCls, crCls     uint8
	endTail          bool           // the last block is followed by "/" and anything, or the end
	opt              bool           // an optional "/" before the end
	passes           int            // the passes over the set of positions a match makes
	maskSteps        int            // the steps of the masks of the distinct pieces
	masks            int            // the masks of the pieces
	kindBlocks       []*block       // the block of each kind, while newPosProg builds them
	maskIDs          map[string]int // the mask of each list of steps, while newPosProg builds them
	maskDefs         []maskDef      // what each mask holds
	tails            [][]uint8      // the sets of the steps pNotTail
}

// posBlock is a block of the sequence: its gap, and its kinds.
type posBlock struct {
	gap   uint8 // pGS, pSegStart, or 0 for the first block
	kinds []int // the blocks, any of which may follow the gap (several for alternatives)
	lts   int   // the line terminators this block and those after it can consume, at most
	// checkEnd: a piece of a kind has checkEnd, so that the block needs every position.
	checkEnd bool
	// slashes: the "/" units a run of the block's pieces up to one with checkEnd may
	// consume, at most, or -1 when there is no bound.
	slashes int
	// same: the first block with the same gap and kinds, whose pieces leave the end from
	// a tailSeed if this one's do (posRun.endFrom).
	same int
}

// posKind is a distinct block: its pieces, in order.
type posKind struct {
	pieces []posPiece
}

// posPiece is a part of a block that moves the set of positions in one pass: a star if
// star is set, then fixed pieces (literals, tests and single units), width units wide
// (below 64), that match at the positions of mask number mask; or, for a class that also
// matches its own text (classLit), a unit of set set or the text, width2 units, whose
// starts are mask number mask.
type posPiece struct {
	star, classLit bool
	width, width2  int
	mask           int
	set            uint8
	// starSet is 0 for a star, or 1 + the set of a run of units of a set (fSetStar, or
	// the star of an fOptStar that is a run of a set's units).
	starSet uint8
	// opt: fixed pieces, then a star after them rather than before, then the fixed pieces
	// of tailSteps, tailW units wide, at the positions of mask tailMask; or nothing when
	// keep is set (fOptStar).
	opt, keep       bool
	tailW, tailMask int
	tailSteps       []posStep
	// textW is 0, or for a run of repetitions of texts (fSetStar with a body) in place of
	// the star, the widest text's width; textMask is the mask of their starts (texts of
	// one width), textSteps and textWidths the steps and the width of each, and textPlus
	// is set when the run takes one repetition at least.
	textW, textMask int
	textSteps       [][]posStep
	textWidths      []int
	textPlus        bool
	// mixed: the texts differ in width (mixedPass); mixWidths and mixMasks are the width
	// and the mask of each text wider than a unit, and mixUnits the mask of the union of
	// those of one unit, or -1.
	mixed               bool
	mixWidths, mixMasks []int
	mixUnits            int
	// auto: the texts are the steps of an automaton (textAutomaton): autoFirst and
	// autoLast have a bit for each text that may come first and last, autoFollow those
	// that may follow each; autoMasks is the mask of each text, and keep is set when the
	// automaton may match nothing.
	auto                bool
	autoFirst, autoLast uint32
	autoFollow          []uint32
	autoMasks           []int
	// optSteps: the steps of texts, optWidths units wide, any of which the piece may take
	// instead of none (fOptText); optMasks their masks.
	optSteps  [][]posStep
	optWidths []int
	optMasks  []int
	// checkEnd: the path matches if the piece leaves its end (block.liveEnd: the piece
	// before the "/" of a middle globstar that may match the end).
	checkEnd bool
	steps    []posStep // the steps of the mask: of the fixed pieces, or of the text
}

// newPosProg returns the program of seqs, sequences of blocks: one, or alternatives that
// are every combination of the blocks at each place, with the same gaps, as one program
// whose blocks have alternatives. It returns nil when they are not, tell too many units or
// sets apart, or have a segment-start gap that follows neither a "/" nor the empty start
// of the pattern.
func newPosProg(seqs ...*fastSeq) *posProg { return newPosProgOf(seqs, true) }

// newPosProgOf is newPosProg, which checks that seqs are every combination of their
// blocks at each place when every is set. Without it, the program matches every
// combination, whatever seqs are.
func newPosProgOf(seqs []*fastSeq, every bool) *posProg {
	s0 := seqs[0]
	bp := &posProg{endTail: s0.endTail, opt: s0.opt}
	for _, s := range seqs {
		if s.kind != seqBlocks || len(s.blocks) != len(s0.blocks) || s.endTail != s0.endTail || s.opt != s0.opt {
			return nil
		}
	}
	// The literal units and the sets, then the classes.
	var lits [utf8.RuneSelf]bool
	lits['/'], lits['.'], lits['\n'], lits['\r'] = true, true, true, true
	for _, s := range seqs {
		for i := range s.blocks {
			for _, c := range s.blocks[i].chunks {
				for k := range c {
					if !bp.addUnits(&lits, &c[k]) {
						return nil
					}
				}
			}
		}
	}
	setsOf := func(u uint16) uint32 {
		var m uint32
		for j := range bp.sets {
			if bp.sets[j].has(u) {
				m |= 1 << j
			}
		}
		return m
	}
	type sig struct {
		lit  int
		sets uint32
	}
	ids := map[sig]uint8{{-1, 0}: 0}
	bp.classSets = []uint32{0}
	classOf := func(g sig) (uint8, bool) {
		id, ok := ids[g]
		if !ok {
			if len(ids) == maxPosClasses {
				return 0, false
			}
			id = uint8(len(ids))
			ids[g] = id
			bp.classSets = append(bp.classSets, g.sets)
		}
		return id, true
	}
	for c := range utf8.RuneSelf {
		g := sig{lit: -1, sets: setsOf(uint16(c))}
		if lits[c] {
			g.lit = c
		}
		id, ok := classOf(g)
		if !ok {
			return nil
		}
		bp.class[c] = id
	}
	slices.Sort(bp.wideLits)
	for _, u := range bp.wideLits {
		id, ok := classOf(sig{lit: int(u), sets: setsOf(u)})
		if !ok {
			return nil
		}
		bp.wideCls = append(bp.wideCls, id)
	}
	bp.classes = len(ids)
	bp.slashCls, bp.dotCls, bp.lfCls, bp.crCls = bp.class['/'], bp.class['.'], bp.class['\n'], bp.class['\r']
	unitCls := func(u uint16) uint8 {
		if u < utf8.RuneSelf {
			return bp.class[u]
		}
		k, _ := slices.BinarySearch(bp.wideLits, u)
		return bp.wideCls[k]
	}

	// The blocks: at each index, the distinct blocks the sequences have there (a block
	// equal to an earlier one of its sequence takes that one's kind).
	kindsOf := make([][]int, len(seqs))
	ltsAt := make([]int, len(s0.blocks)+1)
	for i := range s0.blocks {
		gap := uint8(0)
		switch s0.blocks[i].gap {
		case fGS:
			gap = pGS
		case fSegStart:
			gap = pSegStart
		}
		pb := posBlock{gap: gap}
		for j, s := range seqs {
			b := &s.blocks[i]
			if b.gap != s0.blocks[i].gap {
				return nil
			}
			if b.gap == fSegStart && !endsWithSlash(&s.blocks[i-1]) &&
				(i > 1 || len(s.blocks[0].chunks) > 1 || len(s.blocks[0].chunks[0]) > 0) {
				return nil
			}
			ltsAt[i] = max(ltsAt[i], blockBreaks(b.chunks, true))
			kind := -1
			if b.same != i {
				kind = kindsOf[j][b.same]
			}
			for _, k := range pb.kinds {
				if kind < 0 && sameBlock(bp.kindBlocks[k], b) {
					kind = k
				}
			}
			// An equal block elsewhere (which another sequence's first one of its kind
			// may be).
			for k := 0; kind < 0 && k < len(bp.kinds); k++ {
				if sameBlock(bp.kindBlocks[k], b) {
					kind = k
				}
			}
			if kind < 0 {
				k, ok := bp.newKind(b, unitCls)
				if !ok {
					return nil
				}
				kind = k
			}
			kindsOf[j] = append(kindsOf[j], kind)
			pb.checkEnd = pb.checkEnd || b.liveEnd
			if !slices.Contains(pb.kinds, kind) {
				pb.kinds = append(pb.kinds, kind)
				bp.passes += len(bp.kinds[kind].pieces)
			}
		}
		if len(pb.kinds) > 1 {
			bp.passes += len(pb.kinds) + 1 // the copy, and the union
		}
		bp.blocks = append(bp.blocks, pb)
	}
	// The line terminators the blocks from i on can consume.
	for i := len(s0.blocks) - 1; i >= 0; i-- {
		ltsAt[i] = min(ltsAt[i]+ltsAt[i+1], manyBreaks)
		bp.blocks[i].lts = ltsAt[i]
	}
	for i := range bp.blocks {
		pb := &bp.blocks[i]
		pb.same = slices.IndexFunc(bp.blocks[:i+1], func(o posBlock) bool {
			return o.gap == pb.gap && slices.Equal(o.kinds, pb.kinds)
		})
		for _, k := range pb.kinds {
			if s := bp.kindSlashes(k); s < 0 || pb.slashes < 0 {
				pb.slashes = -1
			} else {
				pb.slashes = max(pb.slashes, s)
			}
		}
	}
	bp.kindBlocks, bp.maskIDs = nil, nil // needed only here
	if !every {
		return bp
	}
	// The sequences must be every combination of the blocks at each index: each is one, and
	// there are as many as combinations.
	combos := 1
	for _, pb := range bp.blocks {
		if combos *= len(pb.kinds); combos > len(seqs) {
			return nil
		}
	}
	seen := make(map[string]bool, len(seqs))
	for _, ks := range kindsOf {
		var key []byte
		for _, k := range ks {
			key = binary.AppendUvarint(key, uint64(k))
		}
		seen[string(key)] = true
	}
	if combos != len(seqs) || len(seen) != len(seqs) {
		return nil
	}
	return bp
}

// addUnits records the literal units of token t in lits (ASCII) and bp.wideLits, and its
// sets in bp.sets, those of the text a run repeats included; false when there are more
// sets than maxPosSets.
func (bp *posProg) addUnits(lits *[utf8.RuneSelf]bool, t *ftok) bool {
	if t.kind == fLit || t.kind == fClassLit {
		for _, u := range t.units {
			if u < utf8.RuneSelf {
				lits[u] = true
			} else if !slices.Contains(bp.wideLits, u) {
				bp.wideLits = append(bp.wideLits, u)
			}
		}
	}
	if x := t.more(); t.kind == fSetStar && x.body != nil || t.kind == fOptStar || t.kind == fNotText || t.kind == fOptText {
		for _, toks := range append([][]ftok{x.body, x.after}, x.alts...) {
			for k := range toks {
				if !bp.addUnits(lits, &toks[k]) {
					return false
				}
			}
		}
		if t.kind != fOptStar || isAnyButSlash(&t.set) {
			return true
		}
		// An fOptStar whose star is a run of a set's units: that set, below.
	}
	sets := t.tail
	if t.kind == fOne || t.kind == fClassLit || t.kind == fSetStar || t.kind == fNotNext || t.kind == fOptStar {
		sets = []charSet{t.set}
	}
	for _, set := range sets {
		if bp.setOf(&set) < 0 {
			if len(bp.sets) == maxPosSets {
				return false
			}
			bp.sets = append(bp.sets, set)
		}
	}
	return true
}

// newKind adds the kind of block b to bp and returns its index, or false when a class's
// text is too long.
func (bp *posProg) newKind(b *block, unitCls func(uint16) uint8) (int, bool) {
	var k posKind
	var cur posPiece // the piece being built
	flush := func() {
		k.pieces = append(k.pieces, cur)
		cur = posPiece{}
	}
	chunks := commuteStars(b.chunks)
	for c, chunk := range chunks {
		if c > 0 {
			// A star; after nothing but a star or a piece, it starts the next piece. The
			// first piece, maybe empty, is fixed pieces, so that the gap goes with it.
			if cur.width > 0 || len(cur.steps) > 0 || cur.starSet > 0 || cur.textW > 0 || !cur.star && len(k.pieces) == 0 {
				flush()
			}
			cur.star = true
		}
		for x := range chunk {
			t := &chunk[x]
			switch t.kind {
			case fLit:
				for ui, u := range t.units {
					if b.liveEnd && c == len(chunks)-1 && x == len(chunk)-1 && ui == len(t.units)-1 {
						// The "/" of the middle globstar, whose "or the end" is tested
						// before it.
						cur.checkEnd = true
						flush()
					}
					if cur.width == 63 {
						flush()
					}
					cur.steps = append(cur.steps, posStep{op: pUnit, arg: unitCls(u)})
					cur.width++
				}
			case fOne:
				if cur.width == 63 {
					flush()
				}
				cur.steps = append(cur.steps, posStep{op: pOne, arg: uint8(bp.setOf(&t.set))})
				cur.width++
			case fClassLit:
				if len(t.units) >= 64 {
					return 0, false
				}
				if cur.width > 0 || len(cur.steps) > 0 || cur.textW > 0 || !cur.star && len(k.pieces) == 0 {
					flush() // the first piece is fixed pieces, maybe none, that the gap goes with
				}
				cur.classLit, cur.set, cur.width, cur.width2 = true, uint8(bp.setOf(&t.set)), 1, len(t.units)
				for _, u := range t.units {
					cur.steps = append(cur.steps, posStep{op: pUnit, arg: unitCls(u)})
				}
				flush()
			case fOptText:
				// A piece of its own: the positions, and those after each text.
				if cur.width > 0 || len(cur.steps) > 0 || cur.star || len(k.pieces) == 0 {
					flush()
				}
				for _, text := range t.more().alts {
					steps, w, ok := bp.fixedSteps(text, unitCls)
					if !ok {
						return 0, false
					}
					cur.optSteps = append(cur.optSteps, steps)
					cur.optWidths = append(cur.optWidths, w)
				}
				flush()
			case fOptStar:
				// A piece of its own: its fixed pieces, its star, and the fixed pieces after.
				if cur.width > 0 || len(cur.steps) > 0 || cur.star || len(k.pieces) == 0 {
					flush()
				}
				var ok bool
				cur.opt, cur.keep = true, t.more().keep
				if !isAnyButSlash(&t.set) {
					k := bp.setOf(&t.set) // addUnits made it
					if k < 0 {
						return 0, false
					}
					cur.starSet = uint8(1 + k)
				}
				if cur.steps, cur.width, ok = bp.fixedSteps(t.more().body, unitCls); !ok {
					return 0, false
				}
				if cur.tailSteps, cur.tailW, ok = bp.fixedSteps(t.more().after, unitCls); !ok {
					return 0, false
				}
				flush()
			case fSetStar:
				if t.more().body != nil {
					// A piece of its own, whose run is the repetitions of the text.
					if cur.width > 0 || len(cur.steps) > 0 || cur.star || len(k.pieces) == 0 {
						flush()
					}
					cur.star, cur.textPlus = true, !t.more().keep
					for _, text := range append([][]ftok{t.more().body}, t.more().alts...) {
						steps, w, ok := bp.fixedSteps(text, unitCls)
						if !ok {
							return 0, false
						}
						cur.textW = max(cur.textW, w)
						cur.textSteps = append(cur.textSteps, steps)
						cur.textWidths = append(cur.textWidths, w)
					}
					if x := t.more(); x.follow != nil {
						cur.auto, cur.autoFirst, cur.autoLast, cur.autoFollow = true, x.first, x.last, x.follow
						cur.textPlus, cur.keep = false, x.keep
					} else {
						cur.mixed = slices.ContainsFunc(cur.textWidths, func(w int) bool { return w != cur.textW })
					}
					continue
				}
				// A piece of its own, unless a star already takes every unit it does.
				if cur.width > 0 || len(cur.steps) > 0 || cur.star && (cur.starSet > 0 || cur.textW > 0) || !cur.star && len(k.pieces) == 0 {
					flush()
				}
				if !cur.star {
					cur.star, cur.starSet = true, uint8(1+bp.setOf(&t.set))
				}
			case fNoDot:
				cur.steps = append(cur.steps, posStep{op: pNoDot})
			case fNotNext:
				cur.steps = append(cur.steps, posStep{op: pNotSet, arg: uint8(bp.setOf(&t.set))})
			case fNotTail, fOneChar, fNotText:
				steps, _, ok := bp.fixedSteps(chunk[x:x+1], unitCls)
				if !ok {
					return 0, false
				}
				cur.steps = append(cur.steps, steps...)
			default:
				return 0, false
			}
		}
	}
	if cur.star || cur.width > 0 || len(cur.steps) > 0 || len(k.pieces) == 0 {
		flush()
	}
	bp.kinds = append(bp.kinds, k)
	bp.kindBlocks = append(bp.kindBlocks, b)
	for i := range k.pieces {
		pc := &k.pieces[i]
		pc.mask = bp.maskOf(pc.steps)
		switch {
		case pc.auto:
			for _, steps := range pc.textSteps {
				pc.autoMasks = append(pc.autoMasks, bp.maskOf(steps))
			}
			for _, f := range pc.autoFollow {
				bp.passes += mixedPasses * (1 + bits.OnesCount32(f))
			}
		case pc.mixed:
			var units [][]posStep
			for t, steps := range pc.textSteps {
				if w := pc.textWidths[t]; w > 1 {
					pc.mixWidths = append(pc.mixWidths, w)
					pc.mixMasks = append(pc.mixMasks, bp.maskOf(steps))
				} else {
					units = append(units, steps)
				}
			}
			pc.mixUnits = -1
			if units != nil {
				pc.mixUnits = bp.unionOf(units)
			}
			bp.passes += mixedPasses * len(pc.textSteps)
		case pc.textW > 0:
			pc.textMask = bp.unionOf(pc.textSteps)
			bp.passes += textPasses
		}
		if pc.opt {
			pc.tailMask = bp.maskOf(pc.tailSteps)
		}
		for _, steps := range pc.optSteps {
			pc.optMasks = append(pc.optMasks, bp.maskOf(steps))
		}
	}
	return len(bp.kinds) - 1, true
}

// kindSlashes returns the "/" units the pieces of kind k, up to one with checkEnd, may
// consume, at most, or -1 when a run of them may consume any number.
func (bp *posProg) kindSlashes(k int) int {
	total := 0
	pieces := bp.kinds[k].pieces
	if e := slices.IndexFunc(pieces, func(pc posPiece) bool { return pc.checkEnd }); e >= 0 {
		pieces = pieces[:e+1]
	}
	for i := range pieces {
		pc := &pieces[i]
		if pc.starSet > 0 && bp.sets[pc.starSet-1].has('/') ||
			slices.ContainsFunc(pc.textSteps, func(st []posStep) bool { return bp.slashesOf(st) > 0 }) {
			return -1
		}
		total += bp.slashesOf(pc.steps) + bp.slashesOf(pc.tailSteps)
		if pc.classLit && bp.sets[pc.set].has('/') {
			total++
		}
		most := 0
		for _, st := range pc.optSteps {
			most = max(most, bp.slashesOf(st))
		}
		total += most
	}
	return total
}

// slashesOf returns the steps that may consume a "/".
func (bp *posProg) slashesOf(steps []posStep) int {
	c := 0
	for _, st := range steps {
		if st.op == pUnit && st.arg == bp.slashCls || st.op == pOne && bp.sets[st.arg].has('/') {
			c++
		}
	}
	return c
}

// fixedSteps returns the steps of fixed tokens (literal and single units, and tests) and
// the units they match, or false when they are not such tokens, are 64 units wide or more,
// or need more tails or masks than a step's argument tells apart.
func (bp *posProg) fixedSteps(toks []ftok, unitCls func(uint16) uint8) ([]posStep, int, bool) {
	var steps []posStep
	width := 0
	for i := range toks {
		t := &toks[i]
		switch t.kind {
		case fLit:
			for _, u := range t.units {
				steps = append(steps, posStep{op: pUnit, arg: unitCls(u)})
			}
			width += len(t.units)
		case fOne:
			steps = append(steps, posStep{op: pOne, arg: uint8(bp.setOf(&t.set))})
			width++
		case fNoDot:
			steps = append(steps, posStep{op: pNoDot})
		case fNotNext:
			steps = append(steps, posStep{op: pNotSet, arg: uint8(bp.setOf(&t.set))})
		case fOneChar:
			steps = append(steps, posStep{op: pOneChar})
		case fNotTail:
			if len(bp.tails) == 256 {
				return nil, 0, false
			}
			var tail []uint8
			for i := range t.tail {
				tail = append(tail, uint8(bp.setOf(&t.tail[i])))
			}
			steps = append(steps, posStep{op: pNotTail, arg: uint8(len(bp.tails))})
			bp.tails = append(bp.tails, tail)
		case fNotText:
			// The mask of the text the lookahead tests, then a step against it.
			x := t.more()
			text, w, ok := bp.fixedSteps(x.body, unitCls)
			if !ok {
				return nil, 0, false
			}
			switch {
			case x.star && len(x.after) > 0:
				after, _, ok := bp.fixedSteps(x.after, unitCls)
				if !ok {
					return nil, 0, false
				}
				if x.end {
					after = append(after, posStep{op: pAtEnd})
				}
				reach := bp.reachOf(bp.maskOf(after))
				if reach >= 256 {
					return nil, 0, false
				}
				text = append(text, posStep{op: pMask, arg: uint8(reach)})
			case x.star && x.end:
				text = append(text, posStep{op: pNoSlashFrom})
			case x.end:
				text = append(text, posStep{op: pAtEnd})
			}
			if k := bp.maskOf(text); k < 256 && w < 64 {
				steps = append(steps, posStep{op: pNotMask, arg: uint8(k)})
				continue
			}
			return nil, 0, false
		default:
			return nil, 0, false
		}
	}
	return steps, width, width < 64
}

// maskDef is what a mask holds: the positions from which steps match, or the union of
// masks subs (unionOf), or with reach, the positions from which units other than "/"
// lead to a position of mask subs[0] (reachOf).
type maskDef struct {
	steps []posStep
	subs  []int
	reach bool
}

// reachOf returns the number of a mask that holds the positions from which a run of units
// other than "/" leads to a position of mask k (backReach).
func (bp *posProg) reachOf(k int) int {
	return bp.addMask(binary.AppendUvarint([]byte{254}, uint64(k)), maskDef{subs: []int{k}, reach: true}, 2)
}

// unionOf returns the number of a mask that holds the positions of those of alts (maskOf),
// which is maskOf(alts[0]) for one.
func (bp *posProg) unionOf(alts [][]posStep) int {
	if len(alts) == 1 {
		return bp.maskOf(alts[0])
	}
	var subs []int
	key := []byte{255}
	for _, a := range alts {
		k := bp.maskOf(a)
		subs = append(subs, k)
		key = binary.AppendUvarint(key, uint64(k))
	}
	return bp.addMask(key, maskDef{subs: subs}, len(subs))
}

// maskOf returns the number of the mask of steps: pieces with the same steps share one.
func (bp *posProg) maskOf(steps []posStep) int {
	key := make([]byte, 0, 2*len(steps))
	for _, st := range steps {
		key = append(key, st.op, st.arg)
	}
	return bp.addMask(key, maskDef{steps: steps}, len(steps))
}

// addMask returns the number of the mask of key, which it adds as def, whose making
// takes cost passes, if there is none. A key is the steps' ops and arguments, or, for a
// union or a reach, a byte no step's op is (255, 254) and the masks' numbers.
func (bp *posProg) addMask(key []byte, def maskDef, cost int) int {
	if k, ok := bp.maskIDs[string(key)]; ok {
		return k
	}
	if bp.maskIDs == nil {
		bp.maskIDs = make(map[string]int)
	}
	bp.maskIDs[string(key)] = len(bp.maskDefs)
	bp.maskDefs = append(bp.maskDefs, def)
	bp.masks++
	bp.maskSteps += cost
	return bp.masks - 1
}

// commuteStars returns chunks (separated by stars) with each single unit of any but "/"
// that starts a chunk after a star moved before that star: "*?" and "?*" match the same
// runs, and "*?*?*?" as "???*" takes one star instead of three. Stars left next to one
// another become one.
func commuteStars(chunks [][]ftok) [][]ftok {
	var out [][]ftok
	for c, chunk := range chunks {
		if c == 0 {
			out = append(out, slices.Clone(chunk))
			continue
		}
		k := 0
		for k < len(chunk) && chunk[k].kind == fOne && isAnyButSlash(&chunk[k].set) {
			k++
		}
		prev := &out[len(out)-1]
		*prev = append(*prev, chunk[:k]...)
		// A chunk left empty drops out, and the stars around it become one.
		if rest := chunk[k:]; len(rest) > 0 || c == len(chunks)-1 {
			out = append(out, slices.Clone(rest))
		}
	}
	return out
}

// isAnyButSlash reports whether set holds every unit but "/", as "?" and a star do.
func isAnyButSlash(set *charSet) bool {
	return set.ascii == [2]uint64{^uint64(1 << '/'), ^uint64(0)} && len(set.wide) == 1 &&
		set.wide[0] == unitRange{0x80, 0xFFFF}
}

// setOf returns the index of set in bp.sets, or -1.
func (bp *posProg) setOf(set *charSet) int {
	return slices.IndexFunc(bp.sets, func(u charSet) bool { return sameCharSet(&u, set) })
}

// sameCharSet reports whether a and b hold the same units.
func sameCharSet(a, b *charSet) bool {
	return a.ascii == b.ascii && sameSet(a.wide, b.wide)
}

// posBuf holds the sets of positions of one match.
type posBuf struct {
	words []uint64
	gap   []posGap // nb, nba and slash, word by word
	lts   []int32  // the positions of the line terminators
	made  []bool   // the masks of the pieces made
	ends  []int8   // for each block, whether it leaves the end from its tailSeed: 1, 0, or -1 unknown
}

var posPool = sync.Pool{New: func() any { return new(posBuf) }}

// cost is the passes over a word of positions a run of bp on a path of n bytes makes at
// most (its blocks, the masks of its pieces, and the rows of its units), or -1 when its
// rows would take more than maxPosWords.
func (bp *posProg) cost(n int) int {
	w := n/64 + 1
	if (rowFixed+bp.classes+len(bp.sets)+bp.masks)*w > maxPosWords {
		return -1
	}
	return (bp.passes + bp.maskSteps + bp.classes + 2*len(bp.sets) + 8) * w
}

// maxPosWords bounds the words of the rows of a run (8 MiB): for a pattern of 1 KiB, a
// path of about 64 KiB.
const maxPosWords = 1 << 20

// Rows of posBuf.words before the classes', the sets' and the pieces' masks.
const (
	rowCur   = iota
	rowNB    // positions whose unit is not a break (and below the end)
	rowLT    // line terminators
	rowNS    // positions of units other than "/"
	rowRun   // runs of units, for andRun
	rowIn    // the positions alternative blocks start from
	rowAll   // the positions an alternative block leaves
	rowSave  // what a gap leaves, while a block tries the first words (posRun.safe)
	rowTail  // the positions of a block that may leave the end, from its tailSeed
	rowFixed // the number of these rows
)

// posGap is what a segment-start gap reads of a word of positions, kept together: nb, the
// positions of nb not after a break, and the "/".
type posGap struct{ nb, nba, slash uint64 }

// posRun is the state of one run of a posProg.
type posRun struct {
	bp                *posProg
	buf               *posBuf
	stride            int // the words of a row
	n, nw             int // the path's units, and the words that hold positions 0 to n
	rowSets, rowMasks int
	cur, nb, lt, ns   []uint64
	slash, dot        []uint64
	lts               []int32
	safe              bool // the path has no break
	ended             bool // a piece with checkEnd left the end
}

// row returns row k.
func (r *posRun) row(k int) []uint64 {
	return r.buf.words[k*r.stride : (k+1)*r.stride : (k+1)*r.stride]
}

func (r *posRun) cls(c uint8) []uint64 { return r.row(rowFixed + int(c)) }
func (r *posRun) one(j uint8) []uint64 { return r.row(r.rowSets + int(j)) }

// run reports whether path matches bp. It decodes the path's units itself, so it takes the
// path as it is, never a split path.
func (bp *posProg) run(path string) bool {
	r := posRun{bp: bp, stride: len(path)/64 + 1} // a unit takes a byte at least
	r.rowSets = rowFixed + bp.classes
	r.rowMasks = r.rowSets + len(bp.sets)
	total := (r.rowMasks + bp.masks) * r.stride
	r.buf = posPool.Get().(*posBuf)
	defer posPool.Put(r.buf)
	if cap(r.buf.words) < total {
		r.buf.words = make([]uint64, total)
	}
	r.buf.words = r.buf.words[:total]
	clear(r.buf.words[:r.rowMasks*r.stride])
	r.buf.made = append(r.buf.made[:0], make([]bool, bp.masks)...)
	r.buf.ends = slices.Grow(r.buf.ends[:0], len(bp.blocks))[:len(bp.blocks)]
	for i := range r.buf.ends {
		r.buf.ends[i] = -1
	}
	r.cur, r.nb, r.lt, r.ns = r.row(rowCur), r.row(rowNB), r.row(rowLT), r.row(rowNS)
	r.slash, r.dot = r.cls(bp.slashCls), r.cls(bp.dotCls)
	r.n = bp.classify(r.buf.words, r.stride, r.rowSets, path)
	r.nw = r.n/64 + 1
	r.buf.gap = slices.Grow(r.buf.gap[:0], r.nw)[:r.nw]
	r.buf.lts = r.buf.lts[:0]
	r.breaks()
	r.lts = r.buf.lts
	return r.blocks()
}

// classify sets the rows of the units of path (in the row of their class, or for a unit
// beyond ASCII that is no literal, of their sets, and the line terminators beyond ASCII in
// rowLT), and returns their number.
func (bp *posProg) classify(w []uint64, stride, rowSets int, path string) int {
	n := 0
	for i := 0; i < len(path); {
		if c := path[i]; c < utf8.RuneSelf {
			w[(rowFixed+int(bp.class[c]))*stride+n>>6] |= 1 << (n & 63)
			i++
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(path[i:]) // an invalid byte is U+FFFD, one unit
		i += size
		if r > 0xFFFF {
			r -= 0x10000
			bp.wideUnit(w, stride, rowSets, n, uint16(0xD800+r>>10))
			n++
			r = 0xDC00 + r&0x3FF
		} else if r == 0x2028 || r == 0x2029 {
			w[rowLT*stride+n>>6] |= 1 << (n & 63)
		}
		bp.wideUnit(w, stride, rowSets, n, uint16(r))
		n++
	}
	for c := range bp.classes {
		src := w[(rowFixed+c)*stride : (rowFixed+c+1)*stride]
		for m := bp.classSets[c]; m != 0; m &= m - 1 {
			j := rowSets + bits.TrailingZeros32(m)
			dst := w[j*stride : (j+1)*stride]
			for i := range dst {
				dst[i] |= src[i]
			}
		}
	}
	return n
}

// breaks sets nb, lt, ns, the gap words and safe. A break is a line terminator, a "/"
// followed by ".", or a "." at 0.
func (r *posRun) breaks() {
	slash, dot, lf, cr := r.slash, r.dot, r.cls(r.bp.lfCls), r.cls(r.bp.crCls)
	var prevBrk, brks uint64
	for i := range r.nw {
		r.lt[i] |= lf[i] | cr[i]
		dotNext := dot[i] >> 1
		if i+1 < r.nw {
			dotNext |= dot[i+1] << 63
		}
		brk := r.lt[i] | slash[i]&dotNext
		if i == 0 {
			brk |= dot[0] & 1
		}
		units := ^uint64(0) // the positions that hold a unit
		if i == r.nw-1 {
			units = 1<<(r.n&63) - 1
		}
		brks |= brk
		brk |= ^units
		r.nb[i] = ^brk
		r.ns[i] = ^slash[i] & units
		r.buf.gap[i] = posGap{nb: r.nb[i], nba: ^brk &^ (brk<<1 | prevBrk), slash: slash[i]}
		for x := r.lt[i]; x != 0; x &= x - 1 {
			r.buf.lts = append(r.buf.lts, int32(i<<6+bits.TrailingZeros64(x)))
		}
		prevBrk = brk >> 63
	}
	r.safe = brks == 0
}

// blocks runs the blocks and reports whether the path matches.
func (r *posRun) blocks() bool {
	bp, cur, nw, n := r.bp, r.cur[:r.nw], r.nw, r.n
	cur[0] = 1
	// cur is 0 outside words lo to hi. A block looks at the words up to the last position it
	// may reach: its gap takes a position no further than the next break, a star no further
	// than the next "/", and fixed pieces their width.
	lo, hi := 0, 0
	for i := 0; i < len(bp.blocks); i++ {
		b := &bp.blocks[i]
		// No position with more line terminators after it than the blocks left can
		// consume leads to a match (gaps consume none).
		if c := b.lts; c < len(r.lts) {
			cut := int(r.lts[len(r.lts)-c-1]) // the positions up to this one go
			if cut>>6 > hi {
				return false
			}
			if cut>>6 >= lo {
				for ; lo < cut>>6; lo++ {
					cur[lo] = 0
				}
				cur[lo] &^= 2<<(cut&63) - 1
				for ; lo <= hi && cur[lo] == 0; lo++ {
				}
				if lo > hi {
					return false
				}
			}
		}
		// The last position the block may reach.
		last := hi<<6 + 63 - bits.LeadingZeros64(cur[hi])
		if b.gap != 0 {
			last = r.nextBreak(last) + 1
		}
		p := 0
		for _, k := range b.kinds {
			q := last
			for c := range bp.kinds[k].pieces {
				pc := &bp.kinds[k].pieces[c]
				if pc.star {
					q = r.nextSlash(q)
				}
				q += max(pc.width, pc.width2)
				if pc.optWidths != nil {
					q += slices.Max(pc.optWidths)
				}
				if pc.opt {
					q = r.nextSlash(q) // its tail holds no "/"
				}
			}
			p = max(p, q)
		}
		end := min(nw, p>>6+1)
		early := r.safe && i+1 < len(bp.blocks) && end-lo > 2
		if early && b.checkEnd {
			// The block's run from its last segments decides whether it leaves the end.
			var ended bool
			if ended, early = r.endFrom(b, lo); ended {
				return true
			}
		}
		if early {
			// Without breaks, the gap after the block takes its earliest end anywhere a
			// later one can go (a segment-start gap too: every end follows a "/", as
			// newPosProg checks): the first words that hold an end will do. A word of the
			// result depends on the words up to it only.
			save := r.row(rowSave)
			copy(save[lo:end], cur[lo:end])
			for e := lo + 2; ; e = min(end, lo+2*(e-lo)) {
				r.kinds(b, lo, e)
				if e == end || slices.ContainsFunc(cur[lo:e], func(x uint64) bool { return x != 0 }) {
					clear(cur[e:end])
					end = e
					break
				}
				copy(cur[lo:e], save[lo:e])
			}
		} else {
			r.kinds(b, lo, end)
		}
		if r.ended {
			return true
		}
		for lo < end && cur[lo] == 0 {
			lo++
		}
		if lo == end {
			return false
		}
		for hi = end - 1; cur[hi] == 0; hi-- {
		}
	}
	if has(cur, n) || bp.opt && n > 0 && has(r.slash, n-1) && has(cur, n-1) {
		return true
	}
	// "/" at an end, then a globstar body to the end of the path: no break from there on.
	return bp.endTail && tailFrom(cur, r.nb, r.slash, n)
}

// tailSeed returns, for block b of a path without breaks whose positions are in words lo
// on, a position p from which b's gap reaches the same positions at or after p as from
// them, where p is early enough for every start from which b may reach the end: the
// position after the (k+1)-th "/" from the end, for a block that may consume k "/". It
// returns -1 when that is not after the first position of cur.
func (r *posRun) tailSeed(b *posBlock, lo int) int {
	if b.slashes < 0 {
		return -1
	}
	first := lo<<6 + bits.TrailingZeros64(r.cur[lo])
	c := b.slashes + 1 // the "/" before the first position b may start from
	for i := r.nw - 1; i >= lo; i-- {
		for x := r.slash[i]; x != 0; x &^= 1 << (63 - bits.LeadingZeros64(x)) {
			if c--; c == 0 {
				if p := i<<6 + 64 - bits.LeadingZeros64(x); p > first {
					return p
				}
				return -1
			}
		}
	}
	return -1
}

// endFrom reports whether block b, whose gap takes the positions of cur (words lo on)
// and whose pieces may leave the end (checkEnd), leaves it, and true when it could tell.
// On a path without breaks, a gap reaches every position, or every start of a segment,
// after the first of cur: from tailSeed on, b runs from that position alone, in a row of
// its own, and blocks with the same gap and kinds take its answer. It cannot tell for the
// first block, which has no gap, or without a tailSeed; then the block's run over all its
// words decides.
func (r *posRun) endFrom(b *posBlock, lo int) (ended, ok bool) {
	p := r.tailSeed(b, lo)
	if p < 0 || b.gap == 0 {
		return false, false
	}
	if e := r.buf.ends[b.same]; e >= 0 {
		return e == 1, true
	}
	t, cur := r.row(rowTail), r.cur
	clear(t[p>>6 : r.nw])
	t[p>>6] = 1 << (p & 63)
	r.cur = t
	r.kinds(b, p>>6, r.nw)
	r.cur = cur
	r.buf.ends[b.same] = int8(b2i(r.ended))
	return r.ended, true
}

// kinds moves cur, in words lo to end, through block b: through each of its kinds from
// the same positions, then all the positions together.
func (r *posRun) kinds(b *posBlock, lo, end int) {
	bp, cur := r.bp, r.cur
	if len(b.kinds) == 1 {
		r.block(b.gap, bp.kinds[b.kinds[0]].pieces, lo, end, cur, cur)
		return
	}
	// Each kind from in, adding what it leaves to cur.
	in, out := r.row(rowIn), r.row(rowAll)
	for x := lo; x < end; x++ {
		in[x], cur[x] = cur[x], 0
	}
	for _, k := range b.kinds {
		r.block(b.gap, bp.kinds[k].pieces, lo, end, in, out)
		for x := lo; x < end; x++ {
			cur[x] |= out[x]
		}
	}
}

// block moves the positions of src, in words lo to end, through a gap (pGS, pSegStart or
// 0) with the first of pieces (fixed pieces, maybe none), then the others, and leaves them
// in dst (which may be src).
func (r *posRun) block(gap uint8, pieces []posPiece, lo, end int, src, dst []uint64) {
	dst = dst[:end]
	for c := range pieces {
		pc := &pieces[c]
		switch {
		case c == 0 && gap == pSegStart:
			segBlock(dst, src, r.buf.gap, r.mask(pc), lo, pc.width)
		case c == 0:
			piece(dst, src, r.nb, r.mask(pc), lo, pc.width, gap == pGS)
		default:
			run := r.ns
			if pc.starSet > 0 {
				run = r.one(pc.starSet - 1)
			}
			switch {
			case pc.optSteps != nil:
				var masks [maxOptTexts][]uint64
				for k, idx := range pc.optMasks {
					masks[k] = r.maskOf(idx)
				}
				optTextPass(dst, dst, masks[:len(pc.optMasks)], pc.optWidths, lo)
			case pc.opt:
				optPass(dst, dst, run, r.mask(pc), r.maskOf(pc.tailMask), lo, pc.width, pc.tailW, pc.keep)
			case pc.auto:
				var masks [maxAutoTexts][]uint64
				for k, idx := range pc.autoMasks {
					masks[k] = r.maskOf(idx)
				}
				autoPass(dst, dst, masks[:len(pc.autoMasks)], pc, r.mask(pc), lo)
			case pc.mixed:
				var masks [maxMixedTexts][]uint64
				for k, idx := range pc.mixMasks {
					masks[k] = r.maskOf(idx)
				}
				var units []uint64
				if pc.mixUnits >= 0 {
					units = r.maskOf(pc.mixUnits)
				}
				mixedPass(dst, dst, units, masks[:len(pc.mixMasks)], pc.mixWidths, r.mask(pc), lo, pc.width, pc.textPlus)
			case pc.textW > 0:
				textPass(dst, dst, r.maskOf(pc.textMask), r.mask(pc), lo, pc.textW, pc.width, pc.textPlus)
			case pc.classLit:
				classLitPass(dst, dst, run, r.one(pc.set), r.mask(pc), lo, pc.width2, pc.star)
			default:
				piece(dst, dst, run, r.mask(pc), lo, pc.width, pc.star)
			}
		}
		// Past end, dst may hold what an earlier block left: no position there.
		r.ended = r.ended || pc.checkEnd && r.n>>6 < end && has(dst, r.n)
	}
}

// nextSlash returns the first position from p on that holds a "/", or the end (n or past
// it).
func (r *posRun) nextSlash(p int) int {
	i := p >> 6
	if i >= r.nw {
		return p
	}
	x := r.slash[i] &^ (1<<(p&63) - 1)
	for x == 0 {
		if i++; i == r.nw {
			return r.n
		}
		x = r.slash[i]
	}
	return i<<6 + bits.TrailingZeros64(x)
}

// nextBreak returns the first position from p on that nb does not hold: a break, or n.
func (r *posRun) nextBreak(p int) int {
	i := p >> 6
	if i >= r.nw {
		return p
	}
	x := ^r.nb[i] &^ (1<<(p&63) - 1)
	for x == 0 {
		i++
		x = ^r.nb[i]
	}
	return i<<6 + bits.TrailingZeros64(x)
}

// mask returns the row of piece c's starts (maskOf).
func (r *posRun) mask(c *posPiece) []uint64 { return r.maskOf(c.mask) }

// maskOf returns mask number idx, made on first use: the positions from which steps (each
// of one unit or none) match, one after another.
func (r *posRun) maskOf(idx int) []uint64 {
	m := r.row(r.rowMasks + idx)[:r.nw]
	if r.buf.made[idx] {
		return m
	}
	r.buf.made[idx] = true
	def := &r.bp.maskDefs[idx]
	switch {
	case def.reach:
		backReach(m, r.maskOf(def.subs[0]), r.ns)
		return m
	case def.subs != nil:
		clear(m)
		for _, k := range def.subs {
			sub := r.maskOf(k)
			for i := range m {
				m[i] |= sub[i]
			}
		}
		return m
	}
	steps := def.steps
	for i := range m {
		m[i] = ^uint64(0)
	}
	off := 0
	for k := 0; k < len(steps); k++ {
		switch st := steps[k]; st.op {
		case pUnit, pOne:
			src := r.cls(st.arg)
			if st.op == pOne {
				src = r.one(st.arg)
			}
			// A run of equal steps ("?" repeated) in a number of passes logarithmic in
			// its length.
			j := k + 1
			for j < len(steps) && steps[j] == st {
				j++
			}
			if j-k == 1 {
				andFrom(m, src, off, false)
			} else {
				r.andRun(m, src, off, j-k)
			}
			off += j - k
			k = j - 1
		case pNoDot:
			andFrom(m, r.dot, off, true)
		case pNotSet:
			andFrom(m, r.one(st.arg), off, true)
		case pNotMask, pMask:
			andFrom(m, r.maskOf(int(st.arg)), off, st.op == pNotMask)
		case pAtEnd:
			// One position at most.
			e := r.n - off
			for i := range m {
				if i != e>>6 || e < 0 {
					m[i] = 0
				}
			}
			if e >= 0 {
				m[e>>6] &= 1 << (e & 63)
			}
		case pNoSlashFrom:
			// The positions from the last "/" on, less off.
			e := r.lastSlash() + 1 - off
			for i := 0; i < len(m) && i < e>>6; i++ {
				m[i] = 0
			}
			if e > 0 && e>>6 < len(m) {
				m[e>>6] &^= 1<<(e&63) - 1
			}
		case pNotTail:
			// One position at most: where the units to the end match the sets.
			tail := r.bp.tails[st.arg]
			q := r.n - len(tail)
			for k := 0; q >= 0 && k < len(tail); k++ {
				if !has(r.one(tail[k]), q+k) {
					q = -1
				}
			}
			if e := q - off; e >= 0 {
				m[e>>6] &^= 1 << (e & 63)
			}
		case pOneChar:
			andFrom(m, r.lt, off, true)
			if e := r.n - off; e >= 0 {
				m[e>>6] &^= 1 << (e & 63) // nor at the end
			}
		}
	}
	return m
}

// andRun keeps in m the positions p such that src holds p+off to p+off+count-1: from rows
// of runs of 1, 2, 4... units, each made from the one before, those count's bits select.
func (r *posRun) andRun(m, src []uint64, off, count int) {
	pw := r.row(rowRun)[:len(src)]
	copy(pw, src)
	for size := 1; ; size *= 2 {
		if count&size != 0 {
			andFrom(m, pw, off, false)
			off += size
			if count &^= size; count == 0 {
				return
			}
		}
		andFrom(pw, pw, size, false) // runs of 2*size units
	}
}

// lastSlash returns the position of the path's last "/", or -1.
func (r *posRun) lastSlash() int {
	for i := r.nw - 1; i >= 0; i-- {
		if x := r.slash[i]; x != 0 {
			return i<<6 + 63 - bits.LeadingZeros64(x)
		}
	}
	return -1
}

// backReach sets dst to the positions p from which the units up to a position q of src,
// q >= p, are none of them "/" (ns holds the positions of other units): a pass from the
// last word down, each word's runs of 1, 2, 4... units of ns made from the one before,
// and, when the word above holds its first position, the units of ns up to its top.
func backReach(dst, src, ns []uint64) {
	above := false
	for i := len(dst) - 1; i >= 0; i-- {
		r, d := src[i], ns[i]
		for s := 1; s < 64; s *= 2 {
			r |= d & (r >> s)
			d &= d >> s
		}
		if above {
			r |= ^(uint64(1)<<bits.Len64(^ns[i]) - 1) // above the last unit not of ns
		}
		dst[i] = r
		above = r&1 != 0
	}
}

// tailFrom reports whether cur holds a "/" after the last break of the path (of n units).
func tailFrom(cur, nb, slash []uint64, n int) bool {
	for i := len(cur) - 1; i >= 0; i-- {
		brk := ^nb[i]
		if i == len(cur)-1 {
			brk &= 1<<(n&63) - 1
		}
		x := cur[i] & slash[i]
		if brk != 0 {
			// Only the positions above the last break of the word.
			return x>>(bits.Len64(brk)-1)>>1 != 0
		}
		if x != 0 {
			return true
		}
	}
	return false
}

// wideUnit records unit u, beyond ASCII, at position n: in the row of its class if it is a
// literal unit, else in the rows of its sets.
func (bp *posProg) wideUnit(w []uint64, stride, rowSets, n int, u uint16) {
	if k, ok := slices.BinarySearch(bp.wideLits, u); ok {
		w[(rowFixed+int(bp.wideCls[k]))*stride+n>>6] |= 1 << (n & 63)
		return
	}
	for j := range bp.sets {
		if bp.sets[j].has(u) {
			w[(rowSets+j)*stride+n>>6] |= 1 << (n & 63)
		}
	}
}

// andFrom keeps in m the positions p such that src holds p+off (or, with neg, does not).
// off is below 64.
func andFrom(m, src []uint64, off int, neg bool) {
	var flip uint64
	if neg {
		flip = ^uint64(0)
	}
	for i := range m {
		x := src[i] >> off
		if off > 0 && i+1 < len(src) {
			x |= src[i+1] << (64 - off)
		}
		m[i] &= x ^ flip
	}
}

// segBlock moves cur, from word lo on, through a gap that ends at the start of a segment,
// then fixed pieces, width units wide, that match at the positions of m. Every position r
// of cur follows a "/" or is 0 (the blocks before such a gap end with "/", or are empty:
// newPosProg checks), so the gap may be empty; and unless r follows a break (a "/"
// followed by "."), it may take a run of units that are not breaks (seeds nba, within nb)
// and a "/" after them.
func segBlock(cur, src []uint64, gw []posGap, m []uint64, lo, width int) {
	n := len(cur)
	src, gw, m = src[:n], gw[:n], m[:n]
	// y<<width, and the bits it pushes into the next word, from one rotation.
	low := uint64(1)<<width - 1
	var carry, c2, prev uint64
	for i := lo; i < n; i++ {
		x, w := src[i], &gw[i]
		xr := x & w.nba
		s, c := bits.Add64(w.nb, xr, carry)
		carry = c
		g := (x | s ^ w.nb ^ xr) & w.slash
		y := bits.RotateLeft64((x|g<<1|c2)&m[i], width)
		c2 = g >> 63
		cur[i] = y&^low | prev&low
		prev = y
	}
}

// fillWord adds to a word x of positions, for each position p in it that run holds, the
// positions after p up to and including the first that run does not hold (the carries of
// run + p), with the carry in from the word before and the carry out to the next.
func fillWord(x, run, carry uint64) (uint64, uint64) {
	xr := x & run
	s, c := bits.Add64(run, xr, carry)
	return x | s ^ run ^ xr, c
}

// piece moves cur, from word lo on, through the run after each position (fillWord) when
// filled is set (a star, run ns or a set's units; a globstar gap, run nb), then a chunk of fixed pieces,
// width units wide, that matches at the positions of m.
func piece(cur, src, run, m []uint64, lo, width int, filled bool) {
	n := len(cur)
	src, run, m = src[:n], run[:n], m[:n]
	var carry, prev uint64
	if width == 1 {
		// The usual "*a": a shift by a constant.
		for i := lo; i < n; i++ {
			x := src[i]
			if filled {
				x, carry = fillWord(x, run[i], carry)
			}
			y := x & m[i]
			cur[i] = y<<1 | prev>>63
			prev = y
		}
		return
	}
	high := ^(uint64(1)<<width - 1)
	for i := lo; i < n; i++ {
		x := src[i]
		if filled {
			x, carry = fillWord(x, run[i], carry)
		}
		y := bits.RotateLeft64(x&m[i], width)
		cur[i] = prev ^ (y^prev)&high
		prev = y
	}
}

// optPass moves cur, from word lo on, through fixed pieces, width units wide (below 64),
// that match at the positions of m, then a star over run (ns, or a set's units), then
// fixed pieces, width2 units wide, that match at the positions of m2, and adds the
// positions of src when keep is set.
func optPass(cur, src, run, m, m2 []uint64, lo, width, width2 int, keep bool) {
	n := len(cur)
	src, run, m, m2 = src[:n], run[:n], m[:n], m2[:n]
	high, high2 := ^(uint64(1)<<width - 1), ^(uint64(1)<<width2 - 1)
	var kept uint64
	if keep {
		kept = ^uint64(0)
	}
	var carry, prev, prev2 uint64
	for i := lo; i < n; i++ {
		x := src[i]
		y := bits.RotateLeft64(x&m[i], width)
		z := prev ^ (y^prev)&high
		prev = y
		z, carry = fillWord(z, run[i], carry)
		y2 := bits.RotateLeft64(z&m2[i], width2)
		cur[i] = prev2 ^ (y2^prev2)&high2 | x&kept
		prev2 = y2
	}
}

// optTextPass moves cur, from word lo on, to the positions of src and those after each
// text, widths[k] units wide, that starts at the positions of masks[k].
func optTextPass(cur, src []uint64, masks [][]uint64, widths []int, lo int) {
	var prevs [maxOptTexts]uint64
	for i := lo; i < len(cur); i++ {
		x := src[i]
		out := x
		for k, m := range masks {
			w := widths[k]
			y := bits.RotateLeft64(x&m[i], w)
			low := uint64(1)<<w - 1
			out |= y&^low | prevs[k]&low
			prevs[k] = y
		}
		cur[i] = out
	}
}

// textPasses is what a run of repetitions of a text adds to posProg.passes: textPass
// takes a few more operations a word than piece.
const textPasses = 2

// textPass moves cur, from word lo on, through a run of repetitions of a text, tw units
// wide (below 64), that starts at the positions of text, then a chunk of fixed pieces,
// width units wide, that matches at the positions of m.
func textPass(cur, src, text, m []uint64, lo, tw, width int, plus bool) {
	n := len(cur)
	src, text, m = src[lo:n], text[lo:n], m[lo:n]
	cur = cur[lo:n]
	if plus {
		// The first repetition, in a pass of its own, into cur.
		var sp uint64
		for i, x := range src[:len(cur)] {
			cur[i], sp = firstRep(x, text[i], tw, sp)
		}
		src = cur
	}
	switch tw {
	case 2:
		// One function a width, so that the carries stay in registers.
		textAdd2(cur, src, text, m, width)
		return
	case 3:
		textAdd3(cur, src, text, m, width)
		return
	case 4:
		textAdd4(cur, src, text, m, width)
		return
	}
	high := ^(uint64(1)<<width - 1)
	var carry, prev uint64
	for i := range cur {
		x := textFill(src[i]|carry, text[i], tw)
		// The repetitions that end in the next word (one at most between two positions of
		// this word and the next, as tw < 64).
		carry = (x & text[i]) >> (64 - tw)
		y := bits.RotateLeft64(x&m[i], width)
		cur[i] = prev ^ (y^prev)&high
		prev = y
	}
}

// autoPass moves cur, from word lo on, through the automaton of piece pc (posPiece.auto),
// whose texts start at the positions of masks, one a text, then the piece's fixed pieces,
// pc.width units wide, that match at the positions of m.
//
// It keeps, in each word, the positions after each text, and moves those it has not moved
// yet by each text that may follow, until the word has no new one, as mixedPass does; a
// text of one unit that may follow itself takes the run of its repetitions (unitRun). The
// positions of src take the texts that may come first; those after a text that may come
// last, and those of src when the automaton may match nothing, go on to the fixed pieces.
func autoPass(cur, src []uint64, masks [][]uint64, pc *posPiece, m []uint64, lo int) {
	n, k := len(cur), len(masks)
	src, m = src[:n], m[:n]
	var ws, vs [maxAutoTexts]uint // the widths, and 64 less the widths
	var loops uint32              // the texts of one unit that may follow themselves
	for j := range k {
		masks[j] = masks[j][:n]
		ws[j], vs[j] = uint(pc.textWidths[j])&63, uint(64-pc.textWidths[j])&63
		if pc.textWidths[j] == 1 && pc.autoFollow[j]>>j&1 != 0 {
			loops |= 1 << j
		}
	}
	if k <= 4 {
		auto4(cur, src, masks, pc, m, lo, loops)
		return
	}
	width := pc.width
	high := ^(uint64(1)<<width - 1)
	var carry, next, x, f [maxAutoTexts]uint64 // per text: into this word, into the next, after it, new
	var a [maxAutoTexts]uint64                 // the masks' words
	var prev uint64
	const tm = maxAutoTexts - 1 // text numbers are below maxAutoTexts, a power of 2
	for i := lo; i < n; i++ {
		s := src[i]
		for j := range k {
			a[j] = masks[j][i]
			x[j], f[j], next[j] = carry[j], carry[j], 0
		}
		// The first texts, from the positions of src.
		for b := pc.autoFirst; b != 0; b &= b - 1 {
			j := bits.TrailingZeros32(b) & tm
			t := s & a[j]
			y := t << ws[j]
			next[j] |= t >> vs[j]
			f[j] |= y &^ x[j]
			x[j] |= y
		}
		for {
			var y [maxAutoTexts]uint64
			moved := false
			for j := range k {
				fj := f[j]
				if fj == 0 {
					continue
				}
				moved = true
				for b := pc.autoFollow[j]; b != 0; b &= b - 1 {
					g := bits.TrailingZeros32(b) & tm
					if g == j && loops>>j&1 != 0 {
						r, c := unitRun(fj, a[j])
						y[j] |= r
						next[j] |= c
						continue
					}
					t := fj & a[g]
					y[g] |= t << ws[g]
					next[g] |= t >> vs[g]
				}
			}
			if !moved {
				break
			}
			for j := range k {
				f[j] = y[j] &^ x[j]
				x[j] |= y[j]
			}
		}
		var out uint64
		if pc.keep {
			out = s
		}
		for b := pc.autoLast; b != 0; b &= b - 1 {
			out |= x[bits.TrailingZeros32(b)&tm]
		}
		carry = next
		yv := bits.RotateLeft64(out&m[i], width)
		cur[i] = prev ^ (yv^prev)&high
		prev = yv
	}
}

// auto4 is autoPass for up to four texts, whose sets of positions stay in registers: each
// step moves the positions after every text at once. loops has the texts of one unit
// that may follow themselves.
func auto4(cur, src []uint64, masks [][]uint64, pc *posPiece, m []uint64, lo int, loops uint32) {
	var ms [4][]uint64
	var w, v [4]uint     // the widths, and 64 less the widths
	var pm [4][4]uint64  // pm[g][j]: all ones when text g may follow text j (by a step)
	var lm, fm [4]uint64 // all ones for a text in loops, and for one that may come first
	for g := range ms {
		// The texts past len(masks) take the first's mask, but no step leads to them.
		ms[g], w[g], v[g] = masks[0], 1, 63
		if g < len(masks) {
			ms[g], w[g], v[g] = masks[g], uint(pc.textWidths[g])&63, uint(64-pc.textWidths[g])&63
			lm[g] = -uint64(loops >> g & 1)
			fm[g] = -uint64(pc.autoFirst >> g & 1)
			for j := range masks {
				if pc.autoFollow[j]>>g&1 != 0 && (g != j || lm[g] == 0) {
					pm[g][j] = ^uint64(0)
				}
			}
		}
	}
	var last [4]uint64
	for g := range last {
		last[g] = -uint64(pc.autoLast >> g & 1)
	}
	keep := -uint64(b2i(pc.keep))
	n := len(cur)
	m0, m1, m2, m3 := ms[0][:n], ms[1][:n], ms[2][:n], ms[3][:n]
	width := pc.width
	high := ^(uint64(1)<<width - 1)
	var c0, c1, c2, c3, prev uint64 // the carries into this word
	for i := lo; i < n; i++ {
		s := src[i]
		a0, a1, a2, a3 := m0[i], m1[i], m2[i], m3[i]
		var n0, n1, n2, n3 uint64 // the carries into the next word
		// The first texts, from the positions of src.
		t0, t1, t2, t3 := s&a0&fm[0], s&a1&fm[1], s&a2&fm[2], s&a3&fm[3]
		n0, n1, n2, n3 = t0>>v[0], t1>>v[1], t2>>v[2], t3>>v[3]
		x0, x1, x2, x3 := c0|t0<<w[0], c1|t1<<w[1], c2|t2<<w[2], c3|t3<<w[3]
		f0, f1, f2, f3 := x0, x1, x2, x3
		// The starts of the texts the steps take, whose carries follow the loop.
		var u0, u1, u2, u3 uint64
		for st := 0; st < 2 || f0|f1|f2|f3 != 0; st++ {
			s0 := (f0&pm[0][0] | f1&pm[0][1] | f2&pm[0][2] | f3&pm[0][3]) & a0
			s1 := (f0&pm[1][0] | f1&pm[1][1] | f2&pm[1][2] | f3&pm[1][3]) & a1
			s2 := (f0&pm[2][0] | f1&pm[2][1] | f2&pm[2][2] | f3&pm[2][3]) & a2
			s3 := (f0&pm[3][0] | f1&pm[3][1] | f2&pm[3][2] | f3&pm[3][3]) & a3
			r0, d0 := unitRun(f0&lm[0], a0)
			r1, d1 := unitRun(f1&lm[1], a1)
			r2, d2 := unitRun(f2&lm[2], a2)
			r3, d3 := unitRun(f3&lm[3], a3)
			u0, u1, u2, u3 = u0|s0, u1|s1, u2|s2, u3|s3
			n0, n1, n2, n3 = n0|d0, n1|d1, n2|d2, n3|d3
			y0, y1, y2, y3 := s0<<w[0]|r0, s1<<w[1]|r1, s2<<w[2]|r2, s3<<w[3]|r3
			f0, f1, f2, f3 = y0&^x0, y1&^x1, y2&^x2, y3&^x3
			x0, x1, x2, x3 = x0|y0, x1|y1, x2|y2, x3|y3
		}
		c0, c1, c2, c3 = n0|u0>>v[0], n1|u1>>v[1], n2|u2>>v[2], n3|u3>>v[3]
		out := s&keep | x0&last[0] | x1&last[1] | x2&last[2] | x3&last[3]
		y := bits.RotateLeft64(out&m[i], width)
		cur[i] = prev ^ (y^prev)&high
		prev = y
	}
}

// mixedPasses is what each text of a run of repetitions of texts of different widths
// adds to posProg.passes: a few steps a word for each repetition that starts in it.
const mixedPasses = 4

// mixedPass moves cur, from word lo on, through a run of repetitions of texts of
// different widths, then a chunk of fixed pieces, width units wide, that matches at the
// positions of m. The texts of one unit start at the positions of units (nil when there
// are none), the others, wider (below 64), at those of masks, one mask a text. The run
// takes one repetition at least when plus is set.
//
// In each word, it moves the positions it has not moved yet by a repetition of each text,
// until the word has no new one, with a carry into the next word for the repetitions
// that end there: a step a word for each repetition a position's run takes in the word,
// at most. A text of one unit takes, instead of one repetition, the run of its
// repetitions, by an addition (unitRun).
func mixedPass(cur, src, units []uint64, masks [][]uint64, widths []int, m []uint64, lo, width int, plus bool) {
	n := len(cur)
	src, m = src[:n], m[:n]
	if units != nil {
		units = units[:n]
	}
	switch len(masks) {
	case 1, 2:
		// One or two wide texts as two, the first twice.
		a, w := masks[0], widths[0]
		if len(masks) == 2 {
			a, w = masks[1], widths[1]
		}
		mixed2(cur, src, units, masks[0][:n], a[:n], uint(widths[0]), uint(w), m, lo, width, plus)
		return
	case 3, 4:
		m3, w3 := masks[0], widths[0]
		if len(masks) == 4 {
			m3, w3 = masks[3], widths[3]
		}
		mixed4(cur, src, units, [4][]uint64{masks[0][:n], masks[1][:n], masks[2][:n], m3[:n]},
			[4]uint{uint(widths[0]), uint(widths[1]), uint(widths[2]), uint(w3)}, m, lo, width, plus)
		return
	}
	var ms [maxMixedTexts][]uint64
	var ws, vs [maxMixedTexts]uint // the widths, and 64 less the widths
	k := len(masks)
	for j := range k {
		ms[j], ws[j], vs[j] = masks[j][:n], uint(widths[j])&63, uint(64-widths[j])&63
	}
	high := ^(uint64(1)<<width - 1)
	var carry, first, prev uint64 // carry: of the run; first: of the first repetition
	var a [maxMixedTexts]uint64   // the masks' words
	for i := lo; i < n; i++ {
		x, u := src[i], wordOf(units, i)
		for j := range k {
			a[j] = ms[j][i]
		}
		if plus {
			t := x & u
			y, c := first|t<<1, t>>63
			for j := range k {
				t := x & a[j]
				y |= t << ws[j]
				c |= t >> vs[j]
			}
			x, first = y, c
		}
		x |= carry
		carry = 0
		for f, s := x, 0; s < 2 || f != 0; s++ { // two steps at least, as in mixed2
			y, c := unitRun(f, u)
			carry |= c
			for j := range k {
				t := f & a[j]
				y |= t << ws[j]
				carry |= t >> vs[j]
			}
			f = y &^ x
			x |= y
		}
		y := bits.RotateLeft64(x&m[i], width)
		cur[i] = prev ^ (y^prev)&high
		prev = y
	}
}

// wordOf returns word i of row, or 0 for a nil row.
func wordOf(row []uint64, i int) uint64 {
	if row == nil {
		return 0
	}
	return row[i]
}

// unitRun returns the positions of a word the runs of repetitions of texts of one unit,
// which start at the positions of u, take those of f to, and the carry into the next
// word: for each position of f that u holds, the positions after it up to and including
// the first that u does not hold.
func unitRun(f, u uint64) (uint64, uint64) {
	fu := f & u
	s, c := bits.Add64(u, fu, 0)
	return s ^ u ^ fu, c
}

// mixed2 is mixedPass for two wide texts, w0 and w1 units wide, that start at the
// positions of m0 and m1 (the rows from word 0 on, cut to cur's length).
func mixed2(cur, src, units, m0, m1 []uint64, w0, w1 uint, m []uint64, lo, width int, plus bool) {
	w0, w1 = w0&63, w1&63
	v0, v1 := (64-w0)&63, (64-w1)&63
	high := ^(uint64(1)<<width - 1)
	var carry, first, prev uint64
	for i := lo; i < len(cur); i++ {
		x, u, a, b := src[i], wordOf(units, i), m0[i], m1[i]
		if plus {
			t, t0, t1 := x&u, x&a, x&b
			x = first | t<<1 | t0<<w0 | t1<<w1
			first = t>>63 | t0>>v0 | t1>>v1
		}
		x |= carry
		carry = 0
		// Two steps, then more while they bring new positions: a test after each step
		// would be a branch the processor guesses wrong about once a word.
		var s0, s1 uint64 // the starts the steps take, whose carries follow the loop
		for f, s := x, 0; s < 2 || f != 0; s++ {
			y, c := unitRun(f, u)
			t0, t1 := f&a, f&b
			carry |= c
			s0, s1 = s0|t0, s1|t1
			y |= t0<<w0 | t1<<w1
			f = y &^ x
			x |= y
		}
		carry |= s0>>v0 | s1>>v1
		y := bits.RotateLeft64(x&m[i], width)
		cur[i] = prev ^ (y^prev)&high
		prev = y
	}
}

// mixed4 is mixed2 for four wide texts.
func mixed4(cur, src, units []uint64, ms [4][]uint64, w [4]uint, m []uint64, lo, width int, plus bool) {
	var v [4]uint
	for j := range w {
		w[j], v[j] = w[j]&63, (64-w[j])&63
	}
	m0, m1, m2, m3 := ms[0], ms[1], ms[2], ms[3]
	high := ^(uint64(1)<<width - 1)
	var carry, first, prev uint64
	for i := lo; i < len(cur); i++ {
		x, u, a, b, c, d := src[i], wordOf(units, i), m0[i], m1[i], m2[i], m3[i]
		if plus {
			t, t0, t1, t2, t3 := x&u, x&a, x&b, x&c, x&d
			x = first | t<<1 | t0<<w[0] | t1<<w[1] | t2<<w[2] | t3<<w[3]
			first = t>>63 | t0>>v[0] | t1>>v[1] | t2>>v[2] | t3>>v[3]
		}
		x |= carry
		carry = 0
		var s0, s1, s2, s3 uint64 // as in mixed2
		for f, s := x, 0; s < 2 || f != 0; s++ {
			y, cu := unitRun(f, u)
			t0, t1, t2, t3 := f&a, f&b, f&c, f&d
			carry |= cu
			s0, s1, s2, s3 = s0|t0, s1|t1, s2|t2, s3|t3
			y |= t0<<w[0] | t1<<w[1] | t2<<w[2] | t3<<w[3]
			f = y &^ x
			x |= y
		}
		carry |= s0>>v[0] | s1>>v[1] | s2>>v[2] | s3>>v[3]
		y := bits.RotateLeft64(x&m[i], width)
		cur[i] = prev ^ (y^prev)&high
		prev = y
	}
}

// Positions of a word modulo 2, 3 and 4 (r3k: those that are k modulo 3 in a word whose
// first position is 0 modulo 3).
//
// For texts of 2 to 4 units, textPass takes an addition for each unit of the text, where
// textFill takes a step for each doubling of the text up to a word, one after another:
// the positions p, p+tw, p+2tw... are a run of their own, apart from the units between
// them, and an addition whose carries pass the units between and the starts of the text
// moves each position of src to the positions its repetitions reach, a residue modulo tw
// at a time (resFill), with a carry from word to word for each (textAdd2, textAdd3,
// textAdd4).
const (
	r2a, r2b      = 0x5555555555555555, 0xAAAAAAAAAAAAAAAA
	r3a, r3b, r3c = 0x9249249249249249, 0x2492492492492492, 0x4924924924924924
	r4a, r4b      = 0x1111111111111111, 0x2222222222222222
	r4c, r4d      = 0x4444444444444444, 0x8888888888888888
)

// textAdd2 is textPass for a text of 2 units, from word 0 of the rows on.
func textAdd2(cur, src, text, m []uint64, width int) {
	src, text, m = src[:len(cur)], text[:len(cur)], m[:len(cur)]
	high := ^(uint64(1)<<width - 1)
	var c0, c1, prev uint64
	for i, x := range src {
		t := text[i]
		var f0, f1 uint64
		f0, c0 = resFill(x, t, r2a, c0)
		f1, c1 = resFill(x, t, r2b, c1)
		y := bits.RotateLeft64((x|f0|f1)&m[i], width)
		cur[i] = prev ^ (y^prev)&high
		prev = y
	}
}

// textAdd3 is textPass for a text of 3 units, from word 0 of the rows on. A word's
// first position is one residue further than the last word's: the masks' residues are
// relative to it, and the carries move with them.
func textAdd3(cur, src, text, m []uint64, width int) {
	src, text, m = src[:len(cur)], text[:len(cur)], m[:len(cur)]
	high := ^(uint64(1)<<width - 1)
	var c0, c1, c2, prev uint64
	for i, x := range src {
		t := text[i]
		var f0, f1, f2, d0, d1, d2 uint64
		f0, d0 = resFill(x, t, r3a, c0)
		f1, d1 = resFill(x, t, r3b, c1)
		f2, d2 = resFill(x, t, r3c, c2)
		c0, c1, c2 = d1, d2, d0
		y := bits.RotateLeft64((x|f0|f1|f2)&m[i], width)
		cur[i] = prev ^ (y^prev)&high
		prev = y
	}
}

// textAdd4 is textPass for a text of 4 units, from word 0 of the rows on.
func textAdd4(cur, src, text, m []uint64, width int) {
	src, text, m = src[:len(cur)], text[:len(cur)], m[:len(cur)]
	high := ^(uint64(1)<<width - 1)
	var c0, c1, c2, c3, prev uint64
	for i, x := range src {
		t := text[i]
		var f0, f1, f2, f3 uint64
		f0, c0 = resFill(x, t, r4a, c0)
		f1, c1 = resFill(x, t, r4b, c1)
		f2, c2 = resFill(x, t, r4c, c2)
		f3, c3 = resFill(x, t, r4d, c3)
		y := bits.RotateLeft64((x|f0|f1|f2|f3)&m[i], width)
		cur[i] = prev ^ (y^prev)&high
		prev = y
	}
}

// firstRep returns the positions one repetition of a text, tw units wide, takes a word
// x of positions to, where the text starts at the positions of t, and sp, the rotated
// positions of x&t that the next word takes (from sp, those of the word before).
func firstRep(x, t uint64, tw int, sp uint64) (uint64, uint64) {
	y := bits.RotateLeft64(x&t, tw)
	low := uint64(1)<<tw - 1
	return y&^low | sp&low, y
}

// resFill returns the positions of residue r (a mask of every tw-th position) that the
// repetitions of a text tw units wide reach from those of x, where the text starts at the
// positions of t, and the carry to the next word; c is the carry from the word before.
func resFill(x, t, r, c uint64) (uint64, uint64) {
	a, b := t|^r, x&t&r
	s, co := bits.Add64(a, b, c)
	return (s ^ a ^ b) & r, co
}

// textFill adds to a word x of positions those a run of repetitions of a text, tw units
// wide, reaches from them inside the word, where the text starts at the positions of t:
// the runs of 1, 2, 4... repetitions, each made from the one before, and added in turn.
func textFill(x, t uint64, tw int) uint64 {
	for s := tw; s < 64; s *= 2 {
		x |= (x & t) << s
		t &= t >> s // 2s units: the text at p and at p+s
	}
	return x
}

// classLitPass moves cur, from word lo on, through a star over run (ns, or a set's units)
// if star is set, then a unit of the set whose row is set or the class's text, tw units,
// that starts at the positions of text.
func classLitPass(cur, src, run, set, text []uint64, lo, tw int, star bool) {
	n := len(cur)
	src, run, set, text = src[:n], run[:n], set[:n], text[:n]
	low := uint64(1)<<tw - 1
	var carry, prev1, prev2 uint64
	for i := lo; i < n; i++ {
		x := src[i]
		if star {
			x, carry = fillWord(x, run[i], carry)
		}
		y1 := x & set[i]
		y2 := bits.RotateLeft64(x&text[i], tw)
		cur[i] = y1<<1 | prev1>>63 | y2&^low | prev2&low
		prev1, prev2 = y1, y2
	}
}

// has reports whether set s holds position i.
func has(s []uint64, i int) bool { return s[i>>6]>>(i&63)&1 != 0 }

// posMode selects the matchers zonesMatch runs (a variable, so that tests can run one
// alone).
var posMode = posAuto

const (
	posAuto  = iota // blocksMatchZones, then posProg.run once its share of work runs out
	posOnly         // posProg.run where it exists
	posNever        // blocksMatchZones only
)

// zonesMatch matches s against path, whose breaks z holds (buf is the buffer findBreaks
// returned with it) and which may be split (splitPath); posProg.run takes orig, the path
// as it is. decided is false when the work ran out with no answer.
func (s *fastSeq) zonesMatch(path, orig string, z *zones, buf *zoneBuf, work *int) (found, decided bool) {
	zonesRun := func(work *int) bool {
		return s.blocksMatchZones(path, len(path), z, buf, work) ||
			s.opt && len(path) > 0 && path[len(path)-1] == '/' && s.blocksMatchZones(path, len(path)-1, z, buf, work)
	}
	cost := -1
	if s.pos != nil && posMode != posNever {
		cost = s.pos.cost(len(path))
	}
	if cost < 0 {
		found = zonesRun(work)
		return found, found || *work >= 0
	}
	share := 0
	if posMode == posAuto {
		per := posPerWork
		if s.scansZones(z) {
			per = posPerWorkScans
		}
		share = max(0, min(*work, cost/per))
	}
	w := share
	if share > 0 {
		if zonesRun(&w) {
			return true, true
		}
		if w >= 0 {
			*work -= share - w
			return false, true
		}
	}
	*work -= share
	return s.pos.run(orig), true
}

// scansZones reports whether blocksMatchZones must try every start of a zone for some block
// on a path with breaks z. A block that can consume a break and go on in a later zone
// (crossSlash, or crossLT on a path with line terminators) may end in several zones from
// one zone's starts, and blocksMatchZones then tries them all: for many such blocks, that
// takes time quadratic in a zone's length (a star that could cross the line terminator at
// the end of a path of 4000 bytes in one zone, in 150 blocks, took 7 ms, the DFA's time
// after the work ran out), or scans the zones of a band again and again. posProg.run takes
// no more on such a path than on any other, so blocksMatchZones gets a smaller share.
func (s *fastSeq) scansZones(z *zones) bool {
	for i := range s.blocks {
		if b := &s.blocks[i]; b.crossSlash || z.lt && b.crossLT {
			return true
		}
	}
	return false
}

// posPerWork is the word operations of posProg.run for which blocksMatchZones may spend a
// unit of work first: a unit takes 4 to 17 ns, a word operation about 1 to 3, so that
// blocksMatchZones takes a third of posProg.run's time or less before it. Where it
// scans zones (scansZones), it may spend a quarter of that.
const posPerWork = 16

const posPerWorkScans = 64
