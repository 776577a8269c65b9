package rules

import (
	"os"
	"testing"
)

// FuzzParseCompile feeds arbitrary documents to Parse and Compile and questions to the
// result: nothing may panic, and a compiled set must answer the same through the indexes as
// through the plain scan.
func FuzzParseCompile(f *testing.F) {
	f.Add([]byte(`[{"action":"read","subject":"secrets","conditions":{"environment":"dev","secretPath":{"$glob":"/app/**"}}}]`), "dev", "/app/x")
	f.Add([]byte(`[["read,edit","secrets",{"secretTags":{"$in":["a"]}},1]]`), "", "")
	f.Add([]byte(`[{"action":"lease","subject":"dynamic-secrets","conditions":{"metadata":{"$elemMatch":{"key":"a","value":{"$ne":"b"}}}}}]`), "x", "/")
	if data, err := os.ReadFile("testdata/extra-cases.json"); err == nil {
		if v, err := ParseValue(data); err == nil {
			for _, c := range v.Get("cases").arr {
				if r := c.Get("rules"); r.kind == Array {
					f.Add([]byte(r.String()), "dev", "/a")
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte, env, path string) {
		rs, err := Parse(doc)
		if err != nil {
			return
		}
		for _, mode := range []Mode{Ordered, DenyOverrides} {
			s, err := Compile(rs, WithMode(mode))
			if err != nil {
				return
			}
			r := &Resource{Environment: env, SecretPath: path, SecretTags: []string{env}}
			for _, rule := range rs {
				for _, a := range rule.Actions {
					for _, sub := range rule.Subjects {
						got, want := s.Decide(a, sub, r), s.decideSlow(a, sub, r)
						if got.Allowed != want.Allowed || got.Rule != want.Rule || (got.Err == nil) != (want.Err == nil) {
							t.Fatalf("Decide(%s, %s) = %+v, scan %+v", a, sub, got, want)
						}
						s.Decide(a, sub, nil)
					}
				}
			}
		}
	})
}
