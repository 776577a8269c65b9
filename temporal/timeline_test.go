package temporal

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// activeAt is the brute-force truth for one grant, written from the rules
// and not from Grant.Window.
func activeAt(g Grant, t time.Time) bool {
	if !g.Temporary {
		return true
	}
	if g.End.IsZero() {
		return false // unknown end: never active
	}
	if !g.Start.IsZero() && t.Before(g.Start) {
		return false
	}
	return t.Before(g.End)
}

func bruteActive(grants []Grant, t time.Time) []int {
	var out []int
	for i, g := range grants {
		if activeAt(g, t) {
			out = append(out, i)
		}
	}
	return out
}

// candidates returns every non-zero Start and End of grants, sorted and
// without duplicate instants, including those of grants never active.
func candidates(grants []Grant) []time.Time {
	var cs []time.Time
	for _, g := range grants {
		for _, c := range []time.Time{g.Start, g.End} {
			if !c.IsZero() {
				cs = append(cs, c)
			}
		}
	}
	slices.SortFunc(cs, time.Time.Compare)
	return slices.CompactFunc(cs, time.Time.Equal)
}

// bruteNext scans every candidate after t for one where the active set
// differs from the set at t.
func bruteNext(grants []Grant, cands []time.Time, t time.Time) (time.Time, bool) {
	now := bruteActive(grants, t)
	for _, c := range cands {
		if c.After(t) && !slices.Equal(bruteActive(grants, c), now) {
			return c, true
		}
	}
	return time.Time{}, false
}

// checkTimeline compares Merge(grants) with the brute force at every
// candidate, one nanosecond before and after it, and at the extra probes.
func checkTimeline(t testing.TB, grants []Grant, extra ...time.Time) {
	t.Helper()
	tl := Merge(grants)
	if tl.Len() != len(grants) {
		t.Fatalf("Merge(%d grants).Len() = %d", len(grants), tl.Len())
	}
	cands := candidates(grants)
	probes := append([]time.Time{
		{},
		time.Date(-1000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(30000, 1, 1, 0, 0, 0, 0, time.UTC),
	}, extra...)
	for _, c := range cands {
		probes = append(probes, c.Add(-time.Nanosecond), c, c.Add(time.Nanosecond))
	}
	dst := []int{-1}
	for _, p := range probes {
		want := bruteActive(grants, p)
		if got := tl.Active(p); !slices.Equal(got, want) {
			t.Fatalf("Merge(%s).Active(%v) = %v, want %v", dumpGrants(grants), p, got, want)
		}
		dst = tl.AppendActive(dst[:1], p)
		if dst[0] != -1 || !slices.Equal(dst[1:], want) {
			t.Fatalf("Merge(%s).AppendActive([-1], %v) = %v, want [-1 %v]", dumpGrants(grants), p, dst, want)
		}
		wantNext, wantOK := bruteNext(grants, cands, p)
		gotNext, gotOK := tl.NextChange(p)
		if gotOK != wantOK || !gotNext.Equal(wantNext) {
			t.Fatalf("Merge(%s).NextChange(%v) = %v, %t; want %v, %t",
				dumpGrants(grants), p, gotNext, gotOK, wantNext, wantOK)
		}
	}
}

func dumpGrants(grants []Grant) string {
	if len(grants) > 20 {
		return fmt.Sprintf("%d grants", len(grants))
	}
	var b strings.Builder
	for i, g := range grants {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%d: %v", i, g)
	}
	return b.String()
}

// grantGen generates grants whose instants collide often: a dozen
// minutes, their one-nanosecond neighbours, zero, instants outside
// UnixNano's range, and several locations for the same instant.
type grantGen struct {
	r     *rand.Rand
	locs  []*time.Location
	slots int // distinct minutes to choose from
}

func newGrantGen(seed uint64) *grantGen {
	return &grantGen{
		r:     rand.New(rand.NewPCG(seed, 0x7e3b)),
		locs:  []*time.Location{time.UTC, time.FixedZone("UTC+2", 7200), time.FixedZone("UTC-5:30", -19800)},
		slots: 12,
	}
}

func (g *grantGen) instant() time.Time {
	switch g.r.IntN(24) {
	case 0, 1:
		return time.Time{}
	case 2:
		return time.Date(2600, 1, 1, 0, 0, 0, 0, time.UTC)
	case 3:
		return time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	t := nine.Add(time.Duration(g.r.IntN(g.slots)) * time.Minute)
	if g.r.IntN(4) == 0 {
		t = t.Add(time.Duration(g.r.IntN(3) - 1))
	}
	return t.In(g.locs[g.r.IntN(len(g.locs))])
}

func (g *grantGen) grant() Grant {
	start, end := g.instant(), g.instant()
	switch g.r.IntN(8) {
	case 0:
		return Grant{Start: start, End: end} // permanent: times ignored
	case 1:
		return Grant{Temporary: true, Start: start, End: start} // zero length
	case 2:
		if start.After(end) {
			start, end = end, start
		}
	}
	return Grant{Temporary: true, Start: start, End: end}
}

func (g *grantGen) grants(n int) []Grant {
	out := make([]Grant, n)
	for i := range out {
		out[i] = g.grant()
	}
	return out
}

func TestMergeBruteForce(t *testing.T) {
	for seed := range uint64(400) {
		g := newGrantGen(seed)
		checkTimeline(t, g.grants(g.r.IntN(40)))
	}
	// Several bitset words and checkpoints; more than stackWords words.
	for _, n := range []int{64, 65, 130, 300, 1100} {
		g := newGrantGen(uint64(n))
		checkTimeline(t, g.grants(n))
		g.slots = 2 * n // mostly distinct boundaries
		checkTimeline(t, g.grants(n))
	}
}

func TestMergeSharedBoundaries(t *testing.T) {
	// Many grants flipping at one instant force a checkpoint after it; the
	// segments around it must still be right.
	var grants []Grant
	for i := range 200 {
		start := nine.Add(time.Duration(i%7) * time.Minute)
		grants = append(grants, Grant{Temporary: true, Start: start, End: ten})
		if i%3 == 0 {
			grants = append(grants, Grant{})
		}
	}
	checkTimeline(t, grants)
}

// dumpTimeline walks tl with NextChange from t, printing each instant at
// which the active set changes and the set from then on.
func dumpTimeline(tl *Timeline, t time.Time) string {
	var b strings.Builder
	fmt.Fprint(&b, tl.Active(t))
	for {
		next, ok := tl.NextChange(t)
		if !ok {
			return b.String()
		}
		fmt.Fprintf(&b, " %s %v", next.Format("15:04"), tl.Active(next))
		t = next
	}
}

func TestMergeDump(t *testing.T) {
	at := func(hhmm string) time.Time {
		t, err := time.Parse("2006-01-02 15:04", "2024-01-01 "+hhmm)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		grants []Grant
		want   string
	}{
		{nil, "[]"},
		{[]Grant{{}}, "[0]"},
		{[]Grant{{Temporary: true}}, "[]"},
		{
			[]Grant{
				{}, // permanent
				{Temporary: true, Start: at("09:00"), End: at("10:00")},
				{Temporary: true, End: at("09:30")},                     // no start: since always
				{Temporary: true, Start: at("09:30"), End: at("11:00")}, // starts as 2 ends
				{Temporary: true, Start: at("08:00")},                   // unknown end: never
				{Temporary: true, Start: at("10:00"), End: at("10:00")}, // zero length: never
				{Temporary: true, Start: at("10:00"), End: at("12:00")}, // starts as 1 ends
				{Temporary: true, Start: at("11:00"), End: at("10:00")}, // ends before it starts
				{Temporary: true, Start: at("11:00").In(time.FixedZone("UTC+1", 3600)), End: at("11:00")},
			},
			"[0 2] 09:00 [0 1 2] 09:30 [0 1 3] 10:00 [0 3 6] 11:00 [0 6] 12:00 [0]",
		},
	}
	for _, tt := range tests {
		if got := dumpTimeline(Merge(tt.grants), time.Time{}); got != tt.want {
			t.Errorf("dump(Merge(%s)) = %q, want %q", dumpGrants(tt.grants), got, tt.want)
		}
	}
}

func TestMergeMonotonic(t *testing.T) {
	// Times carrying a monotonic reading compare by their wall clock.
	now := time.Now()
	grants := []Grant{{Temporary: true, Start: now, End: now.Add(time.Hour)}}
	tl := Merge(grants)
	for _, tt := range []struct {
		t    time.Time
		want int
	}{
		{now.Add(-1), 0}, {now, 1}, {now.Round(0), 1}, {now.Add(time.Hour - 1), 1}, {now.Add(time.Hour), 0},
	} {
		if got := len(tl.Active(tt.t)); got != tt.want {
			t.Errorf("len(Merge(%s).Active(%v)) = %d, want %d", dumpGrants(grants), tt.t, got, tt.want)
		}
	}
	next, ok := tl.NextChange(now)
	if !ok || !next.Equal(now.Add(time.Hour)) || next.Location() != time.UTC {
		t.Errorf("NextChange(%v) = %v, %t; want %v in UTC", now, next, ok, now.Add(time.Hour).UTC())
	}
}

func TestZeroTimeline(t *testing.T) {
	var tl Timeline
	if got := tl.Active(nine); got != nil {
		t.Errorf("Timeline{}.Active(%v) = %v, want nil", nine, got)
	}
	if next, ok := tl.NextChange(nine); ok {
		t.Errorf("Timeline{}.NextChange(%v) = %v, true; want false", nine, next)
	}
	if tl.Len() != 0 {
		t.Errorf("Timeline{}.Len() = %d, want 0", tl.Len())
	}
}

func TestMergeDoesNotRetain(t *testing.T) {
	grants := []Grant{{Temporary: true, Start: nine, End: ten}}
	tl := Merge(grants)
	grants[0] = Grant{}
	if got := tl.Active(ten); len(got) != 0 {
		t.Errorf("after changing the input, Active(%v) = %v, want []", ten, got)
	}
}

func TestAppendActiveAllocs(t *testing.T) {
	for _, n := range []int{5, 100, 1000, 3000} {
		if n > 64*stackWords && raceEnabled {
			continue // the scratch comes from a sync.Pool
		}
		tl := Merge(newGrantGen(uint64(n)).grants(n))
		dst := make([]int, 0, n)
		probes := []time.Time{nine, nine.Add(90 * time.Second), nine.Add(5 * time.Minute), ten}
		allocs := testing.AllocsPerRun(100, func() {
			for _, p := range probes {
				dst = tl.AppendActive(dst[:0], p)
				_, _ = tl.NextChange(p)
			}
		})
		if allocs != 0 {
			t.Errorf("%d grants: AppendActive and NextChange allocate %v times per run, want 0", n, allocs)
		}
	}
}

// TestMergeLinear checks the bounds the Timeline documentation promises:
// checkpoints take fewer than words + 2n words, and no query replays more
// than max(words, 1) flips.
func TestMergeLinear(t *testing.T) {
	for _, n := range []int{1, 10, 64, 1000, 10000} {
		for _, slots := range []int{12, 2*n + 2} {
			g := newGrantGen(uint64(n))
			g.slots = slots
			tl := Merge(g.grants(n))
			if limit := tl.words + 2*n; len(tl.sets) >= limit {
				t.Errorf("%d grants, %d slots: %d checkpoint words, want < %d", n, slots, len(tl.sets), limit)
			}
			stride := max(tl.words, 1)
			for s := range tl.ck {
				c := tl.ck[s]
				if replay := int(tl.flipAt[s] - tl.flipAt[tl.from[c]]); replay > stride {
					t.Fatalf("%d grants, %d slots: segment %d replays %d flips, want <= %d", n, slots, s, replay, stride)
				}
			}
		}
	}
}
