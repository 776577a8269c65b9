package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wardenhq/warden/engine/policytest"
	"github.com/wardenhq/warden/rules/conformance"
)

// runTest runs each file and prints every failure with what was expected and what warden
// said, then one line "N passed, M failed". Exit status: 0 when everything passed, 1 when a
// check failed, 2 when a file could not be read or understood.
func runTest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "print a line for every file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: warden test [-v] FILE...")
		fmt.Fprintln(stderr, "\nFILE is a policy test file (a snapshot and checks, see engine/policytest) or a")
		fmt.Fprintln(stderr, "conformance corpus (CASL cases with \"cases\", glob pairs with \"pairs\").")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	passed, failed, status := 0, 0, exitOK
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "warden test: %v\n", err)
			status = exitUsage
			continue
		}
		p, fails, err := runFile(name, data)
		if err != nil {
			fmt.Fprintf(stderr, "warden test: %s: %v\n", name, err)
			status = exitUsage
			continue
		}
		for _, f := range fails {
			fmt.Fprintf(stdout, "FAIL %s: %s\n", name, f)
		}
		if *verbose {
			fmt.Fprintf(stdout, "%s: %d passed, %d failed\n", name, p, len(fails))
		}
		passed += p
		failed += len(fails)
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 && status == exitOK {
		status = exitFailed
	}
	return status
}

// runFile runs one test file of either kind and returns the number of passed checks and a
// description of each failure.
func runFile(name string, data []byte) (int, []string, error) {
	if policytest.Detect(data) {
		f, err := policytest.Parse(data, filepath.Dir(name))
		if err != nil {
			return 0, nil, err
		}
		res, err := f.Run()
		if err != nil {
			return 0, nil, err
		}
		fails := make([]string, len(res.Failures))
		for i, f := range res.Failures {
			fails[i] = f.String()
		}
		return res.Passed, fails, nil
	}
	res, err := conformance.Run(data)
	if err != nil {
		return 0, nil, err
	}
	fails := make([]string, len(res.Failures))
	for i, f := range res.Failures {
		fails[i] = f.String()
	}
	return res.Passed, fails, nil
}
