package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runWarden(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestTestCorpora(t *testing.T) {
	code, out, errOut := runWarden("test", "../../testdata/casl-corpus.json", "../../testdata/glob-corpus.json")
	if code != 0 || !strings.HasSuffix(out, "6647 passed, 0 failed\n") {
		t.Errorf("warden test corpora = %d, %q (stderr %q), want 0 and 6647 passed, 0 failed", code, out, errOut)
	}
}

func TestTestReportsFailures(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "wrong.json")
	// The second check's expectation is wrong on purpose.
	doc := `{"cases":[{"id":"c1","rules":[{"action":"read","subject":"secrets","conditions":{"environment":"dev"}}],
	  "checks":[{"action":"read","subject":"secrets","object":{"environment":"dev"},"expect":true,"decidingRule":0},
	            {"action":"read","subject":"secrets","object":{"environment":"prod"},"expect":true,"decidingRule":0}]}],
	 "pairs":null}`
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runWarden("test", file)
	if code != 1 {
		t.Errorf("exit status = %d, want 1", code)
	}
	for _, want := range []string{"c1 check 1", "want allow by rule 0", "got  deny (no rule applies)", "1 passed, 1 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestTestUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.json")
	os.WriteFile(garbage, []byte("{nope"), 0o644)
	for _, f := range []string{filepath.Join(dir, "missing.json"), garbage} {
		if code, _, errOut := runWarden("test", f); code != 2 || errOut == "" {
			t.Errorf("warden test %s = %d (stderr %q), want 2 and a message", f, code, errOut)
		}
	}
}

func TestLint(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.json"), filepath.Join(dir, "bad.json")
	os.WriteFile(good, []byte(`[{"action":"readValue","subject":"secrets","conditions":{"secretPath":{"$glob":"/app/**"}}}]`), 0o644)
	os.WriteFile(bad, []byte(`[{"action":"fly","subject":"secrets"},{"action":"read","subject":"secrets","conditions":{"secretPath":"app"}}]`), 0o644)
	if code, out, _ := runWarden("lint", good); code != 0 || out != "" {
		t.Errorf("lint good = %d, %q; want 0 and no output", code, out)
	}
	code, out, _ := runWarden("lint", bad)
	if code != 1 || !strings.Contains(out, "rule 0: action[0]: unknown action") || !strings.Contains(out, "rule 1: conditions.secretPath") {
		t.Errorf("lint bad = %d, %q; want 1 and both problems", code, out)
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errOut := runWarden("frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command = %d, %q", code, errOut)
	}
}

func TestTestPolicyFile(t *testing.T) {
	code, out, errOut := runWarden("test", "../../examples/policy/policies.json")
	if code != 0 || out != "13 passed, 0 failed\n" {
		t.Errorf("warden test policies = %d, %q (stderr %q), want 0 and 13 passed, 0 failed", code, out, errOut)
	}
}

func TestCheckAndExplain(t *testing.T) {
	snap := "../../examples/store/snapshot.json"
	base := []string{"-data", snap, "-project", "demo", "-identity", "ci-deployer", "-action", "readValue", "-subject", "secrets"}
	tests := []struct {
		cmd      string
		resource string
		at       string
		code     int
		want     string
	}{
		{"check", `{"environment":"prod","secretPath":"/app/db"}`, "", 0, "allowed\n"},
		{"check", `{"environment":"prod","secretPath":"/app/admin/x"}`, "", 1, "denied\n"},
		{"explain", `{"environment":"prod","secretPath":"/app/admin/x"}`, "", 1, `denied by rule 1 {"action":"readValue","subject":"secrets","conditions":{"environment":"prod","secretPath":{"$glob":"/app/admin/**"}},"inverted":true} of custom role "prod-app-reader" (permanent)` + "\n"},
		{"explain", `{"environment":"dev","secretPath":"/app/db"}`, "", 1, "denied: no rule applies\n"},
	}
	for _, tt := range tests {
		args := append([]string{tt.cmd}, base...)
		args = append(args, "-resource", tt.resource)
		code, out, errOut := runWarden(args...)
		if code != tt.code || out != tt.want {
			t.Errorf("warden %s -resource %s = %d, %q (stderr %q); want %d, %q", tt.cmd, tt.resource, code, out, errOut, tt.code, tt.want)
		}
	}
	// A temporary admin grant, asked inside and after its window.
	for _, c := range []struct {
		at   string
		code int
	}{{"2026-01-05T12:59:59.999Z", 0}, {"2026-01-05T13:00:00Z", 1}} {
		code, out, _ := runWarden("check", "-data", snap, "-project", "demo", "-identity", "oncall-bot", "-action", "delete", "-subject", "secrets", "-at", c.at)
		if code != c.code {
			t.Errorf("check oncall-bot delete at %s = %d %q, want %d", c.at, code, out, c.code)
		}
	}
	if code, _, errOut := runWarden("check", "-data", snap); code != 2 || !strings.Contains(errOut, "usage") {
		t.Errorf("check without a question = %d, %q; want 2 and the usage", code, errOut)
	}
}
