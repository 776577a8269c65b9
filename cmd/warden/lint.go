package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/wardenhq/warden/rules"
)

// runLint parses each file as a rule document (a JSON array of rules in any form), compiles it
// and validates it against Infisical's catalogue, printing every problem with its rule index
// and path. Exit status: 0 when every file is clean, 1 when a file has problems, 2 when a file
// cannot be read.
func runLint(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: warden lint FILE...")
		return exitUsage
	}
	status := exitOK
	for _, name := range args {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "warden lint: %v\n", err)
			status = exitUsage
			continue
		}
		problems := lintDocument(data)
		for _, p := range problems {
			fmt.Fprintf(stdout, "%s: %s\n", name, p)
		}
		if len(problems) > 0 && status == exitOK {
			status = exitFailed
		}
	}
	return status
}

func lintDocument(data []byte) []string {
	rs, err := rules.Parse(data)
	if err != nil {
		return problemList(err)
	}
	var out []string
	if _, err := rules.Compile(rs); err != nil {
		out = append(out, problemList(err)...)
	}
	if err := rules.Validate(rs, rules.Infisical()); err != nil {
		out = append(out, problemList(err)...)
	}
	return out
}

func problemList(err error) []string {
	var es rules.Errors
	if errors.As(err, &es) {
		out := make([]string, len(es))
		for i, e := range es {
			out[i] = e.Error()
		}
		return out
	}
	return []string{err.Error()}
}
