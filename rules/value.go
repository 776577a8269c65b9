package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The kinds of Value. The zero Value is Undefined: the absence of a value, which JSON cannot
// spell but CASL's conditions distinguish from null.
const (
	Undefined Kind = iota
	Null
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"undefined", "null", "boolean", "number", "string", "array", "object"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is an immutable JSON value whose objects keep their members in the order JavaScript
// enumerates them. That order matters: CASL tests condition fields one after the other and
// stops at the first that fails, so it decides whether a later condition (one that would
// throw, say) is ever reached.
//
// JavaScript enumerates an object's integer-like keys ("0", "1", ...) first, in ascending
// numeric order, then every other key in the order it was first written; a key written twice
// keeps its first position and its last value. Values built by ParseValue follow these rules.
type Value struct {
	kind Kind
	b    bool
	num  float64
	str  string // string value, or the number's source text
	arr  []Value
	obj  []Member
}

// Member is one key and value of a JSON object.
type Member struct {
	Key   string
	Value Value
}

// Str returns a string Value.
func Str(s string) Value { return Value{kind: String, str: s} }

// Num returns a number Value.
func Num(f float64) Value { return Value{kind: Number, num: f} }

// BoolValue returns a boolean Value.
func BoolValue(b bool) Value { return Value{kind: Bool, b: b} }

// NullValue returns the JSON null.
func NullValue() Value { return Value{kind: Null} }

// List returns an array Value holding vs.
func List(vs ...Value) Value {
	if vs == nil {
		vs = []Value{}
	}
	return Value{kind: Array, arr: vs}
}

// Strs returns an array Value of strings.
func Strs(ss ...string) Value {
	vs := make([]Value, len(ss))
	for i, s := range ss {
		vs[i] = Str(s)
	}
	return List(vs...)
}

// Obj returns an object Value with the given members, in JavaScript's enumeration order (see
// Value). The members are copied.
func Obj(ms ...Member) Value {
	var o objectBuilder
	for _, m := range ms {
		o.set(m.Key, m.Value)
	}
	return o.value()
}

// Kind returns v's JSON type.
func (v Value) Kind() Kind { return v.kind }

// IsUndefined reports whether v is the zero Value.
func (v Value) IsUndefined() bool { return v.kind == Undefined }

// AsString returns v's string and whether v is a string.
func (v Value) AsString() (string, bool) { return v.str, v.kind == String }

// AsNumber returns v's number and whether v is a number.
func (v Value) AsNumber() (float64, bool) { return v.num, v.kind == Number }

// AsBool returns v's boolean and whether v is a boolean.
func (v Value) AsBool() (bool, bool) { return v.b, v.kind == Bool }

// Len returns the number of elements of an array or members of an object, and 0 otherwise.
func (v Value) Len() int {
	switch v.kind {
	case Array:
		return len(v.arr)
	case Object:
		return len(v.obj)
	}
	return 0
}

// Index returns the i-th element of an array.
func (v Value) Index(i int) Value { return v.arr[i] }

// Members returns an object's members in enumeration order. The slice must not be modified.
func (v Value) Members() []Member { return v.obj }

// Get returns the member named key of an object, or the zero (undefined) Value.
func (v Value) Get(key string) Value {
	for _, m := range v.obj {
		if m.Key == key {
			return m.Value
		}
	}
	return Value{}
}

// truthy reports whether JavaScript treats v as true in a boolean context.
func (v Value) truthy() bool {
	switch v.kind {
	case Undefined, Null:
		return false
	case Bool:
		return v.b
	case Number:
		return v.num != 0 && !math.IsNaN(v.num)
	case String:
		return v.str != ""
	}
	return true
}

// strictEqual is JavaScript's ===: arrays and objects are never equal to anything parsed
// separately (they are distinct references).
func strictEqual(a, b Value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case Undefined, Null:
		return true
	case Bool:
		return a.b == b.b
	case Number:
		return a.num == b.num
	case String:
		return a.str == b.str
	}
	return false
}

// Equal reports whether v and w are the same JSON document (deep equality, member order
// ignored). It is a structural comparison for tests and round trips, not CASL's equality.
func (v Value) Equal(w Value) bool {
	if v.kind != w.kind {
		return false
	}
	switch v.kind {
	case Array:
		if len(v.arr) != len(w.arr) {
			return false
		}
		for i := range v.arr {
			if !v.arr[i].Equal(w.arr[i]) {
				return false
			}
		}
		return true
	case Object:
		if len(v.obj) != len(w.obj) {
			return false
		}
		for _, m := range v.obj {
			found := false
			for _, n := range w.obj {
				if n.Key == m.Key {
					found = m.Value.Equal(n.Value)
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	return strictEqual(v, w)
}

// MarshalJSON writes v as JSON, objects in enumeration order.
func (v Value) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	if err := v.write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnmarshalJSON parses one JSON value, keeping object member order.
func (v *Value) UnmarshalJSON(data []byte) error {
	w, err := ParseValue(data)
	if err != nil {
		return err
	}
	*v = w
	return nil
}

// String returns v as compact JSON.
func (v Value) String() string {
	var buf bytes.Buffer
	if err := v.write(&buf); err != nil {
		return "<" + err.Error() + ">"
	}
	return buf.String()
}

func (v Value) write(buf *bytes.Buffer) error {
	switch v.kind {
	case Undefined:
		return errors.New("rules: cannot marshal an undefined value")
	case Null:
		buf.WriteString("null")
	case Bool:
		buf.WriteString(strconv.FormatBool(v.b))
	case Number:
		if v.str != "" {
			buf.WriteString(v.str)
			break
		}
		if math.IsInf(v.num, 0) || math.IsNaN(v.num) {
			return fmt.Errorf("rules: cannot marshal number %v", v.num)
		}
		buf.WriteString(strconv.FormatFloat(v.num, 'g', -1, 64))
	case String:
		writeString(buf, v.str)
	case Array:
		buf.WriteByte('[')
		for i, e := range v.arr {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := e.write(buf); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case Object:
		buf.WriteByte('{')
		for i, m := range v.obj {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, m.Key)
			buf.WriteByte(':')
			if err := m.Value.write(buf); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	}
	return nil
}

func writeString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s) // a Go string always marshals
	buf.Write(b)
}

// maxDepth bounds the nesting of parsed JSON. Conditions nest at most three levels in practice
// (field, operator, $elemMatch sub-query); 64 leaves ample room while keeping a hostile
// document from exhausting the stack.
const maxDepth = 64

// ParseValue parses a single JSON document into a Value, keeping object member order as
// JavaScript's JSON.parse would enumerate it.
func ParseValue(data []byte) (Value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec, 0)
	if err != nil {
		return Value{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return Value{}, fmt.Errorf("invalid JSON: unexpected data after the value at offset %d", dec.InputOffset())
		}
		return Value{}, jsonError(err)
	}
	return v, nil
}

func jsonError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at offset %d: %v", se.Offset, se)
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errors.New("invalid JSON: unexpected end of input")
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func parseValue(dec *json.Decoder, depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, fmt.Errorf("invalid JSON: nested deeper than %d levels", maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return Value{}, jsonError(err)
	}
	switch t := tok.(type) {
	case nil:
		return NullValue(), nil
	case bool:
		return BoolValue(t), nil
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return Value{}, fmt.Errorf("invalid JSON number %s", t)
		}
		return Value{kind: Number, num: f, str: string(t)}, nil
	case string:
		return Str(t), nil
	case json.Delim:
		switch t {
		case '[':
			arr := []Value{}
			for dec.More() {
				e, err := parseValue(dec, depth+1)
				if err != nil {
					return Value{}, err
				}
				arr = append(arr, e)
			}
			if _, err := dec.Token(); err != nil {
				return Value{}, jsonError(err)
			}
			return Value{kind: Array, arr: arr}, nil
		case '{':
			var o objectBuilder
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return Value{}, jsonError(err)
				}
				key := kt.(string) // the decoder only yields string keys inside objects
				e, err := parseValue(dec, depth+1)
				if err != nil {
					return Value{}, err
				}
				o.set(key, e)
			}
			if _, err := dec.Token(); err != nil {
				return Value{}, jsonError(err)
			}
			return o.value(), nil
		}
	}
	return Value{}, fmt.Errorf("invalid JSON: unexpected token %v", tok)
}

// objectBuilder collects members in JavaScript's property order.
type objectBuilder struct {
	ints []Member // integer-like keys, kept sorted by numeric value
	strs []Member // other keys, in first-insertion order
}

func (o *objectBuilder) set(key string, v Value) {
	if n, ok := arrayIndex(key); ok {
		for i := range o.ints {
			if o.ints[i].Key == key {
				o.ints[i].Value = v
				return
			}
		}
		i := 0
		for i < len(o.ints) {
			m, _ := arrayIndex(o.ints[i].Key)
			if m > n {
				break
			}
			i++
		}
		o.ints = append(o.ints, Member{})
		copy(o.ints[i+1:], o.ints[i:])
		o.ints[i] = Member{key, v}
		return
	}
	for i := range o.strs {
		if o.strs[i].Key == key {
			o.strs[i].Value = v
			return
		}
	}
	o.strs = append(o.strs, Member{key, v})
}

func (o *objectBuilder) value() Value {
	obj := make([]Member, 0, len(o.ints)+len(o.strs))
	obj = append(obj, o.ints...)
	obj = append(obj, o.strs...)
	return Value{kind: Object, obj: obj}
}

// arrayIndex reports whether key is an integer-like property name in JavaScript's sense (a
// canonical decimal below 2³²−1), which objects enumerate before all other keys.
func arrayIndex(key string) (uint64, bool) {
	if key == "" || len(key) > 10 || (len(key) > 1 && key[0] == '0') {
		return 0, false
	}
	if strings.TrimLeft(key, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseUint(key, 10, 64)
	if err != nil || n >= 1<<32-1 {
		return 0, false
	}
	return n, true
}

// MapStrings returns v with f applied to every string value inside it (object keys are left
// as they are). It returns v itself, sharing its storage, when f changes nothing.
func (v Value) MapStrings(f func(string) string) Value {
	switch v.kind {
	case String:
		if s := f(v.str); s != v.str {
			return Str(s)
		}
	case Array:
		var out []Value
		for i, e := range v.arr {
			m := e.MapStrings(f)
			if out == nil && !sameValue(m, e) {
				out = append(make([]Value, 0, len(v.arr)), v.arr[:i]...)
			}
			if out != nil {
				out = append(out, m)
			}
		}
		if out != nil {
			return Value{kind: Array, arr: out}
		}
	case Object:
		var out []Member
		for i, m := range v.obj {
			e := m.Value.MapStrings(f)
			if out == nil && !sameValue(e, m.Value) {
				out = append(make([]Member, 0, len(v.obj)), v.obj[:i]...)
			}
			if out != nil {
				out = append(out, Member{m.Key, e})
			}
		}
		if out != nil {
			return Value{kind: Object, obj: out}
		}
	}
	return v
}

// sameValue reports whether a and b share their storage (MapStrings returned its input).
func sameValue(a, b Value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case String:
		return a.str == b.str
	case Array:
		return len(a.arr) == len(b.arr) && (len(a.arr) == 0 || &a.arr[0] == &b.arr[0])
	case Object:
		return len(a.obj) == len(b.obj) && (len(a.obj) == 0 || &a.obj[0] == &b.obj[0])
	}
	return true
}
