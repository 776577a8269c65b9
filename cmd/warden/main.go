// Command warden tests, checks and serves permission policies decided exactly as Infisical
// decides them.
//
// Usage:
//
//	warden test FILE...     run test files and print N passed, M failed
//	warden lint FILE...     validate rule documents against Infisical's catalogue
//	warden check ...        answer one question against a snapshot file
//	warden explain ...      the same, with the deciding rule and its grant
//
// Run "warden help" for the details of each command.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1 // a check failed or a document has problems
	exitUsage   = 2 // bad arguments or an unreadable file
	exitUnknown = 2
)

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands []command

func init() {
	commands = []command{
		{"test", "run test files (conformance corpora, policy tests) and print N passed, M failed", runTest},
		{"lint", "validate rule documents against Infisical's catalogue and print every problem", runLint},
		{"serve", "serve Infisical's REST endpoints for roles, memberships and privileges over HTTP", runServe},
		{"check", "answer one question against a snapshot file: allowed (exit 0) or denied (exit 1)", func(a []string, o, e io.Writer) int { return runCheck(a, o, e, false) }},
		{"explain", "answer one question and print the deciding rule and the grant it came from", func(a []string, o, e io.Writer) int { return runCheck(a, o, e, true) }},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "warden: unknown command %q\n", args[0])
	usage(stderr)
	return exitUnknown
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: warden COMMAND [ARGS]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}
