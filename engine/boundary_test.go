package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wardenhq/warden/glob"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
)

func mustRules(t testing.TB, doc string) []rules.Rule {
	t.Helper()
	rs, err := rules.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("rules.Parse(%s): %v", doc, err)
	}
	return rs
}

// boundaryCase is one comparison of an actor's (parent's) rules with a grant's (child's).
type boundaryCase struct {
	name          string
	parent, child string
	want          bool // warden: the child is within the parent
	// infisical is what Infisical's validatePermissionBoundary answers, when it differs from
	// want; why says why warden answers otherwise.
	infisical *bool
	why       string
}

func yes() *bool { b := true; return &b }

func runBoundaryCases(t *testing.T, cases []boundaryCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			missing := Boundary(mustRules(t, c.parent), mustRules(t, c.child))
			if got := len(missing) == 0; got != c.want {
				t.Errorf("Boundary(%s, %s) = %v, want within=%t", c.parent, c.child, missing, c.want)
			}
			if c.infisical != nil && c.why == "" {
				t.Errorf("a divergence from Infisical needs a reason")
			}
		})
	}
}

// secretsRule writes one rule on secrets with the given actions and conditions.
func secretsRule(actions, conditions string) string {
	if conditions == "" {
		return fmt.Sprintf(`{"action": %s, "subject": "secrets"}`, actions)
	}
	return fmt.Sprintf(`{"action": %s, "subject": "secrets", "conditions": %s}`, actions, conditions)
}

// TestBoundaryInfisicalCases runs the cases of Infisical's boundary.test.ts (spec §9), with
// Infisical's answers.
func TestBoundaryInfisicalCases(t *testing.T) {
	runBoundaryCases(t, []boundaryCase{
		{name: "equal privilege",
			parent: `[{"action": ["create", "edit", "delete", "read"], "subject": "secrets"}]`,
			child:  `[{"action": ["create", "edit", "delete", "read"], "subject": "secrets"}]`, want: true},
		{name: "less privilege",
			parent: `[{"action": ["create", "edit", "delete", "read"], "subject": "secrets"}]`,
			child:  `[{"action": ["create", "edit"], "subject": "secrets"}]`, want: true},
		{name: "more privilege",
			parent: `[{"action": ["create"], "subject": "secrets"}]`,
			child:  `[{"action": ["create", "edit"], "subject": "secrets"}]`, want: false},
		{name: "several rules each",
			parent: `[{"action": ["create"], "subject": "secrets"}, {"action": ["create", "edit"], "subject": "member"}]`,
			child:  `[{"action": ["create"], "subject": "member"}, {"action": ["create"], "subject": "secrets"}]`, want: true},
		{name: "child with no access",
			parent: `[{"action": ["create"], "subject": "secrets"}]`, child: `[]`, want: true},
		{name: "disjoint fields",
			parent: `[{"action": ["create", "edit", "delete", "read"], "subject": "secrets", "conditions": {"environment": {"$eq": "dev"}}}]`,
			child:  `[{"action": ["create", "edit", "delete", "read"], "subject": "secrets", "conditions": {"secretPath": {"$eq": "dev"}}}]`, want: false},
		{name: "parent with inverted rule, child outside it",
			parent: `[{"action": ["create", "edit", "delete", "read"], "subject": "secrets", "conditions": {"environment": {"$eq": "dev"}}},
			          {"action": "read", "subject": "secrets", "inverted": true, "conditions": {"environment": {"$eq": "dev"}, "secretPath": {"$glob": "/hello/**"}}}]`,
			child: `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$eq": "dev"}, "secretPath": {"$eq": "/"}}}]`, want: true},
		{name: "parent with inverted rule, child inside it",
			parent: `[{"action": ["create", "edit", "delete", "read"], "subject": "secrets", "conditions": {"environment": {"$eq": "dev"}}},
			          {"action": "read", "subject": "secrets", "inverted": true, "conditions": {"environment": {"$eq": "dev"}, "secretPath": {"$glob": "/hello/**"}}}]`,
			child: `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$eq": "dev"}, "secretPath": {"$eq": "/hello/world"}}}]`, want: false},

		// $ne children cannot escape $eq and $in parents.
		{name: "child $ne under parent $eq of another value",
			parent: `[` + secretsRule(`["read"]`, `{"environment": {"$eq": "qa"}}`) + `]`,
			child:  `[` + secretsRule(`["read"]`, `{"environment": {"$ne": "dev"}}`) + `]`, want: false},
		{name: "child $ne under parent $eq of the same value",
			parent: `[` + secretsRule(`["read"]`, `{"environment": {"$eq": "dev"}}`) + `]`,
			child:  `[` + secretsRule(`["read"]`, `{"environment": {"$ne": "dev"}}`) + `]`, want: false},
		{name: "child $ne under parent $in",
			parent: `[` + secretsRule(`["edit"]`, `{"environment": {"$in": ["dev", "staging"]}}`) + `]`,
			child:  `[` + secretsRule(`["edit"]`, `{"environment": {"$ne": "prod"}}`) + `]`, want: false},

		// Globs under globs.
		{name: "child /apps/** under parent /apps/*",
			parent: `[` + secretsRule(`["read"]`, `{"secretPath": {"$glob": "/apps/*"}}`) + `]`,
			child:  `[` + secretsRule(`["read"]`, `{"secretPath": {"$glob": "/apps/**"}}`) + `]`, want: false},
		{name: "child /apps/foo under parent /apps/*",
			parent: `[` + secretsRule(`["read"]`, `{"secretPath": {"$glob": "/apps/*"}}`) + `]`,
			child:  `[` + secretsRule(`["read"]`, `{"secretPath": {"$glob": "/apps/foo"}}`) + `]`, want: true},
		{name: "sibling globs",
			parent: `[` + secretsRule(`["read"]`, `{"secretPath": {"$glob": "/apps/*"}}`) + `]`,
			child:  `[` + secretsRule(`["read"]`, `{"secretPath": {"$glob": "/secret/*"}}`) + `]`, want: false},

		// Forbid rules of the parent.
		{name: "child broader than the parent's forbid region",
			parent: `[{"action": "read", "subject": "secrets"}, {"action": "read", "subject": "secrets", "inverted": true, "conditions": {"secretPath": {"$glob": "/secret/**"}}}]`,
			child:  `[` + secretsRule(`"read"`, `{"secretPath": {"$glob": "/**"}}`) + `]`, want: false},
		{name: "child without the forbid's field",
			parent: `[{"action": "read", "subject": "secrets"}, {"action": "read", "subject": "secrets", "inverted": true, "conditions": {"secretPath": {"$glob": "/secret/**"}}}]`,
			child:  `[{"action": "read", "subject": "secrets"}]`, want: false},
		{name: "child outside the forbid region",
			parent: `[{"action": "read", "subject": "secrets"}, {"action": "read", "subject": "secrets", "inverted": true, "conditions": {"secretPath": {"$glob": "/secret/**"}}}]`,
			child:  `[` + secretsRule(`"read"`, `{"secretPath": {"$glob": "/apps/**"}}`) + `]`, want: true},
		{name: "child disjoint from the forbid by another field",
			parent: `[{"action": "read", "subject": "secrets"}, {"action": "read", "subject": "secrets", "inverted": true, "conditions": {"environment": {"$eq": "dev"}, "secretPath": {"$glob": "/secret/**"}}}]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": {"$eq": "prod"}}`) + `]`, want: true},
		{name: "unconditional forbid",
			parent: `[{"action": "read", "subject": "secrets"}, {"action": "read", "subject": "secrets", "inverted": true}]`,
			child:  `[` + secretsRule(`"read"`, `{"secretPath": {"$eq": "/"}}`) + `]`, want: false},
	})
}

// TestBoundaryOperatorMatrix is the operator matrix of Infisical's boundary.test.ts: a parent
// condition against children with each operator.
func TestBoundaryOperatorMatrix(t *testing.T) {
	var cases []boundaryCase
	add := func(parent, child string, want bool) {
		cases = append(cases, boundaryCase{
			name:   parent + " ⊇ " + child,
			parent: `[` + secretsRule(`["create", "read"]`, parent) + `]`,
			child:  `[` + secretsRule(`["create"]`, child) + `]`,
			want:   want,
		})
	}
	// Parent environment $eq dev.
	p := `{"environment": {"$eq": "dev"}}`
	add(p, `{"environment": {"$eq": "dev"}}`, true)
	add(p, `{"environment": {"$in": ["dev"]}}`, true)
	add(p, `{"environment": {"$glob": "dev"}}`, true) // a literal glob matches only "dev"
	add(p, `{"environment": {"$eq": "prod"}}`, false)
	add(p, `{"environment": {"$in": ["dev", "prod"]}}`, false)
	add(p, `{"environment": {"$glob": "dev**"}}`, false) // matches "dev-1"
	add(p, `{"environment": {"$ne": "staging"}}`, false)

	// Parent secretPath $ne /hello.
	p = `{"secretPath": {"$ne": "/hello"}}`
	add(p, `{"secretPath": {"$eq": "/"}}`, true)
	add(p, `{"secretPath": {"$ne": "/hello"}}`, true)
	add(p, `{"secretPath": {"$in": ["/", "/staging"]}}`, true)
	// "/dev**" is "/dev*": one segment starting with "dev"; it cannot match "/hello", and
	// every path it matches is a string other than "/hello". Exact reasoning accepts it.
	add(p, `{"secretPath": {"$glob": "/dev**"}}`, true)
	add(p, `{"secretPath": {"$eq": "/hello"}}`, false)
	add(p, `{"secretPath": {"$ne": "/"}}`, false) // accepts "/hello"
	add(p, `{"secretPath": {"$in": ["/", "/hello"]}}`, false)
	add(p, `{"secretPath": {"$glob": "/hello**"}}`, false) // matches "/hello"

	// Parent environment $in [dev, staging].
	p = `{"environment": {"$in": ["dev", "staging"]}}`
	add(p, `{"environment": {"$eq": "dev"}}`, true)
	add(p, `{"environment": {"$in": ["dev"]}}`, true)
	add(p, `{"environment": {"$in": ["dev", "staging"]}}`, true)
	add(p, `{"environment": {"$glob": "dev"}}`, true)
	add(p, `{"environment": {"$eq": "prod"}}`, false)
	add(p, `{"environment": {"$ne": "dev"}}`, false)
	add(p, `{"environment": {"$in": ["dev", "prod"]}}`, false)
	add(p, `{"environment": {"$glob": "dev**"}}`, false)

	// Parent secretPath $glob /hello/**.
	p = `{"secretPath": {"$glob": "/hello/**"}}`
	add(p, `{"secretPath": {"$eq": "/hello/world"}}`, true)
	add(p, `{"secretPath": {"$in": ["/hello/world", "/hello/world2"]}}`, true)
	add(p, `{"secretPath": {"$glob": "/hello/**/world"}}`, true)
	add(p, `{"secretPath": {"$eq": "/print"}}`, false)
	add(p, `{"secretPath": {"$ne": "/hello/world"}}`, false) // accepts "/print", and an absent path
	add(p, `{"secretPath": {"$in": ["/", "/hello"]}}`, false)
	add(p, `{"secretPath": {"$glob": "/hello**"}}`, false) // matches "/helloworld"
	runBoundaryCases(t, cases)
}

// TestBoundaryWardenCases are the cases where warden reasons beyond Infisical's heuristic,
// in either direction.
func TestBoundaryWardenCases(t *testing.T) {
	runBoundaryCases(t, []boundaryCase{
		{name: "a child * is not inside a parent **",
			parent: `[` + secretsRule(`"read"`, `{"secretPath": {"$glob": "/apps/**"}}`) + `]`,
			child:  `[` + secretsRule(`"read"`, `{"secretPath": {"$glob": "/apps/*"}}`) + `]`,
			want:   false, infisical: yes(),
			why: `picomatch's /apps/* matches "/apps/a\nb" and /apps/** does not`},
		{name: "a child ** is inside a parent **",
			parent: `[` + secretsRule(`"read"`, `{"secretPath": {"$glob": "/apps/**"}}`) + `]`,
			child:  `[` + secretsRule(`"read"`, `{"secretPath": {"$glob": "/apps/x/**"}}`) + `]`, want: true},
		{name: "a parent glob that throws on a child without the field",
			parent: `[` + secretsRule(`"read"`, `{"environment": "dev", "secretName": {"$glob": "DB_*"}}`) + `, {"action": "read", "subject": "secrets"}]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": "dev"}`) + `]`,
			want:   false, infisical: yes(),
			why: "the parent's $glob on secretName throws on a check without secretName (a folder-level check), and a failed check denies"},
		{name: "a parent glob after a disjoint field is never reached",
			parent: `[` + secretsRule(`"read"`, `{"environment": "prod", "secretName": {"$glob": "DB_*"}}`) + `, {"action": "read", "subject": "secrets"}]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": "dev"}`) + `]`, want: true},
		{name: "an unknown operator in the parent is not vacuous",
			parent: `[` + secretsRule(`"read"`, `{"secretTags": {"$all": ["a"]}}`) + `]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": "dev"}`) + `]`,
			want:   false, infisical: yes(),
			why: "Infisical ignores $all in the parent, as if the parent were unconditional"},
		{name: "the same tag condition is contained verbatim",
			parent: `[` + secretsRule(`"read"`, `{"secretTags": {"$in": ["a", "b"]}}`) + `]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": "dev", "secretTags": {"$in": ["a", "b"]}}`) + `]`, want: true},
		{name: "a child template is unknown",
			parent: `[` + secretsRule(`"read"`, `{"secretPath": {"$glob": "/teams/**"}}`) + `]`,
			child:  `[` + secretsRule(`"read"`, `{"secretPath": {"$glob": "/teams/{{identity.metadata.team}}/**"}}`) + `]`, want: false},
		{name: "a child template is not the actor's unfilled template",
			parent: `[` + secretsRule(`"read"`, `{"environment": "{{identity.metadata.env}}"}`) + `]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": "{{identity.metadata.env}}"}`) + `]`, want: false},
		{name: "a child template under an unconstrained parent",
			parent: `[` + secretsRule(`"read"`, `{"environment": "dev"}`) + `]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": "dev", "secretPath": {"$glob": "/teams/{{identity.metadata.team}}/**"}}`) + `]`, want: true},
		{name: "an unsatisfiable child needs the pair at type level",
			parent: `[` + secretsRule(`"read"`, `{"environment": "dev"}`) + `]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": {"$in": []}}`) + `]`, want: true},
		{name: "an unsatisfiable child still grants at type level",
			parent: `[]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": {"$in": []}}`) + `]`, want: false},
		{name: "a child forbid is checked like a grant",
			parent: `[` + secretsRule(`"read"`, `{"environment": "dev"}`) + `]`,
			child:  `[{"action": "read", "subject": "secrets", "inverted": true, "conditions": {"environment": "prod"}}]`, want: false},
		{name: "manage in the parent covers every action",
			parent: `[{"action": "manage", "subject": "all"}]`,
			child:  `[{"action": ["read", "edit"], "subject": "secrets"}, {"action": "manage", "subject": "role"}]`, want: true},
		{name: "a child manage needs a parent manage",
			parent: `[{"action": ["read", "create", "edit", "delete"], "subject": "role"}]`,
			child:  `[{"action": "manage", "subject": "role"}]`, want: false},
		{name: "a parent forbid on manage applies to every action",
			parent: `[{"action": "read", "subject": "secrets"}, {"action": "manage", "subject": "secrets", "inverted": true, "conditions": {"environment": "prod"}}]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": {"$in": ["dev", "prod"]}}`) + `]`, want: false},
		{name: "an empty forbid object forbids everything",
			parent: `[{"action": "read", "subject": "secrets"}, {"action": "read", "subject": "secrets", "inverted": true, "conditions": {}}]`,
			child:  `[` + secretsRule(`"read"`, `{"environment": "dev"}`) + `]`, want: false},
		{name: "plain strings are equality",
			parent: `[` + secretsRule(`"read"`, `{"secretPath": "/app"}`) + `]`,
			child:  `[` + secretsRule(`"read"`, `{"secretPath": {"$in": ["/app"]}}`) + `]`, want: true},
	})
}

func TestGlobContains(t *testing.T) {
	tests := []struct {
		parent, child string
		want          bool
	}{
		// glob-subset.test.ts (spec §7.2).
		{"/apps/**", "/apps/foo", true},
		{"/apps/**", "/apps/", true},
		{"/apps/**", "/apps", true},
		{"/**", "/apps/**", true},
		{"**", "/apps/foo", true},
		{"/apps/*", "/apps/**", false},
		{"/apps/*", "/apps/*/foo", false},
		{"/apps/foo", "/apps/*", false},
		{"/apps/**", "/**", false},
		{"/hello/**", "/hello**", false},
		{"/@(public|shared)/*", "/@(public|shared)/*", true}, // the same string
		{"/@(public|shared)/*", "/public/**", false},
		// Infisical accepts this one; picomatch's * matches line breaks that ** does not.
		{"/apps/**", "/apps/*", false},
		// More.
		{"/a/**", "/a/b/**/c", true},
		{"/a/**/c", "/a/b/c", true},
		{"/a/**/c", "/a/**/c", true},
		{"/a/*/c", "/a/b/c", true},
		{"/a/*/c", "/a/*/c", true},
		{"/*/*", "/a/*", true},
		{"/**/c", "/a/**/c", true},
		{"/**/c", "/c", false},       // picomatch's /**/c does not match /c
		{"/a/*/**", "/a/b", false},   // nor does /a/*/** match /a/b
		{"/a/**", "/a/.h", false},    // dot segments are not matched by **
		{"/a/*", "/a/.h", false},     // nor by *
		{"/.h/**", "/.h/x/**", true}, // a literal dot segment matches itself
		{"**", "/a/**/b", true},
		{"**/b", "/a/b", true},
		{"/a/**", "/b/**", false},
		{"/a/**", "a/**", false},
		{"/a/{b,c}", "/a/b", true}, // a literal child is matched with the real matcher
		{"/a/{b,c}", "/a/*", false},
	}
	for _, tt := range tests {
		got := globContains(glob.MustCompile(tt.parent), glob.MustCompile(tt.child))
		if got != tt.want {
			t.Errorf("globContains(%q, %q) = %t, want %t", tt.parent, tt.child, got, tt.want)
		}
	}
	// The witness for refusing /apps/* under /apps/**.
	if p := "/apps/a\nb"; !glob.MustCompile("/apps/*").Match(p) || glob.MustCompile("/apps/**").Match(p) {
		t.Errorf("picomatch semantics changed: /apps/* should match %q and /apps/** should not", p)
	}
}

// TestGlobContainsSound checks globContains against the real matcher: for every pair of
// small segment patterns it claims contained, no path of a rich probe set matches the child
// but not the parent. It also reports how many truly contained pairs (on the probe set) the
// proof finds.
func TestGlobContainsSound(t *testing.T) {
	segs := []string{"a", "b", ".h", "*", "**"}
	var patterns []string
	var gen func(prefix []string, n int)
	gen = func(prefix []string, n int) {
		if len(prefix) > 0 {
			p := strings.Join(prefix, "/")
			patterns = append(patterns, p, "/"+p)
		}
		if n == 0 {
			return
		}
		for _, s := range segs {
			gen(append(prefix, s), n-1)
		}
	}
	depth := 3
	if testing.Short() || raceEnabled {
		depth = 2
	}
	gen(nil, depth)
	patterns = append(patterns, "/", "a/", "/a/", "*/", "/**/")

	pathSegs := []string{"", "a", "b", "x", ".h", ".", "..", "x\ny", "\n", "a\u2028"}
	var paths []string
	var genPath func(prefix []string, n int)
	genPath = func(prefix []string, n int) {
		if len(prefix) > 0 {
			p := strings.Join(prefix, "/")
			paths = append(paths, p, "/"+p, p+"/", "/"+p+"/")
		}
		if n == 0 {
			return
		}
		for _, s := range pathSegs {
			genPath(append(prefix, s), n-1)
		}
	}
	genPath(nil, depth+1)

	words := (len(paths) + 63) / 64
	matched := make([][]uint64, len(patterns))
	compiled := make([]*glob.Pattern, len(patterns))
	for i, p := range patterns {
		compiled[i] = glob.MustCompile(p)
		bits := make([]uint64, words)
		for k, path := range paths {
			if compiled[i].Match(path) {
				bits[k/64] |= 1 << (k % 64)
			}
		}
		matched[i] = bits
	}
	proved, true_ := 0, 0
	for ci := range patterns {
		for pi := range patterns {
			subset := true
			for w := range words {
				if matched[ci][w]&^matched[pi][w] != 0 {
					subset = false
					break
				}
			}
			if subset {
				true_++
			}
			if !globContains(compiled[pi], compiled[ci]) {
				continue
			}
			proved++
			if !subset {
				for _, path := range paths {
					if compiled[ci].Match(path) && !compiled[pi].Match(path) {
						t.Errorf("globContains(%q, %q) = true, but %q matches the child and not the parent", patterns[pi], patterns[ci], path)
						break
					}
				}
			}
		}
	}
	t.Logf("%d patterns, %d paths: %d pairs contained on the probe set, %d proved", len(patterns), len(paths), true_, proved)
}

// TestBoundarySound generates random actor and target rule lists over a small domain and
// checks, for every Boundary that reports nothing missing, that every check the target
// allows the actor allows too, in both precedence modes, on every resource of a probe set
// (including resources without the fields).
func TestBoundarySound(t *testing.T) {
	envs := []string{"dev", "prod", "staging"}
	pathVals := []string{"/", "/a", "/a/b", "/a/b/c", "/b", "/b/a", "/a/.h"}
	globs := []string{"/a/**", "/**", "/a/*", "/b/**", "/a/b", "/*", "/a/**/c"}
	ops := func(r *rand.Rand, field string, vals, gl []string) string {
		pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
		var parts []string
		n := 1 + r.IntN(2)
		for range n {
			switch r.IntN(5) {
			case 0:
				parts = append(parts, fmt.Sprintf(`"$eq": %q`, pick(vals)))
			case 1:
				parts = append(parts, fmt.Sprintf(`"$ne": %q`, pick(vals)))
			case 2:
				parts = append(parts, fmt.Sprintf(`"$in": [%q, %q]`, pick(vals), pick(vals)))
			default:
				if gl == nil {
					parts = append(parts, fmt.Sprintf(`"$glob": %q`, pick(vals)+"*"))
				} else {
					parts = append(parts, fmt.Sprintf(`"$glob": %q`, pick(gl)))
				}
			}
		}
		// Several operators on one field: keep the first of each name.
		seen := map[string]bool{}
		var uniq []string
		for _, p := range parts {
			name := p[:strings.Index(p, ":")]
			if !seen[name] {
				seen[name] = true
				uniq = append(uniq, p)
			}
		}
		return fmt.Sprintf(`%q: {%s}`, field, strings.Join(uniq, ", "))
	}
	rule := func(r *rand.Rand, allowInvert bool) string {
		var conds []string
		if r.IntN(3) > 0 {
			conds = append(conds, ops(r, "environment", envs, nil))
		}
		if r.IntN(3) > 0 {
			conds = append(conds, ops(r, "secretPath", pathVals, globs))
		}
		if len(conds) == 2 && r.IntN(2) == 0 {
			conds[0], conds[1] = conds[1], conds[0]
		}
		action := []string{`"read"`, `"edit"`, `["read", "edit"]`}[r.IntN(3)]
		inv := ""
		if allowInvert && r.IntN(4) == 0 {
			inv = `, "inverted": true`
		}
		if len(conds) == 0 {
			return fmt.Sprintf(`{"action": %s, "subject": "secrets"%s}`, action, inv)
		}
		return fmt.Sprintf(`{"action": %s, "subject": "secrets", "conditions": {%s}%s}`, action, strings.Join(conds, ", "), inv)
	}
	list := func(r *rand.Rand, n int, allowInvert bool) []rules.Rule {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = rule(r, allowInvert)
		}
		return mustRules(t, "["+strings.Join(parts, ",")+"]")
	}
	var resources []*rules.Resource
	for _, e := range append(envs, "") {
		for _, p := range append(pathVals, "", "/a/x\ny", "/c") {
			resources = append(resources, &rules.Resource{Environment: e, SecretPath: p})
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	iterations := 20000
	if testing.Short() || raceEnabled {
		iterations = 2000
	}
	within := 0
	for range iterations {
		actor := list(r, 1+r.IntN(3), true)
		target := list(r, 1+r.IntN(2), false)
		if len(Boundary(actor, target)) > 0 {
			continue
		}
		within++
		tset := rules.MustCompile(target)
		for _, mode := range []rules.Mode{rules.DenyOverrides, rules.Ordered} {
			aset := rules.MustCompile(actor, rules.WithMode(mode))
			for _, action := range []string{"read", "edit"} {
				if tset.Can(action, "secrets", nil) && !aset.Can(action, "secrets", nil) {
					t.Fatalf("Boundary(%v, %v) = nil, but the target may %s secrets at type level and the actor (%v) may not", actor, target, action, mode)
				}
				for _, res := range resources {
					if tset.Can(action, "secrets", res) && !aset.Can(action, "secrets", res) {
						t.Fatalf("Boundary(%v, %v) = nil, but the target may %s %+v and the actor (%v) may not: %+v", actor, target, action, *res, mode, aset.Decide(action, "secrets", res))
					}
				}
			}
		}
	}
	t.Logf("%d of %d random grants within the actor's rules", within, iterations)
}

func TestEngineBoundary(t *testing.T) {
	ctx := context.Background()
	st := memstore.New()
	p, err := st.CreateProject(ctx, store.Project{Slug: "demo", Name: "Demo"})
	if err != nil {
		t.Fatal(err)
	}
	member := func(name, role string) Identity {
		id, err := st.CreateIdentity(ctx, store.Identity{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: id.ID, Roles: []store.RoleGrant{{Role: role}}}); err != nil {
			t.Fatal(err)
		}
		return Identity{ProjectID: p.ID, IdentityID: id.ID}
	}
	admin, dev := member("admin", "admin"), member("dev", "member")
	e, err := New(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()

	for _, tt := range []struct {
		who         Identity
		role        string
		wantMissing bool
	}{
		{admin, "admin", false},
		{admin, "member", false},
		{admin, "viewer", false},
		{dev, "member", false},
		{dev, "no-access", false},
		// Infisical's newest viewer reads certificates, PKI syncs and more, which the member
		// role does not: a member cannot hand out viewer.
		{dev, "viewer", true},
		{dev, "admin", true},
	} {
		rs, _ := BuiltinRole(tt.role)
		missing, err := e.Boundary(tt.who, rs)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(missing) > 0; got != tt.wantMissing {
			t.Errorf("Boundary(%s holder, %s) = %v, want missing=%t", tt.who.IdentityID, tt.role, missing, tt.wantMissing)
		}
	}
	// A member may not hand out admin: among what it lacks is editing roles.
	rs, _ := BuiltinRole("admin")
	missing, _ := e.Boundary(dev, rs)
	found := false
	for _, m := range missing {
		if m.Action == "edit" && m.Subject == "role" {
			found = true
		}
	}
	if !found {
		t.Errorf("Boundary(member, admin) = %v, want edit on role among the missing", missing)
	}

	if _, err := e.Rules(Identity{ProjectID: p.ID, IdentityID: "nobody"}); !errors.Is(err, ErrNotMember) {
		t.Errorf("Rules(non-member) error = %v, want ErrNotMember", err)
	}
	if _, err := e.Boundary(Identity{ProjectID: p.ID, IdentityID: "nobody"}, nil); !errors.Is(err, ErrNotMember) {
		t.Errorf("Boundary(non-member) error = %v, want ErrNotMember", err)
	}
}

func TestMissingJSON(t *testing.T) {
	rs := mustRules(t, `[{"action": "read", "subject": "secrets", "conditions": {"environment": "prod"}}]`)
	missing := Boundary(nil, rs)
	if len(missing) != 1 {
		t.Fatalf("Boundary(nil, %v) = %v, want one missing", rs, missing)
	}
	got := missing[0].String()
	want := `{"action":"read","subject":"secrets","conditions":{"environment":"prod"},"reason":"none of your rules allows it everywhere this rule does"}`
	if got != want {
		t.Errorf("Missing JSON = %s, want %s", got, want)
	}
}
