package main

import (
	"context"
	"fmt"
	"time"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/glob"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
)

// An adapter is one engine loaded with one workload.
type adapter interface {
	// skips returns, for each check of the workload, why the engine cannot decide it
	// faithfully, or "" when it can. It is called after the load was measured.
	skips() []string
	// prepare returns the timed function for a subset of the checks (indexes into
	// Workload.Checks): f(j) answers check subset[j]. Whatever can be converted in advance
	// (request values, keys) is, so that the loop measures the engine.
	prepare(subset []int) func(j int) bool
}

// An engineSpec names an engine and says how to load it.
type engineSpec struct {
	name string
	load func(ctx context.Context, env *runEnv) (adapter, error)
	// decides is false for the floor, which answers nothing meaningful.
	decides bool
	// holdsRules says the engine holds the workload's rules, so its memory per rule is
	// measured (the floor holds none).
	holdsRules bool
	// shared names a load several rows share (both casbin rows use one enforcer); its cost
	// is measured once and reported on each row.
	shared string
}

// runEnv is what loaders get: the workload and the store built from it.
type runEnv struct {
	w      *Workload
	st     *memstore.Store
	casbin *casbinAdapter
	loads  map[string]loadStat
}

var engineSpecs = []engineSpec{
	{name: "warden", decides: true, holdsRules: true, load: func(ctx context.Context, env *runEnv) (adapter, error) { return loadWarden(ctx, env) }},
	{name: "floor", load: func(_ context.Context, env *runEnv) (adapter, error) { return loadFloor(env.w) }},
	{name: "naive", decides: true, holdsRules: true, load: func(_ context.Context, env *runEnv) (adapter, error) { return loadNaive(env.w), nil }},
	{name: "casbin", decides: true, holdsRules: true, shared: "casbin", load: func(_ context.Context, env *runEnv) (adapter, error) { return env.casbinRow(false) }},
	{name: "casbin-cached", decides: true, holdsRules: true, shared: "casbin", load: func(_ context.Context, env *runEnv) (adapter, error) { return env.casbinRow(true) }},
}

// casbinRow returns a casbin row, loading the shared enforcer on first use.
func (env *runEnv) casbinRow(cached bool) (adapter, error) {
	if env.casbin == nil {
		a, err := loadCasbin(env.w)
		if err != nil {
			return nil, err
		}
		env.casbin = a
	}
	return env.casbin.row(cached), nil
}

// A decider is an adapter that answers the comparison with warden through another path
// than the timed one (see casbinAdapter.decider).
type decider interface {
	decider(subset []int) func(int) bool
}

// loadStat is the measured cost of a load shared by several rows.
type loadStat struct {
	ms    float64
	bytes uint64
}

// buildStore writes the workload into a new in-memory store, as an application would
// through the store's API.
func buildStore(ctx context.Context, w *Workload) (*memstore.Store, error) {
	st := memstore.New()
	if _, err := st.CreateProject(ctx, store.Project{ID: w.ProjectID, Slug: "bench", Name: "Bench"}); err != nil {
		return nil, err
	}
	for _, r := range w.Roles {
		if _, err := st.CreateRole(ctx, store.Role{ID: r.ID, ProjectID: w.ProjectID, Slug: r.Slug, Name: r.Slug, Permissions: r.Rules}); err != nil {
			return nil, fmt.Errorf("role %s: %w", r.Slug, err)
		}
	}
	tmp := func(win *Window) store.Temporary {
		if win == nil {
			return store.Temporary{}
		}
		start := win.Start
		return store.Temporary{IsTemporary: true, Mode: store.ModeRelative, Range: win.Range, Start: &start}
	}
	for _, id := range w.Identities {
		if _, err := st.CreateIdentity(ctx, store.Identity{ID: id.ID, Name: id.Name, AuthMethod: "universal-auth", Metadata: id.Metadata}); err != nil {
			return nil, fmt.Errorf("identity %s: %w", id.ID, err)
		}
		m := store.Membership{ProjectID: w.ProjectID, IdentityID: id.ID}
		for _, g := range id.Grants {
			rg := store.RoleGrant{Role: g.Builtin, Temporary: tmp(g.Temp)}
			if g.Builtin == "" {
				rg.Role, rg.CustomRoleID = store.RoleCustom, w.Roles[g.Role].ID
			}
			m.Roles = append(m.Roles, rg)
		}
		if _, err := st.CreateMembership(ctx, m); err != nil {
			return nil, fmt.Errorf("membership of %s: %w", id.ID, err)
		}
		for _, p := range id.Privileges {
			if _, err := st.CreatePrivilege(ctx, store.Privilege{ProjectID: w.ProjectID, IdentityID: id.ID, Slug: p.Slug, Permissions: p.Rules, Temporary: tmp(p.Temp)}); err != nil {
				return nil, fmt.Errorf("privilege %s of %s: %w", p.Slug, id.ID, err)
			}
		}
	}
	return st, nil
}

// wardenAdapter is warden's engine over the workload's store, reading the real clock.
type wardenAdapter struct {
	w   *Workload
	eng *engine.Engine
}

// loadWarden starts an engine on the store and compiles every identity the checks touch
// (the engine compiles an identity on its first check, so this is part of its load).
func loadWarden(ctx context.Context, env *runEnv) (*wardenAdapter, error) {
	eng, err := engine.New(ctx, env.st)
	if err != nil {
		return nil, err
	}
	a := &wardenAdapter{w: env.w, eng: eng}
	seen := map[int]bool{}
	for _, c := range env.w.Checks {
		if !seen[c.Identity] {
			seen[c.Identity] = true
			eng.Can(a.identity(c.Identity), c.Action, c.Subject, &c.Resource)
		}
	}
	return a, nil
}

func (a *wardenAdapter) identity(i int) engine.Identity {
	return engine.Identity{ProjectID: a.w.ProjectID, IdentityID: a.w.Identities[i].ID}
}

func (a *wardenAdapter) skips() []string { return make([]string, len(a.w.Checks)) }

// wardenCheck is one check in warden's terms.
type wardenCheck struct {
	id              engine.Identity
	action, subject string
	res             *rules.Resource
}

func (a *wardenAdapter) prepare(subset []int) func(int) bool {
	cs := make([]wardenCheck, len(subset))
	for j, i := range subset {
		c := &a.w.Checks[i]
		res := c.Resource
		cs[j] = wardenCheck{a.identity(c.Identity), c.Action, c.Subject, &res}
	}
	eng := a.eng
	return func(j int) bool {
		c := &cs[j]
		return eng.Can(c.id, c.action, c.subject, c.res)
	}
}

// decide explains warden's answer to check i, for the report of a disagreement.
func (a *wardenAdapter) decide(i int) engine.Decision {
	c := &a.w.Checks[i]
	return a.eng.Decide(a.identity(c.Identity), c.Action, c.Subject, &c.Resource)
}

func (a *wardenAdapter) close() { a.eng.Close() }

// naiveAdapter times the naive evaluator.
type naiveAdapter struct{ n *naive }

func loadNaive(w *Workload) *naiveAdapter {
	n := newNaive(w)
	n.load()
	return &naiveAdapter{n}
}

func (a *naiveAdapter) skips() []string {
	out := make([]string, len(a.n.w.Checks))
	for i, c := range a.n.w.Checks {
		out[i] = a.n.unsupported(c.Identity, c.Action, c.Subject)
	}
	return out
}

// naiveCheck is one check in the naive evaluator's terms.
type naiveCheck struct {
	id, action, subject string
	res                 *rules.Resource
}

func (a *naiveAdapter) prepare(subset []int) func(int) bool {
	w := a.n.w
	cs := make([]naiveCheck, len(subset))
	for j, i := range subset {
		c := &w.Checks[i]
		res := c.Resource
		cs[j] = naiveCheck{w.Identities[c.Identity].ID, c.Action, c.Subject, &res}
	}
	n := a.n
	return func(j int) bool {
		c := &cs[j]
		return n.can(c.id, c.action, c.subject, c.res)
	}
}

// floorAdapter is the floor row: the work no engine can avoid on a check, one map lookup of
// the identity (keyed like warden's table) and one compiled glob match of the check's path.
type floorAdapter struct {
	w        *Workload
	table    map[engine.Identity]bool
	patterns map[string]*glob.Pattern
}

func loadFloor(w *Workload) (*floorAdapter, error) {
	a := &floorAdapter{w: w, table: map[engine.Identity]bool{}, patterns: map[string]*glob.Pattern{}}
	for _, id := range w.Identities {
		a.table[engine.Identity{ProjectID: w.ProjectID, IdentityID: id.ID}] = true
	}
	for _, c := range w.Checks {
		if a.patterns[c.Floor] == nil {
			p, err := glob.Compile(c.Floor)
			if err != nil {
				return nil, err
			}
			a.patterns[c.Floor] = p
		}
	}
	return a, nil
}

func (a *floorAdapter) skips() []string { return make([]string, len(a.w.Checks)) }

type floorCheck struct {
	id   engine.Identity
	pat  *glob.Pattern
	path string
}

func (a *floorAdapter) prepare(subset []int) func(int) bool {
	cs := make([]floorCheck, len(subset))
	for j, i := range subset {
		c := &a.w.Checks[i]
		cs[j] = floorCheck{engine.Identity{ProjectID: a.w.ProjectID, IdentityID: a.w.Identities[c.Identity].ID}, a.patterns[c.Floor], c.Resource.SecretPath}
	}
	table := a.table
	return func(j int) bool {
		c := &cs[j]
		return table[c.id] && c.pat.Match(c.path)
	}
}

// since returns the milliseconds elapsed since t.
func since(t time.Time) float64 { return float64(time.Since(t).Nanoseconds()) / 1e6 }
