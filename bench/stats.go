package main

import (
	"math"
	"runtime"
	"slices"
	"time"
)

// sink keeps the timed loops' results alive, so the compiler cannot drop the calls.
var sink int

// timingConfig says how long to time one engine on one workload.
type timingConfig struct {
	reps   int           // timed repetitions for a fast engine
	budget time.Duration // the target duration of one repetition
	// slowTotal bounds the single timed pass of an engine too slow for a whole pass per
	// repetition: it is timed on as many of the checks as fit (all, usually).
	slowTotal time.Duration
}

// timing is the result of timing one engine on a set of checks.
type timing struct {
	// ns is the cost of one check: the median repetition for a fast engine, or, for a slow
	// one, the mean over one pass in which every check is timed once.
	ns float64
	// min and max are the fastest and slowest repetition, or for a slow engine the fastest
	// and slowest single check.
	min, max float64
	allocs   float64 // heap allocations per check, over every timed check
	perRep   int     // checks in one repetition
	reps     int
	checks   int  // checks timed in total
	distinct int  // different checks timed: the first distinct of the set
	mean     bool // ns is the mean of a single pass, not a median repetition
}

// runChecks answers count checks with f, cycling through 0..n-1, and returns how many were
// allowed.
func runChecks(f func(int) bool, n, count int) (hits int) {
	for j := 0; count > 0; count-- {
		if f(j) {
			hits++
		}
		if j++; j == n {
			j = 0
		}
	}
	return hits
}

// measure times f over checks 0..n-1, sequentially on this goroutine.
//
// It first estimates the cost of a check: estimate (ns, from the comparison with warden,
// which has just run every check) when that says the engine is far too slow for a warm-up
// pass, else a warm-up pass over the checks (cut short at the budget). A fast engine, one
// whose pass over the checks fits in the budget, then runs cfg.reps repetitions of whole
// passes sized to the budget, and the median repetition is reported. A slow one runs one
// pass in which each check is timed on its own (until slowTotal is spent: all of them
// unless the engine takes many milliseconds per check), and the mean is reported: its
// checks vary too much in cost (casbin answers a denial early and has to read every policy
// line for anything else) for a partial repetition to stand for the mix.
//
// It does not collect garbage first: the load just before was measured after a collection,
// and on the large workload a collection costs about a second. Allocations are counted with
// runtime.MemStats around the timed checks (read outside the timed spans).
func measure(f func(int) bool, n int, cfg timingConfig, estimate float64) timing {
	if n == 0 {
		return timing{}
	}
	budget := float64(cfg.budget.Nanoseconds())
	per := estimate
	if per < 10*budget { // not clearly too slow for a warm-up: do one, it measures better
		start := time.Now()
		done := 0
		for done < n && (done == 0 || time.Since(start) < cfg.budget) {
			if f(done) {
				sink++
			}
			done++
		}
		per = float64(time.Since(start).Nanoseconds()) / float64(done)
	}
	per = max(per, 1)
	var m0, m1 runtime.MemStats
	if pass := per * float64(n); pass > budget {
		t := timing{mean: true, reps: 1, min: math.Inf(1)}
		var total time.Duration
		runtime.ReadMemStats(&m0)
		k := 0
		for k < n && (k == 0 || total < cfg.slowTotal) {
			t0 := time.Now()
			ok := f(k)
			d := time.Since(t0)
			if ok {
				sink++
			}
			total += d
			t.min, t.max = min(t.min, float64(d.Nanoseconds())), max(t.max, float64(d.Nanoseconds()))
			k++
		}
		runtime.ReadMemStats(&m1)
		t.perRep, t.checks, t.distinct = k, k, k
		t.ns = float64(total.Nanoseconds()) / float64(k)
		t.allocs = float64(m1.Mallocs-m0.Mallocs) / float64(k)
		return t
	}
	t := timing{reps: cfg.reps, perRep: n * max(1, int(budget/(per*float64(n))))}
	samples := make([]float64, t.reps)
	runtime.ReadMemStats(&m0)
	for r := range samples {
		t0 := time.Now()
		hits := runChecks(f, n, t.perRep)
		samples[r] = float64(time.Since(t0).Nanoseconds()) / float64(t.perRep)
		sink += hits
	}
	runtime.ReadMemStats(&m1)
	t.checks = t.perRep * t.reps
	t.distinct = n
	t.allocs = float64(m1.Mallocs-m0.Mallocs) / float64(t.checks)
	slices.Sort(samples)
	t.ns, t.min, t.max = median(samples), samples[0], samples[len(samples)-1]
	return t
}

// median returns the median of sorted samples.
func median(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// heapInUse returns the live heap after a full collection. A second collection empties the
// sync.Pools (their victim caches survive one), whose scratch buffers would otherwise come
// and go between two measurements; it is skipped above 1 GiB, where a collection takes
// about a second and the pools are noise.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if m.HeapAlloc < 1<<30 {
		runtime.GC()
		runtime.ReadMemStats(&m)
	}
	return m.HeapAlloc
}
