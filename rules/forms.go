package rules

import (
	"bytes"
	"fmt"
	"slices"
)

// The subjects the v1 ↔ v2 conversion treats specially (spec §5.3).
const (
	subjectSecrets        = "secrets"
	subjectSecretImports  = "secret-imports"
	subjectSecretFolders  = "secret-folders"
	subjectDynamicSecrets = "dynamic-secrets"
)

// genericActions are Infisical's generic actions (spec §2.1), the only ones v1 secrets rules
// and the v1 privilege API know.
var genericActions = []string{"read", "create", "edit", "delete"}

// ---- the unpacked (API) form ----

// Unpacked returns r in the form Infisical's API responses use (spec §5.2): its first subject
// only, its actions, conditions and inversion; field restrictions and reason are dropped.
// The result shares r's conditions (Values are immutable) but not its slices.
func Unpacked(r Rule) Rule {
	u := Rule{Actions: slices.Clone(r.Actions), Conditions: r.Conditions, Inverted: r.Inverted}
	if !r.HasConditions() {
		u.Conditions = Value{}
	}
	if len(r.Subjects) > 0 {
		u.Subjects = []string{r.Subjects[0]}
	}
	return u
}

// MarshalUnpacked returns rules as Infisical's API responses write them (spec §5.2): a JSON
// array of {"subject": first subject, "action": [actions], "conditions": {...} when the rule
// has conditions, "inverted": true or false}. The action is always an array, and inverted is
// always written, as CASL's unpackRules produces it.
func MarshalUnpacked(rules []Rule) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, r := range rules {
		if i > 0 {
			buf.WriteByte(',')
		}
		subject := ""
		if len(r.Subjects) > 0 {
			subject = r.Subjects[0]
		}
		ms := []Member{{"subject", Str(subject)}, {"action", Strs(r.Actions...)}}
		if r.HasConditions() {
			ms = append(ms, Member{"conditions", r.Conditions})
		}
		ms = append(ms, Member{"inverted", BoolValue(r.Inverted)})
		if err := (Value{kind: Object, obj: ms}).write(&buf); err != nil {
			return nil, fmt.Errorf("rules: rule %d: %w", i, err)
		}
	}
	buf.WriteByte(']')
	return buf.Bytes(), nil
}

// ---- v1 → v2 ----

// BackfillV1 converts v1 permission objects to v2 ones as Infisical does on every v1 write
// (backfillPermissionV1SchemaToV2Schema, spec §5.3). Every rule is first put in the unpacked
// form (see Unpacked). Then, for every secrets rule R, in order:
//
//   - a secret-imports copy of R;
//   - a secrets copy of R, with "readValue" appended when R has "read" but not "readValue";
//   - a dynamic-secrets copy with each action mapped (read, create, edit, delete to
//     read-root-credential, create-root-credential, edit-root-credential,
//     delete-root-credential; anything else to read-root-credential, as Infisical does), plus
//     "lease" when R has "edit";
//   - a secret-folders copy with "read" removed (none when no action is left), only when the
//     input has no secret-folders rule at all.
//
// Copies keep R's conditions and inversion. The output is the input rules (without the
// secret-folders rules unless keepFolderRules; Infisical keeps them only on its deprecated v1
// role routes), then all secret-imports copies, all secrets copies, all dynamic-secrets copies
// and all secret-folders copies. The input is not modified.
func BackfillV1(rs []Rule, keepFolderRules bool) []Rule {
	var out, imports, secrets, dynamic, folders []Rule
	hasFolderRule := false
	for _, r := range rs {
		u := Unpacked(r)
		subject := ""
		if len(u.Subjects) > 0 {
			subject = u.Subjects[0]
		}
		if subject == subjectSecretFolders {
			hasFolderRule = true
			if !keepFolderRules {
				continue
			}
		}
		out = append(out, u)
		if subject != subjectSecrets {
			continue
		}
		imports = append(imports, withSubject(u, subjectSecretImports, slices.Clone(u.Actions)))

		sa := slices.Clone(u.Actions)
		if slices.Contains(sa, "read") && !slices.Contains(sa, "readValue") {
			sa = append(sa, "readValue")
		}
		secrets = append(secrets, withSubject(u, subjectSecrets, sa))

		da := make([]string, 0, len(u.Actions)+1)
		for _, a := range u.Actions {
			switch a {
			case "create", "edit", "delete":
				da = append(da, a+"-root-credential")
			default: // "read", and anything else (Infisical maps unknown actions to read too)
				da = append(da, "read-root-credential")
			}
		}
		if slices.Contains(u.Actions, "edit") {
			da = append(da, "lease")
		}
		dynamic = append(dynamic, withSubject(u, subjectDynamicSecrets, da))

		var fa []string
		for _, a := range u.Actions {
			if a != "read" {
				fa = append(fa, a)
			}
		}
		if len(fa) > 0 {
			folders = append(folders, withSubject(u, subjectSecretFolders, fa))
		}
	}
	out = append(out, imports...)
	out = append(out, secrets...)
	out = append(out, dynamic...)
	if !hasFolderRule {
		out = append(out, folders...)
	}
	return out
}

func withSubject(r Rule, subject string, actions []string) Rule {
	r.Subjects = []string{subject}
	r.Actions = actions
	return r
}

// ---- v1 schemas ----

// v2OnlySubjects are the subjects Infisical's v2 schema lists on their own rather than in the
// part it shares with the frozen v1 schema; the v1 schema does not know them.
var v2OnlySubjects = []string{
	subjectSecretImports, subjectDynamicSecrets, "pki-subscribers", "certificate-templates", "secret-syncs",
	"pki-syncs", "secret-event-subscriptions", "certificate-authorities", "certificates", "certificate-profiles",
	"certificate-policies", "manage-access",
}

// infisicalV1 is Infisical's frozen v1 permission schema (spec §2.3): the subjects shared
// with v2, and its own versions of secrets, secret-folders, identity and secret-rotation.
var infisicalV1 = mustCatalogue(infisicalV1Subjects())

func infisicalV1Subjects() []SubjectSpec {
	own := map[string]SubjectSpec{
		subjectSecrets: {Name: subjectSecrets, Actions: crud(), Conditions: true, Inverted: true,
			Fields: []FieldSpec{specEnvNoGlob, specPath}},
		subjectSecretFolders: {Name: subjectSecretFolders, Actions: []string{"read"}, Inverted: true},
		"identity":           {Name: "identity", Actions: crud()},
		"secret-rotation":    {Name: "secret-rotation", Actions: crud()},
	}
	var out []SubjectSpec
	for _, s := range infisicalSubjects() {
		if slices.Contains(v2OnlySubjects, s.Name) {
			continue
		}
		if o, ok := own[s.Name]; ok {
			s = o
		}
		out = append(out, s)
	}
	return out
}

// ValidateV1 checks rules against Infisical's frozen v1 permission schema (spec §2.3), which
// its deprecated v1 role routes still accept before converting with BackfillV1. It differs
// from the v2 schema checked by Validate in that secrets take only the generic actions (read,
// create, edit, delete) and conditions on environment ($eq, $ne, $in; no $glob) and
// secretPath; secret-folders takes only "read", inverted but without conditions; identity and
// secret-rotation take the generic actions without conditions or inversion; and subjects
// that only the v2 schema lists (secret-imports, dynamic-secrets, secret-syncs, the PKI and
// certificate subjects) are unknown. It reports problems as Validate does.
func ValidateV1(rs []Rule) error { return infisicalV1.Validate(rs) }

// ValidateV1Privilege checks the permission objects of Infisical's v1 identity privilege API
// (spec §5.3, "permissions"): each has one generic action (read, create, edit, delete), one
// subject of Infisical's catalogue, and optional conditions of at most an environment (a
// plain string) and a secretPath of the form {"$glob": pattern}. Inverted rules are rejected
// (the schema has no inverted; Infisical would drop it and store an allow). It reports every
// problem at once, as Validate does.
func ValidateV1Privilege(rs []Rule) error {
	v := validator{cat: Infisical()}
	for i, r := range rs {
		v.i = i
		v.v1Privilege(r)
	}
	return v.errs.err()
}

func (v *validator) v1Privilege(r Rule) {
	switch len(r.Actions) {
	case 0:
		v.add("action", ErrShape, "missing: a permission needs one action")
	case 1:
	default:
		v.add("action", ErrValue, "the v1 privilege API takes one action per permission, this one has %d", len(r.Actions))
	}
	for j, a := range r.Actions {
		if !slices.Contains(genericActions, a) {
			v.add(actionPath(j), ErrUnknownAction, "the v1 privilege API takes the actions read, create, edit and delete, not %q", a)
		}
	}
	switch len(r.Subjects) {
	case 0:
		v.add("subject", ErrShape, "missing: a permission needs a subject")
	case 1:
		v.subject(r.Subjects[0], "subject")
	default:
		v.add("subject", ErrValue, "a permission object names one subject, this rule names %d", len(r.Subjects))
	}
	if r.Inverted {
		v.add("inverted", ErrNoInverted, "v1 privilege permissions cannot be inverted; Infisical would silently drop inverted and store an allow, warden rejects it")
	}
	if len(r.Fields) > 0 {
		v.add("fields", ErrUnknownKey, "permission objects have no field restrictions")
	}
	if r.Reason != "" {
		v.add("reason", ErrUnknownKey, "permission objects have no reason")
	}
	if r.HasConditions() {
		v.v1PrivilegeConditions(r.Conditions, false)
	}
}

// v1PrivilegeGlob is the only form a v1 privilege secretPath takes.
var v1PrivilegeGlob = FieldSpec{Name: "secretPath", Ops: OpGlob, ObjectOnly: true}

// v1PrivilegeConditions checks {environment: string, secretPath: {$glob}}; needEnv makes
// the environment required (privilegePermission).
func (v *validator) v1PrivilegeConditions(c Value, needEnv bool) {
	if c.kind != Object {
		v.add("conditions", ErrType, "want an object, got %s", describe(c))
		return
	}
	sawEnv := false
	for _, m := range c.obj {
		p := joinPath("conditions", m.Key)
		switch m.Key {
		case "environment":
			sawEnv = true
			if s, ok := m.Value.AsString(); ok {
				v.templates(s, p)
			} else {
				v.add(p, ErrType, "environment wants an environment slug (a string), got %s", describe(m.Value))
			}
		case "secretPath":
			v.field(&v1PrivilegeGlob, m.Value, p)
		default:
			v.add(p, ErrUnknownField, "v1 privilege conditions have only environment and secretPath; Infisical would silently drop %q, warden rejects it", m.Key)
			v.templatesIn(m.Value, p)
		}
	}
	if needEnv && !sawEnv {
		v.add("conditions.environment", ErrShape, "missing: privilegePermission conditions need an environment")
	}
}

// PrivilegePermission is the compact form of Infisical's v1 identity privilege API
// ("privilegePermission", spec §5.3): several generic actions on secrets with one set of
// conditions, {"environment": slug, "secretPath": {"$glob": pattern}} (secretPath optional).
type PrivilegePermission struct {
	Actions    []string
	Subject    string
	Conditions Value
}

// UnmarshalJSON reads {"actions": [...], "subject": "secrets", "conditions": {...}}, keeping
// the conditions' key order. It checks types only; ExpandPrivilegePermission checks values.
func (p *PrivilegePermission) UnmarshalJSON(data []byte) error {
	v, err := ParseValue(data)
	if err != nil {
		return Errors{{Rule: -1, Code: ErrSyntax, Detail: err.Error()}}
	}
	var errs Errors
	if v.kind != Object {
		errs.add(-1, "", ErrType, "want an object, got %s", describe(v))
		return errs.err()
	}
	var out PrivilegePermission
	for _, m := range v.obj {
		switch m.Key {
		case "actions":
			if m.Value.kind != Array {
				errs.add(-1, "actions", ErrType, "want a list of actions, got %s", describe(m.Value))
				continue
			}
			for j, e := range m.Value.arr {
				s, ok := e.AsString()
				if !ok {
					errs.add(-1, fmt.Sprintf("actions[%d]", j), ErrType, "want an action name, got %s", describe(e))
					continue
				}
				out.Actions = append(out.Actions, s)
			}
		case "subject":
			s, ok := m.Value.AsString()
			if !ok {
				errs.add(-1, "subject", ErrType, "want a subject name, got %s", describe(m.Value))
			}
			out.Subject = s
		case "conditions":
			out.Conditions = m.Value
		default:
			errs.add(-1, m.Key, ErrUnknownKey, "a privilegePermission has actions, subject and conditions")
		}
	}
	if err := errs.err(); err != nil {
		return err
	}
	*p = out
	return nil
}

// ExpandPrivilegePermission checks a v1 privilegePermission and expands it into one rule per
// action, as Infisical does before converting with BackfillV1: each rule has the action, the
// subject "secrets" and the conditions rebuilt in the order Infisical's schema writes them
// (environment, then secretPath when given). It needs at least one action, each a generic
// action; the subject "secrets"; and conditions with an environment string and optionally
// a secretPath {"$glob": non-empty pattern}. Problems are reported all at once, as Errors
// with Rule -1 and paths such as "actions[1]" or "conditions.secretPath.$glob".
func ExpandPrivilegePermission(p PrivilegePermission) ([]Rule, error) {
	v := validator{cat: Infisical(), i: -1}
	if len(p.Actions) == 0 {
		v.add("actions", ErrShape, "missing: a privilegePermission needs at least one action")
	}
	for j, a := range p.Actions {
		if !slices.Contains(genericActions, a) {
			v.add(fmt.Sprintf("actions[%d]", j), ErrUnknownAction, "a privilegePermission takes the actions read, create, edit and delete, not %q", a)
		}
	}
	if p.Subject != subjectSecrets {
		v.add("subject", ErrValue, "a privilegePermission is about %q, not %q", subjectSecrets, p.Subject)
	}
	if p.Conditions.IsUndefined() || p.Conditions.kind == Null {
		v.add("conditions", ErrShape, "missing: a privilegePermission needs conditions with an environment")
	} else {
		v.v1PrivilegeConditions(p.Conditions, true)
	}
	if err := v.errs.err(); err != nil {
		return nil, err
	}
	ms := []Member{{"environment", p.Conditions.Get("environment")}}
	if sp := p.Conditions.Get("secretPath"); !sp.IsUndefined() {
		ms = append(ms, Member{"secretPath", sp})
	}
	cond := Obj(ms...)
	out := make([]Rule, len(p.Actions))
	for i, a := range p.Actions {
		out[i] = Rule{Actions: []string{a}, Subjects: []string{subjectSecrets}, Conditions: cond}
	}
	return out, nil
}

// ---- v1 responses ----

// V1PrivilegeResponse returns the rules a v1 identity privilege response shows (spec §5.3):
// the rules in the unpacked form, without the dynamic-secrets, secret-imports and
// secret-folders rules, so that the companions BackfillV1 added stay hidden.
func V1PrivilegeResponse(rs []Rule) []Rule {
	var out []Rule
	for _, r := range rs {
		u := Unpacked(r)
		switch firstSubject(u) {
		case subjectDynamicSecrets, subjectSecretImports, subjectSecretFolders:
			continue
		}
		out = append(out, u)
	}
	return out
}

// V1RoleResponse returns the rules a deprecated v1 role response shows (spec §5.3): the rules
// in the unpacked form, with secret-folders rules reduced to their "read" action, and without
// dynamic-secrets and secret-imports rules or rules left with no action.
func V1RoleResponse(rs []Rule) []Rule {
	var out []Rule
	for _, r := range rs {
		u := Unpacked(r)
		switch firstSubject(u) {
		case subjectDynamicSecrets, subjectSecretImports:
			continue
		case subjectSecretFolders:
			u.Actions = slices.DeleteFunc(u.Actions, func(a string) bool { return a != "read" })
		}
		if len(u.Actions) == 0 {
			continue
		}
		out = append(out, u)
	}
	return out
}

func firstSubject(r Rule) string {
	if len(r.Subjects) == 0 {
		return ""
	}
	return r.Subjects[0]
}
