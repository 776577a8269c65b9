package main

import (
	"fmt"
	"slices"

	"github.com/wardenhq/warden/glob"
	"github.com/wardenhq/warden/rules"
)

// The naive evaluator is the "what a straightforward port does" baseline: CASL's algorithm
// written out plainly. Each identity has a list of its assembled rules in evaluation order;
// a check looks the list up and scans it from the end, testing each rule's action and
// subject and then its conditions in the order written, with globs compiled once by
// warden's glob package. No index, no per-(subject, action) buckets.
//
// It doubles as the reference the generator classifies checks with.

// nfield is a resource field the naive evaluator reads.
type nfield uint8

const (
	nEnvironment nfield = iota
	nSecretPath
	nSecretName
	nSecretTags
)

var nfields = map[string]nfield{"environment": nEnvironment, "secretPath": nSecretPath, "secretName": nSecretName, "secretTags": nSecretTags}

// nop is a condition operator.
type nop uint8

const (
	nEq nop = iota
	nNe
	nIn
	nGlob
)

// ncond is one compiled field condition.
type ncond struct {
	field nfield
	op    nop
	str   string        // $eq/$ne operand
	list  []string      // $in operand
	pat   *glob.Pattern // $glob operand
}

// nrule is one compiled rule.
type nrule struct {
	actions, subjects []string
	inverted          bool
	hasCond           bool
	conds             []ncond
	// unsupported says why the evaluator cannot decide with this rule ("" when it can).
	unsupported string
	src         *assembled
}

// compileNaive compiles one assembled rule, sharing compiled globs through globs.
func compileNaive(a *assembled, globs map[string]*glob.Pattern) *nrule {
	r := a.rule
	n := &nrule{actions: r.Actions, subjects: r.Subjects, inverted: r.Inverted, hasCond: r.HasConditions(), src: a}
	if len(r.Fields) > 0 {
		n.unsupported = "field-restricted rule"
		return n
	}
	if !n.hasCond {
		return n
	}
	for _, m := range r.Conditions.Members() {
		f, ok := nfields[m.Key]
		if !ok {
			n.unsupported = "condition on field " + m.Key
			return n
		}
		ops := []rules.Member{{Key: "$eq", Value: m.Value}}
		if m.Value.Kind() == rules.Object {
			ops = m.Value.Members()
		}
		for _, o := range ops {
			c := ncond{field: f}
			switch o.Key {
			case "$eq", "$ne":
				s, ok := o.Value.AsString()
				if !ok {
					n.unsupported = o.Key + " with a non-string operand"
					return n
				}
				c.op, c.str = nEq, s
				if o.Key == "$ne" {
					c.op = nNe
				}
			case "$in":
				if o.Value.Kind() != rules.Array {
					n.unsupported = "$in without a list"
					return n
				}
				for i := 0; i < o.Value.Len(); i++ {
					s, ok := o.Value.Index(i).AsString()
					if !ok {
						n.unsupported = "$in with a non-string element"
						return n
					}
					c.list = append(c.list, s)
				}
				c.op = nIn
			case "$glob":
				if f == nSecretTags {
					n.unsupported = "$glob on a list field"
					return n
				}
				s, ok := o.Value.AsString()
				if !ok || s == "" {
					n.unsupported = "$glob without a pattern"
					return n
				}
				p := globs[s]
				if p == nil {
					var err error
					if p, err = glob.Compile(s); err != nil {
						n.unsupported = "bad glob: " + err.Error()
						return n
					}
					globs[s] = p
				}
				c.op, c.pat = nGlob, p
			default:
				n.unsupported = "operator " + o.Key
				return n
			}
			n.conds = append(n.conds, c)
		}
	}
	return n
}

// errThrow stands for the exception CASL throws on a $glob over an absent field.
var errThrow = fmt.Errorf("$glob on an absent field")

// match evaluates the rule's conditions on r as CASL does: fields in order, the first that
// fails ends the test, a $glob on an absent field throws.
func (n *nrule) match(r *rules.Resource) (bool, error) {
	for i := range n.conds {
		c := &n.conds[i]
		if c.field == nSecretTags {
			if !c.matchList(r.SecretTags) {
				return false, nil
			}
			continue
		}
		var s string
		var present bool
		switch c.field {
		case nEnvironment:
			s, present = r.Environment, r.Environment != "" || r.Empty&rules.FieldEnvironment != 0
		case nSecretPath:
			s, present = r.SecretPath, r.SecretPath != "" || r.Empty&rules.FieldSecretPath != 0
		case nSecretName:
			s, present = r.SecretName, r.SecretName != "" || r.Empty&rules.FieldSecretName != 0
		}
		var ok bool
		switch c.op {
		case nEq:
			ok = present && s == c.str
		case nNe:
			ok = !present || s != c.str
		case nIn:
			ok = present && slices.Contains(c.list, s)
		case nGlob:
			if !present {
				return false, errThrow
			}
			ok = c.pat.Match(s)
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// matchList evaluates a condition on a list field: $eq and $in test its elements, $ne is
// the negation of $eq, and $glob throws (CASL passes the array to picomatch).
func (c *ncond) matchList(tags []string) bool {
	switch c.op {
	case nEq:
		return slices.Contains(tags, c.str)
	case nNe:
		return !slices.Contains(tags, c.str)
	case nIn:
		for _, t := range tags {
			if slices.Contains(c.list, t) {
				return true
			}
		}
	}
	return false
}

// naive holds each identity's compiled rules in evaluation order (allows, then forbids, as
// warden's default DenyOverrides precedence orders them).
type naive struct {
	w     *Workload
	rules map[string][]*nrule // by identity ID
	// byRole shares the compiled rules of roles between their holders, globs the compiled
	// patterns between rules.
	byRole  map[string][]*nrule
	globs   map[string]*glob.Pattern
	buckets map[bucketKey][]*assembled // the generator's cache of bucket
}

func newNaive(w *Workload) *naive {
	return &naive{w: w, rules: map[string][]*nrule{}, byRole: map[string][]*nrule{}, globs: map[string]*glob.Pattern{}}
}

// newReference returns a naive evaluator that assembles identities on first use, for the
// generator.
func newReference(w *Workload) *naive { return newNaive(w) }

// load assembles and compiles every identity the checks touch (like warden, the naive
// evaluator prepares an identity when it is first asked about; a real port would too).
func (n *naive) load() {
	for _, c := range n.w.Checks {
		n.identity(c.Identity)
	}
}

// identity returns identity i's rules, assembling them on first use.
func (n *naive) identity(i int) []*nrule {
	id := &n.w.Identities[i]
	if rs, ok := n.rules[id.ID]; ok {
		return rs
	}
	as := assemble(n.w, id, n.w.Now)
	var allow, deny []*nrule
	for k := range as {
		a := &as[k]
		var c *nrule
		if a.role != "" && !a.templated {
			shared := n.byRole[a.role]
			if shared == nil {
				shared = make([]*nrule, a.index+1)
			}
			for len(shared) <= a.index {
				shared = append(shared, nil)
			}
			if shared[a.index] == nil {
				shared[a.index] = compileNaive(a, n.globs)
			}
			n.byRole[a.role] = shared
			c = shared[a.index]
		} else {
			c = compileNaive(a, n.globs)
		}
		if c.inverted {
			deny = append(deny, c)
		} else {
			allow = append(allow, c)
		}
	}
	rs := append(allow, deny...)
	n.rules[id.ID] = rs
	return rs
}

// naiveDecision is a decision with its explanation.
type naiveDecision struct {
	allowed bool
	kind    CheckKind
	rule    *nrule // the deciding rule, nil when none
}

// decide answers a check by scanning identity i's rules from the last.
func (n *naive) decide(i int, action, subject string, r *rules.Resource) naiveDecision {
	return decideList(n.identity(i), action, subject, r)
}

func decideList(rs []*nrule, action, subject string, r *rules.Resource) naiveDecision {
	for k := len(rs) - 1; k >= 0; k-- {
		c := rs[k]
		if !applies(c.actions, c.subjects, action, subject) {
			continue
		}
		ok := !c.hasCond
		if !ok {
			var err error
			ok, err = c.match(r)
			if err != nil {
				return naiveDecision{kind: Error}
			}
		}
		if ok {
			if c.inverted {
				return naiveDecision{kind: Deny, rule: c}
			}
			return naiveDecision{allowed: true, kind: Hit, rule: c}
		}
	}
	return naiveDecision{kind: Miss}
}

// can is the timed check: one map lookup, then the scan.
func (n *naive) can(identityID, action, subject string, r *rules.Resource) bool {
	return decideList(n.rules[identityID], action, subject, r).allowed
}

// bucket returns identity i's rules that apply to (action, subject), in evaluation order.
func (n *naive) bucket(i int, action, subject string) []*assembled {
	k := bucketKey{i, action, subject}
	if b, ok := n.buckets[k]; ok {
		return b
	}
	var out []*assembled
	for _, c := range n.identity(i) {
		if applies(c.actions, c.subjects, action, subject) {
			out = append(out, c.src)
		}
	}
	if n.buckets == nil {
		n.buckets = map[bucketKey][]*assembled{}
	}
	n.buckets[k] = out
	return out
}

type bucketKey struct {
	identity        int
	action, subject string
}

func (n *naive) bucketLen(i int, action, subject string) int {
	return len(n.bucket(i, action, subject))
}

// unsupported returns why the evaluator cannot decide a check of identity i, or "".
func (n *naive) unsupported(i int, action, subject string) string {
	for _, c := range n.identity(i) {
		if c.unsupported != "" && applies(c.actions, c.subjects, action, subject) {
			return c.unsupported
		}
	}
	return ""
}

// floorPattern returns the secretPath glob the floor row matches for a check: the deciding
// rule's, else that of the identity's last applicable rule with one, else "/**".
func (n *naive) floorPattern(i int, action, subject string, decided *nrule) string {
	if p := pathGlob(decided); p != "" {
		return p
	}
	rs := n.identity(i)
	for k := len(rs) - 1; k >= 0; k-- {
		if applies(rs[k].actions, rs[k].subjects, action, subject) {
			if p := pathGlob(rs[k]); p != "" {
				return p
			}
		}
	}
	return "/**"
}

func pathGlob(c *nrule) string {
	if c == nil {
		return ""
	}
	if op, v, ok := conditionOf(c.src.rule, "secretPath"); ok && op == "$glob" {
		s, _ := v.AsString()
		return s
	}
	return ""
}
