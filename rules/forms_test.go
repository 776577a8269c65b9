package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// rulesEqual compares rule lists with Rule.Equal and describes the first difference.
func rulesEqual(got, want []Rule) (bool, string) {
	if len(got) != len(want) {
		return false, fmt.Sprintf("got %d rules, want %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].Equal(want[i]) {
			return false, fmt.Sprintf("rule %d: got %s, want %s", i, got[i], want[i])
		}
	}
	return true, ""
}

func dumpRules(rs []Rule) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString("\n\t")
		b.WriteString(r.String())
	}
	return b.String()
}

func TestBackfillV1(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		keep     bool
		want     string
		wantKeep string // when different with keepFolderRules
	}{
		{
			name: "secrets rule with a folder rule",
			in: `[{"action": ["read", "edit"], "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}},
				{"action": "read", "subject": "role"},
				{"action": "read", "subject": "secret-folders"}]`,
			want: `[{"action": ["read", "edit"], "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}},
				{"action": ["read"], "subject": "role"},
				{"action": ["read", "edit"], "subject": "secret-imports", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}},
				{"action": ["read", "edit", "readValue"], "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}},
				{"action": ["read-root-credential", "edit-root-credential", "lease"], "subject": "dynamic-secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}}]`,
			wantKeep: `[{"action": ["read", "edit"], "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}},
				{"action": ["read"], "subject": "role"},
				{"action": ["read"], "subject": "secret-folders"},
				{"action": ["read", "edit"], "subject": "secret-imports", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}},
				{"action": ["read", "edit", "readValue"], "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}},
				{"action": ["read-root-credential", "edit-root-credential", "lease"], "subject": "dynamic-secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}}]`,
		},
		{
			name: "folder copies without a folder rule",
			in: `[{"action": ["create", "delete"], "subject": "secrets", "inverted": true, "conditions": {"environment": "prod"}},
				{"action": ["read"], "subject": "secrets"}]`,
			want: `[{"action": ["create", "delete"], "subject": "secrets", "inverted": true, "conditions": {"environment": "prod"}},
				{"action": ["read"], "subject": "secrets"},
				{"action": ["create", "delete"], "subject": "secret-imports", "inverted": true, "conditions": {"environment": "prod"}},
				{"action": ["read"], "subject": "secret-imports"},
				{"action": ["create", "delete"], "subject": "secrets", "inverted": true, "conditions": {"environment": "prod"}},
				{"action": ["read", "readValue"], "subject": "secrets"},
				{"action": ["create-root-credential", "delete-root-credential"], "subject": "dynamic-secrets", "inverted": true, "conditions": {"environment": "prod"}},
				{"action": ["read-root-credential"], "subject": "dynamic-secrets"},
				{"action": ["create", "delete"], "subject": "secret-folders", "inverted": true, "conditions": {"environment": "prod"}}]`,
		},
		{
			name: "readValue already there, unknown action, several subjects",
			in:   `[{"action": ["read", "readValue", "describeSecret"], "subject": ["secrets", "secret-imports"], "reason": "r", "fields": "a"}]`,
			want: `[{"action": ["read", "readValue", "describeSecret"], "subject": "secrets"},
				{"action": ["read", "readValue", "describeSecret"], "subject": "secret-imports"},
				{"action": ["read", "readValue", "describeSecret"], "subject": "secrets"},
				{"action": ["read-root-credential", "read-root-credential", "read-root-credential"], "subject": "dynamic-secrets"},
				{"action": ["readValue", "describeSecret"], "subject": "secret-folders"}]`,
		},
		{
			name:     "no secrets rule",
			in:       `[{"action": "read", "subject": "role"}, {"action": "read", "subject": "secret-folders"}]`,
			want:     `[{"action": "read", "subject": "role"}]`,
			wantKeep: `[{"action": "read", "subject": "role"}, {"action": "read", "subject": "secret-folders"}]`,
		},
		{name: "empty", in: `[]`, want: `[]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := parseForValidate(t, tc.in)
			before := slices.Clone(in)
			for i := range before {
				before[i] = before[i].Clone()
			}
			for _, keep := range []bool{false, true} {
				want := tc.want
				if keep && tc.wantKeep != "" {
					want = tc.wantKeep
				}
				got := BackfillV1(in, keep)
				if ok, diff := rulesEqual(got, parseForValidate(t, want)); !ok {
					t.Errorf("BackfillV1(%s, %t): %s\ngot:%s", tc.in, keep, diff, dumpRules(got))
				}
			}
			if ok, diff := rulesEqual(in, before); !ok {
				t.Errorf("BackfillV1 modified its input: %s", diff)
			}
		})
	}
}

// TestBackfillV1Validates checks that converting valid v1 rules gives valid v2 rules, except
// for the legacy "read" with "readValue" combination that Infisical's own conversion creates.
func TestBackfillV1Validates(t *testing.T) {
	in := parseForValidate(t, `[
		{"action": ["create", "edit"], "subject": "secrets", "conditions": {"environment": {"$in": ["dev"]}, "secretPath": {"$glob": "/**"}}},
		{"action": "read", "subject": "identity"}
	]`)
	if err := ValidateV1(in); err != nil {
		t.Fatalf("ValidateV1 problems:%s", problems(err))
	}
	if err := Validate(BackfillV1(in, false), nil); err != nil {
		t.Errorf("Validate(BackfillV1) problems:%s", problems(err))
	}
	withRead := parseForValidate(t, `[{"action": "read", "subject": "secrets"}]`)
	err := Validate(BackfillV1(withRead, false), nil)
	if !hasProblem(err, 2, "action", ErrCombination) {
		t.Errorf("Validate(BackfillV1(read)) problems:%s\nwant the read+readValue combination on rule 2", problems(err))
	}
}

func TestExpandPrivilegePermission(t *testing.T) {
	var p PrivilegePermission
	src := `{"actions": ["read", "edit"], "subject": "secrets", "conditions": {"secretPath": {"$glob": "/app/**"}, "environment": "dev"}}`
	if err := json.Unmarshal([]byte(src), &p); err != nil {
		t.Fatalf("Unmarshal(%s): %v", src, err)
	}
	got, err := ExpandPrivilegePermission(p)
	if err != nil {
		t.Fatalf("ExpandPrivilegePermission(%s): %v", src, err)
	}
	want := parseForValidate(t, `[
		{"action": "read", "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}},
		{"action": "edit", "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": "/app/**"}}}]`)
	if ok, diff := rulesEqual(got, want); !ok {
		t.Errorf("ExpandPrivilegePermission(%s): %s", src, diff)
	}
	// Infisical's schema writes environment before secretPath, whatever the input order.
	if keys := got[0].Conditions.Members(); keys[0].Key != "environment" || keys[1].Key != "secretPath" {
		t.Errorf("ExpandPrivilegePermission(%s) conditions = %s, want environment first", src, got[0].Conditions)
	}
	if err := ValidateV1Privilege(got); err != nil {
		t.Errorf("ValidateV1Privilege(expanded) problems:%s", problems(err))
	}

	envOnly := PrivilegePermission{Actions: []string{"delete"}, Subject: "secrets", Conditions: Obj(Member{"environment", Str("prod")})}
	got, err = ExpandPrivilegePermission(envOnly)
	if err != nil || len(got) != 1 || got[0].Conditions.String() != `{"environment":"prod"}` {
		t.Errorf("ExpandPrivilegePermission(environment only) = %v, %v", got, err)
	}
}

func TestExpandPrivilegePermissionErrors(t *testing.T) {
	tests := []struct {
		name, src string
		path      string
		code      ErrorCode
	}{
		{"no actions", `{"actions": [], "subject": "secrets", "conditions": {"environment": "dev"}}`, "actions", ErrShape},
		{"new action", `{"actions": ["read", "readValue"], "subject": "secrets", "conditions": {"environment": "dev"}}`, "actions[1]", ErrUnknownAction},
		{"other subject", `{"actions": ["read"], "subject": "role", "conditions": {"environment": "dev"}}`, "subject", ErrValue},
		{"no conditions", `{"actions": ["read"], "subject": "secrets"}`, "conditions", ErrShape},
		{"no environment", `{"actions": ["read"], "subject": "secrets", "conditions": {"secretPath": {"$glob": "/"}}}`, "conditions.environment", ErrShape},
		{"environment list", `{"actions": ["read"], "subject": "secrets", "conditions": {"environment": ["dev"]}}`, "conditions.environment", ErrType},
		{"secretPath eq", `{"actions": ["read"], "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$eq": "/"}}}`, "conditions.secretPath.$eq", ErrOperator},
		{"secretPath empty glob", `{"actions": ["read"], "subject": "secrets", "conditions": {"environment": "dev", "secretPath": {"$glob": ""}}}`, "conditions.secretPath.$glob", ErrValue},
		{"other field", `{"actions": ["read"], "subject": "secrets", "conditions": {"environment": "dev", "secretName": "A"}}`, "conditions.secretName", ErrUnknownField},
		{"bad template", `{"actions": ["read"], "subject": "secrets", "conditions": {"environment": "{{env}}"}}`, "conditions.environment", ErrTemplate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p PrivilegePermission
			if err := json.Unmarshal([]byte(tc.src), &p); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tc.src, err)
			}
			rs, err := ExpandPrivilegePermission(p)
			if rs != nil || !hasProblem(err, -1, tc.path, tc.code) {
				t.Errorf("ExpandPrivilegePermission(%s) = %v, problems:%s\nwant %s at %q", tc.src, rs, problems(err), tc.code, tc.path)
			}
		})
	}
	var p PrivilegePermission
	if err := json.Unmarshal([]byte(`{"actions": "read", "subject": "secrets", "extra": 1}`), &p); !hasCode(err, ErrType) || !hasCode(err, ErrUnknownKey) {
		t.Errorf("Unmarshal(actions string, extra key) = %v, want %s and %s", err, ErrType, ErrUnknownKey)
	}
}

func TestUnpacked(t *testing.T) {
	r := Rule{Actions: []string{"read", "edit"}, Subjects: []string{"secrets", "secret-imports"},
		Conditions: Obj(Member{"environment", Str("dev")}), Inverted: true, Fields: []string{"a"}, Reason: "why"}
	u := Unpacked(r)
	want := Rule{Actions: []string{"read", "edit"}, Subjects: []string{"secrets"}, Conditions: r.Conditions, Inverted: true}
	if !u.Equal(want) {
		t.Errorf("Unpacked(%s) = %s, want %s", r, u, want)
	}
	u.Actions[0] = "changed"
	if r.Actions[0] != "read" {
		t.Errorf("Unpacked shares the action slice with its input")
	}
}

func TestMarshalUnpacked(t *testing.T) {
	rs := parseForValidate(t, `[
		{"action": "read", "subject": ["secrets", "secret-imports"], "conditions": {"secretPath": {"$glob": "/**"}, "environment": "dev"}, "reason": "x"},
		{"action": ["edit", "delete"], "subject": "secret-folders", "inverted": true},
		{"action": "read", "subject": "role", "conditions": {}}
	]`)
	b, err := MarshalUnpacked(rs)
	if err != nil {
		t.Fatalf("MarshalUnpacked: %v", err)
	}
	got, err := ParseValue(b)
	if err != nil {
		t.Fatalf("MarshalUnpacked wrote invalid JSON %s: %v", b, err)
	}
	want, _ := ParseValue([]byte(`[
		{"subject": "secrets", "action": ["read"], "conditions": {"secretPath": {"$glob": "/**"}, "environment": "dev"}, "inverted": false},
		{"subject": "secret-folders", "action": ["edit", "delete"], "inverted": true},
		{"subject": "role", "action": ["read"], "conditions": {}, "inverted": false}]`))
	if !got.Equal(want) {
		t.Errorf("MarshalUnpacked = %s, want %s", got, want)
	}
	var keys []string
	for _, m := range got.Index(0).Members() {
		keys = append(keys, m.Key)
	}
	if want := []string{"subject", "action", "conditions", "inverted"}; !slices.Equal(keys, want) {
		t.Errorf("MarshalUnpacked key order %q, want %q", keys, want)
	}
	if keys := got.Index(0).Get("conditions").Members(); keys[0].Key != "secretPath" {
		t.Errorf("MarshalUnpacked reordered the conditions: %s", got.Index(0).Get("conditions"))
	}
}

func TestV1Responses(t *testing.T) {
	stored := parseForValidate(t, `[
		{"action": ["read", "edit"], "subject": "secrets", "conditions": {"environment": "dev"}},
		{"action": ["read", "edit"], "subject": "secret-imports"},
		{"action": ["read-root-credential"], "subject": "dynamic-secrets"},
		{"action": ["read", "edit"], "subject": "secret-folders"},
		{"action": ["create"], "subject": "secret-folders"},
		{"action": ["read"], "subject": ["role", "tags"], "reason": "r"}
	]`)
	gotPriv := V1PrivilegeResponse(stored)
	wantPriv := parseForValidate(t, `[
		{"action": ["read", "edit"], "subject": "secrets", "conditions": {"environment": "dev"}},
		{"action": ["read"], "subject": "role"}]`)
	if ok, diff := rulesEqual(gotPriv, wantPriv); !ok {
		t.Errorf("V1PrivilegeResponse: %s\ngot:%s", diff, dumpRules(gotPriv))
	}
	gotRole := V1RoleResponse(stored)
	wantRole := parseForValidate(t, `[
		{"action": ["read", "edit"], "subject": "secrets", "conditions": {"environment": "dev"}},
		{"action": ["read"], "subject": "secret-folders"},
		{"action": ["read"], "subject": "role"}]`)
	if ok, diff := rulesEqual(gotRole, wantRole); !ok {
		t.Errorf("V1RoleResponse: %s\ngot:%s", diff, dumpRules(gotRole))
	}
	if stored[3].Actions[1] != "edit" {
		t.Errorf("V1RoleResponse modified its input: %s", stored[3])
	}
}

// TestV1RoundTrip converts a v1 privilege as Infisical does on write, then shows it as the v1
// response does: the companions are hidden, the secrets copy with readValue is not.
func TestV1RoundTrip(t *testing.T) {
	in := parseForValidate(t, `[{"action": "read", "subject": "secrets", "conditions": {"environment": "dev"}}]`)
	got := V1PrivilegeResponse(BackfillV1(in, false))
	want := parseForValidate(t, `[
		{"action": ["read"], "subject": "secrets", "conditions": {"environment": "dev"}},
		{"action": ["read", "readValue"], "subject": "secrets", "conditions": {"environment": "dev"}}]`)
	if ok, diff := rulesEqual(got, want); !ok {
		t.Errorf("V1PrivilegeResponse(BackfillV1): %s\ngot:%s", diff, dumpRules(got))
	}
	var es Errors
	if err := ValidateV1(in); errors.As(err, &es) {
		t.Errorf("ValidateV1 problems:%s", problems(err))
	}
}
