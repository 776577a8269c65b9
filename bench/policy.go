package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"time"

	"github.com/wardenhq/warden/engine/policytest"
)

// benchPolicy times warden on the checks of a policy test file (engine/policytest) instead of
// a generated workload: the user's own roles, memberships and questions. Only warden runs:
// the peers would need the file translated into their own terms, which is what the generated
// workloads do. The checks are first asked once and compared with the file's expectations; a
// failing check stops the run, as a disagreement between engines does.
//
// Checks asked at different instants are timed in groups of one instant each (a check at
// another instant may make the engine recompile an identity, which is not the cost of a
// check); the figure is the mean over the groups weighted by their checks.
func benchPolicy(c config, rep *report, log io.Writer) error {
	f, err := policytest.Load(c.policy)
	if err != nil {
		return err
	}
	t0 := time.Now()
	s, err := f.Open()
	if err != nil {
		return err
	}
	defer s.Close()
	qs := make([]policytest.Question, len(f.Checks))
	for i := range qs {
		if qs[i], err = s.Question(i); err != nil {
			return fmt.Errorf("%s: checks[%d]: %w", c.policy, i, err)
		}
	}
	e := s.Engine()
	for i, q := range qs {
		s.SetTime(q.At)
		if got := e.Can(q.Who, q.Action, q.Subject, q.Resource); got != q.Expect {
			return fmt.Errorf("%s: checks[%d] expects %t, warden answers %t: fix the file before timing it (warden test %s)", c.policy, i, q.Expect, got, c.policy)
		}
	}
	load := since(t0)
	groups := map[time.Time][]int{}
	var instants []time.Time
	for i, q := range qs {
		if _, ok := groups[q.At]; !ok {
			instants = append(instants, q.At)
		}
		groups[q.At] = append(groups[q.At], i)
	}
	slices.SortFunc(instants, func(a, b time.Time) int { return a.Compare(b) })
	res := Result{Engine: "warden", Workload: filepath.Base(c.policy), CompileMs: load, TotalChecks: len(qs)}
	cfg := timingConfig{reps: 5, budget: 40 * time.Millisecond, slowTotal: 2 * time.Second}
	if c.full {
		cfg = timingConfig{reps: 11, budget: 150 * time.Millisecond, slowTotal: time.Minute}
	}
	var ns, allocs float64
	for _, at := range instants {
		idx := groups[at]
		s.SetTime(at)
		t := measure(func(j int) bool {
			q := &qs[idx[j]]
			return e.Can(q.Who, q.Action, q.Subject, q.Resource)
		}, len(idx), cfg, 0)
		w := float64(len(idx)) / float64(len(qs))
		ns += t.ns * w
		allocs += t.allocs * w
		res.Checks += t.checks
		res.Reps = t.reps
		res.NsMin = minNonZero(res.NsMin, t.min)
		res.NsMax = max(res.NsMax, t.max)
	}
	res.NsPerCheck, res.AllocsPerCheck, res.Distinct = ns, allocs, len(qs)
	fmt.Fprintf(log, "[%s] %d checks at %d instants, loaded in %.0f ms\n", res.Workload, len(qs), len(instants), load)
	rep.Results = append(rep.Results, res)
	return nil
}

func minNonZero(a, b float64) float64 {
	if a == 0 || b < a {
		return b
	}
	return a
}
