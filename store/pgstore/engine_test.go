package pgstore

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/internal/pgtest"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// A propagation fixture: two service instances on one database, each with its own Store
// (its own pool and listener) and its own engine. Write k goes through instance 0, or
// through instance k%2 when alternate is set, and is looked for in the other instance's
// engine.
type propagation struct {
	stores    [2]*Store
	engines   [2]*engine.Engine
	alternate bool
	project   store.Project
	who       []engine.Identity
	privs     []store.Privilege

	// Called before and after each write, when set.
	starting func(k int)
	written  func(k int, at time.Time)
}

// newPropagation makes n member identities, each with one privilege, and an engine over
// each store.
func newPropagation(t testing.TB, a, b *Store, n int) *propagation {
	t.Helper()
	p := &propagation{stores: [2]*Store{a, b}}
	var err error
	if p.project, err = a.CreateProject(ctx, store.Project{Slug: "prop", Name: "Propagation"}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		id, err := a.CreateIdentity(ctx, store.Identity{Name: fmt.Sprintf("svc-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreateMembership(ctx, store.Membership{ProjectID: p.project.ID, IdentityID: id.ID, Roles: []store.RoleGrant{{Role: "no-access"}}}); err != nil {
			t.Fatal(err)
		}
		priv, err := a.CreatePrivilege(ctx, store.Privilege{ProjectID: p.project.ID, IdentityID: id.ID, Slug: "grant", Permissions: grantRules(t, -1)})
		if err != nil {
			t.Fatal(err)
		}
		p.who = append(p.who, engine.Identity{ProjectID: p.project.ID, IdentityID: id.ID})
		p.privs = append(p.privs, priv)
	}
	ectx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	for i, s := range p.stores {
		if p.engines[i], err = engine.New(ectx, s); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.engines[i].Close() })
	}
	return p
}

// writer returns the instance write k goes through.
func (p *propagation) writer(k int) int {
	if p.alternate {
		return k % 2
	}
	return 0
}

// grantRules lets its holder read the secrets under /w/k in prod.
func grantRules(t testing.TB, k int) []rules.Rule {
	rs, err := rules.Parse(fmt.Appendf(nil, `[{"action": "readValue", "subject": "secrets", "conditions": {"environment": "prod", "secretPath": {"$glob": "/w/%d"}}}]`, k))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func resource(k int) *rules.Resource {
	return &rules.Resource{Environment: "prod", SecretPath: fmt.Sprintf("/w/%d", k)}
}

// write k moves the privilege of identity k%n to /w/k through the writer.
func (p *propagation) write(t testing.TB, k int) error {
	if p.starting != nil {
		p.starting(k)
	}
	i := k % len(p.privs)
	x := p.privs[i]
	x.Permissions = grantRules(t, k)
	x, err := p.stores[p.writer(k)].UpdatePrivilege(ctx, x)
	if err != nil {
		return err
	}
	p.privs[i] = x
	if p.written != nil {
		p.written(k, time.Now())
	}
	return nil
}

// visible reports whether write k shows in the engine of the instance it did not go
// through.
func (p *propagation) visible(k int, r *rules.Resource) bool {
	return p.engines[1-p.writer(k)].Can(p.who[k%len(p.who)], "readValue", "secrets", r)
}

// measure makes writes from..from+n-1 and returns, for each, how long after the write returned the
// reader's engine answered the new grant (polling Can every 50 µs), failing after limit.
func (p *propagation) measure(t testing.TB, from, n int, limit time.Duration) []time.Duration {
	t.Helper()
	lat := make([]time.Duration, 0, n)
	for k := from; k < from+n; k++ {
		r := resource(k)
		if p.visible(k, r) {
			t.Fatalf("write %d visible before it was made", k)
		}
		if err := p.write(t, k); err != nil {
			t.Fatalf("write %d: %v", k, err)
		}
		start := time.Now()
		for !p.visible(k, r) {
			if time.Since(start) > limit {
				t.Fatalf("write %d not visible in the other engine after %v", k, limit)
			}
			time.Sleep(50 * time.Microsecond)
		}
		lat = append(lat, time.Since(start))
	}
	return lat
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// TestPropagation makes 1000 writes, alternately through each of two instances, and
// measures how long each takes to show in the other instance's engine. The target is 100 ms at p99; the test asserts
// only a generous 2 s per write and reports the distribution (go test -v).
func TestPropagation(t *testing.T) {
	conn := needCluster(t).NewDatabase(t)
	p := newPropagation(t, open(t, conn), open(t, conn), 20)
	p.alternate = true
	lat := p.measure(t, 0, 1000, 2*time.Second)
	t.Logf("propagation of %d writes to the other instance's engine: p50 %v, p90 %v, p99 %v, max %v",
		len(lat), percentile(lat, .5), percentile(lat, .9), percentile(lat, .99), slices.Max(lat))
}

// TestRestart restarts the database under a running engine: the reader's listener
// reconnects by itself and resynchronises, including a write committed while it was
// disconnected (whose notification it never got), and the engine never serves a decision
// older than the documented bound: at every instant, every write that returned before
// Synced's time shows in the engine. The test runs on a cluster of its own.
func TestRestart(t *testing.T) {
	needCluster(t)
	rc, err := pgtest.Start()
	if err != nil {
		t.Fatalf("starting a second cluster: %v", err)
	}
	t.Cleanup(rc.Stop) // after the stores close
	conn := rc.NewDatabase(t)
	const interval = 200 * time.Millisecond
	reader := open(t, conn, WithCheckInterval(interval))
	var gate sync.Mutex // held: the reader's listener waits before reconnecting
	reader.beforeReconnect = func() { gate.Lock(); gate.Unlock() }
	writer := open(t, conn)
	p := newPropagation(t, writer, reader, 4) // writes go through writer

	// written records when each write returned: it was committed before then. A write
	// is superseded (no longer visible, rightly) once the next write of its identity
	// has started.
	var (
		mu      sync.Mutex
		started = map[int]bool{}
		written = map[int]time.Time{}
	)
	p.starting = func(k int) { mu.Lock(); started[k] = true; mu.Unlock() }
	p.written = func(k int, at time.Time) { mu.Lock(); written[k] = at; mu.Unlock() }
	write := func(k int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			err := p.write(t, k)
			if err == nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("write %d: %v", k, err)
			}
			time.Sleep(50 * time.Millisecond) // the writer's pool meets the restart too
		}
	}
	// The sampler checks the bound continuously.
	var (
		stop       = make(chan struct{})
		sampled    sync.WaitGroup
		violations []string
		samples    int
	)
	sampled.Add(1)
	go func() {
		defer sampled.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			_, at := reader.Synced()
			mu.Lock()
			for k, w := range written {
				if w.Before(at) && !started[k+len(p.who)] && !p.visible(k, resource(k)) {
					violations = append(violations, fmt.Sprintf("write %d returned at %v, before the feed's sync at %v, but the engine does not show it",
						k, w.Format(time.StampMicro), at.Format(time.StampMicro)))
				}
			}
			samples++
			mu.Unlock()
		}
	}()

	write(0)
	waitVisible(t, p, 0, 2*time.Second)

	gate.Lock()
	if err := rc.StopServer(); err != nil {
		t.Fatal(err)
	}
	if err := rc.StartServer(); err != nil {
		t.Fatal(err)
	}
	// Committed while the reader's listener is away: nobody hears its notification.
	write(1)
	time.Sleep(3 * interval)
	if p.visible(1, resource(1)) {
		t.Errorf("write 1 visible while the reader was disconnected")
	}
	_, before := reader.Synced()
	released := time.Now()
	gate.Unlock()
	d := waitVisible(t, p, 1, 2*time.Second)
	t.Logf("after reconnecting, the engine showed the missed write in %v", d)
	v, at := reader.Synced()
	for deadline := time.Now().Add(2 * time.Second); !at.After(released) && time.Now().Before(deadline); v, at = reader.Synced() {
		time.Sleep(time.Millisecond) // the callbacks return before the resync is recorded
	}
	if !at.After(before) || !at.After(released) || v < p.privs[1].Version {
		t.Errorf("after reconnecting, Synced() = %d at %v; want at least %d after %v", v, at, p.privs[1].Version, released)
	}
	// Back to normal: writes propagate, and the sync keeps within the check interval.
	lat := p.measure(t, 2, 50, 2*time.Second)
	maxAge := time.Duration(0)
	for range 10 {
		time.Sleep(interval / 2)
		_, at := reader.Synced()
		maxAge = max(maxAge, time.Since(at))
	}
	close(stop)
	sampled.Wait()
	t.Logf("after the restart: propagation p50 %v, max %v; the feed's sync was at most %v old (check interval %v); %d samples of the bound",
		percentile(lat, .5), slices.Max(lat), maxAge, interval, samples)
	if maxAge > 2*time.Second {
		t.Errorf("the feed's sync was %v old while connected", maxAge)
	}
	for _, v := range violations {
		t.Error(v)
	}
}

func waitVisible(t *testing.T, p *propagation, k int, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for !p.visible(k, resource(k)) {
		if time.Since(start) > limit {
			t.Fatalf("write %d not visible after %v", k, limit)
		}
		time.Sleep(time.Millisecond)
	}
	return time.Since(start)
}
