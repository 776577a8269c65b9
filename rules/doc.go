// Package rules reads, checks and evaluates permission rules the way Infisical's backend does:
// CASL rules with MongoDB-like conditions and Infisical's $glob operator.
//
// A rule document is a list of rules (see Parse for the forms accepted). Compile turns it into
// an immutable, indexed Set that answers questions such as "may this identity readValue the
// secret DB_PASSWORD at /app/db in prod?" exactly as CASL 6.5 with picomatch 3.0.1 would,
// and says which rule decided:
//
//	rs, err := rules.Parse([]byte(`[
//	  {"action": "readValue", "subject": "secrets",
//	   "conditions": {"environment": "prod", "secretPath": {"$glob": "/app/**"}}}
//	]`))
//	set, err := rules.Compile(rs)
//	d := set.Decide("readValue", "secrets", &rules.Resource{Environment: "prod", SecretPath: "/app/db"})
//	// d.Allowed == true, d.Rule == 0
//
// # Checking rules before storing them
//
// Compile accepts any subject and action names, as CASL does. Writes go through Validate,
// which checks rules against a Catalogue of subjects, actions, condition fields and operators
// (Infisical's by default; callers may register their own subjects) and reports every problem
// at once.
//
// # Exactness
//
// The package is tested against corpora of decisions made by the reference JavaScript
// libraries (testdata/casl-corpus.json), on the decision, the deciding rule and the presence
// of an error. Where warden is stricter than CASL (it rejects operators it does not evaluate,
// and `$`-keys that are not operators, where CASL silently compares with them), the README's
// compatibility table says so.
package rules
