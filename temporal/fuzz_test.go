package temporal

import (
	"strconv"
	"testing"
	"time"
)

// fuzzInstant maps a byte to an instant. Neighbouring bytes are one
// nanosecond apart within each second, so boundaries collide with the
// checker's one-nanosecond probes.
func fuzzInstant(b byte) time.Time {
	switch b {
	case 0:
		return time.Time{}
	case 254:
		return time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)
	case 255:
		return time.Date(2600, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return nine.Add(time.Duration(b>>2)*time.Second + time.Duration(b&3))
}

// maxFuzzGrants bounds the brute force, which is cubic in the grants: each execution must stay
// far below the fuzzer's time slices (the property tests cover up to 1 100 grants).
const maxFuzzGrants = 16

// decodeGrants reads three bytes per grant: flags (bit 0 temporary, bit 1
// start in another location), start and end.
func decodeGrants(data []byte) []Grant {
	var grants []Grant
	for len(data) >= 3 && len(grants) < maxFuzzGrants {
		g := Grant{Temporary: data[0]&1 != 0, Start: fuzzInstant(data[1]), End: fuzzInstant(data[2])}
		if data[0]&2 != 0 {
			g.Start = g.Start.In(time.FixedZone("UTC+2", 7200))
		}
		grants = append(grants, g)
		data = data[3:]
	}
	return grants
}

func FuzzMerge(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0})
	f.Add([]byte{1, 4, 8, 1, 8, 12, 0, 0, 0})        // back to back, plus permanent
	f.Add([]byte{1, 0, 8, 1, 8, 0, 1, 8, 8})         // no start, unknown end, zero length
	f.Add([]byte{1, 5, 9, 3, 4, 5, 1, 9, 4})         // 1 ns apart, another location, reversed
	f.Add([]byte{1, 254, 255, 1, 4, 255, 1, 254, 4}) // outside UnixNano's range
	f.Fuzz(func(t *testing.T, data []byte) {
		checkTimeline(t, decodeGrants(data))
	})
}

func FuzzParseRange(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	for _, s := range []string{"", "1mo", " 1h", "1h ", "1e3", "-1h", "0", "-.5", "1ſ", "9999999999999999999999y"} {
		f.Add(s)
	}
	start := time.Date(2024, 1, 1, 9, 0, 0, 123456789, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		checkOracle(t, s)
		r, err := ParseRange(s)
		if err != nil {
			return
		}
		// Round trips: the text, and the value written as a bare number of
		// milliseconds (when short enough to parse).
		again, err := ParseRange(r.String())
		if err != nil || again != r {
			t.Fatalf("ParseRange(%q) = %v; reparsing its String gives %v, %v", s, r, again, err)
		}
		if num := strconv.FormatFloat(r.Milliseconds(), 'f', -1, 64); len(num) <= maxLen {
			v, err := ParseRange(num)
			if err != nil || v.Milliseconds() != r.Milliseconds() {
				t.Fatalf("ParseRange(%q) = %v ms; ParseRange(%q) = %v ms, %v", s, r.Milliseconds(), num, v.Milliseconds(), err)
			}
		}
		if d := r.Duration(); d < 0 {
			t.Fatalf("ParseRange(%q).Duration() = %v, want >= 0", s, d)
		}
		end, err := r.End(start)
		if err == nil && end.Before(start.Truncate(time.Millisecond)) {
			t.Fatalf("ParseRange(%q).End(%v) = %v, before the start", s, start, end)
		}
	})
}
