package glob

import (
	"iter"
	"math/bits"
	"slices"
)

// This file lays out and runs chains: long runs of items of a concatenation (a class, a
// class with the literal text picomatch lets it match too, "{a,b}", "@(ab|ba)", "?",
// "+(a|b)", ...) kept apart from the slots of a bit-parallel program, as delay lines are,
// and laid out transposed: a row of bits holds one bit per item.
//
// Laid out as slots, an item takes a slot per unit it may consume and a few junctions, and
// a run of them takes a word of state for every few items: "[ab]", which picomatch writes
// "(?:\[ab\]|[ab])", takes seven slots, so that 250 of them keep 28 words busy at every
// step. As a chain, the same run is a row of 250 bits, and a step is a few operations per
// word of it.
//
// A chain whose items each match a few strings of fixed length (all the items above but
// the repetitions) is a fixed chain (bitfixed.go). The others are run here, each item by
// its position automaton (the units it may consume, which may come first and last, and
// which may follow each), with the positions whose futures are the same merged into one
// row: row j holds, for every item, whether a thread has just consumed the item's position
// j. A position consumes a unit when its set has it (a per-class mask of the row), coming
// from the start of its item, which the previous item's last positions lead to (the rows
// of those, shifted by one item), or from a position of the same item it may follow
// (another row, not shifted). A block whose threads stay in row 0 (the usual case: the
// other rows hold threads only after a unit that can start them, such as a "[") is a
// shift-and in registers; another is run by a small interpreter of the terms of each
// step's class, over the rows that may hold a thread in the block.
//
// Chains, like delay lines, are run a block of steps at a time apart from the state
// (bitexec.go): they advance over the block, then take in the threads that entered during
// it, which cannot have gone past the first word of the row.
//
// An item is any part of the concatenation without zero-width tests that cannot match the
// empty string and is either fixed or has at most maxChainRows positions; a chain is a run
// of at least two items of one kind that would take chainMinSlots slots or more.

const (
	// maxChainRows bounds the positions of one item of a chain that is not fixed, and
	// maxChainRowsMerged its rows, once the positions with the same future are merged.
	maxChainRows       = 16
	maxChainRowsMerged = 8

	// maxChainWords bounds the words of the tables of the chains of one program (64 KiB):
	// masks of the items per distinct class and row (or track) and the per-class indexes
	// of those (chainWords and fixedWords count them). A chain that would take more is laid
	// out as slots.
	maxChainWords = 1 << 13
)

// chainMinSlots is the number of slots from which a run of items becomes a chain: a run
// that fits in a word of state costs less as slots. It is a variable so that tests can make
// chains of short runs.
var chainMinSlots = 64

// chainItem is the position automaton of one item, with the positions whose futures are
// the same (the same positions may follow, with the same units, and both may come last or
// neither) merged into one row: the moves that consume a unit, from the start of the item
// (chainStart) or a row into a row, with the set of the units each consumes, and the rows
// the item may end at.
type chainItem struct {
	rows  int
	moves []chainMove
	last  uint32
}

// chainMove is a move of an item: consuming a unit of set from row src into row dst.
type chainMove struct {
	src, dst int
	set      unitSet
}

// chainItemOf returns the position automaton of x, and false when x cannot be an item of
// a chain: it holds a zero-width test, matches the empty string, or has more than
// maxChainRows positions or maxChainRowsMerged rows.
func chainItemOf(x *bnode) (chainItem, bool) {
	var sets []unitSet
	var follow []uint32
	var walk func(x *bnode) (first, last uint32, nullable, ok bool)
	walk = func(x *bnode) (first, last uint32, nullable, ok bool) {
		switch x.kind {
		case bUnit, bLoop:
			p := len(sets)
			if p >= maxChainRows {
				return 0, 0, false, false
			}
			sets = append(sets, x.set)
			follow = append(follow, 0)
			if x.kind == bLoop {
				follow[p] = 1 << p
			}
			return 1 << p, 1 << p, false, true
		case bEmpty:
			return 0, 0, true, true
		case bConcat:
			for i, s := range x.subs {
				f, l, n, ok := walk(s)
				if !ok {
					return 0, 0, false, false
				}
				if i == 0 {
					first, last, nullable = f, l, n
					continue
				}
				for r := last; r != 0; r &= r - 1 {
					follow[bits.TrailingZeros32(r)] |= f
				}
				if nullable {
					first |= f
				}
				if n {
					last |= l
				} else {
					last = l
				}
				nullable = nullable && n
			}
			return first, last, nullable, true
		case bAlt:
			for _, s := range x.subs {
				f, l, n, ok := walk(s)
				if !ok {
					return 0, 0, false, false
				}
				first, last, nullable = first|f, last|l, nullable || n
			}
			return first, last, nullable, true
		case bOpt:
			first, last, _, ok = walk(x.subs[0])
			return first, last, true, ok
		case bPlus:
			first, last, nullable, ok = walk(x.subs[0])
			for r := last; r != 0; r &= r - 1 {
				follow[bits.TrailingZeros32(r)] |= first
			}
			return first, last, nullable, ok
		}
		return 0, 0, false, false // a zero-width test
	}
	first, last, nullable, ok := walk(x)
	if !ok || nullable || len(sets) == 0 {
		return chainItem{}, false
	}

	// Merge the positions with the same future: refine the partition by last-ness with the
	// rows and sets of what follows, until it no longer changes.
	row := make([]int, len(sets))
	for p := range row {
		row[p] = int(last >> p & 1)
	}
	rows := 0
	for {
		keys := map[string]int{}
		next := make([]int, len(sets))
		for p := range sets {
			key := []byte{byte(row[p])}
			for r := follow[p]; r != 0; r &= r - 1 {
				q := bits.TrailingZeros32(r)
				key = append(key, byte(row[q]), '|')
				key = append(key, setKey(sets[q])...)
				key = append(key, ';')
			}
			id, ok := keys[string(key)]
			if !ok {
				id = len(keys)
				keys[string(key)] = id
			}
			next[p] = id
		}
		row = next
		if len(keys) == rows {
			break
		}
		rows = len(keys)
	}
	if rows > maxChainRowsMerged {
		return chainItem{}, false
	}
	it := chainItem{rows: rows}
	add := func(src, dst int, set unitSet) {
		for i := range it.moves {
			if m := &it.moves[i]; m.src == src && m.dst == dst {
				m.set = append(append(unitSet(nil), m.set...), set...).normalize()
				return
			}
		}
		it.moves = append(it.moves, chainMove{src: src, dst: dst, set: set})
	}
	for p := range sets {
		if first>>p&1 != 0 {
			add(chainStart, row[p], sets[p])
		}
		if last>>p&1 != 0 {
			it.last |= 1 << row[p]
		}
		for r := follow[p]; r != 0; r &= r - 1 {
			q := bits.TrailingZeros32(r)
			add(row[p], row[q], sets[q])
		}
	}
	return it, true
}

// bslots returns about how many slots build lays x out in.
func bslots(x *bnode) int {
	switch x.kind {
	case bUnit, bLoop, bAssert:
		return 1
	case bConcat, bAlt, bOpt, bPlus:
		n := 1
		if x.kind == bConcat {
			n = 0
		}
		for _, s := range x.subs {
			n += bslots(s)
		}
		if x.kind == bAlt {
			n += len(x.subs) - 1
		}
		return n
	}
	return 0
}

// bitChain is a chain as laid out: its entry slot (its exit is the slot after it) and its
// items, with their sets made indexes into the automaton's sets.
type bitChain struct {
	slot  int
	rows  int
	items []chainItem
	sets  [][]int // per item, per move

	// A fixed chain (bitfixed.go): every item's strings, and their sets as indexes, and
	// the first item at whose end a thread may leave (then at the end of any after it
	// too): the last, or for k items y an earlier one, the chain then matching
	// y{exitFrom+1,k} (optChain).
	strs     [][][]unitSet
	fsets    [][][]int
	exitFrom int
	// rep: the items are copies of one whose strings split a path one way only
	// (repStrings), and the chain is run as a repetition line (bitrep.go).
	rep bool
}

// chainWords returns the words the tables of a chain of items would take at most.
func chainWords(items []chainItem) int {
	rows := 0
	// The masks of a move are at most as many as the pieces the ends of the ranges of its
	// sets cut the units into.
	ranges := map[[2]int]int{}
	seen := map[[2]int]map[string]bool{}
	for _, it := range items {
		rows = max(rows, it.rows)
		for _, m := range it.moves {
			mv := [2]int{m.src, m.dst}
			if seen[mv] == nil {
				seen[mv] = map[string]bool{}
			}
			if k := setKey(m.set); !seen[mv][k] {
				seen[mv][k] = true
				ranges[mv] += len(m.set)
			}
		}
	}
	masks := 1 // the zero mask
	for mv, r := range ranges {
		q := min(2*r+1, maxClasses)
		masks += q
		if mv == [2]int{chainStart, 0} {
			masks += q // row 0's from the start, with the last positions folded in
		}
	}
	cw := chainRowWords(len(items))
	// masks, last, terms and their indexes, leads, fastE and fastS.
	return (masks+rows)*cw + len(ranges)*maxClasses*3/2 + (chainStart+2)*maxClasses/2 + maxClasses
}

// chain lays out a chain of items: one slot, whose threads the chain takes in and gives
// back at the next slot once they have consumed every item. When every item matches a few
// strings of fixed length (strs is not nil), it is a fixed chain.
func (b *bitBuilder) chain(items []chainItem, strs [][][]unitSet) {
	g := bitChain{slot: b.next()}
	if strs != nil {
		g.strs = strs
		g.exitFrom = len(strs) - 1
		for _, it := range strs {
			var is [][]int
			for _, str := range it {
				ss := make([]int, len(str))
				for o, u := range str {
					ss[o] = b.c.set(u)
				}
				is = append(is, ss)
			}
			g.fsets = append(g.fsets, is)
		}
	} else {
		g.items = items
		for _, it := range items {
			g.rows = max(g.rows, it.rows)
			ss := make([]int, len(it.moves))
			for i, m := range it.moves {
				ss[i] = b.c.set(m.set)
			}
			g.sets = append(g.sets, ss)
		}
	}
	b.chains = append(b.chains, g)
	b.slot(slotChain, len(b.chains)-1)
}

// chainRun returns the end k of the run of items of subs that starts at i (stopping
// before a delay line or a repetition line, as srcAt gives them, or at end), their strings when every
// one is fixed or else their position automata, the words the chain's tables would take,
// and the slots the run would take as slots. A run stops where it could no longer be a
// chain of either kind.
func chainRun(subs []*bnode, i, end int, srcAt []bool) (k int, items []chainItem, strs [][][]unitSet, words, slots int) {
	fixed, rows := true, true
	var most [maxFixedLen + 1]int // per length, the most strings of that length in an item
	tracks := 0
	for k = i; k < end && (k == i || !srcAt[k]); {
		e, x := chainItemAt(subs, k)
		if e > k+1 && fixed && (e == len(subs) || !canBeItem(subs[e])) {
			// The last item of a fixed run takes no parts that may be empty after it (the
			// "/?" at the end of a pattern): its strings would make more tracks.
			if _, ok := fixedItemOf(subs[k]); ok {
				e, x = k+1, subs[k]
			}
		}
		it, okRows := chainItemOf(x)
		str, okFixed := fixedItemOf(x)
		if fixed && !okFixed && (slots >= chainMinSlots || fixedAhead(subs, e)) {
			// An item that is not fixed ends a fixed run when the items before it or those
			// after it ("/", then "+(a|b)*", then "a[ab][ab]...") are enough for a fixed
			// chain, which runs faster than a chain of rows of them all.
			break
		}
		if okFixed && fixed {
			// The tracks the chain would have with this item (as fixedTracks counts them).
			var per [maxFixedLen + 1]int
			for _, s := range str {
				if len(s) > 1 {
					per[len(s)]++
				}
			}
			t := tracks
			for n, c := range per {
				t += max(c-most[n], 0)
			}
			if t > maxFixedTracks {
				okFixed = false
			} else if fixed {
				tracks = t
				for n, c := range per {
					most[n] = max(most[n], c)
				}
			}
		}
		if !(okFixed && fixed) && !(okRows && rows) {
			break
		}
		fixed, rows = fixed && okFixed, rows && okRows
		if fixed {
			strs = append(strs, str)
		}
		if rows {
			items = append(items, it)
		}
		slots += bslots(x)
		k = e
	}
	if fixed && k > i {
		return k, nil, strs, fixedWords(strs), slots
	}
	if k > i {
		return k, items, nil, chainWords(items), slots
	}
	return k, nil, nil, 0, 0
}

// copiesRun returns the part subs[h:e] of a chain of rows over subs[i:k] (items) that
// had better be the chain: the copies of one item making most of it, without up to four
// items before them and four after that differ (of 24 slots at most before, and after),
// such as the "/", "+(a|b)*" and "a" before "@(+(a)b|[ab])" repeated. Their rows and last
// positions would be run at every step with the copies' own; as slots they cost a few
// operations a step, and the chain, taking threads in at most steps, is deferred
// (bitProg.deferred). Copies of a few items ("+(a)b" repeated) are copies of one item
// made of them, whose chain items it returns (group, nil for copies of one item). It
// returns i, k when the chain should be the whole run.
func copiesRun(subs []*bnode, i, k int, items []chainItem) (h, e int, group []chainItem) {
	if len(items) < 8 {
		return i, k, nil // a short chain is left whole
	}
	var starts []int
	var xs []*bnode
	for j := i; j < k; {
		starts = append(starts, j)
		var x *bnode
		j, x = chainItemAt(subs, j)
		xs = append(xs, x)
	}
	starts = append(starts, k)
	// The longest run of copies of p items alike, a to b.
	a, b, p := 0, 0, 1
	for q := 1; q <= maxRepPeriod; q++ {
		for j := 0; j < len(xs); {
			l := j
			for l+q < len(xs) && bequal(xs[l], xs[l+q]) {
				l++
			}
			if n := (l + q - j) / q * q; n > b-a && n >= 2*q {
				a, b, p = j, j+n, q
			}
			j = max(l, j+1)
		}
	}
	if a == 0 && b == len(xs) && p == 1 || a > 4 || len(xs)-b > 4 || b-a < 2 {
		return i, k, nil
	}
	head, run, tail := 0, 0, 0
	for j, x := range xs {
		switch {
		case j < a:
			head += bslots(x)
		case j < b:
			run += bslots(x)
		default:
			tail += bslots(x)
		}
	}
	if head > 24 || tail > 24 || run < chainMinSlots {
		return i, k, nil
	}
	if p > 1 {
		// Each copy of the p items is one item of the chain.
		for j := a; j < b; j += p {
			it, ok := chainItemOf(bconcat(xs[j : j+p]))
			if !ok {
				return i, k, nil
			}
			group = append(group, it)
		}
	}
	return starts[a], starts[b], group
}

// chainItemAt returns the item of a chain that starts at subs[k], and its end: subs[k]
// with the parts after it that may match the empty string (the "*" after a class in
// "[ab]*[ab]*"), or subs[k] alone when it may itself match the empty string.
func chainItemAt(subs []*bnode, k int) (int, *bnode) {
	e := k + 1
	if !bnullable(subs[k]) {
		for e < len(subs) && bnullable(subs[e]) {
			e++
		}
	}
	if e == k+1 {
		return e, subs[k]
	}
	return e, &bnode{kind: bConcat, subs: subs[k:e]}
}

// canBeItem reports whether x may be an item of a chain of either kind.
func canBeItem(x *bnode) bool {
	if _, ok := chainItemOf(x); ok {
		return true
	}
	_, ok := fixedItemOf(x)
	return ok
}

// fixedAhead reports whether the items from subs[k] on would be enough for a fixed chain
// (at least chainMinSlots slots, as far as the items alone tell).
func fixedAhead(subs []*bnode, k int) bool {
	slots := 0
	for k < len(subs) && slots < chainMinSlots {
		e, x := chainItemAt(subs, k)
		if _, ok := fixedItemOf(x); !ok {
			break
		}
		slots += bslots(x)
		k = e
	}
	return slots >= chainMinSlots
}

// bitChainProg is a chain as run: rows of cw words, one bit per item.
type bitChainProg struct {
	slot, exit int
	k          int // items
	rows       int
	cw         int      // words of a row: enough for the items, and even when more than one
	endW       int      // the word of the last item's bit
	endS       uint     // and its place in the word
	last       []uint64 // rows×cw: the items whose position j may come last
	lastRows   uint32   // the rows with a last position
	terms      []chainTerm
	termsOf    []int32  // nclass+1: the terms of class c are terms[termsOf[c]:termsOf[c+1]]
	masks      []uint64 // the terms' masks, cw words each, each distinct mask kept once (a zero one first)
	leads      []uint32 // nclass×(chainStart+1): per class and row (or the start), the rows its terms lead to

	// The usual block has threads in row 0 only, from the start of the items and from row 0
	// itself: per class, the offsets in masks of those two terms (0, the zero mask, for
	// none), and the classes with a term from there to another row (a block with one of
	// those runs the general way).
	fastE, fastS *[256]int32
	self         bool // some class has a term from row 0 to itself
	others       [4]uint64

	copies *chainCopies
}

// chainCopies is a chain of two words or more whose items are alike (the terms of every class
// concern every item, and so do the rows of last positions) as waveCopies runs it: per class, its terms, a byte each (the source row in the high four bits, the row it
// sets in the low four), and their number.
type chainCopies struct {
	qs     []int // the rows of last positions
	nclass int
	ops    [256]uint64
	nops   [256]uint8
	str    *chainString
}

// copiesOf returns the chainCopies of g, or nil when it is not one.
func copiesOf(g *bitChainProg, nclass int) *chainCopies {
	if g.cw < 2 || nclass > 256 {
		return nil
	}
	full := make([]uint64, g.cw) // the items
	for i := range g.k {
		full[i>>6] |= 1 << (i & 63)
	}
	same := func(m []uint64) bool { return slices.Equal(m, full) }
	cc := &chainCopies{nclass: nclass}
	for l := g.lastRows; l != 0; l &= l - 1 {
		q := bits.TrailingZeros32(l)
		if !same(g.last[q*g.cw : (q+1)*g.cw]) {
			return nil
		}
		cc.qs = append(cc.qs, q)
	}
	for c := 0; c < nclass; c++ {
		ts := g.terms[g.termsOf[c]:g.termsOf[c+1]]
		if len(ts) > 8 {
			return nil
		}
		for i, t := range ts {
			if !same(g.masks[t.mask : int(t.mask)+g.cw]) {
				return nil
			}
			cc.ops[c] |= uint64(t.src<<4|t.dst) << (8 * i)
		}
		cc.nops[c] = uint8(len(ts))
	}
	cc.str = cc.stringOf(g.rows, g.lastRows)
	return cc
}

// terms yields the source and destination rows of the terms of class c.
func (cc *chainCopies) terms(c int) iter.Seq2[int, int] {
	return func(yield func(src, dst int) bool) {
		ops := cc.ops[c]
		for range cc.nops[c] {
			if !yield(int(ops>>4&15), int(ops&15)) {
				return
			}
			ops >>= 8
		}
	}
}

// chainString is a run of rows of a chain of copies that threads only pass through, a
// unit a step, from the start of the items to another row (into): rows[0] takes threads
// from the start only, each next row from the one before only, and each row gives them to
// the next only (the last one to into), none of them a last position; such as the
// positions of the literal text "[ab]" that picomatch lets a class match. A thread that
// starts an item at step j is thus at into after step j+k-1 where the classes of those k
// steps are the string's; cond has, per class, bit i set where the class may be the i-th
// unit of the string. The string takes at most maxString units.
type chainString struct {
	rows []int  // the rows after the first k-1 units
	mask uint32 // their bits
	into int
	k    int
	cond []uint64
}

// maxString is the longest chainString: the ring of starts waveRegsString keeps. A chain
// has at most maxChainRowsMerged rows, so that its strings are never longer.
const maxString = 8

var (
	_ = [maxString - maxChainRowsMerged]struct{}{} // does not compile if a string may be longer
	_ = [1]struct{}{}[maxString&(maxString-1)]     // nor if the ring is not a power of two
)

// stringOf returns a chainString of the chain of cc, of rows rows, or nil when it has
// none.
func (cc *chainCopies) stringOf(rows int, lastRows uint32) *chainString {
	var from, to [chainStart + 1]uint32 // the rows (and the start) each row takes from, gives to
	for c := 0; c < cc.nclass; c++ {
		for src, dst := range cc.terms(c) {
			from[dst] |= 1 << src
			to[src] |= 1 << dst
		}
	}
	passes := func(r, src int) bool { // r takes from src only (not from itself) and gives to one row only
		return from[r] == 1<<src && lastRows>>r&1 == 0 && bits.OnesCount32(to[r]) == 1
	}
	for r := range rows {
		if !passes(r, chainStart) {
			continue
		}
		st := &chainString{rows: []int{r}, mask: 1 << r}
		for {
			p := st.rows[len(st.rows)-1]
			d := bits.TrailingZeros32(to[p])
			if !passes(d, p) || st.mask>>d&1 != 0 {
				st.into = d
				break
			}
			st.rows = append(st.rows, d)
			st.mask |= 1 << d
		}
		st.k = len(st.rows) + 1 // at most maxChainRowsMerged, so at most maxString
		if st.mask>>st.into&1 != 0 {
			continue
		}
		st.cond = make([]uint64, cc.nclass)
		for c := range st.cond {
			for src, dst := range cc.terms(c) {
				for i := range st.k {
					prev, next := chainStart, st.into
					if i > 0 {
						prev = st.rows[i-1]
					}
					if i < st.k-1 {
						next = st.rows[i]
					}
					if src == prev && dst == next {
						st.cond[c] |= 1 << i
					}
				}
			}
		}
		return st
	}
	return nil
}

// waveCopies is wavePairOne for a chainCopies, on two of its words. Without the masks, the
// bits past the last item hold threads of items that do not exist; they only ever move up,
// never reaching the last item's bit or below, and leave the top words.
func waveCopies(r, nr *[16][2]uint64, cc *chainCopies, le [2]uint64, cin uint64, cls []uint8) (uint64, uint64) {
	if len(cc.qs) == 1 {
		return waveCopiesOne(r, nr, cc, le, cin, cls)
	}
	var cout, ex uint64
	for _, c := range cls {
		var v0, v1 uint64
		for _, q := range cc.qs {
			v0 |= r[q&15][0]
			v1 |= r[q&15][1]
		}
		r[chainStart] = [2]uint64{v0<<1 | cin&1, v1<<1 | v0>>63}
		cin >>= 1
		cout = cout>>1 | v1&(1<<63)
		copiesTerms(r, nr, cc.ops[c], cc.nops[c])
		var out uint64
		for _, q := range cc.qs {
			u := &nr[q&15]
			out |= u[0]&le[0] | u[1]&le[1]
		}
		ex = ex>>1 | (out|-out)&(1<<63)
		r, nr = nr, r
	}
	if len(cls)&1 != 0 {
		*nr = *r
	}
	n := len(cls)
	return cout >> (64 - n), ex >> (64 - n)
}

// copiesTerms sets the rows nr from the rows r by the terms of a step's class (ops, n of
// them), as chainCopies holds them.
func copiesTerms(r, nr *[16][2]uint64, ops uint64, n uint8) {
	*(*[chainStart][2]uint64)(nr[:chainStart]) = [chainStart][2]uint64{}
	for ; n > 0; n-- {
		s, d := &r[ops>>4&15], &nr[ops&15]
		d[0] |= s[0]
		d[1] |= s[1]
		ops >>= 8
	}
}

// waveCopiesOne is waveCopies for a chain with one row of last positions.
func waveCopiesOne(r, nr *[16][2]uint64, cc *chainCopies, le [2]uint64, cin uint64, cls []uint8) (uint64, uint64) {
	var cout, ex uint64
	q := cc.qs[0] & 15
	for _, c := range cls {
		v := r[q]
		r[chainStart] = [2]uint64{v[0]<<1 | cin&1, v[1]<<1 | v[0]>>63}
		cin >>= 1
		cout = cout>>1 | v[1]&(1<<63)
		copiesTerms(r, nr, cc.ops[c], cc.nops[c])
		u := nr[q]
		out := u[0]&le[0] | u[1]&le[1]
		ex = ex>>1 | (out|-out)&(1<<63)
		r, nr = nr, r
	}
	if len(cls)&1 != 0 {
		*nr = *r
	}
	n := len(cls)
	return cout >> (64 - n), ex >> (64 - n)
}

// chainStart is the row number terms use for the start of the items.
const chainStart = maxChainRowsMerged

// chainTerm is a way to consume a unit of one class at the positions of row dst: from the
// start of the item (src chainStart) or from a position of row src that it may follow, at
// the items of mask (an offset in masks) that have such a move and whose position has the
// class.
type chainTerm struct {
	src, dst int32
	mask     int32
}

// finishChain builds the tables of chain g once the unit classes are known (they take at
// most the words chainWords counts).
func finishChain(a *automaton, g *bitChain, exit int) bitChainProg {
	k := len(g.items)
	cw := chainRowWords(k)
	rows := g.rows
	nclass := a.classes.n
	cp := bitChainProg{slot: g.slot, exit: exit, k: k, rows: rows, cw: cw, endW: (k - 1) >> 6, endS: uint((k - 1) & 63)}
	cp.last = make([]uint64, rows*cw)
	// The moves, from row src (chainStart for the start) to row dst, and for each the items
	// that have it with the set it consumes.
	type move struct{ src, dst int }
	type use struct{ item, set int }
	moveIdx := map[move]int{}
	var moves []move
	var uses [][]use
	for i, it := range g.items {
		for r := it.last; r != 0; r &= r - 1 {
			p := bits.TrailingZeros32(r)
			cp.last[p*cw+i>>6] |= 1 << (i & 63)
			cp.lastRows |= 1 << p
		}
		for mi, m := range it.moves {
			k, ok := moveIdx[move{m.src, m.dst}]
			if !ok {
				k = len(moves)
				moveIdx[move{m.src, m.dst}] = k
				moves = append(moves, move{m.src, m.dst})
				uses = append(uses, nil)
			}
			uses[k] = append(uses[k], use{i, g.sets[i][mi]})
		}
	}

	// For each class, the moves that consume it somewhere, with their masks.
	cp.termsOf = make([]int32, nclass+1)
	cp.leads = make([]uint32, nclass*(chainStart+1))
	cp.fastE, cp.fastS = new([256]int32), new([256]int32)
	cp.masks = make([]uint64, cw)
	maskIdx := map[string]int32{string(make([]byte, 8*cw)): 0}
	m := make([]uint64, cw)
	key := make([]byte, 8*cw)
	for c := 0; c < nclass; c++ {
		cp.termsOf[c] = int32(len(cp.terms))
		for k, mv := range moves {
			empty := true
			clear(m)
			for _, u := range uses[k] {
				if a.inClass(u.set, c) {
					m[u.item>>6] |= 1 << (u.item & 63)
					empty = false
				}
			}
			if empty {
				continue
			}
			for w, v := range m {
				for b := 0; b < 8; b++ {
					key[8*w+b] = byte(v >> (8 * b))
				}
			}
			off, ok := maskIdx[string(key)]
			if !ok {
				off = int32(len(cp.masks))
				maskIdx[string(key)] = off
				cp.masks = append(cp.masks, m...)
			}
			cp.terms = append(cp.terms, chainTerm{src: int32(mv.src), dst: int32(mv.dst), mask: off})
			cp.leads[c*(chainStart+1)+mv.src] |= 1 << mv.dst
			switch {
			case mv.src == chainStart && mv.dst == 0:
				cp.fastE[c] = off
			case mv.src == 0 && mv.dst == 0:
				cp.fastS[c] = off
				cp.self = true
			case mv.src == chainStart || mv.src == 0:
				cp.others[c>>6] |= 1 << (c & 63)
			}
		}
	}
	cp.termsOf[nclass] = int32(len(cp.terms))
	cp.copies = copiesOf(&cp, nclass)

	// Row 0's masks from the start, with the last positions of row 0 that lead there
	// folded in: item i may start where item i-1 has just consumed its position 0 as its
	// last (or, for item 0, where a thread enters), so that a step of row 0 is a shift and
	// a mask.
	from := make([]uint64, cw)
	for w := range from {
		from[w] = cp.last[w] << 1
		if w > 0 {
			from[w] |= cp.last[w-1] >> 63
		}
	}
	from[0] |= 1
	for c := 0; c < nclass; c++ {
		off := cp.fastE[c]
		if off == 0 {
			continue
		}
		for w := range m {
			m[w] = cp.masks[int(off)+w] & from[w]
			for b := 0; b < 8; b++ {
				key[8*w+b] = byte(m[w] >> (8 * b))
			}
		}
		off, ok := maskIdx[string(key)]
		if !ok {
			off = int32(len(cp.masks))
			maskIdx[string(key)] = off
			cp.masks = append(cp.masks, m...)
		}
		cp.fastE[c] = off
	}
	return cp
}

// chainRowWords returns the words of a row of a chain of k items: one word, or an even
// number (the usual blocks run the words two at a time).
func chainRowWords(k int) int {
	cw := (k + 63) / 64
	if cw > 1 {
		cw += cw & 1
	}
	return cw
}

// chainState is the state of a chain during a match: the rows of the positions just
// consumed, the rows that are not zero (the others are not read), and whether a thread
// entered after the last step.
type chainState struct {
	x     []uint64
	head  []uint64 // the rows of the threads that entered during the block: one word each
	live  uint32
	entry bool

	// A chain of copies with at most regRows rows active in a block runs them in
	// registers (waveRegs2, waveRegs3), by the terms of its classes restricted to those
	// rows: regs holds them for the rows of regs.act.
	regs *chainRegs
}

// regRows is the most rows of a chain of copies that may be active in a block for the
// block to run in registers.
const regRows = 3

// chainRegs is the terms of a chain of copies restricted to some of its rows (act, at
// most regRows of them, in rows), one matrix of masks per class: the row of mats[c] for
// row rows[d] has all ones at k where consuming class c takes the threads of row rows[k]
// (k < regRows) or of the start of the items (k = regRows). The matrices are made for
// the classes the blocks meet (done) as they meet them. last has all ones for the rows
// with last positions.
type chainRegs struct {
	act  uint32
	n    int
	rows [regRows]int
	last [regRows]uint64
	done [4]uint64
	mats [][regRows][regRows + 1]uint64
}

func newChainState(g *bitChainProg) chainState {
	cs := chainState{x: make([]uint64, g.rows*g.cw), head: make([]uint64, g.rows)}
	if g.copies != nil {
		cs.regs = &chainRegs{mats: make([][regRows][regRows + 1]uint64, g.copies.nclass)}
	}
	return cs
}

// prepare makes cr the terms of cc over the rows of act, for the classes of seen at least.
func (cr *chainRegs) prepare(cc *chainCopies, lastRows, act uint32, seen *[4]uint64) {
	if act != cr.act {
		*cr = chainRegs{act: act, mats: cr.mats}
		for a := act; a != 0; a &= a - 1 {
			j := bits.TrailingZeros32(a)
			if lastRows>>j&1 != 0 {
				cr.last[cr.n] = ^uint64(0)
			}
			cr.rows[cr.n] = j
			cr.n++
		}
	}
	if within(*seen, cr.done) {
		return
	}
	var at [chainStart + 1]int // the index of each row among rows, or -1
	for i := range at {
		at[i] = -1
	}
	for i, j := range cr.rows[:cr.n] {
		at[j] = i
	}
	at[chainStart] = regRows
	for q, w := range seen {
		for w &^= cr.done[q]; w != 0; w &= w - 1 {
			c := q<<6 | bits.TrailingZeros64(w)
			m := &cr.mats[c]
			*m = [regRows][regRows + 1]uint64{}
			for src, dst := range cc.terms(c) {
				// A term from a row outside act has nothing to carry, and active
				// gives no term from a row of act to a row outside it. Without the rows
				// of a string, the terms left out are the string's own: into its first
				// row from the start, along it, and out of its last row, which
				// waveRegsString takes instead.
				if k, d := at[src], at[dst]; k >= 0 && d >= 0 {
					m[d][k] = ^uint64(0)
				}
			}
		}
		cr.done[q] |= seen[q]
	}
}

// active returns the rows that may hold a thread during the block: those that do, and
// those the terms of the block's classes lead to from them or from the start.
func (g *bitChainProg) active(live uint32, seen *[4]uint64) uint32 {
	var leads [chainStart + 1]uint32
	for q, w := range seen {
		for ; w != 0; w &= w - 1 {
			c := q<<6 | bits.TrailingZeros64(w)
			for src, d := range g.leads[c*(chainStart+1) : (c+1)*(chainStart+1)] {
				leads[src] |= d
			}
		}
	}
	act, reach := uint32(0), live|leads[chainStart]
	for reach&^act != 0 {
		act |= reach
		for r := act; r != 0; r &= r - 1 {
			reach |= leads[bits.TrailingZeros32(r)]
		}
	}
	return act
}

// advance runs the chain over steps from..m-1 of the block with the threads it holds (and
// the one that entered before the block), and returns the steps threads leave it.
func (g *bitChainProg) advance(cs *chainState, bs *bitScratch, from, m int) uint64 {
	var cin uint64 // the threads entering at each step of the block
	if cs.entry {
		cin = 1 << (from & 63)
	}
	cs.entry = false
	return g.run(cs, bs, from, m, cin)
}

// advanceIn is advance and takeIn at once, for a chain whose entries during the block
// (ents, as takeIn takes them) are known before it runs (bitProg.deferred).
func (g *bitChainProg) advanceIn(cs *chainState, bs *bitScratch, from, m int, ents uint64) uint64 {
	var cin uint64
	if cs.entry {
		cin = 1 << (from & 63)
	}
	cin |= ents << 1 // a thread entering after step j starts at step j+1
	if m < 64 {
		cin &= 1<<m - 1
	}
	cs.entry = ents>>((m-1)&63)&1 != 0
	return g.run(cs, bs, from, m, cin)
}

// run runs the chain over steps from..m-1 of the block with the threads it holds and those
// entering at the steps of cin (bit j: the start of item 0 before step j).
func (g *bitChainProg) run(cs *chainState, bs *bitScratch, from, m int, cin uint64) uint64 {
	if cs.live == 0 && cin == 0 {
		return 0
	}
	cls := bs.cls[from:m]
	cw := g.cw
	x := cs.x
	if cs.live&^1 == 0 && !meets(g.others, bs.seen) {
		// Row 0 only.
		if cs.live == 0 {
			clear(x[:cw])
		}
		cin >>= from & 63
		var ex, any uint64
		if cw == 1 {
			x[0], ex = row0Word(x[0], g.last[0]&(1<<g.endS), cin, cls, g.fastE, g.fastS, g.masks)
			any = x[0]
		} else {
			for w := 0; w < cw; w += 2 {
				p := (*[2]uint64)(x[w : w+2])
				l := (*[2]uint64)(g.last[w : w+2])
				if g.endW>>1 != w>>1 && !g.self {
					p[0], p[1], cin = row0Pair(p[0], p[1], cin, cls, g.fastE, g.masks, w)
				} else if !g.self {
					var e uint64
					p[0], p[1], cin, e = row0PairEnd(p[0], p[1], cin, cls, g.fastE, g.masks, w, g.endW&1 != 0, g.endS)
					if g.last[g.endW]>>g.endS&1 != 0 {
						ex |= e
					}
				} else {
					var le [2]uint64
					le[g.endW&1] = l[g.endW&1] & (1 << g.endS)
					if g.endW>>1 != w>>1 {
						le[g.endW&1] = 0
					}
					var e uint64
					p[0], p[1], cin, e = row0PairExit(p[0], p[1], le[0], le[1], cin, cls, g.fastE, g.fastS, g.masks, w)
					ex |= e
				}
				any |= p[0] | p[1]
			}
		}
		cs.live = 0
		if any != 0 {
			cs.live = 1
		}
		return ex << (from & 63)
	}
	act := g.active(cs.live, &bs.seen)
	for r := act &^ cs.live; r != 0; r &= r - 1 {
		j := bits.TrailingZeros32(r)
		clear(x[j*cw : (j+1)*cw])
	}
	var ex uint64
	var live uint32
	cin >>= from & 63
	if g.copies != nil && copiesInRegs {
		if ok, str := g.copies.inRegs(act); ok {
			var out uint64
			out, cs.live = g.runRegs(cs.regs, cs.x, bs.cls[from:m], act, str, &bs.seen, cin)
			return out << (from & 63)
		}
	}
	if cw == 1 {
		_, ex, live = g.wave(x, 1, 0, act, cin, bs.cls[:m], from)
	} else {
		for w := 0; w < cw; w += 2 {
			var e uint64
			var l uint32
			cin, e, l = g.wavePair(x, w, act, cin, bs.cls[:m], from)
			ex |= e
			live |= l
		}
	}
	cs.live = live
	return ex << (from & 63)
}

// copiesInRegs lets the blocks of chains of copies with few active rows run in
// registers; tests turn it off to check the other way.
var copiesInRegs = true

// runRegs runs a chain of copies over the steps of cls, the rows of act (at most regRows)
// held in registers a pair of words at a time, from the lowest pair, each pair taking the
// threads that leave the pair below it (cin, for the lowest, the threads entering the
// chain). It returns the steps at which threads leave the chain and the rows that hold
// threads after it.
func (g *bitChainProg) runRegs(cr *chainRegs, x []uint64, cls []uint8, act uint32, str bool, seen *[4]uint64, cin uint64) (ex uint64, live uint32) {
	st := g.copies.str
	strAct := uint32(0) // the rows of the string that may hold threads
	if str {
		strAct, act = act&st.mask, act&^st.mask
	}
	cr.prepare(g.copies, g.lastRows, act, seen)
	cw := g.cw
	for w := 0; w < cw; w += 2 {
		var r [regRows][2]uint64
		for i, j := range cr.rows[:cr.n] {
			r[i] = [2]uint64{x[j*cw+w], x[j*cw+w+1]}
		}
		var le [2]uint64 // the last item's bit, in its pair
		if g.endW>>1 == w>>1 {
			le[g.endW&1] = 1 << g.endS
		}
		var e uint64
		switch {
		case strAct != 0:
			// The threads in the string's i-th row started an item i steps before.
			var ring [maxString][2]uint64
			for i, j := range st.rows {
				if strAct>>j&1 != 0 {
					ring[(-i-1)&(maxString-1)] = [2]uint64{x[j*cw+w], x[j*cw+w+1]}
				}
			}
			var into [2]uint64 // all ones for the local row of st.into
			for i, j := range cr.rows[:cr.n] {
				if j == st.into {
					into[i] = ^uint64(0)
				}
			}
			var d uint64
			if cr.n <= 1 {
				cin, e, d = waveRegsString1(&r, cr.mats, cr.last[0], le, cin, cls, &ring, st.cond, st.k, into[0])
			} else {
				cin, e, d = waveRegsString(&r, cr.mats, &cr.last, le, cin, cls, &ring, st.cond, st.k, into)
			}
			n := len(cls)
			for i, j := range st.rows {
				if strAct>>j&1 != 0 {
					v := ring[(n-i-1)&(maxString-1)]
					m := -(d >> i & 1)
					x[j*cw+w], x[j*cw+w+1] = v[0]&m, v[1]&m
					if (v[0]|v[1])&m != 0 {
						live |= 1 << j
					}
				}
			}
		case cr.n <= 2:
			cin, e = waveRegs2(&r, cr.mats, &cr.last, le, cin, cls)
		default:
			cin, e = waveRegs3(&r, cr.mats, &cr.last, le, cin, cls)
		}
		ex |= e
		for i, j := range cr.rows[:cr.n] {
			x[j*cw+w], x[j*cw+w+1] = r[i][0], r[i][1]
			if r[i][0]|r[i][1] != 0 {
				live |= 1 << j
			}
		}
	}
	return ex, live
}

// inRegs reports whether a block whose rows act may hold threads runs in registers (ok):
// at most regRows of them, or else at most two besides the rows of a string (str).
func (cc *chainCopies) inRegs(act uint32) (ok, str bool) {
	if bits.OnesCount32(act) <= regRows {
		return true, false
	}
	str = cc.str != nil && bits.OnesCount32(act&^cc.str.mask) <= 2
	return str, str
}

// waveRegsString is waveRegs2 for a chain with a string (chainString) besides its two
// rows r: ring holds the starts of the items at the last maxString steps (those before
// the block: where the threads in the string's rows started, the others zero), and a
// thread is at into (all ones for the row of st.into) after step j where the string's k
// units were the classes of steps j-k+1..j. It returns, besides waveRegs2's results, the
// steps whose threads are still in the string after the last: bit i for the thread that
// started i steps before the last, in the ring.
func waveRegsString(r *[regRows][2]uint64, mats [][regRows][regRows + 1]uint64, lm *[regRows]uint64, le [2]uint64, cin uint64, cls []uint8, ring *[maxString][2]uint64, cond []uint64, k int, into [2]uint64) (cout, ex, d uint64) {
	a0, a1 := r[0][0], r[0][1]
	b0, b1 := r[1][0], r[1][1]
	la, lb := lm[0], lm[1]
	ia, ib := into[0], into[1]
	s0, s1 := a0&la|b0&lb, a1&la|b1&lb
	d = 1<<(k-1) - 1 // the threads in the ring matched the string so far
	for j, c := range cls {
		m := &mats[c]
		t0, t1 := s0<<1|cin&1, s1<<1|s0>>63
		ring[j&(maxString-1)] = [2]uint64{t0, t1}
		cin >>= 1
		cout = cout>>1 | s1&(1<<63)
		d = (d<<1 | 1) & cond[c]
		h := &ring[(j-k+1)&(maxString-1)]
		done := -(d >> (k - 1) & 1)
		u0, u1 := h[0]&done, h[1]&done
		a0, b0 = a0&m[0][0]|b0&m[0][1]|t0&m[0][3]|u0&ia, a0&m[1][0]|b0&m[1][1]|t0&m[1][3]|u0&ib
		a1, b1 = a1&m[0][0]|b1&m[0][1]|t1&m[0][3]|u1&ia, a1&m[1][0]|b1&m[1][1]|t1&m[1][3]|u1&ib
		s0, s1 = a0&la|b0&lb, a1&la|b1&lb
		out := s0&le[0] | s1&le[1]
		ex = ex>>1 | (out|-out)&(1<<63)
	}
	r[0], r[1] = [2]uint64{a0, a1}, [2]uint64{b0, b1}
	n := len(cls)
	return cout >> (64 - n), ex >> (64 - n), d
}

// waveRegs2 runs a pair of words of two rows (r) of a chain of copies over the steps of
// cls in registers, by their matrices mats (chainRegs), the rows' masks of last
// positions lm and the last item's bit le: the threads at the start of item i are those
// at a last position of item i-1 (for the lowest item of the pair, cin, a bit a step), and
// a step sets each row from the rows and the start by its class's matrix. It returns the
// threads leaving the pair's top item (a bit a step, into the pair above) and the steps
// at which a thread is at a last position of the last item, as waveCopies does.
func waveRegs2(r *[regRows][2]uint64, mats [][regRows][regRows + 1]uint64, lm *[regRows]uint64, le [2]uint64, cin uint64, cls []uint8) (cout, ex uint64) {
	a0, a1 := r[0][0], r[0][1]
	b0, b1 := r[1][0], r[1][1]
	la, lb := lm[0], lm[1]
	s0, s1 := a0&la|b0&lb, a1&la|b1&lb // the threads at last positions
	for _, c := range cls {
		m := &mats[c]
		t0, t1 := s0<<1|cin&1, s1<<1|s0>>63 // the starts of the items
		cin >>= 1
		cout = cout>>1 | s1&(1<<63)
		a0, b0 = a0&m[0][0]|b0&m[0][1]|t0&m[0][3], a0&m[1][0]|b0&m[1][1]|t0&m[1][3]
		a1, b1 = a1&m[0][0]|b1&m[0][1]|t1&m[0][3], a1&m[1][0]|b1&m[1][1]|t1&m[1][3]
		s0, s1 = a0&la|b0&lb, a1&la|b1&lb
		out := s0&le[0] | s1&le[1]
		ex = ex>>1 | (out|-out)&(1<<63)
	}
	r[0], r[1] = [2]uint64{a0, a1}, [2]uint64{b0, b1}
	n := len(cls)
	return cout >> (64 - n), ex >> (64 - n)
}

// waveRegs3 is waveRegs2 for three rows (some of its variables then live on the stack,
// which costs two rows a third more).
func waveRegs3(r *[regRows][2]uint64, mats [][regRows][regRows + 1]uint64, lm *[regRows]uint64, le [2]uint64, cin uint64, cls []uint8) (cout, ex uint64) {
	a0, a1 := r[0][0], r[0][1]
	b0, b1 := r[1][0], r[1][1]
	c0, c1 := r[2][0], r[2][1]
	la, lb, lc := lm[0], lm[1], lm[2]
	s0, s1 := a0&la|b0&lb|c0&lc, a1&la|b1&lb|c1&lc
	for _, c := range cls {
		m := &mats[c]
		t0, t1 := s0<<1|cin&1, s1<<1|s0>>63
		cin >>= 1
		cout = cout>>1 | s1&(1<<63)
		a0, b0, c0 = a0&m[0][0]|b0&m[0][1]|c0&m[0][2]|t0&m[0][3],
			a0&m[1][0]|b0&m[1][1]|c0&m[1][2]|t0&m[1][3],
			a0&m[2][0]|b0&m[2][1]|c0&m[2][2]|t0&m[2][3]
		a1, b1, c1 = a1&m[0][0]|b1&m[0][1]|c1&m[0][2]|t1&m[0][3],
			a1&m[1][0]|b1&m[1][1]|c1&m[1][2]|t1&m[1][3],
			a1&m[2][0]|b1&m[2][1]|c1&m[2][2]|t1&m[2][3]
		s0, s1 = a0&la|b0&lb|c0&lc, a1&la|b1&lb|c1&lc
		out := s0&le[0] | s1&le[1]
		ex = ex>>1 | (out|-out)&(1<<63)
	}
	r[0], r[1], r[2] = [2]uint64{a0, a1}, [2]uint64{b0, b1}, [2]uint64{c0, c1}
	n := len(cls)
	return cout >> (64 - n), ex >> (64 - n)
}

// waveRegsString1 is waveRegsString for one row besides the string ("[ab]*", whose string
// leads into it): la is its mask of last positions, ia all ones when it is st.into.
func waveRegsString1(r *[regRows][2]uint64, mats [][regRows][regRows + 1]uint64, la uint64, le [2]uint64, cin uint64, cls []uint8, ring *[maxString][2]uint64, cond []uint64, k int, ia uint64) (cout, ex, d uint64) {
	a0, a1 := r[0][0], r[0][1]
	s0, s1 := a0&la, a1&la
	d = 1<<(k-1) - 1
	for j, c := range cls {
		m := &mats[c]
		t0, t1 := s0<<1|cin&1, s1<<1|s0>>63
		ring[j&(maxString-1)] = [2]uint64{t0, t1}
		cin >>= 1
		cout = cout>>1 | s1&(1<<63)
		d = (d<<1 | 1) & cond[c]
		h := &ring[(j-k+1)&(maxString-1)]
		done := -(d >> (k - 1) & 1) & ia
		a0 = a0&m[0][0] | t0&m[0][3] | h[0]&done
		a1 = a1&m[0][0] | t1&m[0][3] | h[1]&done
		s0, s1 = a0&la, a1&la
		out := s0&le[0] | s1&le[1]
		ex = ex>>1 | (out|-out)&(1<<63)
	}
	r[0] = [2]uint64{a0, a1}
	n := len(cls)
	return cout >> (64 - n), ex >> (64 - n), d
}

func meets(a, b [4]uint64) bool {
	return a[0]&b[0]|a[1]&b[1]|a[2]&b[2]|a[3]&b[3] != 0
}

// The loops below shift by constants only (a shift by a variable takes a register of its
// own on amd64): the steps at which a thread enters come in at bit 0 of cin, one a step,
// and those at which one leaves go out at bit 63 of cout and ex, one a step, so that after
// n steps the bit of step j is at 64-n+j.

// row0Word runs a one-word chain whose threads stay in row 0 over the steps of cls, from
// state x, with le the last item's last position, and cin the steps after which a thread
// enters. It returns the state and the steps threads leave the chain.
func row0Word(x, le, cin uint64, cls []uint8, fe, fs *[256]int32, masks []uint64) (uint64, uint64) {
	var ex uint64
	for _, c := range cls {
		x = (x<<1|cin&1)&masks[fe[c]] | x&masks[fs[c]]
		cin >>= 1
		t := x & le
		ex = ex>>1 | (t|-t)&(1<<63)
	}
	return x, ex >> (64 - len(cls))
}

// row0Pair runs words w and w+1 of row 0 (x0, x1) over the steps of cls, for a chain
// without loops in row 0 whose last item is not there; cin says at which steps a thread
// enters word w. It returns the words and the steps at which a thread leaves them for word
// w+2 (it leaves if the item it finished may end there, which the next masks test).
func row0Pair(x0, x1, cin uint64, cls []uint8, fe *[256]int32, masks []uint64, w int) (uint64, uint64, uint64) {
	var cout uint64
	for _, c := range cls {
		o := int(fe[c]) + w
		m0, m1 := masks[o], masks[o+1]
		cout = cout>>1 | x1&(1<<63)
		x0, x1 = (x0<<1|cin&1)&m0, (x1<<1|x0>>63)&m1
		cin >>= 1
	}
	return x0, x1, cout >> (64 - len(cls))
}

// row0PairEnd is row0Pair for the words of the last item (at bit sh of word w+hi): it also
// returns the steps at which a thread leaves the chain.
func row0PairEnd(x0, x1, cin uint64, cls []uint8, fe *[256]int32, masks []uint64, w int, hi bool, sh uint) (uint64, uint64, uint64, uint64) {
	var cout, ex uint64
	up := 63 - sh&63
	for _, c := range cls {
		o := int(fe[c]) + w
		m0, m1 := masks[o], masks[o+1]
		cout = cout>>1 | x1&(1<<63)
		x0, x1 = (x0<<1|cin&1)&m0, (x1<<1|x0>>63)&m1
		cin >>= 1
		v := x0
		if hi {
			v = x1
		}
		ex = ex>>1 | v<<up&(1<<63)
	}
	return x0, x1, cout >> (64 - len(cls)), ex >> (64 - len(cls))
}

// row0PairExit is row0Pair with the loops of row 0 and the last item's bit (le0, le1): it
// also returns the steps at which a thread leaves the chain.
func row0PairExit(x0, x1, le0, le1, cin uint64, cls []uint8, fe, fs *[256]int32, masks []uint64, w int) (uint64, uint64, uint64, uint64) {
	var cout, ex uint64
	for _, c := range cls {
		oe, os := int(fe[c])+w, int(fs[c])+w
		cout = cout>>1 | x1&(1<<63)
		x0, x1 = (x0<<1|cin&1)&masks[oe]|x0&masks[os], (x1<<1|x0>>63)&masks[oe+1]|x1&masks[os+1]
		cin >>= 1
		t := x0&le0 | x1&le1
		ex = ex>>1 | (t|-t)&(1<<63)
	}
	return x0, x1, cout >> (64 - len(cls)), ex >> (64 - len(cls))
}

// wave runs word w of the active rows of x (a row every st words) over steps from..m-1
// of the block (cls), with cin the steps at which a thread enters the word (bit 0 for step
// from). It returns the steps at which a thread leaves it for word w+1 and those at which
// one leaves the chain (also from bit 0 for step from), and the rows left not zero in the
// word. Every term of a step's class is made, without testing whether its row holds a
// thread: the rows outside act are zero.
func (g *bitChainProg) wave(x []uint64, st, w int, act uint32, cin uint64, cls []uint8, from int) (cout, ex uint64, live uint32) {
	var r, nr [chainStart + 1]uint64
	for a := act; a != 0; a &= a - 1 {
		j := bits.TrailingZeros32(a)
		r[j] = x[j*st+w]
	}
	var lastQ [chainStart]int32 // the active rows with last positions, and their masks
	var lastM [chainStart]uint64
	nlast := 0
	for l := act & g.lastRows; l != 0; l &= l - 1 {
		q := bits.TrailingZeros32(l)
		lastQ[nlast], lastM[nlast] = int32(q), g.last[q*g.cw+w]
		nlast++
	}
	var le uint64 // the last item's bit, when it is in this word
	if w == g.endW {
		le = 1 << g.endS
	}
	cls = cls[from:]
	if nlast == 1 && le == 0 {
		cout = waveOne(&r, &nr, lastQ[0], lastM[0], cin, cls, g.terms, g.termsOf, g.masks[w:])
	} else {
		for _, c := range cls {
			var acc uint64
			for i := range nlast {
				acc |= r[lastQ[i]] & lastM[i]
			}
			r[chainStart] = acc<<1 | cin&1
			cin >>= 1
			cout = cout>>1 | acc&(1<<63)
			nr = [chainStart + 1]uint64{}
			for _, t := range g.terms[g.termsOf[c]:g.termsOf[c+1]] {
				nr[t.dst] |= r[t.src] & g.masks[int(t.mask)+w]
			}
			var out uint64
			for i := range nlast {
				out |= nr[lastQ[i]] & lastM[i]
			}
			t := out & le
			ex = ex>>1 | (t|-t)&(1<<63)
			r = nr
		}
		n := len(cls)
		cout, ex = cout>>(64-n), ex>>(64-n)
	}
	for a := act; a != 0; a &= a - 1 {
		j := bits.TrailingZeros32(a)
		v := r[j]
		x[j*st+w] = v
		if v != 0 {
			live |= 1 << j
		}
	}
	return cout, ex, live
}

// waveOne is wave's loop for a word without the last item and with one row of last
// positions (q, its mask lm): rows r, nr alternate, the state ending in r.
func waveOne(r, nr *[chainStart + 1]uint64, q int32, lm, cin uint64, cls []uint8, terms []chainTerm, termsOf []int32, masks []uint64) uint64 {
	var cout uint64
	for _, c := range cls {
		acc := r[q] & lm
		r[chainStart] = acc<<1 | cin&1
		cin >>= 1
		cout = cout>>1 | acc&(1<<63)
		*nr = [chainStart + 1]uint64{}
		for _, t := range terms[termsOf[c]:termsOf[c+1]] {
			nr[t.dst] |= r[t.src] & masks[t.mask]
		}
		r, nr = nr, r
	}
	if len(cls)&1 != 0 {
		*nr = *r
	}
	return cout >> (64 - len(cls))
}

// wavePair is wave for words w and w+1 at once (cin enters word w, cout leaves w+1).
func (g *bitChainProg) wavePair(x []uint64, w int, act uint32, cin uint64, cls []uint8, from int) (cout, ex uint64, live uint32) {
	st := g.cw
	var r, nr [chainStart + 1][2]uint64
	for a := act; a != 0; a &= a - 1 {
		j := bits.TrailingZeros32(a)
		r[j] = [2]uint64{x[j*st+w], x[j*st+w+1]}
	}
	var lastQ [chainStart]int32
	var lastM [chainStart][2]uint64
	nlast := 0
	for l := act & g.lastRows; l != 0; l &= l - 1 {
		q := bits.TrailingZeros32(l)
		lastQ[nlast], lastM[nlast] = int32(q), [2]uint64{g.last[q*st+w], g.last[q*st+w+1]}
		nlast++
	}
	var le [2]uint64
	if g.endW>>1 == w>>1 {
		le[g.endW&1] = 1 << g.endS
	}
	cls = cls[from:]
	if g.copies != nil {
		var r2, nr2 [16][2]uint64
		copy(r2[:], r[:])
		cout, ex = waveCopies(&r2, &nr2, g.copies, le, cin, cls)
		copy(r[:], r2[:])
	} else if nlast == 1 {
		cout, ex = wavePairOne(&r, &nr, lastQ[0], lastM[0], le, cin, cls, g.terms, g.termsOf, g.masks[w:])
	} else {
		cout, ex = wavePairMany(&r, &nr, lastQ[:nlast], lastM[:nlast], le, cin, cls, g.terms, g.termsOf, g.masks[w:])
	}
	for a := act; a != 0; a &= a - 1 {
		j := bits.TrailingZeros32(a)
		v := r[j]
		x[j*st+w], x[j*st+w+1] = v[0], v[1]
		if v[0]|v[1] != 0 {
			live |= 1 << j
		}
	}
	return cout, ex, live
}

// wavePairMany is wavePair's loop with several rows of last positions (qs, their masks
// lms): rows r, nr alternate, the state ending in r.
func wavePairMany(r, nr *[chainStart + 1][2]uint64, qs []int32, lms [][2]uint64, le [2]uint64, cin uint64, cls []uint8, terms []chainTerm, termsOf []int32, masks []uint64) (uint64, uint64) {
	var cout, ex uint64
	for _, c := range cls {
		var a0, a1 uint64
		for i, q := range qs {
			v, m := &r[q], &lms[i]
			a0 |= v[0] & m[0]
			a1 |= v[1] & m[1]
		}
		r[chainStart] = [2]uint64{a0<<1 | cin&1, a1<<1 | a0>>63}
		cin >>= 1
		cout = cout>>1 | a1&(1<<63)
		pairTerms(r, nr, terms[termsOf[c]:termsOf[c+1]], masks)
		var out uint64
		for i, q := range qs {
			v, m := &nr[q], &lms[i]
			out |= v[0]&m[0]&le[0] | v[1]&m[1]&le[1]
		}
		ex = ex>>1 | (out|-out)&(1<<63)
		r, nr = nr, r
	}
	if len(cls)&1 != 0 {
		*nr = *r
	}
	n := len(cls)
	return cout >> (64 - n), ex >> (64 - n)
}

// pairTerms sets the rows nr from the rows r by the terms ts of a step's class.
func pairTerms(r, nr *[chainStart + 1][2]uint64, ts []chainTerm, masks []uint64) {
	*nr = [chainStart + 1][2]uint64{}
	for _, t := range ts {
		s, d := &r[t.src], &nr[t.dst]
		d[0] |= s[0] & masks[t.mask]
		d[1] |= s[1] & masks[t.mask+1]
	}
}

// wavePairOne is wavePair's loop with one row of last positions (q, its masks lm; le the
// last item's bit): rows r, nr alternate, the state ending in r.
func wavePairOne(r, nr *[chainStart + 1][2]uint64, q int32, lm, le [2]uint64, cin uint64, cls []uint8, terms []chainTerm, termsOf []int32, masks []uint64) (uint64, uint64) {
	var cout, ex uint64
	for _, c := range cls {
		v := &r[q]
		a0, a1 := v[0]&lm[0], v[1]&lm[1]
		r[chainStart] = [2]uint64{a0<<1 | cin&1, a1<<1 | a0>>63}
		cin >>= 1
		cout = cout>>1 | a1&(1<<63)
		pairTerms(r, nr, terms[termsOf[c]:termsOf[c+1]], masks)
		u := &nr[q]
		out := u[0]&lm[0]&le[0] | u[1]&lm[1]&le[1]
		ex = ex>>1 | (out|-out)&(1<<63)
		r, nr = nr, r
	}
	if len(cls)&1 != 0 {
		*nr = *r
	}
	n := len(cls)
	return cout >> (64 - n), ex >> (64 - n)
}

// takeIn runs the threads that entered the chain after steps 0..m-2 of the block (ents)
// through the rest of the block, and keeps the one that entered after the last step for
// the next. Those threads cannot have gone past the first word of the rows.
func (g *bitChainProg) takeIn(cs *chainState, bs *bitScratch, ents uint64, m int) {
	last := ents>>((m-1)&63)&1 != 0
	ents &^= 1 << ((m - 1) & 63)
	if ents != 0 {
		cw := g.cw
		j0 := bits.TrailingZeros64(ents) + 1
		h := cs.head
		var hlive uint32
		if !meets(g.others, bs.seen) {
			// Row 0 only.
			x, _ := row0Word(0, 0, ents>>((j0-1)&63), bs.cls[j0:m], g.fastE, g.fastS, g.masks)
			h[0] = x
			if x != 0 {
				hlive = 1
			}
		} else {
			act := g.active(0, &bs.seen)
			for a := act; a != 0; a &= a - 1 {
				h[bits.TrailingZeros32(a)] = 0
			}
			_, _, hlive = g.wave(h, 1, 0, act, ents>>((j0-1)&63), bs.cls[:m], j0)
		}
		x := cs.x
		for r := hlive; r != 0; r &= r - 1 {
			row := bits.TrailingZeros32(r)
			if cs.live>>row&1 == 0 {
				clear(x[row*cw : (row+1)*cw])
				cs.live |= 1 << row
			}
			x[row*cw] |= h[row]
		}
	}
	cs.entry = last
}
