package temporal

import "strconv"

// An ErrorCode says why a range was rejected. Its text is the message.
type ErrorCode string

// The codes of [Error]. The HTTP layer maps them to Infisical's responses:
// ms throws on ErrEmpty (400 "Invalid date format string"); ErrTooLong,
// ErrSyntax and ErrNotPositive fail the route's ms(range) > 0 check
// (422 "Temporary range must be a positive number").
const (
	// ErrEmpty: the range is the empty string.
	ErrEmpty ErrorCode = "empty range"
	// ErrTooLong: the range is longer than 100 characters, the most ms parses.
	ErrTooLong ErrorCode = "range longer than 100 characters"
	// ErrSyntax: the range is not a number followed by an optional unit.
	ErrSyntax ErrorCode = "range is not a number with an optional unit such as ms, s, m, h, d, w or y"
	// ErrNotPositive: the range parses, but its value is zero or negative.
	ErrNotPositive ErrorCode = "range is not a positive duration"
	// ErrOutOfRange: start + range falls outside JavaScript's date range
	// (±8.64e15 ms around 1970). JavaScript makes that an Invalid Date.
	ErrOutOfRange ErrorCode = "range end is outside the JavaScript date range"
)

// An Error reports a rejected range: the range as given and a code saying why.
type Error struct {
	Code  ErrorCode // what is wrong
	Input string    // the range as given
}

// maxQuoted caps how much of the input an error message repeats. The full
// input remains in [Error.Input].
const maxQuoted = 120

// Error returns the message, which quotes the input.
func (e *Error) Error() string {
	in := e.Input
	if len(in) > maxQuoted {
		in = in[:maxQuoted] + "..."
	}
	return "temporal: " + string(e.Code) + ": " + strconv.Quote(in)
}
