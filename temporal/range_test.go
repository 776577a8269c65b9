package temporal

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// The accepted values below were confirmed with node 20 running ms 2.1.3's
// parse function (ms(s) for each input).
var parseTests = []struct {
	in   string
	want float64 // milliseconds
}{
	{"1h", 3_600_000},
	{"1 h", 3_600_000},
	{"1  h", 3_600_000},
	{"1H", 3_600_000},
	{"1.5h", 5_400_000},
	{".5h", 1_800_000},
	{"00.5h", 1_800_000},
	{"5 minutes", 300_000},
	{"1Min", 60_000},
	{"2 hrs", 7_200_000},
	{"1hour", 3_600_000},
	{"1y", 31_557_600_000},
	{"1 YEAR", 31_557_600_000},
	{"1 Yrs", 31_557_600_000},
	{"1d", 86_400_000},
	{"7 Days", 604_800_000},
	{"1W", 604_800_000},
	{"3 w", 1_814_400_000},
	{"1m", 60_000},
	{"30s", 30_000},
	{"1 sec", 1_000},
	{"3SECS", 3_000},
	{"0.5s", 500},
	{".1s", 100},
	{".3s", 300},
	{"0.7s", 700},
	{"100", 100},
	{"100 ", 100}, // trailing spaces are allowed when there is no unit
	{"1 ", 1},
	{"1.5ms", 1.5},
	{"1.1ms", 1.1},
	{"1.5 MILLISECONDS", 1.5},
	{"2.5 MSECS", 2.5},
	{"0.0000001", 1e-7},
	{strings.Repeat("1", 100), 1.111111111111111e+99},
}

func TestParseRange(t *testing.T) {
	for _, tt := range parseTests {
		r, err := ParseRange(tt.in)
		if err != nil {
			t.Errorf("ParseRange(%q) error: %v", tt.in, err)
			continue
		}
		if got := r.Milliseconds(); got != tt.want {
			t.Errorf("ParseRange(%q).Milliseconds() = %v, want %v", tt.in, got, tt.want)
		}
		if got := r.String(); got != tt.in {
			t.Errorf("ParseRange(%q).String() = %q, want the input", tt.in, got)
		}
		checkOracle(t, tt.in)
	}
}

func TestParseRangeErrors(t *testing.T) {
	tests := []struct {
		in   string
		want ErrorCode
	}{
		{"", ErrEmpty},
		{strings.Repeat("1", 101), ErrTooLong},
		{strings.Repeat("é", 51), ErrSyntax}, // 102 bytes, 51 UTF-16 units: a syntax error
		{"1" + strings.Repeat(" ", 99) + "h", ErrTooLong},
		{strings.Repeat("😀", 51), ErrTooLong}, // 102 UTF-16 units
		{"1mo", ErrSyntax},
		{"1 month", ErrSyntax},
		{"abc", ErrSyntax},
		{" 1h", ErrSyntax},
		{"1h ", ErrSyntax},
		{"1h\n", ErrSyntax},
		{"1\th", ErrSyntax},
		{"1e3", ErrSyntax},
		{"1_0", ErrSyntax},
		{"0x10", ErrSyntax},
		{"+1h", ErrSyntax},
		{"1.", ErrSyntax},
		{".", ErrSyntax},
		{"-", ErrSyntax},
		{"1.5.5", ErrSyntax},
		{"1hs", ErrSyntax},
		{"5 msecss", ErrSyntax},
		{"１h", ErrSyntax},      // fullwidth digit: \d is ASCII only
		{"1ſ", ErrSyntax},      // ſ folds to s in Unicode, not in a JavaScript /i regexp
		{"1\u212a", ErrSyntax}, // Kelvin sign
		{"Infinity", ErrSyntax},
		{"-1h", ErrNotPositive},
		{"-.5", ErrNotPositive},
		{"-0", ErrNotPositive},
		{"0", ErrNotPositive},
		{"0h", ErrNotPositive},
		{"0.0", ErrNotPositive},
	}
	for _, tt := range tests {
		_, err := ParseRange(tt.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("ParseRange(%q) error = %v, want an *Error with code %q", tt.in, err, tt.want)
			continue
		}
		if e.Code != tt.want {
			t.Errorf("ParseRange(%q) code = %q, want %q", tt.in, e.Code, tt.want)
		}
		if e.Input != tt.in {
			t.Errorf("ParseRange(%q) error input = %q, want the input", tt.in, e.Input)
		}
		checkOracle(t, tt.in)
	}
}

// The wanted ends were confirmed with node 20:
// new Date(new Date(start).getTime() + ms(range)).getTime().
func TestRangeEnd(t *testing.T) {
	ms := func(v int64) time.Time { return time.UnixMilli(v).UTC() }
	const jan1 = 1704067200000 // 2024-01-01T00:00:00Z
	tests := []struct {
		start time.Time
		rng   string
		want  time.Time
	}{
		{ms(jan1), "1h", ms(jan1 + 3_600_000)},
		{ms(jan1), "1y", ms(1735624800000)}, // 2024-12-31T06:00:00Z
		{ms(jan1), "2.5 days", ms(1704283200000)},
		{ms(jan1), "1.5ms", ms(jan1 + 1)},
		{ms(jan1), "1.1ms", ms(jan1 + 1)},
		{ms(jan1), "0.5s", ms(jan1 + 500)},
		{ms(jan1), ".1s", ms(jan1 + 100)},
		{ms(jan1), "0.0000001", ms(jan1)},
		// The float64 sum rounds up before it is truncated.
		{ms(jan1), "1.999999999ms", ms(jan1 + 2)},
		// Before 1970 the sum truncates toward zero, not down.
		{ms(-1), "1.5ms", ms(0)},
		{ms(-5), "1.5ms", ms(-3)},
		// The start loses its sub-millisecond part first (down, as for
		// new Date("1969-12-31T23:59:59.9999Z"), which is -1 ms).
		{ms(jan1).Add(999_999 * time.Nanosecond), "1ms", ms(jan1 + 1)},
		{ms(0).Add(-1), "1ms", ms(0)},
	}
	for _, tt := range tests {
		r, err := ParseRange(tt.rng)
		if err != nil {
			t.Fatalf("ParseRange(%q): %v", tt.rng, err)
		}
		got, err := r.End(tt.start)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseRange(%q).End(%v) = %v, %v; want %v", tt.rng, tt.start, got, err, tt.want)
		}
	}
}

func TestRangeEndLocation(t *testing.T) {
	loc := time.FixedZone("UTC+2", 2*60*60)
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, loc)
	r, _ := ParseRange("1h")
	got, err := r.End(start)
	if err != nil || got.Location() != loc || !got.Equal(start.Add(time.Hour)) {
		t.Errorf("End(%v) = %v, %v; want %v", start, got, err, start.Add(time.Hour))
	}
}

func TestRangeEndOutOfRange(t *testing.T) {
	maxDate := time.UnixMilli(8.64e15).UTC() // +275760-09-13T00:00:00Z
	tests := []struct {
		start time.Time
		rng   string
		ok    bool
	}{
		{maxDate.Add(-time.Hour), "1h", true},
		{maxDate.Add(-time.Hour), "3600000.5", true}, // 8.64e15 + 0.5 rounds to 8.64e15
		{maxDate.Add(-time.Hour), "3600001", false},
		{maxDate, "0.1", true},
		{maxDate.Add(time.Millisecond), "0.1", false},
		{time.UnixMilli(-8.64e15), "0.5", true},    // -8.64e15 + 0.5 rounds to -8.64e15
		{time.UnixMilli(-8.64e15 - 1), "1", false}, // an Invalid Date start
		{time.Time{}, "1h", true},                  // year 1 is a valid JavaScript date
		{time.Date(-300000, 1, 1, 0, 0, 0, 0, time.UTC), "1h", false},
		{time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC), "1h", false},
		{time.UnixMilli(0), strings.Repeat("9", 99), false},
	}
	for _, tt := range tests {
		r, err := ParseRange(tt.rng)
		if err != nil {
			t.Fatalf("ParseRange(%q): %v", tt.rng, err)
		}
		_, err = r.End(tt.start)
		if tt.ok {
			if err != nil {
				t.Errorf("ParseRange(%q).End(%v) error: %v", tt.rng, tt.start, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != ErrOutOfRange || e.Input != tt.rng {
			t.Errorf("ParseRange(%q).End(%v) error = %v, want code %q", tt.rng, tt.start, err, ErrOutOfRange)
		}
	}
}

func TestRangeDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"1h", time.Hour},
		{"1.5h", 90 * time.Minute},
		{"1.5ms", 1500 * time.Microsecond},
		{"1y", 8766 * time.Hour},
		{"0.0001", 100},
		{"0.0000001", 0}, // 0.1 ns
		{"292y", 292 * 8766 * time.Hour},
		{"300y", math.MaxInt64},
		{strings.Repeat("9", 99), math.MaxInt64},
	}
	for _, tt := range tests {
		r, err := ParseRange(tt.in)
		if err != nil {
			t.Fatalf("ParseRange(%q): %v", tt.in, err)
		}
		if got := r.Duration(); got != tt.want {
			t.Errorf("ParseRange(%q).Duration() = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestZeroRange(t *testing.T) {
	var r Range
	start := time.Date(2024, 1, 1, 0, 0, 0, 1_500_000, time.UTC)
	got, err := r.End(start)
	if want := start.Truncate(time.Millisecond); err != nil || !got.Equal(want) {
		t.Errorf("Range{}.End(%v) = %v, %v; want %v", start, got, err, want)
	}
	if r.String() != "" || r.Milliseconds() != 0 || r.Duration() != 0 {
		t.Errorf("Range{} = %q, %v ms, %v; want empty and zero", r.String(), r.Milliseconds(), r.Duration())
	}
}

func TestErrorMessage(t *testing.T) {
	// The message must name the input even when it is long; Input keeps all of it.
	in := strings.Repeat("x", 500)
	_, err := ParseRange(in)
	var e *Error
	if !errors.As(err, &e) || e.Input != in {
		t.Fatalf("ParseRange(500 x) error = %v, want an *Error holding the input", err)
	}
	if n := len(err.Error()); n > 200 {
		t.Errorf("len(ParseRange(500 x).Error()) = %d, want at most 200", n)
	}
}

// The oracle: an independent translation of ms's parse to a Go regexp. Case
// folding is spelled out as ASCII character classes, because Go's (?i) folds
// Unicode (ſ to s, K to k) and a non-Unicode JavaScript regexp does not.
var msRegexp = regexp.MustCompile(`^(-?(?:[0-9]+)?\.?[0-9]+) *(` +
	foldASCII(`milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y`) +
	`)?$`)

func foldASCII(s string) string {
	var b strings.Builder
	for _, c := range s {
		if 'a' <= c && c <= 'z' {
			b.WriteString("[" + string(c) + string(c-'a'+'A') + "]")
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

var msUnits = map[string]float64{
	"": 1, "ms": 1, "msec": 1, "msecs": 1, "millisecond": 1, "milliseconds": 1,
	"s": 1e3, "sec": 1e3, "secs": 1e3, "second": 1e3, "seconds": 1e3,
	"m": 6e4, "min": 6e4, "mins": 6e4, "minute": 6e4, "minutes": 6e4,
	"h": 36e5, "hr": 36e5, "hrs": 36e5, "hour": 36e5, "hours": 36e5,
	"d": 864e5, "day": 864e5, "days": 864e5,
	"w": 6048e5, "week": 6048e5, "weeks": 6048e5,
	"y": 315576e5, "yr": 315576e5, "yrs": 315576e5, "year": 315576e5, "years": 315576e5,
}

// oracle returns what ms(s) does: throw, return undefined, or return v.
func oracle(s string) (v float64, throws, undefined bool) {
	if s == "" {
		return 0, true, false
	}
	if len(utf16.Encode([]rune(s))) > 100 {
		return 0, false, true
	}
	m := msRegexp.FindStringSubmatch(s)
	if m == nil {
		return 0, false, true
	}
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		panic(err)
	}
	return n * msUnits[strings.ToLower(m[2])], false, false
}

// checkOracle checks ParseRange(s) against the oracle and Infisical's
// ms(range) > 0 rule.
func checkOracle(t *testing.T, s string) {
	t.Helper()
	v, throws, undefined := oracle(s)
	r, err := ParseRange(s)
	var e *Error
	if err != nil && !errors.As(err, &e) {
		t.Fatalf("ParseRange(%q) error = %v (%T), want an *Error", s, err, err)
	}
	switch {
	case throws:
		if e == nil || e.Code != ErrEmpty {
			t.Errorf("ParseRange(%q) = %v, %v; ms throws, want code %q", s, r, err, ErrEmpty)
		}
	case undefined:
		if e == nil || (e.Code != ErrSyntax && e.Code != ErrTooLong) {
			t.Errorf("ParseRange(%q) = %v, %v; ms returns undefined, want a syntax or length error", s, r, err)
		}
	case !(v > 0):
		if e == nil || e.Code != ErrNotPositive {
			t.Errorf("ParseRange(%q) = %v, %v; ms returns %v, want code %q", s, r, err, v, ErrNotPositive)
		}
	default:
		if err != nil || r.Milliseconds() != v {
			t.Errorf("ParseRange(%q) = %v ms, %v; ms returns %v", s, r.Milliseconds(), err, v)
		}
	}
}

// TestParseRangeOracle runs the oracle over every short string built from
// characters that matter to the grammar.
func TestParseRangeOracle(t *testing.T) {
	alphabet := []string{"", "0", "1", "5", ".", "-", " ", "h", "H", "m", "s", "y", "o", "e", "ſ"}
	var gen func(prefix string, depth int)
	gen = func(prefix string, depth int) {
		checkOracle(t, prefix)
		if depth == 0 {
			return
		}
		for _, c := range alphabet[1:] {
			gen(prefix+c, depth-1)
		}
	}
	gen("", 4)
	units := []string{"ms", "msec", "msecs", "millisecond", "milliseconds", "sec", "secs", "second", "seconds",
		"min", "mins", "minute", "minutes", "hr", "hrs", "hour", "hours", "day", "days", "week", "weeks",
		"yr", "yrs", "year", "years", "mo", "month", "months", "millisecondss", "mss", "Ms", "mS", "YEARS"}
	for _, u := range units {
		for _, num := range []string{"1", "1.5", ".5", "-2", "0", "12345678901234567890"} {
			checkOracle(t, num+u)
			checkOracle(t, num+" "+u)
		}
	}
}
