package engine

import (
	"math"
	"testing"
	"time"
)

// TestCoarseNowBoundsTheTime checks that coarseNow's reading lo satisfies the promise the
// check path relies on: the instant is in [lo, lo+coarseWidth).
func TestCoarseNowBoundsTheTime(t *testing.T) {
	for i := 0; i < 1000; i++ {
		t0 := time.Now().UnixNano()
		lo, ok := coarseNow()
		t1 := time.Now().UnixNano()
		if !ok {
			t.Skip("no coarse clock on this system")
		}
		if lo > t1 || lo+coarseWidth <= t0 {
			t.Fatalf("coarseNow = %d, outside the reading's possible span: time.Now said %d before and %d after", lo, t0, t1)
		}
	}
}

func TestValidAround(t *testing.T) {
	in := &inputs{}
	a := &ability{in: in, fromNs: 1_000_000, untilNs: 2_000_000}
	for _, c := range []struct {
		lo   int64
		want bool
	}{
		{999_999, false},   // may be before from
		{1_000_000, true},  // from itself
		{1_998_999, true},  // [lo, lo+1000) ends 1 ns before until
		{1_999_000, true},  // ends at until, exclusive
		{1_999_001, false}, // may reach until
		{2_000_000, false},
	} {
		if got := a.validAround(in, c.lo, 1000); got != c.want {
			t.Errorf("validAround(%d) = %v, want %v", c.lo, got, c.want)
		}
	}
	if a.validAround(&inputs{}, 1_500_000, 1000) {
		t.Error("valid for other inputs")
	}
	far := &ability{in: in, fromNs: 0, untilNs: math.MaxInt64}
	if !far.validAround(in, time.Now().UnixNano(), 1000) {
		t.Error("an ability with no end is not valid now")
	}
	if got := unixNano(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); got != math.MaxInt64 {
		t.Errorf("unixNano(9999) = %d, want MaxInt64", got)
	}
	if got := unixNano(time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)); got != math.MinInt64 {
		t.Errorf("unixNano(1000) = %d, want MinInt64", got)
	}
}

// TestDefaultClockWindows checks temporary grants against the real clock, through the
// check path's coarse reading.
func TestDefaultClockWindows(t *testing.T) {
	f := newFixture(t)
	role := f.role("reader", `[{"action":"readValue","subject":"secrets"}]`)
	now := time.Now()
	active, ended, future := f.identity("active"), f.identity("ended"), f.identity("future")
	f.member(active, builtin("no-access"), temporary(custom(role), now.Add(-time.Hour), "2h"))
	f.member(ended, builtin("no-access"), temporary(custom(role), now.Add(-2*time.Hour), "1h"))
	f.member(future, builtin("no-access"), temporary(custom(role), now.Add(time.Hour), "1h"))
	e, err := New(f.ctx, f.st)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	r := secret("dev", "/", "K")
	for range 3 { // compiled on the first check, then served through the coarse clock
		if !e.Can(active, "readValue", "secrets", r) {
			t.Error("a grant active now denied")
		}
		if e.Can(ended, "readValue", "secrets", r) || e.Can(future, "readValue", "secrets", r) {
			t.Error("a grant outside its window allowed")
		}
	}
}
