package rules

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wardenhq/warden/glob"
)

// opcode is a compiled condition operator.
type opcode uint8

const (
	opEq opcode = iota
	opNe
	opIn
	opNin
	opAll
	opGlob
	opElemMatch
)

var opNames = [...]string{opEq: "$eq", opNe: "$ne", opIn: "$in", opNin: "$nin", opAll: "$all", opGlob: "$glob", opElemMatch: "$elemMatch"}

// casslInstructions are the operator names CASL's condition matcher knows, as Infisical
// configures it (its defaults plus $glob). warden evaluates the ones in opNames; the others
// are compile errors (see ErrUnknownOperator).
var caslInstructions = map[string]bool{
	"$eq": true, "$ne": true, "$lt": true, "$lte": true, "$gt": true, "$gte": true, "$in": true,
	"$nin": true, "$all": true, "$size": true, "$regex": true, "$options": true,
	"$elemMatch": true, "$exists": true, "$glob": true,
}

func lookupOp(name string) (opcode, bool) {
	for op, n := range opNames {
		if n == name {
			return opcode(op), true
		}
	}
	return 0, false
}

// globCache shares compiled globs between compilations: the same patterns recur in every
// identity holding a role. A *glob.Pattern is immutable, so sharing is safe. The cache stops
// growing at maxGlobCache patterns (new ones are then compiled each time), which bounds its
// memory whatever the rules hold.
var (
	globCache    sync.Map // pattern → *glob.Pattern
	globCacheLen atomic.Int64
)

const maxGlobCache = 1 << 16

func compileGlob(s string) (*glob.Pattern, error) {
	if g, ok := globCache.Load(s); ok {
		return g.(*glob.Pattern), nil
	}
	g, err := glob.Compile(s)
	if err != nil {
		return nil, err
	}
	if globCacheLen.Load() < maxGlobCache {
		if _, loaded := globCache.LoadOrStore(s, g); !loaded {
			globCacheLen.Add(1)
		}
	}
	return g, nil
}

// cond is one compiled field condition: an operator applied to the value of one field.
type cond struct {
	// The fields the usual conditions read come first, in one cache line.
	op    opcode
	field fieldID // typed Resource field, or fieldOther
	// fast is set when c applies a string operator to a typed string field of Resource, so
	// that evaluation can skip the general value view.
	fast    bool
	isStr   bool          // val is a string, str
	allStrs bool          // every element of list is a string, strs
	itself  bool          // the sub-query's operators apply to each element itself
	str     string        // operand of $eq/$ne when it is a string
	pattern *glob.Pattern // operand of $glob; nil for the empty pattern, which never matches
	err     *Error        // what evaluation reports when CASL would throw here

	name string   // the field's name as written ("" for an $elemMatch element itself)
	path []string // the name split at dots, when it has any (CASL reads nested fields)
	val  Value    // operand of $eq/$ne
	list []Value  // operand of $in/$nin/$all
	strs []string // the same when every element is a string
	sub  []cond   // $elemMatch sub-query, an AND in order
}

// setFast decides whether c can take the fast path of eval.
func (c *cond) setFast() {
	if c.name == "" || c.path != nil || c.field == fieldOther || c.field == fieldSecretTags || c.field == fieldMetadata {
		return
	}
	switch c.op {
	case opEq, opNe:
		c.fast = c.isStr
	case opIn, opNin:
		c.fast = c.allStrs
	case opGlob:
		c.fast = true
	}
}

// mayThrow reports whether evaluating c can fail the way CASL throws: a $glob on a value that
// is not a string, or an $elemMatch sub-query reading a field out of a null element.
func (c *cond) mayThrow() bool {
	switch c.op {
	case opGlob:
		return c.pattern != nil
	case opElemMatch:
		if !c.itself {
			return true
		}
		for i := range c.sub {
			if c.sub[i].mayThrow() {
				return true
			}
		}
	}
	return false
}

// compileConditions turns a rule's conditions object into an AND of field conditions in the
// order CASL evaluates them. Problems are added to errs with the rule's index.
func compileConditions(v Value, rule int, errs *Errors) []cond {
	if v.kind != Object {
		errs.add(rule, "conditions", ErrType, "want an object, got %s", v.kind)
		return nil
	}
	return compileDocument(v, rule, "conditions", errs)
}

// compileDocument compiles a query over an object's fields: {field: value or {op: operand}}.
func compileDocument(v Value, rule int, path string, errs *Errors) []cond {
	var out []cond
	for _, m := range v.obj {
		p := joinPath(path, m.Key)
		if strings.HasPrefix(m.Key, "$") {
			errs.add(rule, p, ErrUnknownOperator, "%s cannot stand in place of a field; conditions are an implicit AND of fields", m.Key)
			continue
		}
		out = append(out, compileField(m.Key, m.Value, rule, p, errs)...)
	}
	return out
}

// hasOperatorKeys reports whether an object is an operator object ({"$eq": ...}) rather
// than a plain value to compare with. Any key starting with "$" makes it one for warden; CASL
// only counts the keys it knows, and would compare with an object like {"$typo": 1} (which
// never matches) where warden reports the unknown operator.
func hasOperatorKeys(v Value) bool {
	if v.kind != Object {
		return false
	}
	for _, m := range v.obj {
		if strings.HasPrefix(m.Key, "$") {
			return true
		}
	}
	return false
}

// compileField compiles the conditions on one field. name is "" for the element itself inside
// an $elemMatch.
func compileField(name string, v Value, rule int, path string, errs *Errors) []cond {
	base := cond{name: name}
	if name != "" {
		base.field = lookupField(name)
		if strings.Contains(name, ".") {
			base.field = fieldOther
			base.path = strings.Split(name, ".")
		}
	}
	if !hasOperatorKeys(v) {
		c := base
		c.op = opEq
		c.setValue(v)
		c.setFast()
		return []cond{c}
	}
	var out []cond
	for _, m := range v.obj {
		p := joinPath(path, m.Key)
		op, ok := lookupOp(m.Key)
		if !ok {
			if !strings.HasPrefix(m.Key, "$") {
				errs.add(rule, p, ErrMixedOperators, "a field's value is either a plain value or an object of operators, not both")
			} else if caslInstructions[m.Key] {
				errs.add(rule, p, ErrUnknownOperator, "%s is not evaluated by warden; it supports $eq, $ne, $in, $nin, $all, $glob and $elemMatch", m.Key)
			} else {
				errs.add(rule, p, ErrUnknownOperator, "%s is not an operator; use $eq, $ne, $in, $nin, $all, $glob or $elemMatch", m.Key)
			}
			continue
		}
		c := base
		c.op = op
		switch op {
		case opEq, opNe:
			c.setValue(m.Value)
		case opIn, opNin, opAll:
			if m.Value.kind != Array {
				errs.add(rule, p, ErrType, "%s wants a list, got %s", m.Key, describe(m.Value))
				continue
			}
			c.list = m.Value.arr
			c.allStrs = true
			for _, e := range c.list {
				if e.kind != String {
					c.allStrs = false
					break
				}
				c.strs = append(c.strs, e.str)
			}
			if !c.allStrs {
				c.strs = nil
			}
		case opGlob:
			s, ok := m.Value.AsString()
			if !ok {
				errs.add(rule, p, ErrType, "$glob wants a string pattern, got %s", describe(m.Value))
				continue
			}
			c.str = s
			if s != "" { // Infisical: an empty pattern never matches (and never throws)
				g, err := compileGlob(s)
				if err != nil {
					*errs = append(*errs, &Error{Rule: rule, Path: p, Code: ErrBadGlob, Detail: err.Error(), Err: err})
					continue
				}
				c.pattern = g
			}
		case opElemMatch:
			if m.Value.kind != Object {
				errs.add(rule, p, ErrType, "$elemMatch wants an object (a query), got %s", describe(m.Value))
				continue
			}
			if hasOperatorKeys(m.Value) {
				c.itself = true
				c.sub = compileField("", m.Value, rule, p, errs)
			} else {
				c.sub = compileDocument(m.Value, rule, p, errs)
			}
		}
		c.setFast()
		out = append(out, c)
	}
	return out
}

func (c *cond) setValue(v Value) {
	c.val = v
	c.str, c.isStr = v.AsString()
}

// ---- evaluation ----

// fkind says what a field value view holds.
type fkind uint8

const (
	fAbsent   fkind = iota
	fStr            // a string
	fStrs           // a list of strings (secretTags)
	fMeta           // a list of metadata objects
	fMetaElem       // one metadata object ({key, value})
	fValue          // a generic JSON value
)

// fval is a view of one field's value, built without allocating.
type fval struct {
	kind fkind
	s    string
	strs []string
	meta []Metadata
	md   *Metadata
	v    Value
}

func valueView(v Value) fval {
	switch v.kind {
	case Undefined:
		return fval{}
	case String:
		return fval{kind: fStr, s: v.str}
	}
	return fval{kind: fValue, v: v}
}

// isArray reports whether the value is a JavaScript array.
func (f *fval) isArray() bool {
	return f.kind == fStrs || f.kind == fMeta || (f.kind == fValue && f.v.kind == Array)
}

// falsy reports whether JavaScript treats the value as false.
func (f *fval) falsy() bool {
	switch f.kind {
	case fAbsent:
		return true
	case fStr:
		return f.s == ""
	case fValue:
		return !f.v.truthy()
	}
	return false
}

// arrayLen and elem give access to the elements of an array value.
func (f *fval) arrayLen() int {
	switch f.kind {
	case fStrs:
		return len(f.strs)
	case fMeta:
		return len(f.meta)
	}
	return len(f.v.arr)
}

func (f *fval) elem(i int) fval {
	switch f.kind {
	case fStrs:
		return fval{kind: fStr, s: f.strs[i]}
	case fMeta:
		return fval{kind: fMetaElem, md: &f.meta[i]}
	}
	return valueView(f.v.arr[i])
}

// equals is CASL's compare(a, b) === 0 for a non-array a: JavaScript's ===.
func (f *fval) equals(operand Value) bool {
	switch f.kind {
	case fStr:
		return operand.kind == String && operand.str == f.s
	case fValue:
		return strictEqual(f.v, operand)
	}
	return false // absent (undefined is never an operand) or an object
}

func (f *fval) equalsStr(s string) bool {
	switch f.kind {
	case fStr:
		return f.s == s
	case fValue:
		return f.v.kind == String && f.v.str == s
	}
	return false
}

// field reads the value c applies to out of the object o.
func (o *object) field(c *cond) fval {
	if c.name == "" {
		return o.self
	}
	if o.res == nil {
		return o.self.member(c)
	}
	r := o.res
	if c.path != nil {
		return fieldPath(valueView(r.Get(c.path[0])), c.path[1:])
	}
	switch c.field {
	case fieldOther:
	case fieldSecretTags:
		if r.SecretTags != nil {
			return fval{kind: fStrs, strs: r.SecretTags}
		}
	case fieldMetadata:
		if r.Metadata != nil {
			return fval{kind: fMeta, meta: r.Metadata}
		}
	default:
		if s, ok := r.str(c.field); ok {
			return fval{kind: fStr, s: s}
		}
	}
	if r.Other == nil {
		return fval{}
	}
	return valueView(r.Other[c.name])
}

// member reads a (possibly dotted) field of an element inside an $elemMatch.
func (f fval) member(c *cond) fval {
	if c.path != nil {
		return fieldPath(f, c.path)
	}
	return f.prop(c.name)
}

// prop reads one property of the value, projecting over arrays as CASL does.
func (f fval) prop(name string) fval {
	switch f.kind {
	case fMetaElem:
		switch name {
		case "key":
			return fval{kind: fStr, s: f.md.Key}
		case "value":
			return fval{kind: fStr, s: f.md.Value}
		}
		return fval{}
	case fValue:
		switch f.v.kind {
		case Object:
			return valueView(f.v.Get(name))
		case Array:
			return valueView(projectArray(f.v, name))
		}
	case fMeta, fStrs:
		return valueView(projectArray(f.toValue(), name))
	}
	return fval{}
}

func (f fval) toValue() Value {
	switch f.kind {
	case fStr:
		return Str(f.s)
	case fStrs:
		return Strs(f.strs...)
	case fMeta, fMetaElem:
		ms := f.meta
		if f.kind == fMetaElem {
			ms = []Metadata{*f.md}
		}
		vs := make([]Value, len(ms))
		for i, m := range ms {
			vs[i] = Obj(Member{"key", Str(m.Key)}, Member{"value", Str(m.Value)})
		}
		if f.kind == fMetaElem {
			return vs[0]
		}
		return List(vs...)
	case fValue:
		return f.v
	}
	return Value{}
}

// projectArray is CASL's reading of a named field out of an array: the defined values of
// that field of each element, arrays flattened one level. A numeric name indexes the array.
func projectArray(a Value, name string) Value {
	if _, ok := arrayIndex(name); ok || isNumeric(name) {
		if n, ok := arrayIndex(name); ok && int(n) < len(a.arr) {
			return a.arr[n]
		}
		return Value{}
	}
	var out []Value
	for _, e := range a.arr {
		var v Value
		if e.kind == Object {
			v = e.Get(name)
		}
		switch v.kind {
		case Undefined:
		case Array:
			out = append(out, v.arr...)
		default:
			out = append(out, v)
		}
	}
	return List(out...)
}

// isNumeric reports whether JavaScript's Number(name) is a number rather than NaN, for the
// names a condition can reasonably hold (decimal, exponent, hexadecimal, blank).
func isNumeric(name string) bool {
	s := strings.TrimSpace(name)
	if s == "" || s == "Infinity" || s == "+Infinity" || s == "-Infinity" {
		return true
	}
	if len(s) > 2 && s[0] == '0' && strings.ContainsRune("xXoObB", rune(s[1])) {
		_, err := strconv.ParseInt(s, 0, 64)
		return err == nil || errors.Is(err, strconv.ErrRange)
	}
	if strings.ContainsAny(s, "_xXpP") || strings.EqualFold(s, "nan") || strings.EqualFold(s, "inf") {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

// fieldPath follows a dotted path, stopping at the first value that is not an object (CASL's
// getValueByPath).
func fieldPath(f fval, path []string) fval {
	for _, p := range path {
		if f.kind == fAbsent || f.falsy() || !(f.kind == fValue && (f.v.kind == Object || f.v.kind == Array) || f.kind == fMeta || f.kind == fStrs || f.kind == fMetaElem) {
			return f
		}
		f = f.prop(p)
	}
	return f
}

// object is what a condition is evaluated against: the resource, or one element of an array
// inside an $elemMatch.
type object struct {
	res  *Resource
	self fval
}

// eval evaluates an AND of conditions in order, stopping at the first false. It returns the
// error CASL would throw, if a condition it reaches would throw.
func evalAll(cs []cond, o *object) (bool, *Error) {
	for i := range cs {
		ok, err := cs[i].eval(o)
		if err != nil {
			return false, err
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

func (c *cond) eval(o *object) (bool, *Error) {
	if c.fast && o.res != nil {
		if s, ok := o.res.str(c.field); ok || o.res.Other == nil {
			switch c.op {
			case opEq:
				return ok && s == c.str, nil
			case opNe:
				return !ok || s != c.str, nil
			case opIn, opNin:
				in := false
				if ok {
					for _, w := range c.strs {
						if w == s {
							in = true
							break
						}
					}
				}
				return in == (c.op == opIn), nil
			case opGlob:
				switch {
				case c.pattern == nil:
					return false, nil
				case !ok:
					return false, c.err
				}
				return s != "" && c.pattern.Match(s), nil
			}
		}
	}
	if o.res == nil && c.name != "" && o.self.falsy() {
		return false, c.err // CASL cannot read a field out of a null (or other falsy) element
	}
	v := o.field(c)
	switch c.op {
	case opEq:
		return c.eq(&v), nil
	case opNe:
		return !c.eq(&v), nil
	case opIn:
		return c.in(&v), nil
	case opNin:
		return !c.in(&v), nil
	case opAll:
		if !v.isArray() {
			return false, nil
		}
		for _, want := range c.list {
			if !anyElemEquals(&v, want) {
				return false, nil
			}
		}
		return true, nil
	case opGlob:
		if c.pattern == nil {
			return false, nil
		}
		switch {
		case v.kind == fStr:
			return v.s != "" && c.pattern.Match(v.s), nil
		case v.kind == fValue && v.v.kind == String:
			return v.v.str != "" && c.pattern.Match(v.v.str), nil
		}
		return false, c.err
	case opElemMatch:
		if !v.isArray() {
			return false, nil
		}
		n := v.arrayLen()
		for i := 0; i < n; i++ {
			sub := object{self: v.elem(i)}
			ok, err := evalAll(c.sub, &sub)
			if err != nil {
				return false, err
			}
			if ok {
				return true, nil
			}
		}
		return false, nil
	}
	return false, nil
}

// eq is CASL's $eq: an array field contains the operand; anything else is === the operand.
func (c *cond) eq(v *fval) bool {
	if c.val.kind == Array || c.val.kind == Object {
		return false // compared by reference in JavaScript: never equal
	}
	if v.isArray() {
		if c.isStr && v.kind == fStrs {
			for _, s := range v.strs {
				if s == c.str {
					return true
				}
			}
			return false
		}
		return anyElemEquals(v, c.val)
	}
	if c.isStr {
		return v.equalsStr(c.str)
	}
	return v.equals(c.val)
}

// in is CASL's $in: some element of an array field, or the field itself, is in the list.
func (c *cond) in(v *fval) bool {
	if v.isArray() {
		n := v.arrayLen()
		for i := 0; i < n; i++ {
			e := v.elem(i)
			if c.listHas(&e) {
				return true
			}
		}
		return false
	}
	return c.listHas(v)
}

func (c *cond) listHas(v *fval) bool {
	if c.allStrs {
		var s string
		switch {
		case v.kind == fStr:
			s = v.s
		case v.kind == fValue && v.v.kind == String:
			s = v.v.str
		default:
			return false
		}
		for _, w := range c.strs {
			if w == s {
				return true
			}
		}
		return false
	}
	for _, w := range c.list {
		if v.equals(w) {
			return true
		}
	}
	return false
}

func anyElemEquals(v *fval, want Value) bool {
	n := v.arrayLen()
	for i := 0; i < n; i++ {
		e := v.elem(i)
		if e.equals(want) {
			return true
		}
	}
	return false
}
