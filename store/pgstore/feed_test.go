package pgstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wardenhq/warden/store"
)

// changes collects what a watcher receives.
type changes chan store.Change

func watchAll(t *testing.T, s *Store) changes {
	t.Helper()
	ch := make(changes, 4096)
	wctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	if err := s.Watch(wctx, func(c store.Change) { ch <- c }); err != nil {
		t.Fatalf("Watch: %v", err)
	}
	return ch
}

// take returns the next n changes, failing after timeout.
func (ch changes) take(t *testing.T, n int, timeout time.Duration) []store.Change {
	t.Helper()
	out := make([]store.Change, 0, n)
	deadline := time.After(timeout)
	for len(out) < n {
		select {
		case c := <-ch:
			out = append(out, c)
		case <-deadline:
			t.Fatalf("got %d changes %v within %v, want %d", len(out), out, timeout, n)
		}
	}
	return out
}

// none checks that nothing arrives for a while.
func (ch changes) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case c := <-ch:
		t.Errorf("unexpected change %+v", c)
	case <-time.After(d):
	}
}

func versions(cs []store.Change) []uint64 {
	var vs []uint64
	for _, c := range cs {
		vs = append(vs, c.Version)
	}
	return vs
}

func wantVersions(t *testing.T, what string, cs []store.Change, from uint64) {
	t.Helper()
	for i, c := range cs {
		if c.Version != from+uint64(i) || c.Reset {
			t.Errorf("%s: versions %v (resets: %v), want consecutive changes from %d", what, versions(cs), resets(cs), from)
			return
		}
	}
}

func resets(cs []store.Change) []bool {
	var out []bool
	for _, c := range cs {
		out = append(out, c.Reset)
	}
	return out
}

// TestFeedHeals checks how the feed recovers missed notifications: through the periodic
// check, through a gap in the versions of the next notification, and with a Reset when the
// missed changes are gone from the changes table. It also checks a write too big for a
// notification's payload.
func TestFeedHeals(t *testing.T) {
	conn := needCluster(t).NewDatabase(t)
	fast := open(t, conn, WithCheckInterval(100*time.Millisecond))
	slow := open(t, conn, WithCheckInterval(time.Hour)) // never checks: heals by gaps only
	quiet := open(t, conn)                              // writes without notifying
	quiet.noNotify = true
	fastCh, slowCh := watchAll(t, fast), watchAll(t, slow)

	// A lost notification: only the periodic check finds it.
	p, err := quiet.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	got := fastCh.take(t, 1, 2*time.Second)
	wantVersions(t, "a lost notification, healed by the check", got, p.Version)
	t.Logf("a lost notification was healed after %v (check interval 100ms)", time.Since(start))
	slowCh.none(t, 300*time.Millisecond)

	// The next notification has a gap before it: both fetch what they missed, in order.
	a, err := fast.CreateIdentity(ctx, store.Identity{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	wantVersions(t, "fast after a gap", fastCh.take(t, 1, 2*time.Second), a.Version)
	wantVersions(t, "slow after a gap", slowCh.take(t, 2, 2*time.Second), p.Version)

	// A write whose changes do not fit in a notification (a cascade of 101 deletions).
	m, err := fast.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: a.ID, Roles: []store.RoleGrant{{Role: "admin"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if _, err := fast.CreatePrivilege(ctx, store.Privilege{ProjectID: p.ID, IdentityID: a.ID, Slug: fmt.Sprintf("p%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	fastCh.take(t, 101, 5*time.Second)
	slowCh.take(t, 101, 5*time.Second)
	before, _ := fast.Version(ctx)
	if _, err := fast.DeleteMembership(ctx, p.ID, a.ID, m.Version); err != nil {
		t.Fatal(err)
	}
	for name, ch := range map[string]changes{"fast": fastCh, "slow": slowCh} {
		got := ch.take(t, 101, 5*time.Second)
		wantVersions(t, name+" after a big cascade", got, before+1)
		if last := got[100]; last.Kind != store.KindMembership || !last.Deleted || last.ID != m.ID {
			t.Errorf("%s: last change of the cascade = %+v, want the membership deleted", name, last)
		}
	}

	// Missed changes that are no longer in the changes table: a Reset.
	x, err := quiet.CreateIdentity(ctx, store.Identity{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	fastCh.take(t, 1, 2*time.Second)
	if _, err := fast.pool.Exec(ctx, `DELETE FROM warden_changes WHERE version = $1`, int64(x.Version)); err != nil {
		t.Fatal(err)
	}
	y, err := fast.CreateIdentity(ctx, store.Identity{Name: "y"})
	if err != nil {
		t.Fatal(err)
	}
	got = slowCh.take(t, 2, 2*time.Second)
	if !got[0].Reset || got[0].Version != x.Version || got[1].Reset || got[1].Version != y.Version || got[1].ID != y.ID {
		t.Errorf("after missing a pruned change, slow got %+v, want a Reset at %d then the change at %d", got, x.Version, y.Version)
	}
	wantVersions(t, "fast", fastCh.take(t, 1, 2*time.Second), y.Version)

	// Synced follows the checks.
	deadline := time.Now().Add(2 * time.Second)
	for v, _ := fast.Synced(); v < y.Version && time.Now().Before(deadline); v, _ = fast.Synced() {
		time.Sleep(10 * time.Millisecond)
	}
	if v, at := fast.Synced(); v != y.Version || time.Since(at) > time.Second {
		t.Errorf("fast.Synced() = %d, %v ago; want %d, recent", v, time.Since(at), y.Version)
	}
	if v, at := quiet.Synced(); v != 0 || !at.IsZero() {
		t.Errorf("Synced() of a store that does not watch = %d, %v; want zero", v, at)
	}
}

func TestNotice(t *testing.T) {
	cs := []store.Change{
		{Version: 7, Kind: store.KindPrivilege, Deleted: true, ProjectID: "p", IdentityID: "i", ID: "x"},
		{Version: 8, Kind: store.KindMembership, Deleted: true, ProjectID: "p", IdentityID: "i", ID: "m"},
	}
	n, got, err := decodeNotice(encodeNotice(cs))
	if err != nil || n.From != 7 || n.To != 8 || !slices.Equal(got, cs) {
		t.Errorf("decodeNotice(encodeNotice(cs)) = %+v, %+v, %v; want cs", n, got, err)
	}
	var big []store.Change
	for i := range 500 {
		big = append(big, store.Change{Version: uint64(i + 1), Kind: store.KindRole, ProjectID: strings.Repeat("p", 36), ID: strings.Repeat("r", 36)})
	}
	payload := encodeNotice(big)
	if len(payload) > maxNotice {
		t.Errorf("a notice of 500 changes is %d bytes, over %d", len(payload), maxNotice)
	}
	n, got, err = decodeNotice(payload)
	if err != nil || n.From != 1 || n.To != 500 || got != nil {
		t.Errorf("decodeNotice(big) = %+v, %d changes, %v; want versions 1-500 and no changes", n, len(got), err)
	}
	for _, bad := range []string{"", "{", `{"from":0,"to":1}`, `{"from":3,"to":2}`, `{"from":1,"to":2,"changes":[{"k":1,"id":"x"}]}`} {
		if _, _, err := decodeNotice(bad); err == nil {
			t.Errorf("decodeNotice(%q): no error", bad)
		}
	}
}

// TestRetention checks that old changes are pruned, and that a watcher that falls behind
// the retention gets a Reset.
func TestRetention(t *testing.T) {
	conn := needCluster(t).NewDatabase(t)
	s := open(t, conn, WithCheckInterval(50*time.Millisecond), WithChangeRetention(time.Millisecond))
	slow := open(t, conn, WithCheckInterval(time.Hour), WithChangeRetention(0))
	quiet := open(t, conn)
	quiet.noNotify = true
	ch, slowCh := watchAll(t, s), watchAll(t, slow)
	for i := range 3 {
		if _, err := quiet.CreateIdentity(ctx, store.Identity{Name: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	// s prunes after a millisecond, so on a busy machine its own feed may find the changes
	// gone and say Reset instead: either way it must reach version 3.
	for seen := uint64(0); seen < 3; {
		c := ch.take(t, 1, 2*time.Second)[0]
		if c.Version <= seen {
			t.Fatalf("change %+v after version %d", c, seen)
		}
		seen = c.Version
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		var n int
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM warden_changes`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d changes left in the table; want them pruned", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	last, err := s.CreateIdentity(ctx, store.Identity{Name: "last"})
	if err != nil {
		t.Fatal(err)
	}
	got := slowCh.take(t, 2, 2*time.Second)
	if !got[0].Reset || got[0].Version != last.Version-1 || got[1].ID != last.ID {
		t.Errorf("slow watcher behind pruned changes got %+v, want a Reset at %d then the change", got, last.Version-1)
	}
}

// TestSyncAndClose checks that Sync waits for the feed, and that Close stops it.
func TestSyncAndClose(t *testing.T) {
	conn := needCluster(t).NewDatabase(t)
	w := open(t, conn)
	r, err := Open(ctx, conn, WithLogger(testLogger(t)))
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		seen []uint64
	)
	if err := r.Watch(ctx, func(c store.Change) {
		mu.Lock()
		seen = append(seen, c.Version)
		mu.Unlock()
	}); err != nil {
		t.Fatal(err)
	}
	var last uint64
	for i := range 20 {
		id, err := w.CreateIdentity(ctx, store.Identity{Name: fmt.Sprint(i)})
		if err != nil {
			t.Fatal(err)
		}
		last = id.Version
	}
	if err := r.Sync(ctx); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	mu.Lock()
	if len(seen) != 20 || seen[19] != last {
		t.Errorf("after Sync, the watcher saw versions %v, want 20 up to %d", seen, last)
	}
	mu.Unlock()
	r.Close()
	r.Close() // twice is fine
	if err := r.Watch(ctx, func(store.Change) {}); err == nil {
		t.Errorf("Watch after Close: no error")
	}
	if err := r.Sync(ctx); err == nil {
		t.Errorf("Sync after Close: no error")
	}
	if _, err := w.CreateIdentity(ctx, store.Identity{Name: "after"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	if len(seen) != 20 {
		t.Errorf("after Close, the watcher was called: %v", seen)
	}
	mu.Unlock()
	if _, err := r.Version(ctx); err == nil {
		t.Errorf("Version after Close: no error")
	}
}
