package engine

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
)

// benchIdentity gives a new identity 3 roles and 2 additional privileges, about 60 rules
// with globs on secretPath, shaped like a real Infisical project.
func benchIdentity(f *fixture, n int) Identity {
	f.t.Helper()
	var roles []store.Role
	for r := 0; r < 3; r++ {
		doc := "["
		for i := 0; i < 10; i++ {
			if i > 0 {
				doc += ","
			}
			doc += fmt.Sprintf(`{"action":["readValue","describeSecret"],"subject":"secrets","conditions":{"environment":%q,"secretPath":{"$glob":"/app-%d/**"}}},`+
				`{"action":["edit","create"],"subject":"secrets","conditions":{"environment":"dev","secretPath":{"$glob":"/app-%d/*/config"}}}`,
				[]string{"dev", "staging", "prod"}[r], i, i)
		}
		doc += `]`
		roles = append(roles, f.role(fmt.Sprintf("role-%d-%d", n, r), doc))
	}
	who := f.identity(fmt.Sprintf("svc-%d", n))
	f.member(who, custom(roles[0]), custom(roles[1]), custom(roles[2]))
	f.privilege(who, "no-root", `[{"action":"readValue","subject":"secrets","inverted":true,"conditions":{"secretName":{"$glob":"ROOT_*"},"secretPath":{"$glob":"/**"}}}]`, store.Temporary{})
	f.privilege(who, "extra", `[{"action":"readValue","subject":"secrets","conditions":{"environment":"prod","secretPath":{"$glob":"/{shared,common}/**"}}}]`, store.Temporary{})
	return who
}

var sink bool

func BenchmarkCan(b *testing.B) {
	f := newFixture(b)
	who := benchIdentity(f, 0)
	e := f.engine()
	checks := []struct {
		name string
		r    *rules.Resource
	}{
		{"hit", secret("prod", "/app-7/db", "DB_PASSWORD")},
		{"miss", secret("prod", "/other/db", "DB_PASSWORD")},
		{"denied", secret("prod", "/app-7/db", "ROOT_TOKEN")},
	}
	for _, c := range checks {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = e.Can(who, "readValue", "secrets", c.r)
			}
		})
	}
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				e.Can(who, "readValue", "secrets", checks[0].r)
			}
		})
	})
}

func BenchmarkRecompile(b *testing.B) {
	f := newFixture(b)
	who := benchIdentity(f, 0)
	e := f.engine()
	en := e.table.Load().get(who)
	in := en.in.Load()
	b.ReportAllocs()
	for b.Loop() {
		compile(in, epoch, rules.DenyOverrides)
	}
}

// populate adds n identities to the fixture, each a member with one of the roles (round
// robin) and the member built-in role.
func populate(f *fixture, n int, roles []store.Role) {
	f.t.Helper()
	for i := 0; i < n; i++ {
		who := f.identity(fmt.Sprintf("bulk-%d", i))
		f.member(who, builtin("member"), custom(roles[i%len(roles)]))
	}
}

// BenchmarkCanLargeStore is BenchmarkCan with 100 000 identities and 10 000 custom roles in
// the store: the cost of a check must not grow with the store.
func BenchmarkCanLargeStore(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a store of 100 000 identities")
	}
	f := newFixture(b)
	who := benchIdentity(f, 0)
	roles := make([]store.Role, 10000)
	for i := range roles {
		roles[i] = f.role(fmt.Sprintf("bulk-role-%d", i), fmt.Sprintf(`[{"action":"readValue","subject":"secrets","conditions":{"environment":"prod","secretPath":{"$glob":"/svc-%d/**"}}}]`, i))
	}
	populate(f, 100000, roles)
	e := f.engine()
	r := secret("prod", "/app-7/db", "DB_PASSWORD")
	b.ResetTimer()
	b.ReportAllocs()
	for b.Loop() {
		sink = e.Can(who, "readValue", "secrets", r)
	}
}

// BenchmarkRoleEdit measures an edit of a custom role held by 10 000 identities: the write,
// and the engine invalidating exactly those identities before the write returns.
func BenchmarkRoleEdit(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a store of 10 000 identities")
	}
	f := newFixture(b)
	shared := f.role("shared", `[{"action":"readValue","subject":"secrets","conditions":{"environment":"dev"}}]`)
	populate(f, 10000, []store.Role{shared})
	e := f.engine()
	_ = e
	envs := []string{"dev", "prod"}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		shared.Permissions, _ = rules.Parse([]byte(fmt.Sprintf(`[{"action":"readValue","subject":"secrets","conditions":{"environment":%q}}]`, envs[i%2])))
		var err error
		if shared, err = f.st.UpdateRole(f.ctx, shared); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkRoleInvalidate measures the engine's part of BenchmarkRoleEdit alone: applying the
// change of a role held by 10 000 identities. The background recompiler runs meanwhile:
//   - back-to-back: one change after the other, so the recompiler always has the holders of
//     the previous change to compile;
//   - settled: each change once the recompiler has compiled every holder of the previous one;
//   - checking: back-to-back while two goroutines check holders' permissions nonstop.
func BenchmarkRoleInvalidate(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a store of 10 000 identities")
	}
	f := newFixture(b)
	shared := f.role("shared", `[{"action":"readValue","subject":"secrets","conditions":{"environment":"dev"}}]`)
	populate(f, 10000, []store.Role{shared})
	e := f.engine()
	shared.Permissions, _ = rules.Parse([]byte(`[{"action":"readValue","subject":"secrets","conditions":{"environment":"prod"}}]`))
	shared, err := f.st.UpdateRole(f.ctx, shared)
	if err != nil {
		b.Fatal(err)
	}
	c := store.Change{Version: shared.Version, Kind: store.KindRole, ProjectID: shared.ProjectID, ID: shared.ID}
	invalidate := func(b *testing.B) {
		e.model.version = 0
		e.model.prep.roles = map[string]*preparedRole{} // prepare the role again, as after an edit
		if err := e.applyChange(f.ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	compiled := func() bool {
		done := true
		e.table.Load().all(func(_ Identity, en *entry) bool {
			if a := en.ab.Load(); a == nil || a.in != en.in.Load() {
				done = false
			}
			return done
		})
		return done
	}
	b.Run("back-to-back", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			invalidate(b)
		}
	})
	b.Run("settled", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			for !compiled() {
				time.Sleep(time.Millisecond)
			}
			b.StartTimer()
			invalidate(b)
		}
	})
	b.Run("checking", func(b *testing.B) {
		var ids []Identity
		e.table.Load().all(func(id Identity, _ *entry) bool {
			ids = append(ids, id)
			return true
		})
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				r := secret("prod", "/", "K")
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					sink = e.Can(ids[i%len(ids)], "readValue", "secrets", r)
				}
			})
		}
		b.ReportAllocs()
		for b.Loop() {
			invalidate(b)
		}
		close(stop)
		wg.Wait()
	})
}
