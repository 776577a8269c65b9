package engine

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/temporal"
)

// SourceKind says where a grant of rules comes from.
type SourceKind uint8

// The kinds of grant sources.
const (
	BuiltinRoleSource SourceKind = iota + 1 // a built-in role (admin, member, ...)
	CustomRoleSource                        // a custom role of the project
	PrivilegeSource                         // an additional privilege of the identity
)

func (k SourceKind) String() string {
	switch k {
	case BuiltinRoleSource:
		return "built-in role"
	case CustomRoleSource:
		return "custom role"
	case PrivilegeSource:
		return "additional privilege"
	}
	return fmt.Sprintf("SourceKind(%d)", k)
}

// Source is one grant of rules to an identity: a role of its membership or one of its
// additional privileges, with the window in which it is active.
type Source struct {
	Kind   SourceKind
	Slug   string // role slug or privilege slug
	ID     string // custom role ID, privilege ID, or role grant ID for a built-in role
	Window temporal.Window
	// Temporary says whether the grant is temporary (Window is then its [start, end)).
	Temporary bool
}

func (s Source) String() string {
	w := "permanent"
	if s.Temporary {
		w = "active " + s.Window.String()
	}
	return fmt.Sprintf("%s %q (%s)", s.Kind, s.Slug, w)
}

// grantIn is one grant of an identity's inputs: its source, when it is active, its rules as
// stored (before templates), and those rules prepared for this identity (legacy forbid actions
// added, templates filled in, conditions compiled). A grantIn is immutable; the permanent grant
// of a custom role without templates is one grantIn shared by every holder of the role.
type grantIn struct {
	source Source
	when   temporal.Grant
	rules  []rules.Rule
	prep   *rules.Prepared
	// joins is set when prep is not specific to one identity (a built-in role, a custom role
	// without templates): abilities made only of such grants share their compiled Set.
	joins *joinCache
}

// inputs is everything needed to compile one identity's ability: immutable once built, and
// replaced as a whole when the store changes something it depends on. A role edit replaces
// only the grants, sharing the rest (see rolePatch).
type inputs struct {
	*assembly
	grants []*grantIn
	custom uint64 // bit i is set when grants[i] (i < 64) is a custom role's
	static bool   // no grant ever starts or ends: the active set is the same at every instant
	err    error  // the identity cannot be assembled (unknown role): every check denies
}

// assembly is the part of an identity's inputs a role edit leaves as it is.
type assembly struct {
	identity store.Identity
	timeline *temporal.Timeline
	always   []int // when static: the grants active at every instant
}

// Errors an identity's ability can carry. Every check of such an identity denies and
// reports the error in Decision.Err.
var (
	// ErrNotMember: the identity has no membership in the project (Infisical answers 403).
	ErrNotMember = errors.New("engine: the identity is not a member of the project")
	// ErrUnknownRole: a membership grants a role the engine does not know (Infisical
	// answers 404 "Project role not found").
	ErrUnknownRole = errors.New("engine: unknown project role")
)

// buildInputs assembles an identity's grants in Infisical's order (spec §4.3): the
// membership's roles in order, then the identity's additional privileges in creation order.
func buildInputs(id store.Identity, m store.Membership, roles map[string]*store.Role, privs []store.Privilege, prep *preparer) *inputs {
	in := &inputs{assembly: &assembly{identity: id}}
	for _, g := range m.Roles {
		when := g.Temporary.Grant()
		var gi *grantIn
		switch {
		case g.IsCustom():
			r := roles[g.CustomRoleID]
			if r == nil {
				in.err = fmt.Errorf("%w: custom role %q (%s) of membership %s", ErrUnknownRole, g.CustomRoleSlug, g.CustomRoleID, m.ID)
				return in
			}
			var err error
			if gi, err = prep.version(r).grant(prep, in.assembly, when); err != nil {
				in.err = fmt.Errorf("engine: %s: %w", Source{Kind: CustomRoleSource, Slug: r.Slug, ID: r.ID}, err)
				return in
			}
			if i := len(in.grants); i < 64 {
				in.custom |= 1 << i
			}
		default:
			rs, ok := builtinRules(g.Role)
			if !ok {
				in.err = fmt.Errorf("%w: %q in membership %s", ErrUnknownRole, g.Role, m.ID)
				return in
			}
			gi = newGrant(Source{Kind: BuiltinRoleSource, Slug: g.Role, ID: g.ID}, when, rs, builtinPrepared[g.Role], builtinJoins[g.Role])
		}
		in.grants = append(in.grants, gi)
	}
	for _, p := range privs {
		src := Source{Kind: PrivilegeSource, Slug: p.Slug, ID: p.ID}
		pp, err := prep.prepare(p.Permissions, &in.identity)
		if err != nil {
			in.err = fmt.Errorf("engine: %s: %w", src, err)
			return in
		}
		in.grants = append(in.grants, newGrant(src, p.Temporary.Grant(), p.Permissions, pp, nil))
	}
	tg := make([]temporal.Grant, len(in.grants))
	for i, g := range in.grants {
		tg[i] = g.when
	}
	in.timeline = temporal.Merge(tg)
	_, changes := in.timeline.NextChange(time.Time{})
	in.static = !changes
	if in.static {
		in.always = in.timeline.Active(time.Time{})
	}
	return in
}

// newGrant makes a grant of rules from src, active as when says.
func newGrant(src Source, when temporal.Grant, rs []rules.Rule, p *rules.Prepared, joins *joinCache) *grantIn {
	if w, ok := when.Window(); ok {
		src.Window = w
	}
	src.Temporary = when.Temporary
	return &grantIn{source: src, when: when, rules: rs, prep: p, joins: joins}
}

// rolePatch derives, for each identity holding a custom role, inputs with the role's grants
// at its new version, sharing everything else with the current inputs: a holder's permanent
// grant of the role is the role's one shared grantIn, and the new inputs are carved out of
// blocks, so that patching thousands of holders costs a few allocations, not a few each.
type rolePatch struct {
	r    *store.Role
	pr   *preparedRole
	prep *preparer
	ins  []inputs   // unused part of the current block of inputs
	ptrs []*grantIn // unused part of the current block of grant lists
}

// patchBlock is how many inputs a rolePatch allocates at once. A block stays in memory as
// long as one of its inputs is used, so it is kept small.
const patchBlock = 64

// patch starts patching the holders of custom role r, prepared once for all of them.
func (p *preparer) patch(r *store.Role) *rolePatch {
	return &rolePatch{r: r, pr: p.version(r), prep: p}
}

// apply returns in with the grants of the patch's role replaced by the new version; ok is
// false when in cannot be patched (it failed to assemble, does not hold the role, or the new
// version does not prepare), and the caller rebuilds it.
func (rp *rolePatch) apply(in *inputs) (*inputs, bool) {
	if in == nil || in.err != nil {
		return nil, false
	}
	n := len(in.grants)
	if len(rp.ptrs) < n {
		rp.ptrs = make([]*grantIn, max(n, 4*patchBlock))
	}
	grants := rp.ptrs[:n:n]
	found := false
	for i, g := range in.grants {
		// Reading a grant costs a trip to memory when it is the identity's own (a built-in
		// role's, a privilege): the custom bits spare it.
		if (i >= 64 || in.custom&(1<<i) != 0) && g.source.Kind == CustomRoleSource && g.source.ID == rp.r.ID {
			ng, err := rp.pr.grant(rp.prep, in.assembly, g.when)
			if err != nil {
				return nil, false
			}
			g, found = ng, true
		}
		grants[i] = g
	}
	if !found {
		return nil, false
	}
	rp.ptrs = rp.ptrs[n:]
	if len(rp.ins) == 0 {
		rp.ins = make([]inputs, patchBlock)
	}
	out := &rp.ins[0]
	rp.ins = rp.ins[1:]
	*out = inputs{assembly: in.assembly, grants: grants, custom: in.custom, static: in.static}
	return out, true
}

// builtinTables holds each built-in role's rules, built once and shared (read-only),
// builtinPrepared the same rules prepared (built-in roles hold no forbid and no template), and
// builtinJoins the Sets joined from them.
var (
	builtinTables   = map[string][]rules.Rule{}
	builtinPrepared = map[string]*rules.Prepared{}
	builtinJoins    = map[string]*joinCache{}
)

func init() {
	for _, slug := range BuiltinRoles() {
		rs, _ := BuiltinRole(slug)
		builtinTables[slug] = rs
		builtinPrepared[slug] = must(rules.Prepare(rs))
		builtinJoins[slug] = new(joinCache)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// preparer prepares the rules of grants for identities, sharing the work: a custom role
// without templates is prepared once per version, whoever holds it.
type preparer struct {
	cat   *rules.Catalogue
	roles map[string]*preparedRole // custom role ID → its current version, prepared
}

// preparedRole is one version of a custom role, prepared for its holders.
type preparedRole struct {
	role      *store.Role
	templated bool
	// Without templates: the rules prepared once for every holder, the permanent grant every
	// permanent holder shares, and the Sets joined from them.
	prep      *rules.Prepared
	err       error
	permanent *grantIn
	joins     *joinCache
}

func newPreparer(cat *rules.Catalogue) *preparer {
	return &preparer{cat: cat, roles: map[string]*preparedRole{}}
}

// version returns r prepared, preparing it when the cached version is not r's.
func (p *preparer) version(r *store.Role) *preparedRole {
	if pr := p.roles[r.ID]; pr != nil && pr.role.Version == r.Version {
		return pr
	}
	pr := &preparedRole{role: r, templated: hasTemplates(r.Permissions)}
	if !pr.templated {
		pr.prep, pr.err = p.prepare(r.Permissions, nil)
		if pr.err == nil {
			pr.joins = new(joinCache)
			pr.permanent = newGrant(pr.source(), temporal.Grant{}, r.Permissions, pr.prep, pr.joins)
		}
	}
	p.roles[r.ID] = pr
	return pr
}

func (pr *preparedRole) source() Source {
	return Source{Kind: CustomRoleSource, Slug: pr.role.Slug, ID: pr.role.ID}
}

// grant returns the grant of the role to the identity of as, active as when says. It reads
// as only for a role with templates.
func (pr *preparedRole) grant(p *preparer, as *assembly, when temporal.Grant) (*grantIn, error) {
	switch {
	case pr.templated:
		pp, err := p.prepare(pr.role.Permissions, &as.identity)
		if err != nil {
			return nil, err
		}
		return newGrant(pr.source(), when, pr.role.Permissions, pp, nil), nil
	case pr.err != nil:
		return nil, pr.err
	case !when.Temporary:
		return pr.permanent, nil
	}
	return newGrant(pr.source(), when, pr.role.Permissions, pr.prep, pr.joins), nil
}

// prepare expands legacy forbid actions, fills templates in for id (when not nil) and
// compiles the conditions.
func (p *preparer) prepare(rs []rules.Rule, id *store.Identity) (*rules.Prepared, error) {
	out := make([]rules.Rule, len(rs))
	for i, r := range rs {
		r = expandLegacyForbid(r, p.cat)
		if id != nil {
			r = fillTemplates(r, id)
		}
		out[i] = r
	}
	return rules.Prepare(out)
}

func hasTemplates(rs []rules.Rule) bool {
	for _, r := range rs {
		found := false
		if r.HasConditions() {
			r.Conditions.MapStrings(func(s string) string {
				found = found || strings.Contains(s, "{{")
				return s
			})
		}
		if found {
			return true
		}
	}
	return false
}

func builtinRules(slug string) ([]rules.Rule, bool) {
	rs, ok := builtinTables[slug]
	return rs, ok
}

// ability is an identity's compiled rules, valid from the instant it was compiled for until
// the next temporal boundary.
type ability struct {
	in    *inputs
	set   *rules.Set
	from  time.Time // compiled for this instant
	until time.Time // next change of the active grants; zero when none
	// from and until in Unix nanoseconds (until: math.MaxInt64 when zero or too far), for
	// the check path's comparisons with a coarse clock reading.
	fromNs, untilNs int64
	active          []int // the grants whose rules set holds, in order
	err             error
}

// origin returns the grant a rule of set came from and the rule's index there.
func (a *ability) origin(rule int) (grant, index int) {
	for _, g := range a.active {
		n := len(a.in.grants[g].rules)
		if rule < n {
			return g, rule
		}
		rule -= n
	}
	panic("engine: rule index out of range")
}

// valid reports whether the ability may answer at instant t.
func (a *ability) valid(in *inputs, t time.Time) bool {
	return a.in == in && !t.Before(a.from) && (a.until.IsZero() || t.Before(a.until))
}

// validAround reports whether a is valid at every instant of [lo, lo+width) for in.
func (a *ability) validAround(in *inputs, lo, width int64) bool {
	return a.in == in && lo >= a.fromNs && lo <= a.untilNs-width
}

// unixNano returns t in Unix nanoseconds, clamped to the int64 range (UnixNano is undefined
// outside years 1678 to 2262; grant windows may end in 9999).
func unixNano(t time.Time) int64 {
	switch {
	case t.Before(minNanoTime):
		return math.MinInt64
	case t.After(maxNanoTime):
		return math.MaxInt64
	}
	return t.UnixNano()
}

var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// compile builds the ability of in at instant t: the rules of the grants active at t,
// expanded with legacy forbid actions, templates filled in for the identity, compiled in the
// engine's precedence mode. Identities whose active grants are the same built-in roles and
// custom roles without templates share one Set (see joinCache).
func compile(in *inputs, t time.Time, mode rules.Mode) *ability {
	a := &ability{in: in, from: t, fromNs: unixNano(t), untilNs: math.MaxInt64}
	if in.err != nil {
		a.err = in.err
		return a
	}
	if in.static {
		a.active = in.always
	} else {
		if next, ok := in.timeline.NextChange(t); ok {
			a.until = next
			a.untilNs = unixNano(next)
		}
		a.active = in.timeline.Active(t)
	}
	var buf [8]*rules.Prepared
	parts := buf[:0]
	// Where to share the Set, if every active grant's rules can be shared: the first custom
	// role's cache, or the first built-in role's when no custom role is active.
	var joins *joinCache
	shareable, builtin := true, false
	for _, gi := range a.active {
		g := in.grants[gi]
		parts = append(parts, g.prep)
		switch {
		case g.joins == nil:
			shareable = false
		case joins == nil || builtin && g.source.Kind == CustomRoleSource:
			joins, builtin = g.joins, g.source.Kind == BuiltinRoleSource
		}
	}
	if !shareable {
		joins = nil
	}
	var j *joined
	if joins != nil {
		j = joins.get(parts, mode)
	}
	if j == nil {
		j = &joined{mode: mode, parts: slices.Clone(parts)}
		j.set, j.err = rules.Join(j.parts, rules.WithMode(mode))
		if joins != nil {
			joins.put(j)
		}
	}
	a.set, a.err = j.set, j.err
	return a
}

// recompileAll compiles, for each entry whose ability is not valid now, a new one. Every
// few compiles it gives way: it yields its core to the goroutines waiting for one (the checks
// come first), then calls pause.
func recompileAll(ens []*entry, now func() time.Time, mode rules.Mode, pause func()) {
	const every = 64
	for i, en := range ens {
		if i%every == every-1 {
			runtime.Gosched()
			pause()
		}
		in := en.in.Load()
		if in == nil {
			continue
		}
		t := now()
		if a := en.ab.Load(); a != nil && a.valid(in, t) {
			continue
		}
		en.ab.Store(compile(in, t, mode))
	}
}

// joinCache keeps the last few Sets joined from grants prepared for no identity in particular
// (built-in roles, custom roles without templates), so that identities holding the same roles
// share one compiled Set instead of compiling one each. A role's version has one cache, which
// goes away with it. It is read and written without locks: checks compile too.
type joinCache struct {
	slots [joinSlots]atomic.Pointer[joined]
	next  atomic.Uint32
}

// joinSlots is how many Sets a joinCache keeps: the combinations of roles that the holders
// of one role hold.
const joinSlots = 8

// joined is a Set joined from parts in mode (or the error joining them).
type joined struct {
	mode  rules.Mode
	parts []*rules.Prepared
	set   *rules.Set
	err   error
}

func (c *joinCache) get(parts []*rules.Prepared, mode rules.Mode) *joined {
	for i := range c.slots {
		if j := c.slots[i].Load(); j != nil && j.mode == mode && slices.Equal(j.parts, parts) {
			return j
		}
	}
	return nil
}

func (c *joinCache) put(j *joined) {
	c.slots[c.next.Add(1)%joinSlots].Store(j)
}

// expandLegacyForbid adds the legacy umbrella action to an inverted rule on one subject that
// forbids an action the umbrella covers (Infisical's expandLegacyForbidActions): a forbid of
// readValue also forbids read, a forbid of assign-role also forbids grant-privileges. Allow
// rules are never changed.
func expandLegacyForbid(r rules.Rule, cat *rules.Catalogue) rules.Rule {
	if !r.Inverted || len(r.Subjects) != 1 {
		return r
	}
	actions := r.Actions
	for _, a := range actions {
		if l, ok := cat.LegacyAction(r.Subjects[0], a); ok && !slices.Contains(r.Actions, l) {
			r.Actions = append(slices.Clip(r.Actions), l)
		}
	}
	return r
}

// fillTemplates substitutes {{identity.id}}, {{identity.username}} and
// {{identity.metadata.KEY}} in the string values of a rule's conditions with the identity's
// values, as plain text. A template warden cannot fill (an absent metadata key, an
// {{identity.auth...}} claim: warden decides outside any request) stays as written.
func fillTemplates(r rules.Rule, id *store.Identity) rules.Rule {
	if !r.HasConditions() {
		return r
	}
	r.Conditions = r.Conditions.MapStrings(func(s string) string {
		if !strings.Contains(s, "{{") {
			return s
		}
		return expandTemplates(s, id)
	})
	return r
}

func expandTemplates(s string, id *store.Identity) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		open, closing := "{{", "}}"
		if strings.HasPrefix(s[i:], "{{{") {
			open, closing = "{{{", "}}}"
		}
		j := strings.Index(s[i+len(open):], closing)
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		whole := s[i : i+len(open)+j+len(closing)]
		b.WriteString(s[:i])
		if v, ok := templateValue(strings.TrimSpace(s[i+len(open):i+len(open)+j]), id); ok {
			b.WriteString(v)
		} else {
			b.WriteString(whole)
		}
		s = s[i+len(whole):]
	}
}

func templateValue(path string, id *store.Identity) (string, bool) {
	switch {
	case path == "identity.id":
		return id.ID, true
	case path == "identity.username":
		return id.Name, true
	case strings.HasPrefix(path, "identity.metadata."):
		key := strings.TrimPrefix(path, "identity.metadata.")
		for _, m := range id.Metadata {
			if m.Key == key {
				return m.Value, true
			}
		}
	}
	return "", false
}
