// Command bench runs warden against its peers, side by side, on seeded workloads shaped like
// Infisical projects, and reports how fast each decides and how each grows with the policy.
//
// Usage:
//
//	go run ./bench [-full] [-sizes small,medium,large] [-engines warden,casbin,...] [-seed N] [-out DIR]
//
// The quick run (the default) runs the small and medium workloads and the large one with
// fewer checks and repetitions; -full runs every check of every size with more repetitions.
// The engines are warden's engine, the floor (one map lookup and one glob match per check:
// the work nobody can avoid), a naive CASL-style evaluator (a plain port: a linear scan over
// the identity's rules), casbin's enforcer and casbin's cached enforcer. warden always runs:
// it is the reference the other engines' decisions are compared with.
//
// Before timing, every engine's answer to every check it can express is compared with
// warden's; a disagreement stops the run and prints the check. Checks an engine cannot
// express faithfully (see the report's notes) are left out for that engine only and counted
// as skipped.
//
// The table goes to standard output, progress to standard error. With -out DIR, the run also
// writes DIR/results.md, DIR/results.json and DIR/chart.svg.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// config is the parsed command line.
type config struct {
	full    bool
	engines []string
	sizes   []string
	seed    uint64
	out     string
	policy  string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&c.full, "full", false, "run every size with every check and more repetitions (takes minutes)")
	engines := fs.String("engines", "", "comma-separated engines to run (default all: "+strings.Join(engineNames(), ",")+"); warden always runs")
	sizesFlag := fs.String("sizes", "", "comma-separated workload sizes (default all: small,medium,large)")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the workload generator")
	fs.StringVar(&c.out, "out", "", "directory to write results.md, results.json and chart.svg to")
	fs.StringVar(&c.policy, "policy", "", "a policy test file (engine/policytest) to time warden on instead of the generated workloads")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	c.engines = []string{"warden"}
	for _, e := range splitList(*engines, engineNames()) {
		if !slices.Contains(engineNames(), e) {
			return c, fmt.Errorf("-engines: unknown engine %q (want some of %s)", e, strings.Join(engineNames(), ","))
		}
		if !slices.Contains(c.engines, e) {
			c.engines = append(c.engines, e)
		}
	}
	var names []string
	for _, s := range sizes {
		names = append(names, s.name)
	}
	for _, s := range splitList(*sizesFlag, names) {
		if _, ok := sizeByName(s); !ok {
			return c, fmt.Errorf("-sizes: unknown size %q (want some of %s)", s, strings.Join(names, ","))
		}
		c.sizes = append(c.sizes, s)
	}
	return c, nil
}

func splitList(s string, all []string) []string {
	if strings.TrimSpace(s) == "" {
		return all
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func engineNames() []string {
	var out []string
	for _, e := range engineSpecs {
		out = append(out, e.name)
	}
	return out
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "bench:", err)
		return 2
	}
	start := time.Now()
	rep, err := runBench(ctx, c, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "bench:", err)
		return 1
	}
	rep.Elapsed = time.Since(start)
	md := rep.markdown()
	fmt.Fprint(stdout, md)
	if c.out != "" {
		if err := rep.write(c.out, md); err != nil {
			fmt.Fprintln(stderr, "bench:", err)
			return 1
		}
		fmt.Fprintf(stderr, "wrote %s, %s and %s\n", filepath.Join(c.out, "results.md"), filepath.Join(c.out, "results.json"), filepath.Join(c.out, "chart.svg"))
	}
	return 0
}

// timingFor returns how long to time engines on a workload.
func timingFor(spec sizeSpec, full bool) timingConfig {
	switch {
	case full:
		return timingConfig{reps: 11, budget: 150 * time.Millisecond, slowTotal: 5 * time.Minute}
	case spec.heavy > 0:
		return timingConfig{reps: 3, budget: 30 * time.Millisecond, slowTotal: 6 * time.Second}
	}
	return timingConfig{reps: 5, budget: 40 * time.Millisecond, slowTotal: 2 * time.Second}
}

// runBench runs the selected engines on the selected sizes.
func runBench(ctx context.Context, c config, log io.Writer) (*report, error) {
	rep := &report{Full: c.full, Seed: c.seed, Engines: c.engines, Skips: map[string]map[string]map[string]int{}}
	if c.policy != "" {
		rep.Engines = []string{"warden"}
		return rep, benchPolicy(c, rep, log)
	}
	for _, name := range c.sizes {
		spec, _ := sizeByName(name)
		if err := benchSize(ctx, c, spec, rep, log); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// disagreement is a check on which an engine and warden answer differently.
type disagreement struct {
	engine, detail string
}

func (d *disagreement) Error() string {
	return fmt.Sprintf("%s disagrees with warden; the run stops before timing.\n%s", d.engine, d.detail)
}

// benchSize generates one workload, loads each engine, compares its decisions with warden's
// and times it.
func benchSize(ctx context.Context, c config, spec sizeSpec, rep *report, log io.Writer) error {
	t0 := time.Now()
	w := generate(spec, c.seed, time.Now(), !c.full)
	fmt.Fprintf(log, "[%s] generated %d identities, %d custom roles, %d stored rules, %d checks (%d rules on %s/%s per check) in %.0f ms\n",
		w.Name, len(w.Identities), len(w.Roles), w.StoredRules(), len(w.Checks), w.Rules, w.Subject, w.Action, since(t0))
	t0 = time.Now()
	st, err := buildStore(ctx, w)
	if err != nil {
		return fmt.Errorf("%s: building the store: %w", w.Name, err)
	}
	fmt.Fprintf(log, "[%s] wrote the store in %.0f ms\n", w.Name, since(t0))
	env := &runEnv{w: w, st: st, loads: map[string]loadStat{}}
	cfg := timingFor(spec, c.full)

	var ref []bool // warden's answers
	var wa *wardenAdapter
	wardenTimes := map[string]timing{}
	all := make([]int, len(w.Checks))
	for i := range all {
		all[i] = i
	}
	for _, name := range c.engines {
		es := specByName(name)
		ls, reused := env.loads[es.shared]
		reused = reused && es.shared != ""
		var h0 uint64
		if es.holdsRules && !reused {
			h0 = heapInUse()
		}
		t0 := time.Now()
		a, err := es.load(ctx, env)
		if !reused {
			ls.ms = since(t0)
			if es.holdsRules {
				if h1 := heapInUse(); h1 > h0 {
					ls.bytes = h1 - h0
				}
			}
			if es.shared != "" {
				env.loads[es.shared] = ls
			}
		}
		if err != nil {
			return fmt.Errorf("%s: loading %s: %w", w.Name, name, err)
		}
		res := Result{Engine: name, Workload: w.Name, Rules: w.Rules, CompileMs: ls.ms, Identities: len(w.Identities),
			StoredRules: w.StoredRules(), TotalChecks: len(w.Checks)}
		if es.holdsRules {
			res.BytesPerRule = float64(ls.bytes) / float64(w.StoredRules())
		}
		if ca, ok := a.(*casbinAdapter); ok {
			res.PolicyLines = ca.lines
		}
		skips := a.skips()
		var subset []int
		for i, why := range skips {
			if why == "" {
				subset = append(subset, i)
				continue
			}
			res.Skipped++
			rep.skip(w.Name, name, why)
			res.SkipReasons = rep.Skips[w.Name][name]
		}
		var perCheck float64 // ns per check while comparing: lets measure skip its warm-up for slow engines
		if es.decides {
			f := a.prepare(subset)
			if d, ok := a.(decider); ok {
				f = d.decider(subset)
			}
			if name == "warden" {
				wa = a.(*wardenAdapter)
				ref = make([]bool, len(w.Checks))
			}
			tc := time.Now()
			got := decideAll(f, len(subset))
			if len(subset) > 0 {
				perCheck = float64(time.Since(tc).Nanoseconds()) * float64(runtime.GOMAXPROCS(0)) / float64(len(subset))
			}
			for j, i := range subset {
				if name == "warden" {
					ref[i] = got[j]
					continue
				}
				if got[j] != ref[i] {
					return &disagreement{engine: name, detail: explainCheck(w, i, got[j], ref[i], wa)}
				}
			}
		}
		fmt.Fprintf(log, "[%s] %s: loaded in %.0f ms, %d checks agree with warden, %d skipped; timing...\n", w.Name, name, ls.ms, len(subset), res.Skipped)
		t := measure(a.prepare(subset), len(subset), cfg, perCheck)
		res.setTiming(t)
		// warden's figure for the ratio: warden timed on exactly the checks this engine was
		// timed on (its unskipped ones, or the first of them a slow engine got through).
		timed := subset[:t.distinct]
		key := subsetKey(timed, len(w.Checks))
		if name == "warden" {
			wardenTimes[key] = t
		}
		if wt, ok := wardenTimes[key]; ok {
			res.WardenNs = wt.ns
		} else if wa != nil && len(timed) > 0 {
			wt := measure(wa.prepare(timed), len(timed), cfg, 0)
			wardenTimes[key] = wt
			res.WardenNs = wt.ns
		}
		if res.WardenNs > 0 {
			res.Ratio = res.NsPerCheck / res.WardenNs
		}
		rep.Results = append(rep.Results, res)
		fmt.Fprintf(log, "[%s] %s: %.1f ns/check, %.2f allocs/check\n", w.Name, name, res.NsPerCheck, res.AllocsPerCheck)
	}
	if wa != nil {
		wa.close()
	}
	return nil
}

// decideAll answers checks 0..n-1 with f for the comparison with warden, on as many
// goroutines as there are processors (every engine here is safe for concurrent checks; for
// casbin, SyncedEnforcer runs Enforce concurrently under a read lock). Nothing is timed here.
func decideAll(f func(int) bool, n int) []bool {
	out := make([]bool, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				j := int(next.Add(1) - 1)
				if j >= n {
					return
				}
				out[j] = f(j)
			}
		})
	}
	wg.Wait()
	return out
}

func specByName(name string) engineSpec {
	for _, e := range engineSpecs {
		if e.name == name {
			return e
		}
	}
	panic("unknown engine " + name)
}

// subsetKey names a subset of the checks, so warden is timed once per distinct subset.
func subsetKey(subset []int, total int) string {
	if len(subset) == total {
		return "all"
	}
	var b strings.Builder
	for _, i := range subset {
		fmt.Fprintf(&b, "%d,", i)
	}
	return b.String()
}

// explainCheck describes check i and both answers.
func explainCheck(w *Workload, i int, got, want bool, wa *wardenAdapter) string {
	c := &w.Checks[i]
	id := &w.Identities[c.Identity]
	var b strings.Builder
	fmt.Fprintf(&b, "check %d of workload %s (seed %d): identity %s (%s), %s on %s\n", i, w.Name, w.Seed, id.ID, id.Name, c.Action, c.Subject)
	res, _ := c.Resource.MarshalJSON()
	fmt.Fprintf(&b, "  resource: %s\n", res)
	fmt.Fprintf(&b, "  engine: %t, warden: %t (generator's reference: %s)\n", got, want, c.Kind)
	if wa != nil {
		d := wa.decide(i)
		if d.HasRule {
			fmt.Fprintf(&b, "  warden's deciding rule: %s from %s\n", d.Rule, d.Source)
		}
		if d.Err != nil {
			fmt.Fprintf(&b, "  warden's error: %v\n", d.Err)
		}
	}
	fmt.Fprintf(&b, "  the identity's rules for %s/%s at %s:\n", c.Subject, c.Action, w.Now.Format(time.RFC3339))
	for _, a := range assemble(w, id, w.Now) {
		if applies(a.rule.Actions, a.rule.Subjects, c.Action, c.Subject) {
			fmt.Fprintf(&b, "    %s (from %q)\n", a.rule, a.role)
		}
	}
	return b.String()
}
