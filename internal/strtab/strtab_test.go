package strtab

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func keysOf(name string) [][2]string {
	var ks [][2]string
	switch name {
	case "names":
		ks = [][2]string{{"secrets", "read"}, {"secrets", "edit"}, {"secret-folders", "read"}, {"", ""}, {"a", ""}, {"", "a"}, {"ab", "c"}, {"a", "bc"}, {"abc", ""}, {"abcd", ""}, {"abcdefgh", ""}, {"abcdefghi", ""}}
	case "middles": // alike in their first and last eight bytes: the short hash cannot spread them
		for i := 0; i < 500; i++ {
			ks = append(ks, [2]string{"prefix--" + fmt.Sprint(i) + "--suffix", ""})
		}
	case "uuids":
		rng := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < 3000; i++ {
			ks = append(ks, [2]string{fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", rng.Uint32(), rng.Uint32()&0xffff, rng.Uint32()&0xfff, rng.Uint32()&0xfff, rng.Uint64()&0xffffffffffff), "p-" + fmt.Sprint(i%7)})
		}
	case "many":
		for i := 0; i < 5000; i++ {
			ks = append(ks, [2]string{fmt.Sprintf("env-%d", i), strings.Repeat("x", i%20)})
		}
	}
	return ks
}

func TestTable(t *testing.T) {
	for _, name := range []string{"none", "names", "middles", "uuids", "many"} {
		t.Run(name, func(t *testing.T) {
			keys := keysOf(name)
			vals := make([]int, len(keys))
			for i := range vals {
				vals[i] = i * 3
			}
			tab := Build(keys, vals)
			if tab.Len() != len(keys) {
				t.Fatalf("Len = %d, want %d", tab.Len(), len(keys))
			}
			if name == "middles" && !tab.full {
				t.Errorf("keys differing only in their middles kept the short hash")
			}
			if name == "uuids" && tab.full {
				t.Errorf("random UUIDs defeated the short hash")
			}
			for i, k := range keys {
				if got, ok := tab.Get(k[0], k[1]); !ok || got != vals[i] {
					t.Fatalf("Get(%q, %q) = %d, %v; want %d", k[0], k[1], got, ok, vals[i])
				}
				for _, miss := range nearMisses(k) {
					if contains(keys, miss) {
						continue
					}
					if got, ok := tab.Get(miss[0], miss[1]); ok {
						t.Fatalf("Get(%q, %q) = %d, want none", miss[0], miss[1], got)
					}
				}
			}
			n := 0
			tab.All(func(a, b string, v int) bool { n++; return true })
			if n != len(keys) {
				t.Errorf("All visited %d keys, want %d", n, len(keys))
			}
		})
	}
}

// nearMisses are keys made of the same bytes split differently, or one byte longer.
func nearMisses(k [2]string) [][2]string {
	return [][2]string{{k[0] + "x", k[1]}, {k[0], k[1] + "x"}, {k[0] + k[1], ""}, {"", k[0] + k[1]}, {"x" + k[0], k[1]}}
}

func contains(keys [][2]string, k [2]string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

func TestWithWithout(t *testing.T) {
	keys := keysOf("middles")[:40]
	keys = append(keys, keysOf("names")...)
	var tab Table[int]
	model := map[[2]string]int{}
	rng := rand.New(rand.NewPCG(3, 4))
	for step := 0; step < 2000; step++ {
		k := keys[rng.IntN(len(keys))]
		prev := tab
		prevVal, prevOk := prev.Get(k[0], k[1])
		if rng.IntN(3) == 0 {
			tab = tab.Without(MakeKey(k[0], k[1]))
			delete(model, k)
		} else {
			tab = tab.With(MakeKey(k[0], k[1]), step)
			model[k] = step
		}
		if v, ok := prev.Get(k[0], k[1]); v != prevVal || ok != prevOk {
			t.Fatalf("step %d: the change altered the table it was made from: Get(%q, %q) = %d, %v; was %d, %v", step, k[0], k[1], v, ok, prevVal, prevOk)
		}
		if tab.Len() != len(model) {
			t.Fatalf("step %d: Len = %d, want %d", step, tab.Len(), len(model))
		}
		for _, k := range keys {
			want, in := model[k]
			got, ok := tab.Get(k[0], k[1])
			if ok != in || got != want {
				t.Fatalf("step %d: Get(%q, %q) = %d, %v; want %d, %v", step, k[0], k[1], got, ok, want, in)
			}
		}
	}
}

func TestTablesAreValues(t *testing.T) {
	a := Build([][2]string{{"x", "y"}}, []int{1})
	b := a.With(MakeKey("x", "y"), 2)
	c := b.Without(MakeKey("x", "y"))
	if v, _ := a.Get("x", "y"); v != 1 {
		t.Errorf("With changed its receiver: %d", v)
	}
	if v, _ := b.Get("x", "y"); v != 2 {
		t.Errorf("Without changed its receiver: %d", v)
	}
	if _, ok := c.Get("x", "y"); ok {
		t.Errorf("Without kept the key")
	}
}

func BenchmarkLookup(b *testing.B) {
	keys := keysOf("uuids")
	tab := Build(keys, make([]int, len(keys)))
	m := map[[2]string]int{}
	for _, k := range keys {
		m[k] = 1
	}
	k := keys[len(keys)/2]
	b.Run("strtab", func(b *testing.B) {
		for b.Loop() {
			tab.Get(k[0], k[1])
		}
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			_ = m[k]
		}
	})
}

func TestShards(t *testing.T) {
	for _, name := range []string{"names", "middles", "uuids", "many"} {
		t.Run(name, func(t *testing.T) {
			keys := keysOf(name)
			var byShard [NumShards][][2]string
			var vals [NumShards][]int
			for i, k := range keys {
				key := MakeKey(k[0], k[1])
				n := Shard(&key)
				byShard[n] = append(byShard[n], k)
				vals[n] = append(vals[n], i)
			}
			var sh Shards[int]
			for n := range sh {
				if len(byShard[n]) > 0 {
					tab := Build(byShard[n], vals[n])
					sh[n] = &tab
				}
			}
			for i, k := range keys {
				if got, ok := sh.Get(k[0], k[1]); !ok || got != i {
					t.Fatalf("Get(%q, %q) = %d, %v; want %d", k[0], k[1], got, ok, i)
				}
				for _, miss := range nearMisses(k) {
					if contains(keys, miss) {
						continue
					}
					if got, ok := sh.Get(miss[0], miss[1]); ok {
						t.Fatalf("Get(%q, %q) = %d, want none", miss[0], miss[1], got)
					}
				}
			}
		})
	}
}
