package rules

import (
	"errors"
	"slices"
	"testing"
)

// TestInfisicalCatalogueSubjects checks the default catalogue against the rows of spec §2.2
// and §2.5: every subject is there, with the "cond" column and the inert/internal marks.
func TestInfisicalCatalogueSubjects(t *testing.T) {
	withCond := []string{"secrets", "secret-folders", "secret-imports", "dynamic-secrets", "identity", "member",
		"groups", "secret-rotation", "secret-syncs", "pki-syncs", "secret-event-subscriptions",
		"certificate-authorities", "certificates", "certificate-templates", "certificate-profiles",
		"certificate-policies", "pki-subscribers", "app-connections", "commits", "honey-tokens",
		"proxied-services", "project-folder-grant"}
	withoutCond := []string{"secret-approval", "secret-rollback", "role", "integrations", "webhooks",
		"service-tokens", "settings", "environments", "tags", "ip-allowlist", "pki-alerts", "pki-collections",
		"certificate-inventory-views", "audit-logs", "insights", "workspace", "kms", "cmek", "kmip",
		"secret-scanning-data-sources", "secret-scanning-findings", "secret-scanning-configs", "hsm-connectors",
		"pki-discovery", "pki-certificate-installations", "code-signers", "certificate-application",
		"approval-requests", "approval-request-grants", "secret-approval-request"}
	inert := []string{"ssh-certificate-authorities", "ssh-certificates", "ssh-certificate-templates", "ssh-hosts",
		"ssh-host-groups", "mcp-endpoints", "mcp-servers", "mcp-activity-logs"}

	c := Infisical()
	want := slices.Concat(withCond, withoutCond, []string{"manage-access"}, inert)
	if got := c.Subjects(); !slices.Equal(got, want) {
		t.Errorf("Infisical().Subjects() = %q, want %q", got, want)
	}
	for _, s := range withCond {
		if !c.AcceptsConditions(s) || !c.AcceptsInverted(s) {
			t.Errorf("subject %q: AcceptsConditions = %t, AcceptsInverted = %t, want true, true", s, c.AcceptsConditions(s), c.AcceptsInverted(s))
		}
	}
	for _, s := range withoutCond {
		if c.AcceptsConditions(s) || c.AcceptsInverted(s) {
			t.Errorf("subject %q: AcceptsConditions = %t, AcceptsInverted = %t, want false, false", s, c.AcceptsConditions(s), c.AcceptsInverted(s))
		}
	}
	for _, s := range inert {
		spec, _ := c.Subject(s)
		if !spec.Inert || !c.HasAction(s, "anything-at-all") || !c.AcceptsConditions(s) {
			t.Errorf("subject %q: want an inert subject accepting any action and conditions, got %+v", s, spec)
		}
	}
	if spec, _ := c.Subject("manage-access"); !spec.Internal {
		t.Errorf("manage-access: Internal = false, want true")
	}
}

func TestInfisicalCatalogueSpotFacts(t *testing.T) {
	c := Infisical()
	actions := []struct {
		subject, action string
		want            bool
	}{
		{"secrets", "read", true},
		{"secrets", "describeSecret", true},
		{"secrets", "readValue", true},
		{"secrets", "lease", false},
		{"secret-folders", "read", true},
		{"secret-folders", "manage-access", false}, // only through folder grants
		{"dynamic-secrets", "lease", true},
		{"identity", "edit-auth", true},
		{"member", "revoke-auth", false},
		{"groups", "assign-additional-privileges", false},
		{"workspace", "read", false},
		{"kms", "edit", true},
		{"secret-event-subscriptions", "subscribe-to-import-mutation-events", true},
		{"nope", "read", false},
	}
	for _, tc := range actions {
		if got := c.HasAction(tc.subject, tc.action); got != tc.want {
			t.Errorf("HasAction(%q, %q) = %t, want %t", tc.subject, tc.action, got, tc.want)
		}
	}
	ops := []struct {
		subject, field, op string
		want               bool
	}{
		{"secrets", "environment", "$glob", true},
		{"secrets", "secretPath", "$in", true},
		{"secrets", "secretTags", "$all", true},
		{"secrets", "secretTags", "$eq", false},
		{"secrets", "eventType", "$glob", false},
		{"secret-folders", "environment", "$glob", false},
		{"secret-folders", "secretPath", "$glob", true},
		{"dynamic-secrets", "metadata", "$elemMatch", true},
		{"identity", "identityId", "$glob", false},
		{"identity", "assignableAction", "$glob", true},
		{"member", "assignableRole", "$glob", false},
		{"pki-subscribers", "name", "$ne", false},
		{"pki-subscribers", "name", "$glob", true},
		{"app-connections", "connectionId", "$in", true},
		{"role", "environment", "$eq", false},
		{"secrets", "environment", "$regex", false},
		{"secrets", "environment", "not-an-op", false},
	}
	for _, tc := range ops {
		if got := c.AllowsOperator(tc.subject, tc.field, tc.op); got != tc.want {
			t.Errorf("AllowsOperator(%q, %q, %q) = %t, want %t", tc.subject, tc.field, tc.op, got, tc.want)
		}
	}
	legacy := []struct{ subject, action, want string }{
		{"secrets", "readValue", "read"},
		{"secrets", "describeSecret", "read"},
		{"secrets", "read", ""},
		{"member", "assign-role", "grant-privileges"},
		{"identity", "assign-additional-privileges", "grant-privileges"},
		{"groups", "assign-role", "grant-privileges"},
		{"groups", "read", ""},
	}
	for _, tc := range legacy {
		got, ok := c.LegacyAction(tc.subject, tc.action)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("LegacyAction(%q, %q) = %q, %t, want %q", tc.subject, tc.action, got, ok, tc.want)
		}
	}
	if f, ok := c.Field("secrets", "secretPath"); !ok || f.Format != FormatPath {
		t.Errorf(`Field("secrets", "secretPath") = %+v, %t, want FormatPath`, f, ok)
	}
	if f, ok := c.Field("secrets", "secretTags"); !ok || !f.ObjectOnly {
		t.Errorf(`Field("secrets", "secretTags") = %+v, %t, want ObjectOnly`, f, ok)
	}
}

// TestCatalogueImmutable checks that nothing handed out by a catalogue can change it.
func TestCatalogueImmutable(t *testing.T) {
	c := Infisical()
	spec, _ := c.Subject("secrets")
	spec.Actions[0] = "changed"
	spec.Fields[0].Name = "changed"
	spec.Legacy[0].Covers[0] = "changed"
	c.Actions("secrets")[0] = "changed"
	c.Subjects()[0] = "changed"
	f, _ := c.Field("dynamic-secrets", "metadata")
	f.Elem[0].Name = "changed"
	id, _ := c.Subject("identity")
	id.ActionFields["read"][0] = "changed"

	if !c.HasAction("secrets", "read") || c.HasAction("secrets", "changed") {
		t.Errorf("secrets actions changed through a returned slice: %q", c.Actions("secrets"))
	}
	if !c.AllowsField("secrets", "environment") || c.Subjects()[0] != "secrets" {
		t.Errorf("secrets fields or subject order changed through a returned slice")
	}
	if l, _ := c.LegacyAction("secrets", "describeSecret"); l != "read" {
		t.Errorf("LegacyAction changed through a returned spec: %q", l)
	}
	if f, _ := c.Field("dynamic-secrets", "metadata"); f.Elem[0].Name != "key" {
		t.Errorf("metadata element fields changed through a returned spec: %+v", f.Elem)
	}
	if id, _ := c.Subject("identity"); id.ActionFields["read"][0] != "identityId" {
		t.Errorf("identity ActionFields changed through a returned spec: %q", id.ActionFields["read"])
	}
	if Infisical() != c {
		t.Errorf("Infisical() returned a different catalogue on a second call")
	}
}

var invoicesSpec = SubjectSpec{
	Name:       "invoices",
	Actions:    []string{"read", "approve", "pay"},
	Conditions: true,
	Inverted:   true,
	Fields: []FieldSpec{
		{Name: "customer", Ops: OpEq | OpIn | OpGlob},
		{Name: "region", Ops: OpEq | OpNin},
	},
	ActionFields: map[string][]string{"pay": {"region"}},
}

func TestRegister(t *testing.T) {
	base := Infisical()
	c, err := base.Register(invoicesSpec)
	if err != nil {
		t.Fatalf("Register(invoices): %v", err)
	}
	if base.HasSubject("invoices") {
		t.Errorf("Register changed its receiver: Infisical() has invoices")
	}
	if !c.HasSubject("invoices") || !c.HasSubject("secrets") {
		t.Errorf("registered catalogue lacks invoices or secrets: %q", c.Subjects())
	}
	if got := c.Subjects(); got[len(got)-1] != "invoices" {
		t.Errorf("Subjects() = %q, want invoices last", got)
	}
	rs := parseForValidate(t, `[
		{"action": ["read", "approve"], "subject": "invoices", "conditions": {"customer": {"$glob": "acme-*"}}},
		{"action": "pay", "subject": "invoices", "conditions": {"region": {"$nin": ["eu"]}}, "inverted": true}
	]`)
	if err := Validate(rs, c); err != nil {
		t.Errorf("Validate(invoice rules) = %v, want nil", err)
	}
	if err := Validate(rs, nil); !hasCode(err, ErrUnknownSubject) {
		t.Errorf("Validate(invoice rules, default catalogue) = %v, want %s", err, ErrUnknownSubject)
	}
	bad := parseForValidate(t, `[{"action": "pay", "subject": "invoices", "conditions": {"customer": "acme"}}]`)
	if err := Validate(bad, c); !hasProblem(err, 0, "conditions.customer", ErrCombination) {
		t.Errorf("Validate(pay on customer) = %v, want %s at conditions.customer", err, ErrCombination)
	}

	own, err := NewCatalogue(invoicesSpec)
	if err != nil {
		t.Fatalf("NewCatalogue(invoices): %v", err)
	}
	if own.HasSubject("secrets") || !own.HasSubject("invoices") {
		t.Errorf("NewCatalogue(invoices).Subjects() = %q, want only invoices", own.Subjects())
	}
}

func TestRegisterErrors(t *testing.T) {
	tests := []struct {
		name  string
		specs []SubjectSpec
		path  string
	}{
		{"nothing", nil, "subjects"},
		{"empty spec", []SubjectSpec{{}}, "subjects[0].name"},
		{"no actions", []SubjectSpec{{Name: "x"}}, "subjects[0].actions"},
		{"duplicate of a default subject", []SubjectSpec{{Name: "secrets", Actions: []string{"read"}}}, "subjects[0].name"},
		{"duplicate in one call", []SubjectSpec{{Name: "x", Actions: []string{"a"}}, {Name: "x", Actions: []string{"b"}}}, "subjects[1].name"},
		{"wildcard subject", []SubjectSpec{{Name: "all", Actions: []string{"read"}}}, "subjects[0].name"},
		{"wildcard action", []SubjectSpec{{Name: "x", Actions: []string{"manage"}}}, "subjects[0].actions[0]"},
		{"duplicate action", []SubjectSpec{{Name: "x", Actions: []string{"a", "a"}}}, "subjects[0].actions[1]"},
		{"empty action", []SubjectSpec{{Name: "x", Actions: []string{""}}}, "subjects[0].actions[0]"},
		{"fields without conditions", []SubjectSpec{{Name: "x", Actions: []string{"a"}, Fields: []FieldSpec{{Name: "f", Ops: OpEq}}}}, "subjects[0].fields"},
		{"field without operators", []SubjectSpec{{Name: "x", Actions: []string{"a"}, Conditions: true, Fields: []FieldSpec{{Name: "f"}}}}, "subjects[0].fields[0].ops"},
		{"field without name", []SubjectSpec{{Name: "x", Actions: []string{"a"}, Conditions: true, Fields: []FieldSpec{{Ops: OpEq}}}}, "subjects[0].fields[0].name"},
		{"duplicate field", []SubjectSpec{{Name: "x", Actions: []string{"a"}, Conditions: true, Fields: []FieldSpec{{Name: "f", Ops: OpEq}, {Name: "f", Ops: OpIn}}}}, "subjects[0].fields[1].name"},
		{"elemMatch without element fields", []SubjectSpec{{Name: "x", Actions: []string{"a"}, Conditions: true, Fields: []FieldSpec{{Name: "f", Ops: OpElemMatch}}}}, "subjects[0].fields[0].elem"},
		{"action fields for an unknown action", []SubjectSpec{{Name: "x", Actions: []string{"a"}, Conditions: true, Fields: []FieldSpec{{Name: "f", Ops: OpEq}}, ActionFields: map[string][]string{"b": {"f"}}}}, "subjects[0].actionFields.b"},
		{"action fields naming an unknown field", []SubjectSpec{{Name: "x", Actions: []string{"a"}, Conditions: true, Fields: []FieldSpec{{Name: "f", Ops: OpEq}}, ActionFields: map[string][]string{"a": {"g"}}}}, "subjects[0].actionFields.a[0]"},
		{"legacy action not an action", []SubjectSpec{{Name: "x", Actions: []string{"a"}, Legacy: []LegacyAction{{Action: "b", Covers: []string{"a"}}}}}, "subjects[0].legacy[0].action"},
		{"legacy covering itself", []SubjectSpec{{Name: "x", Actions: []string{"a"}, Legacy: []LegacyAction{{Action: "a", Covers: []string{"a"}}}}}, "subjects[0].legacy[0].covers[0]"},
		{"inert and internal", []SubjectSpec{{Name: "x", Inert: true, Internal: true}}, "subjects[0].internal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Infisical().Register(tc.specs...)
			if c != nil {
				t.Errorf("Register returned a catalogue with the error")
			}
			if !hasProblem(err, -1, tc.path, ErrValue) {
				t.Errorf("Register(%+v) = %v, want %s at %s", tc.specs, err, ErrValue, tc.path)
			}
		})
	}
}

func TestRegisterReportsEveryProblem(t *testing.T) {
	_, err := Infisical().Register(SubjectSpec{}, SubjectSpec{Name: "secrets", Actions: []string{"read"}})
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Register = %v, want Errors", err)
	}
	var paths []string
	for _, e := range es {
		paths = append(paths, e.Path)
	}
	want := []string{"subjects[0].actions", "subjects[0].name", "subjects[1].name"}
	if !slices.Equal(paths, want) {
		t.Errorf("Register problems at %q, want %q", paths, want)
	}
}

func TestOpsString(t *testing.T) {
	if got, want := (OpEq | OpIn | OpGlob).String(), "$eq, $in, $glob"; got != want {
		t.Errorf("(OpEq|OpIn|OpGlob).String() = %q, want %q", got, want)
	}
	for _, name := range []string{"$eq", "$ne", "$in", "$nin", "$all", "$glob", "$elemMatch"} {
		op, ok := ParseOp(name)
		if !ok || op.String() != name {
			t.Errorf("ParseOp(%q) = %v, %t", name, op, ok)
		}
	}
	if _, ok := ParseOp("$regex"); ok {
		t.Errorf(`ParseOp("$regex") ok, want not`)
	}
}
