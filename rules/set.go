package rules

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/wardenhq/warden/internal/strtab"
)

// Mode is the precedence between the rules of a Set.
type Mode uint8

const (
	// DenyOverrides evaluates every allow rule before every forbid rule (each group keeping
	// its order), so that a matching forbid rule always wins over a matching allow. This is
	// Infisical's behaviour since 2026 (forbid rules sorted last) and the default.
	DenyOverrides Mode = iota
	// Ordered is plain CASL: the last matching rule as written decides. Infisical behaved
	// this way before 2026, and the conformance corpora are decided this way.
	Ordered
)

func (m Mode) String() string {
	switch m {
	case DenyOverrides:
		return "deny-overrides"
	case Ordered:
		return "ordered"
	}
	return fmt.Sprintf("Mode(%d)", m)
}

// ParseMode reads a Mode from its String form.
func ParseMode(s string) (Mode, error) {
	switch s {
	case "deny-overrides":
		return DenyOverrides, nil
	case "ordered":
		return Ordered, nil
	}
	return 0, fmt.Errorf("rules: unknown precedence mode %q (want deny-overrides or ordered)", s)
}

// An Option configures Compile.
type Option func(*options)

type options struct {
	mode Mode
}

// WithMode sets the precedence mode (DenyOverrides when not given).
func WithMode(m Mode) Option { return func(o *options) { o.mode = m } }

// maxRules bounds a Set. Infisical's largest realistic ability is a few thousand rules; a
// million keeps positions in an int32 and memory in the hundreds of megabytes at worst.
const maxRules = 1 << 20

// Set is a compiled, immutable list of rules that answers permission questions exactly as
// CASL (configured as Infisical configures it) would over the same list.
//
// A Set is safe for concurrent use by multiple goroutines. Compile it once and use it for
// every check; Decide and Can allocate nothing.
//
// # Evaluation
//
// For a question (action, subject, resource), the rules that apply are those whose actions
// include the action or "manage" and whose subjects include the subject or "all". Of those,
// the rule latest in evaluation order whose conditions match decides: an allow rule allows,
// an inverted rule forbids. When none matches, the answer is no.
//
// The evaluation order is the order written in Ordered mode; in DenyOverrides mode it is
// every allow rule in written order followed by every inverted rule in written order.
//
// A question with no resource (a type-level question: "may I read some secret?") ignores
// conditions: a conditional allow counts, a conditional forbid is skipped, and only a forbid
// without conditions forbids.
//
// # Errors
//
// Where CASL would throw (a $glob on a field that is absent or not a string, or an
// $elemMatch reading a field out of a null element), the Decision carries the error and
// denies. Whether that happens depends on the order: conditions are tested field by field in
// the order written, stopping at the first that fails, and rules are tested in evaluation
// order, stopping at the first that matches.
//
// # Indexes
//
// Rules are indexed by subject and action, then by the values an environment condition
// requires, then by the literal prefixes a secretPath condition requires (one per brace or
// extglob alternative), or a secretName condition's when the path says nothing. The indexes
// only skip rules that cannot match and whose skipped conditions cannot throw; tests prove
// them against an unindexed scan.
type Set struct {
	parts    []*Prepared // the rules, in order
	n        int         // number of rules
	mode     Mode
	compiled []cref                // in evaluation order
	pairs    strtab.Table[*bucket] // every (subject, action) some rule names
	others   strtab.Table[*bucket] // (subject, "") → the bucket of actions no rule names
	anyOther *bucket               // the same for subjects no rule names
	hint     atomic.Pointer[pairHint]
}

// cref is a compiled rule at its place in a Set.
type cref struct {
	*crule
	index int // in the Set's rules
}

// crule is a compiled rule.
type crule struct {
	// The fields a check reads come first, in one cache line.
	index    int // in its Prepared list
	inverted bool
	hasCond  bool
	skip     bool // an inverted rule restricted to fields: never applies to a check without one
	conds    []cond
	// found is conds less the environment condition the rule is indexed by: a rule reached
	// through its environment's group already satisfies it, and it cannot throw.
	found []cond
	rule  *Rule
	// pairs are the (subject, action) pairs the rule names, each subject with each action in
	// order, as indexes in its Prepared list's pairs.
	pairs []int32
	keys  ruleKeys
}

// Compile checks and compiles rules. It reports every problem at once, as Errors: unknown or
// unsupported operators, operands of the wrong type, invalid globs. It accepts any subject and
// action names, as CASL does; Validate checks them against a Catalogue.
//
// # Conditions
//
// Conditions are an object of fields, an implicit AND tested in the order written. A field's
// value is a plain value (meaning $eq) or an object of operators, also tested in order:
//
//	$eq v       the field equals v; an array field contains v
//	$ne v       not $eq
//	$in [..]    the field, or an element of an array field, is in the list
//	$nin [..]   not $in
//	$all [..]   the field is an array holding every listed value
//	$glob "p"   the field is a string matching the glob p (package glob); "" never matches
//	$elemMatch  the field is an array with an element matching a sub-query, either of the
//	            element's fields ({key: .., value: ..}) or of the element itself ({$eq: ..})
//
// An absent field equals nothing, so $eq and $in are false on it and $ne and $nin are true.
// Comparisons are JavaScript's ===: exact, case-sensitive, and never true for arrays or
// objects as operands. A field name with dots reads nested fields.
func Compile(rules []Rule, opts ...Option) (*Set, error) {
	p, err := Prepare(rules)
	if err != nil {
		return nil, err
	}
	return Join([]*Prepared{p}, opts...)
}

// Prepared is a list of rules whose conditions are checked and compiled, ready to be joined
// with others into a Set. It is immutable and may be shared: an engine prepares each role once
// and joins the prepared roles of every identity holding it.
type Prepared struct {
	rules  []Rule
	crules []crule // in written order; index is the rule's index in rules
	// The distinct (subject, action) pairs the rules name; each crule's pairs number them.
	pairs [][2]string
}

// Prepare checks and compiles the conditions of rules, reporting every problem at once as
// Errors (see Compile). Error and Decision rule indexes of a Set joined from several Prepared
// lists are indexes into the concatenation of their rules, except that an evaluation error
// names the rule's index within its own list.
func Prepare(rules []Rule) (*Prepared, error) {
	if len(rules) > maxRules {
		return nil, Errors{{Rule: -1, Code: ErrTooLarge, Detail: fmt.Sprintf("%d rules, the limit is %d", len(rules), maxRules)}}
	}
	p := &Prepared{rules: slices.Clone(rules), crules: make([]crule, len(rules))}
	var errs Errors
	for i, r := range rules {
		cr := crule{index: i, inverted: r.Inverted, hasCond: r.HasConditions(), skip: r.Inverted && len(r.Fields) > 0}
		if len(r.Actions) == 0 {
			errs.add(i, "action", ErrShape, "a rule needs at least one action")
		}
		if len(r.Subjects) == 0 {
			errs.add(i, "subject", ErrShape, "a rule needs at least one subject")
		}
		if cr.hasCond {
			cr.conds = compileConditions(r.Conditions, i, &errs)
			setEvalErrors(cr.conds, i, "conditions")
		}
		cr.rule = &p.rules[i]
		cr.keys = ruleKeysOf(&cr)
		cr.found = cr.conds
		if cr.keys.envKeyed {
			cr.found = slices.Delete(slices.Clone(cr.conds), cr.keys.envCond, cr.keys.envCond+1)
		}
		p.crules[i] = cr
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	p.numberPairs()
	return p, nil
}

// numberPairs fills in pairs and each rule's pairs, so that joining p looks up each
// distinct pair once rather than once per rule.
func (p *Prepared) numberPairs() {
	var m smallMap[[2]string]
	n := 0
	for _, r := range p.rules {
		n += len(r.Subjects) * len(r.Actions)
	}
	all := make([]int32, 0, n)
	for i := range p.crules {
		r := p.crules[i].rule
		start := len(all)
		for _, sub := range r.Subjects {
			for _, act := range r.Actions {
				all = append(all, m.id([2]string{sub, act})-1)
			}
		}
		p.crules[i].pairs = all[start:len(all):len(all)]
	}
	p.pairs = m.keys
}

// Len returns the number of rules.
func (p *Prepared) Len() int { return len(p.rules) }

// Join builds a Set from prepared lists, as if their rules had been concatenated in order and
// compiled. Only the indexes are built; conditions are shared with the prepared lists.
func Join(parts []*Prepared, opts ...Option) (*Set, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	n := 0
	for _, p := range parts {
		n += len(p.rules)
	}
	if n > maxRules {
		return nil, Errors{{Rule: -1, Code: ErrTooLarge, Detail: fmt.Sprintf("%d rules, the limit is %d", n, maxRules)}}
	}
	s := &Set{parts: parts, n: n, mode: o.mode, compiled: make([]cref, 0, n)}
	sc := scratchPool.Get().(*buildScratch)
	defer sc.release()
	// Number the parts' pairs for the whole Set: global[starts[i]+j] is the number of part
	// i's pair j.
	global := sc.global[:0]
	starts := sc.starts[:0]
	for _, p := range parts {
		starts = append(starts, int32(len(global)))
		for _, k := range p.pairs {
			global = append(global, sc.pairs.id(k)-1)
		}
	}
	sc.global, sc.starts = global, starts
	// Evaluation order: as written (Ordered), or every allow then every forbid. sc.ids gets
	// the pairs of each rule in that order.
	ids := sc.ids[:0]
	for pass := 0; pass < 2; pass++ {
		off := 0
		for pi, p := range parts {
			g := global[starts[pi]:]
			for i := range p.crules {
				cr := &p.crules[i]
				if o.mode == Ordered || cr.inverted == (pass == 1) {
					s.compiled = append(s.compiled, cref{cr, off + i})
					for _, j := range cr.pairs {
						ids = append(ids, g[j])
					}
				}
			}
			off += len(p.rules)
		}
		if o.mode == Ordered {
			break
		}
	}
	sc.ids = ids
	s.buildIndex(sc)
	return s, nil
}

// MustCompile is Compile for rules known to be valid; it panics on error. It simplifies
// safe initialization of global variables.
func MustCompile(rules []Rule, opts ...Option) *Set {
	s, err := Compile(rules, opts...)
	if err != nil {
		panic(err)
	}
	return s
}

func setEvalErrors(cs []cond, rule int, path string) {
	for i := range cs {
		c := &cs[i]
		p := path
		if c.name != "" {
			p = joinPath(path, c.name)
		}
		switch c.op {
		case opGlob:
			c.err = &Error{Rule: rule, Path: joinPath(p, "$glob"), Code: ErrEvaluation,
				Detail: "the field is absent or not a string, and a glob can only match a string"}
		case opElemMatch:
			setEvalErrors(c.sub, rule, joinPath(p, "$elemMatch"))
		}
		if c.err == nil {
			c.err = &Error{Rule: rule, Path: joinPath(p, opNames[c.op]), Code: ErrEvaluation,
				Detail: "cannot read a field out of a null element"}
		}
	}
}

// Len returns the number of rules.
func (s *Set) Len() int { return s.n }

// Rule returns the i-th rule as given to Compile.
func (s *Set) Rule(i int) Rule {
	for _, p := range s.parts {
		if i < len(p.rules) {
			return p.rules[i]
		}
		i -= len(p.rules)
	}
	panic(fmt.Sprintf("rules: Set.Rule(%d) out of range [0, %d)", i, s.n))
}

// Mode returns the precedence mode the Set was compiled with.
func (s *Set) Mode() Mode { return s.mode }

// String lists the rules in evaluation order, one per line, each with its index.
func (s *Set) String() string {
	var b strings.Builder
	for _, cr := range s.compiled {
		fmt.Fprintf(&b, "%d: %s\n", cr.index, *cr.rule)
	}
	return b.String()
}

// Decision is the answer to one question, with its explanation.
type Decision struct {
	Allowed bool
	// Rule is the index (in the list given to Compile) of the rule that decided, or -1 when
	// no rule applied or evaluation failed. It is CASL's relevantRuleFor.
	Rule int
	// Err is set when CASL would have thrown while deciding; Allowed is then false.
	Err error
}

// Can reports whether the rules allow action on subject for the resource. A nil resource
// asks the type-level question. Errors deny.
func (s *Set) Can(action, subject string, r *Resource) bool {
	return s.Decide(action, subject, r).Allowed
}

// Decide answers like Can and says which rule decided, or why evaluation failed.
func (s *Set) Decide(action, subject string, r *Resource) Decision {
	b := s.bucket(action, subject)
	if b == nil {
		return Decision{Rule: -1}
	}
	if r == nil {
		return s.decision(b.typeLevel)
	}
	return s.decideIndexed(b, r)
}

// decision turns an evaluation position (or -1) into a Decision.
func (s *Set) decision(pos int32) Decision {
	if pos < 0 {
		return Decision{Rule: -1}
	}
	cr := &s.compiled[pos]
	return Decision{Allowed: !cr.inverted, Rule: cr.index}
}

// pairHint remembers the bucket of the first (subject, action) a Set was asked about, by
// the addresses of the strings' bytes. Callers usually pass the same string constants on
// every check, and comparing two addresses and lengths is cheaper than hashing. The hint
// holds the bytes, so they cannot be freed and reused for other content while it exists.
type pairHint struct {
	subject, action *byte
	ls, la          int
	b               *bucket
}

func (s *Set) bucket(action, subject string) *bucket {
	h := s.hint.Load()
	if h != nil && h.ls == len(subject) && h.la == len(action) && h.subject == unsafe.StringData(subject) && h.action == unsafe.StringData(action) {
		return h.b
	}
	b := s.lookup(action, subject)
	if h == nil && len(subject) > 0 && len(action) > 0 {
		s.hint.CompareAndSwap(nil, &pairHint{unsafe.StringData(subject), unsafe.StringData(action), len(subject), len(action), b})
	}
	return b
}

func (s *Set) lookup(action, subject string) *bucket {
	if b, ok := s.pairs.Get(subject, action); ok {
		return b
	}
	// An action no rule names for this subject: only "manage" rules apply.
	if b, ok := s.others.Get(subject, ""); ok {
		return b
	}
	// A subject no rule names: the rules on "all" apply, as they do to the subject "all".
	if b, ok := s.pairs.Get(All, action); ok {
		return b
	}
	return s.anyOther
}

// match tests one rule against a resource.
func (s *Set) match(pos int32, r *Resource) (bool, *Error) {
	cr := &s.compiled[pos]
	if cr.skip {
		return false, nil
	}
	if !cr.hasCond {
		return true, nil
	}
	return evalResource(cr.conds, r)
}

// matchFound is match for a rule the indexes found, which satisfies the conditions they
// key it by.
func (s *Set) matchFound(pos int32, r *Resource) (bool, *Error) {
	cr := &s.compiled[pos]
	if cr.skip {
		return false, nil
	}
	return evalResource(cr.found, r)
}

// evalResource is evalAll for conditions on a resource, with the usual conditions (an
// equality or a glob on a typed string field) tested inline.
func evalResource(cs []cond, r *Resource) (bool, *Error) {
	for i := range cs {
		c := &cs[i]
		if c.fast && r.Other == nil {
			switch c.op {
			case opEq:
				if v, ok := r.str(c.field); !ok || v != c.str {
					return false, nil
				}
				continue
			case opGlob:
				if c.pattern == nil {
					return false, nil
				}
				v, ok := r.str(c.field)
				if !ok {
					return false, c.err
				}
				if v == "" || !c.pattern.Match(v) {
					return false, nil
				}
				continue
			}
		}
		o := object{res: r}
		if ok, err := c.eval(&o); err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// decideSlow scans every rule that applies, in order, without indexes. Tests compare the
// indexed path with it.
func (s *Set) decideSlow(action, subject string, r *Resource) Decision {
	b := s.bucket(action, subject)
	if b == nil {
		return Decision{Rule: -1}
	}
	if r == nil {
		for _, pos := range b.rules {
			cr := &s.compiled[pos]
			if cr.skip || (cr.hasCond && cr.inverted) {
				continue
			}
			return s.decision(pos)
		}
		return Decision{Rule: -1}
	}
	return s.scan(b.rules, r)
}

func (s *Set) scan(list []int32, r *Resource) Decision {
	for _, pos := range list {
		ok, err := s.match(pos, r)
		if err != nil {
			return Decision{Rule: -1, Err: err}
		}
		if ok {
			return s.decision(pos)
		}
	}
	return Decision{Rule: -1}
}

// Rules returns a copy of the rules as given to Compile.
func (s *Set) Rules() []Rule {
	out := make([]Rule, 0, s.n)
	for _, p := range s.parts {
		out = append(out, p.rules...)
	}
	return out
}
