package rules

import (
	"encoding/json"
	"os"
	"testing"
)

// caslCorpus is the format of testdata/casl-corpus.json: decisions of @casl/ability and
// picomatch, configured as Infisical configures them (see testdata/README.md).
type caslCorpus struct {
	Cases []caslCase `json:"cases"`
}

type caslCase struct {
	ID     string          `json:"id"`
	Rules  json.RawMessage `json:"rules"`
	Packed json.RawMessage `json:"packed"`
	Checks []caslCheck     `json:"checks"`
}

type caslCheck struct {
	Action       string          `json:"action"`
	Subject      string          `json:"subject"`
	Object       json.RawMessage `json:"object"`
	Expect       bool            `json:"expect"`
	DecidingRule *int            `json:"decidingRule"`
	Error        string          `json:"error"`
}

func loadCorpus(t testing.TB, file string) caslCorpus {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c caslCorpus
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c caslCase) rules(t testing.TB) []Rule {
	t.Helper()
	src := c.Rules
	if len(c.Packed) > 0 && string(c.Packed) != "null" {
		src = c.Packed
	}
	rs, err := Parse(src)
	if err != nil {
		t.Fatalf("case %s: Parse: %v", c.ID, err)
	}
	return rs
}

func (ch caslCheck) resource(t testing.TB) *Resource {
	t.Helper()
	if len(ch.Object) == 0 || string(ch.Object) == "null" {
		return nil
	}
	var r Resource
	if err := json.Unmarshal(ch.Object, &r); err != nil {
		t.Fatalf("object %s: %v", ch.Object, err)
	}
	return &r
}

// TestCASLCorpus runs every check of the conformance corpus, in Ordered mode (the corpus is
// plain CASL over the rules as written), through the indexed path and the unindexed scan, and
// requires the same decision, the same deciding rule and an error exactly where CASL threw.
func TestCASLCorpus(t *testing.T) {
	checks := runCorpus(t, "../testdata/casl-corpus.json")
	if checks != 6047 {
		t.Errorf("ran %d checks, the corpus has 6047", checks)
	}
}

// TestEdgeCases runs hand-written edge cases of CASL's semantics ($nin, $all, $elemMatch on
// null elements, dotted fields, integer-like keys, wildcards, field restrictions, operands
// that are objects, $glob on values that are not strings), decided by the same reference
// libraries.
func TestEdgeCases(t *testing.T) {
	runCorpus(t, "testdata/extra-cases.json")
}

func runCorpus(t *testing.T, file string) int {
	corpus := loadCorpus(t, file)
	var checks, failures int
	for _, c := range corpus.Cases {
		set, err := Compile(c.rules(t), WithMode(Ordered))
		if err != nil {
			t.Errorf("case %s: Compile: %v", c.ID, err)
			continue
		}
		for i, ch := range c.Checks {
			checks++
			r := ch.resource(t)
			want := -1
			if ch.DecidingRule != nil {
				want = *ch.DecidingRule
			}
			for _, path := range []struct {
				name string
				d    Decision
			}{{"Decide", set.Decide(ch.Action, ch.Subject, r)}, {"decideSlow", set.decideSlow(ch.Action, ch.Subject, r)}} {
				d := path.d
				if d.Allowed != ch.Expect || d.Rule != want || (d.Err != nil) != (ch.Error != "") {
					failures++
					t.Errorf("case %s check %d: %s(%q, %q, %s) = {Allowed: %t, Rule: %d, Err: %v}, want {Allowed: %t, Rule: %d, error: %q}",
						c.ID, i, path.name, ch.Action, ch.Subject, ch.Object, d.Allowed, d.Rule, d.Err, ch.Expect, want, ch.Error)
				}
			}
		}
	}
	t.Logf("%s: %d checks, %d differences", file, checks, failures)
	return checks
}
