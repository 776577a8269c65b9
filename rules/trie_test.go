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
		for range rng.IntN(60) + 1 {
			p := word(alpha, rng.IntN(12))
			if !seen[p] {
				seen[p] = true
				ps = append(ps, prefixRules{prefix: p, rules: []int32{int32(len(ps))}})
			}
		}
		slices.SortFunc(ps, func(a, b prefixRules) int { return strings.Compare(a.prefix, b.prefix) })
		tr := newTrie(ps)
		hd := newHeads(ps)
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
				got = append(got, c.lists[i]...)
			}
			for _, p := range ps {
				if strings.HasPrefix(v, p.prefix) && len(want) < maxLists {
					want = append(want, p.rules...)
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
