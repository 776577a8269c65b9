package temporal

import (
	"math"
	"strconv"
	"time"
)

// A Range is a parsed temporary range such as "1h" or "2 days": a length of
// time in milliseconds, as the JavaScript ms package computes it.
//
// The zero Range has length zero. [ParseRange] never returns it.
type Range struct {
	text string
	ms   float64
}

// maxLen is the longest range ms parses: "if (str.length > 100) return;".
// It counts UTF-16 code units, as JavaScript's String.length does.
const maxLen = 100

// Units in milliseconds, as ms defines them (y = 365.25 days).
const (
	second = 1000
	minute = 60 * second
	hour   = 60 * minute
	day    = 24 * hour
	week   = 7 * day
	year   = 365.25 * day
)

// ParseRange parses a temporary range exactly as Infisical does with the ms
// package (version 2). It accepts a string that matches, case-insensitively,
//
//	^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$
//
// in which \d is an ASCII digit, only ASCII spaces may separate the number
// from the unit, and case folding is ASCII only. The string may be at most
// 100 characters long. The number is read like JavaScript's parseFloat. A
// missing unit means milliseconds, and y is 365.25 days. There is no unit for
// months, so "1mo" is rejected. Infisical then requires the value to be
// positive.
//
// Examples: "1h" is 3 600 000 ms, "1.5h" is 5 400 000 ms, ".5h" is 1 800 000
// ms, "100" is 100 ms, and "1.5ms" is 1.5 ms. Because of the grammar, "1 " is
// 1 ms while "1h " and " 1h" are rejected. "1e3" is rejected too.
//
// A rejected range returns an [*Error] whose Input is s, with the code
// [ErrEmpty], [ErrTooLong], [ErrSyntax] or [ErrNotPositive].
func ParseRange(s string) (Range, error) {
	if s == "" {
		return Range{}, &Error{Code: ErrEmpty, Input: s}
	}
	if jsLen(s) > maxLen {
		return Range{}, &Error{Code: ErrTooLong, Input: s}
	}
	v, ok := parseMS(s)
	if !ok {
		return Range{}, &Error{Code: ErrSyntax, Input: s}
	}
	if !(v > 0) { // also rejects -0
		return Range{}, &Error{Code: ErrNotPositive, Input: s}
	}
	return Range{text: s, ms: v}, nil
}

// jsLen returns the length of s in UTF-16 code units. An invalid UTF-8 byte
// counts as one unit.
func jsLen(s string) int {
	if len(s) <= maxLen {
		return len(s) // a string is never longer in UTF-16 than in UTF-8
	}
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// parseMS returns what ms's parse returns for s, or false where it returns
// undefined. s is at most maxLen characters.
func parseMS(s string) (float64, bool) {
	// The number: -?(?:\d+)?\.?\d+ is "-?" followed by either "\d+" or
	// "\d*\.\d+". Units contain no digits or dots, so reading greedily
	// finds the only possible match.
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		fracStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == fracStart {
			return 0, false
		}
	} else if i == intStart {
		return 0, false
	}
	num := s[:i]
	for i < len(s) && s[i] == ' ' {
		i++
	}
	unit, ok := unitOf(s[i:])
	if !ok {
		return 0, false
	}
	// num matches ParseFloat's decimal syntax. It is at most 100 characters,
	// far from overflowing. Both ParseFloat and parseFloat round correctly.
	n, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, false
	}
	return n * unit, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// unitOf returns the length of a unit in milliseconds. The empty unit is
// milliseconds. Matching folds ASCII case only: in a non-Unicode JavaScript
// regexp, no non-ASCII character matches an ASCII letter.
func unitOf(u string) (float64, bool) {
	var buf [len("milliseconds")]byte
	if len(u) > len(buf) {
		return 0, false
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(u)]) {
	case "", "milliseconds", "millisecond", "msecs", "msec", "ms":
		return 1, true
	case "seconds", "second", "secs", "sec", "s":
		return second, true
	case "minutes", "minute", "mins", "min", "m":
		return minute, true
	case "hours", "hour", "hrs", "hr", "h":
		return hour, true
	case "days", "day", "d":
		return day, true
	case "weeks", "week", "w":
		return week, true
	case "years", "year", "yrs", "yr", "y":
		return year, true
	}
	return 0, false
}

// String returns the range as it was given to [ParseRange].
func (r Range) String() string { return r.text }

// Milliseconds returns the exact length of r in milliseconds, as ms returns
// it. It may be fractional.
func (r Range) Milliseconds() float64 { return r.ms }

// Duration returns the length of r truncated toward zero to whole
// nanoseconds. It saturates at the largest Duration (about 292 years), which
// ranges such as "300y" exceed. Use [Range.End] for the end of a grant: it
// follows JavaScript's arithmetic, which Duration does not.
func (r Range) Duration() time.Duration {
	ns := r.ms * float64(time.Millisecond)
	if ns >= math.MaxInt64 { // float64(MaxInt64) is 2⁶³
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// maxTime is the largest absolute time value of a JavaScript Date, in
// milliseconds since 1970 (ECMAScript TimeClip).
const maxTime = 8.64e15

// End returns the end of a temporary grant that starts at start and lasts r,
// as Infisical computes temporaryAccessEndTime:
//
//	new Date(new Date(start).getTime() + ms(range))
//
// start is truncated to a whole millisecond (toward the past), the
// millisecond value of r is added in float64 arithmetic, and the sum is
// truncated toward zero to a whole millisecond (TimeClip). So a range of
// "1.5ms" ends 1 ms after a start on a millisecond boundary. The result has
// start's location.
//
// If start or the end is outside JavaScript's date range (±8.64e15 ms around
// 1970), End returns an [*Error] with the code [ErrOutOfRange]. Infisical
// would compute an Invalid Date there.
func (r Range) End(start time.Time) (time.Time, error) {
	const maxSec = maxTime / 1000
	sec := start.Unix()
	if sec < -maxSec || sec > maxSec {
		return time.Time{}, &Error{Code: ErrOutOfRange, Input: r.text}
	}
	startMS := sec*1000 + int64(start.Nanosecond()/int(time.Millisecond))
	if startMS < -maxTime || startMS > maxTime {
		return time.Time{}, &Error{Code: ErrOutOfRange, Input: r.text}
	}
	sum := float64(startMS) + r.ms // exact conversion: |startMS| < 2⁵³
	if !(math.Abs(sum) <= maxTime) {
		return time.Time{}, &Error{Code: ErrOutOfRange, Input: r.text}
	}
	// Converting a float to an integer truncates toward zero, as TimeClip's
	// ToIntegerOrInfinity does.
	return time.UnixMilli(int64(sum)).In(start.Location()), nil
}
