package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wardenhq/warden/rules"
)

// The JSON forms follow Infisical's API responses: camelCase names, times as RFC 3339 in
// UTC with milliseconds (JavaScript's toISOString, "2026-01-02T15:04:05.000Z"), null for an
// absent optional string or time, permissions in the object form. Each object also carries
// "version". Decoding accepts any RFC 3339 time and converts it to UTC, null or a missing
// key for an optional field, and permissions in the object or the packed form. Unknown keys
// are ignored by UnmarshalJSON and rejected by DecodeSnapshot.

// jsLayout is the layout of JavaScript's Date.prototype.toISOString.
const jsLayout = "2006-01-02T15:04:05.000Z"

// stamp is a time in its JSON form.
type stamp time.Time

func (s stamp) MarshalJSON() ([]byte, error) {
	t := time.Time(s).UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("store: time %v has no 4-digit year", t)
	}
	return []byte(`"` + t.Format(jsLayout) + `"`), nil
}

func (s *stamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return fmt.Errorf("want an RFC 3339 time string, got %s", b)
	}
	t, err := time.Parse(time.RFC3339Nano, str)
	if err != nil {
		return fmt.Errorf("want an RFC 3339 time such as 2026-01-02T15:04:05.000Z, got %q", str)
	}
	*s = stamp(t.UTC())
	return nil
}

func stampPtr(t *time.Time) *stamp {
	if t == nil {
		return nil
	}
	s := stamp(*t)
	return &s
}

func timePtr(s *stamp) *time.Time {
	if s == nil {
		return nil
	}
	t := time.Time(*s)
	return &t
}

// nullable returns nil for "", so that an absent optional string is written as null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type projectJSON struct {
	ID        string `json:"id"`
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	CreatedAt stamp  `json:"createdAt"`
	UpdatedAt stamp  `json:"updatedAt"`
	Version   uint64 `json:"version"`
}

// MarshalJSON writes p as {"id", "slug", "name", "createdAt", "updatedAt", "version"}.
func (p Project) MarshalJSON() ([]byte, error) {
	return json.Marshal(projectJSON{p.ID, p.Slug, p.Name, stamp(p.CreatedAt), stamp(p.UpdatedAt), p.Version})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *Project) UnmarshalJSON(b []byte) error {
	var j projectJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = j.value()
	return nil
}

func (j projectJSON) value() Project {
	return Project{j.ID, j.Slug, j.Name, time.Time(j.CreatedAt), time.Time(j.UpdatedAt), j.Version}
}

type metadataJSON struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type identityJSON struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	AuthMethod *string        `json:"authMethod"`
	Metadata   []metadataJSON `json:"metadata"`
	CreatedAt  stamp          `json:"createdAt"`
	UpdatedAt  stamp          `json:"updatedAt"`
	Version    uint64         `json:"version"`
}

// MarshalJSON writes i as {"id", "name", "authMethod", "metadata": [{"key", "value"}],
// "createdAt", "updatedAt", "version"}.
func (i Identity) MarshalJSON() ([]byte, error) {
	md := make([]metadataJSON, len(i.Metadata))
	for k, m := range i.Metadata {
		md[k] = metadataJSON(m)
	}
	return json.Marshal(identityJSON{i.ID, i.Name, nullable(i.AuthMethod), md, stamp(i.CreatedAt), stamp(i.UpdatedAt), i.Version})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (i *Identity) UnmarshalJSON(b []byte) error {
	var j identityJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*i = j.value()
	return nil
}

func (j identityJSON) value() Identity {
	var md []IdentityMetadata
	if j.Metadata != nil {
		md = make([]IdentityMetadata, len(j.Metadata))
		for k, m := range j.Metadata {
			md[k] = IdentityMetadata(m)
		}
	}
	return Identity{j.ID, j.Name, deref(j.AuthMethod), md, time.Time(j.CreatedAt), time.Time(j.UpdatedAt), j.Version}
}

type roleJSON struct {
	ID          string          `json:"id"`
	ProjectID   string          `json:"projectId"`
	Slug        string          `json:"slug"`
	Name        string          `json:"name"`
	Description *string         `json:"description"`
	Permissions json.RawMessage `json:"permissions"`
	CreatedAt   stamp           `json:"createdAt"`
	UpdatedAt   stamp           `json:"updatedAt"`
	Version     uint64          `json:"version"`
}

// MarshalJSON writes r as {"id", "projectId", "slug", "name", "description", "permissions",
// "createdAt", "updatedAt", "version"}, the permissions in the object form.
func (r Role) MarshalJSON() ([]byte, error) {
	perms, err := marshalRules(r.Permissions)
	if err != nil {
		return nil, err
	}
	return json.Marshal(roleJSON{r.ID, r.ProjectID, r.Slug, r.Name, nullable(r.Description), perms, stamp(r.CreatedAt), stamp(r.UpdatedAt), r.Version})
}

// UnmarshalJSON reads what MarshalJSON writes; permissions may also be in the packed form.
// Malformed permissions are reported as ValidationErrors naming each rule.
func (r *Role) UnmarshalJSON(b []byte) error {
	var j roleJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	p := problems{object: KindRole.String()}
	*r = j.value(&p)
	return p.err()
}

func (j roleJSON) value(p *problems) Role {
	return Role{j.ID, j.ProjectID, j.Slug, j.Name, deref(j.Description), parseRules(j.Permissions, p), time.Time(j.CreatedAt), time.Time(j.UpdatedAt), j.Version}
}

type temporaryJSON struct {
	IsTemporary              bool    `json:"isTemporary"`
	TemporaryMode            *string `json:"temporaryMode"`
	TemporaryRange           *string `json:"temporaryRange"`
	TemporaryAccessStartTime *stamp  `json:"temporaryAccessStartTime"`
	TemporaryAccessEndTime   *stamp  `json:"temporaryAccessEndTime"`
}

func (t Temporary) json() temporaryJSON {
	return temporaryJSON{t.IsTemporary, nullable(t.Mode), nullable(t.Range), stampPtr(t.Start), stampPtr(t.End)}
}

func (j temporaryJSON) value() Temporary {
	return Temporary{j.IsTemporary, deref(j.TemporaryMode), deref(j.TemporaryRange), timePtr(j.TemporaryAccessStartTime), timePtr(j.TemporaryAccessEndTime)}
}

type grantJSON struct {
	ID             string  `json:"id"`
	Role           string  `json:"role"`
	CustomRoleID   *string `json:"customRoleId"`
	CustomRoleName *string `json:"customRoleName"`
	CustomRoleSlug *string `json:"customRoleSlug"`
	temporaryJSON
}

// MarshalJSON writes g as {"id", "role", "customRoleId", "customRoleName",
// "customRoleSlug", "isTemporary", "temporaryMode", "temporaryRange",
// "temporaryAccessStartTime", "temporaryAccessEndTime"}.
func (g RoleGrant) MarshalJSON() ([]byte, error) { return json.Marshal(g.json()) }

// UnmarshalJSON reads what MarshalJSON writes.
func (g *RoleGrant) UnmarshalJSON(b []byte) error {
	var j grantJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*g = j.value()
	return nil
}

func (g RoleGrant) json() grantJSON {
	return grantJSON{g.ID, g.Role, nullable(g.CustomRoleID), nullable(g.CustomRoleName), nullable(g.CustomRoleSlug), g.Temporary.json()}
}

func (j grantJSON) value() RoleGrant {
	return RoleGrant{j.ID, j.Role, deref(j.CustomRoleID), deref(j.CustomRoleName), deref(j.CustomRoleSlug), j.temporaryJSON.value()}
}

type membershipJSON struct {
	ID         string      `json:"id"`
	ProjectID  string      `json:"projectId"`
	IdentityID string      `json:"identityId"`
	Roles      []grantJSON `json:"roles"`
	CreatedAt  stamp       `json:"createdAt"`
	UpdatedAt  stamp       `json:"updatedAt"`
	Version    uint64      `json:"version"`
}

// MarshalJSON writes m as {"id", "projectId", "identityId", "roles", "createdAt",
// "updatedAt", "version"}.
func (m Membership) MarshalJSON() ([]byte, error) {
	gs := make([]grantJSON, len(m.Roles))
	for i, g := range m.Roles {
		gs[i] = g.json()
	}
	return json.Marshal(membershipJSON{m.ID, m.ProjectID, m.IdentityID, gs, stamp(m.CreatedAt), stamp(m.UpdatedAt), m.Version})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *Membership) UnmarshalJSON(b []byte) error {
	var j membershipJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*m = j.value()
	return nil
}

func (j membershipJSON) value() Membership {
	var gs []RoleGrant
	if j.Roles != nil {
		gs = make([]RoleGrant, len(j.Roles))
		for i, g := range j.Roles {
			gs[i] = g.value()
		}
	}
	return Membership{j.ID, j.ProjectID, j.IdentityID, gs, time.Time(j.CreatedAt), time.Time(j.UpdatedAt), j.Version}
}

type privilegeJSON struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	temporaryJSON
	CreatedAt   stamp           `json:"createdAt"`
	UpdatedAt   stamp           `json:"updatedAt"`
	IdentityID  string          `json:"identityId"`
	ProjectID   string          `json:"projectId"`
	Permissions json.RawMessage `json:"permissions"`
	Version     uint64          `json:"version"`
}

// MarshalJSON writes p as Infisical's v2 privilege: {"id", "slug", "isTemporary",
// "temporaryMode", "temporaryRange", "temporaryAccessStartTime", "temporaryAccessEndTime",
// "createdAt", "updatedAt", "identityId", "projectId", "permissions", "version"}.
func (p Privilege) MarshalJSON() ([]byte, error) {
	perms, err := marshalRules(p.Permissions)
	if err != nil {
		return nil, err
	}
	return json.Marshal(privilegeJSON{p.ID, p.Slug, p.Temporary.json(), stamp(p.CreatedAt), stamp(p.UpdatedAt), p.IdentityID, p.ProjectID, perms, p.Version})
}

// UnmarshalJSON reads what MarshalJSON writes; permissions may also be in the packed form.
// Malformed permissions are reported as ValidationErrors naming each rule.
func (p *Privilege) UnmarshalJSON(b []byte) error {
	var j privilegeJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	ps := problems{object: KindPrivilege.String()}
	*p = j.value(&ps)
	return ps.err()
}

func (j privilegeJSON) value(p *problems) Privilege {
	return Privilege{j.ID, j.Slug, j.ProjectID, j.IdentityID, parseRules(j.Permissions, p), j.temporaryJSON.value(), time.Time(j.CreatedAt), time.Time(j.UpdatedAt), j.Version}
}

func marshalRules(rs []rules.Rule) (json.RawMessage, error) {
	if len(rs) == 0 {
		return json.RawMessage("[]"), nil
	}
	return rules.Marshal(rs)
}

// parseRules parses a permissions array, reporting each problem under "permissions[i]...".
func parseRules(raw json.RawMessage, p *problems) []rules.Rule {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	rs, err := rules.Parse(raw)
	if err != nil {
		addRuleErrors(p, "permissions", err)
		return nil
	}
	return rs
}

// addRuleErrors adds each *rules.Error in err as a CodePermission problem at
// field[rule].path.
func addRuleErrors(p *problems, field string, err error) {
	var res rules.Errors
	if !errors.As(err, &res) {
		var re *rules.Error
		if !errors.As(err, &re) {
			p.add(field, CodePermission, err, "%v", err)
			return
		}
		res = rules.Errors{re}
	}
	for _, re := range res {
		p.add(ruleField(field, re.Rule, re.Path), CodePermission, re, "%s", ruleMessage(re))
	}
}

func ruleField(field string, rule int, path string) string {
	if rule >= 0 {
		field = fmt.Sprintf("%s[%d]", field, rule)
	}
	switch {
	case path == "":
		return field
	case strings.HasPrefix(path, "["):
		return field + path
	}
	return field + "." + path
}

func ruleMessage(re *rules.Error) string {
	if re.Detail == "" {
		return string(re.Code)
	}
	return string(re.Code) + ": " + re.Detail
}

type snapshotJSON struct {
	Version     uint64       `json:"version"`
	Projects    []Project    `json:"projects"`
	Identities  []Identity   `json:"identities"`
	Roles       []Role       `json:"roles"`
	Memberships []Membership `json:"memberships"`
	Privileges  []Privilege  `json:"privileges"`
}

// MarshalJSON writes s in the snapshot file format (see DecodeSnapshot).
func (s *Snapshot) MarshalJSON() ([]byte, error) {
	j := snapshotJSON{s.Version, s.Projects, s.Identities, s.Roles, s.Memberships, s.Privileges}
	if j.Projects == nil {
		j.Projects = []Project{}
	}
	if j.Identities == nil {
		j.Identities = []Identity{}
	}
	if j.Roles == nil {
		j.Roles = []Role{}
	}
	if j.Memberships == nil {
		j.Memberships = []Membership{}
	}
	if j.Privileges == nil {
		j.Privileges = []Privilege{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a snapshot document like DecodeSnapshot, but ignores unknown keys.
func (s *Snapshot) UnmarshalJSON(b []byte) error {
	snap, err := decodeSnapshot(b, false)
	if err != nil {
		return err
	}
	*s = *snap
	return nil
}

// DecodeSnapshot reads a snapshot document, the JSON form of a Snapshot:
//
//	{
//	  "version": 7,
//	  "projects":    [{"id", "slug", "name", "createdAt", "updatedAt", "version"}],
//	  "identities":  [{"id", "name", "authMethod", "metadata": [{"key", "value"}], ...}],
//	  "roles":       [{"id", "projectId", "slug", "name", "description", "permissions": [...], ...}],
//	  "memberships": [{"id", "projectId", "identityId", "roles": [{"role", "customRoleSlug", "isTemporary", ...}], ...}],
//	  "privileges":  [{"id", "projectId", "identityId", "slug", "permissions": [...], "isTemporary", ...}]
//	}
//
// Every key is optional. Each object has the JSON form of its type. Lists are in creation
// order; that order is kept (it decides the order privileges are assembled in).
//
// DecodeSnapshot checks the form only: JSON syntax, types, and that every key is known. It
// reports every problem it finds as ValidationErrors, each with its location
// ("roles[1].permissions[0].subject"). Whether the state is valid is ValidateSnapshot's
// question.
func DecodeSnapshot(r io.Reader) (*Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return decodeSnapshot(data, true)
}

func decodeSnapshot(data []byte, strict bool) (*Snapshot, error) {
	var top struct {
		Version     uint64            `json:"version"`
		Projects    []json.RawMessage `json:"projects"`
		Identities  []json.RawMessage `json:"identities"`
		Roles       []json.RawMessage `json:"roles"`
		Memberships []json.RawMessage `json:"memberships"`
		Privileges  []json.RawMessage `json:"privileges"`
	}
	all := problems{}
	if err := decodeJSON(data, &top, strict); err != nil {
		all.add("", CodeSyntax, err, "%s", jsonMessage(data, err))
		return nil, all.err()
	}
	s := &Snapshot{Version: top.Version}
	decodeList(top.Projects, "projects", strict, &all, &s.Projects, func(j projectJSON, _ *problems) Project { return j.value() })
	decodeList(top.Identities, "identities", strict, &all, &s.Identities, func(j identityJSON, _ *problems) Identity { return j.value() })
	decodeList(top.Roles, "roles", strict, &all, &s.Roles, roleJSON.value)
	decodeList(top.Memberships, "memberships", strict, &all, &s.Memberships, func(j membershipJSON, _ *problems) Membership { return j.value() })
	decodeList(top.Privileges, "privileges", strict, &all, &s.Privileges, privilegeJSON.value)
	if err := all.err(); err != nil {
		return nil, err
	}
	return s, nil
}

func decodeList[J, T any](raws []json.RawMessage, name string, strict bool, all *problems, out *[]T, conv func(J, *problems) T) {
	if raws == nil {
		return
	}
	*out = make([]T, 0, len(raws))
	for i, raw := range raws {
		p := problems{object: fmt.Sprintf("%s[%d]", name, i)}
		var j J
		if err := decodeJSON(raw, &j, strict); err != nil {
			p.add(jsonField(err), CodeSyntax, err, "%s", jsonMessage(raw, err))
		}
		*out = append(*out, conv(j, &p))
		all.list = append(all.list, p.list...)
	}
}

func decodeJSON(data []byte, v any, strict bool) error {
	d := json.NewDecoder(bytes.NewReader(data))
	if strict {
		d.DisallowUnknownFields()
	}
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// jsonField names the field a decoding error is about, where encoding/json says.
func jsonField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		// encoding/json names the embedded struct that holds the temporary fields.
		return strings.ReplaceAll(te.Field, "temporaryJSON.", "")
	}
	return ""
}

// jsonMessage describes a decoding error, with the line and column of a syntax error.
func jsonMessage(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := 1, 1
		for _, c := range data[:min(int(se.Offset), len(data))] {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return fmt.Sprintf("line %d, column %d: %v", line, col, err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("want %s, got JSON %s", te.Type, te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
