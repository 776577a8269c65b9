package engine

import (
	"testing"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// TestRoleEditKeepsWindowsAndSlug edits a role held permanently, temporarily and both ways,
// and checks the holders' answers and explanations after the edit, in both modes, and that
// identities holding only shareable roles share one compiled set.
func TestRoleEditKeepsWindowsAndSlug(t *testing.T) {
	f := newFixture(t)
	role := f.role("reader", `[{"action":"readValue","subject":"secrets","conditions":{"environment":"dev"}}]`)
	tmp := f.identity("tmp")
	perm := f.identity("perm")
	both := f.identity("both")
	start := epoch.Add(time.Hour)
	f.member(tmp, builtin("no-access"), temporary(custom(role), start, "2h"))
	f.member(perm, builtin("no-access"), custom(role))
	f.member(both, temporary(custom(role), start, "1h"), custom(role))
	f.privilege(perm, "p", `[{"action":"edit","subject":"secrets"}]`, store.Temporary{})
	e := f.engine()
	e2 := f.engine(WithMode(rules.Ordered))
	dev, prod := secret("dev", "/", "K"), secret("prod", "/", "K")
	if e.Can(tmp, "readValue", "secrets", dev) || !e.Can(perm, "readValue", "secrets", dev) || !e.Can(both, "readValue", "secrets", dev) {
		t.Fatal("before the edit: want tmp denied (window not started), perm and both allowed on dev")
	}
	role.Slug = "renamed"
	role.Permissions, _ = rules.Parse([]byte(`[{"action":"readValue","subject":"secrets","conditions":{"environment":"prod"}}]`))
	role, err := f.st.UpdateRole(f.ctx, role)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range []*Engine{e, e2} {
		if en.Can(tmp, "readValue", "secrets", prod) || en.Can(perm, "readValue", "secrets", dev) || !en.Can(perm, "readValue", "secrets", prod) {
			t.Errorf("after the edit (mode %v): want the role to allow prod and no longer dev", en.opts.mode)
		}
		d := en.Decide(perm, "readValue", "secrets", prod)
		if !d.Allowed || d.Source.Slug != "renamed" || d.Source.Temporary || d.Source.Kind != CustomRoleSource {
			t.Errorf("Decide(perm) = %+v, want allowed by the permanent custom role \"renamed\"", d)
		}
	}
	f.clock.set(start)
	d := e.Decide(tmp, "readValue", "secrets", prod)
	if !d.Allowed || d.Source.Slug != "renamed" || !d.Source.Temporary || !d.Source.Window.Start.Equal(start) || !d.Source.Window.End.Equal(start.Add(2*time.Hour)) {
		t.Errorf("Decide(tmp) = %+v, want allowed by \"renamed\" on [start, start+2h)", d)
	}
	d = e.Decide(both, "readValue", "secrets", prod)
	if !d.Allowed || d.Source.Slug != "renamed" || d.Source.Temporary {
		t.Errorf("Decide(both) = %+v, want allowed by the permanent grant of \"renamed\"", d)
	}
	f.clock.set(start.Add(2 * time.Hour))
	if e.Can(tmp, "readValue", "secrets", prod) {
		t.Error("tmp allowed at the end of its window")
	}
	// Sets are shared between identities holding the same shareable roles.
	a1 := e.ability(perm)
	other := f.identity("other")
	f.member(other, builtin("member"), custom(role))
	a2 := e.ability(other)
	third := f.identity("third")
	f.member(third, builtin("member"), custom(role))
	a3 := e.ability(third)
	now := f.clock.now()
	if compile(a2.in, now, rules.DenyOverrides).set != compile(a3.in, now, rules.DenyOverrides).set {
		t.Error("two identities holding the same roles compiled separate sets")
	}
	if a1.set == a2.set {
		t.Error("an identity with an additional privilege shares its set with one without")
	}
}

// TestTemplatedRoleEdit edits a role whose rules are templates: each holder gets the new
// rules filled with its own values.
func TestTemplatedRoleEdit(t *testing.T) {
	f := newFixture(t)
	role := f.role("own", `[{"action":"readValue","subject":"secrets","conditions":{"secretPath":{"$glob":"/u/{{identity.id}}/**"}}}]`)
	a, b := f.identity("a"), f.identity("b")
	f.member(a, custom(role))
	f.member(b, custom(role))
	e := f.engine()
	role.Permissions, _ = rules.Parse([]byte(`[{"action":"readValue","subject":"secrets","conditions":{"secretPath":{"$glob":"/v/{{identity.id}}/**"}}}]`))
	if _, err := f.st.UpdateRole(f.ctx, role); err != nil {
		t.Fatal(err)
	}
	if !e.Can(a, "readValue", "secrets", secret("dev", "/v/"+a.IdentityID+"/x", "K")) || e.Can(a, "readValue", "secrets", secret("dev", "/v/"+b.IdentityID+"/x", "K")) ||
		e.Can(a, "readValue", "secrets", secret("dev", "/u/"+a.IdentityID+"/x", "K")) || !e.Can(b, "readValue", "secrets", secret("dev", "/v/"+b.IdentityID+"/x", "K")) {
		t.Error("after editing a templated role: want each holder allowed under /v/<own id>/ only")
	}
}
