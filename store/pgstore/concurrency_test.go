package pgstore

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wardenhq/warden/store"
)

// TestConcurrentWriters runs 8 writers × 200 read-modify-write updates of two shared roles
// through two stores (two pools, as two service instances would), and checks that the final
// state accounts for every accepted update exactly once and for no rejected one: each
// update appends its token to the role's description, so a lost update would drop a token
// and a doubled one repeat it. It also checks that the versions stayed gapless, one per
// accepted update, and that a watcher saw each of them.
func TestConcurrentWriters(t *testing.T) {
	conn := needCluster(t).NewDatabase(t)
	stores := []*Store{open(t, conn), open(t, conn)}
	p, err := stores[0].CreateProject(ctx, store.Project{Slug: "shared", Name: "Shared"})
	if err != nil {
		t.Fatal(err)
	}
	var roles []store.Role
	for _, slug := range []string{"one", "two"} {
		r, err := stores[0].CreateRole(ctx, store.Role{ProjectID: p.ID, Slug: slug, Name: slug})
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, r)
	}
	feed := watchAll(t, stores[1])
	before, _ := stores[0].Version(ctx)

	const writers, updates = 8, 200
	type outcome struct {
		accepted map[string][]string // role ID → tokens
		rejected []string
		err      error
	}
	outcomes := make([]outcome, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[w%2]
			o := outcome{accepted: map[string][]string{}}
			defer func() { outcomes[w] = o }()
			for i := range updates {
				id := roles[(w+i)%2].ID
				r, err := s.Role(ctx, id)
				if err != nil {
					o.err = err
					return
				}
				token := fmt.Sprintf("w%d.%d", w, i)
				r.Description = strings.TrimSpace(r.Description + " " + token)
				switch _, err := s.UpdateRole(ctx, r); {
				case err == nil:
					o.accepted[id] = append(o.accepted[id], token)
				case errors.Is(err, store.ErrStale):
					o.rejected = append(o.rejected, token)
				default:
					o.err = fmt.Errorf("UpdateRole: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()

	total, rejected := 0, 0
	want := map[string][]string{}
	for w, o := range outcomes {
		if o.err != nil {
			t.Fatalf("writer %d: %v", w, o.err)
		}
		for id, tokens := range o.accepted {
			want[id] = append(want[id], tokens...)
			total += len(tokens)
		}
		rejected += len(o.rejected)
	}
	t.Logf("%d updates accepted, %d rejected as stale", total, rejected)
	if total+rejected != writers*updates {
		t.Errorf("%d accepted + %d rejected, want %d", total, rejected, writers*updates)
	}
	for _, r := range roles {
		got, err := stores[0].Role(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		tokens := strings.Fields(got.Description)
		slices.Sort(tokens)
		w := slices.Clone(want[r.ID])
		slices.Sort(w)
		if !slices.Equal(tokens, w) {
			t.Errorf("role %s: description has %d tokens, want the %d accepted ones exactly once", r.Slug, len(tokens), len(w))
		}
		// Every accepted update made one version of the role.
		if got.Version <= r.Version {
			t.Errorf("role %s: version %d", r.Slug, got.Version)
		}
	}
	after, _ := stores[0].Version(ctx)
	if after-before != uint64(total) {
		t.Errorf("the store version moved by %d, want %d (one per accepted update)", after-before, total)
	}
	got := feed.take(t, total, 30*time.Second)
	wantVersions(t, "the watcher", got, before+1)
	perRole := map[string]int{}
	for _, c := range got {
		perRole[c.ID]++
	}
	for _, r := range roles {
		if perRole[r.ID] != len(want[r.ID]) {
			t.Errorf("role %s: %d changes delivered, want %d", r.Slug, perRole[r.ID], len(want[r.ID]))
		}
	}
	var rows int
	if err := stores[0].pool.QueryRow(ctx, `SELECT count(*) FROM warden_changes WHERE version > $1`, int64(before)).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != total {
		t.Errorf("%d rows in the changes table, want %d", rows, total)
	}
}
