package rules

import (
	"errors"
	"slices"
	"testing"
)

func TestParseForms(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []Rule
	}{
		{"object, single action", `[{"action":"read","subject":"secrets"}]`,
			[]Rule{{Actions: []string{"read"}, Subjects: []string{"secrets"}}}},
		{"object, lists, inverted, reason", `[{"subject":["secrets","secret-imports"],"action":["read","edit"],"inverted":true,"reason":"no"}]`,
			[]Rule{{Actions: []string{"read", "edit"}, Subjects: []string{"secrets", "secret-imports"}, Inverted: true, Reason: "no"}}},
		{"object, null conditions are none", `[{"action":"read","subject":"secrets","conditions":null}]`,
			[]Rule{{Actions: []string{"read"}, Subjects: []string{"secrets"}}}},
		{"packed, two items", `[["read","secrets"]]`,
			[]Rule{{Actions: []string{"read"}, Subjects: []string{"secrets"}}}},
		{"packed, all items", `[["read,edit","secrets,secret-folders",{"environment":"dev"},1,"secretValue","why"]]`,
			[]Rule{{Actions: []string{"read", "edit"}, Subjects: []string{"secrets", "secret-folders"},
				Conditions: Obj(Member{"environment", Str("dev")}), Inverted: true, Fields: []string{"secretValue"}, Reason: "why"}}},
		{"packed, no conditions", `[["read","secrets",0,1]]`,
			[]Rule{{Actions: []string{"read"}, Subjects: []string{"secrets"}, Inverted: true}}},
		{"mixed forms", `[["read","secrets"],{"action":"edit","subject":"secrets","conditions":{}}]`,
			[]Rule{{Actions: []string{"read"}, Subjects: []string{"secrets"}}, {Actions: []string{"edit"}, Subjects: []string{"secrets"}, Conditions: Obj()}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.doc))
			if err != nil {
				t.Fatalf("Parse(%s): %v", tt.doc, err)
			}
			if !slices.EqualFunc(got, tt.want, Rule.Equal) {
				t.Errorf("Parse(%s) = %v, want %v", tt.doc, got, tt.want)
			}
		})
	}
}

func TestParseKeepsKeyOrder(t *testing.T) {
	rs, err := Parse([]byte(`[{"action":"read","subject":"secrets","conditions":{"secretPath":{"$glob":"/a/**","$ne":"/a/b"},"environment":"dev","2":"x","10":"y","1":"z"}}]`))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range rs[0].Conditions.Members() {
		keys = append(keys, m.Key)
	}
	// JavaScript enumerates integer-like keys first, ascending, then the rest as written.
	want := []string{"1", "2", "10", "secretPath", "environment"}
	if !slices.Equal(keys, want) {
		t.Errorf("condition keys = %q, want %q", keys, want)
	}
	var ops []string
	for _, m := range rs[0].Conditions.Get("secretPath").Members() {
		ops = append(ops, m.Key)
	}
	if !slices.Equal(ops, []string{"$glob", "$ne"}) {
		t.Errorf("secretPath operators = %q, want [$glob $ne]", ops)
	}
}

func TestParseDuplicateKeyKeepsFirstPositionLastValue(t *testing.T) {
	v, err := ParseValue([]byte(`{"a":1,"b":2,"a":3}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); got != `{"a":3,"b":2}` {
		t.Errorf("ParseValue = %s, want {\"a\":3,\"b\":2} (as JSON.parse)", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		doc  string
		rule int
		path string
		code ErrorCode
	}{
		{`{`, -1, "", ErrSyntax},
		{`{"action":"read"}`, -1, "", ErrShape},
		{`[5]`, 0, "", ErrShape},
		{`[{"subject":"secrets"}]`, 0, "action", ErrShape},
		{`[{"action":"read"}]`, 0, "subject", ErrShape},
		{`[{"action":5,"subject":"secrets"}]`, 0, "action", ErrType},
		{`[{"action":[],"subject":"secrets"}]`, 0, "action", ErrValue},
		{`[{"action":["read",1],"subject":"secrets"}]`, 0, "action[1]", ErrType},
		{`[{"action":"read","subject":"secrets","conditions":"x"}]`, 0, "conditions", ErrType},
		{`[{"action":"read","subject":"secrets","inverted":"yes"}]`, 0, "inverted", ErrType},
		{`[{"action":"read","subject":"secrets","extra":1}]`, 0, "extra", ErrUnknownKey},
		{`[["read"]]`, 0, "", ErrShape},
		{`[["read","secrets",{},2]]`, 0, "[3] (inverted)", ErrType},
		{`[["read","secrets","x"]]`, 0, "[2] (conditions)", ErrType},
		{`[["", "secrets"]]`, 0, "[0] (actions)", ErrType},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.doc))
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%s) error = %v, want an *Error", tt.doc, err)
			continue
		}
		if e.Rule != tt.rule || e.Path != tt.path || e.Code != tt.code {
			t.Errorf("Parse(%s) error = {Rule: %d, Path: %q, Code: %q}, want {%d, %q, %q}", tt.doc, e.Rule, e.Path, e.Code, tt.rule, tt.path, tt.code)
		}
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	_, err := Parse([]byte(`[{"action":"read","subject":"secrets"},{"action":1,"subject":2},["read"]]`))
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Parse error = %v, want Errors", err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Path)
		if e.Rule == 0 {
			t.Errorf("problem reported for the valid rule 0: %v", e)
		}
	}
	if want := []string{"action", "subject", ""}; !slices.Equal(got, want) {
		t.Errorf("problem paths = %q, want %q", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	corpus := loadCorpus(t, "../testdata/casl-corpus.json")
	for _, c := range corpus.Cases {
		rs := c.rules(t)
		for _, form := range []struct {
			name    string
			marshal func([]Rule) ([]byte, error)
		}{{"Marshal", Marshal}, {"Pack", Pack}} {
			doc, err := form.marshal(rs)
			if err != nil {
				t.Fatalf("case %s: %s: %v", c.ID, form.name, err)
			}
			back, err := Parse(doc)
			if err != nil {
				t.Fatalf("case %s: Parse(%s(rules)): %v\n%s", c.ID, form.name, err, doc)
			}
			if !slices.EqualFunc(back, rs, Rule.Equal) {
				t.Errorf("case %s: Parse(%s(rules)) differs:\n got %v\nwant %v", c.ID, form.name, back, rs)
			}
			// Key order survives too: it decides which conditions are reached.
			for i := range rs {
				if rs[i].HasConditions() && back[i].Conditions.String() != rs[i].Conditions.String() {
					t.Errorf("case %s rule %d: conditions %s after %s, want %s", c.ID, i, back[i].Conditions, form.name, rs[i].Conditions)
				}
			}
		}
	}
}

func TestPackedForm(t *testing.T) {
	rs := []Rule{
		{Actions: []string{"read", "edit"}, Subjects: []string{"secrets"}, Conditions: Obj(Member{"environment", Str("dev")}, Member{"secretPath", Obj(Member{"$glob", Str("/")})})},
		{Actions: []string{"read"}, Subjects: []string{"secret-folders"}, Inverted: true},
		{Actions: []string{"read"}, Subjects: []string{"secrets"}, Conditions: Obj()},
	}
	got, err := Pack(rs)
	if err != nil {
		t.Fatal(err)
	}
	want := `[["read,edit","secrets",{"environment":"dev","secretPath":{"$glob":"/"}}],["read","secret-folders",0,1],["read","secrets",{}]]`
	if string(got) != want {
		t.Errorf("Pack = %s, want %s", got, want)
	}
}
