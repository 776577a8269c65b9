package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/wardenhq/warden/engine/policytest"
	"github.com/wardenhq/warden/rules"
)

// runCheck answers one question against a snapshot file: "allowed" or "denied", exit status
// 0 or 1 (2 for bad arguments). explain adds the deciding rule and the grant it came from.
func runCheck(args []string, stdout, stderr io.Writer, explain bool) int {
	name := "check"
	if explain {
		name = "explain"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "snapshot file (the format of examples/store/snapshot.json)")
	project := fs.String("project", "", "project slug or ID")
	identity := fs.String("identity", "", "identity name or ID")
	action := fs.String("action", "", `action, e.g. "readValue"`)
	subject := fs.String("subject", "", `subject, e.g. "secrets"`)
	resource := fs.String("resource", "", `resource fields as JSON, e.g. '{"environment":"prod","secretPath":"/app"}'; none for a type-level question`)
	at := fs.String("at", "", "instant of the check (RFC 3339); now when not given")
	mode := fs.String("mode", "deny-overrides", "precedence mode: deny-overrides or ordered")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: warden %s -data FILE -project P -identity I -action A -subject S [-resource JSON] [-at TIME]\n", name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *data == "" || *project == "" || *identity == "" || *action == "" || *subject == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	c := policytest.Check{Project: *project, Identity: *identity, Action: *action, Subject: *subject}
	if *resource != "" {
		c.Resource = new(rules.Resource)
		if err := json.Unmarshal([]byte(*resource), c.Resource); err != nil {
			fmt.Fprintf(stderr, "warden %s: -resource: %v\n", name, err)
			return exitUsage
		}
	}
	if *at != "" {
		t, err := time.Parse(time.RFC3339Nano, *at)
		if err != nil {
			fmt.Fprintf(stderr, "warden %s: -at: %v\n", name, err)
			return exitUsage
		}
		c.At = &t
	}
	f := &policytest.File{SnapshotFile: *data, Mode: *mode, Checks: []policytest.Check{c}}
	d, err := f.Decide(0)
	if err != nil {
		fmt.Fprintf(stderr, "warden %s: %v\n", name, err)
		return exitUsage
	}
	if explain {
		fmt.Fprintln(stdout, policytest.Explain(d))
	} else if d.Allowed {
		fmt.Fprintln(stdout, "allowed")
	} else {
		fmt.Fprintln(stdout, "denied")
	}
	if d.Allowed {
		return exitOK
	}
	return exitFailed
}
