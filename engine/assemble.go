package engine

import (
	"errors"
	"fmt"
	"slices"
	"strings"
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
// added, templates filled in, conditions compiled).
type grantIn struct {
	source Source
	when   temporal.Grant
	rules  []rules.Rule
	prep   *rules.Prepared
}

// inputs is everything needed to compile one identity's ability: immutable once built, and
// replaced as a whole when the store changes something it depends on.
type inputs struct {
	identity store.Identity
	grants   []*grantIn
	timeline *temporal.Timeline
	static   bool  // no grant ever starts or ends: the active set is the same at every instant
	err      error // the identity cannot be assembled (unknown role): every check denies
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
	in := &inputs{identity: id}
	for _, g := range m.Roles {
		gi := grantIn{when: g.Temporary.Grant()}
		switch {
		case g.IsCustom():
			r := roles[g.CustomRoleID]
			if r == nil {
				in.err = fmt.Errorf("%w: custom role %q (%s) of membership %s", ErrUnknownRole, g.CustomRoleSlug, g.CustomRoleID, m.ID)
				return in
			}
			gi.source = Source{Kind: CustomRoleSource, Slug: r.Slug, ID: r.ID}
			gi.rules = r.Permissions
			gi.prep, in.err = prep.role(r, &id)
		default:
			rs, ok := builtinRules(g.Role)
			if !ok {
				in.err = fmt.Errorf("%w: %q in membership %s", ErrUnknownRole, g.Role, m.ID)
				return in
			}
			gi.source = Source{Kind: BuiltinRoleSource, Slug: g.Role, ID: g.ID}
			gi.rules = rs
			gi.prep = builtinPrepared[g.Role]
		}
		if in.err != nil {
			in.err = fmt.Errorf("engine: %s: %w", gi.source, in.err)
			return in
		}
		in.grants = append(in.grants, &gi)
	}
	for _, p := range privs {
		gi := grantIn{
			source: Source{Kind: PrivilegeSource, Slug: p.Slug, ID: p.ID},
			when:   p.Temporary.Grant(),
			rules:  p.Permissions,
		}
		if gi.prep, in.err = prep.prepare(p.Permissions, &id); in.err != nil {
			in.err = fmt.Errorf("engine: %s: %w", gi.source, in.err)
			return in
		}
		in.grants = append(in.grants, &gi)
	}
	tg := make([]temporal.Grant, len(in.grants))
	for i, g := range in.grants {
		tg[i] = g.when
		if w, ok := g.when.Window(); ok {
			g.source.Window = w
		}
		g.source.Temporary = g.when.Temporary
	}
	in.timeline = temporal.Merge(tg)
	_, changes := in.timeline.NextChange(time.Time{})
	in.static = !changes
	return in
}

// withRole returns in with the grants of custom role r replaced by its new version, sharing
// everything else; ok is false when in cannot be patched (it failed to assemble, or does not
// hold r), and the caller rebuilds it.
func (in *inputs) withRole(r *store.Role, prep *preparer) (*inputs, bool) {
	if in == nil || in.err != nil {
		return nil, false
	}
	out := *in
	out.grants = slices.Clone(in.grants)
	found := false
	for i, g := range out.grants {
		if g.source.Kind != CustomRoleSource || g.source.ID != r.ID {
			continue
		}
		p, err := prep.role(r, &in.identity)
		if err != nil {
			return nil, false
		}
		ng := *g
		ng.source.Slug, ng.rules, ng.prep = r.Slug, r.Permissions, p
		out.grants[i] = &ng
		found = true
	}
	return &out, found
}

// builtinTables holds each built-in role's rules, built once and shared (read-only), and
// builtinPrepared the same rules prepared (built-in roles hold no forbid and no template).
var (
	builtinTables   = map[string][]rules.Rule{}
	builtinPrepared = map[string]*rules.Prepared{}
)

func init() {
	for _, slug := range BuiltinRoles() {
		rs, _ := BuiltinRole(slug)
		builtinTables[slug] = rs
		builtinPrepared[slug] = must(rules.Prepare(rs))
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
	roles map[string]preparedRole // custom role ID → prepared rules of one version
}

type preparedRole struct {
	version   uint64
	prep      *rules.Prepared
	err       error
	templated bool
}

func newPreparer(cat *rules.Catalogue) *preparer {
	return &preparer{cat: cat, roles: map[string]preparedRole{}}
}

func (p *preparer) role(r *store.Role, id *store.Identity) (*rules.Prepared, error) {
	pr, ok := p.roles[r.ID]
	if !ok || pr.version != r.Version {
		pr = preparedRole{version: r.Version, templated: hasTemplates(r.Permissions)}
		if !pr.templated {
			pr.prep, pr.err = p.prepare(r.Permissions, nil)
		}
		p.roles[r.ID] = pr
	}
	if pr.templated {
		return p.prepare(r.Permissions, id)
	}
	return pr.prep, pr.err
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
	in     *inputs
	set    *rules.Set
	from   time.Time // compiled for this instant
	until  time.Time // next change of the active grants; zero when none
	active []int     // the grants whose rules set holds, in order
	err    error
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

// compile builds the ability of in at instant t: the rules of the grants active at t,
// expanded with legacy forbid actions, templates filled in for the identity, compiled in the
// engine's precedence mode.
func compile(in *inputs, t time.Time, mode rules.Mode) *ability {
	a := &ability{in: in, from: t}
	if in.err != nil {
		a.err = in.err
		return a
	}
	if next, ok := in.timeline.NextChange(t); ok {
		a.until = next
	}
	a.active = in.timeline.Active(t)
	parts := make([]*rules.Prepared, len(a.active))
	for i, gi := range a.active {
		parts[i] = in.grants[gi].prep
	}
	set, err := rules.Join(parts, rules.WithMode(mode))
	if err != nil {
		a.err = err
		return a
	}
	a.set = set
	return a
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
