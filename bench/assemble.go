package main

import (
	"slices"
	"strings"
	"time"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/rules"
)

// assembled is one rule of an identity as the peers see it: taken from a grant active at
// the workload's instant, with its legacy forbid actions added and its templates filled in
// for the identity. The bench assembles rules itself (it does not call warden's assembly),
// as a port of Infisical's permission service would, so the decision comparison also checks
// warden's assembly.
type assembled struct {
	rule rules.Rule
	// role is the custom role ID or "builtin:<slug>" the rule came from, "" for an
	// additional privilege.
	role string
	// index is the rule's index in its role (meaningful when role is set).
	index int
	// templated says the rule's conditions held templates, filled in for this identity.
	templated bool
}

// assemble returns the identity's rules at instant t in Infisical's order (spec §4.3): the
// membership's active role grants in order, then its active additional privileges in
// creation order.
func assemble(w *Workload, id *Identity, t time.Time) []assembled {
	n := 0
	for _, g := range id.Grants {
		if g.Builtin == "" {
			n += len(w.Roles[g.Role].Rules)
		}
	}
	out := make([]assembled, 0, n+8)
	add := func(rs []assembled) {
		for _, a := range rs {
			if a.templated {
				a.rule = fillTemplates(a.rule, id)
			}
			out = append(out, a)
		}
	}
	for _, g := range id.Grants {
		if !g.Temp.Active(t) {
			continue
		}
		if g.Builtin != "" {
			add(w.expanded("builtin:"+g.Builtin, func() []rules.Rule {
				rs, _ := engine.BuiltinRole(g.Builtin)
				return rs
			}))
			continue
		}
		role := &w.Roles[g.Role]
		add(w.expanded(role.ID, func() []rules.Rule { return role.Rules }))
	}
	for _, p := range id.Privileges {
		if p.Temp.Active(t) {
			add(expand("", p.Rules))
		}
	}
	return out
}

// expanded returns the rules of a role with their legacy actions added and their templates
// marked (not filled), computed once per role and workload.
func (w *Workload) expanded(role string, rs func() []rules.Rule) []assembled {
	if w.roleCache == nil {
		w.roleCache = map[string][]assembled{}
	}
	if c, ok := w.roleCache[role]; ok {
		return c
	}
	c := expand(role, rs())
	w.roleCache[role] = c
	return c
}

func expand(role string, rs []rules.Rule) []assembled {
	out := make([]assembled, len(rs))
	for k, r := range rs {
		r = expandLegacy(r)
		out[k] = assembled{rule: r, role: role, index: k, templated: hasTemplate(r)}
	}
	return out
}

// expandLegacy adds the legacy umbrella action to a forbid rule on one subject (Infisical's
// expandLegacyForbidActions: a forbid of readValue also forbids read), reading the umbrella
// actions from the rules catalogue, which holds Infisical's as data.
func expandLegacy(r rules.Rule) rules.Rule {
	if !r.Inverted || len(r.Subjects) != 1 {
		return r
	}
	cat := rules.Infisical()
	acts := slices.Clone(r.Actions)
	for _, a := range r.Actions {
		if l, ok := cat.LegacyAction(r.Subjects[0], a); ok && !slices.Contains(acts, l) {
			acts = append(acts, l)
		}
	}
	r.Actions = acts
	return r
}

// hasTemplate reports whether any string in r's conditions holds "{{".
func hasTemplate(r rules.Rule) bool {
	found := false
	r.Conditions.MapStrings(func(s string) string {
		if strings.Contains(s, "{{") {
			found = true
		}
		return s
	})
	return found
}

// fillTemplates replaces {{identity.id}}, {{identity.username}} and
// {{identity.metadata.KEY}} in the rule's condition strings with the identity's values, as
// plain text. Others stay as written.
func fillTemplates(r rules.Rule, id *Identity) rules.Rule {
	pairs := []string{"{{identity.id}}", id.ID, "{{identity.username}}", id.Name}
	for _, m := range id.Metadata {
		pairs = append(pairs, "{{identity.metadata."+m.Key+"}}", m.Value)
	}
	rep := strings.NewReplacer(pairs...)
	r.Conditions = r.Conditions.MapStrings(rep.Replace)
	return r
}

// applies reports whether a rule for actions and subjects applies to (action, subject),
// with CASL's "manage" and "all" wildcards.
func applies(actions, subjects []string, action, subject string) bool {
	return (slices.Contains(actions, action) || slices.Contains(actions, rules.Manage)) &&
		(slices.Contains(subjects, subject) || slices.Contains(subjects, rules.All))
}

// conditionOf returns the operator and operand of a rule's condition on field: "$eq" for a
// plain value, the single operator of an operator object, or ok false when the rule has no
// condition on the field or one this bench does not write.
func conditionOf(r rules.Rule, field string) (op string, v rules.Value, ok bool) {
	c := r.Conditions.Get(field)
	switch {
	case c.IsUndefined():
		return "", c, false
	case c.Kind() == rules.Object:
		if len(c.Members()) != 1 {
			return "", c, false
		}
		m := c.Members()[0]
		return m.Key, m.Value, true
	}
	return "$eq", c, true
}
