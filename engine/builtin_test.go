package engine

import (
	"errors"
	"slices"
	"testing"

	"github.com/wardenhq/warden/rules"
)

// TestBuiltinRolesValidate checks every built-in rule against the default catalogue, which
// cross-checks both tables. The only expected problems are Infisical's own: its built-in
// roles grant legacy umbrella actions together with the actions that replaced them (secrets
// "read" with "describeSecret" and "readValue", Infisical issue #3819; "grant-privileges"
// with "assign-role" and "assign-additional-privileges"), combinations its write schema
// refuses.
func TestBuiltinRolesValidate(t *testing.T) {
	legacyCombos := map[string][]string{
		"admin":  {"member", "groups", "identity", "secrets"}, // in rule order
		"member": {"secrets"},
	}
	for _, slug := range BuiltinRoles() {
		var combos []string
		rs, ok := BuiltinRole(slug)
		if !ok {
			t.Errorf("BuiltinRole(%q) not found", slug)
			continue
		}
		err := rules.Validate(rs, nil)
		var es rules.Errors
		if err != nil && !errors.As(err, &es) {
			t.Errorf("Validate(BuiltinRole(%q)) = %v, want rules.Errors", slug, err)
			continue
		}
		for _, e := range es {
			if e.Code == rules.ErrCombination && e.Path == "action" {
				combos = append(combos, rs[e.Rule].Subjects[0])
				continue
			}
			t.Errorf("Validate(BuiltinRole(%q)): rule %d %s: %v", slug, e.Rule, rs[e.Rule], e)
		}
		if !slices.Equal(combos, legacyCombos[slug]) {
			t.Errorf("Validate(BuiltinRole(%q)): legacy combinations on %q, want on %q", slug, combos, legacyCombos[slug])
		}
	}
}

func TestBuiltinRoleShape(t *testing.T) {
	for _, slug := range BuiltinRoles() {
		rs, _ := BuiltinRole(slug)
		seen := map[string]bool{}
		for i, r := range rs {
			if r.Inverted || r.HasConditions() || len(r.Subjects) != 1 || len(r.Actions) == 0 {
				t.Errorf("BuiltinRole(%q) rule %d = %s, want an unconditional allow with one subject", slug, i, r)
			}
			if seen[r.Subjects[0]] {
				t.Errorf("BuiltinRole(%q) names subject %q twice", slug, r.Subjects[0])
			}
			seen[r.Subjects[0]] = true
		}
		if !IsReservedRoleSlug(slug) {
			t.Errorf("built-in role %q is not a reserved slug", slug)
		}
	}
}

// builtinAllows reports whether a built-in role has an allow rule for action on subject.
func builtinAllows(t *testing.T, slug, action, subject string) bool {
	t.Helper()
	rs, ok := BuiltinRole(slug)
	if !ok {
		t.Fatalf("BuiltinRole(%q) not found", slug)
	}
	for _, r := range rs {
		if slices.Contains(r.Subjects, subject) && slices.Contains(r.Actions, action) {
			return true
		}
	}
	return false
}

func TestBuiltinRoleFacts(t *testing.T) {
	tests := []struct {
		role, action, subject string
		want                  bool
	}{
		{"viewer", "describeSecret", "secrets", true},
		{"viewer", "readValue", "secrets", true},
		{"viewer", "read", "secrets", false},
		{"viewer", "read-root-credential", "dynamic-secrets", true},
		{"viewer", "lease", "dynamic-secrets", false},
		{"viewer", "read", "secret-folders", false},
		{"viewer", "subscribe-to-update-events", "secret-event-subscriptions", true},
		{"admin", "read", "secret-folders", false},
		{"admin", "create", "secret-folders", true},
		{"admin", "read", "secrets", true},
		{"admin", "edit-auth", "identity", true},
		{"admin", "export-private-key", "cmek", true},
		{"admin", "delete", "workspace", true},
		{"admin", "read", "manage-access", false},
		{"member", "read", "identity", true},
		{"member", "edit", "identity", true},
		{"member", "create", "identity", true},
		{"member", "delete", "identity", true},
		{"member", "grant-privileges", "identity", false},
		{"member", "assign-role", "identity", false},
		{"member", "create-token", "identity", false},
		{"member", "export-private-key", "cmek", false},
		{"member", "rotate", "cmek", true},
		{"member", "connect-app-connections", "app-connections", true},
		{"member", "read-app-connections", "app-connections", false},
		{"member", "read", "role", true},
		{"member", "edit", "role", false},
		{"cryptographic-operator", "verify-mac", "cmek", true},
		{"cryptographic-operator", "read", "cmek", false},
	}
	for _, tc := range tests {
		if got := builtinAllows(t, tc.role, tc.action, tc.subject); got != tc.want {
			t.Errorf("built-in %s allows %q on %q = %t, want %t", tc.role, tc.action, tc.subject, got, tc.want)
		}
	}
}

func TestBuiltinRoleLookup(t *testing.T) {
	if rs, ok := BuiltinRole("no-access"); !ok || len(rs) != 0 {
		t.Errorf("BuiltinRole(no-access) = %v, %t, want no rules, true", rs, ok)
	}
	for _, slug := range []string{"custom", "ssh-host-bootstrapper", "owner", "Admin", ""} {
		if rs, ok := BuiltinRole(slug); ok {
			t.Errorf("BuiltinRole(%q) = %v, true, want not found", slug, rs)
		}
	}
	rs, _ := BuiltinRole("viewer")
	rs[0].Actions[0] = "changed"
	rs[0].Subjects[0] = "changed"
	again, _ := BuiltinRole("viewer")
	if again[0].Actions[0] != "describeSecret" || again[0].Subjects[0] != "secrets" {
		t.Errorf("BuiltinRole(viewer) changed through a returned rule: %s", again[0])
	}
}

func TestReservedRoleSlugs(t *testing.T) {
	want := []string{"admin", "member", "custom", "viewer", "no-access", "ssh-host-bootstrapper", "cryptographic-operator"}
	got := ReservedRoleSlugs()
	if !slices.Equal(got, want) {
		t.Errorf("ReservedRoleSlugs() = %q, want %q", got, want)
	}
	got[0] = "changed"
	if !IsReservedRoleSlug("admin") || IsReservedRoleSlug("changed") || IsReservedRoleSlug("my-role") {
		t.Errorf("IsReservedRoleSlug wrong after changing a returned slice")
	}
}
