// Package pgtest runs throwaway PostgreSQL clusters for tests.
//
// A Cluster is made by initdb in a temporary directory and started by pg_ctl with a Unix
// socket in that directory and no TCP listener, so that nothing else on the machine can
// reach it and no port can collide. Stop stops it and removes the directory. NewDatabase
// creates an empty database of its own for each test (CREATE DATABASE), so that tests
// never see each other's data.
//
// initdb and postgres refuse to run as root. As root, Start chowns the temporary directory
// to an existing unprivileged user ("postgres", the Debian package's, else "nobody") and
// runs initdb and pg_ctl as that user (SysProcAttr.Credential); it creates no user. The
// test process itself, root, connects through the socket, as the cluster's superuser
// "warden", with trust authentication.
//
// The server binaries are found on PATH (initdb, with pg_ctl beside it) or in
// /usr/lib/postgresql/<major>/bin, the newest first. With none on the machine, Start
// returns a *NoServerError; a package whose TestMain is Main then skips its tests that ask
// for the cluster (Shared), saying how to install the server, except with CI=true in the
// environment, where the test binary fails at once.
//
// The cluster runs with fsync, synchronous_commit and full_page_writes off: the data is
// thrown away. PGSTORE_TEST_FSYNC=on turns them on, to measure with durability.
//
// A test package uses one cluster for all its tests:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		conn := pgtest.Shared(t).NewDatabase(t) // skips when there is no server
//		s, err := pgstore.Open(ctx, conn)
//		...
//	}
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// The shared cluster that Main starts; nil when there is none (noServer says why).
var (
	shared   *Cluster
	noServer string
)

// Main starts the shared cluster, runs the tests, stops the cluster and exits with the
// tests' status; call it from TestMain. Without server binaries, the tests run and those
// that call Shared skip, unless CI=true, where Main reports the missing server and exits
// with status 1 without running any test. A cluster that fails to start for any other
// reason is always a failure.
func Main(m *testing.M) {
	c, err := Start()
	var nf *NoServerError
	switch {
	case errors.As(err, &nf) && os.Getenv("CI") == "true":
		fmt.Fprintf(os.Stderr, "pgtest: %v\n(CI=true: a missing PostgreSQL server is a failure)\n", err)
		os.Exit(1)
	case errors.As(err, &nf):
		noServer = err.Error()
	case err != nil:
		fmt.Fprintf(os.Stderr, "pgtest: starting the test cluster: %v\n", err)
		os.Exit(1)
	}
	shared = c
	code := m.Run()
	if c != nil {
		c.Stop()
	}
	os.Exit(code)
}

// Shared returns the cluster Main started, or skips the test, saying how to install the
// server, when there is none. It fails the test when Main did not run.
func Shared(t testing.TB) *Cluster {
	t.Helper()
	if shared == nil {
		if noServer == "" {
			t.Fatal("pgtest.Shared: no cluster: the package's TestMain must call pgtest.Main")
		}
		t.Skip(noServer)
	}
	return shared
}

// NoServerError is Start's error when no PostgreSQL server binaries are found; it says how
// to install them.
type NoServerError struct{}

func (*NoServerError) Error() string {
	return "no PostgreSQL server binaries found (initdb on PATH or in /usr/lib/postgresql/*/bin): " +
		"install them to run the tests that need PostgreSQL, e.g. `apt-get install postgresql` on Debian or Ubuntu, " +
		"`dnf install postgresql-server` on Fedora, `brew install postgresql` on macOS"
}

// findServer returns the directory holding initdb and pg_ctl.
func findServer() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	// Debian and Ubuntu keep the server out of PATH: /usr/lib/postgresql/<major>/bin.
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	major := func(d string) int { n, _ := strconv.Atoi(filepath.Base(filepath.Dir(d))); return n }
	slices.SortFunc(dirs, func(a, b string) int { return major(b) - major(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", &NoServerError{}
}

// A Cluster is a running throwaway PostgreSQL server. Its methods are safe for concurrent
// use, except StopServer, StartServer and Stop, which the test that owns the cluster calls.
type Cluster struct {
	bin   string        // where initdb and pg_ctl are
	dir   string        // the temporary directory: data/, the socket, server.log, commands.log
	cred  *credential   // the unprivileged user the programs run as, when we are root
	admin *pgxpool.Pool // on database postgres, to create test databases
	dbs   atomic.Int64
}

// Start makes a new cluster and starts its server; the caller stops it with Stop. It
// returns a *NoServerError when there are no server binaries on the machine.
func Start() (*Cluster, error) {
	bin, err := findServer()
	if err != nil {
		return nil, err
	}
	c := &Cluster{bin: bin}
	// A short path: the socket's path must fit in 107 bytes.
	base := os.TempDir()
	if os.Geteuid() == 0 {
		base = "/tmp" // reachable by the unprivileged user whatever TMPDIR is
	}
	if c.dir, err = os.MkdirTemp(base, "pgtest-"); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		if c.cred, err = unprivileged(); err == nil {
			err = os.Chown(c.dir, c.cred.uid, c.cred.gid)
		}
		if err != nil {
			os.RemoveAll(c.dir)
			return nil, err
		}
	}
	if err := c.start(); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

// pg runs one of the server's programs (as the unprivileged user when we are root), its
// output going to commands.log.
func (c *Cluster) pg(name string, args ...string) error {
	logPath := filepath.Join(c.dir, "commands.log")
	out, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if c.cred != nil {
		c.cred.apply(cmd)
	}
	if err := cmd.Run(); err != nil {
		b, _ := os.ReadFile(logPath)
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(b))
	}
	return nil
}

func tail(b []byte) string {
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// start makes the cluster and starts the server.
func (c *Cluster) start() error {
	if err := c.pg("initdb", "-D", c.data(), "-U", "warden", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return err
	}
	// Throwaway data: no durability. PGSTORE_TEST_FSYNC=on measures with it.
	fsync := "off"
	if os.Getenv("PGSTORE_TEST_FSYNC") == "on" {
		fsync = "on"
	}
	conf := fmt.Sprintf("\nlisten_addresses = ''\nunix_socket_directories = '%s'\nmax_connections = 200\n"+
		"fsync = %s\nsynchronous_commit = %[2]s\nfull_page_writes = %[2]s\n", c.dir, fsync)
	f, err := os.OpenFile(filepath.Join(c.data(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, conf); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := c.StartServer(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c.admin, err = pgxpool.New(ctx, c.ConnString("postgres"))
	if err == nil {
		err = c.admin.Ping(ctx)
	}
	return err
}

// StartServer starts the server again after StopServer, and waits until it accepts
// connections.
func (c *Cluster) StartServer() error {
	return c.pg("pg_ctl", "-D", c.data(), "-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "60", "start")
}

// StopServer stops the server at once (pg_ctl -m fast), disconnecting every client; the
// data stays, for StartServer. Tests use it to simulate a database restart.
func (c *Cluster) StopServer() error {
	return c.pg("pg_ctl", "-D", c.data(), "-m", "fast", "-w", "stop")
}

// Stop stops the server, if it runs, and removes the cluster's directory. Close the
// stores opened on it first.
func (c *Cluster) Stop() {
	if c.admin != nil {
		c.admin.Close()
	}
	if _, err := os.Stat(filepath.Join(c.data(), "postmaster.pid")); err == nil {
		_ = c.pg("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop")
	}
	os.RemoveAll(c.dir)
}

// ConnString returns the connection string of the cluster's database db (which need not
// exist), as its superuser over the Unix socket.
func (c *Cluster) ConnString(db string) string {
	return fmt.Sprintf("host=%s user=warden dbname=%s", c.dir, db)
}

// NewDatabase creates an empty database and returns its connection string. It fails the
// test when the database cannot be created. The database is not dropped: it goes with the
// cluster.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("test_%d", c.dbs.Add(1))
	if _, err := c.admin.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("CREATE DATABASE %s: %v", name, err)
	}
	return c.ConnString(name)
}
