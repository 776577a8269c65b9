package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wardenhq/warden/store"
)

// channel is the notification channel every write notifies on.
const channel = "warden_changes"

// maxNotice is the largest payload a notification carries with its changes; PostgreSQL
// refuses payloads of 8000 bytes and more. A bigger write notifies its versions only, and
// listeners read its changes from the changes table.
const maxNotice = 7900

// maxCatchUp is the most missed changes the feed reads from the changes table to catch up;
// further behind, it delivers a Reset, which costs a watcher one reload.
const maxCatchUp = 10_000

// opTimeout bounds each exchange of the listener with the database (connecting and
// catching up, a check, reading a notification's changes), so that a connection that
// silently stopped answering is replaced rather than waited on.
const opTimeout = 10 * time.Second

// pruneEvery is the longest time between two prunings of the changes table by one store.
const pruneEvery = time.Minute

// A notice is the payload of a notification: the versions of one write's changes, From to
// To, and the changes themselves unless they did not fit.
type notice struct {
	From    uint64         `json:"from"`
	To      uint64         `json:"to"`
	Changes []noticeChange `json:"changes,omitempty"`
}

type noticeChange struct {
	Kind       store.Kind `json:"k"`
	Deleted    bool       `json:"d,omitempty"`
	ProjectID  string     `json:"p,omitempty"`
	IdentityID string     `json:"i,omitempty"`
	ID         string     `json:"id"`
}

// encodeNotice returns the payload announcing cs, a write's changes in version order.
func encodeNotice(cs []store.Change) string {
	n := notice{From: cs[0].Version, To: cs[len(cs)-1].Version, Changes: make([]noticeChange, len(cs))}
	for i, c := range cs {
		n.Changes[i] = noticeChange{c.Kind, c.Deleted, c.ProjectID, c.IdentityID, c.ID}
	}
	b, _ := json.Marshal(n) // plain values: cannot fail
	if len(b) > maxNotice {
		n.Changes = nil
		b, _ = json.Marshal(n)
	}
	return string(b)
}

// decodeNotice reads a payload; the changes are nil when the notice carries none.
func decodeNotice(payload string) (notice, []store.Change, error) {
	var n notice
	if err := json.Unmarshal([]byte(payload), &n); err != nil {
		return n, nil, err
	}
	if n.From == 0 || n.To < n.From {
		return n, nil, fmt.Errorf("versions %d to %d", n.From, n.To)
	}
	if n.Changes == nil {
		return n, nil, nil
	}
	if uint64(len(n.Changes)) != n.To-n.From+1 {
		return n, nil, fmt.Errorf("%d changes for versions %d to %d", len(n.Changes), n.From, n.To)
	}
	cs := make([]store.Change, len(n.Changes))
	for i, c := range n.Changes {
		cs[i] = store.Change{Version: n.From + uint64(i), Kind: c.Kind, Deleted: c.Deleted, ProjectID: c.ProjectID, IdentityID: c.IdentityID, ID: c.ID}
	}
	return n, cs, nil
}

// feed is the state of a store's change feed. The listener goroutine (run) is the only one
// that delivers changes; the fields under mu are shared with Watch, Sync and Synced.
type feed struct {
	startMu sync.Mutex // serializes starting the listener, and Close with it
	started bool

	mu        sync.Mutex
	watchers  []*watcher
	delivered uint64        // the last version handed to the watchers (or being handed)
	done      uint64        // the last version whose callbacks have all returned
	synced    time.Time     // when the last successful check started
	syncedV   uint64        // done at that check
	progress  chan struct{} // closed and replaced whenever done or synced moves

	pruned time.Time // the last pruning of the changes table (listener only)
}

type watcher struct {
	ctx   context.Context
	fn    func(store.Change)
	start uint64 // the watcher gets the changes above this version (and every Reset); set by Watch, then by the listener only
}

func (f *feed) init() { f.progress = make(chan struct{}) }

// advance wakes Sync; it runs with f.mu held.
func (f *feed) advance() {
	close(f.progress)
	f.progress = make(chan struct{})
}

// Watch calls fn for every change committed after Watch returns, in version order, until
// ctx is done; see store.Reader.
//
// The first Watch on a Store starts its listener: a connection of its own that LISTENs for
// the writes' notifications. If that connection cannot be made, Watch fails. From then on
// the listener reconnects by itself whenever the connection breaks, and heals missed
// notifications (see the package documentation).
//
// fn runs on the listener's goroutine, one change at a time, for every watcher of the
// Store in turn: it never runs concurrently with itself or with another watcher's fn, and a
// slow fn delays every watcher. It is called after the change has been committed, usually
// a millisecond or so after, and so may lag behind the writer's return: unlike memstore's,
// this feed is asynchronous (Sync waits for it). fn may read the store and call Watch; it
// must not call Sync or Close, which wait for it.
func (s *Store) Watch(ctx context.Context, fn func(store.Change)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.startFeed(ctx); err != nil {
		return err
	}
	v, err := getVersion(ctx, s.pool)
	if err != nil {
		return err
	}
	w := &watcher{ctx: ctx, fn: fn}
	s.feed.mu.Lock()
	w.start = max(v, s.feed.delivered)
	s.feed.watchers = append(s.feed.watchers, w)
	s.feed.mu.Unlock()
	context.AfterFunc(ctx, func() {
		s.feed.mu.Lock()
		s.feed.watchers = slices.DeleteFunc(s.feed.watchers, func(x *watcher) bool { return x == w })
		s.feed.mu.Unlock()
	})
	return nil
}

// Sync waits until the change feed has delivered every change committed before Sync was
// called, and the watchers' callbacks for them have returned. A process that writes and
// then wants its own engine to reflect the write calls Sync in between. Sync starts the
// listener if no Watch has. It must not be called from a watcher's callback.
func (s *Store) Sync(ctx context.Context) error {
	if err := s.startFeed(ctx); err != nil {
		return err
	}
	v, err := getVersion(ctx, s.pool)
	if err != nil {
		return err
	}
	for {
		s.feed.mu.Lock()
		done, ch := s.feed.done, s.feed.progress
		s.feed.mu.Unlock()
		if done >= v {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.ctx.Done():
			return ErrClosed
		}
	}
}

// Synced reports how fresh the change feed is: every change committed before at has been
// delivered to the watchers, whose callbacks have returned, and version is the store
// version as of then. The listener moves at forward every check interval while it is
// connected; while the database is unreachable, at stays where it was. Both are zero
// before the first Watch or Sync.
//
// A service that must not decide on state older than some bound compares at with the
// time: time.Since(at) exceeding the check interval by much means the feed is cut off.
func (s *Store) Synced() (version uint64, at time.Time) {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	return s.feed.syncedV, s.feed.synced
}

// startFeed starts the listener, once.
func (s *Store) startFeed(ctx context.Context) error {
	s.feed.startMu.Lock()
	defer s.feed.startMu.Unlock()
	if s.ctx.Err() != nil {
		return ErrClosed
	}
	if s.feed.started {
		return nil
	}
	lctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	conn, v, at, err := s.listen(lctx)
	if err != nil {
		return fmt.Errorf("pgstore: starting the change feed: %w", err)
	}
	s.feed.mu.Lock()
	s.feed.delivered, s.feed.done = v, v
	s.feed.synced, s.feed.syncedV = at, v
	s.feed.mu.Unlock()
	s.feed.started = true
	s.wg.Add(1)
	go s.run(conn)
	return nil
}

// listen opens the listener's connection, LISTENs, and then reads the store version: every
// change committed before at has at most that version, and every change after it is
// notified on the connection.
func (s *Store) listen(ctx context.Context) (conn *pgx.Conn, version uint64, at time.Time, err error) {
	conn, err = pgx.ConnectConfig(ctx, s.connCfg.Copy())
	if err != nil {
		return nil, 0, at, err
	}
	if _, err = conn.Exec(ctx, `LISTEN `+channel); err == nil {
		at = time.Now()
		version, err = getVersion(ctx, conn)
	}
	if err != nil {
		closeConn(conn)
		return nil, 0, at, err
	}
	return conn, version, at, nil
}

func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	conn.Close(ctx) //nolint:errcheck // the connection is going away either way
}

// run is the listener: it serves notifications and checks on conn until the connection
// breaks, then reconnects, until Close.
func (s *Store) run(conn *pgx.Conn) {
	defer s.wg.Done()
	for {
		err := s.serve(conn)
		closeConn(conn)
		if s.ctx.Err() != nil {
			return
		}
		s.opts.log.Warn("pgstore: the change feed lost its connection; reconnecting", "err", err)
		// The server may have restarted: the pool's connections are likely broken too.
		// Replace them, so that the watchers' reads after the reconnection do not fail.
		s.pool.Reset()
		if conn = s.reconnect(); conn == nil {
			return
		}
	}
}

// serve waits for notifications and delivers their changes, and checks the store version
// every check interval, until an error.
func (s *Store) serve(conn *pgx.Conn) error {
	next := time.Now().Add(s.opts.interval)
	for {
		ctx, cancel := context.WithDeadline(s.ctx, next)
		n, err := conn.WaitForNotification(ctx)
		cancel()
		switch {
		case s.ctx.Err() != nil:
			return s.ctx.Err()
		case err == nil:
			err = s.op(func(ctx context.Context) error { return s.handle(ctx, conn, n.Payload) })
		case pgconn.Timeout(err): // the check is due
			err = s.op(func(ctx context.Context) error { return s.check(ctx, conn) })
			next = time.Now().Add(s.opts.interval)
		}
		if err != nil {
			return err
		}
	}
}

// reconnect opens a new listener connection and catches up, retrying with a growing pause
// (at most the check interval) until it succeeds or the store is closed (nil).
func (s *Store) reconnect() *pgx.Conn {
	wait := 50 * time.Millisecond
	for {
		if s.beforeReconnect != nil {
			s.beforeReconnect()
		}
		if s.ctx.Err() != nil {
			return nil
		}
		var conn *pgx.Conn
		err := s.op(func(ctx context.Context) error {
			c, v, at, err := s.listen(ctx)
			if err != nil {
				return err
			}
			if err := s.catchUp(ctx, c, v); err != nil {
				closeConn(c)
				return err
			}
			s.markSynced(at)
			conn = c
			return nil
		})
		if err == nil {
			s.opts.log.Info("pgstore: the change feed reconnected")
			return conn
		}
		s.opts.log.Warn("pgstore: the change feed cannot reconnect", "err", err, "retry in", wait)
		select {
		case <-s.ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, s.opts.interval)
	}
}

// handle delivers the changes a notification announces, first reading any it skipped over
// from the changes table.
func (s *Store) handle(ctx context.Context, conn *pgx.Conn, payload string) error {
	n, cs, err := decodeNotice(payload)
	if err != nil {
		s.opts.log.Warn("pgstore: a malformed notification; checking the version instead", "payload", payload, "err", err)
		return s.check(ctx, conn)
	}
	d := s.delivered()
	switch {
	case n.To <= d:
		return nil // already delivered, by a check
	case n.From > d+1: // a gap: notifications were missed
		if err := s.catchUp(ctx, conn, n.From-1); err != nil {
			return err
		}
	}
	if cs == nil || n.From != s.delivered()+1 {
		return s.catchUp(ctx, conn, n.To)
	}
	s.deliver(cs)
	return nil
}

// check compares the store version with the last delivered one and catches up: it heals
// missed notifications. It also prunes the changes table now and then.
func (s *Store) check(ctx context.Context, conn *pgx.Conn) error {
	at := time.Now()
	v, err := getVersion(ctx, conn)
	if err != nil {
		return err
	}
	if err := s.catchUp(ctx, conn, v); err != nil {
		return err
	}
	s.markSynced(at)
	if r := s.opts.retention; r > 0 && time.Since(s.feed.pruned) >= min(r, pruneEvery) {
		s.feed.pruned = time.Now()
		if _, err := conn.Exec(ctx, `DELETE FROM warden_changes WHERE committed_at < now() - make_interval(secs => $1)`, r.Seconds()); err != nil {
			s.opts.log.Warn("pgstore: pruning the changes table", "err", err)
		}
	}
	return nil
}

// catchUp delivers every change from the last delivered version to target, read from the
// changes table, or a Reset at target when they are no longer all there (pruned), too many,
// or the store went back (a restored database).
func (s *Store) catchUp(ctx context.Context, conn *pgx.Conn, target uint64) error {
	d := s.delivered()
	switch {
	case target == d:
		return nil
	case target < d, target-d > maxCatchUp:
		s.deliver([]store.Change{{Version: target, Reset: true}})
		return nil
	}
	cs, err := list(ctx, conn, scanChange, `SELECT version, kind, deleted, project_id, identity_id, object_id
		FROM warden_changes WHERE version > $1 AND version <= $2 ORDER BY version`, int64(d), int64(target))
	if err != nil {
		return err
	}
	if uint64(len(cs)) != target-d || cs[0].Version != d+1 {
		s.deliver([]store.Change{{Version: target, Reset: true}})
		return nil
	}
	s.deliver(cs)
	return nil
}

// op runs f with a context that ends at Close or after opTimeout.
func (s *Store) op(f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(s.ctx, opTimeout)
	defer cancel()
	return f(ctx)
}

func scanChange(row pgx.CollectableRow) (store.Change, error) {
	var (
		c    store.Change
		kind int16
	)
	err := row.Scan(&c.Version, &kind, &c.Deleted, &c.ProjectID, &c.IdentityID, &c.ID)
	c.Kind = store.Kind(kind)
	return c, err
}

func (s *Store) delivered() uint64 {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	return s.feed.delivered
}

// deliver hands cs, consecutive changes after the last delivered one (or one Reset), to
// every watcher, change by change, in the order the watchers registered.
func (s *Store) deliver(cs []store.Change) {
	last := cs[len(cs)-1].Version
	s.feed.mu.Lock()
	ws := slices.Clone(s.feed.watchers)
	s.feed.delivered = last
	s.feed.mu.Unlock()
	for _, c := range cs {
		for _, w := range ws {
			switch {
			case w.ctx.Err() != nil:
			case c.Reset:
				w.start = c.Version // the state may have gone back: what follows is new
				w.fn(c)
			case c.Version > w.start:
				w.fn(c)
			}
		}
	}
	s.feed.mu.Lock()
	s.feed.done = last
	s.feed.advance()
	s.feed.mu.Unlock()
}

// markSynced records a successful check that started at at.
func (s *Store) markSynced(at time.Time) {
	s.feed.mu.Lock()
	s.feed.synced, s.feed.syncedV = at, s.feed.done
	s.feed.advance()
	s.feed.mu.Unlock()
}
