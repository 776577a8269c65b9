package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/temporal"
)

// decodeBody reads the request's JSON body into dst, a pointer to a struct whose json tags
// name the accepted keys. It refuses, before anything is done with the request: a body over
// the size limit (413), a content type other than JSON (415), an empty or malformed body
// (400), and values of the wrong type or keys the struct does not have (422, each with its
// field). Key names are matched exactly (encoding/json alone would match them regardless of
// case).
func (rq *request) decodeBody(dst any) error {
	if ct := rq.r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return &apiError{Status: http.StatusUnsupportedMediaType, Name: "UnsupportedMediaType",
				Message: fmt.Sprintf("Unsupported Media Type: %s; send the body as application/json", ct)}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(rq.w, rq.r.Body, rq.h.opts.maxBody))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return &apiError{Status: http.StatusRequestEntityTooLarge, Name: "PayloadTooLarge",
			Message: fmt.Sprintf("Request body is too large: the limit is %d bytes", mbe.Limit)}
	case err != nil:
		return badRequest("Reading the request body: %v", err)
	}
	return decodeJSON(body, dst)
}

func decodeJSON(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("Body cannot be empty: send a JSON object")
	}
	if !json.Valid(body) {
		var v any
		err := json.Unmarshal(body, &v)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := position(body, se.Offset)
			return badRequest("Body is not valid JSON: line %d, column %d: %s", line, col, strings.TrimPrefix(se.Error(), "json: "))
		}
		return badRequest("Body is not valid JSON")
	}
	var ps problems
	unknownKeys(body, reflect.TypeOf(dst), "", &ps)
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			ps.invalid(te.Field, "wrong type", "Expected %s, received %s", typeName(te.Type), te.Value)
		} else {
			ps.invalid("", "wrong type", "%s", strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	return ps.err()
}

// position turns a byte offset into a line and column, both from 1.
func position(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for _, c := range data[:min(int(off), len(data))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// typeName names a Go type as the JSON type it decodes from.
func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Float64:
		return "number"
	case reflect.Slice:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return t.String()
}

var rawMessage = reflect.TypeFor[json.RawMessage]()

// unknownKeys reports every object key in data that the struct type t (after pointers) has
// no json field for, recursing into nested structs and slices of them. Values of the wrong
// JSON type are left to encoding/json.
func unknownKeys(data []byte, t reflect.Type, path string, ps *problems) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == rawMessage:
		return
	case t.Kind() == reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil || obj == nil {
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				names := make([]string, 0, len(fields))
				for n := range fields {
					names = append(names, n)
				}
				sort.Strings(names)
				ps.invalid(joinField(path, k), "unknown field", "Unrecognized key %q: this request takes %s", k, strings.Join(names, ", "))
				continue
			}
			unknownKeys(obj[k], ft, joinField(path, k), ps)
		}
	case t.Kind() == reflect.Slice:
		var items []json.RawMessage
		if json.Unmarshal(data, &items) != nil {
			return
		}
		for i, it := range items {
			unknownKeys(it, t.Elem(), fmt.Sprintf("%s[%d]", path, i), ps)
		}
	}
}

// jsonFields maps the JSON names of a struct's fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for n, t := range jsonFields(ft) {
					out[n] = t
				}
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func joinField(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// query returns the request's query parameters, refusing (422) any not in allowed.
func (rq *request) query(allowed ...string) (url.Values, error) {
	q := rq.r.URL.Query()
	var ps problems
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			ps.invalid(k, "unknown field", "Unrecognized query parameter %q: this request takes %s", k, strings.Join(allowed, ", "))
		}
	}
	return q, ps.err()
}

// ---- field checks ----

const (
	msgRequired = "Required"
	msgMin1     = "String must contain at least 1 character(s)"
)

// requiredString checks a required string field of at least one character (zod's
// z.string().min(1)) and returns it trimmed of nothing: IDs are used as given.
func requiredString(ps *problems, field string, v *string) string {
	switch {
	case v == nil:
		ps.invalid(field, "required", msgRequired)
		return ""
	case *v == "":
		ps.invalid(field, "required", msgMin1)
	}
	return *v
}

// requiredQuery is requiredString for a query parameter.
func requiredQuery(ps *problems, q url.Values, name string) string {
	if !q.Has(name) {
		ps.invalid(name, "required", msgRequired)
		return ""
	}
	v := q.Get(name)
	if v == "" {
		ps.invalid(name, "required", msgMin1)
	}
	return v
}

// slug checks a slug as Infisical's slugSchema does (trimmed, 1 to max characters, what
// slugify leaves unchanged) and returns it trimmed.
func slug(ps *problems, field, s string, max int) string {
	s = strings.TrimSpace(s)
	switch n := len([]rune(s)); {
	case n == 0:
		ps.invalid(field, string(store.CodeSlugLength), "Slug field must be at least 1 lowercase character(s)")
		return s
	case n > max:
		ps.invalid(field, string(store.CodeSlugLength), "Slug field must be at most %d lowercase character(s)", max)
	}
	if !store.ValidSlug(s, len(s)) {
		ps.invalid(field, string(store.CodeSlug), "Slug field can only contain lowercase letters, numbers, and hyphens")
	}
	return s
}

// temporaryIn is the temporary-access fields of a request: a grant's or a privilege's.
type temporaryIn struct {
	IsTemporary              *bool   `json:"isTemporary"`
	TemporaryMode            *string `json:"temporaryMode"`
	TemporaryRange           *string `json:"temporaryRange"`
	TemporaryAccessStartTime *string `json:"temporaryAccessStartTime"`
}

// checkFields checks the fields that are present: mode "relative", a range the ms grammar
// accepts as positive, a start that is an ISO 8601 UTC date-time.
func (t temporaryIn) checkFields(ps *problems, prefix string) (rng string, start *time.Time) {
	if t.TemporaryMode != nil && *t.TemporaryMode != store.ModeRelative {
		ps.invalid(prefix+"temporaryMode", string(store.CodeMode), "Invalid enum value. Expected 'relative', received '%s'", *t.TemporaryMode)
	}
	if t.TemporaryRange != nil {
		rng = *t.TemporaryRange
		if _, err := temporal.ParseRange(rng); err != nil {
			var te *temporal.Error
			if errors.As(err, &te) && te.Code == temporal.ErrEmpty {
				ps.add(http.StatusBadRequest, prefix+"temporaryRange", string(store.CodeRange), "Invalid date format string")
			} else {
				ps.invalid(prefix+"temporaryRange", string(store.CodeRange), "Temporary range must be a positive number")
			}
		}
	}
	if t.TemporaryAccessStartTime != nil {
		s := *t.TemporaryAccessStartTime
		ts, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || !strings.HasSuffix(s, "Z") {
			ps.invalid(prefix+"temporaryAccessStartTime", string(store.CodeTime), "Invalid datetime: want an ISO 8601 UTC date-time such as 2026-01-05T09:00:00.000Z")
		} else {
			start = &ts
		}
	}
	return rng, start
}

// temporary checks a whole set of temporary fields, as the routes' discriminated unions do:
// with isTemporary true, mode, range and start are required; with isTemporary false (or
// absent when absentOK), none of them may be given. It returns the store's form.
func (t temporaryIn) temporary(ps *problems, prefix string, absentOK bool) store.Temporary {
	if t.IsTemporary == nil && !absentOK {
		ps.invalid(prefix+"isTemporary", "required", msgRequired)
		return store.Temporary{}
	}
	rng, start := t.checkFields(ps, prefix)
	if t.IsTemporary == nil || !*t.IsTemporary {
		for _, f := range []struct {
			name string
			set  bool
		}{
			{"temporaryAccessStartTime", t.TemporaryAccessStartTime != nil},
			{"temporaryMode", t.TemporaryMode != nil},
			{"temporaryRange", t.TemporaryRange != nil},
		} {
			if f.set {
				ps.invalid(prefix+f.name, "unknown field", "Only a temporary grant (isTemporary: true) takes %s", f.name)
			}
		}
		return store.Temporary{}
	}
	if t.TemporaryMode == nil {
		ps.invalid(prefix+"temporaryMode", "required", msgRequired)
	}
	if t.TemporaryRange == nil {
		ps.invalid(prefix+"temporaryRange", "required", msgRequired)
	}
	if t.TemporaryAccessStartTime == nil {
		ps.invalid(prefix+"temporaryAccessStartTime", "required", msgRequired)
	}
	return store.Temporary{IsTemporary: true, Mode: store.ModeRelative, Range: rng, Start: start}
}
