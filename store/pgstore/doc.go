// Package pgstore is warden's PostgreSQL store: several service instances, each with its
// own engine, share one state. It implements store.Store and passes store/storetest, as
// store/memstore does; writes validate with the same store.Validator.
//
//	s, err := pgstore.Open(ctx, "postgres://warden:secret@db:5432/warden")
//	if err != nil { ... }
//	defer s.Close()
//	eng, err := engine.New(ctx, s) // follows every instance's writes through the change feed
//
// It is built on pgx (github.com/jackc/pgx/v5): a connection pool for reads and writes, and
// one more connection, the listener, for the change feed. Every method takes a context.
//
// # Schema
//
// Open creates the tables, or upgrades them, with the migrations embedded in the package
// (migrations/NNNN_name.sql), each applied once, in order, in one transaction that holds an
// advisory lock: several instances may open a database at once. The applied migrations are
// listed in warden_schema_migrations; a database migrated by a newer warden is refused
// (ErrSchemaTooNew). All tables are prefixed warden_, and a database holds one store (the
// notification channel is database-wide):
//
//	warden_state                  one row: the store version
//	warden_changes                one row per change: version, kind, deleted, project_id,
//	                              identity_id, object_id, committed_at
//	warden_projects               id, slug (unique), name
//	warden_identities             id, name, auth_method, metadata (jsonb, [{"key", "value"}])
//	warden_roles                  id, project_id, slug (unique in the project), name,
//	                              description, permissions
//	warden_memberships            id, project_id, identity_id (unique together)
//	warden_membership_roles       id, membership_id, position, role, custom_role_id and the
//	                              five temporary columns (is_temporary, temporary_mode,
//	                              temporary_range, temporary_access_start_time,
//	                              temporary_access_end_time)
//	warden_additional_privileges  id, slug (unique per project and identity), project_id,
//	                              identity_id, permissions, the five temporary columns
//
// The layout follows Infisical's tables (spec §4.1). Every object row also has created_at,
// updated_at, version (of its last change) and created_version (of its creation, which
// orders lists in creation order). Permissions are stored as Infisical stores them: the
// packed form of rules.Pack (["read,edit","secrets",{"environment":"dev"}]), in a json
// column, which keeps the text, and with it the order of condition keys that CASL
// evaluates in. A row written in the packed form by other means is read with rules.Parse,
// which also accepts the object form. IDs and slugs are text in the "C" collation, so they
// sort byte by byte, as memstore sorts them.
//
// # Writes
//
// Each write is one transaction. It first locks the warden_state row, so writes commit one
// at a time, in version order; under that lock it checks the object's version (ErrStale),
// validates with store.Validator reading through the transaction, checks unique keys
// (ErrDuplicate), writes the rows, inserts one warden_changes row per change, sets the
// store version to that of its last change, and notifies (below). A rejected write rolls
// back and changes nothing, not even the version. Versions are a counter in the locked
// row, not a sequence: they have no gaps, and each change has its own, as memstore's. Of
// two concurrent updates of one object from the same version, one commits and the other
// gets ErrStale.
//
// A write takes four round trips: BEGIN; the lock together with every read its checks
// need, which it knows from its input; its rows, changes, version and notification; COMMIT
// (a cascading delete or a role-in-use check adds one). Since writes serialize on the lock,
// their rate is bounded by about three round trips and a commit each: on a 2-core machine
// with the server on it, some hundreds to a thousand writes per second
// (BenchmarkCreatePrivilege). Permission writes are administrative and rare; checks never
// touch the database.
//
// Timestamps come from the database's clock (WithClock replaces it), so that every
// instance stamps with the same one.
//
// # Change feed
//
// Every write notifies the channel warden_changes with the versions of its changes and, if
// it fits in a payload (PostgreSQL's limit is 8000 bytes; about 70 changes), the changes
// themselves: {"from": 12, "to": 13, "changes": [{"k": 5, "d": true, "p": ..., "i": ...,
// "id": ...}, ...]}. PostgreSQL delivers notifications at commit, in commit order. The
// listener needs a session of its own: a pooler in transaction mode (PgBouncer's
// pool_mode=transaction) does not carry LISTEN; point the store at the server or at a
// session-mode pool.
//
// The first Watch (or Sync) starts the store's listener, a connection that LISTENs on the
// channel. It delivers each notification's changes to the watchers in version order;
// changes a notification does not carry are read from warden_changes. Every check interval
// (WithCheckInterval, DefaultCheckInterval by default) the listener also reads the store
// version; a notification whose versions do not follow the last delivered one, or a store
// version above it, means notifications were missed, and the listener reads the missing
// changes from warden_changes and delivers them first. When they are no longer there
// (warden_changes keeps changes for WithChangeRetention, a day by default, and the listener
// prunes older ones), or more than 10 000 are missing, it delivers one Change with Reset
// set instead, and engines reload.
//
// Callbacks run on the listener's goroutine, one change at a time (see Watch). Unlike
// memstore's, the feed is asynchronous: a write returns when it has committed, and the
// watchers of every instance, this one's included, see it a moment later. Sync waits until
// they have.
//
// When the listener's connection breaks (the server restarted, the network failed), it
// logs it, resets the pool's connections, and reconnects by itself, retrying with pauses
// from 50 ms growing to the check interval. Once connected, it LISTENs, reads the store
// version, delivers every change it missed from warden_changes (or a Reset), and only then
// serves notifications again.
//
// # Freshness
//
// Synced reports the feed's freshness as an instant: every change committed before it has
// been delivered and the callbacks for it have returned, so an engine watching the store
// has applied it. The instant is the start of the listener's last successful version check
// or resynchronisation. So the engine never serves a decision older than the last
// successful resync, and while the database is reachable the listener resyncs at least
// every check interval:
//
//	staleness of a decision ≤ time since the last successful resync
//	                        ≤ check interval + the time of one version query (while connected)
//
// In practice a notification delivers a change within a few milliseconds
// (TestPropagation, BenchmarkPropagation); the bound is what holds when notifications are
// lost. After an outage the bound holds again once the listener has reconnected: at most
// one check interval after the server accepts connections, plus the time to read the
// missed changes. During an outage, Synced's instant stays where it was and engines keep
// answering from the state they have; a service that must not decide on older state
// compares time.Since of that instant with its own tolerance (TestRestart checks the bound
// across a restart of the server).
//
// # Testing
//
// The package's tests start a throwaway PostgreSQL cluster of their own (initdb into a
// temporary directory, pg_ctl with a Unix socket in it and no TCP listener), found on PATH
// or in /usr/lib/postgresql/*/bin; without one they skip, saying how to install it (with
// CI=true they fail). As root, they run initdb and pg_ctl as an existing unprivileged user
// ("postgres", else "nobody") that owns the temporary directory.
package pgstore
