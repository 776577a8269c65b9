package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wardenhq/warden/glob"
)

// smallEnv generates the small workload and its store.
func smallEnv(t *testing.T) *runEnv {
	t.Helper()
	spec, _ := sizeByName("small")
	w := generate(spec, 1, time.Now(), true)
	st, err := buildStore(context.Background(), w)
	if err != nil {
		t.Fatalf("buildStore: %v", err)
	}
	return &runEnv{w: w, st: st, loads: map[string]loadStat{}}
}

func answers(a adapter, subset []int) []bool {
	f := a.prepare(subset)
	out := make([]bool, len(subset))
	for j := range subset {
		out[j] = f(j)
	}
	return out
}

func allChecks(w *Workload) []int {
	s := make([]int, len(w.Checks))
	for i := range s {
		s[i] = i
	}
	return s
}

// TestSmallDecisionsAgree checks that warden, the naive evaluator and casbin (on the checks it
// can express) decide the small workload alike, and that the workload has the intended mix.
func TestSmallDecisionsAgree(t *testing.T) {
	env := smallEnv(t)
	w := env.w
	kinds := map[CheckKind]int{}
	for _, c := range w.Checks {
		kinds[c.Kind]++
	}
	for _, k := range []CheckKind{Hit, Miss, Deny, Error} {
		if kinds[k] == 0 {
			t.Errorf("the small workload has no %s checks (kinds: %v)", k, kinds)
		}
	}

	wa, err := loadWarden(context.Background(), env)
	if err != nil {
		t.Fatalf("loadWarden: %v", err)
	}
	defer wa.close()
	all := allChecks(w)
	want := answers(wa, all)
	for i, c := range w.Checks {
		if want[i] != (c.Kind == Hit) {
			t.Errorf("check %d: warden says %t, the generator's reference says %s", i, want[i], c.Kind)
		}
	}

	na := loadNaive(w)
	if sk := na.skips(); slices.ContainsFunc(sk, func(s string) bool { return s != "" }) {
		t.Errorf("the naive evaluator skips checks of the small workload: %q", sk)
	}
	for i, got := range answers(na, all) {
		if got != want[i] {
			t.Errorf("check %d: naive = %t, warden = %t\n%s", i, got, want[i], explainCheck(w, i, got, want[i], wa))
		}
	}

	for _, cached := range []bool{false, true} {
		a, err := env.casbinRow(cached)
		if err != nil {
			t.Fatalf("casbin: %v", err)
		}
		var subset []int
		for i, why := range a.skips() {
			if strings.Contains(why, "disagrees") {
				t.Errorf("check %d: %s: a pattern in the casbin subset is not", i, why)
			}
			if why == "" {
				subset = append(subset, i)
			}
		}
		if len(subset) < len(w.Checks)/4 {
			t.Errorf("casbin (cached %t) expresses only %d of %d checks", cached, len(subset), len(w.Checks))
		}
		for j, got := range answers(a, subset) {
			if i := subset[j]; got != want[i] {
				t.Errorf("check %d: casbin (cached %t) = %t, warden = %t\n%s", i, cached, got, want[i], explainCheck(w, i, got, want[i], wa))
			}
		}
	}
}

// TestGenerateIsDeterministic checks that a seed gives the same workload.
func TestGenerateIsDeterministic(t *testing.T) {
	spec, _ := sizeByName("small")
	now := time.Now()
	a, b := generate(spec, 7, now, true), generate(spec, 7, now, true)
	if len(a.Checks) != len(b.Checks) || a.StoredRules() != b.StoredRules() {
		t.Fatalf("two generations differ: %d/%d checks, %d/%d rules", len(a.Checks), len(b.Checks), a.StoredRules(), b.StoredRules())
	}
	for i := range a.Checks {
		ra, _ := a.Checks[i].Resource.MarshalJSON()
		rb, _ := b.Checks[i].Resource.MarshalJSON()
		if a.Checks[i].Identity != b.Checks[i].Identity || !bytes.Equal(ra, rb) {
			t.Fatalf("check %d differs: %s vs %s", i, ra, rb)
		}
	}
}

// TestRunWritesResults runs the small size through the command and checks its outputs.
func TestRunWritesResults(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-sizes", "small", "-out", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("run = %d, want 0; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "| small | warden |") {
		t.Errorf("stdout has no warden row for small:\n%s", stdout.String())
	}
	data, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	var engines []string
	for _, r := range rows {
		for _, f := range []string{"engine", "workload", "rules", "ns_per_check", "allocs_per_check", "bytes_per_rule", "compile_ms", "checks", "skipped"} {
			if _, ok := r[f]; !ok {
				t.Errorf("results.json row %v has no %q", r, f)
			}
		}
		engines = append(engines, r["engine"].(string))
		if r["workload"] != "small" {
			t.Errorf("row workload = %v, want small", r["workload"])
		}
		if ns, _ := r["ns_per_check"].(float64); ns <= 0 {
			t.Errorf("%v: ns_per_check = %v, want > 0", r["engine"], r["ns_per_check"])
		}
		if n, _ := r["checks"].(float64); n <= 0 {
			t.Errorf("%v: checks = %v, want > 0", r["engine"], r["checks"])
		}
	}
	if want := engineNames(); !slices.Equal(engines, want) {
		t.Errorf("engines in results.json = %v, want %v", engines, want)
	}
	if md, err := os.ReadFile(filepath.Join(dir, "results.md")); err != nil || !bytes.Equal(md, stdout.Bytes()) {
		t.Errorf("results.md differs from stdout (err %v)", err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "chart.svg"))
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("chart.svg is not well-formed XML: %v", err)
		}
	}
	if !bytes.Contains(svg, []byte("<polyline")) {
		t.Error("chart.svg draws no line")
	}
}

func TestFlags(t *testing.T) {
	if _, err := parseFlags([]string{"-engines", "opa"}, io.Discard); err == nil {
		t.Error("-engines opa: no error")
	}
	c, err := parseFlags([]string{"-engines", "casbin", "-sizes", "medium"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.engines, []string{"warden", "casbin"}) || !slices.Equal(c.sizes, []string{"medium"}) {
		t.Errorf("engines %v, sizes %v; want [warden casbin], [medium]", c.engines, c.sizes)
	}
}

func TestGlobSubsetAgrees(t *testing.T) {
	// Patterns of the shapes the casbin subset admits, against values without dot segments.
	patterns := []string{"/**", "/app-1/**", "/app-1/*/db", "/{app-1,shared}/**", "/app-1/config/**", "ROOT_*", "PUBLIC_*", "/{team-1,shared}/svc-2/**"}
	values := []string{"/", "/app-1", "/app-1/db", "/app-1/x/db", "/app-1/x/y/db", "/shared", "/shared/x", "/app-10/db", "/app-1/config", "ROOT_TOKEN", "ROOT_", "PUBLIC_URL", "/team-1/svc-2", "/shared/svc-2/db"}
	v := &verifier{pairs: map[[2]string]bool{}, patterns: map[string]*glob.Pattern{}}
	for _, p := range patterns {
		if why := globSubset(p); why != "" {
			t.Errorf("globSubset(%q) = %q, want it in the subset", p, why)
			continue
		}
		for _, s := range values {
			if !v.agree(p, s) {
				t.Errorf("casbin's globMatch and picomatch disagree on pattern %q, value %q", p, s)
			}
		}
	}
	for _, p := range []string{"!/app/**", "/app/@(db|cache)", "/a/[!b]/c", "/a?/x", "/.env/**"} {
		if globSubset(p) == "" {
			t.Errorf("globSubset(%q) = \"\", want it outside the subset", p)
		}
	}
}

// TestPolicyFile times warden on the example policy test file, and refuses a file whose
// expectations warden does not meet.
func TestPolicyFile(t *testing.T) {
	var out, log bytes.Buffer
	if code := run(context.Background(), []string{"-policy", "../examples/policy/policies.json"}, &out, &log); code != 0 {
		t.Fatalf("bench -policy = %d\n%s", code, log.String())
	}
	if !strings.Contains(out.String(), "| policies.json | warden |") {
		t.Errorf("no warden row for policies.json in:\n%s", out.String())
	}
	dir := t.TempDir()
	data, err := os.ReadFile("../examples/policy/policies.json")
	if err != nil {
		t.Fatal(err)
	}
	wrong := strings.Replace(string(data), `"expect": true}`, `"expect": false}`, 1)
	wrong = strings.Replace(wrong, `"../store/snapshot.json"`, `"`+filepath.Join(mustAbs(t, "../examples/store"), "snapshot.json")+`"`, 1)
	path := filepath.Join(dir, "wrong.json")
	os.WriteFile(path, []byte(wrong), 0o644)
	if code := run(context.Background(), []string{"-policy", path}, &out, &log); code == 0 || !strings.Contains(log.String(), "expects false, warden answers true") {
		t.Errorf("bench -policy on a failing file = %d, log %q; want a failure naming the check", code, log.String())
	}
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
