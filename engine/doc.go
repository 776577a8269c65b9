// Package engine decides whether an identity may do something in a project, exactly as
// Infisical's backend would, from the roles, memberships and additional privileges of a
// store.
//
// # Assembly
//
// For an identity in a project, the engine takes the membership's role grants in order, then
// the identity's additional privileges in creation order, keeping those active at the instant
// of the check (a temporary grant is active on [start, start+range)). Each grant contributes
// its rules: a built-in role's (admin, member, viewer, no-access, cryptographic-operator; see
// BuiltinRole) or a custom role's or privilege's as stored. Forbid rules on a newer action
// also forbid the legacy action that covers it (a forbid of readValue also forbids read), and
// the templates {{identity.id}}, {{identity.username}} and {{identity.metadata.KEY}} inside
// conditions are filled in with the identity's values. The resulting list is compiled with
// the package rules in the engine's precedence mode (deny-overrides by default).
//
// An identity with no membership in the project is denied everything, and so is one whose
// membership names a role the engine does not know; Decision.Err says why.
//
// # Checks
//
// Can and Decide take no lock, do no I/O and, for a compiled identity, allocate nothing.
// Each identity's compiled rules are cached until its next temporal boundary (a grant
// starting or ending) or until a store change affects it; a check outside the cached span
// recompiles from memory first, so a grant is never used outside its window.
package engine
