package glob

import (
	"slices"
	"unicode/utf8"
)

// JavaScript strings are sequences of UTF-16 code units, and picomatch's expressions are
// compiled without the "u" flag, so every decision warden reproduces ("?" matches one unit,
// a class holds units, an emoji is two units) is made over code units. Go strings are UTF-8;
// these helpers convert between the two views. A byte that is not part of valid UTF-8 reads
// as U+FFFD, one unit per byte, the way a lenient decoder turns it into a JavaScript string.

// appendUnits appends the UTF-16 code units of s to dst.
func appendUnits(dst []uint16, s string) []uint16 {
	j := len(dst)
	dst = slices.Grow(dst, len(s))[:j+len(s)] // a unit takes a byte at least, two units four
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// Eight ASCII bytes at a time, without a test for each.
			for ; i+8 <= len(s); i, j = i+8, j+8 {
				w := load64(s, i)
				if w&highBits != 0 {
					break
				}
				d := dst[j : j+8]
				d[0], d[1], d[2], d[3] = uint16(w&0x7F), uint16(w>>8&0x7F), uint16(w>>16&0x7F), uint16(w>>24&0x7F)
				d[4], d[5], d[6], d[7] = uint16(w>>32&0x7F), uint16(w>>40&0x7F), uint16(w>>48&0x7F), uint16(w>>56)
			}
			for ; i < len(s) && s[i] < utf8.RuneSelf; i, j = i+1, j+1 {
				dst[j] = uint16(s[i])
			}
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if r >= 0x10000 {
			r -= 0x10000
			dst[j], dst[j+1] = uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF))
			j += 2
			continue
		}
		dst[j] = uint16(r)
		j++
	}
	return dst[:j]
}

// toUnits returns the UTF-16 code units of s.
func toUnits(s string) []uint16 {
	return appendUnits(make([]uint16, 0, len(s)), s)
}

// unitsString converts code units back to a Go string. A lone surrogate becomes U+FFFD.
func unitsString(u []uint16) string {
	b := make([]byte, 0, len(u))
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		if c < utf8.RuneSelf {
			b = append(b, byte(c))
			continue
		}
		if isHighSurrogate(u[i]) && i+1 < len(u) && isLowSurrogate(u[i+1]) {
			c = 0x10000 + (c-0xD800)<<10 + (rune(u[i+1]) - 0xDC00)
			i++
		} else if isSurrogate(u[i]) {
			c = utf8.RuneError
		}
		b = utf8.AppendRune(b, c)
	}
	return string(b)
}

// unitsValid reports whether u converts to a Go string and back unchanged: no lone
// surrogates and no U+FFFD (which could stand for an invalid byte of a path).
func unitsValid(u []uint16) bool {
	for i := 0; i < len(u); i++ {
		switch {
		case u[i] == 0xFFFD:
			return false
		case isHighSurrogate(u[i]):
			if i+1 >= len(u) || !isLowSurrogate(u[i+1]) {
				return false
			}
			i++
		case isLowSurrogate(u[i]):
			return false
		}
	}
	return true
}

func isSurrogate(u uint16) bool     { return u >= 0xD800 && u <= 0xDFFF }
func isHighSurrogate(u uint16) bool { return u >= 0xD800 && u <= 0xDBFF }
func isLowSurrogate(u uint16) bool  { return u >= 0xDC00 && u <= 0xDFFF }

// u16 converts an ASCII constant to code units.
func u16(s string) []uint16 {
	u := make([]uint16, len(s))
	for i := 0; i < len(s); i++ {
		u[i] = uint16(s[i])
	}
	return u
}

// unitsEqual reports whether the decoded code units of s equal u.
func unitsEqual(s string, u []uint16) bool {
	k := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if k >= len(u) || u[k] != uint16(c) {
				return false
			}
			k++
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if r >= 0x10000 {
			r -= 0x10000
			if k+1 >= len(u) || u[k] != uint16(0xD800+(r>>10)) || u[k+1] != uint16(0xDC00+(r&0x3FF)) {
				return false
			}
			k += 2
			continue
		}
		if k >= len(u) || u[k] != uint16(r) {
			return false
		}
		k++
	}
	return k == len(u)
}
