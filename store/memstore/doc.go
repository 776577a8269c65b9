// Package memstore is warden's embedded store: the whole state in memory, optionally loaded
// from and saved to a JSON file. It implements store.Store and passes store/storetest.
//
//	s := memstore.New()
//	if err := s.LoadFile("snapshot.json"); err != nil { ... }
//	eng, err := engine.New(ctx, s)
//
// # Concurrency
//
// A Store is safe for concurrent use. Reads load an immutable state with one atomic read and
// never wait for writers. Writes are serialized by a mutex; each builds a new state from
// persistent trees (a write copies O(log n) nodes, not the state), validates with
// store.Validator, and publishes the new state atomically, or publishes nothing if it is
// rejected.
//
// # Change feed
//
// Watch delivers changes synchronously: before a write method returns, it has called every
// watcher with the write's changes, on the writer's goroutine, after the new state became
// visible. A program that writes and then checks a permission through an engine watching
// the store therefore sees its write take effect, with no delay to wait out. Watchers must
// not write to the store from the callback. Load delivers one Change with Reset set.
//
// # Snapshot file
//
// Load, LoadFile, Save and SaveFile use the snapshot document of store.DecodeSnapshot: one
// JSON object with "version" and the lists "projects", "identities", "roles",
// "memberships" and "privileges", each in creation order, each object in the JSON shape of
// Infisical's API (store's types document the fields). For example:
//
//	{
//	  "version": 1,
//	  "projects": [{"id": "p1", "slug": "demo", "name": "Demo"}],
//	  "identities": [{"id": "ci", "name": "ci-deployer"}],
//	  "roles": [{"id": "r1", "projectId": "p1", "slug": "reader", "name": "Reader",
//	    "permissions": [{"action": ["describeSecret", "readValue"], "subject": "secrets",
//	      "conditions": {"environment": "prod", "secretPath": {"$glob": "/app/**"}}}]}],
//	  "memberships": [{"projectId": "p1", "identityId": "ci", "roles": [
//	    {"role": "no-access"},
//	    {"role": "reader", "isTemporary": true, "temporaryMode": "relative",
//	     "temporaryRange": "8h", "temporaryAccessStartTime": "2026-01-05T09:00:00.000Z"}]}],
//	  "privileges": []
//	}
//
// A grant names a custom role by "customRoleId", by "customRoleSlug" or by putting the slug
// in "role". IDs, timestamps and versions may be left out; Load fills them in.
// customRoleName, customRoleSlug and temporaryAccessEndTime are computed and need not be
// given. Unknown keys are errors. Load validates the whole document as writes validate
// objects and reports every problem with its location
// ("memberships[0].roles[1].temporaryRange"); a bad document changes nothing. Save writes
// everything, computed fields included, and Load reads it back to the same state.
package memstore
