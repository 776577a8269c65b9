package glob

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestOracle asks the pinned picomatch (shared/oracle, see its README) for every pair of
// matchTests, so that the table stays a record of picomatch's answers. It runs when
// WARDEN_ORACLE names the oracle folder (with node_modules installed) and node is on PATH.
func TestOracle(t *testing.T) {
	dir := os.Getenv("WARDEN_ORACLE")
	if dir == "" {
		t.Skip("WARDEN_ORACLE not set")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	type pair struct {
		Pattern string `json:"pattern"`
		Path    string `json:"path"`
	}
	var in struct {
		Pairs []pair `json:"pairs"`
	}
	for _, tt := range matchTests {
		in.Pairs = append(in.Pairs, pair{tt.pattern, tt.path})
	}
	body, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(dir, "glob-oracle.mjs"))
	cmd.Stdin = bytes.NewReader(body)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	var res struct {
		Results []struct {
			Infisical *bool `json:"infisical"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	for i, tt := range matchTests {
		if r := res.Results[i].Infisical; r == nil || *r != tt.want {
			t.Errorf("picomatch: Match(%q, %q) = %v, table says %t", tt.pattern, tt.path, r, tt.want)
		}
	}
}
