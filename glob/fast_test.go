package glob

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// TestSplitPath checks splitPath, unitWidth, asciiPrefix and appendUnits against the
// units of paths made of ASCII runs, valid encodings of every length, invalid bytes
// (alone, before a continuation byte or not) and the bytes of a surrogate: a split path
// must be the units, each encoded on its own (splitUnits).
func TestSplitPath(t *testing.T) {
	pieces := []string{"a", "/", "abcdefghijklmnop", "\xff", "\xf0", "\x80", "\xc3", "é", "€",
		"😀", "\xed\xa0\x80", "\xe2", "\xe2\x80", "\xf0\x9f", "\xf0\x9f\x98", "\u2028", "\uFFFD"}
	r := rand.New(rand.NewPCG(3, 17))
	for i := 0; i < 20000; i++ {
		path := randomPath(r, pieces, 12)
		sb := splitPath(path)
		got := sb.string()
		want := splitUnits(appendUnits(nil, path))
		putSplitBuf(sb, len(path))
		if got != want {
			t.Fatalf("splitPath(%q) = %q, want %q", path, got, want)
		}
		if got, want := unitWidth(path), widthOf(path); got != want {
			t.Fatalf("unitWidth(%q) = %d, want %d", path, got, want)
		}
		ascii := strings.IndexFunc(path, func(r rune) bool { return r >= utf8.RuneSelf })
		if ascii < 0 {
			ascii = len(path)
		}
		if got := asciiPrefix(path); got != ascii {
			t.Fatalf("asciiPrefix(%q) = %d, want %d", path, got, ascii)
		}
		if got, want := appendUnits([]uint16{'x'}, path), append([]uint16{'x'}, utf16.Encode([]rune(path))...); !slices.Equal(got, want) {
			t.Fatalf("appendUnits(%q) = %v, want %v", path, got, want)
		}
	}
}

// widthOf is unitWidth decoding every byte at or above 0x80.
func widthOf(s string) int {
	width := widthASCII
	for i := 0; i < len(s); i++ {
		if s[i] < utf8.RuneSelf {
			continue
		}
		width = widthBMP
		_, size := utf8.DecodeRuneInString(s[i:])
		if size == 4 || size == 1 && isSurrogateAt(s[i:]) {
			return widthOther
		}
		i += size - 1
	}
	return width
}

// randomPath joins 1 to n+1 pieces drawn at random.
func randomPath(r *rand.Rand, pieces []string, n int) string {
	var b strings.Builder
	for k := r.IntN(n); k >= 0; k-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}
