// Package conformance runs the conformance corpus formats against warden: CASL cases (rule
// lists with checks and the decisions the reference libraries made) and glob pairs (pattern,
// path and picomatch's answer). The corpora in the repository's testdata directory use these
// formats, and `warden test` accepts them, so that anyone can decide more cases with the
// reference libraries and check warden against them.
package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wardenhq/warden/glob"
	"github.com/wardenhq/warden/rules"
)

// Failure is one check on which warden differs from the expected answer.
type Failure struct {
	Where string // case id and check index, or pair index
	What  string // the question asked
	Want  string
	Got   string
}

func (f Failure) String() string {
	return fmt.Sprintf("%s: %s\n\twant %s\n\tgot  %s", f.Where, f.What, f.Want, f.Got)
}

// Result counts the checks of one file.
type Result struct {
	Passed   int
	Failures []Failure
}

// Failed returns the number of failed checks.
func (r Result) Failed() int { return len(r.Failures) }

// ErrFormat reports a file that is neither format.
var ErrFormat = errors.New("conformance: not a corpus file (want an object with \"cases\" or \"pairs\")")

// Detect reports whether data looks like a corpus file: a JSON object with "cases" or "pairs".
func Detect(data []byte) bool {
	var probe struct {
		Cases json.RawMessage `json:"cases"`
		Pairs json.RawMessage `json:"pairs"`
	}
	return json.Unmarshal(data, &probe) == nil && (probe.Cases != nil || probe.Pairs != nil)
}

// Run runs every check of a corpus file. A CASL case is run in rules.Ordered mode, as the
// corpora are plain CASL over the rules as written.
func Run(data []byte) (Result, error) {
	var file struct {
		Cases []caslCase `json:"cases"`
		Pairs []globPair `json:"pairs"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&file); err != nil {
		return Result{}, fmt.Errorf("conformance: %w", err)
	}
	switch {
	case file.Cases != nil:
		return runCASL(file.Cases)
	case file.Pairs != nil:
		return runGlob(file.Pairs), nil
	}
	return Result{}, ErrFormat
}

type caslCase struct {
	ID     string          `json:"id"`
	Rules  json.RawMessage `json:"rules"`
	Packed json.RawMessage `json:"packed"`
	Checks []struct {
		Action       string          `json:"action"`
		Subject      string          `json:"subject"`
		Object       json.RawMessage `json:"object"`
		Expect       bool            `json:"expect"`
		DecidingRule *int            `json:"decidingRule"`
		Error        string          `json:"error"`
	} `json:"checks"`
}

func runCASL(cases []caslCase) (Result, error) {
	var res Result
	for ci, c := range cases {
		id := c.ID
		if id == "" {
			id = fmt.Sprintf("case %d", ci)
		}
		src := c.Rules
		if len(c.Packed) > 0 && string(c.Packed) != "null" {
			src = c.Packed
		}
		rs, err := rules.Parse(src)
		var set *rules.Set
		if err == nil {
			set, err = rules.Compile(rs, rules.WithMode(rules.Ordered))
		}
		for i, ch := range c.Checks {
			want := describe(ch.Expect, ruleIndex(ch.DecidingRule), ch.Error != "")
			what := fmt.Sprintf("%s %s %s", ch.Action, ch.Subject, objectText(ch.Object))
			where := fmt.Sprintf("%s check %d", id, i)
			if err != nil {
				res.Failures = append(res.Failures, Failure{where, what, want, "rules rejected: " + err.Error()})
				continue
			}
			var r *rules.Resource
			if len(ch.Object) > 0 && string(ch.Object) != "null" {
				r = new(rules.Resource)
				if err := json.Unmarshal(ch.Object, r); err != nil {
					return res, fmt.Errorf("conformance: %s: object: %w", where, err)
				}
			}
			d := set.Decide(ch.Action, ch.Subject, r)
			if d.Allowed == ch.Expect && d.Rule == ruleIndex(ch.DecidingRule) && (d.Err != nil) == (ch.Error != "") {
				res.Passed++
				continue
			}
			got := describe(d.Allowed, d.Rule, d.Err != nil)
			if d.Err != nil {
				got += " (" + d.Err.Error() + ")"
			}
			res.Failures = append(res.Failures, Failure{where, what, want, got})
		}
	}
	return res, nil
}

func ruleIndex(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

func describe(allowed bool, rule int, failed bool) string {
	switch {
	case failed:
		return "deny with an evaluation error"
	case rule < 0:
		return "deny (no rule applies)"
	case allowed:
		return fmt.Sprintf("allow by rule %d", rule)
	}
	return fmt.Sprintf("deny by rule %d", rule)
}

func objectText(o json.RawMessage) string {
	if len(o) == 0 || string(o) == "null" {
		return "(type-level)"
	}
	return string(o)
}

type globPair struct {
	Pattern   string `json:"pattern"`
	Path      string `json:"path"`
	Infisical *bool  `json:"infisical"`
}

// runGlob judges each pair by its infisical field: what Infisical's $glob operator answers.
func runGlob(pairs []globPair) Result {
	var res Result
	for i, p := range pairs {
		if p.Infisical == nil {
			continue // picomatch threw; Infisical's answer is undefined for the pair
		}
		got := false
		if p.Pattern != "" {
			if g, err := glob.Compile(p.Pattern); err == nil {
				got = g.Match(p.Path)
			}
		}
		if got == *p.Infisical {
			res.Passed++
			continue
		}
		res.Failures = append(res.Failures, Failure{
			Where: fmt.Sprintf("pair %d", i),
			What:  fmt.Sprintf("glob %q against %q", p.Pattern, p.Path),
			Want:  fmt.Sprint(*p.Infisical),
			Got:   fmt.Sprint(got),
		})
	}
	return res
}
