package glob

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// engineAnswers runs every matcher a Pattern has on path: the fast matcher (if it has one
// and it decides), the DFA, and the state-set simulation. -1 means "no answer".
func engineAnswers(p *Pattern, path string) (fast, dfaAns, sim int) {
	fast, dfaAns, sim = -1, -1, -1
	if p.never || p.auto == nil {
		return
	}
	lt := p.negated && hasLineTerminator(path) // a negated pattern never matches these
	b := func(m bool) int {
		if m != p.negated && !lt {
			return 1
		}
		return 0
	}
	if p.fast != nil {
		if m, ok := p.fast.match(path); ok {
			fast = b(m)
		}
	}
	s := newScratch(p.auto)
	s.in = appendUnits(nil, path)
	if p.auto.classes != nil {
		// matchUnits prefers the DFA.
		dfaAns = b(p.auto.matchUnits(s))
	}
	s2 := newScratch(p.auto)
	s2.in = appendUnits(nil, path)
	if len(p.auto.looks) > 0 {
		s2.words = (len(s2.in) + 64) / 64
		s2.lookBits = make([]uint64, s2.words*len(p.auto.looks))
	}
	// The simulation, with lookarounds answered by simulation passes too.
	p.auto.classesOff(func() { sim = b(p.auto.search(s2, p.auto.main, 0)) })
	return
}

// pathVariants derives paths from a corpus path that stress segment boundaries.
func pathVariants(r *rand.Rand, path string) []string {
	out := []string{path, path + "/", path + "//", "/" + path, path + "/.x", path + "/x", strings.ToUpper(path)}
	for k := 0; k < 4; k++ {
		b := []byte(path)
		if len(b) == 0 {
			break
		}
		i := r.IntN(len(b))
		switch r.IntN(5) {
		case 0:
			b = append(b[:i:i], append([]byte{"/.ax*"[r.IntN(5)]}, b[i:]...)...)
		case 1:
			b = append(b[:i:i], b[i+1:]...)
		case 2:
			b[i] = "ab/.-x"[r.IntN(6)]
		case 3:
			b = append(b[:i:i], append([]byte("é"), b[i:]...)...)
		case 4:
			b = append(b[:i:i], append([]byte("\n"), b[i:]...)...)
		}
		out = append(out, string(b))
	}
	return out
}

func TestEnginesAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	checked, fastUsed := 0, 0
	for _, file := range corpusFiles {
		for _, c := range loadCorpus(t, file) {
			p, err := Compile(c.Pattern)
			if err != nil || len(c.Pattern) > 300 || p.never {
				continue
			}
			for _, path := range pathVariants(r, c.Path) {
				key := c.Pattern + "\x00" + path
				if path == "" || seen[key] {
					continue
				}
				seen[key] = true
				f, d, s := engineAnswers(p, path)
				checked++
				if f >= 0 {
					fastUsed++
				}
				if s < 0 || (f >= 0 && f != s) || (d >= 0 && d != s) {
					t.Errorf("pattern %s, path %s: fast %d, dfa %d, simulation %d", short(c.Pattern), short(path), f, d, s)
				}
			}
		}
	}
	t.Logf("%d pairs checked, fast matcher decided %d", checked, fastUsed)
}

// classesOff runs f with the DFA disabled (tests use it to compare the two matchers).
func (a *automaton) classesOff(f func()) {
	c := a.classes
	a.classes = nil
	defer func() { a.classes = c }()
	f()
}
