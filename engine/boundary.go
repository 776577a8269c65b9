package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/wardenhq/warden/glob"
	"github.com/wardenhq/warden/rules"
)

// This file is the privilege boundary: may an actor hand out a role or a privilege? The
// comparison follows Infisical's legacy privilege system (validatePermissionBoundary, spec
// §7.2) in structure, but every step is a proof: where warden cannot show that the actor
// holds what a rule grants, it reports the rule as missing.

// Missing is one permission of a grant that the actor cannot be shown to hold: a target rule
// (by index), for one of its actions and subjects, and why the proof failed.
//
// Its JSON form is Infisical's missingPermissions item, {"action", "subject",
// "conditions"}, plus "inverted" when the target rule is a forbid and "reason".
type Missing struct {
	Action     string
	Subject    string
	Conditions rules.Value // the target rule's conditions, undefined when it has none
	Inverted   bool        // the target rule is a forbid (checked like a grant, as Infisical does)
	Rule       int         // the target rule's index
	Reason     string      // why the actor's rules do not provably cover it
}

// MarshalJSON writes m as {"action", "subject", "conditions", "inverted", "reason"},
// leaving out conditions when there are none and inverted when false.
func (m Missing) MarshalJSON() ([]byte, error) {
	ms := []rules.Member{{Key: "action", Value: rules.Str(m.Action)}, {Key: "subject", Value: rules.Str(m.Subject)}}
	if !m.Conditions.IsUndefined() {
		ms = append(ms, rules.Member{Key: "conditions", Value: m.Conditions})
	}
	if m.Inverted {
		ms = append(ms, rules.Member{Key: "inverted", Value: rules.BoolValue(true)})
	}
	ms = append(ms, rules.Member{Key: "reason", Value: rules.Str(m.Reason)})
	return rules.Obj(ms...).MarshalJSON()
}

// String returns m's JSON form.
func (m Missing) String() string {
	b, _ := json.Marshal(m)
	return string(b)
}

// Rules returns the rules the identity's checks evaluate at this instant: the rules of its
// active grants in assembly order, with legacy forbid actions added and templates filled in
// (see the package documentation). It returns ErrNotMember when the identity has no
// membership in the project, and the assembly error (an unknown role, say) when its rules
// cannot be assembled. The result is a fresh copy.
func (e *Engine) Rules(id Identity) ([]rules.Rule, error) {
	a := e.ability(id)
	if a == nil {
		return nil, ErrNotMember
	}
	if a.err != nil {
		return nil, a.err
	}
	rs := a.set.Rules()
	for i := range rs {
		rs[i] = rs[i].Clone()
	}
	return rs, nil
}

// Boundary reports what target grants that the identity id cannot be shown to hold at this
// instant: Boundary(e.Rules(id), target). It returns the error of Rules when the identity's
// rules cannot be assembled (ErrNotMember when it is not a member).
func (e *Engine) Boundary(id Identity, target []rules.Rule) ([]Missing, error) {
	actor, err := e.Rules(id)
	if err != nil {
		return nil, err
	}
	return Boundary(actor, target), nil
}

// Boundary reports every permission in target that the actor's rules do not provably
// include; nil means the actor holds everything target grants, so it may hand target out
// (as a custom role, or as an identity's additional privilege) without escalating anyone.
// actor is an ability as Engine.Rules returns it (templates filled in); target is a rule
// list as written (templates not filled in). The answer does not depend on the order of the
// rules, so it holds in both precedence modes.
//
// # What is proved
//
// For every target rule T (allow or forbid: a forbid is checked like a grant, as Infisical
// does), for each of its actions a and subjects s, Boundary proves that every resource T
// matches is allowed to the actor for (a, s):
//
//  1. some allow rule R of the actor that applies to (a, s) matches every resource T
//     matches: R has no conditions, or for each of R's condition fields, T's condition on
//     that field is provably contained in R's (a field T leaves unconstrained is not);
//  2. no forbid rule of the actor that may apply to (a, s) matches any resource T matches:
//     each has some field on which it is provably disjoint from T; and
//  3. no rule of the actor that may apply to (a, s) can fail to evaluate (CASL throws when a
//     $glob meets an absent or non-string field, and a failed check denies): each $glob of
//     theirs is on a field that T guarantees to be a string, or sits after a field on which
//     that rule is provably disjoint from T (conditions stop at the first false field).
//
// Under these, whatever the order of rules, the last rule that matches such a resource is an
// allow, so the actor is allowed; and a type-level check is allowed too, because no
// unconditional forbid applies. A target rule whose conditions cannot match anything
// ($in: [], or $eq "a" with $ne "a") still allows its pairs at type level (CASL counts a
// conditional allow there), so for it the actor needs an allow rule for the pair and no
// unconditional forbid.
//
// # Conditions
//
// Containment and disjointness are decided per field. On the fields Resource holds as
// strings (environment, secretPath, secretName, eventType, identityId, userEmail, groupName,
// assignableRole, assignableSubject, assignableAction, connectionId, name, hostname) a
// value is a string or absent, and $eq, $ne, $in, $nin and $glob are reasoned about exactly:
// a finite set of values is tested value by value with the real matcher, so that a child
// $eq "/hello/world" is inside a parent $glob "/hello/**" exactly when picomatch says so,
// and a parent $ne "/hello" contains a child $glob "/dev**" because that glob cannot match
// "/hello". Any other operator or field (secretTags, metadata, dotted paths) is contained
// only when the parent's operator appears verbatim in the child's condition. A child value
// holding a template ({{identity.id}}) is unknown: it is filled in for the identity that
// receives the grant, so it constrains nothing in the proof.
//
// Boundary assumes, as Resource's typed fields ensure, that those fields hold strings; a
// caller that puts a list under one of their names in Resource.Other is outside the proof.
//
// # Globs
//
// A child glob is inside a parent glob only when warden can prove it:
//
//   - the two patterns are the same string;
//   - the child matches a single path (a literal such as "/hello/world"), and the parent
//     matches that path;
//   - both are segment patterns (segments that are literal names of [A-Za-z0-9._~-], "*"
//     or "**"; a leading "/" allowed, no empty segments, no trailing "/") and every child
//     segment is covered by the parent's in order: a literal by the same literal, by "*" or
//     inside "**" (unless it starts with a dot, which picomatch's * and ** never match);
//     "*" by "*"; "**" inside "**". A parent "**" matches zero segments only right after a
//     literal segment ("/a/**" matches "/a", "/**/x" does not match "/x").
//
// Anything else is refused, including a child "*" under a parent "**": picomatch's * matches
// a segment containing a line break and its ** does not ("/apps/*" matches "/apps/a\nb",
// "/apps/**" does not), so "/apps/**" does not contain "/apps/*". Infisical's segment
// heuristic accepts that pair; warden refuses it. Two globs are disjoint when neither's
// literal prefix (glob.Pattern.Prefix) is a prefix of the other's.
//
// # Differences from Infisical
//
// Infisical compares the actor with the target identity's whole ability; Boundary compares
// it with the rules being granted only, so that a less privileged actor can still grant a
// small privilege to a more privileged identity. Infisical's glob heuristic and its
// treatment of operators it does not know (ignored, so vacuously contained) accept some
// grants that warden refuses; Infisical also accepts a target rule whose field the actor's
// $glob may throw on.
func Boundary(actor, target []rules.Rule) []Missing {
	parsed := make([]actorRule, len(actor))
	for i, r := range actor {
		parsed[i] = analyzeActor(r)
	}
	var out []Missing
	for ti, t := range target {
		tc := analyzeTarget(t)
		for _, a := range t.Actions {
			for _, s := range t.Subjects {
				if reason := covered(parsed, tc, a, s); reason != "" {
					out = append(out, Missing{Action: a, Subject: s, Conditions: conditionsOf(t), Inverted: t.Inverted, Rule: ti, Reason: reason})
				}
			}
		}
	}
	return out
}

func conditionsOf(r rules.Rule) rules.Value {
	if !r.HasConditions() {
		return rules.Value{}
	}
	return r.Conditions
}

// covered returns "" when the target rule is provably covered for (a, s), or why not.
func covered(actor []actorRule, t *grantRule, a, s string) string {
	if t.empty {
		return typeLevel(actor, a, s)
	}
	allowed := false
	for _, ar := range actor {
		r := ar.rule
		if !mayApply(r, a, s) {
			continue
		}
		if r.Inverted && len(r.Fields) > 0 {
			continue // a forbid restricted to fields never applies to a check without a field
		}
		throws, disjoint, field := scanRule(ar, t)
		if throws {
			return fmt.Sprintf("your rule %s may fail to evaluate where this rule applies: its $glob on %q throws when the field is absent, and this rule does not require it", r, field)
		}
		if r.Inverted {
			if !disjoint {
				if !r.HasConditions() || len(r.Conditions.Members()) == 0 {
					return fmt.Sprintf("your rule %s forbids it", r)
				}
				return fmt.Sprintf("your rule %s may forbid it where this rule applies", r)
			}
			continue
		}
		if !allowed && allowCovers(r, a, s) && !disjoint && ruleContains(ar, t) {
			allowed = true
		}
	}
	if !allowed {
		return "none of your rules allows it everywhere this rule does"
	}
	return ""
}

// typeLevel returns "" when the actor is allowed (a, s) at type level (the question CASL
// answers without a resource, where a conditional allow counts and a conditional forbid
// does not), whatever the order of its rules, or why not. A target rule whose conditions
// match nothing still counts at type level.
func typeLevel(actor []actorRule, a, s string) string {
	allowed := false
	for _, ar := range actor {
		r := ar.rule
		switch {
		case r.Inverted && !r.HasConditions() && len(r.Fields) == 0 && mayApply(r, a, s):
			return fmt.Sprintf("your rule %s forbids it", r)
		case !r.Inverted && allowCovers(r, a, s):
			allowed = true
		}
	}
	if !allowed {
		return "none of your rules allows it"
	}
	return ""
}

// mayApply reports whether CASL could consult rule r for a check of (a, s), where a may be
// "manage" and s "all" (a target rule naming the wildcards stands for every action or
// subject).
func mayApply(r rules.Rule, a, s string) bool {
	actionOK := a == rules.Manage || slices.Contains(r.Actions, a) || slices.Contains(r.Actions, rules.Manage)
	subjectOK := s == rules.All || slices.Contains(r.Subjects, s) || slices.Contains(r.Subjects, rules.All)
	return actionOK && subjectOK
}

// allowCovers reports whether rule r applies to every check that (a, s) stands for.
func allowCovers(r rules.Rule, a, s string) bool {
	actionOK := slices.Contains(r.Actions, rules.Manage) || a != rules.Manage && slices.Contains(r.Actions, a)
	subjectOK := slices.Contains(r.Subjects, rules.All) || s != rules.All && slices.Contains(r.Subjects, s)
	return actionOK && subjectOK
}

// scanRule walks an actor rule's condition fields in evaluation order against the target:
// it stops at the first field on which the rule is provably disjoint from the target
// (disjoint: the rule matches nothing the target matches, and evaluates nothing after that
// field), and reports throws when a field before that may make CASL throw.
func scanRule(r actorRule, t *grantRule) (throws, disjoint bool, field string) {
	for _, rf := range r.fields {
		tf := t.field(rf.name)
		if rf.mayThrow && !tf.isString {
			return true, false, rf.name
		}
		if fieldsDisjoint(tf, rf) {
			return false, true, ""
		}
	}
	return false, false, ""
}

// ruleContains reports whether allow rule r matches every resource the target matches.
func ruleContains(r actorRule, t *grantRule) bool {
	for _, rf := range r.fields {
		if !fieldContains(rf, t.field(rf.name)) {
			return false
		}
	}
	return true
}

// actorRule is an actor's rule with its condition fields analysed once, in order.
type actorRule struct {
	rule   rules.Rule
	fields []*fieldCond
}

func analyzeActor(r rules.Rule) actorRule {
	ar := actorRule{rule: r}
	if r.HasConditions() {
		for _, m := range r.Conditions.Members() {
			ar.fields = append(ar.fields, parseField(m.Key, m.Value, false))
		}
	}
	return ar
}

// ---- the target rule ----

// grantRule is a target rule's conditions, analysed once.
type grantRule struct {
	fields map[string]*fieldCond
	empty  bool // the conditions match nothing
}

var anyValue = &fieldCond{}

func (t *grantRule) field(name string) *fieldCond {
	if f := t.fields[name]; f != nil {
		return f
	}
	return anyValue
}

func analyzeTarget(r rules.Rule) *grantRule {
	t := &grantRule{fields: map[string]*fieldCond{}}
	if !r.HasConditions() {
		return t
	}
	for _, m := range r.Conditions.Members() {
		if _, dup := t.fields[m.Key]; dup {
			// A repeated key: JSON parsers keep one of them; make no claim about either.
			t.fields[m.Key] = &fieldCond{}
			continue
		}
		f := parseField(m.Key, m.Value, true)
		t.fields[m.Key] = f
		if f.finite && len(f.vals) == 0 {
			t.empty = true
		}
	}
	return t
}

// ---- one field's condition ----

// condOp is one operator of a field condition: "$eq" for a plain value, "" for a nested
// document compared as a whole.
type condOp struct {
	name  string
	value rules.Value
	pat   *glob.Pattern // the compiled operand of a $glob
}

// fieldCond is what warden knows about the values one field condition accepts. The zero
// fieldCond stands for a field the rule does not constrain.
//
// On a typed string field (scalar), the values a target's condition accepts are within
// either the finite set vals (when the condition has $eq, $in or a literal glob; exact), or
// the strings not in ne that match all of globs, plus the absent value when there is no
// glob or equality. Operators warden does not reason about are kept in ops only: for a
// target (child) condition, leaving them out only widens the set; an actor's (parent's)
// condition is compared operator by operator (see fieldContains), never through this
// summary.
type fieldCond struct {
	name     string
	ops      []condOp
	scalar   bool // a field Resource holds as a string (scalarFields)
	finite   bool
	vals     []string
	ne       []string
	globs    []*glob.Pattern
	absentOK bool // the absent value is accepted (infinite form only)
	isString bool // the condition holds only on a string value
	mayThrow bool // evaluating the condition may throw ($glob, $elemMatch)
}

// scalarFields are the fields Resource holds as strings: their value in a check is a string
// or absent.
var scalarFields = []string{
	"environment", "secretPath", "secretName", "eventType", "identityId", "userEmail", "groupName",
	"assignableRole", "assignableSubject", "assignableAction", "connectionId", "name", "hostname",
}

// parseField reads one condition field. child says the condition is a target rule's, whose
// templates are filled in later (so operands holding one are unknown).
func parseField(name string, v rules.Value, child bool) *fieldCond {
	f := &fieldCond{name: name}
	switch {
	case v.Kind() == rules.Object && isOperatorObject(v):
		for _, m := range v.Members() {
			o := condOp{name: m.Key, value: m.Value}
			if s, ok := m.Value.AsString(); ok && m.Key == "$glob" {
				o.pat, _ = glob.Compile(s)
			}
			f.ops = append(f.ops, o)
		}
	case v.Kind() == rules.Object:
		f.ops = []condOp{{name: "", value: v}}
	default:
		f.ops = []condOp{{name: "$eq", value: v}}
	}
	f.mayThrow = hasKeyDeep(v, "$glob") || hasKeyDeep(v, "$elemMatch")
	f.scalar = slices.Contains(scalarFields, name)

	var eqs [][]string // each positive operator's candidate list
	for i := range f.ops {
		o := &f.ops[i]
		s, isStr := o.value.AsString()
		templ := isStr && child && strings.Contains(s, "{{")
		switch o.name {
		case "$eq":
			if isStr && f.scalar {
				f.isString = true
			}
			if isStr && !templ {
				eqs = append(eqs, []string{s})
			}
		case "$ne":
			if isStr && !templ {
				f.ne = append(f.ne, s)
			}
		case "$in", "$nin":
			list, ok := condStrings(o.value)
			if o.name == "$in" && ok && f.scalar && len(list) > 0 {
				f.isString = true
			}
			if !ok || child && slices.ContainsFunc(list, func(x string) bool { return strings.Contains(x, "{{") }) {
				continue
			}
			if o.name == "$in" {
				eqs = append(eqs, list)
			} else {
				f.ne = append(f.ne, list...)
			}
		case "$glob":
			if isStr {
				f.isString = true // a glob holds only on a string
			}
			if !isStr || templ || o.pat == nil {
				continue
			}
			g := o.pat
			f.globs = append(f.globs, g)
			if lit, ok := g.Literal(); ok {
				eqs = append(eqs, []string{lit})
			}
		}
	}
	if !f.scalar {
		return f
	}
	if len(eqs) > 0 {
		f.finite = true
		for _, c := range eqs[0] {
			if !slices.Contains(f.vals, c) && f.acceptsKnown(c) && allContain(eqs[1:], c) {
				f.vals = append(f.vals, c)
			}
		}
		return f
	}
	f.absentOK = len(f.globs) == 0 && !f.isString
	return f
}

// acceptsKnown reports whether the value s passes every $ne, $nin and $glob the field has.
func (f *fieldCond) acceptsKnown(s string) bool {
	if slices.Contains(f.ne, s) {
		return false
	}
	for _, g := range f.globs {
		if !g.Match(s) {
			return false
		}
	}
	return true
}

func allContain(lists [][]string, s string) bool {
	for _, l := range lists {
		if !slices.Contains(l, s) {
			return false
		}
	}
	return true
}

// excludes reports whether the (child) field provably does not accept the string s.
func (f *fieldCond) excludes(s string) bool {
	if !f.scalar {
		return false
	}
	if f.finite {
		return !slices.Contains(f.vals, s)
	}
	return !f.acceptsKnown(s)
}

func isOperatorObject(v rules.Value) bool {
	ms := v.Members()
	if len(ms) == 0 {
		return false
	}
	for _, m := range ms {
		if !strings.HasPrefix(m.Key, "$") {
			return false
		}
	}
	return true
}

func hasKeyDeep(v rules.Value, key string) bool {
	switch v.Kind() {
	case rules.Object:
		for _, m := range v.Members() {
			if m.Key == key || hasKeyDeep(m.Value, key) {
				return true
			}
		}
	case rules.Array:
		for i := 0; i < v.Len(); i++ {
			if hasKeyDeep(v.Index(i), key) {
				return true
			}
		}
	}
	return false
}

func condStrings(v rules.Value) ([]string, bool) {
	if v.Kind() != rules.Array {
		return nil, false
	}
	out := make([]string, v.Len())
	for i := range out {
		s, ok := v.Index(i).AsString()
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

// fieldContains reports whether every value the child field accepts, the parent accepts:
// each parent operator either appears verbatim among the child's, or contains the child's
// value set.
func fieldContains(parent, child *fieldCond) bool {
	for _, o := range parent.ops {
		if !hasVerbatim(child, o) && !(parent.scalar && child.scalar && opContains(o, child)) {
			return false
		}
	}
	return true
}

// hasVerbatim reports whether the child field has the operator o with the same operand. An
// operand holding a template is not the same: it is filled in for the grantee, and the
// actor's copy (filled in for the actor, or left as written when the actor has no such
// value) says nothing about the grantee's.
func hasVerbatim(f *fieldCond, o condOp) bool {
	for _, c := range f.ops {
		if c.name == o.name && c.value.Equal(o.value) && !hasTemplate(c.value) {
			return true
		}
	}
	return false
}

func hasTemplate(v rules.Value) bool {
	switch v.Kind() {
	case rules.String:
		s, _ := v.AsString()
		return strings.Contains(s, "{{")
	case rules.Object:
		for _, m := range v.Members() {
			if strings.Contains(m.Key, "{{") || hasTemplate(m.Value) {
				return true
			}
		}
	case rules.Array:
		for i := 0; i < v.Len(); i++ {
			if hasTemplate(v.Index(i)) {
				return true
			}
		}
	}
	return false
}

// opContains reports whether the parent operator o accepts every value of the scalar child
// field c.
func opContains(o condOp, c *fieldCond) bool {
	if c.finite {
		for _, v := range c.vals {
			if !opAccepts(o, v) {
				return false
			}
		}
		return true
	}
	s, isStr := o.value.AsString()
	switch o.name {
	case "$ne":
		return isStr && c.excludes(s)
	case "$nin":
		list, ok := condStrings(o.value)
		if !ok {
			return false
		}
		for _, x := range list {
			if !c.excludes(x) {
				return false
			}
		}
		return true
	case "$glob":
		if o.pat == nil || c.absentOK {
			return false
		}
		for _, g := range c.globs {
			if globContains(o.pat, g) {
				return true
			}
		}
	}
	return false // $eq and $in accept finitely many values; c accepts infinitely many
}

// opAccepts evaluates the parent operator o on the string value v, as CASL would; false when
// warden cannot tell.
func opAccepts(o condOp, v string) bool {
	switch o.name {
	case "$eq":
		s, ok := o.value.AsString()
		return ok && s == v
	case "$ne":
		s, ok := o.value.AsString()
		return ok && s != v
	case "$in":
		l, ok := condStrings(o.value)
		return ok && slices.Contains(l, v)
	case "$nin":
		l, ok := condStrings(o.value)
		return ok && !slices.Contains(l, v)
	case "$glob":
		return o.pat != nil && o.pat.Match(v)
	}
	return false
}

// fieldsDisjoint reports whether no value is accepted by both the child field c and the
// parent field p.
func fieldsDisjoint(c, p *fieldCond) bool {
	if !c.scalar || !p.scalar {
		return false
	}
	if c.finite {
		for _, v := range c.vals {
			if !opsRefute(p, v) {
				return false
			}
		}
		return true
	}
	for _, o := range p.ops {
		if opDisjoint(o, c) {
			return true
		}
	}
	return false
}

// opsRefute reports whether some operator of p provably rejects the string v.
func opsRefute(p *fieldCond, v string) bool {
	for _, o := range p.ops {
		if refutes(o, v) {
			return true
		}
	}
	return false
}

func refutes(o condOp, v string) bool {
	switch o.name {
	case "$eq", "$ne", "$in", "$nin", "$glob":
		// opAccepts is exact for these when the operand is well formed.
		if !wellFormed(o) {
			return false
		}
		return !opAccepts(o, v)
	}
	return false
}

func wellFormed(o condOp) bool {
	switch o.name {
	case "$eq", "$ne":
		_, ok := o.value.AsString()
		return ok
	case "$in", "$nin":
		_, ok := condStrings(o.value)
		return ok
	case "$glob":
		return o.pat != nil
	}
	return false
}

// opDisjoint reports whether the parent operator o rejects every value of the infinite
// scalar child field c.
func opDisjoint(o condOp, c *fieldCond) bool {
	if !wellFormed(o) {
		return false
	}
	s, _ := o.value.AsString()
	switch o.name {
	case "$eq":
		return c.excludes(s)
	case "$in":
		l, _ := condStrings(o.value)
		for _, x := range l {
			if !c.excludes(x) {
				return false
			}
		}
		return true
	case "$glob":
		for _, g := range c.globs {
			if globsDisjoint(o.pat, g) {
				return true
			}
		}
	}
	return false
}

// ---- globs ----

// globsDisjoint reports whether no path matches both patterns: every path a pattern matches
// starts with its literal prefix, so two patterns whose prefixes are not prefixes of one
// another have no path in common.
func globsDisjoint(a, b *glob.Pattern) bool {
	pa, pb := a.Prefix(), b.Prefix()
	return !strings.HasPrefix(pa, pb) && !strings.HasPrefix(pb, pa)
}

// globContains reports whether every path the child pattern matches, the parent matches,
// by the constructions Boundary documents; false when it cannot prove it.
func globContains(parent, child *glob.Pattern) bool {
	if parent.String() == child.String() {
		return true
	}
	if lit, ok := child.Literal(); ok {
		return parent.Match(lit)
	}
	ps, ok := globSegments(parent.String())
	if !ok {
		return false
	}
	cs, ok := globSegments(child.String())
	if !ok {
		return false
	}
	return segContains(cs, ps)
}

type segKind uint8

const (
	segLit segKind = iota
	segStar
	segGlobstar
)

type globSeg struct {
	kind segKind
	lit  string
}

// segments splits a segment pattern (see Boundary) into its segments; a leading "/" is an
// empty first literal segment. ok is false for any other pattern.
func globSegments(p string) ([]globSeg, bool) {
	if p == "" || p == "/" || strings.HasSuffix(p, "/") {
		return nil, false
	}
	parts := strings.Split(p, "/")
	out := make([]globSeg, len(parts))
	for i, s := range parts {
		switch {
		case s == "" && i == 0:
			out[i] = globSeg{kind: segLit}
		case s == "*":
			out[i] = globSeg{kind: segStar}
		case s == "**":
			out[i] = globSeg{kind: segGlobstar}
		case plainName(s):
			out[i] = globSeg{kind: segLit, lit: s}
		default:
			return nil, false
		}
	}
	return out, true
}

// plainName reports whether s is a literal segment name picomatch reads as itself: letters,
// digits, '.', '_', '~' and '-', and not "." or "..".
func plainName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '~' || c == '-') {
			return false
		}
	}
	return true
}

// wildcardable reports whether a literal segment is one that "*" and "**" match: not empty
// and not starting with a dot (picomatch's dot: false).
func wildcardable(s globSeg) bool {
	return s.kind == segLit && s.lit != "" && s.lit[0] != '.'
}

// segContains decides child ⊆ parent over segment lists (see Boundary, # Globs).
func segContains(c, p []globSeg) bool {
	memo := map[[3]int]bool{}
	var m func(i, j int) bool
	var g func(i, j int, definite bool) bool
	// m: the child's segments from i are covered by the parent's from j, the parent's
	// segment j not yet started.
	m = func(i, j int) bool {
		if i == len(c) && j == len(p) {
			return true
		}
		if j == len(p) {
			return false
		}
		switch p[j].kind {
		case segLit:
			return i < len(c) && c[i].kind == segLit && c[i].lit == p[j].lit && m(i+1, j+1)
		case segStar:
			return i < len(c) && (c[i].kind == segStar || wildcardable(c[i])) && m(i+1, j+1)
		}
		if zeroWidth(p, j) && m(i, j+1) {
			return true
		}
		return i < len(c) && absorbable(c, p, i, j) && g(i+1, j, c[i].kind == segLit)
	}
	// g: the parent's "**" at j has absorbed child segments up to i; definite says one of
	// them is a literal, so the "**" matched at least one segment.
	g = func(i, j int, definite bool) bool {
		key := [3]int{i, j, 0}
		if definite {
			key[2] = 1
		}
		if v, ok := memo[key]; ok {
			return v
		}
		res := (definite || zeroWidth(p, j)) && m(i, j+1) ||
			i < len(c) && absorbable(c, p, i, j) && g(i+1, j, definite || c[i].kind == segLit)
		memo[key] = res
		return res
	}
	return m(0, 0)
}

// zeroWidth reports whether the parent's "**" at j may match no segment at all: only right
// after a non-empty literal segment ("/a/**" matches "/a", "/a/**/b" matches "/a/b", but
// "/**/b" does not match "/b" and "/a/*/**" does not match "/a/x").
func zeroWidth(p []globSeg, j int) bool {
	return j > 0 && p[j-1].kind == segLit && p[j-1].lit != ""
}

// absorbable reports whether the parent's "**" at j matches the child's segment i: a "**",
// a literal "*" would match, or (for a pattern that starts with "**") the empty first segment
// of an absolute child. A child "*" is never absorbed: it matches segments with line
// terminators, which "**" does not.
func absorbable(c, p []globSeg, i, j int) bool {
	switch {
	case c[i].kind == segGlobstar:
		return true
	case wildcardable(c[i]):
		return true
	case c[i].kind == segLit && c[i].lit == "" && i == 0 && j == 0:
		return true
	}
	return false
}
