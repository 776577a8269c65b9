package memstore

import (
	"context"

	"github.com/wardenhq/warden/store"
)

type watcher struct {
	ctx context.Context
	fn  func(store.Change)
}

// Watch registers fn to be called for every change committed after Watch returns, until
// ctx is done; see store.Reader. It returns at once.
//
// Delivery is synchronous: the writing goroutine calls fn for each change of its write, in
// order, after the new state is visible to readers and before the write method returns. So
// a caller that writes and then checks a permission sees the effect of its write, with no
// polling and no delay. Writes are serialized, so fn sees versions in increasing order and
// never runs concurrently with itself or with other watchers' fn.
//
// fn may read the store, and reads see the state right after the write that made the
// change (no later write commits until fn returns). fn may call Watch. It must not write to
// the store: that deadlocks. A slow fn slows every write.
func (s *Store) Watch(ctx context.Context, fn func(store.Change)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w := &watcher{ctx: ctx, fn: fn}
	s.wmu.Lock()
	s.watchers[w] = struct{}{}
	s.wmu.Unlock()
	context.AfterFunc(ctx, func() {
		s.wmu.Lock()
		delete(s.watchers, w)
		s.wmu.Unlock()
	})
	return nil
}

// deliver calls the watchers for changes. It runs with s.mu held.
func (s *Store) deliver(changes []store.Change) {
	if len(changes) == 0 {
		return
	}
	s.wmu.Lock()
	ws := make([]*watcher, 0, len(s.watchers))
	for w := range s.watchers {
		ws = append(ws, w)
	}
	s.wmu.Unlock()
	for _, w := range ws {
		for _, c := range changes {
			if w.ctx.Err() != nil {
				break
			}
			w.fn(c)
		}
	}
}
