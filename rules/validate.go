package rules

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Validate checks rules the way Infisical's v2 write schema does, against the catalogue c
// (Infisical's own when c is nil). See Catalogue.Validate.
func Validate(rs []Rule, c *Catalogue) error {
	if c == nil {
		c = Infisical()
	}
	return c.Validate(rs)
}

// Validate checks rules the way Infisical's v2 write schema checks permission objects (spec
// §2–§3), against the subjects of c. It reports every problem at once, as Errors sorted by
// rule and path, each naming the rule's index, the part of it (Path, e.g. "action[1]" or
// "conditions.secretPath.$glob") and what was expected; it returns nil when all rules pass.
//
// # Checks
//
//   - Shape: each rule has one subject (a v2 permission object names exactly one) and at
//     least one action; the CASL wildcards "all" and "manage" are rejected (ErrShape,
//     ErrValue, ErrUnknownSubject, ErrUnknownAction). Field restrictions and reasons, which
//     permission objects do not have, are rejected (ErrUnknownKey).
//   - The subject is in the catalogue and is not internal (ErrUnknownSubject); every action is
//     one of its actions (ErrUnknownAction).
//   - A legacy umbrella action is not combined with an action it covers, e.g. secrets "read"
//     with "readValue" (ErrCombination).
//   - Conditions and inverted appear only on subjects that accept them (ErrNoConditions,
//     ErrNoInverted).
//   - Every condition field is one of the subject's (ErrUnknownField), uses only the operators
//     the field allows (ErrOperator), with operands of the right type and value (ErrType,
//     ErrValue): $eq and $ne a non-empty string, $in and $all an array of non-empty strings
//     (the array may be empty), $glob a non-empty pattern that package glob compiles
//     (ErrBadGlob), $elemMatch a query over the element fields; a plain string only where the
//     field accepts one. An empty object of operators is rejected.
//   - secretPath values other than $glob patterns start with "/"; assignableAction values have
//     the form "subject:action" and agree with the rule's assignableSubject condition
//     (ErrValue; see Format).
//   - Actions restricted to some condition fields (Infisical's ActionAllowedConditions) use
//     only those (ErrCombination).
//   - Every {{...}} in a condition is one of the identity templates warden fills in:
//     {{identity.id}}, {{identity.username}}, {{identity.metadata.KEY}} or
//     {{identity.auth.PATH}} (ErrTemplate).
//
// # Differences from Infisical
//
// Infisical's schemas silently drop what they do not know: conditions or inverted on a
// subject that takes none (storing an unconditional allow), unknown condition fields, unknown
// operators (leaving {} behind, which never matches), field restrictions. Validate rejects all
// of these instead. Infisical also trims the elements of $in lists on write; warden stores
// rules as written, so Validate rejects elements with surrounding spaces. Handlebars helpers,
// which Infisical allows in templates, are rejected, because warden does not evaluate them.
func (c *Catalogue) Validate(rs []Rule) error {
	v := validator{cat: c}
	for i, r := range rs {
		v.i = i
		v.rule(r)
	}
	return v.errs.err()
}

type validator struct {
	cat  *Catalogue
	errs Errors
	i    int // index of the rule being checked
}

func (v *validator) add(path string, code ErrorCode, format string, args ...any) {
	v.errs.add(v.i, path, code, format, args...)
}

func actionPath(j int) string { return fmt.Sprintf("action[%d]", j) }

func (v *validator) rule(r Rule) {
	if len(r.Actions) == 0 {
		v.add("action", ErrShape, "missing: a rule needs at least one action")
	}
	for j, a := range r.Actions {
		switch a {
		case "":
			v.add(actionPath(j), ErrValue, "an action must not be empty")
		case Manage:
			v.add(actionPath(j), ErrUnknownAction, "%q is CASL's wildcard for every action; write paths accept only the subject's own actions", Manage)
		}
	}
	switch len(r.Subjects) {
	case 0:
		v.add("subject", ErrShape, "missing: a rule needs a subject")
		return
	case 1:
	default:
		v.add("subject", ErrValue, "a permission object names one subject, this rule names %d; write one rule per subject", len(r.Subjects))
		for j, s := range r.Subjects {
			v.subject(s, fmt.Sprintf("subject[%d]", j))
		}
		return
	}
	e := v.subject(r.Subjects[0], "subject")
	if e == nil {
		return
	}
	if len(r.Fields) > 0 {
		v.add("fields", ErrUnknownKey, "permission objects have no field restrictions; Infisical would silently drop them, warden rejects them")
	}
	if r.Reason != "" {
		v.add("reason", ErrUnknownKey, "permission objects have no reason; Infisical would silently drop it, warden rejects it")
	}
	v.actions(r, e)
	s := &e.spec
	if r.Inverted && !s.Inverted && !s.Inert {
		v.add("inverted", ErrNoInverted, "subject %q takes no inverted rules; Infisical would silently drop inverted and store an allow, warden rejects it", s.Name)
	}
	if !r.HasConditions() {
		return
	}
	switch {
	case r.Conditions.kind != Object:
		v.add("conditions", ErrType, "want an object, got %s", describe(r.Conditions))
	case !s.Conditions && !s.Inert:
		v.add("conditions", ErrNoConditions, "subject %q takes no conditions; Infisical would silently drop them and store an unconditional rule, warden rejects them", s.Name)
	case s.Inert:
		v.templatesIn(r.Conditions, "conditions")
	default:
		v.conditions(r, e)
	}
}

// subject checks a subject name and returns its entry, or nil after reporting the problem.
func (v *validator) subject(name, path string) *subjectEntry {
	e := v.cat.subjects[name]
	switch {
	case name == All:
		v.add(path, ErrUnknownSubject, "%q is CASL's wildcard for every subject; write paths accept only named subjects", All)
	case name == "":
		v.add(path, ErrValue, "a subject must not be empty")
	case e == nil:
		v.add(path, ErrUnknownSubject, "%q is not a subject of the catalogue (register your own subjects with Catalogue.Register)", name)
	case e.spec.Internal:
		v.add(path, ErrUnknownSubject, "%q is granted only by the engine itself (folder access grants); write paths reject it", name)
	default:
		return e
	}
	return nil
}

func (v *validator) actions(r Rule, e *subjectEntry) {
	s := &e.spec
	for j, a := range r.Actions {
		p := actionPath(j)
		switch {
		case a == "" || a == Manage: // reported by rule
		case s.Inert:
			if n := utf8.RuneCountInString(a); n > maxInertAction {
				v.add(p, ErrValue, "an action of a deprecated subject has at most %d characters, this one has %d", maxInertAction, n)
			}
			v.templates(a, p)
		case !e.actions[a]:
			v.add(p, ErrUnknownAction, "subject %q has no action %q; its actions are %s", s.Name, a, strings.Join(s.Actions, ", "))
		}
	}
	for _, l := range s.Legacy {
		if !slices.Contains(r.Actions, l.Action) {
			continue
		}
		var with []string
		for _, a := range l.Covers {
			if slices.Contains(r.Actions, a) {
				with = append(with, a)
			}
		}
		if len(with) > 0 {
			v.add("action", ErrCombination, "%q is the legacy action that stands for %s on subject %q; choose either %q or the newer actions, not both (rule has %s)",
				l.Action, strings.Join(l.Covers, " and "), s.Name, l.Action, strings.Join(with, " and "))
		}
	}
}

func (v *validator) conditions(r Rule, e *subjectEntry) {
	s := &e.spec
	cv := r.Conditions
	for _, m := range cv.obj {
		p := joinPath("conditions", m.Key)
		v.templates(m.Key, p)
		if strings.HasPrefix(m.Key, "$") {
			v.add(p, ErrUnknownOperator, "%s cannot stand in place of a field; conditions are an implicit AND of the fields %s", m.Key, fieldNamesOf(s.Fields))
			continue
		}
		f := e.fields[m.Key]
		if f == nil {
			v.add(p, ErrUnknownField, "subject %q has no condition field %q (its fields are %s); Infisical would silently drop it, warden rejects it",
				s.Name, m.Key, fieldNamesOf(s.Fields))
			v.templatesIn(m.Value, p)
			continue
		}
		v.field(f, m.Value, p)
	}
	for i := range s.Fields {
		f := &s.Fields[i]
		if f.Format != FormatSubjectAction {
			continue
		}
		if val := cv.Get(f.Name); !val.IsUndefined() {
			v.subjectActionsAgree(val, cv.Get("assignableSubject"), joinPath("conditions", f.Name))
		}
	}
	if s.ActionFields == nil {
		return
	}
	for _, a := range r.Actions {
		allowed, ok := s.ActionFields[a]
		if !ok {
			continue
		}
		for _, m := range cv.obj {
			if e.fields[m.Key] != nil && !slices.Contains(allowed, m.Key) {
				v.add(joinPath("conditions", m.Key), ErrCombination, "Condition %q is not allowed for action %q on subject %q", m.Key, a, s.Name)
			}
		}
	}
}

func fieldNamesOf(fs []FieldSpec) string {
	if len(fs) == 0 {
		return "(none)"
	}
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// field checks the value of one condition field: a plain string or an object of operators.
func (v *validator) field(f *FieldSpec, val Value, path string) {
	switch val.kind {
	case String:
		if f.ObjectOnly {
			v.add(path, ErrType, "field %q takes an object of operators (%s), not a plain value", f.Name, f.Ops)
			return
		}
		v.str(f, val.str, path)
		return
	case Object:
	default:
		want := "a string or an object of operators"
		if f.ObjectOnly {
			want = "an object of operators"
		}
		v.add(path, ErrType, "field %q wants %s (%s), got %s", f.Name, want, f.Ops, describe(val))
		return
	}
	if len(val.obj) == 0 {
		v.add(path, ErrValue, "an empty object of operators never matches (Infisical stores it as is); give at least one of %s", f.Ops)
		return
	}
	for _, m := range val.obj {
		p := joinPath(path, m.Key)
		op, known := ParseOp(m.Key)
		switch {
		case !strings.HasPrefix(m.Key, "$"):
			v.add(p, ErrOperator, "%q is not an operator: field %q takes a string or an object of %s", m.Key, f.Name, f.Ops)
		case !known || !f.Ops.Has(op):
			v.add(p, ErrOperator, "field %q allows %s; Infisical would silently drop %s, warden rejects it", f.Name, f.Ops, m.Key)
		default:
			v.operand(f, op, m.Key, m.Value, p)
		}
	}
}

// operand checks the operand of one operator.
func (v *validator) operand(f *FieldSpec, op Ops, name string, val Value, path string) {
	switch op {
	case OpEq, OpNe:
		s, ok := val.AsString()
		switch {
		case !ok:
			v.add(path, ErrType, "%s wants a non-empty string, got %s", name, describe(val))
		case s == "":
			v.add(path, ErrValue, "%s wants a non-empty string", name)
		default:
			v.str(f, s, path)
		}
	case OpIn, OpNin, OpAll:
		if val.kind != Array {
			v.add(path, ErrType, "%s wants a list of non-empty strings, got %s", name, describe(val))
			return
		}
		for j, el := range val.arr {
			p := fmt.Sprintf("%s[%d]", path, j)
			s, ok := el.AsString()
			switch t := strings.TrimSpace(s); {
			case !ok:
				v.add(p, ErrType, "%s wants a list of non-empty strings, got %s", name, describe(el))
			case t == "":
				v.add(p, ErrValue, "%s wants non-empty strings", name)
			case t != s:
				v.add(p, ErrValue, "%q has surrounding spaces: Infisical trims list elements on write, warden keeps rules as written; write %q", s, t)
			default:
				v.str(f, s, p)
			}
		}
	case OpGlob:
		s, ok := val.AsString()
		switch {
		case !ok:
			v.add(path, ErrType, "$glob wants a non-empty pattern string, got %s", describe(val))
		case s == "":
			v.add(path, ErrValue, "$glob wants a non-empty pattern (an empty one never matches)")
		default:
			if !v.templates(s, path) {
				return
			}
			if _, err := compileGlob(withTemplatePlaceholders(s)); err != nil {
				v.errs = append(v.errs, &Error{Rule: v.i, Path: path, Code: ErrBadGlob, Detail: err.Error(), Err: err})
			}
		}
	case OpElemMatch:
		if val.kind != Object {
			v.add(path, ErrType, "$elemMatch wants an object querying the element fields %s, got %s", fieldNamesOf(f.Elem), describe(val))
			return
		}
		for _, m := range val.obj {
			p := joinPath(path, m.Key)
			var sub *FieldSpec
			for i := range f.Elem {
				if f.Elem[i].Name == m.Key {
					sub = &f.Elem[i]
				}
			}
			if sub == nil {
				v.add(p, ErrUnknownField, "an element of %q has the fields %s; Infisical would silently drop %q, warden rejects it", f.Name, fieldNamesOf(f.Elem), m.Key)
				v.templatesIn(m.Value, p)
				continue
			}
			v.field(sub, m.Value, p)
		}
	}
}

// secretPathMessage is Infisical's own wording (spec §3.2).
const secretPathMessage = "Invalid Secret Path; it must start with a '/'"

// str checks a string value that is compared with (not a glob): the field's format and the
// templates in it.
func (v *validator) str(f *FieldSpec, s, path string) {
	switch f.Format {
	case FormatPath:
		if !strings.HasPrefix(s, "/") {
			v.add(path, ErrValue, secretPathMessage)
		}
	case FormatSubjectAction:
		if sub, act, ok := strings.Cut(s, ":"); !ok || sub == "" || act == "" {
			v.add(path, ErrValue, "%q is not of the form subject:action (e.g. secrets:readValue)", s)
		}
	}
	v.templates(s, path)
}

// subjectActionsAgree checks that the subject part of every "subject:action" value an
// assignableAction condition allows (plain value, $eq, $in elements) is allowed by the
// rule's assignableSubject condition, when there is one.
func (v *validator) subjectActionsAgree(actions, subjects Value, path string) {
	allowed, ok := subjectPredicate(subjects)
	if !ok {
		return
	}
	check := func(val Value, p string) {
		s, isStr := val.AsString()
		sub, act, ok := strings.Cut(s, ":")
		if !isStr || !ok || sub == "" || act == "" {
			return // malformed values are reported by str
		}
		if !allowed(sub) {
			v.add(p, ErrValue, "the subject part %q of %q is not allowed by the rule's assignableSubject condition", sub, s)
		}
	}
	switch actions.kind {
	case String:
		check(actions, path)
	case Object:
		for _, m := range actions.obj {
			switch m.Key {
			case "$eq":
				check(m.Value, joinPath(path, m.Key))
			case "$in":
				for j, el := range m.Value.arr {
					check(el, fmt.Sprintf("%s.$in[%d]", path, j))
				}
			}
		}
	}
}

// subjectPredicate turns an assignableSubject condition into a test of subject names ($eq
// and $in: allowed set, $ne: forbidden, $glob: pattern). Malformed parts are skipped (they
// are reported elsewhere); ok is false when there is no usable condition.
func subjectPredicate(cond Value) (pred func(string) bool, ok bool) {
	var tests []func(string) bool
	switch cond.kind {
	case String:
		want := cond.str
		tests = append(tests, func(s string) bool { return s == want })
	case Object:
		for _, m := range cond.obj {
			switch m.Key {
			case "$eq", "$ne":
				want, isStr := m.Value.AsString()
				if !isStr || want == "" {
					continue
				}
				eq := m.Key == "$eq"
				tests = append(tests, func(s string) bool { return (s == want) == eq })
			case "$in":
				if m.Value.kind != Array {
					continue
				}
				var set []string
				for _, el := range m.Value.arr {
					if s, isStr := el.AsString(); isStr {
						set = append(set, s)
					}
				}
				tests = append(tests, func(s string) bool { return slices.Contains(set, s) })
			case "$glob":
				p, isStr := m.Value.AsString()
				if !isStr || p == "" || templateProblem(p) != "" {
					continue
				}
				g, err := compileGlob(withTemplatePlaceholders(p))
				if err != nil {
					continue
				}
				tests = append(tests, g.Match)
			}
		}
	}
	if len(tests) == 0 {
		return nil, false
	}
	return func(s string) bool {
		for _, t := range tests {
			if !t(s) {
				return false
			}
		}
		return true
	}, true
}

// ---- templates ----

// templates reports every template problem in s at path and says whether there was none.
func (v *validator) templates(s, path string) bool {
	if p := templateProblem(s); p != "" {
		v.add(path, ErrTemplate, "%s", p)
		return false
	}
	return true
}

// templatesIn checks every key and string inside a JSON value.
func (v *validator) templatesIn(val Value, path string) {
	switch val.kind {
	case String:
		v.templates(val.str, path)
	case Array:
		for j, el := range val.arr {
			v.templatesIn(el, fmt.Sprintf("%s[%d]", path, j))
		}
	case Object:
		for _, m := range val.obj {
			p := joinPath(path, m.Key)
			v.templates(m.Key, p)
			v.templatesIn(m.Value, p)
		}
	}
}

// templateProblem describes the first {{...}} in s that is not an identity template, or
// returns "".
func templateProblem(s string) string {
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			return ""
		}
		rest := s[i+2:]
		j := strings.Index(rest, "}}")
		if j < 0 {
			return fmt.Sprintf("%q opens a template with {{ and never closes it", s)
		}
		if !identityTemplate(strings.TrimSpace(rest[:j])) {
			return fmt.Sprintf("{{%s}} is not an identity template: warden fills in only {{identity.id}}, {{identity.username}}, {{identity.metadata.KEY}} and {{identity.auth.PATH}} (no helpers, blocks or other expressions)", rest[:j])
		}
		s = rest[j+2:]
	}
}

// identityTemplate reports whether expr (the inside of {{ }}) is a plain path to one of the
// identity values the engine fills in (spec §1.6).
func identityTemplate(expr string) bool {
	segs := strings.Split(expr, ".")
	for _, s := range segs {
		if s == "" || strings.ContainsFunc(s, notIDChar) {
			return false
		}
	}
	if len(segs) < 2 || segs[0] != "identity" {
		return false
	}
	switch segs[1] {
	case "id", "username":
		return len(segs) == 2
	case "metadata", "auth":
		return len(segs) >= 3
	}
	return false
}

// notIDChar reports characters that cannot appear in a Handlebars path segment.
func notIDChar(r rune) bool {
	return r <= ' ' || strings.ContainsRune("!\"#%&'()*+,./;<=>@[\\]^`{|}~", r)
}

// templatePlaceholder stands for a template's value when a pattern containing templates is
// compiled to check it: any literal text would do.
const templatePlaceholder = "x"

// withTemplatePlaceholders replaces every {{...}} in s by templatePlaceholder.
func withTemplatePlaceholders(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(templatePlaceholder)
		s = s[i+2+j+2:]
	}
	b.WriteString(s)
	return b.String()
}
