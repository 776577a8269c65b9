package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// ErrorCode says what kind of problem an Error reports.
type ErrorCode string

// The error codes. Tests and callers compare codes, never message text.
const (
	ErrSyntax          ErrorCode = "invalid JSON"
	ErrShape           ErrorCode = "malformed rule"              // a rule that is not an object or packed array of the right shape
	ErrType            ErrorCode = "wrong type"                  // a value of the wrong JSON type
	ErrUnknownKey      ErrorCode = "unknown key"                 // a key no rule form has
	ErrUnknownOperator ErrorCode = "unsupported operator"        // a $-operator warden does not evaluate
	ErrMixedOperators  ErrorCode = "operators mixed with values" // {"$eq": "x", "y": 1}
	ErrBadGlob         ErrorCode = "invalid glob"
	ErrUnknownSubject  ErrorCode = "unknown subject"
	ErrUnknownAction   ErrorCode = "unknown action"
	ErrUnknownField    ErrorCode = "condition field not allowed"
	ErrOperator        ErrorCode = "operator not allowed"
	ErrValue           ErrorCode = "invalid value"
	ErrCombination     ErrorCode = "invalid action combination"
	ErrNoConditions    ErrorCode = "conditions not allowed"
	ErrNoInverted      ErrorCode = "inverted not allowed"
	ErrTooLarge        ErrorCode = "too large"
	ErrEvaluation      ErrorCode = "evaluation error" // a condition CASL would throw on, reached at check time
)

// ErrTemplate reports a {{...}} in a rule that is not one of the identity templates warden
// fills in (spec §1.6). Infisical answers it with a 400 where schema problems get a 422.
const ErrTemplate ErrorCode = "invalid template"

// Error describes one problem with one rule: which rule (its index in the list it came from),
// which part of it (Path, e.g. "conditions.secretPath.$glob"), what kind of problem (Code) and
// what was expected (Detail). Err, when set, is the underlying error (a *glob.Error, say).
type Error struct {
	Rule   int // index of the rule; -1 when the problem is not about one rule
	Path   string
	Code   ErrorCode
	Detail string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("rules: ")
	if e.Rule >= 0 {
		fmt.Fprintf(&b, "rule %d: ", e.Rule)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(string(e.Code))
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in one document or rule list, sorted by rule and path. Parse,
// Compile and Validate return it (as an error) so that all problems are reported at once.
type Errors []*Error

func (es Errors) Error() string {
	switch len(es) {
	case 0:
		return "rules: no errors"
	case 1:
		return es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "rules: %d problems:", len(es))
	for _, e := range es {
		b.WriteString("\n\t")
		b.WriteString(strings.TrimPrefix(e.Error(), "rules: "))
	}
	return b.String()
}

// Unwrap lets errors.As and errors.Is look at each problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// err returns es sorted as an error, or nil when empty.
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Rule, b.Rule), strings.Compare(a.Path, b.Path))
	})
	return es
}

func (es *Errors) add(rule int, path string, code ErrorCode, format string, args ...any) {
	*es = append(*es, &Error{Rule: rule, Path: path, Code: code, Detail: fmt.Sprintf(format, args...)})
}

// joinPath appends a key to a dotted error path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
