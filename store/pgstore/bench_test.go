package pgstore

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wardenhq/warden/engine"
	"github.com/wardenhq/warden/rules"
	"github.com/wardenhq/warden/store"
	"github.com/wardenhq/warden/store/memstore"
)

var sink bool

// benchData gives a new identity 3 custom roles of 20 rules each and 2 additional
// privileges, with globs on secretPath, as engine's BenchmarkCan does.
func benchData(b *testing.B, s store.Store) engine.Identity {
	b.Helper()
	p, err := s.CreateProject(ctx, store.Project{Slug: "bench", Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	id, err := s.CreateIdentity(ctx, store.Identity{Name: "svc"})
	if err != nil {
		b.Fatal(err)
	}
	var grants []store.RoleGrant
	for r, env := range []string{"dev", "staging", "prod"} {
		var doc []string
		for i := range 10 {
			doc = append(doc,
				fmt.Sprintf(`{"action":["readValue","describeSecret"],"subject":"secrets","conditions":{"environment":%q,"secretPath":{"$glob":"/app-%d/**"}}}`, env, i),
				fmt.Sprintf(`{"action":["edit","create"],"subject":"secrets","conditions":{"environment":"dev","secretPath":{"$glob":"/app-%d/*/config"}}}`, i))
		}
		role, err := s.CreateRole(ctx, store.Role{ProjectID: p.ID, Slug: fmt.Sprintf("role-%d", r), Name: env, Permissions: mustRules(b, "["+strings.Join(doc, ",")+"]")})
		if err != nil {
			b.Fatal(err)
		}
		grants = append(grants, store.RoleGrant{Role: store.RoleCustom, CustomRoleID: role.ID})
	}
	if _, err := s.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: id.ID, Roles: grants}); err != nil {
		b.Fatal(err)
	}
	for slug, doc := range map[string]string{
		"no-root": `[{"action":"readValue","subject":"secrets","inverted":true,"conditions":{"secretName":{"$glob":"ROOT_*"},"secretPath":{"$glob":"/**"}}}]`,
		"extra":   `[{"action":"readValue","subject":"secrets","conditions":{"environment":"prod","secretPath":{"$glob":"/{shared,common}/**"}}}]`,
	} {
		if _, err := s.CreatePrivilege(ctx, store.Privilege{ProjectID: p.ID, IdentityID: id.ID, Slug: slug, Permissions: mustRules(b, doc)}); err != nil {
			b.Fatal(err)
		}
	}
	return engine.Identity{ProjectID: p.ID, IdentityID: id.ID}
}

func mustRules(b testing.TB, doc string) []rules.Rule {
	rs, err := rules.Parse([]byte(doc))
	if err != nil {
		b.Fatal(err)
	}
	return rs
}

// BenchmarkCan times the engine's check over pgstore and over memstore with the same data:
// a check never touches the store, so the two should be equally fast.
func BenchmarkCan(b *testing.B) {
	checks := []struct {
		name string
		r    *rules.Resource
	}{
		{"hit", &rules.Resource{Environment: "prod", SecretPath: "/app-7/db", SecretName: "DB_PASSWORD"}},
		{"miss", &rules.Resource{Environment: "prod", SecretPath: "/other/db", SecretName: "DB_PASSWORD"}},
		{"denied", &rules.Resource{Environment: "prod", SecretPath: "/app-7/db", SecretName: "ROOT_TOKEN"}},
	}
	for _, kind := range []string{"memstore", "pgstore"} {
		b.Run(kind, func(b *testing.B) {
			var s store.Store
			if kind == "memstore" {
				s = memstore.New()
			} else {
				s = newStore(b)
			}
			who := benchData(b, s)
			ectx, cancel := context.WithCancel(ctx)
			defer cancel()
			e, err := engine.New(ectx, s)
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			if !e.Can(who, "readValue", "secrets", checks[0].r) || e.Can(who, "readValue", "secrets", checks[2].r) {
				b.Fatal("the fixture does not decide as expected")
			}
			for _, c := range checks {
				b.Run(c.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						sink = e.Can(who, "readValue", "secrets", c.r)
					}
				})
			}
		})
	}
}

// BenchmarkCreatePrivilege measures write throughput: additional privileges created for one
// member, one writer at a time and from 8 goroutines (writes serialize on the version lock).
func BenchmarkCreatePrivilege(b *testing.B) {
	s := newStore(b)
	p, err := s.CreateProject(ctx, store.Project{Slug: "bench", Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	id, err := s.CreateIdentity(ctx, store.Identity{Name: "svc"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.CreateMembership(ctx, store.Membership{ProjectID: p.ID, IdentityID: id.ID, Roles: []store.RoleGrant{{Role: "viewer"}}}); err != nil {
		b.Fatal(err)
	}
	perms := mustRules(b, `[{"action":["readValue","describeSecret"],"subject":"secrets","conditions":{"environment":"prod","secretPath":{"$glob":"/app/**"}}}]`)
	var n atomic.Int64
	create := func() error {
		_, err := s.CreatePrivilege(ctx, store.Privilege{ProjectID: p.ID, IdentityID: id.ID, Slug: fmt.Sprintf("p%d", n.Add(1)), Permissions: perms})
		return err
	}
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			if err := create(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetParallelism(4) // 8 goroutines on 2 cores
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := create(); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
	})
}

// BenchmarkPropagation measures how long a write through one of two instances takes to
// show in the other instance's engine, and reports the median and the 99th percentile. For the p99 over
// 1000 writes: go test -run '^$' -bench Propagation -benchtime 1000x ./store/pgstore
func BenchmarkPropagation(b *testing.B) {
	conn := needCluster(b).NewDatabase(b)
	p := newPropagation(b, open(b, conn), open(b, conn), 20)
	p.alternate = true
	b.ResetTimer()
	lat := p.measure(b, 0, b.N, 2*time.Second)
	b.ReportMetric(float64(percentile(lat, .5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, .99).Microseconds())/1000, "p99-ms")
}
