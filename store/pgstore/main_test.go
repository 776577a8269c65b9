package pgstore

// The tests run against a throwaway PostgreSQL cluster that TestMain starts: initdb into a
// temporary directory, then pg_ctl start with a Unix socket in that directory and no TCP
// listener, so that nothing else on the machine can reach it and no port can collide. It is
// stopped and removed when the tests end. Each test opens its stores on a database of its
// own (CREATE DATABASE), so tests never see each other's data.
//
// initdb and postgres refuse to run as root. As root, the tests chown the temporary
// directory to an existing unprivileged user ("postgres", the Debian package's, else
// "nobody") and run initdb and pg_ctl as that user (SysProcAttr.Credential); they create
// no user. The test process itself, root, connects through the socket.
//
// With no server binaries on the machine the tests skip, saying how to install them;
// with CI=true they fail instead.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// cluster is the shared test server; nil when there is none (noServer says why).
var (
	cluster  *testCluster
	noServer string
)

func TestMain(m *testing.M) {
	c, err := startCluster()
	var nf *noServerError
	switch {
	case errors.As(err, &nf) && os.Getenv("CI") == "true":
		fmt.Fprintf(os.Stderr, "pgstore: %v\n(CI=true: a missing PostgreSQL server is a failure)\n", err)
		os.Exit(1)
	case errors.As(err, &nf):
		noServer = err.Error()
	case err != nil:
		fmt.Fprintf(os.Stderr, "pgstore: starting the test cluster: %v\n", err)
		os.Exit(1)
	}
	cluster = c
	code := m.Run()
	if c != nil {
		c.stop()
	}
	os.Exit(code)
}

// needCluster returns the shared cluster, or skips the test when there is no server.
func needCluster(t testing.TB) *testCluster {
	t.Helper()
	if cluster == nil {
		t.Skip(noServer)
	}
	return cluster
}

type noServerError struct{}

func (*noServerError) Error() string {
	return "no PostgreSQL server binaries found (initdb on PATH or in /usr/lib/postgresql/*/bin): " +
		"install them to run the pgstore tests, e.g. `apt-get install postgresql` on Debian or Ubuntu, " +
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
	return "", &noServerError{}
}

// A testCluster is a running throwaway PostgreSQL server.
type testCluster struct {
	bin   string // where initdb and pg_ctl are
	dir   string // the temporary directory: data/, the socket, server.log
	cred  *syscall.Credential
	admin *pgxpool.Pool // on database postgres, to create test databases
	dbs   atomic.Int64
}

func startCluster() (*testCluster, error) {
	bin, err := findServer()
	if err != nil {
		return nil, err
	}
	c := &testCluster{bin: bin}
	// A short path: the socket's path must fit in 107 bytes.
	base := os.TempDir()
	if os.Geteuid() == 0 {
		base = "/tmp" // reachable by the unprivileged user whatever TMPDIR is
	}
	if c.dir, err = os.MkdirTemp(base, "pgstore-"); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		if c.cred, err = unprivileged(); err == nil {
			err = os.Chown(c.dir, int(c.cred.Uid), int(c.cred.Gid))
		}
		if err != nil {
			os.RemoveAll(c.dir)
			return nil, err
		}
	}
	if err := c.start(); err != nil {
		c.stop()
		return nil, err
	}
	return c, nil
}

// unprivileged returns the credentials of an existing unprivileged user for initdb.
func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if uid == 0 {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root, and there is no unprivileged user (postgres or nobody) to run initdb as")
}

func (c *testCluster) data() string { return filepath.Join(c.dir, "data") }

// pg runs one of the server's programs (as the unprivileged user when we are root),
// its output going to server.log.
func (c *testCluster) pg(name string, args ...string) error {
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
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
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
func (c *testCluster) start() error {
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
	if err := c.serverUp(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c.admin, err = pgxpool.New(ctx, c.conn("postgres"))
	if err == nil {
		err = c.admin.Ping(ctx)
	}
	return err
}

// serverUp starts the server and waits until it accepts connections.
func (c *testCluster) serverUp() error {
	return c.pg("pg_ctl", "-D", c.data(), "-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "60", "start")
}

// serverDown stops the server at once, disconnecting every client.
func (c *testCluster) serverDown() error {
	return c.pg("pg_ctl", "-D", c.data(), "-m", "fast", "-w", "stop")
}

func (c *testCluster) stop() {
	if c.admin != nil {
		c.admin.Close()
	}
	if _, err := os.Stat(filepath.Join(c.data(), "postmaster.pid")); err == nil {
		_ = c.pg("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop")
	}
	os.RemoveAll(c.dir)
}

// conn returns the connection string of a database of the cluster.
func (c *testCluster) conn(db string) string {
	return fmt.Sprintf("host=%s user=warden dbname=%s", c.dir, db)
}

// database creates an empty database and returns its connection string.
func (c *testCluster) database(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("test_%d", c.dbs.Add(1))
	if _, err := c.admin.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("CREATE DATABASE %s: %v", name, err)
	}
	return c.conn(name)
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
	return open(t, needCluster(t).database(t), opts...)
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
