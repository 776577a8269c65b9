// Package httpapi serves Infisical's REST endpoints for project roles, identity memberships
// and identity additional privileges over a store.Store and an engine.Engine, so that
// clients written for Infisical (its SDKs, its Terraform provider, curl scripts) can manage
// warden's permissions, and every change is seen by the engine's next check.
//
//	st := memstore.New()
//	e, _ := engine.New(ctx, st)
//	h := httpapi.New(st, e, httpapi.NewStaticTokens(map[string]string{"token": "identity-id"}))
//	http.ListenAndServe("127.0.0.1:8080", h)
//
// Over store/pgstore, whose change feed is asynchronous, the handler waits for the feed
// (pgstore's Sync) after each request that wrote, before answering: over either store, a
// change the client has an answer for is in the engine's next check (see Handler).
//
// # Who may call what
//
// Every request carries "Authorization: Bearer <token>"; an Authenticator maps the token to
// the calling identity (StaticTokens is a fixed map; a service plugs in its own). A missing
// or unknown token is answered with 401.
//
// The handler then authorizes the call with the engine, as Infisical does (spec §7.3), in
// the project the call is about:
//
//   - roles: read, create, edit or delete on "role";
//   - memberships: read on "identity" (each listed membership also needs read with its
//     identityId), create on "identity" to add one, edit with the identityId to change its
//     roles, delete with the identityId to remove it (never one's own);
//   - additional privileges: read with the identityId to read them, edit with the
//     identityId to create, change or delete them.
//
// Granting is bounded: a caller cannot give an identity a role (on membership create or
// update; no-access excepted) or an additional privilege (on create or update) that
// includes anything the caller does not hold. engine.Boundary decides, and refuses what it
// cannot prove (403 PermissionBoundaryError, with details.missingPermissions). Authoring a
// custom role is not bounded, as in Infisical: assignment is where the boundary applies.
//
// # Routes
//
// Additional privileges, v2 (permissions in the v2 form, spec §8.2):
//
//	POST   /api/v2/identity-project-additional-privilege
//	PATCH  /api/v2/identity-project-additional-privilege/{id}
//	DELETE /api/v2/identity-project-additional-privilege/{id}
//	GET    /api/v2/identity-project-additional-privilege/{id}
//	GET    /api/v2/identity-project-additional-privilege/slug/{privilegeSlug}?identityId=&projectSlug=
//	GET    /api/v2/identity-project-additional-privilege?identityId=&projectId=
//
// Additional privileges, v1 (v1 permission objects or privilegePermission, converted to v2
// as Infisical converts them, spec §8.3, §5.3):
//
//	POST   /api/v1/additional-privilege/identity/permanent
//	POST   /api/v1/additional-privilege/identity/temporary
//	PATCH  /api/v1/additional-privilege/identity
//	DELETE /api/v1/additional-privilege/identity
//	GET    /api/v1/additional-privilege/identity/{privilegeSlug}?identityId=&projectSlug=
//	GET    /api/v1/additional-privilege/identity?identityId=&projectSlug=
//
// Project roles (spec §8.4), under /api/v1/projects/{projectId}/roles and
// /api/v2/workspace/{projectId}/roles with v2 permissions, and under
// /api/v1/workspace/{projectSlug}/roles with v1 permissions:
//
//	POST   .../roles
//	PATCH  .../roles/{roleId}
//	DELETE .../roles/{roleId}
//	GET    .../roles
//	GET    .../roles/slug/{roleSlug}
//
// Identity memberships (spec §8.5), under /api/v2/workspace/{projectId}/identity-memberships
// and /api/v1/projects/{projectId}/identity-memberships:
//
//	GET    .../identity-memberships?offset=&limit=
//	GET    .../identity-memberships/{identityId}
//	POST   .../identity-memberships/{identityId}
//	PATCH  .../identity-memberships/{identityId}
//	DELETE .../identity-memberships/{identityId}
//
// Request and response bodies are Infisical's, field for field; times are written as
// JavaScript's toISOString writes them ("2026-01-05T09:00:00.000Z").
//
// # Errors
//
// Every error has Infisical's body, {"reqId", "statusCode", "message", "error",
// "details"}; the request ID is also in the X-Request-Id header.
//
//	400 BadRequest             malformed JSON, an empty body; a service rule: no permanent
//	                           role, incomplete temporary access, an invalid action
//	                           combination or template, neither permissions nor
//	                           privilegePermission, a role still assigned, one's own
//	                           membership deleted
//	401 UnauthorizedError      no bearer token, or one the Authenticator does not know
//	403 PermissionDenied       the caller lacks the action; details: its rules for it
//	403 ProjectMembershipNotFound  the caller is not a member of the project
//	403 PermissionBoundaryError    the grant exceeds the caller; details.missingPermissions
//	404 NotFound               an unknown route, project, role, privilege or membership, or
//	                           an object the body names (an identity, a custom role)
//	409 Conflict               a duplicate (slug, membership) or a concurrent change
//	413 PayloadTooLarge        a body over 1 MiB (WithMaxBodyBytes)
//	415 UnsupportedMediaType   a Content-Type other than application/json
//	422 ValidationFailure      a schema problem: a missing or empty field, a wrong type, an
//	                           unknown field, a bad slug, an invalid permission, a bad
//	                           temporary mode, range or start
//	500 InternalServerError    anything else (logged)
//
// Validation problems are reported all at once: details lists each as {"field", "code",
// "message"}, the field a path into the body or query ("permissions[0].conditions.secretPath"),
// and message joins them. A request with any problem changes nothing.
package httpapi
