package rules

import (
	"fmt"
	"slices"
)

// Resource is the object a check is about: the fields Infisical passes to CASL with the
// subject (spec §3.5). The common fields are typed so that a check allocates nothing; any other
// field goes in Other.
//
// A field is absent when it holds its zero value: an empty string, or a nil slice. CASL tells
// absent fields from empty ones (`$ne` is true on an absent field, `$glob` throws on one, and
// `$all: []` matches an empty list but not an absent one), so:
//
//   - a list field set to a non-nil empty slice (SecretTags: []string{}) is present and empty;
//   - a string field that is present but empty is marked in Empty (Empty: FieldSecretName).
type Resource struct {
	Environment string // environment slug
	SecretPath  string // folder path, e.g. "/app/db"
	SecretName  string // secret key
	SecretTags  []string
	EventType   string

	IdentityID        string
	UserEmail         string
	GroupName         string
	AssignableRole    string
	AssignableSubject string
	AssignableAction  string // "<subject>:<action>"

	ConnectionID string
	Name         string
	Hostname     string
	Metadata     []Metadata // dynamic-secret or certificate metadata

	// Empty marks string fields that are present with the value "".
	Empty FieldSet

	// Other holds fields that have no typed slot above, by name. A Value that is undefined
	// counts as absent.
	Other map[string]Value
}

// Metadata is one key/value pair of a resource's metadata list.
type Metadata struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// A FieldSet is a set of the typed string fields of Resource.
type FieldSet uint32

// The typed fields of Resource, for Resource.Empty.
const (
	FieldEnvironment FieldSet = 1 << iota
	FieldSecretPath
	FieldSecretName
	FieldEventType
	FieldIdentityID
	FieldUserEmail
	FieldGroupName
	FieldAssignableRole
	FieldAssignableSubject
	FieldAssignableAction
	FieldConnectionID
	FieldName
	FieldHostname
)

// fieldID numbers every typed field of Resource; fieldOther is a field looked up in Other.
type fieldID uint8

const (
	fieldOther fieldID = iota
	fieldEnvironment
	fieldSecretPath
	fieldSecretName
	fieldEventType
	fieldIdentityID
	fieldUserEmail
	fieldGroupName
	fieldAssignableRole
	fieldAssignableSubject
	fieldAssignableAction
	fieldConnectionID
	fieldName
	fieldHostname
	fieldSecretTags
	fieldMetadata
)

// fieldNames maps the JSON name of each typed field to its id, in the order of the ids.
var fieldNames = [...]string{
	fieldOther:             "",
	fieldEnvironment:       "environment",
	fieldSecretPath:        "secretPath",
	fieldSecretName:        "secretName",
	fieldEventType:         "eventType",
	fieldIdentityID:        "identityId",
	fieldUserEmail:         "userEmail",
	fieldGroupName:         "groupName",
	fieldAssignableRole:    "assignableRole",
	fieldAssignableSubject: "assignableSubject",
	fieldAssignableAction:  "assignableAction",
	fieldConnectionID:      "connectionId",
	fieldName:              "name",
	fieldHostname:          "hostname",
	fieldSecretTags:        "secretTags",
	fieldMetadata:          "metadata",
}

func lookupField(name string) fieldID {
	for id, n := range fieldNames {
		if id != 0 && n == name {
			return fieldID(id)
		}
	}
	return fieldOther
}

// str returns the value of a typed string field and whether it is present.
func (r *Resource) str(id fieldID) (string, bool) {
	var s string
	switch id {
	case fieldEnvironment:
		s = r.Environment
	case fieldSecretPath:
		s = r.SecretPath
	case fieldSecretName:
		s = r.SecretName
	case fieldEventType:
		s = r.EventType
	case fieldIdentityID:
		s = r.IdentityID
	case fieldUserEmail:
		s = r.UserEmail
	case fieldGroupName:
		s = r.GroupName
	case fieldAssignableRole:
		s = r.AssignableRole
	case fieldAssignableSubject:
		s = r.AssignableSubject
	case fieldAssignableAction:
		s = r.AssignableAction
	case fieldConnectionID:
		s = r.ConnectionID
	case fieldName:
		s = r.Name
	case fieldHostname:
		s = r.Hostname
	}
	return s, s != "" || r.Empty&(1<<(id-1)) != 0
}

// typedPresent reports whether the typed slot id holds a value.
func (r *Resource) typedPresent(id fieldID) bool {
	switch id {
	case fieldOther:
		return false
	case fieldSecretTags:
		return r.SecretTags != nil
	case fieldMetadata:
		return r.Metadata != nil
	}
	_, ok := r.str(id)
	return ok
}

// Get returns the value of the named field as CASL would read it from the object (the
// undefined Value when absent). Typed fields are converted, which allocates for lists; the
// check path does not use Get.
func (r *Resource) Get(name string) Value {
	id := lookupField(name)
	if !r.typedPresent(id) {
		return r.Other[name]
	}
	switch id {
	case fieldSecretTags:
		return Strs(r.SecretTags...)
	case fieldMetadata:
		vs := make([]Value, len(r.Metadata))
		for i, m := range r.Metadata {
			vs[i] = Obj(Member{"key", Str(m.Key)}, Member{"value", Str(m.Value)})
		}
		return List(vs...)
	default:
		s, _ := r.str(id)
		return Str(s)
	}
}

// ResourceFromValue converts a JSON object (as CASL would receive it) into a Resource. Typed
// fields must have their types (strings; a list of strings for secretTags; a list of
// {"key","value"} string objects for metadata); values of other types, and unknown fields, go
// in Other so that evaluation still sees them exactly as written.
func ResourceFromValue(v Value) (Resource, error) {
	var r Resource
	if v.kind != Object {
		return r, fmt.Errorf("rules: a resource is a JSON object, got %s", v.kind)
	}
	for _, m := range v.obj {
		if !r.setTyped(m.Key, m.Value) {
			if r.Other == nil {
				r.Other = make(map[string]Value)
			}
			r.Other[m.Key] = m.Value
		}
	}
	return r, nil
}

// setTyped stores v in the typed slot named key, when there is one and v has its type.
func (r *Resource) setTyped(key string, v Value) bool {
	id := lookupField(key)
	switch id {
	case fieldOther:
		return false
	case fieldSecretTags:
		if v.kind != Array {
			return false
		}
		tags := make([]string, 0, len(v.arr))
		for _, e := range v.arr {
			if e.kind != String {
				return false
			}
			tags = append(tags, e.str)
		}
		r.SecretTags = tags
		return true
	case fieldMetadata:
		if v.kind != Array {
			return false
		}
		md := make([]Metadata, 0, len(v.arr))
		for _, e := range v.arr {
			if e.kind != Object || len(e.obj) != 2 {
				return false
			}
			k, kok := e.Get("key").AsString()
			val, vok := e.Get("value").AsString()
			if !kok || !vok {
				return false
			}
			md = append(md, Metadata{Key: k, Value: val})
		}
		r.Metadata = md
		return true
	}
	s, ok := v.AsString()
	if !ok {
		return false
	}
	switch id {
	case fieldEnvironment:
		r.Environment = s
	case fieldSecretPath:
		r.SecretPath = s
	case fieldSecretName:
		r.SecretName = s
	case fieldEventType:
		r.EventType = s
	case fieldIdentityID:
		r.IdentityID = s
	case fieldUserEmail:
		r.UserEmail = s
	case fieldGroupName:
		r.GroupName = s
	case fieldAssignableRole:
		r.AssignableRole = s
	case fieldAssignableSubject:
		r.AssignableSubject = s
	case fieldAssignableAction:
		r.AssignableAction = s
	case fieldConnectionID:
		r.ConnectionID = s
	case fieldName:
		r.Name = s
	case fieldHostname:
		r.Hostname = s
	}
	if s == "" {
		r.Empty |= 1 << (id - 1)
	}
	return true
}

// Value returns r as the JSON object CASL would receive, typed fields first in declaration
// order, then Other's fields sorted by name.
func (r *Resource) Value() Value {
	var ms []Member
	for id := fieldEnvironment; id <= fieldMetadata; id++ {
		if v := r.Get(fieldNames[id]); !v.IsUndefined() {
			ms = append(ms, Member{fieldNames[id], v})
		}
	}
	keys := make([]string, 0, len(r.Other))
	for k := range r.Other {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if id := lookupField(k); id != fieldOther && r.typedPresent(id) {
			continue // the typed slot wins, as it does in evaluation
		}
		if v := r.Other[k]; !v.IsUndefined() {
			ms = append(ms, Member{k, v})
		}
	}
	return Obj(ms...)
}

// MarshalJSON writes r as the JSON object CASL would receive.
func (r Resource) MarshalJSON() ([]byte, error) { return r.Value().MarshalJSON() }

// UnmarshalJSON reads a JSON object (see ResourceFromValue).
func (r *Resource) UnmarshalJSON(data []byte) error {
	v, err := ParseValue(data)
	if err != nil {
		return fmt.Errorf("rules: resource: %w", err)
	}
	res, err := ResourceFromValue(v)
	if err != nil {
		return err
	}
	*r = res
	return nil
}
