// Package policytest runs identity-level policy tests: a store snapshot (projects, identities,
// roles, memberships, privileges) and questions about it with the answers expected. The same
// files run from the command line (`warden test FILE`) and from Go tests (Run).
//
// # File format
//
// A policy test file is one JSON object:
//
//	{
//	  "description": "what this file checks",
//	  "snapshotFile": "../store/snapshot.json",   // or "snapshot": {...} inline
//	  "mode": "deny-overrides",                   // or "ordered"; optional
//	  "at": "2026-01-05T10:00:00Z",               // default instant of the checks; optional
//	  "checks": [
//	    {"name": "CI reads prod app secrets",
//	     "project": "demo", "identity": "ci-deployer",
//	     "action": "readValue", "subject": "secrets",
//	     "resource": {"environment": "prod", "secretPath": "/app/db", "secretName": "DB_URL"},
//	     "at": "2026-01-05T10:00:00Z",
//	     "expect": true}
//	  ]
//	}
//
// The snapshot is in the format of store/memstore's snapshot files (see examples/store); a
// relative snapshotFile is read from the test file's directory. A check names its project
// by slug or ID and its identity by name or ID. Its resource is the object the question is
// about, with CASL's field names (environment, secretPath, secretName, secretTags, ...);
// without a resource, the question is type-level ("may it read some secret?"). Its instant is
// its "at", else the file's "at", else the time the test runs. "expect" is the decision.
package policytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
)

// File is a parsed policy test file.
type File struct {
	Description  string          `json:"description,omitempty"`
	Snapshot     json.RawMessage `json:"snapshot,omitempty"`
	SnapshotFile string          `json:"snapshotFile,omitempty"`
	Mode         string          `json:"mode,omitempty"`
	At           *time.Time      `json:"at,omitempty"`
	Checks       []Check         `json:"checks"`

	dir string // where SnapshotFile is relative to
}

// Check is one question and its expected answer.
type Check struct {
	Name     string          `json:"name,omitempty"`
	Project  string          `json:"project"`
	Identity string          `json:"identity"`
	Action   string          `json:"action"`
	Subject  string          `json:"subject"`
	Resource *rules.Resource `json:"resource,omitempty"`
	At       *time.Time      `json:"at,omitempty"`
	Expect   bool            `json:"expect"`
}

// Detect reports whether data looks like a policy test file: a JSON object with "checks" and
// a snapshot.
func Detect(data []byte) bool {
	var probe struct {
		Checks       json.RawMessage `json:"checks"`
		Snapshot     json.RawMessage `json:"snapshot"`
		SnapshotFile *string         `json:"snapshotFile"`
	}
	return json.Unmarshal(data, &probe) == nil && probe.Checks != nil && (probe.Snapshot != nil || probe.SnapshotFile != nil)
}

// Parse reads a policy test file; dir is the directory a relative snapshotFile is read from.
// Unknown keys are errors, so that a misspelt "expect" cannot pass silently.
func Parse(data []byte, dir string) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("policytest: %w", err)
	}
	if (f.Snapshot == nil) == (f.SnapshotFile == "") {
		return nil, errors.New(`policytest: a file needs exactly one of "snapshot" and "snapshotFile"`)
	}
	if _, err := f.mode(); err != nil {
		return nil, err
	}
	for i, c := range f.Checks {
		var missing []string
		for _, kv := range [][2]string{{"project", c.Project}, {"identity", c.Identity}, {"action", c.Action}, {"subject", c.Subject}} {
			if kv[1] == "" {
				missing = append(missing, kv[0])
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("policytest: checks[%d]: missing %s", i, strings.Join(missing, ", "))
		}
	}
	f.dir = dir
	return &f, nil
}

// Load reads and parses a policy test file.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, filepath.Dir(path))
}

func (f *File) mode() (rules.Mode, error) {
	if f.Mode == "" {
		return rules.DenyOverrides, nil
	}
	m, err := rules.ParseMode(f.Mode)
	if err != nil {
		return 0, fmt.Errorf("policytest: mode: %w", err)
	}
	return m, nil
}

// Failure is a check whose answer differs from the expected one.
type Failure struct {
	Index    int
	Check    Check
	Decision engine.Decision
	Err      error // the check could not be asked (unknown project or identity)
}

func (f Failure) String() string {
	name := f.Check.Name
	if name == "" {
		name = fmt.Sprintf("checks[%d]", f.Index)
	}
	q := fmt.Sprintf("%s %s %s on %s", f.Check.Identity, f.Check.Action, f.Check.Subject, resourceText(f.Check.Resource))
	if f.Err != nil {
		return fmt.Sprintf("%s: %s\n\t%v", name, q, f.Err)
	}
	return fmt.Sprintf("%s: %s\n\twant %s\n\tgot  %s", name, q, verdict(f.Check.Expect), Explain(f.Decision))
}

func resourceText(r *rules.Resource) string {
	if r == nil {
		return "(type-level)"
	}
	b, _ := r.MarshalJSON()
	return string(b)
}

func verdict(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "denied"
}

// Explain renders a decision in one line: the verdict, the deciding rule and where it came
// from, or the error.
func Explain(d engine.Decision) string {
	switch {
	case d.Err != nil:
		return fmt.Sprintf("denied: %v", d.Err)
	case !d.HasRule:
		return "denied: no rule applies"
	}
	return fmt.Sprintf("%s by rule %d %s of %s", verdict(d.Allowed), d.RuleIndex, d.Rule, d.Source)
}

// Result is the outcome of running a file.
type Result struct {
	Passed   int
	Failures []Failure
}

// Run loads the file's snapshot into a fresh in-memory store and asks every check. An error
// means the file could not be run at all (an unreadable or invalid snapshot).
func (f *File) Run() (Result, error) {
	r, err := f.Open()
	if err != nil {
		return Result{}, err
	}
	defer r.Close()
	var res Result
	for i, c := range f.Checks {
		d, err := r.decide(c)
		switch {
		case err != nil:
			res.Failures = append(res.Failures, Failure{Index: i, Check: c, Err: err})
		case d.Allowed == c.Expect:
			res.Passed++
		default:
			res.Failures = append(res.Failures, Failure{Index: i, Check: c, Decision: d})
		}
	}
	return res, nil
}

// Decide asks the i-th check and returns the engine's decision, whatever it expects. The
// error says why it could not be asked (an unreadable snapshot, an unknown name).
func (f *File) Decide(i int) (engine.Decision, error) {
	r, err := f.Open()
	if err != nil {
		return engine.Decision{}, err
	}
	defer r.Close()
	return r.decide(f.Checks[i])
}

// Session is an engine over a file's snapshot that asks the file's checks at their instants.
// Benchmarks use it to time the checks of a policy file.
type Session struct {
	f     *File
	e     *engine.Engine
	ix    *index
	clock *clock
}

// Question is a check resolved against the snapshot: who asks, what, and when.
type Question struct {
	Who      engine.Identity
	Action   string
	Subject  string
	Resource *rules.Resource
	At       time.Time
	Expect   bool
}

// Open loads the file's snapshot into a fresh in-memory store and starts an engine over it.
// Close it when done.
func (f *File) Open() (*Session, error) {
	st, err := f.store()
	if err != nil {
		return nil, err
	}
	mode, err := f.mode()
	if err != nil {
		return nil, err
	}
	s := &Session{f: f, clock: &clock{}}
	if s.e, err = engine.New(context.Background(), st, engine.WithMode(mode), engine.WithClock(s.clock.now)); err != nil {
		return nil, err
	}
	if s.ix, err = newIndex(st); err != nil {
		s.e.Close()
		return nil, err
	}
	return s, nil
}

// Close stops the session's engine.
func (s *Session) Close() { s.e.Close() }

// Engine returns the session's engine. Its clock reads the instant SetTime last set.
func (s *Session) Engine() *engine.Engine { return s.e }

// SetTime sets the instant the engine's clock reads.
func (s *Session) SetTime(t time.Time) { s.clock.t = t }

// Question resolves the i-th check: its identity by name or ID, its instant (the check's
// "at", else the file's, else now).
func (s *Session) Question(i int) (Question, error) {
	c := s.f.Checks[i]
	who, err := s.ix.identity(c.Project, c.Identity)
	if err != nil {
		return Question{}, err
	}
	return Question{Who: who, Action: c.Action, Subject: c.Subject, Resource: c.Resource, At: s.f.instant(c), Expect: c.Expect}, nil
}

// instant is when c is asked: its "at", else the file's, else now.
func (f *File) instant(c Check) time.Time {
	switch {
	case c.At != nil:
		return *c.At
	case f.At != nil:
		return *f.At
	}
	return time.Now()
}

// decide asks c at its instant.
func (s *Session) decide(c Check) (engine.Decision, error) {
	who, err := s.ix.identity(c.Project, c.Identity)
	if err != nil {
		return engine.Decision{}, err
	}
	s.clock.t = s.f.instant(c)
	return s.e.Decide(who, c.Action, c.Subject, c.Resource), nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// store loads the snapshot into a new memstore.
func (f *File) store() (*memstore.Store, error) {
	data := []byte(f.Snapshot)
	if f.SnapshotFile != "" {
		path := f.SnapshotFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(f.dir, path)
		}
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("policytest: snapshot: %w", err)
		}
	}
	st := memstore.New()
	if err := st.Load(bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("policytest: snapshot: %w", err)
	}
	return st, nil
}

// index resolves projects by slug or ID and identities by name or ID.
type index struct {
	projects   map[string]string
	identities map[string][]string
}

func newIndex(st store.Reader) (*index, error) {
	snap, err := st.Snapshot(context.Background())
	if err != nil {
		return nil, err
	}
	ix := &index{projects: map[string]string{}, identities: map[string][]string{}}
	for _, p := range snap.Projects {
		ix.projects[p.ID] = p.ID
		ix.projects[p.Slug] = p.ID
	}
	for _, id := range snap.Identities {
		ix.identities[id.ID] = []string{id.ID}
		if id.Name != id.ID {
			ix.identities[id.Name] = append(ix.identities[id.Name], id.ID)
		}
	}
	return ix, nil
}

func (ix *index) identity(project, identity string) (engine.Identity, error) {
	p, ok := ix.projects[project]
	if !ok {
		return engine.Identity{}, fmt.Errorf("no project with slug or ID %q in the snapshot", project)
	}
	ids := ix.identities[identity]
	switch len(ids) {
	case 0:
		return engine.Identity{}, fmt.Errorf("no identity with name or ID %q in the snapshot", identity)
	case 1:
		return engine.Identity{ProjectID: p, IdentityID: ids[0]}, nil
	}
	return engine.Identity{}, fmt.Errorf("%d identities are named %q; name it by ID", len(ids), identity)
}

// Test runs the policy test file at path as part of a Go test, reporting each failed check
// with t.Errorf:
//
//	func TestPolicies(t *testing.T) { policytest.Test(t, "testdata/policies.json") }
func Test(t testing.TB, path string) {
	t.Helper()
	f, err := Load(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	res, err := f.Run()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, fail := range res.Failures {
		t.Errorf("%s: %s", path, fail)
	}
}
