package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// DefaultMaxBodyBytes is the largest request body the handler reads: 1 MiB, the default
// body limit of the Fastify server Infisical runs on. A larger body is refused with 413.
const DefaultMaxBodyBytes = 1 << 20

// Handler serves Infisical's REST endpoints for project roles, identity memberships and
// identity additional privileges (see the package documentation for the routes) over a store
// and an engine. Create it with New; it is safe for concurrent use.
//
// # Read your writes
//
// A change made through the handler is visible to the engine's next check (Can, Decide,
// Boundary) once the client has the answer, over any store. memstore delivers changes to
// its watchers, and so to the engine, before the write returns. A store whose change feed
// is asynchronous, such as pgstore's (LISTEN/NOTIFY), implements
//
//	interface{ Sync(ctx context.Context) error }
//
// returning once the feed has delivered every change committed before the call to the
// watchers and their callbacks have returned. After every request that wrote to such a
// store, successful or not (a request can fail after its write committed), the handler
// calls Sync with the request's context before it answers: the answer waits for the feed,
// usually a millisecond or so. This holds for the engine given to New, which must watch st
// itself: another Store value on the same database (another process) sees the change only
// when its own feed delivers it. If Sync fails (the client went away, the database is
// unreachable), the handler logs it and answers as it would have: the write is committed,
// and the engine gets it when the feed catches up (within the store's check interval).
type Handler struct {
	st     store.Store // the store given to New, recording the requests' writes
	syncer syncer      // the store, when it has Sync; else nil
	eng    *engine.Engine
	auth   Authenticator
	opts   options
	mux    *http.ServeMux
}

// An Option configures New.
type Option func(*options)

type options struct {
	maxBody int64
	logger  *slog.Logger
	cat     *rules.Catalogue
}

// WithMaxBodyBytes sets the largest request body the handler reads (DefaultMaxBodyBytes by
// default).
func WithMaxBodyBytes(n int64) Option { return func(o *options) { o.maxBody = n } }

// WithLogger sets where the handler logs internal errors, the ones it answers with 500
// (slog.Default() by default).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithCatalogue sets the catalogue request permissions are validated against before
// anything else is done (rules.Infisical() by default). It should be the catalogue the store
// validates writes with.
func WithCatalogue(c *rules.Catalogue) Option { return func(o *options) { o.cat = c } }

// New returns a Handler serving the API over st, deciding who may call what with e, which
// must follow st (engine.New(ctx, st)). auth maps a request's bearer token to the calling
// identity. When st has a Sync method, the handler calls it after each request that wrote
// (see Handler, Read your writes).
func New(st store.Store, e *engine.Engine, auth Authenticator, opts ...Option) *Handler {
	h := &Handler{st: recording{st}, eng: e, auth: auth, opts: options{maxBody: DefaultMaxBodyBytes}}
	h.syncer, _ = st.(syncer)
	for _, o := range opts {
		o(&h.opts)
	}
	if h.opts.logger == nil {
		h.opts.logger = slog.Default()
	}
	if h.opts.cat == nil {
		h.opts.cat = rules.Infisical()
	}
	h.mux = http.NewServeMux()
	h.routes()
	return h
}

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// request is one call in progress: who is calling, and the request's ID for the error body.
type request struct {
	h     *Handler
	w     http.ResponseWriter
	r     *http.Request
	ctx   context.Context
	id    string
	actor string // the calling identity's ID
}

// endpoint serves one route: it returns the response body (encoded as JSON with status 200)
// or an error (see writeError).
type endpoint func(rq *request) (any, error)

// handle registers an endpoint. A pattern ending in "/" is the collection itself; it is
// registered both with and without the slash, as Fastify serves both.
func (h *Handler) handle(pattern string, ep endpoint) {
	serve := func(w http.ResponseWriter, r *http.Request) {
		ctx, wrote := withWriteFlag(r.Context())
		rq := &request{h: h, w: w, r: r, ctx: ctx, id: newRequestID()}
		w.Header().Set("X-Request-Id", rq.id)
		var body any
		err := h.authenticate(rq)
		if err == nil {
			body, err = ep(rq)
		}
		rq.syncAfterWrite(wrote) // before answering: the client may check next
		if err != nil {
			rq.writeError(err)
			return
		}
		rq.writeJSON(http.StatusOK, body)
	}
	if base, ok := strings.CutSuffix(pattern, "/"); ok {
		h.mux.HandleFunc(base, serve)
		h.mux.HandleFunc(pattern+"{$}", serve)
		return
	}
	h.mux.HandleFunc(pattern, serve)
}

func (h *Handler) routes() {
	h.privilegeRoutes()
	h.roleRoutes()
	h.membershipRoutes()
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		rq := &request{h: h, w: w, r: r, ctx: r.Context(), id: newRequestID()}
		w.Header().Set("X-Request-Id", rq.id)
		rq.writeError(&apiError{Status: http.StatusNotFound, Name: "NotFound",
			Message: "Route " + r.Method + ":" + r.URL.Path + " not found"})
	})
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "req-" + hex.EncodeToString(b[:])
}

func (rq *request) writeJSON(status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		rq.h.opts.logger.Error("httpapi: encoding a response", "reqId", rq.id, "err", err)
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{ReqID: rq.id, StatusCode: status, Message: "Something went wrong", Error: "InternalServerError"})
	}
	rq.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	rq.w.WriteHeader(status)
	rq.w.Write(b)
	rq.w.Write([]byte("\n"))
}

// ---- who is calling, and may they ----

// authenticate reads the bearer token and sets rq.actor.
func (h *Handler) authenticate(rq *request) error {
	authz := rq.r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(authz, " ")
	if authz == "" {
		return unauthorized("Missing Authorization header: send \"Authorization: Bearer <token>\"")
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return unauthorized("The Authorization header must be \"Bearer <token>\"")
	}
	id, err := h.auth.Authenticate(rq.ctx, strings.TrimSpace(token))
	switch {
	case errors.Is(err, ErrUnknownToken) || err == nil && id == "":
		return unauthorized("The access token is not valid")
	case err != nil:
		return err
	}
	rq.actor = id
	return nil
}

// can checks that the caller may perform action on subject in the project (for the resource
// r; nil for a type-level check), as Infisical's throwUnlessCan does.
func (rq *request) can(projectID, action, subject string, r *rules.Resource) error {
	who := engine.Identity{ProjectID: projectID, IdentityID: rq.actor}
	d := rq.h.eng.Decide(who, action, subject, r)
	if d.Allowed {
		return nil
	}
	if errors.Is(d.Err, engine.ErrNotMember) {
		return notMember(projectID)
	}
	return &apiError{Status: http.StatusForbidden, Name: "PermissionDenied",
		Message: "You are not allowed to " + action + " on " + subject,
		Details: rq.rulesFor(who, action, subject)}
}

// rulesFor lists the caller's rules for (action, subject), as Infisical's PermissionDenied
// body does.
func (rq *request) rulesFor(who engine.Identity, action, subject string) []json.RawMessage {
	rs, err := rq.h.eng.Rules(who)
	if err != nil {
		return []json.RawMessage{}
	}
	out := []json.RawMessage{}
	for _, r := range rs {
		if !(slices.Contains(r.Actions, action) || slices.Contains(r.Actions, rules.Manage)) ||
			!(slices.Contains(r.Subjects, subject) || slices.Contains(r.Subjects, rules.All)) {
			continue
		}
		b, err := rules.MarshalUnpacked([]rules.Rule{r})
		if err != nil {
			continue
		}
		var one []json.RawMessage
		if json.Unmarshal(b, &one) == nil && len(one) == 1 {
			out = append(out, one[0])
		}
	}
	return out
}

// boundary checks that the caller holds everything granted (spec §7.2, engine.Boundary).
func (rq *request) boundary(projectID string, granted []rules.Rule, what string) error {
	missing, err := rq.h.eng.Boundary(engine.Identity{ProjectID: projectID, IdentityID: rq.actor}, granted)
	switch {
	case errors.Is(err, engine.ErrNotMember):
		return notMember(projectID)
	case err != nil:
		return &apiError{Status: http.StatusForbidden, Name: "PermissionBoundaryError",
			Message: what + ". The actor's permissions cannot be assembled: " + err.Error()}
	case len(missing) > 0:
		return &apiError{Status: http.StatusForbidden, Name: "PermissionBoundaryError",
			Message: what + ". Actor privilege level is not high enough to perform this action",
			Details: map[string]any{"missingPermissions": missing}}
	}
	return nil
}

// retry runs a read-modify-write until it does not fail with a stale version (someone wrote
// the object in between), at most a few times.
func retry(f func() error) error {
	var err error
	for range 4 {
		if err = f(); !errors.Is(err, store.ErrStale) {
			return err
		}
	}
	return err
}
