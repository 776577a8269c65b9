-- warden pgstore schema, version 1.
--
-- Identifiers and slugs use the "C" collation: they compare and sort byte by byte, as
-- memstore sorts them, whatever the database's locale. Permissions are the packed JSON that
-- Infisical stores (rules.Pack) in a json column, not jsonb: json keeps the text as written,
-- and the order of condition keys decides how a condition is evaluated.

-- The store version: one row, updated by every write in its transaction. A writer locks the
-- row first, so writes commit one at a time, in version order, and versions have no gaps.
CREATE TABLE warden_state (
	id      boolean PRIMARY KEY DEFAULT true CHECK (id),
	version bigint  NOT NULL DEFAULT 0 CHECK (version >= 0)
);
INSERT INTO warden_state DEFAULT VALUES;

-- Every change a write commits, one row per version, for watchers that missed a
-- notification. kind is store.Kind (1 project, 2 identity, 3 role, 4 membership,
-- 5 privilege).
CREATE TABLE warden_changes (
	version      bigint      PRIMARY KEY,
	kind         smallint    NOT NULL,
	deleted      boolean     NOT NULL,
	project_id   text        COLLATE "C" NOT NULL,
	identity_id  text        COLLATE "C" NOT NULL,
	object_id    text        COLLATE "C" NOT NULL,
	committed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX warden_changes_committed_at ON warden_changes (committed_at);

-- Every object has the version of its last change (version) and of its creation
-- (created_version), which orders lists in creation order.

CREATE TABLE warden_projects (
	id              text        COLLATE "C" PRIMARY KEY,
	slug            text        COLLATE "C" NOT NULL UNIQUE,
	name            text        NOT NULL,
	created_at      timestamptz NOT NULL,
	updated_at      timestamptz NOT NULL,
	version         bigint      NOT NULL,
	created_version bigint      NOT NULL
);

CREATE TABLE warden_identities (
	id              text        COLLATE "C" PRIMARY KEY,
	name            text        NOT NULL,
	auth_method     text        NOT NULL,
	metadata        jsonb       NOT NULL, -- [{"key": ..., "value": ...}] in order
	created_at      timestamptz NOT NULL,
	updated_at      timestamptz NOT NULL,
	version         bigint      NOT NULL,
	created_version bigint      NOT NULL
);

CREATE TABLE warden_roles (
	id              text        COLLATE "C" PRIMARY KEY,
	project_id      text        COLLATE "C" NOT NULL REFERENCES warden_projects (id),
	slug            text        COLLATE "C" NOT NULL,
	name            text        NOT NULL,
	description     text        NOT NULL,
	permissions     json        NOT NULL, -- packed rules
	created_at      timestamptz NOT NULL,
	updated_at      timestamptz NOT NULL,
	version         bigint      NOT NULL,
	created_version bigint      NOT NULL,
	UNIQUE (project_id, slug)
);

CREATE TABLE warden_memberships (
	id              text        COLLATE "C" PRIMARY KEY,
	project_id      text        COLLATE "C" NOT NULL REFERENCES warden_projects (id),
	identity_id     text        COLLATE "C" NOT NULL REFERENCES warden_identities (id),
	created_at      timestamptz NOT NULL,
	updated_at      timestamptz NOT NULL,
	version         bigint      NOT NULL,
	created_version bigint      NOT NULL,
	UNIQUE (project_id, identity_id)
);
CREATE INDEX warden_memberships_identity ON warden_memberships (identity_id);

-- A membership's role grants, in grant order (position). Rewritten whole on every update,
-- as Infisical re-inserts them.
CREATE TABLE warden_membership_roles (
	id                          text        COLLATE "C" PRIMARY KEY,
	membership_id               text        COLLATE "C" NOT NULL REFERENCES warden_memberships (id) ON DELETE CASCADE,
	position                    integer     NOT NULL,
	role                        text        NOT NULL, -- a built-in slug or "custom"
	custom_role_id              text        COLLATE "C" REFERENCES warden_roles (id),
	is_temporary                boolean     NOT NULL,
	temporary_mode              text,
	temporary_range             text,
	temporary_access_start_time timestamptz,
	temporary_access_end_time   timestamptz,
	UNIQUE (membership_id, position)
);
CREATE INDEX warden_membership_roles_custom_role ON warden_membership_roles (custom_role_id);

CREATE TABLE warden_additional_privileges (
	id                          text        COLLATE "C" PRIMARY KEY,
	slug                        text        COLLATE "C" NOT NULL,
	project_id                  text        COLLATE "C" NOT NULL,
	identity_id                 text        COLLATE "C" NOT NULL,
	permissions                 json        NOT NULL, -- packed rules
	is_temporary                boolean     NOT NULL,
	temporary_mode              text,
	temporary_range             text,
	temporary_access_start_time timestamptz,
	temporary_access_end_time   timestamptz,
	created_at                  timestamptz NOT NULL,
	updated_at                  timestamptz NOT NULL,
	version                     bigint      NOT NULL,
	created_version             bigint      NOT NULL,
	UNIQUE (project_id, identity_id, slug),
	FOREIGN KEY (project_id, identity_id) REFERENCES warden_memberships (project_id, identity_id)
);
CREATE INDEX warden_additional_privileges_order ON warden_additional_privileges (project_id, identity_id, created_version);
