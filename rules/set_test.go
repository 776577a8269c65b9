package rules

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

func mustParse(t testing.TB, doc string) []Rule {
	t.Helper()
	rs, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	return rs
}

func TestModes(t *testing.T) {
	// An allow written after a forbid: plain CASL lets the allow win, deny-overrides the forbid.
	rs := mustParse(t, `[
		{"action":"readValue","subject":"secrets","inverted":true,"conditions":{"environment":"prod"}},
		{"action":"readValue","subject":"secrets"}
	]`)
	prod := &Resource{Environment: "prod", SecretPath: "/"}
	dev := &Resource{Environment: "dev", SecretPath: "/"}
	tests := []struct {
		mode        Mode
		r           *Resource
		wantAllowed bool
		wantRule    int
	}{
		{Ordered, prod, true, 1},
		{Ordered, dev, true, 1},
		{DenyOverrides, prod, false, 0},
		{DenyOverrides, dev, true, 1},
		{DenyOverrides, nil, true, 1}, // type-level: the conditional forbid is skipped
	}
	for _, tt := range tests {
		set := MustCompile(rs, WithMode(tt.mode))
		d := set.Decide("readValue", "secrets", tt.r)
		if d.Allowed != tt.wantAllowed || d.Rule != tt.wantRule || d.Err != nil {
			t.Errorf("%v: Decide(readValue, secrets, %+v) = %+v, want allowed %t by rule %d", tt.mode, tt.r, d, tt.wantAllowed, tt.wantRule)
		}
	}
	if got := MustCompile(rs).Mode(); got != DenyOverrides {
		t.Errorf("default mode = %v, want deny-overrides", got)
	}
}

func TestModeString(t *testing.T) {
	for _, m := range []Mode{DenyOverrides, Ordered} {
		back, err := ParseMode(m.String())
		if err != nil || back != m {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", m.String(), back, err, m)
		}
	}
	if _, err := ParseMode("first-match"); err == nil {
		t.Error("ParseMode(first-match) succeeded, want an error")
	}
}

func TestErrorsDeny(t *testing.T) {
	// A $glob on an absent field throws in CASL; warden denies and says why, even when a rule
	// earlier in the list would allow.
	rs := mustParse(t, `[
		{"action":"read","subject":"secrets"},
		{"action":"read","subject":"secrets","inverted":true,"conditions":{"secretName":{"$glob":"DB_*"}}}
	]`)
	for _, mode := range []Mode{Ordered, DenyOverrides} {
		d := MustCompile(rs, WithMode(mode)).Decide("read", "secrets", &Resource{Environment: "dev", SecretPath: "/"})
		var e *Error
		if d.Allowed || d.Rule != -1 || !errors.As(d.Err, &e) || e.Code != ErrEvaluation || e.Rule != 1 || e.Path != "conditions.secretName.$glob" {
			t.Errorf("%v: Decide = %+v, want a denial with an evaluation error on rule 1 conditions.secretName.$glob", mode, d)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		doc  string
		path string
		code ErrorCode
	}{
		{`[{"action":"read","subject":"x","conditions":{"a":{"$regex":"x"}}}]`, "conditions.a.$regex", ErrUnknownOperator},
		{`[{"action":"read","subject":"x","conditions":{"a":{"$foo":"x"}}}]`, "conditions.a.$foo", ErrUnknownOperator},
		{`[{"action":"read","subject":"x","conditions":{"$or":[{"a":"b"}]}}]`, "conditions.$or", ErrUnknownOperator},
		{`[{"action":"read","subject":"x","conditions":{"a":{"$eq":"x","b":1}}}]`, "conditions.a.b", ErrMixedOperators},
		{`[{"action":"read","subject":"x","conditions":{"a":{"$in":"x"}}}]`, "conditions.a.$in", ErrType},
		{`[{"action":"read","subject":"x","conditions":{"a":{"$glob":5}}}]`, "conditions.a.$glob", ErrType},
		{`[{"action":"read","subject":"x","conditions":{"a":{"$elemMatch":[]}}}]`, "conditions.a.$elemMatch", ErrType},
		{`[{"action":"read","subject":"x","conditions":{"m":{"$elemMatch":{"key":{"$size":1}}}}}]`, "conditions.m.$elemMatch.key.$size", ErrUnknownOperator},
	}
	for _, tt := range tests {
		_, err := Compile(mustParse(t, tt.doc))
		var e *Error
		if !errors.As(err, &e) || e.Path != tt.path || e.Code != tt.code || e.Rule != 0 {
			t.Errorf("Compile(%s) error = %v, want rule 0 %s: %s", tt.doc, err, tt.path, tt.code)
		}
	}
}

// TestIndexAgreesWithScan generates rule sets shaped like Infisical's (environments, path
// globs, names, tags, forbids, conditions in every key order, conditions that throw) and
// resources that hit, miss and lack fields, and requires the indexed answer to equal the
// unindexed scan for every question, in both modes.
func TestIndexAgreesWithScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	envs := []string{"dev", "staging", "prod", "prod-eu", ""}
	paths := []string{"/", "/app", "/app/db", "/app/x/db", "/app-1/a", "/app-2", "/b/c", "/.hidden/x", "/app/db/", "//", ""}
	globs := []string{"/**", "/app/**", "/app/*/db", "/app-1/**", "/app-2/*", "/{app,b}/**", "!/app/**", "/app", "/b/c", "/app*", "/.hidden/**", "/app/db/", "",
		"/{app-1,app-2}/**", "/{app-3,b}/c/**", "/@(app|b)/*", "/{app,}/db"}
	names := []string{"DB_PASSWORD", "API_KEY", "db-url", ""}
	tagPool := []string{"a", "b", "pci"}
	actions := []string{"read", "edit", "readValue"}

	randCond := func() Value {
		var ms []Member
		for _, k := range rng.Perm(4) {
			switch k {
			case 0:
				switch rng.IntN(5) {
				case 0, 1:
					ms = append(ms, Member{"environment", Str(envs[rng.IntN(4)])})
				case 2:
					ms = append(ms, Member{"environment", Obj(Member{"$in", Strs(envs[rng.IntN(4)], envs[rng.IntN(4)])})})
				case 3:
					ms = append(ms, Member{"environment", Obj(Member{"$ne", Str(envs[rng.IntN(4)])})})
				}
			case 1:
				switch rng.IntN(4) {
				case 0:
					ms = append(ms, Member{"secretPath", Obj(Member{"$glob", Str(globs[rng.IntN(len(globs))])})})
				case 1: // many distinct prefixes: the trie
					ms = append(ms, Member{"secretPath", Obj(Member{"$glob", Str(fmt.Sprintf("/app-%d/**", rng.IntN(40)))})})
				case 2:
					ms = append(ms, Member{"secretPath", Str(paths[rng.IntN(len(paths)-1)])})
				}
			case 2:
				switch rng.IntN(6) {
				case 0:
					ms = append(ms, Member{"secretName", Obj(Member{"$glob", Str([]string{"DB_*", "*", "API_?EY"}[rng.IntN(3)])})})
				case 1, 2: // many distinct name prefixes: keyed by name when the path says little
					ms = append(ms, Member{"secretName", Obj(Member{"$glob", Str(fmt.Sprintf("KEY_%d_*", rng.IntN(40)))})})
				case 3:
					ms = append(ms, Member{"secretName", Obj(Member{"$in", Strs(names[rng.IntN(len(names)-1)], fmt.Sprintf("KEY_%d_A", rng.IntN(40)))})})
				}
			case 3:
				if rng.IntN(3) == 0 {
					ms = append(ms, Member{"secretTags", Obj(Member{"$in", Strs(tagPool[rng.IntN(3)])})})
				}
			}
		}
		return Obj(ms...)
	}
	randResource := func() *Resource {
		r := &Resource{Environment: envs[rng.IntN(len(envs))], SecretPath: paths[rng.IntN(len(paths))]}
		if rng.IntN(3) == 0 {
			r.SecretPath = fmt.Sprintf("/app-%d/x", rng.IntN(40))
		}
		if r.Environment == "" && rng.IntN(2) == 0 {
			r.Empty |= FieldEnvironment
		}
		if r.SecretPath == "" && rng.IntN(2) == 0 {
			r.Empty |= FieldSecretPath
		}
		switch rng.IntN(3) {
		case 0:
			r.SecretName = names[rng.IntN(len(names))]
		case 1:
			r.SecretName = fmt.Sprintf("KEY_%d_A", rng.IntN(40))
		}
		if rng.IntN(2) == 0 {
			r.SecretTags = []string{}
			for i := rng.IntN(3); i > 0; i-- {
				r.SecretTags = append(r.SecretTags, tagPool[rng.IntN(3)])
			}
		}
		return r
	}

	questions, indexed, tries, named := 0, 0, 0, 0
	for set := 0; set < 200; set++ {
		n := 1 + rng.IntN(300)
		rs := make([]Rule, n)
		for i := range rs {
			rs[i] = Rule{Actions: []string{actions[rng.IntN(len(actions))]}, Subjects: []string{"secrets"}, Inverted: rng.IntN(5) == 0}
			if rng.IntN(10) > 0 {
				rs[i].Conditions = randCond()
			}
		}
		for _, mode := range []Mode{Ordered, DenyOverrides} {
			s := MustCompile(rs, WithMode(mode))
			for q := 0; q < 60; q++ {
				r := randResource()
				act := actions[rng.IntN(len(actions))]
				got, want := s.Decide(act, "secrets", r), s.decideSlow(act, "secrets", r)
				questions++
				if b := s.bucket(act, "secrets"); b != nil && b.indexed {
					indexed++
					if b.groups[0].names != nil {
						named++
					}
					for _, g := range b.groups {
						if g.paths.trie != nil || g.names != nil && g.names.trie != nil {
							tries++
						}
					}
				}
				if got.Allowed != want.Allowed || got.Rule != want.Rule || (got.Err == nil) != (want.Err == nil) {
					t.Fatalf("set %d (%v): Decide(%s, %+v) = %+v, scan says %+v\nrules:\n%s", set, mode, act, r, got, want, s)
				}
			}
		}
	}
	if indexed < questions/2 {
		t.Errorf("only %d of %d questions went through an index; the test is not exercising it", indexed, questions)
	}
	if named == 0 {
		t.Error("no generated set keyed a rule by its secretName; the test is not exercising it")
	}
	if tries == 0 {
		t.Error("no generated set built a prefix trie; the test is not exercising it")
	}
}

func TestDecideAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	s := MustCompile(shapeRules(100))
	hit := &Resource{Environment: "env-42", SecretPath: "/app-42/db", SecretName: "DB_PASSWORD", SecretTags: []string{"pci"}}
	miss := &Resource{Environment: "env-42", SecretPath: "/other/db", SecretName: "DB_PASSWORD"}
	for _, r := range []*Resource{hit, miss, nil} {
		if n := testing.AllocsPerRun(100, func() { s.Can("read", "secrets", r) }); n != 0 {
			t.Errorf("Can(read, secrets, %+v) allocates %v times, want 0", r, n)
		}
	}
	if !s.Can("read", "secrets", hit) || s.Can("read", "secrets", miss) {
		t.Error("shape rules decide wrongly")
	}
}

// shapeRules returns n rules "environment == env-i AND secretPath $glob /app-i/**".
func shapeRules(n int) []Rule {
	rs := make([]Rule, n)
	for i := range rs {
		rs[i] = Rule{Actions: []string{"read"}, Subjects: []string{"secrets"}, Conditions: Obj(
			Member{"environment", Str(fmt.Sprintf("env-%d", i))},
			Member{"secretPath", Obj(Member{"$glob", Str(fmt.Sprintf("/app-%d/**", i))})},
		)}
	}
	return rs
}

// pathRules returns n rules in one environment with distinct path globs.
func pathRules(n int) []Rule {
	rs := make([]Rule, n)
	for i := range rs {
		rs[i] = Rule{Actions: []string{"read"}, Subjects: []string{"secrets"}, Conditions: Obj(
			Member{"environment", Str("prod")},
			Member{"secretPath", Obj(Member{"$glob", Str(fmt.Sprintf("/svc-%d/*/config/**", i))})},
		)}
	}
	return rs
}

var sink bool

func BenchmarkDecide(b *testing.B) {
	for _, n := range []int{10, 100, 10000} {
		s := MustCompile(shapeRules(n))
		mid := n / 2
		hit := &Resource{Environment: fmt.Sprintf("env-%d", mid), SecretPath: fmt.Sprintf("/app-%d/db", mid), SecretName: "DB_PASSWORD"}
		miss := &Resource{Environment: fmt.Sprintf("env-%d", mid), SecretPath: "/elsewhere/db", SecretName: "DB_PASSWORD"}
		b.Run(fmt.Sprintf("env+glob/%d/hit", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = s.Can("read", "secrets", hit)
			}
		})
		b.Run(fmt.Sprintf("env+glob/%d/miss", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = s.Can("read", "secrets", miss)
			}
		})
	}
	s := MustCompile(pathRules(10000))
	for _, q := range []struct {
		name string
		r    *Resource
	}{
		{"hit", &Resource{Environment: "prod", SecretPath: "/svc-5000/api/config/db"}},
		{"miss", &Resource{Environment: "prod", SecretPath: "/svc-5000/api/other"}},
	} {
		b.Run("one-env-10000-paths/"+q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = s.Can("read", "secrets", q.r)
			}
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{100, 10000} {
		rs := shapeRules(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				MustCompile(rs)
			}
		})
	}
}

// TestPairHint checks that the remembered (subject, action) never answers for other
// strings, whether they share its bytes' address or not.
func TestPairHint(t *testing.T) {
	s := MustCompile([]Rule{
		{Actions: []string{"read"}, Subjects: []string{"secrets"}},
		{Actions: []string{"edit"}, Subjects: []string{"secrets"}, Inverted: true},
		{Actions: []string{"rea"}, Subjects: []string{"secret"}},
	})
	both := string([]byte("secretsread"))
	for i := 0; i < 3; i++ {
		// The first check sets the hint to these substrings of both.
		if !s.Can(both[7:11], both[:7], nil) {
			t.Fatal("read on secrets denied")
		}
		if !s.Can("read", "secrets", nil) {
			t.Fatal("read on secrets denied")
		}
		if s.Can("edit", "secrets", nil) {
			t.Fatal("edit on secrets allowed")
		}
		// Substrings of both at the hint's addresses, with other lengths.
		if got := s.Can(both[7:10], both[:6], nil); !got {
			t.Fatalf("Can(%q, %q) = false", both[7:10], both[:6])
		}
		if s.Can(both[7:11], both[:6], nil) {
			t.Fatalf("Can(%q, %q) = true", both[7:11], both[:6])
		}
		if s.Can(string([]byte("write")), "secrets", nil) {
			t.Fatal("write on secrets allowed")
		}
	}
}

// TestEnvironmentLookups builds buckets whose environments go through each lookup (a few
// compared one by one, more hashed by their words, and names alike at both ends, which the
// word hash cannot spread) and checks every environment, and some absent, against the scan.
func TestEnvironmentLookups(t *testing.T) {
	for _, shape := range []struct {
		name string
		env  func(i int) string
		path int // 0: compared one by one, 1: word hash, 2: strtab
	}{
		{"few", func(i int) string { return fmt.Sprintf("e%d", i%5) }, 0},
		{"hashed", func(i int) string { return fmt.Sprintf("env-%d", i) }, 1},
		{"long", func(i int) string { return fmt.Sprintf("environment-%04d-of-the-project", i) }, 2},
		{"alike ends", func(i int) string { return fmt.Sprintf("production-%d-production", i) }, 2},
	} {
		t.Run(shape.name, func(t *testing.T) {
			var rs []Rule
			for i := 0; i < 60; i++ {
				rs = append(rs, Rule{Actions: []string{"read"}, Subjects: []string{"secrets"},
					Conditions: Obj(Member{"environment", Str(shape.env(i))}, Member{"secretPath", Obj(Member{"$glob", Str(fmt.Sprintf("/a%d/**", i%7))})})})
			}
			s := MustCompile(rs, WithMode(Ordered))
			b := s.bucket("read", "secrets")
			if !b.indexed {
				t.Fatal("bucket not indexed")
			}
			if got := [3]bool{len(b.few) > 0, len(b.envHash) > 0, b.envs.Len() > 0}; !got[shape.path] {
				t.Fatalf("the environments took another lookup than %d: few %d, hashed %d, table %d", shape.path, len(b.few), len(b.envHash), b.envs.Len())
			}
			for i := 0; i < 80; i++ {
				for _, env := range []string{shape.env(i), shape.env(i) + "x", "x" + shape.env(i)} {
					r := &Resource{Environment: env, SecretPath: fmt.Sprintf("/a%d/x", i%7)}
					got, want := s.Decide("read", "secrets", r), s.decideSlow("read", "secrets", r)
					if got != want {
						t.Fatalf("Decide(%q) = %+v, scan says %+v", env, got, want)
					}
				}
			}
		})
	}
}
