package rules_test

import (
	"errors"
	"fmt"

	"github.com/wardenhq/warden/rules"
)

func ExampleCompile() {
	rs, err := rules.Parse([]byte(`[
	  {"action": "readValue", "subject": "secrets",
	   "conditions": {"environment": "prod", "secretPath": {"$glob": "/app/**"}}},
	  {"action": "readValue", "subject": "secrets", "inverted": true,
	   "conditions": {"secretName": {"$glob": "ROOT_*"}}}
	]`))
	if err != nil {
		panic(err)
	}
	set, err := rules.Compile(rs) // deny-overrides: a matching forbid always wins
	if err != nil {
		panic(err)
	}
	for _, name := range []string{"DB_PASSWORD", "ROOT_TOKEN"} {
		d := set.Decide("readValue", "secrets", &rules.Resource{Environment: "prod", SecretPath: "/app/db", SecretName: name})
		fmt.Printf("%s: allowed=%t rule=%d\n", name, d.Allowed, d.Rule)
	}
	// A type-level question: may the holder read some secret value at all?
	fmt.Println("type-level:", set.Can("readValue", "secrets", nil))
	// Output:
	// DB_PASSWORD: allowed=true rule=0
	// ROOT_TOKEN: allowed=false rule=1
	// type-level: true
}

func ExampleSet_Decide_error() {
	// CASL throws when a $glob reaches a field the object does not have; warden denies and
	// says why.
	set := rules.MustCompile(mustParse(`[{"action": "read", "subject": "secrets",
	  "conditions": {"secretName": {"$glob": "DB_*"}}}]`))
	d := set.Decide("read", "secrets", &rules.Resource{Environment: "dev", SecretPath: "/"})
	var e *rules.Error
	fmt.Println(d.Allowed, errors.As(d.Err, &e), e.Code, e.Path)
	// Output: false true evaluation error conditions.secretName.$glob
}

func mustParse(doc string) []rules.Rule {
	rs, err := rules.Parse([]byte(doc))
	if err != nil {
		panic(err)
	}
	return rs
}
