package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// parseForValidate parses a JSON array of rules for a test.
func parseForValidate(t *testing.T, src string) []Rule {
	t.Helper()
	rs, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse(%s): %v", src, err)
	}
	return rs
}

// hasCode reports whether err holds a problem with the code.
func hasCode(err error, code ErrorCode) bool {
	var es Errors
	if !errors.As(err, &es) {
		return false
	}
	return slices.ContainsFunc(es, func(e *Error) bool { return e.Code == code })
}

// hasProblem reports whether err holds a problem with the rule index, path and code.
func hasProblem(err error, rule int, path string, code ErrorCode) bool {
	var es Errors
	if !errors.As(err, &es) {
		return false
	}
	return slices.ContainsFunc(es, func(e *Error) bool { return e.Rule == rule && e.Path == path && e.Code == code })
}

// problems lists err's problems as "rule path code" lines for messages.
func problems(err error) string {
	var es Errors
	if !errors.As(err, &es) {
		return fmt.Sprint(err)
	}
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "\n\t%d %s %q (%s)", e.Rule, e.Path, e.Code, e.Detail)
	}
	return b.String()
}

func TestValidateAccepts(t *testing.T) {
	tests := []struct{ name, rules string }{
		{"secrets with every field", `[{"action": ["describeSecret", "readValue"], "subject": "secrets", "conditions": {
			"environment": {"$in": ["dev", "staging"]}, "secretPath": {"$glob": "/app/**"},
			"secretName": {"$ne": "ROOT"}, "secretTags": {"$in": ["a"], "$all": ["b"]}, "eventType": "created"}}]`},
		{"legacy read alone", `[{"action": "read", "subject": "secrets"}]`},
		{"secretPath plain", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": "/"}}]`},
		{"secretPath eq ne in", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": {"$eq": "/a", "$ne": "/b", "$in": ["/c", "/d"]}}}]`},
		{"secretPath glob without slash", `[{"action": "edit", "subject": "secrets", "conditions": {"secretPath": {"$glob": "**"}}}]`},
		{"secretPath negated glob", `[{"action": "edit", "subject": "secret-imports", "conditions": {"secretPath": {"$glob": "!/prod/**"}}}]`},
		{"empty in list", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$in": []}}}]`},
		{"empty plain environment", `[{"action": "read", "subject": "secrets", "conditions": {"environment": ""}}]`},
		{"empty conditions", `[{"action": "read", "subject": "secrets", "conditions": {}}]`},
		{"inverted secrets", `[{"action": "readValue", "subject": "secrets", "inverted": true, "conditions": {"environment": "prod"}}]`},
		{"folders environment in", `[{"action": "create", "subject": "secret-folders", "conditions": {"environment": {"$in": ["dev"]}, "secretPath": "/x"}}]`},
		{"dynamic secret metadata", `[{"action": "lease", "subject": "dynamic-secrets", "conditions": {"metadata": {"$elemMatch": {"key": {"$eq": "team"}, "value": {"$in": ["a", "b"]}}}}}]`},
		{"certificate metadata", `[{"action": "read", "subject": "certificates", "conditions": {"commonName": {"$glob": "*.example.com"}, "metadata": {"$elemMatch": {"key": {"$eq": "env"}}}}}]`},
		{"identity grant", `[{"action": "grant-privileges", "subject": "identity", "conditions": {"identityId": "id-1",
			"assignableRole": {"$in": ["viewer"]}, "assignableSubject": {"$eq": "secrets"}, "assignableAction": {"$eq": "secrets:readValue"}}}]`},
		{"identity read by id", `[{"action": ["read", "edit"], "subject": "identity", "conditions": {"identityId": {"$ne": "id-2"}}}]`},
		{"member assign role", `[{"action": "assign-role", "subject": "member", "conditions": {"userEmail": {"$glob": "*@example.com"}, "assignableRole": {"$in": ["viewer", "member"]}}}]`},
		{"member read any field", `[{"action": "read", "subject": "member", "conditions": {"assignableRole": "admin"}}]`},
		{"assignable subject glob agrees", `[{"action": "assign-additional-privileges", "subject": "member", "conditions": {
			"assignableSubject": {"$glob": "secret*"}, "assignableAction": {"$in": ["secrets:read", "secret-imports:edit"]}}}]`},
		{"assignable subject ne agrees", `[{"action": "grant-privileges", "subject": "identity", "conditions": {
			"assignableSubject": {"$ne": "identity"}, "assignableAction": "secrets:read"}}]`},
		{"assignable action glob unchecked", `[{"action": "grant-privileges", "subject": "member", "conditions": {
			"assignableSubject": "secrets", "assignableAction": {"$glob": "*"}}}]`},
		{"groups", `[{"action": "assign-role", "subject": "groups", "conditions": {"groupName": {"$glob": "eng-*"}, "assignableRole": "viewer"}}]`},
		{"pki subscriber", `[{"action": "issue-cert", "subject": "pki-subscribers", "conditions": {"name": {"$eq": "web", "$glob": "w*", "$in": ["web"]}}}]`},
		{"app connection", `[{"action": "connect-app-connections", "subject": "app-connections", "conditions": {"connectionId": {"$in": ["c1"]}}, "inverted": true}]`},
		{"templates", `[{"action": "read", "subject": "secrets", "conditions": {
			"environment": "{{identity.metadata.env}}", "secretPath": {"$glob": "/{{ identity.metadata.team }}/**"},
			"secretName": {"$in": ["{{identity.id}}", "{{identity.username}}-key", "{{identity.auth.oidc.claims.sub}}"]}}}]`},
		{"no-condition subject", `[{"action": ["read", "create", "edit", "delete"], "subject": "role"}]`},
		{"workspace", `[{"action": ["edit", "delete"], "subject": "workspace"}]`},
		{"inert subject", `[{"action": ["issue-host-cert", "whatever"], "subject": "ssh-hosts", "inverted": true, "conditions": {"hostname": {"$regex": "^a"}}}]`},
		{"several rules", `[{"action": "read", "subject": "secrets"}, {"action": "read", "subject": "audit-logs"}]`},
		{"no rules", `[]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := parseForValidate(t, tc.rules)
			if err := Validate(rs, nil); err != nil {
				t.Errorf("Validate(%s) problems:%s", tc.rules, problems(err))
			}
		})
	}
}

func TestValidateRejects(t *testing.T) {
	long := strings.Repeat("a", 65)
	tests := []struct {
		name, rules string
		path        string
		code        ErrorCode
	}{
		// subjects and actions
		{"unknown subject", `[{"action": "read", "subject": "secretz"}]`, "subject", ErrUnknownSubject},
		{"all subject", `[{"action": "read", "subject": "all"}]`, "subject", ErrUnknownSubject},
		{"internal subject", `[{"action": "read", "subject": "manage-access"}]`, "subject", ErrUnknownSubject},
		{"several subjects", `[{"action": "read", "subject": ["secrets", "secret-imports"]}]`, "subject", ErrValue},
		{"manage action", `[{"action": "manage", "subject": "secrets"}]`, "action[0]", ErrUnknownAction},
		{"unknown action", `[{"action": ["read", "lease"], "subject": "secrets"}]`, "action[1]", ErrUnknownAction},
		{"v1 action on folders", `[{"action": "manage-access", "subject": "secret-folders"}]`, "action[0]", ErrUnknownAction},
		{"long inert action", `[{"action": "` + long + `", "subject": "mcp-servers"}]`, "action[0]", ErrValue},
		{"fields", `[{"action": "read", "subject": "secrets", "fields": "secretName"}]`, "fields", ErrUnknownKey},
		{"reason", `[{"action": "read", "subject": "secrets", "reason": "why"}]`, "reason", ErrUnknownKey},

		// combinations
		{"read with readValue", `[{"action": ["read", "readValue"], "subject": "secrets"}]`, "action", ErrCombination},
		{"read with describeSecret", `[{"action": ["describeSecret", "read"], "subject": "secrets"}]`, "action", ErrCombination},
		{"member grant with assign", `[{"action": ["grant-privileges", "assign-role"], "subject": "member"}]`, "action", ErrCombination},
		{"identity grant with assign", `[{"action": ["assign-additional-privileges", "grant-privileges"], "subject": "identity"}]`, "action", ErrCombination},
		{"groups grant with assign", `[{"action": ["grant-privileges", "assign-role"], "subject": "groups"}]`, "action", ErrCombination},
		{"identity create with id", `[{"action": "create", "subject": "identity", "conditions": {"identityId": "x"}}]`, "conditions.identityId", ErrCombination},
		{"identity read with role", `[{"action": "read", "subject": "identity", "conditions": {"assignableRole": "x"}}]`, "conditions.assignableRole", ErrCombination},
		{"member assign-role with subject", `[{"action": "assign-role", "subject": "member", "conditions": {"assignableSubject": "secrets"}}]`, "conditions.assignableSubject", ErrCombination},
		{"groups assign-role with nothing else", `[{"action": ["read", "assign-role"], "subject": "groups", "conditions": {"groupName": "g"}}]`, "", ""},

		// conditions and inverted where not accepted
		{"conditions on role", `[{"action": "read", "subject": "role", "conditions": {"environment": "dev"}}]`, "conditions", ErrNoConditions},
		{"empty conditions on role", `[{"action": "read", "subject": "role", "conditions": {}}]`, "conditions", ErrNoConditions},
		{"inverted on role", `[{"action": "read", "subject": "role", "inverted": true}]`, "inverted", ErrNoInverted},

		// fields and operators
		{"unknown field", `[{"action": "read", "subject": "secrets", "conditions": {"hostname": "x"}}]`, "conditions.hostname", ErrUnknownField},
		{"top-level or", `[{"action": "read", "subject": "secrets", "conditions": {"$or": [{"environment": "dev"}]}}]`, "conditions.$or", ErrUnknownOperator},
		{"glob on folder environment", `[{"action": "read", "subject": "secret-folders", "conditions": {"environment": {"$glob": "d*"}}}]`, "conditions.environment.$glob", ErrOperator},
		{"regex", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": {"$regex": "^A"}}}]`, "conditions.secretName.$regex", ErrOperator},
		{"nin", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$nin": ["dev"]}}}]`, "conditions.environment.$nin", ErrOperator},
		{"glob on eventType", `[{"action": "read", "subject": "secrets", "conditions": {"eventType": {"$glob": "*"}}}]`, "conditions.eventType.$glob", ErrOperator},
		{"ne on pki subscriber", `[{"action": "read", "subject": "pki-subscribers", "conditions": {"name": {"$ne": "x"}}}]`, "conditions.name.$ne", ErrOperator},
		{"not an operator", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"dev": true}}}]`, "conditions.environment.dev", ErrOperator},
		{"empty operator object", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {}}}]`, "conditions.environment", ErrValue},
		{"number value", `[{"action": "read", "subject": "secrets", "conditions": {"environment": 3}}]`, "conditions.environment", ErrType},
		{"null value", `[{"action": "read", "subject": "secrets", "conditions": {"environment": null}}]`, "conditions.environment", ErrType},

		// operands
		{"eq number", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$eq": 1}}}]`, "conditions.environment.$eq", ErrType},
		{"eq empty", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$eq": ""}}}]`, "conditions.environment.$eq", ErrValue},
		{"ne empty", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": {"$ne": ""}}}]`, "conditions.secretName.$ne", ErrValue},
		{"in not a list", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$in": "dev"}}}]`, "conditions.environment.$in", ErrType},
		{"in with a number", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": {"$in": ["A", 2]}}}]`, "conditions.secretName.$in[1]", ErrType},
		{"in with an empty string", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": {"$in": ["A", ""]}}}]`, "conditions.secretName.$in[1]", ErrValue},
		{"in with spaces", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$in": [" dev"]}}}]`, "conditions.environment.$in[0]", ErrValue},
		{"all with a number", `[{"action": "read", "subject": "secrets", "conditions": {"secretTags": {"$all": [1]}}}]`, "conditions.secretTags.$all[0]", ErrType},
		{"glob empty", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": {"$glob": ""}}}]`, "conditions.secretPath.$glob", ErrValue},
		{"glob not a string", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": {"$glob": ["/a"]}}}]`, "conditions.secretPath.$glob", ErrType},
		{"tags plain", `[{"action": "read", "subject": "secrets", "conditions": {"secretTags": "prod"}}]`, "conditions.secretTags", ErrType},
		{"tags eq", `[{"action": "read", "subject": "secrets", "conditions": {"secretTags": {"$eq": "prod"}}}]`, "conditions.secretTags.$eq", ErrOperator},

		// secretPath
		{"path plain without slash", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": "app"}}]`, "conditions.secretPath", ErrValue},
		{"path eq without slash", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": {"$eq": "app"}}}]`, "conditions.secretPath.$eq", ErrValue},
		{"path ne without slash", `[{"action": "read", "subject": "secret-syncs", "conditions": {"secretPath": {"$ne": "app"}}}]`, "conditions.secretPath.$ne", ErrValue},
		{"path in without slash", `[{"action": "read", "subject": "commits", "conditions": {"secretPath": {"$in": ["/a", "b"]}}}]`, "conditions.secretPath.$in[1]", ErrValue},
		{"path plain empty", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": ""}}]`, "conditions.secretPath", ErrValue},

		// assignableAction
		{"action without colon", `[{"action": "grant-privileges", "subject": "identity", "conditions": {"assignableAction": {"$eq": "secrets"}}}]`, "conditions.assignableAction.$eq", ErrValue},
		{"action without subject", `[{"action": "grant-privileges", "subject": "member", "conditions": {"assignableAction": ":read"}}]`, "conditions.assignableAction", ErrValue},
		{"action without action", `[{"action": "grant-privileges", "subject": "member", "conditions": {"assignableAction": {"$in": ["secrets:read", "secrets:"]}}}]`, "conditions.assignableAction.$in[1]", ErrValue},
		{"action ne without colon", `[{"action": "grant-privileges", "subject": "member", "conditions": {"assignableAction": {"$ne": "read"}}}]`, "conditions.assignableAction.$ne", ErrValue},
		{"action disagrees with eq", `[{"action": "grant-privileges", "subject": "identity", "conditions": {"assignableSubject": {"$eq": "identity"}, "assignableAction": {"$eq": "secrets:read"}}}]`, "conditions.assignableAction.$eq", ErrValue},
		{"action disagrees with plain", `[{"action": "grant-privileges", "subject": "identity", "conditions": {"assignableSubject": "identity", "assignableAction": "secrets:read"}}]`, "conditions.assignableAction", ErrValue},
		{"action disagrees with in", `[{"action": "assign-additional-privileges", "subject": "member", "conditions": {"assignableSubject": {"$in": ["a", "b"]}, "assignableAction": {"$in": ["a:x", "c:y"]}}}]`, "conditions.assignableAction.$in[1]", ErrValue},
		{"action disagrees with ne", `[{"action": "grant-privileges", "subject": "member", "conditions": {"assignableSubject": {"$ne": "secrets"}, "assignableAction": "secrets:read"}}]`, "conditions.assignableAction", ErrValue},
		{"action disagrees with glob", `[{"action": "grant-privileges", "subject": "member", "conditions": {"assignableSubject": {"$glob": "secret*"}, "assignableAction": "identity:read"}}]`, "conditions.assignableAction", ErrValue},

		// metadata
		{"metadata plain", `[{"action": "lease", "subject": "dynamic-secrets", "conditions": {"metadata": "x"}}]`, "conditions.metadata", ErrType},
		{"metadata eq", `[{"action": "lease", "subject": "dynamic-secrets", "conditions": {"metadata": {"$eq": "x"}}}]`, "conditions.metadata.$eq", ErrOperator},
		{"elemMatch not an object", `[{"action": "lease", "subject": "dynamic-secrets", "conditions": {"metadata": {"$elemMatch": ["x"]}}}]`, "conditions.metadata.$elemMatch", ErrType},
		{"elemMatch unknown field", `[{"action": "lease", "subject": "dynamic-secrets", "conditions": {"metadata": {"$elemMatch": {"name": {"$eq": "x"}}}}}]`, "conditions.metadata.$elemMatch.name", ErrUnknownField},
		{"elemMatch plain key", `[{"action": "lease", "subject": "dynamic-secrets", "conditions": {"metadata": {"$elemMatch": {"key": "team"}}}}]`, "conditions.metadata.$elemMatch.key", ErrType},
		{"elemMatch glob", `[{"action": "lease", "subject": "dynamic-secrets", "conditions": {"metadata": {"$elemMatch": {"value": {"$glob": "*"}}}}}]`, "conditions.metadata.$elemMatch.value.$glob", ErrOperator},
		{"certificate metadata ne", `[{"action": "read", "subject": "certificates", "conditions": {"metadata": {"$elemMatch": {"key": {"$ne": "x"}}}}}]`, "conditions.metadata.$elemMatch.key.$ne", ErrOperator},
		{"elemMatch key empty eq", `[{"action": "lease", "subject": "dynamic-secrets", "conditions": {"metadata": {"$elemMatch": {"key": {"$eq": ""}}}}}]`, "conditions.metadata.$elemMatch.key.$eq", ErrValue},

		// templates
		{"unknown identity path", `[{"action": "read", "subject": "secrets", "conditions": {"environment": "{{identity.foo}}"}}]`, "conditions.environment", ErrTemplate},
		{"not identity", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": "{{user.id}}"}}]`, "conditions.secretName", ErrTemplate},
		{"helper", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": {"$eq": "{{lowercase identity.username}}"}}}]`, "conditions.secretName.$eq", ErrTemplate},
		{"block", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": "{{#if identity.id}}x{{/if}}"}}]`, "conditions.secretName", ErrTemplate},
		{"triple stash", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": "{{{identity.id}}}"}}]`, "conditions.secretName", ErrTemplate},
		{"metadata without key", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": "{{identity.metadata}}"}}]`, "conditions.secretName", ErrTemplate},
		{"unclosed", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": {"$glob": "/{{identity.id/**"}}}]`, "conditions.secretPath.$glob", ErrTemplate},
		{"in a list", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$in": ["dev", "{{ identity }}"]}}}]`, "conditions.environment.$in[1]", ErrTemplate},
		{"in an inert subject", `[{"action": "read", "subject": "ssh-hosts", "conditions": {"hostname": {"$eq": "{{env.HOST}}"}}}]`, "conditions.hostname.$eq", ErrTemplate},
		{"in an unknown field", `[{"action": "read", "subject": "secrets", "conditions": {"other": "{{x}}"}}]`, "conditions.other", ErrTemplate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := parseForValidate(t, tc.rules)
			err := Validate(rs, nil)
			if tc.code == "" {
				if err != nil {
					t.Errorf("Validate(%s) problems:%s, want none", tc.rules, problems(err))
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Validate(%s) = %v, want a *Error", tc.rules, err)
			}
			if !hasProblem(err, 0, tc.path, tc.code) {
				t.Errorf("Validate(%s) problems:%s\nwant %s at %q", tc.rules, problems(err), tc.code, tc.path)
			}
		})
	}
}

// TestValidateGoRules covers rules built in Go, which Parse would not produce.
func TestValidateGoRules(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		path string
		code ErrorCode
	}{
		{"no action", Rule{Subjects: []string{"secrets"}}, "action", ErrShape},
		{"empty action", Rule{Actions: []string{""}, Subjects: []string{"secrets"}}, "action[0]", ErrValue},
		{"no subject", Rule{Actions: []string{"read"}}, "subject", ErrShape},
		{"empty subject", Rule{Actions: []string{"read"}, Subjects: []string{""}}, "subject", ErrValue},
		{"string conditions", Rule{Actions: []string{"read"}, Subjects: []string{"secrets"}, Conditions: Str("dev")}, "conditions", ErrType},
		{"unknown among several subjects", Rule{Actions: []string{"read"}, Subjects: []string{"secrets", "nope"}}, "subject[1]", ErrUnknownSubject},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate([]Rule{tc.rule}, nil)
			if !hasProblem(err, 0, tc.path, tc.code) {
				t.Errorf("Validate(%v) problems:%s\nwant %s at %q", tc.rule, problems(err), tc.code, tc.path)
			}
		})
	}
}

// TestValidateReportsEveryProblem checks that one call reports every problem of every rule,
// each with its rule index and path, sorted.
func TestValidateReportsEveryProblem(t *testing.T) {
	rs := parseForValidate(t, `[
		{"action": "read", "subject": "secrets"},
		{"action": ["read", "readValue", "fly"], "subject": "secrets", "conditions": {
			"secretPath": {"$eq": "app", "$glob": ""}, "hostname": "x"}},
		{"action": "read", "subject": "role", "inverted": true, "conditions": {"environment": "dev"}},
		{"action": "read", "subject": "nope"},
		{"action": "create", "subject": "identity", "conditions": {"identityId": {"$in": ["a", 1]}, "assignableAction": "secrets"}}
	]`)
	err := Validate(rs, nil)
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Validate = %v, want Errors", err)
	}
	type problem struct {
		rule int
		path string
		code ErrorCode
	}
	var got []problem
	for _, e := range es {
		got = append(got, problem{e.Rule, e.Path, e.Code})
	}
	want := []problem{
		{1, "action", ErrCombination},
		{1, "action[2]", ErrUnknownAction},
		{1, "conditions.hostname", ErrUnknownField},
		{1, "conditions.secretPath.$eq", ErrValue},
		{1, "conditions.secretPath.$glob", ErrValue},
		{2, "conditions", ErrNoConditions},
		{2, "inverted", ErrNoInverted},
		{3, "subject", ErrUnknownSubject},
		{4, "conditions.assignableAction", ErrValue},
		{4, "conditions.assignableAction", ErrCombination},
		{4, "conditions.identityId", ErrCombination},
		{4, "conditions.identityId.$in[1]", ErrType},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Validate problems:%s\nwant %v", problems(err), want)
	}
}

func TestValidateBadGlob(t *testing.T) {
	// The only pattern picomatch refuses is one longer than 65 536 characters (spec §1.5);
	// package glob refuses at least that.
	pattern := "/" + strings.Repeat("a", 70000)
	rs := []Rule{{Actions: []string{"read"}, Subjects: []string{"secrets"},
		Conditions: Obj(Member{"secretPath", Obj(Member{"$glob", Str(pattern)})})}}
	err := Validate(rs, nil)
	if !hasProblem(err, 0, "conditions.secretPath.$glob", ErrBadGlob) {
		t.Fatalf("Validate(70000-character glob) problems:%s\nwant %s", problems(err), ErrBadGlob)
	}
	var e *Error
	if errors.As(err, &e) && e.Err == nil {
		t.Errorf("ErrBadGlob problem has no underlying error")
	}
}

func TestValidateV1Catalogue(t *testing.T) {
	tests := []struct {
		name, rules string
		path        string
		code        ErrorCode
	}{
		{"secrets generic", `[{"action": ["read", "edit"], "subject": "secrets", "inverted": true, "conditions": {"environment": {"$in": ["dev"]}, "secretPath": {"$glob": "/**"}}}]`, "", ""},
		{"folders read inverted", `[{"action": "read", "subject": "secret-folders", "inverted": true}]`, "", ""},
		{"identity generic", `[{"action": ["read", "create", "edit", "delete"], "subject": "identity"}]`, "", ""},
		{"member keeps conditions", `[{"action": "read", "subject": "member", "conditions": {"userEmail": "a@b.c"}}]`, "", ""},
		{"role", `[{"action": "create", "subject": "role"}]`, "", ""},
		{"secrets readValue", `[{"action": "readValue", "subject": "secrets"}]`, "action[0]", ErrUnknownAction},
		{"secrets environment glob", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$glob": "d*"}}}]`, "conditions.environment.$glob", ErrOperator},
		{"secrets secretName", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": "A"}}]`, "conditions.secretName", ErrUnknownField},
		{"secrets path slash", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": "a"}}]`, "conditions.secretPath", ErrValue},
		{"folders edit", `[{"action": "edit", "subject": "secret-folders"}]`, "action[0]", ErrUnknownAction},
		{"folders conditions", `[{"action": "read", "subject": "secret-folders", "conditions": {"environment": "dev"}}]`, "conditions", ErrNoConditions},
		{"identity conditions", `[{"action": "read", "subject": "identity", "conditions": {"identityId": "x"}}]`, "conditions", ErrNoConditions},
		{"identity inverted", `[{"action": "read", "subject": "identity", "inverted": true}]`, "inverted", ErrNoInverted},
		{"identity grant", `[{"action": "grant-privileges", "subject": "identity"}]`, "action[0]", ErrUnknownAction},
		{"rotation rotate", `[{"action": "rotate-secrets", "subject": "secret-rotation"}]`, "action[0]", ErrUnknownAction},
		{"rotation conditions", `[{"action": "read", "subject": "secret-rotation", "conditions": {"environment": "dev"}}]`, "conditions", ErrNoConditions},
		{"dynamic secrets", `[{"action": "lease", "subject": "dynamic-secrets"}]`, "subject", ErrUnknownSubject},
		{"secret imports", `[{"action": "read", "subject": "secret-imports"}]`, "subject", ErrUnknownSubject},
		{"certificates", `[{"action": "read", "subject": "certificates"}]`, "subject", ErrUnknownSubject},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := parseForValidate(t, tc.rules)
			err := ValidateV1(rs)
			switch {
			case tc.code == "" && err != nil:
				t.Errorf("ValidateV1(%s) problems:%s, want none", tc.rules, problems(err))
			case tc.code != "" && !hasProblem(err, 0, tc.path, tc.code):
				t.Errorf("ValidateV1(%s) problems:%s\nwant %s at %q", tc.rules, problems(err), tc.code, tc.path)
			}
		})
	}
}

func TestValidateV1Privilege(t *testing.T) {
	tests := []struct {
		name, rules string
		path        string
		code        ErrorCode
	}{
		{"secrets with both conditions", `[{"action": "read", "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}}]`, "", ""},
		{"any subject", `[{"action": "edit", "subject": "role"}]`, "", ""},
		{"conditions on any subject", `[{"action": "read", "subject": "secret-imports", "conditions": {"environment": "dev"}}]`, "", ""},
		{"new action", `[{"action": "readValue", "subject": "secrets"}]`, "action[0]", ErrUnknownAction},
		{"two actions", `[{"action": ["read", "edit"], "subject": "secrets"}]`, "action", ErrValue},
		{"inverted", `[{"action": "read", "subject": "secrets", "inverted": true}]`, "inverted", ErrNoInverted},
		{"unknown subject", `[{"action": "read", "subject": "nope"}]`, "subject", ErrUnknownSubject},
		{"secretName", `[{"action": "read", "subject": "secrets", "conditions": {"secretName": "A"}}]`, "conditions.secretName", ErrUnknownField},
		{"plain secretPath", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": "/a"}}]`, "conditions.secretPath", ErrType},
		{"secretPath eq", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": {"$eq": "/a"}}}]`, "conditions.secretPath.$eq", ErrOperator},
		{"environment in", `[{"action": "read", "subject": "secrets", "conditions": {"environment": {"$in": ["dev"]}}}]`, "conditions.environment", ErrType},
		{"empty glob", `[{"action": "read", "subject": "secrets", "conditions": {"secretPath": {"$glob": ""}}}]`, "conditions.secretPath.$glob", ErrValue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := parseForValidate(t, tc.rules)
			err := ValidateV1Privilege(rs)
			switch {
			case tc.code == "" && err != nil:
				t.Errorf("ValidateV1Privilege(%s) problems:%s, want none", tc.rules, problems(err))
			case tc.code != "" && !hasProblem(err, 0, tc.path, tc.code):
				t.Errorf("ValidateV1Privilege(%s) problems:%s\nwant %s at %q", tc.rules, problems(err), tc.code, tc.path)
			}
		})
	}
}

func TestTemplateProblem(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"", true},
		{"plain text with { and } and }}", true},
		{"{{identity.id}}", true},
		{"{{ identity.username }}", true},
		{"a-{{identity.metadata.team-name}}-b-{{identity.id}}", true},
		{"{{identity.auth.kubernetes.namespace}}", true},
		{"{{identity.id.x}}", false},
		{"{{identity.metadata}}", false},
		{"{{identity.auth}}", false},
		{"{{identity..id}}", false},
		{"{{identity.metadata.[a b]}}", false},
		{"{{identity.id}} {{", false},
		{"{{ }}", false},
		{"{{identity.id }}{{identity.name}}", false},
		{"{{~identity.id}}", false},
		{"{{&identity.id}}", false},
		{"{{> partial}}", false},
		{"{{! comment }}", false},
	}
	for _, tc := range tests {
		if got := templateProblem(tc.in) == ""; got != tc.ok {
			t.Errorf("templateProblem(%q) = %q, want ok = %t", tc.in, templateProblem(tc.in), tc.ok)
		}
	}
}
