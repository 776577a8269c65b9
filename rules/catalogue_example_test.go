package rules_test

import (
	"errors"
	"fmt"

	"github.com/wardenhq/warden/rules"
)

func ExampleValidate() {
	rs, _ := rules.Parse([]byte(`[
		{"action": ["read", "readValue"], "subject": "secrets", "conditions": {"secretPath": "app"}},
		{"action": "read", "subject": "role", "inverted": true}
	]`))
	var es rules.Errors
	if errors.As(rules.Validate(rs, nil), &es) {
		for _, e := range es {
			fmt.Printf("rule %d %s: %s\n", e.Rule, e.Path, e.Code)
		}
	}
	// Output:
	// rule 0 action: invalid action combination
	// rule 0 conditions.secretPath: invalid value
	// rule 1 inverted: inverted not allowed
}

func ExampleCatalogue_Register() {
	cat, err := rules.Infisical().Register(rules.SubjectSpec{
		Name:       "invoices",
		Actions:    []string{"read", "approve"},
		Conditions: true,
		Inverted:   true,
		Fields:     []rules.FieldSpec{{Name: "customer", Ops: rules.OpEq | rules.OpIn | rules.OpGlob}},
	})
	if err != nil {
		panic(err)
	}
	rs, _ := rules.Parse([]byte(`[{"action": "approve", "subject": "invoices", "conditions": {"customer": {"$glob": "acme-*"}}}]`))
	fmt.Println(rules.Validate(rs, cat))
	fmt.Println(cat.AllowsOperator("invoices", "customer", "$ne"))
	// Output:
	// <nil>
	// false
}
