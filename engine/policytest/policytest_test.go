package policytest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExamplePolicies(t *testing.T) {
	Test(t, "../../examples/policy/policies.json")
	f, err := Load("../../examples/policy/policies.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Run()
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 13 || len(res.Failures) != 0 {
		t.Errorf("Run = %d passed, %d failed; want 13 passed", res.Passed, len(res.Failures))
	}
}

// TestWrongExpectationFails flips every expectation of the example: each check must fail, and
// say what it wanted and what warden decided.
func TestWrongExpectationFails(t *testing.T) {
	f, err := Load("../../examples/policy/policies.json")
	if err != nil {
		t.Fatal(err)
	}
	for i := range f.Checks {
		f.Checks[i].Expect = !f.Checks[i].Expect
	}
	res, err := f.Run()
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed != 0 || len(res.Failures) != 13 {
		t.Fatalf("Run = %d passed, %d failed; want every check to fail", res.Passed, len(res.Failures))
	}
	msg := res.Failures[1].String()
	for _, want := range []string{"CI cannot read the admin folder", "want allowed", "got  denied by rule 1", `custom role "prod-app-reader"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"unknown key", `{"snapshot":{},"checks":[],"expected":1}`, "unknown field"},
		{"no snapshot", `{"checks":[]}`, "exactly one of"},
		{"two snapshots", `{"snapshot":{},"snapshotFile":"x","checks":[]}`, "exactly one of"},
		{"bad mode", `{"snapshot":{},"mode":"first","checks":[]}`, "precedence mode"},
		{"missing fields", `{"snapshot":{},"checks":[{"project":"p"}]}`, "checks[0]: missing identity, action, subject"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.doc), ".")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Parse error = %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestUnknownNamesAreFailures(t *testing.T) {
	dir := t.TempDir()
	snap, _ := os.ReadFile("../../examples/store/snapshot.json")
	os.WriteFile(filepath.Join(dir, "s.json"), snap, 0o644)
	f, err := Parse([]byte(`{"snapshotFile":"s.json","checks":[
		{"project":"demo","identity":"ghost","action":"read","subject":"secrets","expect":false},
		{"project":"nope","identity":"ci-deployer","action":"read","subject":"secrets","expect":false}]}`), dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Run()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failures) != 2 || res.Failures[0].Err == nil || res.Failures[1].Err == nil {
		t.Errorf("Run = %+v; want both checks to fail with an error (a typo must not pass as a denial)", res)
	}
}

func TestDetect(t *testing.T) {
	if !Detect([]byte(`{"snapshotFile":"x","checks":[]}`)) || Detect([]byte(`{"cases":[]}`)) || Detect([]byte(`[`)) {
		t.Error("Detect misclassifies")
	}
}
