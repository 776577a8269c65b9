package glob

import (
	"strconv"
	"unicode/utf8"
)

// An Error reports a pattern that Compile refuses. Pattern is the pattern as given, Offset
// the byte offset in Pattern at which the problem was found (0 when the problem concerns
// the pattern as a whole), and Code says what the problem is.
type Error struct {
	Pattern string
	Offset  int
	Code    ErrorCode
}

// Error returns "glob: CODE at offset N in pattern "P"". Patterns longer than 80 bytes are
// shortened in the message; the Pattern field keeps the whole text.
func (e *Error) Error() string {
	p := e.Pattern
	if len(p) > 80 {
		cut := 80
		for cut > 0 && !utf8.RuneStart(p[cut]) {
			cut--
		}
		p = p[:cut] + "..."
	}
	return "glob: " + string(e.Code) + " at offset " + strconv.Itoa(e.Offset) + " in pattern " + strconv.Quote(p)
}

// An ErrorCode names the kind of problem an Error reports.
type ErrorCode string

const (
	// ErrEmpty: the pattern is the empty string. Infisical's $glob never matches it and its
	// write validation rejects it.
	ErrEmpty ErrorCode = "empty pattern"

	// ErrTooLong: the pattern is longer than MaxPatternLength UTF-16 code units, the limit
	// above which picomatch throws.
	ErrTooLong ErrorCode = "pattern too long"

	// ErrTooComplex: the pattern exceeds one of warden's complexity limits (see the package
	// documentation, # Limits). picomatch would accept it; warden refuses it to keep the
	// matching time bounded.
	ErrTooComplex ErrorCode = "pattern too complex"

	// ErrBackreference: the regular expression picomatch builds from the pattern contains a
	// backreference (a "\1" after a group made by parentheses or braces). Backreferences make
	// matching NP-hard, so warden does not support them.
	ErrBackreference ErrorCode = "backreference not supported"

	// ErrRejected: picomatch throws on this pattern (the pattern is exactly the name of a
	// property of JavaScript's Object.prototype, such as "constructor" or "__proto__"), so
	// Infisical's write validation rejects it and a check against it fails.
	ErrRejected ErrorCode = "pattern rejected by picomatch"

	// ErrNoTermination: picomatch never finishes reading this pattern (it loops forever, for
	// example on a run of four or more backslashes at the end of a pattern that contains a
	// "/"), so Infisical cannot store or evaluate it.
	ErrNoTermination ErrorCode = "pattern on which picomatch does not terminate"
)

// unitOffset converts an index into the UTF-16 code units of s to a byte offset in s.
func unitOffset(s string, unit int) int {
	k := 0
	for i := 0; i < len(s); {
		if k >= unit {
			return i
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r >= 0x10000 {
			k += 2
		} else {
			k++
		}
		i += w
	}
	return len(s)
}
