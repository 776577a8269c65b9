package pgstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// ErrSchemaTooNew is returned by Open when the database's schema was migrated by a newer
// warden than this one: this code does not know its tables. Upgrade warden.
var ErrSchemaTooNew = errors.New("pgstore: the database schema is newer than this warden")

// ErrClosed is returned by Watch and Sync after Close.
var ErrClosed = errors.New("pgstore: store closed")

// Store is a store.Store kept in a PostgreSQL database. Open one per process and share it;
// several processes may open the same database, each with its own Store, and they see one
// state. The package documentation describes the schema, the change feed and how fresh
// watchers are.
//
// A Store is safe for concurrent use by multiple goroutines.
type Store struct {
	pool      *pgxpool.Pool
	connCfg   *pgx.ConnConfig // for the listener's own connection
	validator store.Validator
	opts      options

	ctx    context.Context // canceled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // the listener
	closed sync.Once

	feed feed

	// Test hooks: noNotify makes writes skip NOTIFY (a lost notification);
	// beforeReconnect runs before each attempt of the listener to reconnect.
	noNotify        bool
	beforeReconnect func()
}

var _ store.Store = (*Store)(nil)

// An Option configures Open.
type Option func(*options)

type options struct {
	clock     func() time.Time
	cat       *rules.Catalogue
	interval  time.Duration
	retention time.Duration
	log       *slog.Logger
}

// DefaultCheckInterval is how often, by default, the change feed checks the store version
// to heal a missed notification. It bounds how stale a watcher can be (see the package
// documentation, # Freshness).
const DefaultCheckInterval = time.Second

// DefaultChangeRetention is how long, by default, the changes table keeps a change for
// watchers that fall behind.
const DefaultChangeRetention = 24 * time.Hour

// WithClock sets the clock that stamps createdAt and updatedAt. By default the database's
// clock does (clock_timestamp() when the write takes the version lock), so that every
// process stamps with the same clock. Stored times are truncated to the millisecond, in UTC.
func WithClock(now func() time.Time) Option { return func(o *options) { o.clock = now } }

// WithCatalogue sets the catalogue permissions are validated against (default
// rules.Infisical()).
func WithCatalogue(c *rules.Catalogue) Option { return func(o *options) { o.cat = c } }

// WithCheckInterval sets how often the change feed checks the store version, and the
// longest wait between two attempts to reconnect (default DefaultCheckInterval). It must be
// positive.
func WithCheckInterval(d time.Duration) Option { return func(o *options) { o.interval = d } }

// WithChangeRetention sets how long the changes table keeps a change (default
// DefaultChangeRetention); 0 keeps them for ever. A watcher that falls further behind than
// this receives a Reset instead of the changes it missed.
func WithChangeRetention(d time.Duration) Option { return func(o *options) { o.retention = d } }

// WithLogger sets where the change feed reports losing and regaining its connection
// (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// connectTimeout bounds each connection attempt when the connection string sets no
// connect_timeout, so that an unreachable server is an error at Open, not a hang.
const connectTimeout = 10 * time.Second

// Open connects to the database that connString names, creates or upgrades warden's
// tables, and returns the store. connString is a PostgreSQL URL or keyword/value string,
// as pgx reads it ("postgres://user:secret@db.example:5432/warden?sslmode=verify-full",
// "host=/run/postgresql dbname=warden"); pgxpool's pool_* parameters size the pool.
//
// Open fails, and holds nothing, when the connection string does not parse, when the
// server cannot be reached or refuses the login (each attempt gives up after
// connect_timeout, 10 s unless the string sets it, or when ctx is done), and with
// ErrSchemaTooNew when a newer warden has migrated the database.
//
// Migrations run in one transaction under an advisory lock, so several processes may open
// the same database at once: one migrates, the others wait and find the schema current.
func Open(ctx context.Context, connString string, opts ...Option) (*Store, error) {
	o := options{interval: DefaultCheckInterval, retention: DefaultChangeRetention}
	for _, opt := range opts {
		opt(&o)
	}
	if o.interval <= 0 {
		return nil, fmt.Errorf("pgstore: check interval %v: want a positive duration", o.interval)
	}
	if o.log == nil {
		o.log = slog.Default()
	}
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("pgstore: bad connection string: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: connecting to the database: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	s := &Store{
		pool:      pool,
		connCfg:   cfg.ConnConfig.Copy(),
		validator: store.Validator{Catalogue: o.cat},
		opts:      o,
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.feed.init()
	return s, nil
}

// Close stops the change feed and closes the connections. Watchers are not called after
// Close returns. Close must not be called from a watcher's callback. Other methods fail
// after Close.
func (s *Store) Close() {
	s.closed.Do(func() {
		s.feed.startMu.Lock() // a Watch starting the listener finishes first
		s.cancel()
		s.feed.startMu.Unlock()
		s.wg.Wait()
		s.pool.Close()
	})
}
