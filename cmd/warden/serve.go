package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/engine/httpapi"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
	"github.com/wardenhq/warden/store/pgstore"
)

const serveUsage = `usage: warden serve --tokens FILE [--addr HOST:PORT] [--data FILE | --store postgres://...]

Serves Infisical's REST endpoints for project roles, identity memberships and identity
additional privileges (package engine/httpapi), deciding who may call what with warden.

  --addr HOST:PORT   where to listen (default 127.0.0.1:8080; port 0 picks a free port)
  --tokens FILE      JSON object mapping bearer tokens to identity IDs: {"TOKEN": "ID"}
  --data FILE        a snapshot to load into the embedded store (see examples/store)
  --store URL        use PostgreSQL (store/pgstore) instead of the embedded store

The embedded store lives in memory: changes made through the API are lost when the
process ends. The first line printed is "warden: serving on http://ADDR".`

// runServe runs the HTTP API until SIGINT or SIGTERM.
func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, stdout, stderr)
}

// serve runs the API until ctx is done. It prints the address it listens on first, so that
// a caller that asked for port 0 learns the port.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "127.0.0.1:8080", "")
	tokensFile := fs.String("tokens", "", "")
	dataFile := fs.String("data", "", "")
	storeURL := fs.String("store", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, serveUsage)
			return exitOK
		}
		fmt.Fprintf(stderr, "warden serve: %v\n%s\n", err, serveUsage)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "warden serve: unexpected arguments %q\n%s\n", fs.Args(), serveUsage)
		return exitUsage
	}
	if *tokensFile == "" {
		fmt.Fprintf(stderr, "warden serve: --tokens is required: without tokens no request can authenticate\n%s\n", serveUsage)
		return exitUsage
	}
	tokens, err := httpapi.LoadStaticTokensFile(*tokensFile)
	if err != nil {
		fmt.Fprintf(stderr, "warden serve: %v\n", err)
		return exitUsage
	}

	st, closeStore, err := openStore(ctx, *storeURL, *dataFile)
	if err != nil {
		fmt.Fprintf(stderr, "warden serve: %v\n", err)
		return exitUsage
	}
	defer closeStore()
	e, err := engine.New(ctx, st)
	if err != nil {
		fmt.Fprintf(stderr, "warden serve: %v\n", err)
		return exitFailed
	}
	defer e.Close()

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	srv := &http.Server{
		Handler:           httpapi.New(st, e, tokens, httpapi.WithLogger(logger)),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "warden serve: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "warden: serving on http://%s\n", ln.Addr())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "warden serve: %v\n", err)
		return exitFailed
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "warden serve: shutting down: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// openStore opens the store the flags name: PostgreSQL for a postgres:// URL, else the
// embedded store, loaded from dataFile when one is given.
func openStore(ctx context.Context, url, dataFile string) (store.Store, func(), error) {
	if url != "" {
		if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
			return nil, nil, fmt.Errorf("--store %q: want a postgres:// URL (the embedded store is the default)", url)
		}
		if dataFile != "" {
			return nil, nil, errors.New("--data loads a snapshot into the embedded store; it cannot be combined with --store")
		}
		pg, err := pgstore.Open(ctx, url)
		if err != nil {
			return nil, nil, err
		}
		return pg, pg.Close, nil
	}
	st := memstore.New()
	if dataFile != "" {
		if err := st.LoadFile(dataFile); err != nil {
			return nil, nil, fmt.Errorf("loading %s: %w", dataFile, err)
		}
	}
	return st, func() {}, nil
}
