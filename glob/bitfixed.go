package glob

import "math/bits"

// This file runs fixed chains: chains (bitchain.go) whose items each match a few strings of
// fixed length, as "[ab]" does ("a", "b" or the four units of "[ab]"), "{a,bc}" or
// "@(a[ab]|b)". A fixed chain keeps one row of bits, the items threads have just finished,
// and the start rows of the last few steps: a thread that started item i at step s has
// finished it at step s+n-1 if the n units from s spell one of the item's strings of length
// n, so that the strings of one unit are a shift and a mask, as for a delay line of sets,
// and a longer string is a start row of n-1 steps ago, masked by the items whose string the
// last n units spell. The strings longer than one unit are grouped in tracks (by length, and
// rank among an item's strings of that length), and whether a track's strings may have been
// spelled at a step is known from the classes alone, before the rows are touched: for
// "[ab]" that takes the units "[", "a", "b", "]". Where it is spelled for all the track's
// items (the usual case: the items are alike), the start row is taken in by the same loop
// as the shift; elsewhere the step is made apart. A step thus costs a few operations per
// word of the row, whatever the path (and a block in which no string ends keeps only the
// start rows of its last steps, which the next block may look back to).

const (
	// maxFixedStrings bounds the strings of an item of a fixed chain, and maxFixedLen their
	// length; the chain's strings longer than one unit make at most maxFixedTracks tracks.
	maxFixedStrings = 16
	maxFixedLen     = 16
	maxFixedTracks  = 16
)

// fixedItemOf returns the strings x matches, as the sets of their units, and false when it
// matches the empty string, has a zero-width test or a repetition, or matches more or
// longer strings than a fixed chain's item may. The strings of one unit are merged into one
// (the first, when there is one).
func fixedItemOf(x *bnode) ([][]unitSet, bool) {
	var walk func(x *bnode) ([][]unitSet, bool)
	walk = func(x *bnode) ([][]unitSet, bool) {
		switch x.kind {
		case bUnit:
			return [][]unitSet{{x.set}}, true
		case bEmpty:
			return [][]unitSet{nil}, true
		case bConcat:
			out := [][]unitSet{nil}
			for _, s := range x.subs {
				tail, ok := walk(s)
				if !ok || len(out)*len(tail) > maxFixedStrings {
					return nil, false
				}
				var next [][]unitSet
				for _, h := range out {
					for _, t := range tail {
						if len(h)+len(t) > maxFixedLen {
							return nil, false
						}
						next = append(next, append(append([]unitSet(nil), h...), t...))
					}
				}
				out = next
			}
			return out, true
		case bAlt, bOpt:
			var out [][]unitSet
			if x.kind == bOpt {
				out = append(out, nil)
			}
			for _, s := range x.subs {
				r, ok := walk(s)
				if !ok || len(out)+len(r) > maxFixedStrings {
					return nil, false
				}
				out = append(out, r...)
			}
			return out, true
		}
		return nil, false // a repetition or a zero-width test
	}
	strs, ok := walk(x)
	if !ok {
		return nil, false
	}
	var one unitSet
	hasOne := false
	var out [][]unitSet
	for _, s := range strs {
		switch len(s) {
		case 0:
			return nil, false
		case 1:
			one = append(one, s[0]...)
			hasOne = true
		default:
			out = append(out, s)
		}
	}
	if hasOne {
		out = append([][]unitSet{{append(unitSet(nil), one...).normalize()}}, out...)
	}
	return out, true
}

// fixedTracks returns the tracks of a chain of items given by their strings: a track is
// the strings of one length n > 1 that come at one rank among an item's strings of that
// length. It returns nil, false when there would be more than maxFixedTracks.
func fixedTracks(items [][][]unitSet) ([]int, bool) {
	count := map[int]int{} // per length, the most strings of that length in an item
	for _, it := range items {
		per := map[int]int{}
		for _, s := range it {
			if len(s) > 1 {
				per[len(s)]++
			}
		}
		for n, c := range per {
			count[n] = max(count[n], c)
		}
	}
	var tracks []int
	for n := 2; n <= maxFixedLen; n++ {
		for i := 0; i < count[n]; i++ {
			tracks = append(tracks, n)
		}
	}
	return tracks, len(tracks) <= maxFixedTracks
}

// fixedWords returns the words the tables of a fixed chain of items take at most.
func fixedWords(items [][][]unitSet) int {
	tracks, _ := fixedTracks(items)
	// The masks of one place (a track's offset, or the one-unit strings) are at most as
	// many as the pieces the ends of the ranges of the sets there cut the units into.
	type place struct{ n, rank, o int }
	ranges := map[place]int{}
	seen := map[place]map[string]bool{}
	for _, it := range items {
		rank := map[int]int{}
		for _, s := range it {
			p := place{len(s), rank[len(s)], 0}
			if len(s) == 1 {
				p = place{1, 0, 0}
			}
			rank[len(s)]++
			for o, u := range s {
				p.o = o
				if seen[p] == nil {
					seen[p] = map[string]bool{}
				}
				if k := setKey(u); !seen[p][k] {
					seen[p][k] = true
					ranges[p] += len(u)
				}
			}
		}
	}
	masks := 1 // the zero mask
	for _, r := range ranges {
		masks += min(2*r+1, maxClasses)
	}
	masks += len(tracks) // the items of each track
	tables := maxClasses / 2
	for _, n := range tracks {
		tables += (n + 2) * maxClasses / 2
	}
	cw := chainRowWords(len(items))
	if cw > 1 {
		masks *= 2 // masks2
	}
	return masks*cw + tables
}

// bitFixedProg is a fixed chain as run: a row of cw words, one bit per item.
type bitFixedProg struct {
	slot, exit int
	k          int // items
	cw         int
	exitM      []uint64    // cw words: the items at whose end threads leave (bitChain.exitFrom on)
	kmin       int         // the fewest units a thread takes through the chain
	kmax       int         // and the most
	one        *[256]int32 // per class: the offset in masks of the items whose one-unit string has it
	tracks     []fixedTrack
	masks      []uint64    // cw words each, each distinct mask kept once, a zero one first
	masks2     [][2]uint64 // masks two words at a time, when cw is even
	keep       int         // the start rows a string may look back to: the longest string's length, less one
	starts     [4]uint64   // the classes a string longer than one unit may start with
}

// fixedTrack is a track: its length, the items that have a string in it, and per class the
// offsets whose units may be of the class (can) and those where every such item's may
// (all), and the offset in masks of the items whose string may have the class at each
// offset. spell tests both at once: tab has, per class, can's bits below bit 32 and all's
// below bit 64, each with the string's last offset at the top.
type fixedTrack struct {
	n     int
	items int32
	tab   []uint64 // per class
	mask  []int32  // per class×n
}

// all returns the offsets of the track's strings whose units may be of class c for all the
// track's items.
func (tr *fixedTrack) all(c int) uint32 { return uint32(tr.tab[c] >> (64 - tr.n)) }

// finishFixed builds the tables of fixed chain g once the unit classes are known.
func finishFixed(a *automaton, g *bitChain, exit int) bitFixedProg {
	k := len(g.strs)
	cw := chainRowWords(k)
	nclass := a.classes.n
	fp := bitFixedProg{slot: g.slot, exit: exit, k: k, cw: cw, exitM: make([]uint64, cw)}
	for i := g.exitFrom; i < k; i++ {
		fp.exitM[i>>6] |= 1 << (i & 63)
	}
	fp.masks = make([]uint64, cw)
	maskIdx := map[string]int32{string(make([]byte, 8*cw)): 0}
	key := make([]byte, 8*cw)
	intern := func(m []uint64) int32 {
		for w, v := range m {
			for b := 0; b < 8; b++ {
				key[8*w+b] = byte(v >> (8 * b))
			}
		}
		off, ok := maskIdx[string(key)]
		if !ok {
			off = int32(len(fp.masks))
			maskIdx[string(key)] = off
			fp.masks = append(fp.masks, m...)
		}
		return off
	}
	m := make([]uint64, cw)
	for _, it := range g.strs[:g.exitFrom+1] {
		short := len(it[0])
		for _, s := range it {
			short = min(short, len(s))
		}
		fp.kmin += short
	}
	for _, it := range g.strs {
		long := 0
		for _, s := range it {
			long = max(long, len(s))
		}
		fp.kmax += long
	}

	// The strings of one unit.
	fp.one = new([256]int32)
	for c := 0; c < nclass; c++ {
		clear(m)
		for i, it := range g.strs {
			if len(it[0]) == 1 && a.inClass(g.fsets[i][0][0], c) {
				m[i>>6] |= 1 << (i & 63)
			}
		}
		fp.one[c] = intern(m)
	}

	// The tracks: rank r among an item's strings of length n.
	lengths, _ := fixedTracks(g.strs)
	for ti, n := range lengths {
		r := 0
		for tj := 0; tj < ti; tj++ {
			if lengths[tj] == n {
				r++
			}
		}
		// str[i]: item i's string of the track, or -1.
		str := make([]int, k)
		items := make([]uint64, cw)
		for i, it := range g.strs {
			str[i] = -1
			seen := 0
			for si, s := range it {
				if len(s) == n {
					if seen == r {
						str[i] = si
						items[i>>6] |= 1 << (i & 63)
					}
					seen++
				}
			}
		}
		tr := fixedTrack{n: n, items: intern(items), tab: make([]uint64, nclass), mask: make([]int32, nclass*n)}
		for c := 0; c < nclass; c++ {
			for o := 0; o < n; o++ {
				clear(m)
				for i := range g.strs {
					if str[i] >= 0 && a.inClass(g.fsets[i][str[i]][o], c) {
						m[i>>6] |= 1 << (i & 63)
					}
				}
				off := intern(m)
				tr.mask[c*n+o] = off
				if off != 0 {
					tr.tab[c] |= 1 << (32 - n + o)
					if o == 0 {
						fp.starts[c>>6] |= 1 << (c & 63)
					}
				}
				if off == tr.items {
					tr.tab[c] |= 1 << (64 - n + o)
				}
			}
		}
		fp.tracks = append(fp.tracks, tr)
		fp.keep = max(fp.keep, n-1)
	}
	if cw > 1 {
		for o := 0; o < len(fp.masks); o += 2 {
			fp.masks2 = append(fp.masks2, [2]uint64{fp.masks[o], fp.masks[o+1]})
		}
	}
	return fp
}

// fixedHist is the steps before a block whose start rows a fixed chain keeps, plus one:
// the first row is kept zero.
const fixedHist = maxFixedLen

// fixedState is the state of a fixed chain during a match. The start rows are kept by step,
// for the fixedHist-1 steps before the block and the block's, after a row that stays zero,
// word by word (or two words by two words).
type fixedState struct {
	t      []uint64    // the items threads finished at the last step
	e1     []uint64    // a chain of one word: its start rows
	e2     [][2]uint64 // a chain of more: for each two words, their start rows
	eh     []uint64    // the first words of the start rows of the threads entering during the block
	pre    []uint64    // per track: the offsets the classes of the last steps may have spelled, as tab
	fire   []uint64    // per track: the steps of the block at which it may have been spelled
	slow   uint64      // the steps at which a track may have been spelled but not for every item
	selSet uint64      // the steps whose sel is set
	sel    []int32     // per step of the block: the start row (in e1, e2) of a track spelled for all its items, or 0
	selM   []int32     // and the offset in masks of those items
	quiet  int         // steps since the chain last held a thread (at least)
	idle   bool        // the chain was not run: its start rows and pre are out of date
	entry  bool
}

func newFixedState(g *bitFixedProg) fixedState {
	fs := fixedState{
		t:     make([]uint64, g.cw),
		eh:    make([]uint64, fixedHist+blockMax),
		pre:   make([]uint64, len(g.tracks)),
		fire:  make([]uint64, len(g.tracks)),
		sel:   make([]int32, blockMax),
		selM:  make([]int32, blockMax),
		quiet: maxFixedLen,
		idle:  true,
	}
	if g.cw == 1 {
		fs.e1 = make([]uint64, fixedHist+blockMax)
	} else {
		fs.e2 = make([][2]uint64, g.cw/2*(fixedHist+blockMax))
	}
	return fs
}

// reset empties the chain at the start of a match.
func (fs *fixedState) reset() {
	clear(fs.t)
	fs.quiet = maxFixedLen
	fs.idle = true
	fs.entry = false
}

// live reports whether a thread may still leave the chain.
func (fs *fixedState) live() bool { return fs.entry || fs.quiet < maxFixedLen }

// startRows returns the start rows of words w, w+1 (w alone in a chain of one word).
func (fs *fixedState) startRows(w int) [][2]uint64 {
	n := fixedHist + blockMax
	return fs.e2[w/2*n : (w/2+1)*n]
}

// shiftHistory moves the start rows of the last fixedHist steps of the previous block (of
// prev steps) before the next block's, or clears them all when the chain was idle.
func (fs *fixedState) shiftHistory(g *bitFixedProg, prev int) {
	if fs.idle {
		clear(fs.e1)
		clear(fs.e2)
		clear(fs.pre)
		fs.idle = false
		return
	}
	if g.cw == 1 {
		copy(fs.e1[1:fixedHist], fs.e1[prev+1:prev+fixedHist])
		return
	}
	for w := 0; w < g.cw; w += 2 {
		e := fs.startRows(w)
		copy(e[1:fixedHist], e[prev+1:prev+fixedHist])
	}
}

// spell computes, from the classes alone, the steps from..m-1 of the block at which a
// track's strings may have been spelled: sel and selM have the start row of a track spelled
// for all its items (the usual case: the items' strings are alike) and the items, and slow
// the steps with another.
func (g *bitFixedProg) spell(fs *fixedState, bs *bitScratch, from, m int) {
	fs.slow = 0
	for set := fs.selSet; set != 0; set &= set - 1 {
		j := bits.TrailingZeros64(set)
		fs.sel[j], fs.selM[j] = 0, 0
	}
	fs.selSet = 0
	if !meets(g.starts, bs.seen) {
		// No string begins in the block: those that began before may end in it.
		quiet := true
		for _, p := range fs.pre {
			quiet = quiet && p == 0
		}
		if quiet {
			return
		}
	}
	cls := bs.cls[:m]
	for ti := range g.tracks {
		tr := &g.tracks[ti]
		n := tr.n
		pre, tab := fs.pre[ti], tr.tab
		base := uint64(1)<<(32-n) | uint64(1)<<(64-n)
		var fire, every uint64 // shifted in at the top, a step at a time
		for _, c := range cls[from:m] {
			pre = (pre<<1 | base) & tab[c]
			fire = fire>>1 | pre<<32&(1<<63)
			every = every>>1 | pre&(1<<63)
		}
		fire >>= (64 - (m - from)) & 127
		every >>= (64 - (m - from)) & 127
		fire <<= from & 63
		every <<= from & 63
		fs.pre[ti] = pre
		// Where the string is spelled for all the track's items, the first such track takes
		// sel; the others are made one by one.
		every &= fire &^ fs.selSet
		for e := every; e != 0; e &= e - 1 {
			j := bits.TrailingZeros64(e)
			fs.sel[j], fs.selM[j] = int32(fixedHist+j-n+1), tr.items
		}
		fs.selSet |= every
		fire &^= every
		fs.fire[ti] = fire
		fs.slow |= fire
	}
}

// advance runs the chain over steps from..m-1 of the block (the classes of bs) with the
// threads it holds and the one that entered before the block, and returns the steps at
// which threads leave it. prev is the length of the previous block.
func (g *bitFixedProg) advance(fs *fixedState, bs *bitScratch, prev, from, m int) uint64 {
	if !fs.live() {
		fs.idle = true
		return 0
	}
	var cin uint64
	if fs.entry {
		cin = 1
	}
	fs.entry = false
	return g.run(fs, bs, prev, from, m, cin)
}

// advanceIn is advance and takeIn at once, for a chain whose entries during the block
// (ents, as takeIn takes them) are known before it runs (bitProg.deferred).
func (g *bitFixedProg) advanceIn(fs *fixedState, bs *bitScratch, prev, from, m int, ents uint64) uint64 {
	if !fs.live() && ents == 0 {
		fs.idle = true
		return 0
	}
	var cin uint64 // from bit 0 for step from
	if fs.entry {
		cin = 1
	}
	cin |= ents << 1 >> from // a thread entering after step j starts at step j+1
	if n := m - from; n < 64 {
		cin &= 1<<n - 1
	}
	fs.entry = ents>>((m-1)&63)&1 != 0
	return g.run(fs, bs, prev, from, m, cin)
}

// run runs the chain over steps from..m-1 of the block with the threads it holds and those
// entering at the steps of cin (from bit 0 for step from).
func (g *bitFixedProg) run(fs *fixedState, bs *bitScratch, prev, from, m int, cin uint64) uint64 {
	fs.shiftHistory(g, prev)
	g.spell(fs, bs, from, m)
	var ex uint64
	if g.cw == 1 {
		fs.t[0], ex = g.runWord(fs, bs, fs.e1, fs.t[0], cin, from, m)
	} else {
		for w := 0; w < g.cw; w += 2 {
			var e uint64
			fs.t[w], fs.t[w+1], cin, e = g.runPair(fs, bs, fs.t[w], fs.t[w+1], cin, from, m, w)
			ex |= e
		}
	}
	g.settle(fs, m)
	return ex << (from & 63)
}

// settle records whether the chain holds a thread after the block: one that finished an
// item at the last step, or started one at the last steps, that a string may yet finish.
func (g *bitFixedProg) settle(fs *fixedState, m int) {
	var any uint64
	for _, v := range fs.t {
		any |= v
	}
	lo := fixedHist + max(m-maxFixedLen, 0)
	if g.cw == 1 {
		for _, v := range fs.e1[lo : fixedHist+m] {
			any |= v
		}
	} else {
		for w := 0; w < g.cw; w += 2 {
			for _, v := range fs.startRows(w)[lo : fixedHist+m] {
				any |= v[0] | v[1]
			}
		}
	}
	if any != 0 {
		fs.quiet = 0
	} else {
		fs.quiet += m
	}
}

// takeIn runs the threads that entered the chain after steps 0..m-2 of the block (ents)
// through the rest of the block, and keeps the one that entered after the last step for the
// next. Those threads cannot have gone past the first word of the row.
func (g *bitFixedProg) takeIn(fs *fixedState, bs *bitScratch, ents uint64, prev, m int) {
	last := ents>>((m-1)&63)&1 != 0
	ents &^= 1 << ((m - 1) & 63)
	if (ents != 0 || last) && fs.idle {
		// The chain was not run over the block: nothing in it needs the steps before.
		fs.shiftHistory(g, prev)
		if ents != 0 {
			g.spell(fs, bs, bits.TrailingZeros64(ents)+1, m)
		}
	}
	if ents != 0 {
		// The threads entering run with start rows of their own, which then join the
		// chain's.
		j0 := bits.TrailingZeros64(ents) + 1
		fs.eh[0] = 0
		clear(fs.eh[j0 : fixedHist+j0]) // the steps a string ending in the block may begin at
		t, _ := g.runWord(fs, bs, fs.eh, 0, ents>>((j0-1)&63), j0, m)
		fs.t[0] |= t
		if g.cw == 1 {
			for j := fixedHist + j0; j < fixedHist+m; j++ {
				fs.e1[j] |= fs.eh[j]
			}
		} else {
			e := fs.startRows(0)
			for j := fixedHist + j0; j < fixedHist+m; j++ {
				e[j][0] |= fs.eh[j]
			}
		}
		fs.quiet = 0
	}
	if last {
		fs.entry = true
		fs.quiet = 0
	}
}

// runWord runs the first word of the row over steps from..m-1 of the block (a chain of one
// word, or the threads entering during the block), from t, with cin the steps (from bit 0
// for step from) at which a thread enters, keeping the start rows in e. It returns the
// word and the steps threads leave the chain (from bit 0 for step from). The steps at
// which a track may be spelled for some items only (fs.slow) are made one by one, the
// others by fixedWord.
func (g *bitFixedProg) runWord(fs *fixedState, bs *bitScratch, e []uint64, t, cin uint64, from, m int) (uint64, uint64) {
	le := g.exitM[0]
	var ex uint64
	for j := from; j < m; {
		f := m
		if fr := fs.slow >> (j & 63); fr != 0 {
			f = j + bits.TrailingZeros64(fr)
		}
		for f > j {
			// Without a string spelled in the block, the start rows are needed only at the
			// last steps, which the next block's strings may look back to.
			var x uint64
			g2 := f
			if fs.selSet == 0 && fs.slow == 0 && j < m-g.keep {
				g2 = min(f, m-g.keep)
				t, x = shiftWord(t, cin, le, bs.cls[j:g2], g.one, g.masks)
			} else {
				t, x = fixedWord(t, cin, le, bs.cls[j:f], fs.sel[j:f], fs.selM[j:f], g.one, g.masks, e, fixedHist+j)
			}
			ex |= x << ((j - from) & 63)
			cin >>= uint(g2-j) & 127
			j = g2
		}
		if j < m {
			v := t<<1 | cin&1
			cin >>= 1
			e[fixedHist+j] = v
			var sp [2]uint64
			g.spelled(fs, bs, e, nil, j, 0, &sp)
			t = v&g.masks[g.one[bs.cls[j]]] | e[fs.sel[j]]&g.masks[fs.selM[j]] | sp[0]
			if t&le != 0 {
				ex |= 1 << ((j - from) & 63)
			}
			j++
		}
	}
	return t, ex
}

// shiftWord is fixedWord where no string longer than one unit matters: a shift-and.
func shiftWord(t, cin, le uint64, cls []uint8, one *[256]int32, masks []uint64) (uint64, uint64) {
	var ex uint64
	for _, c := range cls {
		t = (t<<1 | cin&1) & masks[one[c]]
		cin >>= 1
		x := t & le
		ex = ex>>1 | (x|-x)&(1<<63)
	}
	return t, ex >> (64 - len(cls))
}

// fixedWord is a fixed chain's first word over the steps of cls, at none of which a track
// may be spelled for some of its items only: a shift-and, with the start rows of the
// strings sel says are spelled (by the items of selM), keeping the start rows in e (from
// index h).
func fixedWord(t, cin, le uint64, cls []uint8, sel, selM []int32, one *[256]int32, masks, e []uint64, h int) (uint64, uint64) {
	var ex uint64
	sel, selM = sel[:len(cls)], selM[:len(cls)]
	for j, c := range cls {
		v := t<<1 | cin&1
		cin >>= 1
		e[h+j] = v
		t = v&masks[one[c]] | e[sel[j]]&masks[selM[j]]
		x := t & le
		ex = ex>>1 | (x|-x)&(1<<63)
	}
	return t, ex >> (64 - len(cls))
}

// runPair runs words w and w+1 of the row over steps from..m-1 of the block, from t0, t1,
// with cin the steps (from bit 0 for step from) at which a thread enters word w. It returns
// the words, the steps threads leave them for word w+2 and the steps they leave the chain
// (from bit 0 for step from).
func (g *bitFixedProg) runPair(fs *fixedState, bs *bitScratch, t0, t1, cin uint64, from, m, w int) (uint64, uint64, uint64, uint64) {
	le := [2]uint64{g.exitM[w], g.exitM[w+1]}
	e := fs.startRows(w)
	wp := w / 2
	var cout, ex uint64
	for j := from; j < m; {
		f := m
		if fr := fs.slow >> (j & 63); fr != 0 {
			f = j + bits.TrailingZeros64(fr)
		}
		for f > j {
			// Without a string spelled in the block, the start rows are needed only at the
			// last steps, which the next block's strings may look back to.
			var co, x uint64
			g2 := f
			plain := fs.selSet == 0 && fs.slow == 0 && j < m-g.keep
			if plain {
				g2 = min(f, m-g.keep)
			}
			switch end := le[0]|le[1] != 0; {
			case plain && end:
				t0, t1, co, x = shiftPairEnd(t0, t1, cin, le, bs.cls[j:g2], g.one, g.masks2, wp)
			case plain:
				t0, t1, co = shiftPair(t0, t1, cin, bs.cls[j:g2], g.one, g.masks2, wp)
			case end:
				t0, t1, co, x = fixedPairEnd(t0, t1, cin, le, bs.cls[j:f], fs.sel[j:f], fs.selM[j:f], g.one, g.masks2, e, fixedHist+j, wp)
			default:
				t0, t1, co = fixedPair(t0, t1, cin, bs.cls[j:f], fs.sel[j:f], fs.selM[j:f], g.one, g.masks2, e, fixedHist+j, wp)
			}
			cout |= co << ((j - from) & 63)
			ex |= x << ((j - from) & 63)
			cin >>= uint(g2-j) & 127
			j = g2
		}
		if j < m {
			v := [2]uint64{t0<<1 | cin&1, t1<<1 | t0>>63}
			cout |= t1 >> 63 << ((j - from) & 63)
			cin >>= 1
			e[fixedHist+j] = v
			var sp [2]uint64
			g.spelled(fs, bs, nil, e, j, w, &sp)
			mk := g.masks2[int(g.one[bs.cls[j]])>>1+wp]
			u, um := e[fs.sel[j]], g.masks2[int(fs.selM[j])>>1+wp]
			t0, t1 = v[0]&mk[0]|u[0]&um[0]|sp[0], v[1]&mk[1]|u[1]&um[1]|sp[1]
			if t0&le[0]|t1&le[1] != 0 {
				ex |= 1 << ((j - from) & 63)
			}
			j++
		}
	}
	return t0, t1, cout, ex
}

// shiftPair is fixedPair where no string longer than one unit matters: a shift-and.
func shiftPair(t0, t1, cin uint64, cls []uint8, one *[256]int32, masks [][2]uint64, wp int) (uint64, uint64, uint64) {
	var cout uint64
	for _, c := range cls {
		mk := &masks[int(one[c])>>1+wp]
		cout = cout>>1 | t1&(1<<63)
		t0, t1 = (t0<<1|cin&1)&mk[0], (t1<<1|t0>>63)&mk[1]
		cin >>= 1
	}
	return t0, t1, cout >> (64 - len(cls))
}

// shiftPairEnd is shiftPair for the words of the last item (le its bit): it also returns
// the steps threads leave the chain.
func shiftPairEnd(t0, t1, cin uint64, le [2]uint64, cls []uint8, one *[256]int32, masks [][2]uint64, wp int) (uint64, uint64, uint64, uint64) {
	var cout, ex uint64
	for _, c := range cls {
		mk := &masks[int(one[c])>>1+wp]
		cout = cout>>1 | t1&(1<<63)
		t0, t1 = (t0<<1|cin&1)&mk[0], (t1<<1|t0>>63)&mk[1]
		cin >>= 1
		x := t0&le[0] | t1&le[1]
		ex = ex>>1 | (x|-x)&(1<<63)
	}
	n := 64 - len(cls)
	return t0, t1, cout >> n, ex >> n
}

// fixedPair is words w and w+1 (wp = w/2) of a fixed chain over the steps of cls, at none
// of which a track may be spelled for some of its items only, and none of which the last
// item is in: a shift-and, with the start rows of the strings sel says are spelled (by the
// items of selM), keeping the start rows in e (from index h).
func fixedPair(t0, t1, cin uint64, cls []uint8, sel, selM []int32, one *[256]int32, masks [][2]uint64, e [][2]uint64, h, wp int) (uint64, uint64, uint64) {
	var cout uint64
	sel, selM = sel[:len(cls)], selM[:len(cls)]
	for j, c := range cls {
		v0, v1 := t0<<1|cin&1, t1<<1|t0>>63
		cout = cout>>1 | t1&(1<<63)
		cin >>= 1
		e[h+j] = [2]uint64{v0, v1}
		mk, u, um := &masks[int(one[c])>>1+wp], &e[sel[j]], &masks[int(selM[j])>>1+wp]
		t0, t1 = v0&mk[0]|u[0]&um[0], v1&mk[1]|u[1]&um[1]
	}
	return t0, t1, cout >> (64 - len(cls))
}

// fixedPairEnd is fixedPair for the words of the last item (le its bit): it also returns
// the steps threads leave the chain.
func fixedPairEnd(t0, t1, cin uint64, le [2]uint64, cls []uint8, sel, selM []int32, one *[256]int32, masks [][2]uint64, e [][2]uint64, h, wp int) (uint64, uint64, uint64, uint64) {
	var cout, ex uint64
	sel, selM = sel[:len(cls)], selM[:len(cls)]
	for j, c := range cls {
		v0, v1 := t0<<1|cin&1, t1<<1|t0>>63
		cout = cout>>1 | t1&(1<<63)
		cin >>= 1
		e[h+j] = [2]uint64{v0, v1}
		mk, u, um := &masks[int(one[c])>>1+wp], &e[sel[j]], &masks[int(selM[j])>>1+wp]
		t0, t1 = v0&mk[0]|u[0]&um[0], v1&mk[1]|u[1]&um[1]
		x := t0&le[0] | t1&le[1]
		ex = ex>>1 | (x|-x)&(1<<63)
	}
	n := 64 - len(cls)
	return t0, t1, cout >> n, ex >> n
}

// spelled sets sp to words w.. (one from e1, two from e2) of the items that finish a
// string longer than one unit at step j of the block: for each track spelled there, the
// start row of the step the string began, masked by the items whose string the units since
// then spell.
func (g *bitFixedProg) spelled(fs *fixedState, bs *bitScratch, e1 []uint64, e2 [][2]uint64, j, w int, sp *[2]uint64) {
	for ti := range g.tracks {
		if fs.fire[ti]>>(j&63)&1 == 0 {
			continue // not spelled, or made through sel
		}
		tr := &g.tracks[ti]
		n := tr.n
		var v [2]uint64
		if e2 != nil {
			v = e2[fixedHist+j-n+1]
		} else {
			v[0] = e1[fixedHist+j-n+1]
		}
		nw := 1
		if e2 != nil {
			nw = 2
		}
		io := int(tr.items) + w
		for q := 0; q < nw; q++ {
			v[q] &= g.masks[io+q]
		}
		// The classes of the units since the string began: cls[j-n+1..j], some of them
		// from the blocks before (bs keeps their classes before the block's).
		for o := 0; o < n; o++ {
			c := bs.clsAt(j - n + 1 + o)
			if tr.all(int(c))>>o&1 != 0 {
				continue
			}
			mo := int(tr.mask[int(c)*n+o]) + w
			for q := 0; q < nw; q++ {
				v[q] &= g.masks[mo+q]
			}
		}
		sp[0] |= v[0]
		sp[1] |= v[1]
	}
}
