package glob

import (
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

// corpusPair is one entry of a picomatch corpus (format: shared/conformance/README.md).
type corpusPair struct {
	Pattern   string  `json:"pattern"`
	Path      string  `json:"path"`
	Match     *bool   `json:"match"`
	Infisical *bool   `json:"infisical"`
	Error     *string `json:"error"`
	Valid     bool    `json:"valid"`
	Regex     *string `json:"regex"`
}

func loadCorpus(t testing.TB, file string) []corpusPair {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("reading corpus: %v", err)
	}
	var c struct {
		Pairs []corpusPair `json:"pairs"`
	}
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("parsing %s: %v", file, err)
	}
	if len(c.Pairs) == 0 {
		t.Fatalf("%s holds no pairs", file)
	}
	return c.Pairs
}

// corpusFiles are the corpora every run checks; WARDEN_GLOB_CORPUS may name more (a
// colon-separated list), such as a large one-off corpus from gen-extra.mjs --random.
var corpusFiles = func() []string {
	files := []string{"../testdata/glob-corpus.json", "testdata/picomatch-extra.json"}
	if extra := os.Getenv("WARDEN_GLOB_CORPUS"); extra != "" {
		files = append(files, strings.Split(extra, ":")...)
	}
	return files
}()

// infisicalMatch answers a pair the way Infisical's $glob operator does: false for a
// pattern that does not compile (Infisical: the empty pattern, or a pattern picomatch
// throws on), else Match.
func infisicalMatch(pattern, path string) (bool, error) {
	p, err := Compile(pattern)
	if err != nil {
		return false, err
	}
	return p.Match(path), nil
}

func TestCorpora(t *testing.T) {
	for _, file := range corpusFiles {
		t.Run(file, func(t *testing.T) {
			pairs := loadCorpus(t, file)
			diffs := 0
			for _, c := range pairs {
				got, err := infisicalMatch(c.Pattern, c.Path)
				if c.Infisical == nil {
					// picomatch threw: warden must refuse the pattern.
					if err == nil {
						diffs++
						t.Errorf("Compile(%s) succeeded, want an error (picomatch: %.80s)", short(c.Pattern), deref(c.Error))
					}
					continue
				}
				want := *c.Infisical
				if err != nil {
					var ge *Error
					if !errors.As(err, &ge) || ge.Code != ErrEmpty || want {
						diffs++
						t.Errorf("Compile(%s): %.100v; want Match(%s) = %t", short(c.Pattern), err, short(c.Path), want)
					}
					continue
				}
				if got != want {
					diffs++
					t.Errorf("Match(%s, %s) = %t, want %t (picomatch regex %.200s)", short(c.Pattern), short(c.Path), got, want, deref(c.Regex))
				}
			}
			t.Logf("%s: %d pairs, %d differences", file, len(pairs), diffs)
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// v8Source renders expression source the way RegExp.prototype.source shows it: "/"
// outside a class and line terminators are escaped.
func v8Source(src []uint16) string {
	var b []uint16
	inClass := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\':
			b = append(b, c)
			if i+1 < len(src) {
				i++
				switch src[i] {
				case '\n':
					b = append(b, 'n')
				case '\r':
					b = append(b, 'r')
				case 0x2028:
					b = append(b, u16("u2028")...)
				case 0x2029:
					b = append(b, u16("u2029")...)
				default:
					b = append(b, src[i])
				}
			}
			continue
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '/' && !inClass:
			b = append(b, '\\')
		case c == '\n':
			b = append(b, '\\', 'n')
			continue
		case c == '\r':
			b = append(b, '\\', 'r')
			continue
		case c == 0x2028:
			b = append(b, u16(`\u2028`)...)
			continue
		case c == 0x2029:
			b = append(b, u16(`\u2029`)...)
			continue
		}
		b = append(b, c)
	}
	if len(b) == 0 {
		return "(?:)"
	}
	return unitsString(b)
}

// TestTranslateCorpora checks the first stage on its own: the expression warden derives
// from each pattern is the one picomatch built (or, where picomatch's was rejected by the
// engine, one warden's parser rejects too).
func TestTranslateCorpora(t *testing.T) {
	for _, file := range corpusFiles {
		t.Run(file, func(t *testing.T) {
			pairs := loadCorpus(t, file)
			seen := map[string]bool{}
			for _, c := range pairs {
				if c.Regex == nil || seen[c.Pattern] || c.Pattern == "" {
					continue
				}
				seen[c.Pattern] = true
				tr, err := translate(toUnits(c.Pattern))
				if err != nil {
					t.Errorf("translate(%s): %v, want %.200s", short(c.Pattern), err.code, *c.Regex)
					continue
				}
				_, ok, _ := parseExpression(tr.source, maxNesting)
				if *c.Regex == "$^" {
					if ok {
						t.Errorf("translate(%s) = %.200s, accepted by the parser; picomatch's was rejected", short(c.Pattern), v8Source(tr.source))
					}
					continue
				}
				if got := v8Source(tr.source); got != *c.Regex {
					t.Errorf("translate(%s) =\n  %.300s\nwant\n  %.300s", short(c.Pattern), got, *c.Regex)
				}
				if !ok {
					t.Errorf("parseExpression(%.200s) rejected picomatch's expression for %s", *c.Regex, short(c.Pattern))
				}
			}
		})
	}
}

// short quotes s for a test message, eliding the middle of long strings.
func short(s string) string {
	if len(s) <= 120 {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:60]) + "..." + strconv.Quote(s[len(s)-40:]) + " (" + strconv.Itoa(len(s)) + " bytes)"
}
