package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/temporal"
)

// errorBody is the JSON of every error response: Infisical's shape.
type errorBody struct {
	ReqID      string `json:"reqId"`
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
	Error      string `json:"error"`
	Details    any    `json:"details,omitempty"`
}

// apiError is an error answered with its own status, error name and details.
type apiError struct {
	Status  int
	Name    string
	Message string
	Details any
}

// Error returns the message.
func (e *apiError) Error() string { return e.Message }

func unauthorized(msg string) error {
	return &apiError{Status: http.StatusUnauthorized, Name: "UnauthorizedError", Message: msg}
}

func badRequest(format string, args ...any) error {
	return &apiError{Status: http.StatusBadRequest, Name: "BadRequest", Message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &apiError{Status: http.StatusNotFound, Name: "NotFound", Message: fmt.Sprintf(format, args...)}
}

func notMember(projectID string) error {
	return &apiError{Status: http.StatusForbidden, Name: "ProjectMembershipNotFound",
		Message: "You are not a member of this project with ID " + projectID +
			". Please assign this identity to the project with the appropriate permissions, then try again."}
}

// writeError answers err: an *apiError as it says, problems with their status, store
// errors mapped (see fromStore), anything else with 500.
func (rq *request) writeError(err error) {
	var ae *apiError
	var ps problems
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &ps):
		ae = ps.apiError()
	default:
		if ae = fromStore(err, nil); ae == nil {
			rq.h.opts.logger.Error("httpapi: internal error", "reqId", rq.id, "method", rq.r.Method, "path", rq.r.URL.Path, "err", err)
			ae = &apiError{Status: http.StatusInternalServerError, Name: "InternalServerError", Message: "Something went wrong"}
		}
	}
	rq.writeJSON(ae.Status, errorBody{ReqID: rq.id, StatusCode: ae.Status, Message: ae.Message, Error: ae.Name, Details: ae.Details})
}

// ---- validation problems ----

// problem is one validation problem of a request: the field (a JSON path into the body or
// the query, "privilegeDetails.permissions[0].conditions.secretPath"), a code, a message,
// and the status the problem calls for.
type problem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	status  int
}

// problems is every problem found in one request. As an error it is answered with 422 when
// any problem is a schema problem (Infisical's zod validation, which runs first), else 400,
// else 404 (a referenced object that does not exist), with every problem in details.
type problems []problem

// Error joins the problems, each as "field: message".
func (ps problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		if p.Field == "" {
			parts[i] = p.Message
		} else {
			parts[i] = p.Field + ": " + p.Message
		}
	}
	return strings.Join(parts, "; ")
}

func (ps *problems) add(status int, field, code, format string, args ...any) {
	*ps = append(*ps, problem{Field: field, Code: code, Message: fmt.Sprintf(format, args...), status: status})
}

// invalid adds a schema problem (422).
func (ps *problems) invalid(field, code, format string, args ...any) {
	ps.add(http.StatusUnprocessableEntity, field, code, format, args...)
}

// err returns ps as an error, or nil when there is no problem.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func (ps problems) status() int {
	best := 0
	rank := func(s int) int {
		switch s {
		case http.StatusUnprocessableEntity:
			return 3
		case http.StatusBadRequest:
			return 2
		case http.StatusNotFound:
			return 1
		}
		return 0
	}
	for _, p := range ps {
		if best == 0 || rank(p.status) > rank(best) {
			best = p.status
		}
	}
	return best
}

func (ps problems) apiError() *apiError {
	status := ps.status()
	name := "BadRequest"
	switch status {
	case http.StatusUnprocessableEntity:
		name = "ValidationFailure"
	case http.StatusNotFound:
		name = "NotFound"
	}
	// The message names the problems of the answered class first.
	ordered := make(problems, 0, len(ps))
	for _, p := range ps {
		if p.status == status {
			ordered = append(ordered, p)
		}
	}
	for _, p := range ps {
		if p.status != status {
			ordered = append(ordered, p)
		}
	}
	return &apiError{Status: status, Name: name, Message: ordered.Error(), Details: []problem(ordered)}
}

// addRules adds each problem of a rules error (from rules.Parse, Validate, ValidateV1...)
// under field ("permissions"), as field[rule].path. Invalid action combinations and
// templates are 400, as Infisical's refinements answer; the rest 422.
func (ps *problems) addRules(field string, err error) {
	var res rules.Errors
	if !errors.As(err, &res) {
		var re *rules.Error
		if !errors.As(err, &re) {
			ps.invalid(field, "invalid permission", "%v", err)
			return
		}
		res = rules.Errors{re}
	}
	for _, re := range res {
		f := field
		if re.Rule >= 0 {
			f = fmt.Sprintf("%s[%d]", field, re.Rule)
		}
		switch {
		case re.Path == "":
		case strings.HasPrefix(re.Path, "["):
			f += re.Path
		default:
			f += "." + re.Path
		}
		msg := string(re.Code)
		if re.Detail != "" {
			msg += ": " + re.Detail
		}
		status := http.StatusUnprocessableEntity
		if re.Code == rules.ErrCombination || re.Code == rules.ErrTemplate {
			status = http.StatusBadRequest
		}
		ps.add(status, f, string(re.Code), "%s", msg)
	}
}

// ---- store errors ----

// fromStore maps a store error to its answer, or returns nil for an error that is not a
// store error. field maps the store's field names ("temporaryRange") to the request's
// ("type.temporaryRange"); nil keeps them.
//
//   - ErrInvalid: each problem with its status (422 schema, 400 service rule, 404 missing
//     referenced object);
//   - ErrNotFound: 404; ErrInUse: 400 (as Infisical);
//   - ErrDuplicate and ErrStale: 409 Conflict (Infisical answers a duplicate role slug with
//     404 and other duplicates with 400; warden says what happened).
func fromStore(err error, field func(string) string) *apiError {
	var ves store.ValidationErrors
	var ve *store.ValidationError
	var se *store.Error
	switch {
	case errors.As(err, &ves) || errors.As(err, &ve):
		if ves == nil {
			ves = store.ValidationErrors{ve}
		}
		var ps problems
		for _, v := range ves {
			f := v.Field
			if field != nil {
				f = field(f)
			}
			ps.add(codeStatus(v), f, string(v.Code), "%s", v.Message)
		}
		return ps.apiError()
	case errors.As(err, &se):
		switch {
		case errors.Is(err, store.ErrNotFound):
			return &apiError{Status: http.StatusNotFound, Name: "NotFound", Message: se.Message}
		case errors.Is(err, store.ErrInUse):
			return &apiError{Status: http.StatusBadRequest, Name: "BadRequest", Message: se.Message}
		case errors.Is(err, store.ErrStale):
			return &apiError{Status: http.StatusConflict, Name: "Conflict", Message: "The object changed while this request was being served; retry: " + se.Message}
		case errors.Is(err, store.ErrConflict):
			return &apiError{Status: http.StatusConflict, Name: "Conflict", Message: se.Message}
		}
	case errors.Is(err, store.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Name: "NotFound", Message: "Not found"}
	}
	return nil
}

// codeStatus is the status Infisical answers a validation problem with (see store.Code).
func codeStatus(v *store.ValidationError) int {
	switch v.Code {
	case store.CodeNotFound:
		return http.StatusNotFound
	case store.CodeSyntax, store.CodeDuplicate, store.CodePermanent, store.CodeTemporary, store.CodeImmutable:
		return http.StatusBadRequest
	case store.CodePermission:
		var re *rules.Error
		if errors.As(v.Err, &re) && (re.Code == rules.ErrCombination || re.Code == rules.ErrTemplate) {
			return http.StatusBadRequest
		}
	case store.CodeRange:
		var te *temporal.Error
		if errors.As(v.Err, &te) && te.Code == temporal.ErrEmpty {
			return http.StatusBadRequest
		}
	}
	return http.StatusUnprocessableEntity
}

// storeErr maps a store error with field names translated by field; other errors pass
// through.
func storeErr(err error, field func(string) string) error {
	if err == nil {
		return nil
	}
	if ae := fromStore(err, field); ae != nil {
		return ae
	}
	return err
}
