-- The whole schema of the PostgreSQL backend, ported from the SQLite migrations 001-010 as they stand (the SQLite
-- history of dropped and altered tables is not replayed). Times are timestamptz; counts and seqs are bigint; JSON
-- that the server only stores and hands back stays bytea/text, byte for byte as the server wrote it.
-- Not ported, because they exist only for processes sharing one SQLite file: presence, access_events, instances and
-- leases (between hosts, presence travels over Redis and is never stored; access events: 003).

CREATE TABLE users (
    id                      text PRIMARY KEY,
    display_name            text NOT NULL,
    email                   text,
    email_verified          boolean NOT NULL DEFAULT false,
    avatar_url              text,
    password_hash           text,          -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    legacy_password_sha256  text,          -- hex; only on imported rows until their first sign-in
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL
);

-- The ways to sign in to an account: a provider's (issuer, subject), or ('local', the lower-cased email).
CREATE TABLE user_identities (
    issuer          text NOT NULL,
    subject         text NOT NULL,
    user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email           text,
    email_verified  boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX ix_user_identities_user ON user_identities (user_id);

-- A browser sign-in. The cookie names the row; signing out deletes it, and every instance closes its sockets.
CREATE TABLE auth_sessions (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX ix_auth_sessions_user ON auth_sessions (user_id);
CREATE INDEX ix_auth_sessions_expiry ON auth_sessions (expires_at);

-- Short-lived single-use tickets for WebSocket clients that can send neither a cookie nor a header. session_id is
-- the browser sign-in that minted it (null for a bearer token): ending the sign-in takes its unused tickets.
CREATE TABLE ws_tickets (
    token_hash         text PRIMARY KEY,
    user_id            text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id         text REFERENCES auth_sessions (id) ON DELETE CASCADE,
    credentials_until  timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL
);
CREATE INDEX ix_ws_tickets_session ON ws_tickets (session_id);
CREATE INDEX ix_ws_tickets_user ON ws_tickets (user_id);
CREATE INDEX ix_ws_tickets_expiry ON ws_tickets (expires_at);

-- Failed local sign-ins per key ('account:<email>' or 'address:<ip>'), shared by every instance.
CREATE TABLE login_failures (
    key           text PRIMARY KEY,
    failures      integer NOT NULL,
    window_start  timestamptz NOT NULL,
    locked_until  timestamptz
);

-- open_to_signed_in: canvases made before sign-in existed are open to every signed-in user (SQLite migration 006);
-- an import from SQLite carries the flag, a canvas made here never has it.
CREATE TABLE canvases (
    id                 text PRIMARY KEY,
    name               text NOT NULL,
    theme              text,
    open_to_signed_in  boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

CREATE TABLE canvas_members (
    canvas_id   text NOT NULL REFERENCES canvases (id) ON DELETE CASCADE,
    user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (canvas_id, user_id)
);
CREATE INDEX ix_canvas_members_user ON canvas_members (user_id);

-- Every addition by email is an invitation, whether or not an account has the address (no oracle); it becomes a
-- membership when an account with this verified email signs in or comes to the canvas.
CREATE TABLE canvas_invitations (
    id          text PRIMARY KEY,
    canvas_id   text NOT NULL REFERENCES canvases (id) ON DELETE CASCADE,
    email       text NOT NULL,         -- trimmed and lower-cased
    role        text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    invited_by  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    UNIQUE (canvas_id, email)
);
CREATE INDEX ix_canvas_invitations_email ON canvas_invitations (email);
CREATE INDEX ix_canvas_invitations_inviter ON canvas_invitations (invited_by);

-- Share links: the token is shown once to the owner; only its SHA-256 is kept (256 random bits: nothing to guess).
CREATE TABLE share_links (
    id          text PRIMARY KEY,
    canvas_id   text NOT NULL REFERENCES canvases (id) ON DELETE CASCADE,
    token_hash  text NOT NULL UNIQUE,
    role        text NOT NULL CHECK (role IN ('editor', 'viewer')),
    created_by  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX ix_share_links_canvas ON share_links (canvas_id);
CREATE INDEX ix_share_links_creator ON share_links (created_by);

-- The canvas log. seq is per canvas: canvas_heads holds each canvas's last seq, and an append takes the next one by
-- updating its head row inside the appending transaction. The row lock orders the appends of one canvas, so seq
-- order is commit order per canvas, and a seq is never handed out twice (the head outlives pruned rows).
CREATE TABLE canvas_heads (
    canvas_id  text PRIMARY KEY,
    seq        bigint NOT NULL
);

CREATE TABLE canvas_log (
    canvas_id   text NOT NULL,
    seq         bigint NOT NULL,
    client_id   text NOT NULL,         -- with ref, identifies a batch so that a resend is not applied twice
    ref         text NOT NULL,
    actor       text NOT NULL,         -- the user id of the sender
    ops         bytea NOT NULL,        -- the batch's ops, canonical JSON in UTF-8, as the server wrote it
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (canvas_id, seq),
    UNIQUE (canvas_id, client_id, ref)
);
CREATE INDEX ix_canvas_log_created ON canvas_log (created_at);

-- Snapshots: each holds every batch of its canvas up to and including seq.
CREATE TABLE canvas_snapshots (
    canvas_id   text PRIMARY KEY,
    seq         bigint NOT NULL,
    objects     bytea NOT NULL,        -- { id: { props } }, JSON in UTF-8
    pruned_seq  bigint NOT NULL DEFAULT 0, -- log rows up to this seq may be gone; an older `since` gets the full state
    updated_at  timestamptz NOT NULL
);

-- AI commands: one row per command run, counted for the per-user hourly limit and holding its cost.
CREATE TABLE ai_commands (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        text NOT NULL,
    canvas_id      text NOT NULL,
    created_at     timestamptz NOT NULL,
    interpreter    text NOT NULL DEFAULT 'pending', -- builtin, claude, or claude->builtin (fell back)
    model          text,
    input_tokens   bigint NOT NULL DEFAULT 0,
    output_tokens  bigint NOT NULL DEFAULT 0,
    cost_usd       numeric NOT NULL DEFAULT 0
);
CREATE INDEX ix_ai_commands_user ON ai_commands (user_id, created_at);

-- AI previews waiting for their requester (kept here so that the accept may reach any instance).
CREATE TABLE ai_previews (
    id          text PRIMARY KEY,      -- random: the id the requester accepts or discards
    added       bigint GENERATED ALWAYS AS IDENTITY, -- insertion order: of two previews made at one moment, the later is newer
    user_id     text NOT NULL,
    canvas_id   text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    command     text NOT NULL          -- JSON, opaque to the database: the plan, the selection, the viewport, the objects it changes as they were
);
CREATE INDEX ix_ai_previews_user ON ai_previews (user_id, created_at);
CREATE INDEX ix_ai_previews_expiry ON ai_previews (expires_at);
