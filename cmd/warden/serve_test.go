package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	demoData   = "../../examples/demo/data.json"
	demoTokens = "../../examples/demo/tokens.json"
	demoReadme = "../../examples/demo/README.md"
)

func TestServeFlagErrors(t *testing.T) {
	dir := t.TempDir()
	badData := filepath.Join(dir, "bad.json")
	os.WriteFile(badData, []byte(`{"memberships": [{"projectId": "p", "identityId": "i", "roles": []}]}`), 0o644)
	badTokens := filepath.Join(dir, "tokens.json")
	os.WriteFile(badTokens, []byte(`["not", "an", "object"]`), 0o644)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", demoData}, "--tokens is required"},
		{[]string{"--tokens", filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{"--tokens", badTokens}, "want a JSON object"},
		{[]string{"--tokens", demoTokens, "--data", badData}, "memberships[0]"},
		{[]string{"--tokens", demoTokens, "--store", "mysql://db/warden"}, "want a postgres:// URL"},
		{[]string{"--tokens", demoTokens, "--store", "postgres://127.0.0.1:1/warden", "--data", demoData}, "cannot be combined with --store"},
		{[]string{"--tokens", demoTokens, "--store", "postgres://127.0.0.1:1/warden?connect_timeout=2"}, "pgstore"},
		{[]string{"--tokens", demoTokens, "--addr", "not an address"}, "not an address"},
		{[]string{"--tokens", demoTokens, "extra"}, "unexpected arguments"},
		{[]string{"--frobnicate"}, "flag provided but not defined"},
	} {
		code, _, errOut := runWarden(append([]string{"serve"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("warden serve %q = %d, %q; want %d and a message containing %q", tt.args, code, errOut, exitUsage, tt.want)
		}
	}
	if code, out, _ := runWarden("serve", "--help"); code != exitOK || !strings.Contains(out, "usage: warden serve") {
		t.Errorf("warden serve --help = %d, %q", code, out)
	}
}

// TestServeInProcess runs serve on a free port, makes a request and stops it.
func TestServeInProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var errOut strings.Builder
	go func() {
		done <- serve(ctx, []string{"--addr", "127.0.0.1:0", "--data", demoData, "--tokens", demoTokens}, pw, &errOut)
		pw.Close()
	}()
	base := serverAddress(t, bufio.NewReader(pr))
	go io.Copy(io.Discard, pr)

	req, _ := http.NewRequest("GET", base+"/api/v1/workspace/demo/roles", nil)
	req.Header.Set("Authorization", "Bearer demo-member-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 200 || body["roles"] == nil {
		t.Errorf("GET roles = %d %v, want 200 and roles", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve returned %d after cancel, want 0 (stderr %q)", code, errOut.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// serverAddress reads the "warden: serving on http://ADDR" line.
func serverAddress(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the server's first line: %v (%q)", err, line)
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "warden: serving on ")
	if !ok {
		t.Fatalf("first line = %q, want warden: serving on http://...", line)
	}
	return base
}

// curlCommands returns the curl commands of a Markdown file: from a line starting with
// "curl " to the first line that neither ends with a backslash nor leaves a single-quoted
// string open.
func curlCommands(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	var cur []string
	for _, line := range strings.Split(string(data), "\n") {
		if cur == nil && !strings.HasPrefix(line, "curl ") {
			continue
		}
		cur = append(cur, line)
		joined := strings.Join(cur, "\n")
		if !strings.HasSuffix(line, "\\") && strings.Count(joined, "'")%2 == 0 {
			cmds = append(cmds, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	return cmds
}

// TestServeDemoCurl builds warden, starts "warden serve" on the demo data and runs the curl
// commands of examples/demo/README.md against it, as a user would on a fresh machine.
func TestServeDemoCurl(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	bin := filepath.Join(t.TempDir(), "warden")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	srv := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", demoData, "--tokens", demoTokens)
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut strings.Builder
	srv.Stderr = &errOut
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.Process.Kill()
			srv.Wait()
		}
	}()
	base := serverAddress(t, bufio.NewReader(stdout))

	cmds := curlCommands(t, demoReadme)
	want := []struct {
		key    string // the answer's top-level key, or the error name
		status int
	}{
		{"privilege", 200},
		{"privilege", 200},
		{"role", 200},
		{"identityMembership", 200},
		{"PermissionBoundaryError", 403},
	}
	if len(cmds) != len(want) {
		t.Fatalf("%s has %d curl commands, want %d", demoReadme, len(cmds), len(want))
	}
	env := append(os.Environ(), "WARDEN="+base, "TOKEN=demo-admin-token",
		"NOW="+time.Now().UTC().Format("2006-01-02T15:04:05Z"), "PATH="+filepath.Dir(curl)+":"+os.Getenv("PATH"))
	for i, c := range cmds {
		sh := exec.Command("sh", "-c", strings.Replace(c, "curl -sS", "curl -sS -w '\\n%{http_code}'", 1))
		sh.Env = env
		out, err := sh.Output()
		if err != nil {
			t.Fatalf("command %d failed: %v\n%s\n%s", i+1, err, c, out)
		}
		text := strings.TrimSpace(string(out))
		cut := strings.LastIndex(text, "\n")
		body, code := text[:cut], text[cut+1:]
		var got map[string]any
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("command %d: answer is not JSON: %v\n%s", i+1, err, body)
		}
		w := want[i]
		if code != strconv.Itoa(w.status) {
			t.Errorf("command %d: status %s, want %d\n%s\n%s", i+1, code, w.status, c, body)
			continue
		}
		if w.status == 200 {
			if _, ok := got[w.key]; !ok || len(got) != 1 {
				t.Errorf("command %d: answer %s, want {%q: ...}", i+1, body, w.key)
			}
		} else if got["error"] != w.key {
			t.Errorf("command %d: error %v, want %s", i+1, got["error"], w.key)
		}
	}

	// The member's membership now shows no change (the boundary refused it), and the v1
	// change took effect: the privilege was renamed.
	req, _ := http.NewRequest("GET", base+"/api/v1/additional-privilege/identity/edit-staging?identityId=demo-member&projectSlug=demo", nil)
	req.Header.Set("Authorization", "Bearer demo-admin-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET the renamed privilege = %d, want 200", resp.StatusCode)
	}

	srv.Process.Signal(syscall.SIGTERM)
	waited := make(chan error, 1)
	go func() { waited <- srv.Wait() }()
	select {
	case err := <-waited:
		stopped = true
		if err != nil {
			t.Errorf("warden serve exited with %v after SIGTERM\n%s", err, errOut.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("warden serve did not stop on SIGTERM")
	}
}
