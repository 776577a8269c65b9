package httpapi

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/wardenhq/warden/store"
)

// syncer is a store whose change feed is asynchronous, such as pgstore's: Sync returns once
// the feed has delivered every change committed before the call, and the watchers'
// callbacks for them have returned. The handler calls it after every request that wrote
// (see Handler).
type syncer interface {
	Sync(ctx context.Context) error
}

// wroteKey is the context key of a request's *atomic.Bool, set by recording when one of
// the request's writes succeeds.
type wroteKey struct{}

// withWriteFlag returns ctx carrying a new flag for recording, and the flag.
func withWriteFlag(ctx context.Context) (context.Context, *atomic.Bool) {
	flag := new(atomic.Bool)
	return context.WithValue(ctx, wroteKey{}, flag), flag
}

// wrote records, in the flag of ctx if it has one, that a write succeeded.
func wrote(ctx context.Context, err error) {
	if err != nil {
		return
	}
	if flag, ok := ctx.Value(wroteKey{}).(*atomic.Bool); ok {
		flag.Store(true)
	}
}

// recording is the store the endpoints use: st, recording every successful write in the
// request's flag, so that the handler knows to wait for the change feed after it. It
// overrides every write of store.Store (TestRecordingCoversWrites keeps the list whole).
type recording struct{ store.Store }

func (s recording) CreateProject(ctx context.Context, p store.Project) (store.Project, error) {
	out, err := s.Store.CreateProject(ctx, p)
	wrote(ctx, err)
	return out, err
}

func (s recording) UpdateProject(ctx context.Context, p store.Project) (store.Project, error) {
	out, err := s.Store.UpdateProject(ctx, p)
	wrote(ctx, err)
	return out, err
}

func (s recording) DeleteProject(ctx context.Context, id string, version uint64) (store.Project, error) {
	out, err := s.Store.DeleteProject(ctx, id, version)
	wrote(ctx, err)
	return out, err
}

func (s recording) CreateIdentity(ctx context.Context, i store.Identity) (store.Identity, error) {
	out, err := s.Store.CreateIdentity(ctx, i)
	wrote(ctx, err)
	return out, err
}

func (s recording) UpdateIdentity(ctx context.Context, i store.Identity) (store.Identity, error) {
	out, err := s.Store.UpdateIdentity(ctx, i)
	wrote(ctx, err)
	return out, err
}

func (s recording) DeleteIdentity(ctx context.Context, id string, version uint64) (store.Identity, error) {
	out, err := s.Store.DeleteIdentity(ctx, id, version)
	wrote(ctx, err)
	return out, err
}

func (s recording) CreateRole(ctx context.Context, r store.Role) (store.Role, error) {
	out, err := s.Store.CreateRole(ctx, r)
	wrote(ctx, err)
	return out, err
}

func (s recording) UpdateRole(ctx context.Context, r store.Role) (store.Role, error) {
	out, err := s.Store.UpdateRole(ctx, r)
	wrote(ctx, err)
	return out, err
}

func (s recording) DeleteRole(ctx context.Context, projectID, id string, version uint64) (store.Role, error) {
	out, err := s.Store.DeleteRole(ctx, projectID, id, version)
	wrote(ctx, err)
	return out, err
}

func (s recording) CreateMembership(ctx context.Context, m store.Membership) (store.Membership, error) {
	out, err := s.Store.CreateMembership(ctx, m)
	wrote(ctx, err)
	return out, err
}

func (s recording) UpdateMembershipRoles(ctx context.Context, projectID, identityID string, roles []store.RoleGrant, version uint64) (store.Membership, error) {
	out, err := s.Store.UpdateMembershipRoles(ctx, projectID, identityID, roles, version)
	wrote(ctx, err)
	return out, err
}

func (s recording) DeleteMembership(ctx context.Context, projectID, identityID string, version uint64) (store.Membership, error) {
	out, err := s.Store.DeleteMembership(ctx, projectID, identityID, version)
	wrote(ctx, err)
	return out, err
}

func (s recording) CreatePrivilege(ctx context.Context, p store.Privilege) (store.Privilege, error) {
	out, err := s.Store.CreatePrivilege(ctx, p)
	wrote(ctx, err)
	return out, err
}

func (s recording) UpdatePrivilege(ctx context.Context, p store.Privilege) (store.Privilege, error) {
	out, err := s.Store.UpdatePrivilege(ctx, p)
	wrote(ctx, err)
	return out, err
}

func (s recording) DeletePrivilege(ctx context.Context, id string, version uint64) (store.Privilege, error) {
	out, err := s.Store.DeletePrivilege(ctx, id, version)
	wrote(ctx, err)
	return out, err
}

// syncAfterWrite waits, when the request wrote and the store is a Syncer, until the change
// feed has delivered the request's writes to the engine. A failure is logged and does not
// change the answer: the write is committed, and the engine gets it from the feed later
// (within the store's check interval, for pgstore), just not before the answer.
func (rq *request) syncAfterWrite(flag *atomic.Bool) {
	if rq.h.syncer == nil || !flag.Load() {
		return
	}
	err := rq.h.syncer.Sync(rq.ctx)
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled) && rq.ctx.Err() != nil:
		// The client went away: nobody is waiting for the answer.
	default:
		rq.h.opts.logger.Warn("httpapi: waiting for the store's change feed after a write; the engine may not show the write yet",
			"reqId", rq.id, "err", err)
	}
}
