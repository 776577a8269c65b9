package memstore

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestTree checks the persistent treap against a map, and that old versions never change.
func TestTree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var tr tree[int]
	want := map[string]int{}
	type version struct {
		t tree[int]
		m map[string]int
	}
	var versions []version
	for i := range 5000 {
		k := fmt.Sprintf("k%d/%d", rng.IntN(20), rng.IntN(40))
		if rng.IntN(3) == 0 {
			tr = tr.Delete(k)
			delete(want, k)
		} else {
			tr = tr.Set(k, i)
			want[k] = i
		}
		if i%250 == 0 {
			m := make(map[string]int, len(want))
			for k, v := range want {
				m[k] = v
			}
			versions = append(versions, version{tr, m})
		}
	}
	versions = append(versions, version{tr, want})
	for vi, v := range versions {
		checkTree(t, fmt.Sprintf("version %d", vi), v.t, v.m)
	}
}

func checkTree(t *testing.T, name string, tr tree[int], want map[string]int) {
	t.Helper()
	if tr.Len() != len(want) {
		t.Errorf("%s: Len() = %d, want %d", name, tr.Len(), len(want))
	}
	for k, v := range want {
		if got, ok := tr.Get(k); !ok || got != v {
			t.Errorf("%s: Get(%q) = %d, %t, want %d, true", name, k, got, ok, v)
		}
	}
	for _, prefix := range []string{"", "k1", "k1/", "k19/", "k3/7", "zz", "k"} {
		var got, exp []string
		tr.Ascend(prefix, func(k string, v int) bool {
			got = append(got, k)
			return true
		})
		for k := range want {
			if strings.HasPrefix(k, prefix) {
				exp = append(exp, k)
			}
		}
		slices.Sort(exp)
		if !slices.Equal(got, exp) {
			t.Errorf("%s: Ascend(%q) = %v, want %v", name, prefix, got, exp)
		}
	}
	// Early stop.
	n := 0
	tr.Ascend("", func(string, int) bool { n++; return n < 3 })
	if len(want) >= 3 && n != 3 {
		t.Errorf("%s: Ascend stopped after %d calls, want 3", name, n)
	}
}
