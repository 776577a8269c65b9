package pgstore

// The tests run against a throwaway PostgreSQL cluster that TestMain starts with
// internal/pgtest (see its documentation: initdb into a temporary directory, a Unix socket
// and no TCP listener, initdb and pg_ctl as an unprivileged user when root, a skip saying
// how to install the server when there is none, a failure instead with CI=true). Each test
// opens its stores on a database of its own, so tests never see each other's data.

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/wardenhq/warden/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// needCluster returns the shared cluster, or skips the test when there is no server.
func needCluster(t testing.TB) *pgtest.Cluster {
	t.Helper()
	return pgtest.Shared(t)
}

// open opens a store on conn, closed at the end of the test.
func open(t testing.TB, conn string, opts ...Option) *Store {
	t.Helper()
	opts = append([]Option{WithLogger(testLogger(t))}, opts...)
	s, err := Open(context.Background(), conn, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// newStore opens a store on a new database of the shared cluster.
func newStore(t testing.TB, opts ...Option) *Store {
	t.Helper()
	return open(t, needCluster(t).NewDatabase(t), opts...)
}

// testLogger logs to the test's log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}
