package glob

import "slices"

// Braces inside the blocks of a long sequence multiply: "/**/{a,b}?" five times over is 32
// sequences, more than the fast matchers try one by one (maxFastAlts). The product of the
// choices is no concern for posProg, though: its blocks may have alternatives, and a
// block's alternatives depend only on the braces inside that block. buildChoices reads
// such a pattern without expanding it: it keeps each alternation whose alternatives stay
// inside a block as one choice, expands the choices of each block on their own (up to
// maxFastAlts combinations a block), and builds a program whose block at each index holds
// every combination of that block's choices.

// fItem is one token of a sequence, or, when alts is not nil, a choice among token
// sequences that hold no gap, anchor or optional slash (choiceToken).
type fItem struct {
	tok  ftok
	alts [][]ftok
}

// choiceToken reports whether a token of kind k may sit inside a choice: it stays inside
// its block and is read the same wherever it is.
func choiceToken(k ftokKind) bool {
	switch k {
	case fLit, fOne, fClassLit, fStar, fNoDot, fOneChar, fSetStar, fNotNext, fNotTail, fOptStar, fNotText, fOptText:
		return true
	}
	return false
}

// startsBlock reports whether a token of kind k is a gap that starts a block (buildSeq
// splits blocks there; fMid becomes "/" and fSegStart).
func startsBlock(k ftokKind) bool { return k == fGS || k == fSegStart || k == fMid }

// posToken reports whether a token of kind k is one only posProg runs (fastSeq.posOnly).
func posToken(k ftokKind) bool {
	return k == fSetStar || k == fNotNext || k == fNotTail || k == fOptStar || k == fNotText || k == fOptText
}

// unitToken reports whether token t consumes or requires a unit.
func unitToken(t *ftok) bool {
	switch t.kind {
	case fLit, fOne, fClassLit, fOneChar:
		return true
	case fOptStar:
		return !t.more().keep && textWidth(t.more().body)+textWidth(t.more().after) > 0
	case fSetStar:
		return !t.more().keep && t.more().body != nil
	}
	return false
}

// factorFast appends the items of n to out: an alternation whose alternatives hold
// only choiceTokens is one choice, and anything else flattens as in flattenFast, to one
// sequence.
func factorFast(n *node, lits bool, out []fItem) ([]fItem, bool) {
	switch n.op {
	case opCapture:
		return factorFast(n.subs[0], lits, out)
	case opConcat:
		for _, s := range n.subs {
			var ok bool
			if out, ok = factorFast(s, lits, out); !ok {
				return nil, false
			}
		}
		return out, true
	case opRepeat:
		if _, _, ok := optStarBody(n); ok {
			break // one token (flattenFast)
		}
		if _, _, ok := optTexts(n); ok {
			break // one token (flattenFast)
		}
		if alt := optionalAlt(n); alt != nil {
			return factorFast(alt, lits, out)
		}
	case opAlt:
		if _, ok := classLit(n); ok && lits {
			break
		}
		if set, ok := unitsOf(n); ok && !set.has('/') {
			break // one unit of a set (flattenFast)
		}
		switch shape(n) {
		case dumpTail, dumpLead, dumpMidEnd, dumpMidNoEnd:
		default:
			var alts [][]ftok
			for _, s := range n.subs {
				r, ok := flattenFast(s, [][]ftok{nil}, flatOpts{lits: lits, pos: true})
				if !ok || len(alts)+len(r) > maxFastAlts {
					return nil, false
				}
				alts = append(alts, r...)
			}
			if len(alts) == 0 {
				return nil, false
			}
			// Tokens every alternative starts or ends with, a gap say ("{/**/a,/**/b}"),
			// stand outside the choice.
			pre, suf := commonEnds(alts)
			alts0 := alts[0]
			for _, t := range alts[0][:pre] {
				out = append(out, fItem{tok: t})
			}
			for i, a := range alts {
				a = a[pre : len(a)-suf]
				if containsKind(a, func(k ftokKind) bool { return !choiceToken(k) }) {
					return nil, false
				}
				alts[i] = a
			}
			out = append(out, fItem{alts: alts})
			for _, t := range alts0[len(alts0)-suf:] {
				out = append(out, fItem{tok: t})
			}
			return out, true
		}
	}
	seqs, ok := flattenFast(n, [][]ftok{nil}, flatOpts{lits: lits, pos: true})
	if !ok || len(seqs) != 1 {
		return nil, false
	}
	for _, t := range seqs[0] {
		out = append(out, fItem{tok: t})
	}
	return out, true
}

// buildChoices returns a matcher for tree that runs one posProg on every path, for a tree
// that is a sequence of blocks with choices inside them (see above), or nil.
func buildChoices(tree *node, lits bool) *fastMatcher {
	items, ok := factorFast(tree, lits, nil)
	if !ok || !slices.ContainsFunc(items, func(it fItem) bool {
		return it.alts == nil && (startsBlock(it.tok.kind) || it.tok.kind == fTail || posToken(it.tok.kind))
	}) {
		// Without a globstar, one block: only where the other matchers cannot run it.
		return nil
	}
	// The combinations of the choices of each block, which starts after a gap. A choice
	// after a "$" could decide whether the tokens after it can match at the end, which
	// buildSeq settles for a sequence as a whole.
	combos := []int{1}
	ended := false
	for _, it := range items {
		switch {
		case it.alts != nil:
			if ended {
				return nil
			}
			if combos[len(combos)-1] *= len(it.alts); combos[len(combos)-1] > maxFastAlts {
				return nil
			}
		case startsBlock(it.tok.kind):
			combos = append(combos, 1)
		case it.tok.kind == fEnd:
			ended = true
		}
	}
	most := 0
	for _, c := range combos {
		most = max(most, c)
	}
	// Samples: sample k takes combination k modulo their number in each block, so that
	// every combination of every block is in one. The last sample takes, for each choice,
	// an alternative that consumes no unit if there is one: a middle globstar's "or the
	// end" is dead (buildSeq) in every sequence if it is in that one.
	samples := make([]*fastSeq, 0, most+1)
	for k := 0; k <= most; k++ {
		var toks []ftok
		bi, c := 0, k%combos[0]
		for _, it := range items {
			switch {
			case it.alts == nil:
				toks = append(toks, it.tok)
				if startsBlock(it.tok.kind) {
					bi++
					c = k % combos[bi]
				}
			case k < most:
				toks = append(toks, it.alts[c%len(it.alts)]...)
				c /= len(it.alts)
			default:
				pick := it.alts[0]
				for _, a := range it.alts {
					if !slices.ContainsFunc(a, func(t ftok) bool { return unitToken(&t) }) {
						pick = a
						break
					}
				}
				toks = append(toks, pick...)
			}
		}
		s, ok := buildSeq(toks, unitsString)
		if ok && s != nil && s.kind == seqGreedy && s.blocks == nil && len(combos) == 1 {
			// One block: a sequence of it.
			s.kind, s.blocks, s.single = seqBlocks, []block{s.single}, block{}
			s.findSame()
		}
		if !ok || s == nil || s.kind != seqBlocks || len(s.blocks) != len(combos) {
			return nil
		}
		samples = append(samples, s)
	}
	// A middle globstar may match the end where every token after it may match nothing
	// there, which the last sample finds if any combination does. Which blocks are equal
	// may change with it.
	for _, s := range samples[:most] {
		for i := range s.blocks {
			s.blocks[i].liveEnd = samples[most].blocks[i].liveEnd
		}
		s.findSame()
	}
	bp := newPosProgOf(samples, false)
	if bp == nil {
		return nil
	}
	if len(combos) == 1 && slices.ContainsFunc(bp.kinds, func(k posKind) bool {
		return slices.ContainsFunc(k.pieces, func(pc posPiece) bool { return pc.mixed || pc.auto })
	}) {
		// One block with a run of repetitions of texts of different widths, or an
		// automaton of texts: the DFA and the bit-parallel program, whose states the
		// block's repetitions share, take 40 to 90 µs on a pattern of 1 KiB and a path of
		// 4 KiB where mixedPass, a few steps a word for each run, takes 80 to 200.
		return nil
	}
	return &fastMatcher{perByte: fastPerByte, merged: bp, choices: true}
}

// commonEnds returns the number of tokens every sequence of alts starts with, and of those
// every one ends with after those.
func commonEnds(alts [][]ftok) (pre, suf int) {
	short := slices.MinFunc(alts, func(a, b []ftok) int { return len(a) - len(b) })
	for pre < len(short) && all(alts, func(a []ftok) bool { return sameTok(&a[pre], &short[pre]) }) {
		pre++
	}
	for suf < len(short)-pre && all(alts, func(a []ftok) bool {
		return sameTok(&a[len(a)-1-suf], &short[len(short)-1-suf])
	}) {
		suf++
	}
	return pre, suf
}

// all reports whether f holds for every element of s.
func all[T any](s []T, f func(T) bool) bool {
	return !slices.ContainsFunc(s, func(x T) bool { return !f(x) })
}

// sameTok reports whether tokens t and u match the same.
func sameTok(t, u *ftok) bool {
	x, y := t.more(), u.more()
	return t.kind == u.kind && slices.Equal(t.units, u.units) && sameCharSet(&t.set, &u.set) && sameSets(t.tail, u.tail) &&
		x.keep == y.keep && x.star == y.star && x.end == y.end &&
		sameToks(x.body, y.body) && sameToks(x.after, y.after) && slices.EqualFunc(x.alts, y.alts, sameToks) &&
		x.first == y.first && x.last == y.last && slices.Equal(x.follow, y.follow)
}

// sameToks reports whether token sequences a and b match the same, token by token.
func sameToks(a, b []ftok) bool {
	return slices.EqualFunc(a, b, func(x, y ftok) bool { return sameTok(&x, &y) })
}

// containsKind reports whether some token of toks has a kind f holds for.
func containsKind(toks []ftok, f func(ftokKind) bool) bool {
	for _, t := range toks {
		if f(t.kind) {
			return true
		}
	}
	return false
}

// sameSets reports whether a and b hold the same sets in the same order.
func sameSets(a, b []charSet) bool {
	return slices.EqualFunc(a, b, func(x, y charSet) bool { return sameCharSet(&x, &y) })
}
