package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Ops is a set of condition operators, used by a FieldSpec to say which operators a field
// accepts in its object form ({"$eq": "dev"}).
type Ops uint16

// The operators a catalogue can allow on a field. Infisical's write schemas only ever allow
// $eq, $ne, $in, $glob, $all (secretTags) and $elemMatch (metadata) (spec §1.1, §3.1); $nin is
// offered for subjects registered by users, because Compile evaluates it.
const (
	OpEq Ops = 1 << iota
	OpNe
	OpIn
	OpNin
	OpAll
	OpGlob
	OpElemMatch
)

var opsNames = [...]struct {
	op   Ops
	name string
}{{OpEq, "$eq"}, {OpNe, "$ne"}, {OpIn, "$in"}, {OpNin, "$nin"}, {OpAll, "$all"}, {OpGlob, "$glob"}, {OpElemMatch, "$elemMatch"}}

// ParseOp returns the operator named name ("$eq", "$glob", ...), if a catalogue can allow it.
func ParseOp(name string) (Ops, bool) {
	for _, o := range opsNames {
		if o.name == name {
			return o.op, true
		}
	}
	return 0, false
}

// Has reports whether every operator of o is in s.
func (s Ops) Has(o Ops) bool { return o != 0 && s&o == o }

// String lists the operators of s, comma-separated, in the order $eq $ne $in $nin $all $glob
// $elemMatch.
func (s Ops) String() string {
	var names []string
	for _, o := range opsNames {
		if s&o.op != 0 {
			names = append(names, o.name)
		}
	}
	if len(names) == 0 {
		return "no operators"
	}
	return strings.Join(names, ", ")
}

// Format is a constraint on the string values a condition field takes, beyond its operators.
type Format uint8

const (
	// FormatAny accepts any string.
	FormatAny Format = iota
	// FormatPath is Infisical's secretPath rule (spec §3.2): a plain value, an $eq or $ne
	// operand and every $in element must start with "/"; a $glob pattern need not.
	FormatPath
	// FormatSubjectAction is the assignableAction rule (spec §3.3): values have the form
	// "subject:action" with both sides non-empty, and when the rule also has an
	// assignableSubject condition, the subject part of every value the rule allows (a plain
	// value, $eq, each $in element) must satisfy it. $glob patterns are not checked.
	FormatSubjectAction
)

// FieldSpec describes one condition field of a subject: the operators it accepts and the
// shape of its values (spec §3.1, §3.3).
//
// A field accepts a plain string (meaning equality; it may be empty unless the format says
// otherwise) unless ObjectOnly is set, and an object of the operators in Ops. Operands are
// checked as Infisical's schemas check them: $eq and $ne take a non-empty string, $in, $nin
// and $all an array (possibly empty) of non-empty strings, $glob a non-empty pattern that
// package glob compiles, $elemMatch an object querying the fields in Elem.
type FieldSpec struct {
	Name       string
	Ops        Ops
	ObjectOnly bool        // the plain-string form is not accepted (secretTags, metadata)
	Format     Format      // extra rule on string values
	Elem       []FieldSpec // with OpElemMatch: the fields an element query may test
}

// LegacyAction is an umbrella action that Infisical kept for compatibility after splitting it
// into finer actions (spec §2.4): secrets "read" stands for "describeSecret" and "readValue";
// "grant-privileges" stands for "assign-role" and "assign-additional-privileges".
//
// Writes may not combine the umbrella with any action it covers (Infisical's invalid action
// combinations), and an inverted rule on a covered action also forbids the umbrella
// (Infisical's expandLegacyForbidActions, applied by the engine).
type LegacyAction struct {
	Action string   // the legacy umbrella action
	Covers []string // the newer actions it stands for
}

// SubjectSpec describes one subject of a Catalogue: its actions, whether rules on it may be
// conditional or inverted, and its condition fields.
type SubjectSpec struct {
	Name    string
	Actions []string

	// Conditions and Inverted say whether a rule on the subject may carry conditions and be
	// inverted. Infisical's v2 schema allows both or neither (the "cond" column of spec §2.2),
	// and silently drops them where it allows neither; warden rejects them instead.
	Conditions bool
	Inverted   bool

	// Fields are the condition fields, in the order Infisical's schema declares them.
	Fields []FieldSpec

	// ActionFields restricts the condition fields per action (Infisical's
	// ActionAllowedConditions, spec §2.4). An action listed here may only use the fields
	// listed for it (none, if the list is empty); an action not listed may use every field.
	ActionFields map[string][]string

	// Legacy lists the subject's umbrella actions.
	Legacy []LegacyAction

	// Inert marks a deprecated subject that is accepted loosely so that clients which read,
	// modify and write roles keep working, and that nothing checks (spec §2.5): any action
	// name of 1 to 64 characters, any conditions object, inverted allowed. Actions and Fields
	// are ignored.
	Inert bool

	// Internal marks a subject that only the engine itself grants (Infisical's
	// "manage-access", obtainable through folder access grants only); Validate rejects rules
	// naming it.
	Internal bool
}

// maxInertAction is the longest action name Infisical accepts on a deprecated subject.
const maxInertAction = 64

// Catalogue is a set of subjects with their actions and condition fields: what Validate
// checks rules against. Infisical returns Infisical's own; Register adds subjects of your own.
//
// A Catalogue is immutable: Register returns a new one and leaves the receiver as it was, and
// every accessor returns copies. It is safe for concurrent use by multiple goroutines. The
// zero Catalogue has no subjects.
type Catalogue struct {
	order    []string
	subjects map[string]*subjectEntry
}

// subjectEntry is a registered SubjectSpec with lookup tables.
type subjectEntry struct {
	spec    SubjectSpec // deep copy, never handed out
	actions map[string]bool
	fields  map[string]*FieldSpec
	legacy  map[string]string // covered action -> umbrella
}

// NewCatalogue returns a catalogue of the given subjects only (no Infisical subjects). It
// reports every problem with the specs at once, as Errors.
func NewCatalogue(specs ...SubjectSpec) (*Catalogue, error) {
	return (&Catalogue{}).Register(specs...)
}

// Register returns a new catalogue holding c's subjects and specs, for checking rules about
// subjects of your own services:
//
//	cat, err := rules.Infisical().Register(rules.SubjectSpec{
//		Name:       "invoices",
//		Actions:    []string{"read", "approve"},
//		Conditions: true, Inverted: true,
//		Fields:     []rules.FieldSpec{{Name: "customer", Ops: rules.OpEq | rules.OpIn | rules.OpGlob}},
//	})
//
// A spec needs a name that c does not have yet (and that is not the CASL wildcard "all"),
// at least one action unless it is inert, no duplicate or empty actions or fields, fields
// only when it accepts conditions, and ActionFields and Legacy that name its own actions and
// fields. Register reports every problem at once, as Errors with Rule -1 and a Path such as
// "subjects[0].actions[1]"; c is never changed.
func (c *Catalogue) Register(specs ...SubjectSpec) (*Catalogue, error) {
	if c == nil {
		c = &Catalogue{}
	}
	var errs Errors
	if len(specs) == 0 {
		errs.add(-1, "subjects", ErrValue, "no subject to register")
	}
	out := &Catalogue{
		order:    slices.Clone(c.order),
		subjects: maps.Clone(c.subjects),
	}
	if out.subjects == nil {
		out.subjects = make(map[string]*subjectEntry, len(specs))
	}
	for i, s := range specs {
		path := fmt.Sprintf("subjects[%d]", i)
		e := newEntry(s, path, &errs)
		if e == nil {
			continue
		}
		if _, dup := out.subjects[s.Name]; dup {
			errs.add(-1, path+".name", ErrValue, "subject %q is already in the catalogue", s.Name)
			continue
		}
		out.subjects[s.Name] = e
		out.order = append(out.order, s.Name)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// newEntry checks a spec and builds its entry, or returns nil after adding its problems.
func newEntry(s SubjectSpec, path string, errs *Errors) *subjectEntry {
	n := len(*errs)
	switch {
	case s.Name == "":
		errs.add(-1, path+".name", ErrValue, "a subject needs a name")
	case s.Name == All:
		errs.add(-1, path+".name", ErrValue, "%q is CASL's wildcard for every subject, not a subject", All)
	}
	e := &subjectEntry{spec: cloneSpec(s), actions: map[string]bool{}, fields: map[string]*FieldSpec{}, legacy: map[string]string{}}
	if s.Inert {
		if s.Internal {
			errs.add(-1, path+".internal", ErrValue, "subject %q cannot be both inert and internal", s.Name)
		}
		if len(*errs) > n {
			return nil
		}
		return e
	}
	if len(s.Actions) == 0 {
		errs.add(-1, path+".actions", ErrValue, "subject %q needs at least one action", s.Name)
	}
	for j, a := range s.Actions {
		p := fmt.Sprintf("%s.actions[%d]", path, j)
		switch {
		case a == "":
			errs.add(-1, p, ErrValue, "an action needs a name")
		case a == Manage:
			errs.add(-1, p, ErrValue, "%q is CASL's wildcard for every action, not an action", Manage)
		case e.actions[a]:
			errs.add(-1, p, ErrValue, "action %q is listed twice", a)
		}
		e.actions[a] = true
	}
	if len(s.Fields) > 0 && !s.Conditions {
		errs.add(-1, path+".fields", ErrValue, "subject %q has condition fields but does not accept conditions", s.Name)
	}
	for j := range e.spec.Fields {
		f := &e.spec.Fields[j]
		p := fmt.Sprintf("%s.fields[%d]", path, j)
		checkFieldSpec(*f, p, errs)
		if _, dup := e.fields[f.Name]; dup && f.Name != "" {
			errs.add(-1, p+".name", ErrValue, "field %q is listed twice", f.Name)
		}
		e.fields[f.Name] = f
	}
	for _, a := range slices.Sorted(maps.Keys(s.ActionFields)) {
		p := path + ".actionFields." + a
		if !e.actions[a] {
			errs.add(-1, p, ErrValue, "%q is not an action of subject %q", a, s.Name)
		}
		for j, f := range s.ActionFields[a] {
			if _, ok := e.fields[f]; !ok {
				errs.add(-1, fmt.Sprintf("%s[%d]", p, j), ErrValue, "%q is not a condition field of subject %q", f, s.Name)
			}
		}
	}
	for j, l := range s.Legacy {
		p := fmt.Sprintf("%s.legacy[%d]", path, j)
		if !e.actions[l.Action] {
			errs.add(-1, p+".action", ErrValue, "%q is not an action of subject %q", l.Action, s.Name)
		}
		if len(l.Covers) == 0 {
			errs.add(-1, p+".covers", ErrValue, "a legacy action must cover at least one action")
		}
		for k, a := range l.Covers {
			switch {
			case !e.actions[a] || a == l.Action:
				errs.add(-1, fmt.Sprintf("%s.covers[%d]", p, k), ErrValue, "%q is not another action of subject %q", a, s.Name)
			case e.legacy[a] != "":
				errs.add(-1, fmt.Sprintf("%s.covers[%d]", p, k), ErrValue, "action %q is already covered by %q", a, e.legacy[a])
			default:
				e.legacy[a] = l.Action
			}
		}
	}
	if len(*errs) > n {
		return nil
	}
	return e
}

func checkFieldSpec(f FieldSpec, path string, errs *Errors) {
	switch {
	case f.Name == "":
		errs.add(-1, path+".name", ErrValue, "a condition field needs a name")
	case strings.HasPrefix(f.Name, "$"):
		errs.add(-1, path+".name", ErrValue, "field %q: a name starting with $ would read as an operator", f.Name)
	}
	if f.Ops == 0 {
		errs.add(-1, path+".ops", ErrValue, "field %q allows no operator", f.Name)
	}
	if f.Ops&^(OpEq|OpNe|OpIn|OpNin|OpAll|OpGlob|OpElemMatch) != 0 {
		errs.add(-1, path+".ops", ErrValue, "field %q has unknown operator bits %#x", f.Name, uint16(f.Ops))
	}
	if f.Format > FormatSubjectAction {
		errs.add(-1, path+".format", ErrValue, "field %q has unknown format %d", f.Name, f.Format)
	}
	if f.Ops.Has(OpElemMatch) != (len(f.Elem) > 0) {
		errs.add(-1, path+".elem", ErrValue, "field %q: $elemMatch and element fields go together", f.Name)
	}
	seen := map[string]bool{}
	for j, sub := range f.Elem {
		p := fmt.Sprintf("%s.elem[%d]", path, j)
		checkFieldSpec(sub, p, errs)
		if seen[sub.Name] {
			errs.add(-1, p+".name", ErrValue, "element field %q is listed twice", sub.Name)
		}
		seen[sub.Name] = true
	}
}

func cloneSpec(s SubjectSpec) SubjectSpec {
	s.Actions = slices.Clone(s.Actions)
	s.Fields = cloneFields(s.Fields)
	if s.ActionFields != nil {
		m := make(map[string][]string, len(s.ActionFields))
		for a, fs := range s.ActionFields {
			if fs == nil {
				fs = []string{}
			}
			m[a] = slices.Clone(fs)
		}
		s.ActionFields = m
	}
	if s.Legacy != nil {
		ls := make([]LegacyAction, len(s.Legacy))
		for i, l := range s.Legacy {
			ls[i] = LegacyAction{Action: l.Action, Covers: slices.Clone(l.Covers)}
		}
		s.Legacy = ls
	}
	return s
}

func cloneFields(fs []FieldSpec) []FieldSpec {
	if fs == nil {
		return nil
	}
	out := make([]FieldSpec, len(fs))
	for i, f := range fs {
		f.Elem = cloneFields(f.Elem)
		out[i] = f
	}
	return out
}

// Subjects returns the names of c's subjects in registration order.
func (c *Catalogue) Subjects() []string { return slices.Clone(c.order) }

// Subject returns a copy of the spec of the named subject.
func (c *Catalogue) Subject(name string) (SubjectSpec, bool) {
	e := c.subjects[name]
	if e == nil {
		return SubjectSpec{}, false
	}
	return cloneSpec(e.spec), true
}

// HasSubject reports whether c knows the subject, including inert and internal subjects.
func (c *Catalogue) HasSubject(name string) bool { return c.subjects[name] != nil }

// Actions returns the actions of a subject (nil for an unknown or inert subject).
func (c *Catalogue) Actions(subject string) []string {
	if e := c.subjects[subject]; e != nil && !e.spec.Inert {
		return slices.Clone(e.spec.Actions)
	}
	return nil
}

// HasAction reports whether action is an action of subject. On an inert subject every action
// name of 1 to 64 characters counts.
func (c *Catalogue) HasAction(subject, action string) bool {
	e := c.subjects[subject]
	switch {
	case e == nil:
		return false
	case e.spec.Inert:
		return action != "" && len(action) <= maxInertAction
	}
	return e.actions[action]
}

// AcceptsConditions reports whether rules on subject may carry conditions.
func (c *Catalogue) AcceptsConditions(subject string) bool {
	e := c.subjects[subject]
	return e != nil && (e.spec.Conditions || e.spec.Inert)
}

// AcceptsInverted reports whether rules on subject may be inverted.
func (c *Catalogue) AcceptsInverted(subject string) bool {
	e := c.subjects[subject]
	return e != nil && (e.spec.Inverted || e.spec.Inert)
}

// Field returns a copy of the spec of a condition field of subject.
func (c *Catalogue) Field(subject, field string) (FieldSpec, bool) {
	if e := c.subjects[subject]; e != nil {
		if f := e.fields[field]; f != nil {
			fs := cloneFields([]FieldSpec{*f})
			return fs[0], true
		}
	}
	return FieldSpec{}, false
}

// AllowsField reports whether rules on subject may have a condition on field. An inert
// subject allows any field.
func (c *Catalogue) AllowsField(subject, field string) bool {
	e := c.subjects[subject]
	if e == nil {
		return false
	}
	return e.spec.Inert || e.fields[field] != nil
}

// AllowsOperator reports whether rules on subject may apply the operator op ("$eq",
// "$glob", ...) to field. An inert subject allows any operator the package knows.
func (c *Catalogue) AllowsOperator(subject, field, op string) bool {
	o, ok := ParseOp(op)
	e := c.subjects[subject]
	switch {
	case !ok || e == nil:
		return false
	case e.spec.Inert:
		return true
	}
	f := e.fields[field]
	return f != nil && f.Ops.Has(o)
}

// LegacyAction returns the legacy umbrella action that stands for action on subject (secrets
// "read" for "readValue", say), if there is one.
func (c *Catalogue) LegacyAction(subject, action string) (string, bool) {
	if e := c.subjects[subject]; e != nil {
		l, ok := e.legacy[action]
		return l, ok
	}
	return "", false
}

// ---- Infisical's catalogue ----

// Infisical returns Infisical's subject catalogue as of its newest snapshot (spec §2.2, commit
// 2f07ccca of project-permission.ts), with the condition fields of spec §3.3, the per-action
// condition restrictions and legacy actions of spec §2.4, and the deprecated inert subjects of
// spec §2.5. Every call returns the same immutable catalogue.
func Infisical() *Catalogue { return infisical }

var infisical = mustCatalogue(infisicalSubjects())

func mustCatalogue(specs []SubjectSpec) *Catalogue {
	c, err := NewCatalogue(specs...)
	if err != nil {
		panic("rules: bad built-in catalogue: " + err.Error())
	}
	return c
}

// Operator sets Infisical's schemas use again and again.
const (
	opsEqNeIn     = OpEq | OpNe | OpIn
	opsEqNeInGlob = OpEq | OpNe | OpIn | OpGlob
)

// crud returns the generic actions (spec §2.1) followed by extra.
func crud(extra ...string) []string {
	return append([]string{"read", "create", "edit", "delete"}, extra...)
}

// Condition fields shared by several subjects (spec §3.3).
var (
	specEnv       = FieldSpec{Name: "environment", Ops: opsEqNeInGlob}
	specEnvNoGlob = FieldSpec{Name: "environment", Ops: opsEqNeIn} // secret-folders keeps the v1 schema
	specPath      = FieldSpec{Name: "secretPath", Ops: opsEqNeInGlob, Format: FormatPath}
	specConnID    = FieldSpec{Name: "connectionId", Ops: opsEqNeIn}
	specName      = FieldSpec{Name: "name", Ops: opsEqNeInGlob}

	specsEnvPath = []FieldSpec{specEnv, specPath}

	specAssignableRole    = FieldSpec{Name: "assignableRole", Ops: opsEqNeIn}
	specAssignableSubject = FieldSpec{Name: "assignableSubject", Ops: opsEqNeInGlob}
	specAssignableAction  = FieldSpec{Name: "assignableAction", Ops: opsEqNeInGlob, Format: FormatSubjectAction}
)

// metadataField is the {key, value} list of dynamic secrets and certificates, queried with
// $elemMatch; keyValueOps are the operators allowed on key and value.
func metadataField(keyValueOps Ops) FieldSpec {
	return FieldSpec{Name: "metadata", Ops: OpElemMatch, ObjectOnly: true, Elem: []FieldSpec{
		{Name: "key", Ops: keyValueOps, ObjectOnly: true},
		{Name: "value", Ops: keyValueOps, ObjectOnly: true},
	}}
}

// withConditions marks a spec as one of the subjects with the "cond" column set (spec §2.2).
func withConditions(s SubjectSpec) SubjectSpec {
	s.Conditions, s.Inverted = true, true
	return s
}

// infisicalSubjects is the table of spec §2.2 (one entry per row, in its order), with the
// fields of §3.3 and the restrictions of §2.4.
func infisicalSubjects() []SubjectSpec {
	grantLegacy := []LegacyAction{{Action: "grant-privileges", Covers: []string{"assign-role", "assign-additional-privileges"}}}
	specs := []SubjectSpec{
		withConditions(SubjectSpec{
			Name:    "secrets",
			Actions: []string{"read", "describeSecret", "readValue", "create", "edit", "delete"},
			Fields: []FieldSpec{
				specEnv,
				specPath,
				{Name: "secretName", Ops: opsEqNeInGlob},
				{Name: "secretTags", Ops: OpIn | OpAll, ObjectOnly: true},
				{Name: "eventType", Ops: opsEqNeIn},
			},
			Legacy: []LegacyAction{{Action: "read", Covers: []string{"describeSecret", "readValue"}}},
		}),
		withConditions(SubjectSpec{Name: "secret-folders", Actions: crud(), Fields: []FieldSpec{specEnvNoGlob, specPath}}),
		withConditions(SubjectSpec{Name: "secret-imports", Actions: crud(), Fields: specsEnvPath}),
		withConditions(SubjectSpec{
			Name:    "dynamic-secrets",
			Actions: []string{"read-root-credential", "create-root-credential", "edit-root-credential", "delete-root-credential", "lease"},
			Fields:  []FieldSpec{specEnv, specPath, metadataField(opsEqNeIn)},
		}),
		withConditions(SubjectSpec{
			Name: "identity",
			Actions: crud("grant-privileges", "assign-role", "assign-additional-privileges", "assume-privileges",
				"revoke-auth", "edit-auth", "create-token", "get-token", "delete-token"),
			Fields: []FieldSpec{
				{Name: "identityId", Ops: opsEqNeIn},
				specAssignableRole, specAssignableSubject, specAssignableAction,
			},
			ActionFields: map[string][]string{
				"read": {"identityId"}, "edit": {"identityId"}, "delete": {"identityId"},
				"assume-privileges": {"identityId"}, "revoke-auth": {"identityId"}, "edit-auth": {"identityId"},
				"create-token": {"identityId"}, "get-token": {"identityId"}, "delete-token": {"identityId"},
				"create":                       {},
				"grant-privileges":             {"identityId", "assignableRole", "assignableSubject", "assignableAction"},
				"assign-role":                  {"identityId", "assignableRole"},
				"assign-additional-privileges": {"identityId", "assignableSubject", "assignableAction"},
			},
			Legacy: grantLegacy,
		}),
		withConditions(SubjectSpec{
			Name:    "member",
			Actions: crud("grant-privileges", "assign-role", "assign-additional-privileges", "assume-privileges"),
			Fields: []FieldSpec{
				{Name: "userEmail", Ops: opsEqNeInGlob},
				specAssignableRole, specAssignableSubject, specAssignableAction,
			},
			ActionFields: map[string][]string{
				"grant-privileges":             {"userEmail", "assignableRole", "assignableSubject", "assignableAction"},
				"assign-role":                  {"userEmail", "assignableRole"},
				"assign-additional-privileges": {"userEmail", "assignableSubject", "assignableAction"},
			},
			Legacy: grantLegacy,
		}),
		withConditions(SubjectSpec{
			Name:    "groups",
			Actions: crud("grant-privileges", "assign-role"),
			Fields:  []FieldSpec{{Name: "groupName", Ops: opsEqNeInGlob}, specAssignableRole},
			ActionFields: map[string][]string{
				"grant-privileges": {"groupName", "assignableRole"},
				"assign-role":      {"groupName", "assignableRole"},
			},
			Legacy: []LegacyAction{{Action: "grant-privileges", Covers: []string{"assign-role"}}},
		}),
		withConditions(SubjectSpec{
			Name:    "secret-rotation",
			Actions: []string{"read", "read-generated-credentials", "create", "edit", "delete", "rotate-secrets"},
			Fields:  []FieldSpec{specEnv, specPath, specConnID},
		}),
		withConditions(SubjectSpec{
			Name:    "secret-syncs",
			Actions: crud("sync-secrets", "import-secrets", "remove-secrets"),
			Fields:  []FieldSpec{specEnv, specPath, specConnID},
		}),
		withConditions(SubjectSpec{
			Name:    "pki-syncs",
			Actions: crud("sync-certificates", "import-certificates", "remove-certificates", "set-post-sync-command"),
			Fields:  []FieldSpec{specName, {Name: "subscriberName", Ops: opsEqNeInGlob}},
		}),
		withConditions(SubjectSpec{
			Name: "secret-event-subscriptions",
			Actions: []string{"subscribe-to-creation-events", "subscribe-to-update-events",
				"subscribe-to-deletion-events", "subscribe-to-import-mutation-events"},
			Fields: []FieldSpec{specEnv, specPath, specConnID},
		}),
		withConditions(SubjectSpec{Name: "certificate-authorities", Actions: crud("issue-ca-certificate", "sign-intermediate"), Fields: []FieldSpec{specName}}),
		withConditions(SubjectSpec{
			Name:    "certificates",
			Actions: crud("read-private-key", "import"),
			Fields: []FieldSpec{
				{Name: "commonName", Ops: opsEqNeInGlob},
				{Name: "altNames", Ops: opsEqNeInGlob},
				{Name: "serialNumber", Ops: opsEqNeInGlob},
				{Name: "friendlyName", Ops: opsEqNeInGlob},
				{Name: "status", Ops: opsEqNeInGlob},
				metadataField(OpEq | OpIn),
			},
		}),
		withConditions(SubjectSpec{Name: "certificate-templates", Actions: crud("issue-cert", "list-certs"), Fields: []FieldSpec{specName}}),
		withConditions(SubjectSpec{
			Name:    "certificate-profiles",
			Actions: crud("issue-cert", "reveal-acme-eab-secret", "rotate-acme-eab-secret", "manage-application-attachments"),
			Fields:  []FieldSpec{{Name: "slug", Ops: opsEqNeInGlob}},
		}),
		withConditions(SubjectSpec{Name: "certificate-policies", Actions: crud(), Fields: []FieldSpec{specName}}),
		withConditions(SubjectSpec{
			Name:    "pki-subscribers",
			Actions: crud("issue-cert", "list-certs"),
			Fields:  []FieldSpec{{Name: "name", Ops: OpEq | OpIn | OpGlob}}, // no $ne
		}),
		withConditions(SubjectSpec{
			Name: "app-connections",
			Actions: []string{"read-app-connections", "create-app-connections", "edit-app-connections",
				"delete-app-connections", "connect-app-connections", "rotate-credentials"},
			Fields: []FieldSpec{specConnID},
		}),
		withConditions(SubjectSpec{Name: "commits", Actions: []string{"read", "perform-rollback"}, Fields: specsEnvPath}),
		withConditions(SubjectSpec{Name: "honey-tokens", Actions: []string{"read", "read-credentials", "create", "edit", "reset", "revoke"}, Fields: specsEnvPath}),
		withConditions(SubjectSpec{Name: "proxied-services", Actions: crud("proxy", "report-usage"), Fields: specsEnvPath}),
		withConditions(SubjectSpec{Name: "project-folder-grant", Actions: []string{"read-grant", "create-grant", "revoke-grant"}, Fields: specsEnvPath}),

		// Subjects without conditions: Infisical drops conditions and inverted on them.
		{Name: "secret-approval", Actions: crud()},
		{Name: "secret-rollback", Actions: []string{"read", "create"}},
	}
	for _, name := range []string{"role", "integrations", "webhooks", "service-tokens", "settings", "environments",
		"tags", "ip-allowlist", "pki-alerts", "pki-collections", "certificate-inventory-views"} {
		specs = append(specs, SubjectSpec{Name: name, Actions: crud()})
	}
	specs = append(specs,
		SubjectSpec{Name: "audit-logs", Actions: []string{"read"}},
		SubjectSpec{Name: "insights", Actions: []string{"read", "generate-report", "delete-report"}},
		SubjectSpec{Name: "workspace", Actions: []string{"edit", "delete"}}, // the project itself
		SubjectSpec{Name: "kms", Actions: []string{"edit"}},
		SubjectSpec{Name: "cmek", Actions: crud("encrypt", "decrypt", "sign", "verify", "generate-mac", "verify-mac", "rotate", "export-private-key")},
		SubjectSpec{Name: "kmip", Actions: []string{"create-clients", "update-clients", "delete-clients", "read-clients", "generate-client-certificates"}},
		SubjectSpec{Name: "secret-scanning-data-sources", Actions: []string{"read-data-sources", "create-data-sources", "edit-data-sources",
			"delete-data-sources", "trigger-data-source-scans", "read-data-source-scans", "read-data-source-resources"}},
		SubjectSpec{Name: "secret-scanning-findings", Actions: []string{"read-findings", "update-findings"}},
		SubjectSpec{Name: "secret-scanning-configs", Actions: []string{"read-configs", "update-configs"}},
		SubjectSpec{Name: "hsm-connectors", Actions: []string{"read-hsm-connectors", "create-hsm-connectors", "edit-hsm-connectors",
			"delete-hsm-connectors", "test-hsm-connectors", "attach-hsm-connectors"}},
		SubjectSpec{Name: "pki-discovery", Actions: crud("run-scan")},
		SubjectSpec{Name: "pki-certificate-installations", Actions: []string{"read", "edit", "delete"}},
		SubjectSpec{Name: "code-signers", Actions: crud("sign")},
		SubjectSpec{Name: "certificate-application", Actions: []string{"read", "list", "create"}},
		SubjectSpec{Name: "approval-requests", Actions: []string{"read", "create"}},
		SubjectSpec{Name: "approval-request-grants", Actions: []string{"read", "revoke"}},
		SubjectSpec{Name: "secret-approval-request", Actions: []string{"read"}},
		SubjectSpec{Name: "manage-access", Actions: []string{"read", "grant", "revoke"}, Internal: true},
	)
	// Deprecated subjects of removed products, still accepted so that old roles round-trip.
	for _, name := range []string{"ssh-certificate-authorities", "ssh-certificates", "ssh-certificate-templates",
		"ssh-hosts", "ssh-host-groups", "mcp-endpoints", "mcp-servers", "mcp-activity-logs"} {
		specs = append(specs, SubjectSpec{Name: name, Inert: true})
	}
	return specs
}
