package store

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The sentinel errors. Test for them with errors.Is; the errors the stores return carry
// more detail (*Error, ValidationErrors) and wrap one of these.
var (
	// ErrNotFound: the object read, updated or deleted does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: the write collides with the stored state. It is either ErrDuplicate or
	// ErrStale.
	ErrConflict = errors.New("store: conflict")
	// ErrDuplicate: a unique key is taken: an ID, a project slug, a role slug in its
	// project, a privilege slug for its (project, identity), or the (project, identity)
	// of a membership. errors.Is(ErrDuplicate, ErrConflict) is true.
	ErrDuplicate = fmt.Errorf("%w: duplicate", ErrConflict)
	// ErrStale: the version passed to an update or delete is not the object's stored
	// version: someone else wrote it since the caller read it. errors.Is(ErrStale,
	// ErrConflict) is true.
	ErrStale = fmt.Errorf("%w: stale version", ErrConflict)
	// ErrInUse: a role cannot be deleted while memberships hold it.
	ErrInUse = errors.New("store: in use")
	// ErrInvalid: the input breaks a validation rule. The error is a ValidationErrors
	// listing every problem.
	ErrInvalid = errors.New("store: invalid")
)

// An Error reports a failed read or write that is not a validation problem: an object not
// found, a duplicate, a stale version, a role in use.
type Error struct {
	Err     error  // ErrNotFound, ErrDuplicate, ErrStale or ErrInUse
	Kind    Kind   // the kind of object
	ID      string // the object's ID, or the key it was looked for by or that is taken
	Message string // what happened, in Infisical's words where it has some
}

// Error returns "store: <kind>: <message>".
func (e *Error) Error() string { return "store: " + e.Kind.String() + ": " + e.Message }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func notFound(k Kind, id, format string, args ...any) error {
	return &Error{Err: ErrNotFound, Kind: k, ID: id, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns the *Error a store reports when the object of kind k with the given ID
// (or key) does not exist.
func NotFound(k Kind, id string) error {
	switch k {
	case KindMembership:
		return notFound(k, id, "Identity doesn't have membership")
	case KindPrivilege:
		return notFound(k, id, "Additional privilege with id %s doesn't exist", id)
	case KindRole:
		return notFound(k, id, "Role with id %s not found", id)
	case KindProject:
		return notFound(k, id, "Project with id %s not found", id)
	case KindIdentity:
		return notFound(k, id, "Identity with id %s not found", id)
	}
	return notFound(k, id, "%s %s not found", k, id)
}

// Stale returns the *Error a store reports when a write passes version but the object of
// kind k is at stored.
func Stale(k Kind, id string, version, stored uint64) error {
	return &Error{Err: ErrStale, Kind: k, ID: id,
		Message: fmt.Sprintf("%s %s is at version %d, not %d: it changed since it was read", k, id, stored, version)}
}

// Duplicate returns the *Error a store reports when a write would store a second object of
// kind k with the same value of a unique field: "id" for any kind, "slug" for projects,
// roles (per project) and privileges (per project and identity), "identityId" for
// memberships (per project). The message is Infisical's where it has one.
func Duplicate(k Kind, field, value string) error {
	var msg string
	switch {
	case field == "id":
		msg = fmt.Sprintf("%s with id %s already exists", k, value)
	case k == KindProject:
		msg = fmt.Sprintf("Project with slug %s already exists", value)
	case k == KindRole:
		msg = fmt.Sprintf("Role with %s exists", value)
	case k == KindMembership:
		msg = "Identity is already a member"
	case k == KindPrivilege:
		msg = fmt.Sprintf("Additional privilege with name %s exists", value)
	default:
		msg = fmt.Sprintf("%s with %s %s already exists", k, field, value)
	}
	return &Error{Err: ErrDuplicate, Kind: k, ID: value, Message: msg}
}

// InUse returns the *Error a store reports when deleting role id, which n memberships hold.
func InUse(id string, n int) error {
	return &Error{Err: ErrInUse, Kind: KindRole, ID: id,
		Message: fmt.Sprintf("Role is assigned to %d identity membership(s). Re-assign membership role(s) to delete this role.", n)}
}

// A Code says what kind of validation problem a ValidationError reports. The comments say
// how Infisical answers the same problem, for the HTTP layer: 422 is its schema (zod)
// validation, 400 and 404 its services.
type Code string

// The validation codes.
const (
	CodeSyntax     Code = "malformed"                   // a snapshot document that does not decode
	CodeRequired   Code = "required"                    // a required field is empty (422)
	CodeID         Code = "invalid id"                  // an ID that is not 1-128 of [A-Za-z0-9._:-] (422)
	CodeSlugLength Code = "slug length"                 // a slug too short or too long (422)
	CodeSlug       Code = "slug format"                 // a slug Infisical's slugify would change (422)
	CodeReserved   Code = "reserved slug"               // a custom role slug that is a built-in one (422)
	CodePermission Code = "invalid permission"          // a rule the catalogue rejects; Err is its *rules.Error (422)
	CodeNotFound   Code = "not found"                   // a referenced project, identity, role or membership is missing (404)
	CodeDuplicate  Code = "duplicate"                   // a key given twice where it must be unique (400)
	CodePermanent  Code = "no permanent role"           // a membership without a permanent role (400)
	CodeTemporary  Code = "incomplete temporary access" // a temporary grant without mode, range or start (400)
	CodeMode       Code = "invalid temporary mode"      // a temporaryMode other than "relative" (422)
	CodeRange      Code = "invalid temporary range"     // a range ms rejects; Err is its *temporal.Error (422, 400 for "")
	CodeImmutable  Code = "immutable"                   // an update that changes a field that cannot change (400)
	CodeTime       Code = "invalid time"                // a time outside the years 0000-9999 that ISO 8601 dates have (422)
	CodeText       Code = "invalid text"                // a string with invalid UTF-8 or a NUL character, which PostgreSQL cannot store (422)
)

// A ValidationError is one validation problem: where it is, what kind it is, and a message
// (Infisical's text where it has one). It matches ErrInvalid with errors.Is.
type ValidationError struct {
	// Object is what was validated: the kind ("role") for a write, the position in the
	// document ("memberships[2]") for a snapshot.
	Object string
	// Field is the JSON path of the offending field inside the object, as the API names
	// it: "slug", "roles[1].temporaryRange", "permissions[0].conditions.secretPath.$glob".
	// It is empty when the problem is the object as a whole.
	Field   string
	Code    Code
	Message string
	Err     error // the underlying error: a *rules.Error, a *temporal.Error, a JSON error
}

// Location returns Object and Field joined by a dot: "memberships[2].roles[0].customRoleSlug".
func (e *ValidationError) Location() string {
	switch {
	case e.Field == "":
		return e.Object
	case e.Object == "":
		return e.Field
	}
	return e.Object + "." + e.Field
}

// Error returns "store: <location>: <message>".
func (e *ValidationError) Error() string {
	if loc := e.Location(); loc != "" {
		return "store: " + loc + ": " + e.Message
	}
	return "store: " + e.Message
}

// Unwrap returns the underlying error, if any.
func (e *ValidationError) Unwrap() error { return e.Err }

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// ValidationErrors is every problem found in one write or one snapshot, sorted by location.
// It matches ErrInvalid with errors.Is, and errors.As finds each *ValidationError (and each
// underlying *rules.Error or *temporal.Error) in it.
type ValidationErrors []*ValidationError

// Error returns the problem, or a count and one problem per line.
func (es ValidationErrors) Error() string {
	switch len(es) {
	case 0:
		return "store: no problems"
	case 1:
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "store: %d problems:", len(es))
	for _, e := range es {
		b.WriteString("\n\t")
		b.WriteString(strings.TrimPrefix(e.Error(), "store: "))
	}
	return b.String()
}

// Unwrap returns the problems.
func (es ValidationErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Is reports whether target is ErrInvalid (also for an empty list).
func (es ValidationErrors) Is(target error) bool { return target == ErrInvalid }

// Find returns the first problem at the given field (as Field, not Location), or nil.
func (es ValidationErrors) Find(field string) *ValidationError {
	for _, e := range es {
		if e.Field == field {
			return e
		}
	}
	return nil
}

// problems collects ValidationErrors for one object.
type problems struct {
	object string
	list   ValidationErrors
}

func (p *problems) add(field string, code Code, err error, format string, args ...any) {
	p.list = append(p.list, &ValidationError{Object: p.object, Field: field, Code: code, Message: fmt.Sprintf(format, args...), Err: err})
}

// err returns the problems sorted by location as an error, or nil.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	sortProblems(p.list)
	return p.list
}

func sortProblems(es ValidationErrors) {
	slices.SortStableFunc(es, func(a, b *ValidationError) int {
		return cmp.Or(compareLocation(a.Object, b.Object), compareLocation(a.Field, b.Field))
	})
}

// compareLocation orders paths so that "roles[2]" comes before "roles[10]".
func compareLocation(a, b string) int {
	for a != "" && b != "" {
		i, j := digitRun(a), digitRun(b)
		if i > 0 && j > 0 {
			na, nb := strings.TrimLeft(a[:i], "0"), strings.TrimLeft(b[:j], "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), strings.Compare(na, nb)); c != 0 {
				return c
			}
			a, b = a[i:], b[j:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digitRun(s string) int {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}
