package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// A Workload is one generated Infisical project: custom roles, identities with their
// membership grants and additional privileges, and the checks to decide. Everything in it is
// a pure function of the size and the seed, except Now, the instant the temporary grants are
// placed around (the engines decide at the real time, so grants are days away from it).
type Workload struct {
	Name      string
	Seed      uint64
	Now       time.Time
	ProjectID string

	Roles      []Role     // custom roles in creation order
	Identities []Identity // in creation order

	// Checks are the questions every engine answers, in the (shuffled) order they are timed.
	Checks []Check

	// Action and Subject are what every check asks: Rules counts, for a typical check, the
	// rules of its identity that apply to this pair (the median over the checks).
	Action, Subject string
	Rules           int

	roleCache map[string][]assembled // see expanded
}

// A Role is a custom project role.
type Role struct {
	ID, Slug string
	Rules    []rules.Rule
}

// An Identity is a machine identity with its membership in the workload's project.
type Identity struct {
	ID, Name   string
	Metadata   []store.IdentityMetadata
	Grants     []Grant     // the membership's roles, in grant order
	Privileges []Privilege // additional privileges, in creation order
}

// A Grant is one role of a membership: a built-in role by slug, or a custom role by its
// index in Workload.Roles.
type Grant struct {
	Builtin string // built-in slug, or "" for a custom role
	Role    int    // index in Workload.Roles when Builtin is ""
	Temp    *Window
}

// A Privilege is an identity's additional privilege.
type Privilege struct {
	Slug  string
	Rules []rules.Rule
	Temp  *Window
}

// A Window is a temporary grant: active from Start for Length, written as Range in the ms
// grammar Infisical stores ("30d").
type Window struct {
	Start  time.Time
	Range  string
	Length time.Duration
}

// Active reports whether a grant with window w (nil: permanent) is active at t. warden
// honours the start time (a grant starting in the future is not yet active).
func (w *Window) Active(t time.Time) bool {
	return w == nil || (!t.Before(w.Start) && t.Before(w.Start.Add(w.Length)))
}

// A Check is one permission question and what the reference evaluator answered when the
// workload was generated.
type Check struct {
	Identity int // index in Workload.Identities
	Action   string
	Subject  string
	Resource rules.Resource
	Kind     CheckKind
	// Floor is the glob the floor row matches for this check: the secretPath pattern of the
	// deciding rule, or of some rule of the identity when no rule decided.
	Floor string
}

// CheckKind says how the reference evaluator decided a check.
type CheckKind uint8

// The kinds of checks. The mix is about 40% hits, 30% misses, 25% denials and a few
// errors.
const (
	Hit   CheckKind = iota // allowed by an allow rule
	Miss                   // no rule applied: denied
	Deny                   // denied by a forbid rule
	Error                  // a condition CASL would throw on was reached: denied
)

var kindNames = [...]string{Hit: "hit", Miss: "miss", Deny: "deny", Error: "error"}

func (k CheckKind) String() string { return kindNames[k] }

// A sizeSpec is the shape of one workload size.
type sizeSpec struct {
	name          string
	identities    int
	roles         int // custom roles in total, big roles included
	rulesPerRole  int // rules of an ordinary custom role, on average
	rolesPerIdent int // custom roles of an ordinary identity
	apps          int // the apps the project's folders are organised in
	heavy         int // identities holding every big role (checks go to them when > 0)
	bigRoles      int // roles of bigRoleRules readValue rules each
	bigRoleRules  int
	privileges    int // one identity in privileges gets each kind of additional privilege
	checks        int // checks in a full run
	quickChecks   int // checks in a quick run
}

// sizes are the workloads, smallest first.
var sizes = []sizeSpec{
	{name: "small", identities: 10, roles: 5, rulesPerRole: 4, rolesPerIdent: 2, apps: 5, privileges: 3, checks: 300, quickChecks: 300},
	{name: "medium", identities: 1000, roles: 200, rulesPerRole: 30, rolesPerIdent: 3, apps: 60, privileges: 4, checks: 2000, quickChecks: 1000},
	// In the large project additional privileges are rarer, as in big organisations, and the
	// quick run has few checks: casbin takes about two seconds for each.
	{name: "large", identities: 100_000, roles: 10_000, rulesPerRole: 8, rolesPerIdent: 2, apps: 2000, privileges: 20,
		heavy: 16, bigRoles: 100, bigRoleRules: 100, checks: 128, quickChecks: 8},
}

func sizeByName(name string) (sizeSpec, bool) {
	for _, s := range sizes {
		if s.name == name {
			return s, true
		}
	}
	return sizeSpec{}, false
}

// The vocabulary of the generated projects.
var (
	envs        = []string{"dev", "staging", "prod"}
	secretNames = []string{"DB_PASSWORD", "DB_USER", "API_KEY", "ROOT_TOKEN", "ROOT_PASSWORD", "PUBLIC_URL", "PUBLIC_KEY", "MASTER_KEY", "STRIPE_KEY", "REDIS_URL"}
	folders     = []string{"db", "config", "cache", "api", "worker"}
)

const (
	benchProject = "proj-bench"
	checkAction  = "readValue"
	checkSubject = "secrets"
)

// Rule-building helpers. Conditions keep the order they are written in, as CASL needs.
func member(k string, v rules.Value) rules.Member { return rules.Member{Key: k, Value: v} }
func eqc(field, v string) rules.Member            { return member(field, rules.Str(v)) }
func opc(field, op string, v rules.Value) rules.Member {
	return member(field, rules.Obj(member(op, v)))
}
func globc(field, pattern string) rules.Member { return opc(field, "$glob", rules.Str(pattern)) }

func rule(inverted bool, actions []string, subject string, conds ...rules.Member) rules.Rule {
	r := rules.Rule{Actions: actions, Subjects: []string{subject}, Inverted: inverted}
	if len(conds) > 0 {
		r.Conditions = rules.Obj(conds...)
	}
	return r
}

var (
	readBoth = []string{"readValue", "describeSecret"}
	readOnly = []string{"readValue"}
	writes   = []string{"edit", "create", "delete"}
)

// gen generates one workload.
type gen struct {
	rng  *rand.Rand
	spec sizeSpec
	w    *Workload
}

func app(n int) string { return fmt.Sprintf("app-%d", n) }

// ordinaryRule returns one rule of an ordinary custom role of app a, shaped like the rules
// of real Infisical projects.
func (g *gen) ordinaryRule(a string) rules.Rule {
	env := envs[g.rng.IntN(len(envs))]
	switch g.rng.IntN(14) {
	case 0:
		return rule(false, readBoth, "secrets", eqc("environment", "dev"), globc("secretPath", "/**"))
	case 1, 2:
		return rule(false, readBoth, "secrets", eqc("environment", env), globc("secretPath", "/"+a+"/**"))
	case 3:
		return rule(false, readOnly, "secrets", eqc("environment", "prod"), globc("secretPath", "/"+a+"/*/db"))
	case 4:
		return rule(false, readBoth, "secrets", opc("environment", "$in", rules.Strs("dev", "staging")), globc("secretPath", "/{"+a+",shared}/**"))
	case 5:
		return rule(false, readOnly, "secrets", eqc("environment", "prod"), eqc("secretPath", "/"+a), globc("secretName", "PUBLIC_*"))
	case 6:
		return rule(true, readOnly, "secrets", eqc("environment", "prod"), globc("secretPath", "/"+a+"/**"), globc("secretName", "ROOT_*"))
	case 7:
		return rule(false, readOnly, "secrets", eqc("environment", "staging"), opc("secretTags", "$in", rules.Strs("team-"+a)), globc("secretPath", "/"+a+"/**"))
	case 8:
		return rule(true, readBoth, "secrets", opc("secretTags", "$in", rules.Strs("pci")), eqc("environment", "prod"))
	case 9:
		return rule(false, writes, "secrets", eqc("environment", "dev"), globc("secretPath", "/"+a+"/**"))
	case 10:
		return rule(false, []string{"read"}, "secret-folders", eqc("environment", env), globc("secretPath", "/"+a+"/**"))
	case 11:
		return rule(false, []string{"read"}, "secret-imports", eqc("environment", env), globc("secretPath", "/"+a+"/**"))
	case 12:
		return rule(false, readOnly, "secrets", eqc("environment", "staging"), globc("secretPath", "/"+a+"/config/**"), eqc("secretName", "API_KEY"))
	default:
		return rule(false, []string{"read", "edit"}, "secret-folders", eqc("environment", "dev"), globc("secretPath", "/"+a+"/**"))
	}
}

// exoticRule returns a rule using what only picomatch and CASL express: an extglob, a
// negated glob, a $ne condition.
func (g *gen) exoticRule(a string) rules.Rule {
	switch g.rng.IntN(3) {
	case 0:
		return rule(false, readOnly, "secrets", eqc("environment", "prod"), globc("secretPath", "/"+a+"/@(db|cache)"))
	case 1:
		return rule(true, readOnly, "secrets", eqc("environment", "prod"), globc("secretPath", "!/{"+a+",shared}/**"))
	default:
		return rule(false, readOnly, "secrets", eqc("environment", "staging"), globc("secretPath", "/"+a+"/**"), opc("secretName", "$ne", rules.Str("MASTER_KEY")))
	}
}

// templateRule returns a rule with a template filled in per identity.
func (g *gen) templateRule() rules.Rule {
	if g.rng.IntN(2) == 0 {
		return rule(false, []string{"readValue", "describeSecret", "edit"}, "secrets", eqc("environment", "dev"), globc("secretPath", "/users/{{identity.username}}/**"))
	}
	return rule(false, readOnly, "secrets", eqc("environment", "staging"), globc("secretPath", "/{{identity.metadata.team}}/**"))
}

// bigRule is rule k of big role b: each big role is a team's set of service grants, so the
// heavy identities holding all of them have bigRoles*bigRoleRules readValue rules.
func (g *gen) bigRule(b, k int) rules.Rule {
	team, svc := fmt.Sprintf("team-%d", b), fmt.Sprintf("svc-%d", k)
	env := envs[k%len(envs)]
	switch {
	case k%20 == 7:
		return rule(true, readOnly, "secrets", eqc("environment", "prod"), globc("secretPath", "/"+team+"/"+svc+"/**"), globc("secretName", "ROOT_*"))
	case k == 50:
		return rule(false, readOnly, "secrets", eqc("environment", "dev"), globc("secretPath", "/**"), globc("secretName", fmt.Sprintf("DEV_%d_*", b)))
	case k%10 < 7:
		return rule(false, readOnly, "secrets", eqc("environment", env), globc("secretPath", "/"+team+"/"+svc+"/**"))
	case k%10 < 9:
		return rule(false, readOnly, "secrets", eqc("environment", env), globc("secretPath", "/"+team+"/"+svc+"/*/db"))
	default:
		return rule(false, readOnly, "secrets", opc("environment", "$in", rules.Strs("dev", "staging")), globc("secretPath", "/{"+team+",shared}/"+svc+"/**"))
	}
}

// window returns a temporary grant window that is expired, active or not yet started at
// now, each with probability 1/3. Every boundary is at least a day from now.
func (g *gen) window() *Window {
	day := 24 * time.Hour
	switch g.rng.IntN(3) {
	case 0:
		return &Window{Start: g.w.Now.Add(-10 * day), Range: "2d", Length: 2 * day}
	case 1:
		return &Window{Start: g.w.Now.Add(-day), Range: "30d", Length: 30 * day}
	default:
		return &Window{Start: g.w.Now.Add(7 * day), Range: "1d", Length: day}
	}
}

// generate builds the workload of one size. quick selects the quick run's check count.
func generate(spec sizeSpec, seed uint64, now time.Time, quick bool) *Workload {
	w := &Workload{Name: spec.name, Seed: seed, Now: now.UTC().Truncate(time.Millisecond), ProjectID: benchProject,
		Action: checkAction, Subject: checkSubject}
	g := &gen{rng: rand.New(rand.NewPCG(seed, uint64(len(spec.name))*0x9e3779b97f4a7c15)), spec: spec, w: w}

	// Big roles first, then ordinary roles; about one in ten ordinary roles has an exotic
	// rule and one in sixteen a template.
	for b := 0; b < spec.bigRoles; b++ {
		r := Role{ID: fmt.Sprintf("role-big-%03d", b), Slug: fmt.Sprintf("big-%d", b)}
		for k := 0; k < spec.bigRoleRules; k++ {
			r.Rules = append(r.Rules, g.bigRule(b, k))
		}
		w.Roles = append(w.Roles, r)
	}
	for i := spec.bigRoles; i < spec.roles; i++ {
		a := app(i % spec.apps)
		r := Role{ID: fmt.Sprintf("role-%05d", i), Slug: fmt.Sprintf("role-%d", i)}
		n := spec.rulesPerRole/2 + g.rng.IntN(spec.rulesPerRole+1)
		for k := 0; k < n; k++ {
			r.Rules = append(r.Rules, g.ordinaryRule(a))
		}
		if g.rng.IntN(10) == 0 {
			r.Rules = slices.Insert(r.Rules, g.rng.IntN(len(r.Rules)+1), g.exoticRule(a))
		}
		if g.rng.IntN(16) == 0 {
			r.Rules = append(r.Rules, g.templateRule())
		}
		w.Roles = append(w.Roles, r)
	}

	ordinary := spec.roles - spec.bigRoles
	for i := 0; i < spec.identities; i++ {
		id := Identity{ID: fmt.Sprintf("id-%06d", i), Name: fmt.Sprintf("svc-%d", i)}
		heavy := i < spec.heavy
		base := "no-access"
		if !heavy && g.rng.IntN(30) == 0 {
			base = "viewer"
		}
		id.Grants = append(id.Grants, Grant{Builtin: base})
		if heavy {
			for b := 0; b < spec.bigRoles; b++ {
				id.Grants = append(id.Grants, Grant{Role: b})
			}
		}
		n := spec.rolesPerIdent
		if heavy {
			n = 1
		}
		picked := map[int]bool{}
		for len(picked) < min(n, ordinary) {
			r := spec.bigRoles + g.rng.IntN(ordinary)
			if picked[r] {
				continue
			}
			picked[r] = true
			gr := Grant{Role: r}
			if g.rng.IntN(7) == 0 {
				gr.Temp = g.window()
			}
			id.Grants = append(id.Grants, gr)
		}
		last := id.Grants[len(id.Grants)-1].Role // an ordinary role: its team is the identity's
		id.Metadata = []store.IdentityMetadata{{Key: "team", Value: app(last % spec.apps)}}
		myApp := id.Metadata[0].Value
		if g.rng.IntN(spec.privileges) == 0 {
			id.Privileges = append(id.Privileges, Privilege{Slug: "no-root", Rules: []rules.Rule{
				rule(true, readOnly, "secrets", globc("secretName", "ROOT_*"), globc("secretPath", "/**")),
			}})
		}
		if g.rng.IntN(2*spec.privileges) == 0 {
			id.Privileges = append(id.Privileges, Privilege{Slug: "oncall", Temp: g.window(), Rules: []rules.Rule{
				rule(false, readBoth, "secrets", eqc("environment", "prod"), globc("secretPath", "/"+myApp+"/**")),
			}})
		}
		w.Identities = append(w.Identities, id)
	}

	n := spec.checks
	if quick {
		n = spec.quickChecks
	}
	g.checks(n)
	return w
}

// StoredRules is the number of rules the project stores: every custom role's and every
// additional privilege's (built-in roles are data of the engines).
func (w *Workload) StoredRules() int {
	n := 0
	for _, r := range w.Roles {
		n += len(r.Rules)
	}
	for _, id := range w.Identities {
		for _, p := range id.Privileges {
			n += len(p.Rules)
		}
	}
	return n
}

// checks generates n checks: candidates aimed at a rule of the identity (so that they hit
// or are denied) or at random places (so that they mostly miss), decided by the reference
// evaluator, then drawn to the target mix of kinds and shuffled.
func (g *gen) checks(n int) {
	w := g.w
	ref := newReference(w)
	var pool [4][]Check
	pick := func() int {
		if g.spec.heavy > 0 {
			return g.rng.IntN(g.spec.heavy)
		}
		return g.rng.IntN(len(w.Identities))
	}
	for tries := 0; tries < 8*n && (len(pool[Hit]) < n || len(pool[Miss]) < n || len(pool[Deny]) < n || len(pool[Error]) < n/20+1); tries++ {
		i := pick()
		c := Check{Identity: i, Action: w.Action, Subject: w.Subject, Resource: g.resource(ref.bucket(i, w.Action, w.Subject))}
		d := ref.decide(i, c.Action, c.Subject, &c.Resource)
		c.Kind = d.kind
		c.Floor = ref.floorPattern(i, c.Action, c.Subject, d.rule)
		if len(pool[c.Kind]) < n {
			pool[c.Kind] = append(pool[c.Kind], c)
		}
	}
	want := [4]int{Hit: n * 40 / 100, Deny: n * 25 / 100, Error: n * 3 / 100}
	if g.spec.heavy > 0 {
		want[Error] = 0 // the large workload's checks all carry a secret name
	}
	want[Miss] = n - want[Hit] - want[Deny] - want[Error]
	var out []Check
	short := 0
	for k := range pool {
		take := min(want[k], len(pool[k]))
		short += want[k] - take
		out = append(out, pool[k][:take]...)
		pool[k] = pool[k][take:]
	}
	for k := 0; short > 0 && k < len(pool); k++ { // fill up from whatever is left
		take := min(short, len(pool[k]))
		out = append(out, pool[k][:take]...)
		short -= take
	}
	g.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	w.Checks = out
	var counts []int
	for _, c := range out {
		counts = append(counts, ref.bucketLen(c.Identity, c.Action, c.Subject))
	}
	slices.Sort(counts)
	if len(counts) > 0 {
		w.Rules = counts[len(counts)/2]
	}
}

// resource makes the resource of one candidate check. With probability 2/3 it aims at one
// of the rules (of the identity's rules that apply to the check), else at a random place.
func (g *gen) resource(bucket []*assembled) rules.Resource {
	r := rules.Resource{
		Environment: envs[g.rng.IntN(len(envs))],
		SecretName:  secretNames[g.rng.IntN(len(secretNames))],
	}
	if g.spec.heavy > 0 {
		r.SecretPath = fmt.Sprintf("/team-%d/svc-%d", g.rng.IntN(g.spec.bigRoles), g.rng.IntN(g.spec.bigRoleRules))
	} else {
		r.SecretPath = "/" + app(g.rng.IntN(g.spec.apps))
	}
	if g.rng.IntN(2) == 0 {
		r.SecretPath += "/" + folders[g.rng.IntN(len(folders))]
	}
	switch g.rng.IntN(8) {
	case 0:
		r.SecretTags = []string{"pci"}
	case 1:
		r.SecretTags = []string{"team-" + app(g.rng.IntN(max(g.spec.apps, 1)))}
	}
	if len(bucket) > 0 && g.rng.IntN(3) != 0 {
		g.aim(&r, bucket[g.rng.IntN(len(bucket))].rule)
	}
	if g.rng.IntN(50) == 0 { // a folder whose name starts with a dot
		r.SecretPath = strings.TrimSuffix(r.SecretPath, "/") + "/.internal"
	}
	if g.spec.heavy == 0 && g.rng.IntN(30) == 0 {
		r.SecretName = "" // a folder-level question: no secret name
	}
	return r
}

// aim changes r so that it satisfies the conditions of rule (when the generator knows how).
func (g *gen) aim(r *rules.Resource, rl rules.Rule) {
	for _, m := range rl.Conditions.Members() {
		v := m.Value
		op := "$eq"
		if v.Kind() == rules.Object && len(v.Members()) == 1 {
			op, v = v.Members()[0].Key, v.Members()[0].Value
		}
		switch m.Key {
		case "environment":
			if s := g.pickValue(op, v); s != "" {
				r.Environment = s
			}
		case "secretPath":
			if s := g.pickValue(op, v); s != "" {
				r.SecretPath = s
			}
		case "secretName":
			if s := g.pickValue(op, v); s != "" {
				r.SecretName = s
			}
		case "secretTags":
			if s := g.pickValue(op, v); s != "" {
				r.SecretTags = []string{s}
			}
		}
	}
}

// pickValue returns a value satisfying the operator op with operand v, or "" to leave the
// field as it is.
func (g *gen) pickValue(op string, v rules.Value) string {
	switch op {
	case "$in":
		s, _ := v.Index(g.rng.IntN(v.Len())).AsString()
		return s
	case "$glob":
		s, _ := v.AsString()
		return g.instantiate(s)
	case "$eq":
		s, _ := v.AsString()
		return s
	}
	return ""
}

// instantiate returns a string matching a pattern of the shapes the generator writes:
// literal segments, "*", "**", "{a,b}" and "@(a|b)" segments, "PREFIX_*" names. A negated
// pattern gets a random path (which mostly matches it).
func (g *gen) instantiate(p string) string {
	if strings.HasPrefix(p, "{{") || strings.Contains(p, "{{") {
		return "" // a template: the generator does not know the identity's values here
	}
	if strings.HasPrefix(p, "!") {
		return "/" + app(g.rng.IntN(max(g.spec.apps, 1))) + "/" + folders[g.rng.IntN(len(folders))]
	}
	if !strings.HasPrefix(p, "/") { // a secret name glob such as ROOT_*
		return strings.ReplaceAll(p, "*", []string{"TOKEN", "PASSWORD", "KEY"}[g.rng.IntN(3)])
	}
	var out []string
	for _, seg := range strings.Split(p[1:], "/") {
		switch {
		case seg == "**":
			for k := g.rng.IntN(3); k > 0; k-- {
				out = append(out, folders[g.rng.IntN(len(folders))])
			}
		case seg == "*":
			out = append(out, folders[g.rng.IntN(len(folders))])
		case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}"):
			alts := strings.Split(seg[1:len(seg)-1], ",")
			out = append(out, alts[g.rng.IntN(len(alts))])
		case strings.HasPrefix(seg, "@(") && strings.HasSuffix(seg, ")"):
			alts := strings.Split(seg[2:len(seg)-1], "|")
			out = append(out, alts[g.rng.IntN(len(alts))])
		default:
			out = append(out, seg)
		}
	}
	return "/" + strings.Join(out, "/")
}
