-- Sign-in and permissions (issue 5; the brief calls this migration 002_auth0, but 002 and 003 were taken by the
-- shared queue). An account is a users row; the identities that sign in to it are keyed by (issuer, subject), so
-- one account can be reached through several providers once the user links them. Local accounts are the identity
-- ('local', lower-cased email) with an Argon2id hash. legacy_password_sha256 exists only to upgrade accounts
-- imported from the old scheme (unsalted SHA-256): it is accepted once, replaced by an Argon2id hash and cleared.

DROP TABLE users; -- never written before this migration

CREATE TABLE users (
    id                      TEXT PRIMARY KEY,
    display_name            TEXT NOT NULL,
    email                   TEXT,
    email_verified          INTEGER NOT NULL DEFAULT 0,
    avatar_url              TEXT,
    password_hash           TEXT,          -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    legacy_password_sha256  TEXT,          -- hex; only on imported rows until their first sign-in
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
);

CREATE TABLE user_identities (
    issuer          TEXT NOT NULL,         -- the provider's issuer URL, or 'local'
    subject         TEXT NOT NULL,         -- the provider's sub, or the lower-cased email for 'local'
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email           TEXT,
    email_verified  INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX ix_user_identities_user ON user_identities (user_id);

-- A browser sign-in. The cookie names the row; signing out deletes it, and every instance closes its sockets.
CREATE TABLE auth_sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX ix_auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE canvas_members (
    canvas_id   TEXT NOT NULL REFERENCES canvases (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (canvas_id, user_id)
);
CREATE INDEX ix_canvas_members_user ON canvas_members (user_id);

-- Share links: the token is shown once to the owner; only its SHA-256 is kept (it is 256 random bits, so a
-- plain hash is enough: there is nothing to guess).
CREATE TABLE share_links (
    id          TEXT PRIMARY KEY,
    canvas_id   TEXT NOT NULL REFERENCES canvases (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('editor', 'viewer')),
    created_by  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX ix_share_links_canvas ON share_links (canvas_id);

-- Short-lived single-use tickets for WebSocket clients that can send neither a cookie nor a header.
CREATE TABLE ws_tickets (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL
);

-- Failed local sign-ins per key ('account:<email>' or 'address:<ip>'), shared by every instance.
CREATE TABLE login_failures (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  INTEGER NOT NULL,
    locked_until  INTEGER NOT NULL DEFAULT 0
);

-- Changes of access that open sockets must follow (sign-out, removal, role change, revoked link), read by every
-- instance within a second. Old rows are deleted after a minute.
CREATE TABLE access_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    canvas_id   TEXT,
    user_id     TEXT,
    session_id  TEXT,
    link_id     TEXT,
    created_at  INTEGER NOT NULL
);
