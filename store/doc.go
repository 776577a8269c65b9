// Package store holds warden's domain model, Infisical's: projects, machine identities,
// custom roles, memberships that grant roles, and identities' additional privileges. It
// defines the narrow Reader the engine needs (a snapshot, a version, a change feed, point
// reads), the Store contract the HTTP API writes through, the validation every store runs
// before it commits (Validator), and the errors they return. store/memstore is the
// embedded store; store/storetest is the conformance suite every Store must pass.
//
// The package knows nothing about compiled rules: permissions are []rules.Rule documents.
//
// # Model
//
// A Project has a globally unique slug. An Identity is an actor; its Name and Metadata feed
// rule templates. A Role is a custom role of one project: a slug unique in the project, a
// name, and permission rules. The built-in roles (admin, member, viewer, no-access,
// cryptographic-operator, ssh-host-bootstrapper) are not stored objects: they are the
// engine's data, and their slugs, with "custom", are reserved (ReservedSlugs).
//
// A Membership puts an identity in a project, at most once per (project, identity), with an
// ordered list of RoleGrants; each grants a built-in role or a custom role of the same
// project, permanently or temporarily. A Privilege is extra rules for one identity in one
// project, permanent or temporary; the identity must be a member. The engine assembles an
// identity's rules from its membership's active grants in order, then its active privileges
// in creation order, which is why every store keeps that order.
//
// Temporary access (Temporary) is Infisical's: mode "relative", a range in the ms grammar
// and a start; the store computes the end as temporal.Range.End(start). Which grants are
// active at an instant is the temporal package's question (Temporary.Grant).
//
// # Versions
//
// A store has a version, 0 when empty. Every change a write commits (a created, updated or
// deleted object) advances it by one, so each change has its own version and the versions
// are consecutive; a write usually makes one change, a cascading delete one per deleted
// object. Each object carries the version of its last change (Version). Updates and
// deletes take the version the caller read and fail with ErrStale if the object has been
// written since: optimistic concurrency with no "don't check" value. The change feed
// (Reader.Watch) reports every change with its version; a gap in the versions is a missed
// change.
//
// # Write rules
//
// Writes validate as Infisical's schemas and services do (Validator has the details):
//
//   - Slugs: 1-64 characters for roles and projects, 1-60 for privileges; lowercase ASCII
//     letters and digits in groups joined by single hyphens ("Slug field can only contain
//     lowercase letters, numbers, and hyphens"); surrounding spaces are trimmed. A custom
//     role may not take a reserved slug ("Please choose a different slug, the slug you have
//     entered is reserved").
//   - Names of projects, identities and roles are required.
//   - Permissions must pass rules.Validate against the store's catalogue (Infisical's by
//     default); each problem names its rule and path, "permissions[2].conditions.secretPath".
//   - A membership's project and identity exist; it has at least one permanent grant
//     ("Identity must have at least one permanent role"); each grant names a built-in role or
//     a custom role of the same project ("One or more custom roles not found"). The store
//     fills customRoleId, customRoleName and customRoleSlug and sets role to "custom".
//   - A temporary grant or privilege has mode "relative", a range ParseRange accepts
//     ("Temporary range must be a positive number") and a start ("Temporary role must have
//     access start time and range"); the store computes temporaryAccessEndTime.
//   - A privilege's identity is a member of its project; its slug is unique for the
//     (project, identity) ("Additional privilege with name x exists").
//   - One membership per (project, identity) ("Identity is already a member"); role slugs
//     unique in a project; project slugs unique.
//   - A role that memberships grant cannot be deleted ("Role is assigned to N identity
//     membership(s). Re-assign membership role(s) to delete this role.", ErrInUse). Deleting
//     a membership deletes the identity's privileges in the project; deleting an identity or
//     a project deletes what belongs to it.
//
// A rejected write changes nothing. Validation problems are reported all at once as
// ValidationErrors, each a *ValidationError naming the object, the field
// ("roles[1].temporaryRange"), a Code and Infisical's message; permission problems wrap the
// *rules.Error. Other failures are an *Error wrapping ErrNotFound, ErrDuplicate, ErrStale
// or ErrInUse; ErrDuplicate and ErrStale both match ErrConflict.
//
// Where Infisical silently drops what it does not understand (unknown condition fields or
// operators), warden rejects it. Infisical generates a privilege slug when none is given;
// so does warden (RandomSlug).
//
// # JSON
//
// Every type marshals to the JSON shape of Infisical's API responses (camelCase names,
// times as "2026-01-02T15:04:05.000Z", permissions in the object form), plus "version". A
// Snapshot marshals to the snapshot document DecodeSnapshot reads and memstore loads and
// saves.
package store
