package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/glob"
	"github.com/wardenhq/warden/rules"
)

// casbinModel expresses Infisical's secret rules as faithfully as a casbin model can: RBAC
// (g links an identity to its active roles), one policy line per (subject, action,
// environment, tag) of a rule, globMatch for secretPath and secretName globs (casbin's
// globMatch is doublestar's, not picomatch), a hasTag function for the secretTags list,
// and the deny-override effect, which is warden's default precedence. A column holding "*"
// has no condition. Temporary grants are resolved when the policy is loaded: casbin has
// no notion of time.
const casbinModel = `
[request_definition]
r = sub, obj, act, env, path, name, tags

[policy_definition]
p = sub, obj, act, env, path, name, tag, eft

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = (p.obj == r.obj || p.obj == "all") && (p.act == r.act || p.act == "manage") && (p.env == "*" || p.env == r.env) && g(r.sub, p.sub) && (p.path == "*" || globMatch(r.path, p.path)) && (p.name == "*" || globMatch(r.name, p.name)) && (p.tag == "*" || hasTag(r.tags, p.tag))
`

// casbinAny is the column value that means "no condition".
const casbinAny = "*"

// casbinRule is the translation of one rule: its policy lines, or why it has none.
type casbinRule struct {
	lines [][]string // each without the leading "p" and the sub column
	// why says why casbin cannot express the rule ("" when it can).
	why string
	// globs are the rule's $glob conditions, verified per check against picomatch.
	globs []casbinGlob
}

// casbinGlob is a $glob condition of a translated rule.
type casbinGlob struct {
	field   nfield
	pattern string
}

// translateCasbin translates one assembled rule, or says why it cannot.
//
// The subset casbin gets is decided from the rule's text: conditions on environment
// ($eq, $in), secretPath and secretName (a literal, or a $glob in the subset globSubset
// accepts) and secretTags ($eq, $in). $ne, negated globs, extglobs, classes and field
// restrictions are out.
func translateCasbin(r rules.Rule) casbinRule {
	var out casbinRule
	if len(r.Fields) > 0 {
		out.why = "field-restricted rule"
		return out
	}
	envs, tags := []string{casbinAny}, []string{casbinAny}
	path, name := casbinAny, casbinAny
	for _, m := range r.Conditions.Members() {
		ops := m.Value.Members()
		op, v := "$eq", m.Value
		if m.Value.Kind() == rules.Object {
			if len(ops) != 1 {
				out.why = "several operators on one field"
				return out
			}
			op, v = ops[0].Key, ops[0].Value
		}
		list, ok := stringsOf(op, v)
		if !ok {
			out.why = fmt.Sprintf("%s on %s", op, m.Key)
			return out
		}
		switch m.Key {
		case "environment":
			envs = list
		case "secretTags":
			tags = list
		case "secretPath", "secretName":
			f := nfields[m.Key]
			switch {
			case list[0] == casbinAny:
				out.why = `"*" (the model's marker for no condition)`
				return out
			case op == "$glob":
				if why := globSubset(list[0]); why != "" {
					out.why = why
					return out
				}
				out.globs = append(out.globs, casbinGlob{field: f, pattern: list[0]})
			case len(list) != 1:
				out.why = "$in on " + m.Key
				return out
			case strings.ContainsAny(list[0], `*?[]{}()!+@\`):
				out.why = "a literal with glob characters"
				return out
			}
			if f == nSecretPath {
				path = list[0]
			} else {
				name = list[0]
			}
		default:
			out.why = "condition on field " + m.Key
			return out
		}
	}
	eft := "allow"
	if r.Inverted {
		eft = "deny"
	}
	for _, s := range r.Subjects {
		for _, a := range r.Actions {
			for _, e := range envs {
				for _, t := range tags {
					out.lines = append(out.lines, []string{s, a, e, path, name, t, eft})
				}
			}
		}
	}
	return out
}

// stringsOf returns the string operands of $eq, $in or $glob.
func stringsOf(op string, v rules.Value) ([]string, bool) {
	switch op {
	case "$eq", "$glob":
		s, ok := v.AsString()
		return []string{s}, ok && s != ""
	case "$in":
		if v.Kind() != rules.Array || v.Len() == 0 {
			return nil, false
		}
		out := make([]string, v.Len())
		for i := range out {
			s, ok := v.Index(i).AsString()
			if !ok || s == "" {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// globSubset says why casbin's globMatch cannot stand for picomatch on a pattern, or ""
// when the pattern is in the subset where the two agree on paths without dot segments:
// literal segments, "*" within a segment, "**" as a whole segment, and {a,b} alternatives.
// (Outside it: leading "!" negation, extglobs, classes, "?", escapes, and literal dots at
// the start of a segment.)
func globSubset(p string) string {
	switch {
	case strings.HasPrefix(p, "!"):
		return "negated glob (picomatch's leading !)"
	case strings.ContainsAny(p, "()"):
		return "extglob"
	case strings.ContainsAny(p, "[]"):
		return "character class"
	case strings.ContainsAny(p, `?\`):
		return "glob with ? or an escape"
	case strings.HasPrefix(p, ".") || strings.Contains(p, "/."):
		return "glob naming a dot segment"
	}
	for _, seg := range strings.Split(p, "/") {
		if strings.Contains(seg, "**") && seg != "**" {
			return "** inside a segment"
		}
	}
	return ""
}

// valueSafe reports whether a path or name is one on which subset globs agree: no segment
// starting with a dot (picomatch's dot:false) and no trailing slash (picomatch's optional
// trailing slash), the root "/" aside.
func valueSafe(s string) bool {
	if s == "/" {
		return true
	}
	return !strings.HasPrefix(s, ".") && !strings.Contains(s, "/.") && !strings.HasSuffix(s, "/")
}

// casbinAdapter is one of casbin's two rows over one loaded CachedEnforcer: the uncached
// row calls the embedded Enforcer's Enforce (exactly what a CachedEnforcer runs on a cache
// miss), the cached row the CachedEnforcer's.
type casbinAdapter struct {
	w      *Workload
	ce     *casbin.CachedEnforcer
	cached bool
	lines  int
}

// memAdapter is a casbin persist.Adapter over policy lines in memory.
type memAdapter struct{ lines [][]string }

func (a *memAdapter) LoadPolicy(m model.Model) error {
	for _, l := range a.lines {
		if err := persist.LoadPolicyArray(l, m); err != nil {
			return err
		}
	}
	return nil
}

var errReadOnly = errors.New("bench: the in-memory casbin adapter is read-only")

func (a *memAdapter) SavePolicy(model.Model) error                              { return errReadOnly }
func (a *memAdapter) AddPolicy(string, string, []string) error                  { return errReadOnly }
func (a *memAdapter) RemovePolicy(string, string, []string) error               { return errReadOnly }
func (a *memAdapter) RemoveFilteredPolicy(string, string, int, ...string) error { return errReadOnly }

// hasTag is the matcher function for the secretTags column: whether the comma-separated
// list of the request holds the tag.
func hasTag(args ...any) (any, error) {
	if len(args) != 2 {
		return false, errors.New("hasTag wants 2 arguments")
	}
	list, _ := args[0].(string)
	tag, _ := args[1].(string)
	for list != "" {
		var t string
		t, list, _ = strings.Cut(list, ",")
		if t == tag {
			return true, nil
		}
	}
	return false, nil
}

// casbinPolicy translates the workload into policy lines: each role's lines once (subject
// "role:<id>"), a g link from each identity to each of its active roles, and the
// identity-specific lines (additional privileges, templated rules, subject the identity's
// ID), all at the workload's instant. Rules casbin cannot express get no lines: the checks
// they would take part in are skipped (see casbinSkip). It follows assemble's order and
// rules without building each identity's list.
func casbinPolicy(w *Workload) [][]string {
	var lines [][]string
	add := func(sub string, r rules.Rule) {
		for _, l := range translateCasbin(r).lines {
			lines = append(lines, append([]string{"p", sub}, l...))
		}
	}
	roleDone := map[string]bool{}
	for i := range w.Identities {
		id := &w.Identities[i]
		for _, g := range id.Grants {
			if !g.Temp.Active(w.Now) {
				continue
			}
			var role string
			var src func() []rules.Rule
			if g.Builtin != "" {
				role = "builtin:" + g.Builtin
				src = func() []rules.Rule { rs, _ := engine.BuiltinRole(g.Builtin); return rs }
			} else {
				r := &w.Roles[g.Role]
				role, src = r.ID, func() []rules.Rule { return r.Rules }
			}
			rs := w.expanded(role, src)
			lines = append(lines, []string{"g", id.ID, "role:" + role})
			first := !roleDone[role]
			roleDone[role] = true
			for _, a := range rs {
				switch {
				case a.templated:
					add(id.ID, fillTemplates(a.rule, id))
				case first:
					add("role:"+role, a.rule)
				}
			}
		}
		for _, p := range id.Privileges {
			if p.Temp.Active(w.Now) {
				for _, a := range expand("", p.Rules) {
					if a.templated {
						a.rule = fillTemplates(a.rule, id)
					}
					add(id.ID, a.rule)
				}
			}
		}
	}
	return lines
}

// loadCasbin builds casbin's cached enforcer for the workload. Both casbin rows share it.
func loadCasbin(w *Workload) (*casbinAdapter, error) {
	lines := casbinPolicy(w)
	m, err := model.NewModelFromString(casbinModel)
	if err != nil {
		return nil, err
	}
	ce, err := casbin.NewCachedEnforcer(m, &memAdapter{lines: lines})
	if err != nil {
		return nil, err
	}
	ce.AddFunction("hasTag", hasTag)
	return &casbinAdapter{w: w, ce: ce, lines: len(lines)}, nil
}

// row returns the adapter of one of the two rows.
func (a *casbinAdapter) row(cached bool) *casbinAdapter {
	r := *a
	r.cached = cached
	return &r
}

// skips decides, per check, whether casbin can express it (see casbinSkip).
func (a *casbinAdapter) skips() []string {
	w := a.w
	byID := map[int][]casbinIdentRule{}
	ver := &verifier{pairs: map[[2]string]bool{}, patterns: map[string]*glob.Pattern{}}
	out := make([]string, len(w.Checks))
	for ci := range w.Checks {
		c := &w.Checks[ci]
		rs, ok := byID[c.Identity]
		if !ok {
			for _, as := range assemble(w, &w.Identities[c.Identity], w.Now) {
				rs = append(rs, casbinIdentRule{as.rule.Actions, as.rule.Subjects, translateCasbin(as.rule)})
			}
			byID[c.Identity] = rs
		}
		out[ci] = casbinSkip(c, rs, ver)
	}
	return out
}

// casbinIdentRule is one rule of an identity with its translation.
type casbinIdentRule struct {
	actions, subjects []string
	tr                casbinRule
}

// casbinSkip says why casbin cannot decide check c faithfully, or "": some rule of the
// identity that applies to the check is outside the translated subset, a $glob would be
// reached on an absent field (CASL throws and denies; casbin has no such case), the value a
// glob is matched against has a dot segment or a trailing slash, or casbin's globMatch and
// picomatch disagree on this pattern and value (checked for every pair).
func casbinSkip(c *Check, rs []casbinIdentRule, ver *verifier) string {
	for _, r := range rs {
		if !applies(r.actions, r.subjects, c.Action, c.Subject) {
			continue
		}
		if r.tr.why != "" {
			return r.tr.why
		}
		for _, g := range r.tr.globs {
			val := c.Resource.SecretPath
			if g.field == nSecretName {
				val = c.Resource.SecretName
			}
			if val == "" {
				return "$glob on an absent field (CASL throws)"
			}
			if !valueSafe(val) {
				return "dot segment or trailing slash in the value (picomatch dot:false)"
			}
			if !ver.agree(g.pattern, val) {
				return "globMatch disagrees with picomatch (verified pair)"
			}
		}
	}
	return ""
}

// verifier compares casbin's globMatch (doublestar) with picomatch (warden's glob) on
// pattern and value pairs, remembering each answer.
type verifier struct {
	pairs    map[[2]string]bool
	patterns map[string]*glob.Pattern
}

func (v *verifier) agree(pattern, value string) bool {
	k := [2]string{pattern, value}
	if a, ok := v.pairs[k]; ok {
		return a
	}
	p := v.patterns[pattern]
	if p == nil {
		p = glob.MustCompile(pattern)
		v.patterns[pattern] = p
	}
	d, err := doublestar.Match(pattern, value)
	a := err == nil && d == p.Match(value)
	v.pairs[k] = a
	return a
}

// casbinArgs are the request values of one check, converted to interfaces in advance so the
// timed loop measures casbin, not the conversion.
func casbinArgs(w *Workload, c *Check) []any {
	r := &c.Resource
	return []any{w.Identities[c.Identity].ID, c.Subject, c.Action, r.Environment, r.SecretPath, r.SecretName, strings.Join(r.SecretTags, ",")}
}

func (a *casbinAdapter) prepare(subset []int) func(int) bool {
	args := make([][]any, len(subset))
	for j, i := range subset {
		args[j] = casbinArgs(a.w, &a.w.Checks[i])
	}
	if a.cached {
		ce := a.ce
		return func(j int) bool {
			ok, err := ce.Enforce(args[j]...)
			return ok && err == nil
		}
	}
	e := a.ce.Enforcer
	return func(j int) bool {
		ok, err := e.Enforce(args[j]...)
		return ok && err == nil
	}
}

// decider answers the checks for the comparison with warden through the cached enforcer,
// for both rows: on a miss it returns what the uncached Enforce returns (that is how
// CachedEnforcer is written), and it fills the cache, so each check is decided by casbin's
// full evaluation once per run rather than once per row.
func (a *casbinAdapter) decider(subset []int) func(int) bool {
	return a.row(true).prepare(subset)
}
