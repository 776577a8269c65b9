package rules

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestTrieWalk compares the trie's walk and the heads lookup with testing every prefix, over random prefix sets
// drawn from small and wide alphabets (dense and sparse child tables).
func TestTrieWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	alphabets := []string{"ab/", "/app-0123456789", "\x00\x01\xfe\xff/a", "az09AZ/_-.~"}
	word := func(alpha string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(alpha[rng.IntN(len(alpha))])
		}
		return b.String()
	}
	for set := 0; set < 300; set++ {
		alpha := alphabets[set%len(alphabets)]
		seen := map[string]bool{}
		var ps []prefixRules
		var pos []int32 // each prefix's rules, one to three of them
		for range rng.IntN(60) + 1 {
			p := word(alpha, rng.IntN(12))
			if !seen[p] {
				seen[p] = true
				lo := int32(len(pos))
				for k := rng.IntN(3); k >= 0; k-- {
					pos = append(pos, int32(1000*len(ps)+k))
				}
				ps = append(ps, prefixRules{p, lo, int32(len(pos)), head8(p)})
			}
		}
		slices.SortFunc(ps, func(a, b prefixRules) int { return strings.Compare(a.prefix, b.prefix) })
		tr := newTrie(ps)
		var arena *headArena // nil, or one reserved for this set and another
		if set%2 == 1 {
			arena = &headArena{}
			_, all := headPlan(ps)
			_, half := headPlan(ps[:len(ps)/2])
			arena.reserve(&all)
			arena.reserve(&half)
			arena.alloc()
			testHeads(slices.Clone(ps[:len(ps)/2]), arena)
		}
		hd := testHeads(slices.Clone(ps), arena) // newHeads reorders its argument
		for q := 0; q < 100; q++ {
			v := word(alpha, rng.IntN(12))
			if q%5 == 0 {
				v = ps[rng.IntN(len(ps))].prefix + word(alpha, rng.IntN(3))
			}
			var c cursor
			if q%2 == 0 {
				tr.walk(v, &c)
			} else {
				hd.add(v, &c)
			}
			var got, want []int32
			for i := 0; i < c.n; i++ {
				got = append(got, pos[c.lists[i].lo:c.lists[i].hi]...)
			}
			for _, p := range ps {
				if strings.HasPrefix(v, p.prefix) && len(want) < maxLists {
					want = append(want, pos[p.lo:p.hi]...)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("set %d, trie %v: %q found %v, want %v; prefixes %v", set, q%2 == 0, v, got, want, ps)
			}
		}
	}
}

func TestHeadClasses(t *testing.T) {
	classes := func(prefixes ...string) []int {
		slices.Sort(prefixes)
		ps := make([]prefixRules, len(prefixes))
		for i, p := range prefixes {
			ps[i] = prefixRules{prefix: p, head: head8(p)}
		}
		var ns []int
		for _, c := range testHeads(ps, nil).classes {
			ns = append(ns, c.n)
		}
		return ns
	}
	for _, tc := range []struct {
		prefixes []string
		want     []int
	}{
		// Cut to 7 bytes, "/shared/" and "/common/" are still unlike any other head.
		{[]string{"/app-0/", "/app-1/", "/app-2/", "/shared/", "/common/"}, []int{7}},
		{[]string{"/app-0/", "/app-1/", "/shared/config/", "/shared/db/"}, []int{7}},
		// Cut to 2 bytes, every "/app-i/" would be "/a".
		{[]string{"/a", "/app-0/", "/app-1/"}, []int{2, 7}},
		{[]string{"/a", "/b/", "/cc/"}, []int{2}},
		{[]string{"", "/app/"}, []int{0, 5}},
		{[]string{"ROOT_"}, []int{5}},
	} {
		if got := classes(tc.prefixes...); !slices.Equal(got, tc.want) {
			t.Errorf("classes of %q = %v, want %v", tc.prefixes, got, tc.want)
		}
	}
}

// testHeads builds the heads of prefixes in the classes headPlan chooses.
func testHeads(prefixes []prefixRules, a *headArena) heads {
	classOf, count := headPlan(prefixes)
	return newHeads(prefixes, &classOf, &count, a)
}
