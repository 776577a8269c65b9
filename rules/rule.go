package rules

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// The CASL wildcards: a rule for action Manage applies to every action, a rule for subject All
// applies to every subject.
const (
	Manage = "manage"
	All    = "all"
)

// Rule is one permission rule as written: CASL's raw rule, which is also the shape of
// Infisical's permission objects.
//
// A rule allows (or, when Inverted, forbids) each of its Actions on each of its Subjects for
// the objects its Conditions match. Conditions is a JSON object in CASL's MongoDB-like query
// language (see Compile), or the undefined Value when the rule has none; an empty object is
// kept as written, because CASL treats `{}` differently from no conditions in type-level
// checks.
type Rule struct {
	Actions    []string
	Subjects   []string
	Conditions Value
	Inverted   bool
	Fields     []string // CASL field restrictions; Infisical does not use them
	Reason     string
}

// HasConditions reports whether r carries conditions (including an empty object).
func (r Rule) HasConditions() bool { return r.Conditions.truthy() }

// Clone returns a deep copy of r's slices (Values are immutable and shared).
func (r Rule) Clone() Rule {
	r.Actions = slices.Clone(r.Actions)
	r.Subjects = slices.Clone(r.Subjects)
	r.Fields = slices.Clone(r.Fields)
	return r
}

// Equal reports whether r and s are the same rule: same actions, subjects, fields and reason
// in the same order, same inversion, and structurally equal conditions.
func (r Rule) Equal(s Rule) bool {
	return slices.Equal(r.Actions, s.Actions) && slices.Equal(r.Subjects, s.Subjects) &&
		r.Inverted == s.Inverted && slices.Equal(r.Fields, s.Fields) && r.Reason == s.Reason &&
		r.HasConditions() == s.HasConditions() && (!r.HasConditions() || r.Conditions.Equal(s.Conditions))
}

// String returns r as compact JSON in the object form.
func (r Rule) String() string {
	b, err := r.MarshalJSON()
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

// MarshalJSON writes r in the object form: {"action", "subject", "conditions", "inverted",
// "fields", "reason"}, leaving out what is empty. A single action or subject is written as a
// string, several as an array.
func (r Rule) MarshalJSON() ([]byte, error) {
	ms := []Member{{"action", strOrList(r.Actions)}, {"subject", strOrList(r.Subjects)}}
	if r.HasConditions() {
		ms = append(ms, Member{"conditions", r.Conditions})
	}
	if r.Inverted {
		ms = append(ms, Member{"inverted", BoolValue(true)})
	}
	if len(r.Fields) > 0 {
		ms = append(ms, Member{"fields", strOrList(r.Fields)})
	}
	if r.Reason != "" {
		ms = append(ms, Member{"reason", Str(r.Reason)})
	}
	return Value{kind: Object, obj: ms}.MarshalJSON()
}

// UnmarshalJSON parses one rule in the object form or the packed form.
func (r *Rule) UnmarshalJSON(data []byte) error {
	v, err := ParseValue(data)
	if err != nil {
		return Errors{{Rule: 0, Code: ErrSyntax, Detail: err.Error()}}
	}
	var errs Errors
	rule := ruleFromValue(v, 0, &errs)
	if err := errs.err(); err != nil {
		return err
	}
	*r = rule
	return nil
}

func strOrList(ss []string) Value {
	if len(ss) == 1 {
		return Str(ss[0])
	}
	return Strs(ss...)
}

// Parse reads a JSON array of rules. Each element may be in either form Infisical uses:
//
//   - the object form, CASL's raw rule, which is also Infisical's v1 and v2 permission object:
//     {"action": "read" or ["read", "edit"], "subject": "secrets" or [...], "conditions": {...},
//     "inverted": true, "fields": ..., "reason": ...}; only action and subject are required;
//   - the packed form Infisical stores roles in: ["read,edit", "secrets", {conditions} or 0,
//     1 or 0, "fields" or 0, "reason"], trailing items optional.
//
// Object keys keep their order. Parse reports every malformed rule at once, as Errors; it
// checks shape and types only. Compile checks that conditions can be evaluated, Validate
// checks them against a Catalogue.
func Parse(data []byte) ([]Rule, error) {
	v, err := ParseValue(data)
	if err != nil {
		return nil, Errors{{Rule: -1, Code: ErrSyntax, Detail: err.Error()}}
	}
	return FromValue(v)
}

// FromValue is Parse for an already parsed JSON array.
func FromValue(v Value) ([]Rule, error) {
	if v.kind != Array {
		return nil, Errors{{Rule: -1, Code: ErrShape, Detail: "want a JSON array of rules, got " + v.kind.String()}}
	}
	var errs Errors
	out := make([]Rule, len(v.arr))
	for i, e := range v.arr {
		out[i] = ruleFromValue(e, i, &errs)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func ruleFromValue(v Value, i int, errs *Errors) Rule {
	switch v.kind {
	case Object:
		return ruleFromObject(v, i, errs)
	case Array:
		return ruleFromPacked(v, i, errs)
	}
	errs.add(i, "", ErrShape, "want an object or a packed array, got %s", v.kind)
	return Rule{}
}

func ruleFromObject(v Value, i int, errs *Errors) Rule {
	var r Rule
	var sawAction, sawSubject bool
	for _, m := range v.obj {
		switch m.Key {
		case "action":
			sawAction = true
			r.Actions = stringOrList(m.Value, i, "action", errs)
		case "subject":
			sawSubject = true
			r.Subjects = stringOrList(m.Value, i, "subject", errs)
		case "conditions":
			r.Conditions = conditionsValue(m.Value, i, errs)
		case "inverted":
			switch m.Value.kind {
			case Bool:
				r.Inverted = m.Value.b
			case Null:
			default:
				errs.add(i, "inverted", ErrType, "want true or false, got %s", m.Value.kind)
			}
		case "fields":
			if m.Value.kind != Null {
				r.Fields = stringOrList(m.Value, i, "fields", errs)
			}
		case "reason":
			switch m.Value.kind {
			case String:
				r.Reason = m.Value.str
			case Null:
			default:
				errs.add(i, "reason", ErrType, "want a string, got %s", m.Value.kind)
			}
		default:
			errs.add(i, m.Key, ErrUnknownKey, "a rule has action, subject, conditions, inverted, fields and reason")
		}
	}
	if !sawAction {
		errs.add(i, "action", ErrShape, "missing")
	}
	if !sawSubject {
		errs.add(i, "subject", ErrShape, `missing (write "all" for every subject)`)
	}
	return r
}

func stringOrList(v Value, i int, path string, errs *Errors) []string {
	switch v.kind {
	case String:
		if v.str == "" {
			errs.add(i, path, ErrValue, "must not be empty")
			return nil
		}
		return []string{v.str}
	case Array:
		if len(v.arr) == 0 {
			errs.add(i, path, ErrValue, "must not be an empty list")
			return nil
		}
		out := make([]string, 0, len(v.arr))
		for j, e := range v.arr {
			if e.kind != String || e.str == "" {
				errs.add(i, fmt.Sprintf("%s[%d]", path, j), ErrType, "want a non-empty string, got %s", describe(e))
				continue
			}
			out = append(out, e.str)
		}
		return out
	}
	errs.add(i, path, ErrType, "want a string or a list of strings, got %s", v.kind)
	return nil
}

func conditionsValue(v Value, i int, errs *Errors) Value {
	switch v.kind {
	case Object:
		return v
	case Null:
		return Value{}
	}
	errs.add(i, "conditions", ErrType, "want an object, got %s", v.kind)
	return Value{}
}

func ruleFromPacked(v Value, i int, errs *Errors) Rule {
	var r Rule
	a := v.arr
	if len(a) < 2 || len(a) > 6 {
		errs.add(i, "", ErrShape, "a packed rule has 2 to 6 items [actions, subjects, conditions, inverted, fields, reason], got %d", len(a))
		return r
	}
	r.Actions = packedList(a[0], i, "[0] (actions)", errs)
	r.Subjects = packedList(a[1], i, "[1] (subjects)", errs)
	if len(a) > 2 {
		switch c := a[2]; {
		case c.kind == Object:
			r.Conditions = c
		case !c.truthy() && (c.kind == Number || c.kind == Null):
		default:
			errs.add(i, "[2] (conditions)", ErrType, "want an object or 0, got %s", describe(c))
		}
	}
	if len(a) > 3 {
		switch c := a[3]; {
		case c.kind == Number && (c.num == 0 || c.num == 1):
			r.Inverted = c.num == 1
		case c.kind == Bool:
			r.Inverted = c.b
		default:
			errs.add(i, "[3] (inverted)", ErrType, "want 1 or 0, got %s", describe(c))
		}
	}
	if len(a) > 4 {
		switch c := a[4]; {
		case c.kind == String && c.str != "":
			r.Fields = strings.Split(c.str, ",")
		case !c.truthy() && (c.kind == Number || c.kind == String):
		default:
			errs.add(i, "[4] (fields)", ErrType, "want a comma-separated string or 0, got %s", describe(c))
		}
	}
	if len(a) > 5 {
		if c := a[5]; c.kind == String {
			r.Reason = c.str
		} else {
			errs.add(i, "[5] (reason)", ErrType, "want a string, got %s", describe(c))
		}
	}
	return r
}

func packedList(v Value, i int, path string, errs *Errors) []string {
	if v.kind != String || v.str == "" {
		errs.add(i, path, ErrType, "want a non-empty comma-separated string, got %s", describe(v))
		return nil
	}
	return strings.Split(v.str, ",")
}

// describe names a value's type, with the value itself when it is short.
func describe(v Value) string {
	switch v.kind {
	case Undefined, Null:
		return v.kind.String()
	case String:
		if len(v.str) <= 40 {
			return fmt.Sprintf("string %q", v.str)
		}
	case Number, Bool:
		return fmt.Sprintf("%s %s", v.kind, v.String())
	}
	return v.kind.String()
}

// Pack returns rules in the packed storage form, as JSON: each rule becomes
// [actions, subjects, conditions, inverted, fields, reason] with actions, subjects and fields
// joined by commas, 0 for no conditions, 1 or 0 for inverted, and trailing empty items left
// out. This is the form Infisical stores custom roles and additional privileges in.
func Pack(rules []Rule) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, r := range rules {
		if i > 0 {
			buf.WriteByte(',')
		}
		items := []Value{Str(strings.Join(r.Actions, ",")), Str(strings.Join(r.Subjects, ",")), Num(0), Num(0), Num(0), Str(r.Reason)}
		if r.HasConditions() {
			items[2] = r.Conditions
		}
		if r.Inverted {
			items[3] = Num(1)
		}
		if len(r.Fields) > 0 {
			items[4] = Str(strings.Join(r.Fields, ","))
		}
		n := len(items)
		for n > 0 && !items[n-1].truthy() {
			n--
		}
		if err := List(items[:n]...).write(&buf); err != nil {
			return nil, fmt.Errorf("rules: rule %d: %w", i, err)
		}
	}
	buf.WriteByte(']')
	return buf.Bytes(), nil
}

// Marshal returns rules as a JSON array in the object form (see Rule.MarshalJSON).
func Marshal(rules []Rule) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, r := range rules {
		if i > 0 {
			buf.WriteByte(',')
		}
		b, err := r.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("rules: rule %d: %w", i, err)
		}
		buf.Write(b)
	}
	buf.WriteByte(']')
	return buf.Bytes(), nil
}
