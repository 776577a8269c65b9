package engine

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// Identity addresses an identity in a project: the actor of a permission check.
type Identity struct {
	ProjectID  string
	IdentityID string
}

// Engine answers permission questions for the identities of a store, exactly as Infisical
// would, and fast: each identity's rules are assembled and compiled once, cached until the
// next temporal boundary or store change, and checked without locks, I/O or allocation.
//
// An Engine is safe for concurrent use by multiple goroutines. Create it with New and stop
// it with Close.
//
// # Freshness
//
// The engine follows the store's change feed: a change recompiles exactly the identities
// it affects (a role change, the identities holding the role). With the in-memory store,
// the feed is delivered before the write returns, so the next check sees the change.
//
// A temporary grant is never used outside its window, not even for one check: an ability
// remembers the instant it was compiled for and the next instant its set of active grants
// changes, and a check outside that span recompiles first (from memory, without I/O).
type Engine struct {
	st    store.Reader
	opts  options
	cat   *rules.Catalogue
	table atomic.Pointer[table]

	mu     sync.Mutex // serialises the writer side: the model and table updates
	model  *model
	cancel context.CancelFunc
	stale  chan *entry // identities to recompile off the check path
	dirty  atomic.Bool // a change could not be applied: reload until it works
}

// retryInterval is how often the engine retries loading the store after a change it could
// not apply (the store unreachable, say).
const retryInterval = time.Second

// staleQueue bounds the identities waiting for a background recompile. When it is full, the
// rest are compiled by their next check instead (correct, just not ahead of time).
const staleQueue = 1 << 16

// entry is the engine's slot for one identity: its current inputs and its compiled ability.
// Both are replaced atomically; a check reads them without locking.
type entry struct {
	in atomic.Pointer[inputs]
	ab atomic.Pointer[ability]
}

// An Option configures New.
type Option func(*options)

type options struct {
	now    func() time.Time
	coarse bool // now is time.Now: the check path may read coarseNow first
	mode   rules.Mode
	cat    *rules.Catalogue
}

// WithClock makes the engine read the time from now instead of time.Now. Tests use it to
// step a fake clock across grant boundaries.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now, o.coarse = now, false }
}

// WithMode sets the precedence between rules (rules.DenyOverrides by default: a matching
// forbid from any role or privilege always wins, as in Infisical since 2026; rules.Ordered is
// plain CASL order, as Infisical before).
func WithMode(m rules.Mode) Option { return func(o *options) { o.mode = m } }

// WithCatalogue sets the catalogue whose legacy actions the engine expands in forbid rules
// (rules.Infisical() by default).
func WithCatalogue(c *rules.Catalogue) Option { return func(o *options) { o.cat = c } }

// New loads the store's state and starts following its changes until ctx is done or Close
// is called.
func New(ctx context.Context, st store.Reader, opts ...Option) (*Engine, error) {
	e := &Engine{st: st, opts: options{now: time.Now, coarse: true, mode: rules.DenyOverrides}}
	for _, o := range opts {
		o(&e.opts)
	}
	e.cat = e.opts.cat
	if e.cat == nil {
		e.cat = rules.Infisical()
	}
	wctx, cancel := context.WithCancel(ctx)
	e.cancel = cancel
	e.stale = make(chan *entry, staleQueue)
	go e.recompiler(wctx)
	// Watch first, then load: changes committed in between are applied on top.
	var pending []store.Change
	loaded := false
	var pmu sync.Mutex
	if err := st.Watch(wctx, func(c store.Change) {
		pmu.Lock()
		if !loaded {
			pending = append(pending, c)
			pmu.Unlock()
			return
		}
		pmu.Unlock()
		e.apply(wctx, c)
	}); err != nil {
		cancel()
		return nil, fmt.Errorf("engine: watching the store: %w", err)
	}
	if err := e.reload(ctx); err != nil {
		cancel()
		return nil, err
	}
	pmu.Lock()
	loaded = true
	queued := pending
	pending = nil
	pmu.Unlock()
	for _, c := range queued {
		e.apply(wctx, c)
	}
	return e, nil
}

// Close stops following the store. Checks keep answering from the last state.
func (e *Engine) Close() error {
	e.cancel()
	return nil
}

// Can reports whether the identity may perform action on subject for the resource (nil
// for a type-level question). Any error (no membership, an unknown role, a condition CASL
// would throw on) denies.
func (e *Engine) Can(id Identity, action, subject string, r *rules.Resource) bool {
	a := e.ability(id)
	if a == nil || a.set == nil {
		return false
	}
	return a.set.Can(action, subject, r)
}

// Decision is the engine's answer with its explanation.
type Decision struct {
	Allowed bool
	// Rule is the deciding rule as written in its role or privilege (templates unfilled),
	// valid when HasRule is set.
	Rule    rules.Rule
	HasRule bool
	// RuleIndex is the deciding rule's index among its source's rules.
	RuleIndex int
	// Source is the role or additional privilege the deciding rule came from.
	Source Source
	// Err says why the check failed, when it did; Allowed is then false.
	Err error
}

// Decide answers like Can and explains the answer.
func (e *Engine) Decide(id Identity, action, subject string, r *rules.Resource) Decision {
	a := e.ability(id)
	if a == nil {
		return Decision{Err: ErrNotMember}
	}
	if a.err != nil {
		return Decision{Err: a.err}
	}
	d := a.set.Decide(action, subject, r)
	out := Decision{Allowed: d.Allowed, Err: d.Err}
	if d.Rule >= 0 {
		gi, ri := a.origin(d.Rule)
		g := a.in.grants[gi]
		out.Rule, out.HasRule, out.RuleIndex, out.Source = g.rules[ri], true, ri, g.source
	}
	return out
}

// ability returns the identity's ability valid now, compiling it when the cached one is
// stale; nil when the identity is not a member of the project.
func (e *Engine) ability(id Identity) *ability {
	en := e.table.Load().get(id)
	if en == nil {
		return nil
	}
	in := en.in.Load()
	if in == nil {
		return nil
	}
	a := en.ab.Load()
	if a != nil && a.in == in && in.static {
		return a // no grant of this identity ever starts or ends: no need to read the clock
	}
	if e.opts.coarse {
		// The default clock: a microsecond reading (half the cost of time.Now here) bounds
		// the instant to [lo, lo+1µs); when the ability is valid on all of it, it is valid
		// now, whatever the nanoseconds. Otherwise read the time exactly.
		if lo, ok := coarseNow(); ok && a != nil && a.validAround(in, lo, coarseWidth) {
			return a
		}
	}
	now := e.opts.now()
	if a != nil && a.valid(in, now) {
		return a
	}
	a = compile(in, now, e.opts.mode)
	en.ab.Store(a)
	return a
}

// recompiler compiles, ahead of their next check, the identities a store change affected.
//
// A change often affects many identities at once (a role edit: every holder of the role), and
// the writer queues them while it applies the change. Woken by the first of them, the
// recompiler waits until the writer is done with the change, then takes every identity
// queued by then: queueing the others cost the writer no wake-up, and the recompiler did not
// compete for the cores with the writer. While compiling, it gives way every few identities
// to the checks, and to the writer when it is applying a change again.
func (e *Engine) recompiler(ctx context.Context) {
	retry := time.NewTicker(retryInterval)
	defer retry.Stop()
	// waitWriter returns when the writer is between changes. It polls rather than waits in
	// line for e.mu: a waiter in line can be handed the lock while it is not running, and the
	// writer would then wait for it.
	waitWriter := func() {
		for !e.mu.TryLock() {
			time.Sleep(100 * time.Microsecond)
		}
		e.mu.Unlock()
	}
	var batch []*entry
	for {
		select {
		case <-ctx.Done():
			return
		case <-retry.C:
			if e.dirty.Load() {
				_ = e.reload(ctx) // clears dirty when it succeeds
			}
			continue
		case en := <-e.stale:
			batch = append(batch, en)
		}
		for len(batch) > 0 && ctx.Err() == nil {
			waitWriter()
			for more := true; more; {
				select {
				case en := <-e.stale:
					batch = append(batch, en)
				default:
					more = false
				}
			}
			recompileAll(batch, e.opts.now, e.opts.mode, waitWriter)
			clear(batch)
			batch = batch[:0]
			select {
			case en := <-e.stale:
				batch = append(batch, en)
			default:
			}
		}
	}
}

// recompileSoon queues en for the recompiler, or leaves it to its next check when the queue
// is full.
func (e *Engine) recompileSoon(en *entry) {
	select {
	case e.stale <- en:
	default:
	}
}

// Refresh reloads the whole state from the store, as after a missed change.
func (e *Engine) Refresh(ctx context.Context) error { return e.reload(ctx) }
