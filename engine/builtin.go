package engine

import (
	"slices"

	"github.com/wardenhq/warden/rules"
)

// BuiltinVersion names the snapshot of Infisical's built-in project roles that BuiltinRole
// returns: the newest one the spec describes (§4.5, default-roles.ts at commit 2f07ccca).
const BuiltinVersion = "infisical-2026 (default-roles.ts@2f07ccca)"

// reservedRoleSlugs are the role slugs Infisical reserves for built-in roles
// (ProjectMembershipRole, spec §4.5); a custom role may not take one. "custom" marks a grant
// of a custom role, and ssh-host-bootstrapper no longer has contents in the newest snapshot.
var reservedRoleSlugs = []string{"admin", "member", "custom", "viewer", "no-access", "ssh-host-bootstrapper", "cryptographic-operator"}

// ReservedRoleSlugs returns the role slugs reserved for built-in roles: admin, member,
// custom, viewer, no-access, ssh-host-bootstrapper and cryptographic-operator.
func ReservedRoleSlugs() []string { return slices.Clone(reservedRoleSlugs) }

// IsReservedRoleSlug reports whether slug is reserved for a built-in role, so that a custom
// role may not use it.
func IsReservedRoleSlug(slug string) bool { return slices.Contains(reservedRoleSlugs, slug) }

// BuiltinRole returns the rules of a built-in project role of the BuiltinVersion snapshot:
// admin, member, viewer, no-access (no rules) or cryptographic-operator. Every rule is an
// unconditional allow with one subject, as in Infisical. The result is a fresh copy the
// caller may keep or modify. ok is false for any other slug, including the reserved slugs
// "custom" and "ssh-host-bootstrapper", which Infisical's newest code does not resolve to
// built-in contents.
func BuiltinRole(slug string) (rs []rules.Rule, ok bool) {
	t, ok := builtinRoles[slug]
	if !ok {
		return nil, false
	}
	rs = make([]rules.Rule, len(t))
	for i, g := range t {
		rs[i] = rules.Rule{Actions: slices.Clone(g.actions), Subjects: []string{g.subject}}
	}
	return rs, true
}

// BuiltinRoles returns the slugs BuiltinRole resolves, in a fixed order.
func BuiltinRoles() []string {
	return []string{"admin", "member", "viewer", "no-access", "cryptographic-operator"}
}

// builtinGrant is one row of a role table: one rule allowing actions on subject.
type builtinGrant struct {
	subject string
	actions []string
}

// builtinTable is a built-in role: its rules in Infisical's order.
type builtinTable []builtinGrant

var builtinRoles = map[string]builtinTable{
	"admin":                  adminRole,
	"member":                 memberRole,
	"viewer":                 viewerRole,
	"no-access":              {},
	"cryptographic-operator": cryptographicOperatorRole,
}

// builtinCRUD returns the generic actions (spec §2.1) followed by extra.
func builtinCRUD(extra ...string) []string {
	return append([]string{"read", "create", "edit", "delete"}, extra...)
}

// builtinOn returns one row per subject, each with the same actions.
func builtinOn(actions []string, subjects ...string) builtinTable {
	t := make(builtinTable, len(subjects))
	for i, s := range subjects {
		t[i] = builtinGrant{s, actions}
	}
	return t
}

// Action lists several roles share.
var (
	cmekAll = builtinCRUD("encrypt", "decrypt", "sign", "verify", "generate-mac", "verify-mac", "rotate", "export-private-key")

	dynamicSecretsAll = []string{"read-root-credential", "create-root-credential", "edit-root-credential",
		"delete-root-credential", "lease"}
	secretSyncsAll   = builtinCRUD("sync-secrets", "import-secrets", "remove-secrets")
	eventSubsAll     = []string{"subscribe-to-creation-events", "subscribe-to-update-events", "subscribe-to-deletion-events", "subscribe-to-import-mutation-events"}
	proxiedReadUsage = []string{"read", "report-usage"}
	certAppReadList  = []string{"read", "list"}
)

// adminRole is the newest admin role (spec §4.5, "admin").
var adminRole = slices.Concat(
	builtinOn(builtinCRUD(), "secret-imports", "role", "integrations", "webhooks", "service-tokens", "settings",
		"environments", "tags", "ip-allowlist", "pki-alerts", "pki-collections", "certificate-inventory-views"),
	builtinTable{
		{"secret-folders", []string{"create", "edit", "delete"}}, // no read: "folder read is implied for all"
		{"audit-logs", []string{"read"}},
		{"certificate-authorities", builtinCRUD("issue-ca-certificate", "sign-intermediate")},
		{"certificate-templates", builtinCRUD("issue-cert", "list-certs")},
		{"certificate-policies", builtinCRUD()},
		{"secret-approval", builtinCRUD()},
		{"certificates", builtinCRUD("read-private-key", "import")},
		{"certificate-profiles", builtinCRUD("issue-cert", "reveal-acme-eab-secret", "rotate-acme-eab-secret", "manage-application-attachments")},
		{"certificate-application", []string{"read", "list", "create"}},
		{"commits", []string{"read", "perform-rollback"}},
		{"pki-subscribers", builtinCRUD("issue-cert", "list-certs")},
		{"member", builtinCRUD("grant-privileges", "assign-role", "assign-additional-privileges", "assume-privileges")},
		{"groups", builtinCRUD("grant-privileges", "assign-role")},
		{"identity", builtinCRUD("grant-privileges", "assign-role", "assign-additional-privileges", "assume-privileges",
			"get-token", "create-token", "delete-token", "revoke-auth", "edit-auth")},
		{"secrets", []string{"describeSecret", "read", "readValue", "create", "edit", "delete"}},
		{"dynamic-secrets", dynamicSecretsAll},
		{"workspace", []string{"edit", "delete"}},
		{"secret-rollback", []string{"read", "create"}},
		{"kms", []string{"edit"}},
		{"cmek", cmekAll},
		{"secret-syncs", secretSyncsAll},
		{"pki-syncs", builtinCRUD("sync-certificates", "import-certificates", "remove-certificates", "set-post-sync-command")},
		{"pki-discovery", builtinCRUD("run-scan")},
		{"pki-certificate-installations", []string{"read", "edit", "delete"}},
		{"code-signers", []string{"read", "create"}},
		{"kmip", []string{"create-clients", "update-clients", "delete-clients", "read-clients", "generate-client-certificates"}},
		{"secret-rotation", []string{"read", "read-generated-credentials", "create", "edit", "delete", "rotate-secrets"}},
		{"secret-scanning-data-sources", []string{"read-data-sources", "create-data-sources", "edit-data-sources",
			"delete-data-sources", "trigger-data-source-scans", "read-data-source-scans", "read-data-source-resources"}},
		{"secret-scanning-findings", []string{"read-findings", "update-findings"}},
		{"secret-scanning-configs", []string{"read-configs", "update-configs"}},
		{"secret-event-subscriptions", eventSubsAll},
		{"app-connections", []string{"read-app-connections", "create-app-connections", "edit-app-connections",
			"delete-app-connections", "connect-app-connections", "rotate-credentials"}},
		{"hsm-connectors", []string{"read-hsm-connectors", "create-hsm-connectors", "edit-hsm-connectors",
			"delete-hsm-connectors", "test-hsm-connectors", "attach-hsm-connectors"}},
		{"honey-tokens", []string{"read", "read-credentials", "create", "edit", "reset", "revoke"}},
		{"approval-requests", []string{"read", "create"}},
		{"approval-request-grants", []string{"read", "revoke"}},
		{"secret-approval-request", []string{"read"}},
		{"project-folder-grant", []string{"read-grant", "create-grant", "revoke-grant"}},
		{"insights", []string{"read", "generate-report", "delete-report"}},
		{"proxied-services", builtinCRUD("proxy", "report-usage")},
	},
)

// memberRole is the newest member role (spec §4.5, "member").
var memberRole = slices.Concat(
	builtinTable{
		{"secrets", []string{"describeSecret", "read", "readValue", "edit", "create", "delete"}},
		{"secret-folders", []string{"edit", "create", "delete"}},
		{"dynamic-secrets", dynamicSecretsAll},
		{"secret-imports", builtinCRUD()},
		{"commits", []string{"read", "perform-rollback"}},
		{"secret-approval", []string{"read"}},
		{"secret-rotation", []string{"read"}},
		{"secret-rollback", []string{"read", "create"}},
		{"member", []string{"read", "create"}},
		{"groups", []string{"read"}},
		{"integrations", builtinCRUD()},
		{"webhooks", builtinCRUD()},
		{"identity", []string{"read", "edit", "create", "delete"}}, // no grant, assign, token or auth actions
		{"service-tokens", builtinCRUD()},
		{"honey-tokens", []string{"read"}},
		{"proxied-services", proxiedReadUsage},
	},
	builtinOn(builtinCRUD(), "settings", "environments", "tags"),
	builtinOn([]string{"read"}, "role", "audit-logs", "insights", "ip-allowlist",
		"certificate-authorities", "certificate-policies", "certificate-profiles", "code-signers"),
	builtinTable{
		{"certificate-application", certAppReadList},
		{"cmek", []string{"create", "edit", "delete", "read", "encrypt", "decrypt", "sign", "verify",
			"generate-mac", "verify-mac", "rotate"}}, // not export-private-key
		{"secret-syncs", secretSyncsAll},
		{"secret-scanning-data-sources", []string{"read-data-sources", "trigger-data-source-scans",
			"read-data-source-scans", "read-data-source-resources"}},
		{"secret-scanning-findings", []string{"read-findings", "update-findings"}},
		{"secret-scanning-configs", []string{"read-configs"}},
		{"secret-event-subscriptions", eventSubsAll},
		{"app-connections", []string{"connect-app-connections"}},
		{"hsm-connectors", []string{"read-hsm-connectors", "test-hsm-connectors"}},
		{"approval-requests", []string{"create"}},
	},
)

// viewerRole is the newest viewer role (spec §4.5, "viewer").
var viewerRole = slices.Concat(
	builtinTable{
		{"secrets", []string{"describeSecret", "readValue"}}, // not the legacy read
		{"dynamic-secrets", []string{"read-root-credential"}},
	},
	builtinOn([]string{"read"}, "secret-imports", "secret-approval", "secret-rollback", "secret-rotation", "member",
		"groups", "role", "integrations", "webhooks", "identity", "service-tokens", "honey-tokens", "settings",
		"environments", "tags", "audit-logs", "insights", "ip-allowlist", "certificate-authorities",
		"certificates", "certificate-inventory-views", "certificate-templates", "certificate-policies", "cmek",
		"secret-syncs", "pki-syncs", "pki-discovery", "pki-certificate-installations", "code-signers", "commits"),
	builtinTable{
		{"proxied-services", proxiedReadUsage},
		{"certificate-application", certAppReadList},
		{"secret-scanning-data-sources", []string{"read-data-sources", "read-data-source-scans", "read-data-source-resources"}},
		{"secret-scanning-findings", []string{"read-findings"}},
		{"secret-scanning-configs", []string{"read-configs"}},
		{"secret-event-subscriptions", eventSubsAll},
	},
)

// cryptographicOperatorRole is the role of KMS projects (spec §4.5, "cryptographic-operator").
var cryptographicOperatorRole = builtinTable{
	{"cmek", []string{"encrypt", "decrypt", "sign", "verify", "generate-mac", "verify-mac"}},
}
