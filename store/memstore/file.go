package memstore

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wardenhq/warden/store"
)

// Load replaces the whole state with the snapshot document read from r (the format is in
// the package documentation and store.DecodeSnapshot).
//
// Load checks the document as writes check objects, with store.DecodeSnapshot and then
// Validator.Snapshot, and reports every problem at once with its location, e.g.
// "memberships[2].roles[0].customRoleSlug", as store.ValidationErrors (ErrInvalid). A
// document with any problem changes nothing.
//
// Objects keep their IDs, timestamps and versions from the document; a missing ID becomes a
// random UUID, a missing createdAt the store's clock, a missing updatedAt the createdAt, a
// missing version the store's new version. The store's new version is the largest of its
// old version plus one, the document's "version" and every object's version, so it never
// goes back. Watchers receive one Change with Reset set, at the new version (Load is the one
// write that may advance the version by more than its changes).
func (s *Store) Load(r io.Reader) error {
	snap, err := store.DecodeSnapshot(r)
	if err != nil {
		return err
	}
	snap, err = s.validator.Snapshot(snap)
	if err != nil {
		return err
	}
	return s.write(context.Background(), func(tx *txn) error {
		v := max(tx.next(), snap.Version)
		for _, p := range snap.Projects {
			v = max(v, p.Version)
		}
		for _, i := range snap.Identities {
			v = max(v, i.Version)
		}
		for _, r := range snap.Roles {
			v = max(v, r.Version)
		}
		for _, m := range snap.Memberships {
			v = max(v, m.Version)
		}
		for _, p := range snap.Privileges {
			v = max(v, p.Version)
		}
		tx.st = state{}
		stampObj := func(created, updated *time.Time, version *uint64) {
			if created.IsZero() {
				*created = tx.now
			}
			if updated.IsZero() {
				*updated = *created
			}
			if *version == 0 {
				*version = v
			}
		}
		for _, p := range snap.Projects {
			stampObj(&p.CreatedAt, &p.UpdatedAt, &p.Version)
			tx.st.projects = tx.st.projects.Set(p.ID, &rec[store.Project]{p, tx.nextSeq()})
			tx.st.projectSlugs = tx.st.projectSlugs.Set(p.Slug, p.ID)
		}
		for _, i := range snap.Identities {
			stampObj(&i.CreatedAt, &i.UpdatedAt, &i.Version)
			tx.st.identities = tx.st.identities.Set(i.ID, &rec[store.Identity]{i, tx.nextSeq()})
		}
		for _, r := range snap.Roles {
			stampObj(&r.CreatedAt, &r.UpdatedAt, &r.Version)
			tx.st.roles = tx.st.roles.Set(r.ID, &rec[store.Role]{r, tx.nextSeq()})
			tx.st.roleSlugs = tx.st.roleSlugs.Set(key(r.ProjectID, r.Slug), r.ID)
		}
		for _, m := range snap.Memberships {
			stampObj(&m.CreatedAt, &m.UpdatedAt, &m.Version)
			tx.putMembership(m, tx.nextSeq(), nil)
		}
		for _, p := range snap.Privileges {
			stampObj(&p.CreatedAt, &p.UpdatedAt, &p.Version)
			tx.putPrivilege(p, tx.nextSeq())
		}
		// The puts recorded a change each; Load reports one Reset instead.
		tx.version = v
		tx.changes = []store.Change{{Version: v, Reset: true}}
		return nil
	})
}

// LoadFile is Load from the named file.
func (s *Store) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return s.Load(f)
}

// Save writes the whole state, at one version, as an indented snapshot document that Load
// reads back to the same state.
func (s *Store) Save(w io.Writer) error {
	b, err := json.MarshalIndent(s.cur.Load().snapshot(), "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// SaveFile is Save to the named file. It writes a temporary file in the same directory and
// renames it, so the file is replaced whole or not at all.
func (s *Store) SaveFile(path string) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = s.Save(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
