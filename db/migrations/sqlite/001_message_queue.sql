-- The canvases, their ordered log of batches (the message queue), their snapshots, and the accounts.
-- seq is the row id of message_queue: it grows per canvas (and globally) and is never reused,
-- because AUTOINCREMENT never hands out a row id again after rows are cleaned up.

CREATE TABLE canvases (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL, -- unix milliseconds
    updated_at  INTEGER NOT NULL
);

CREATE TABLE message_queue (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    canvas_id   TEXT NOT NULL,
    client_id   TEXT NOT NULL,    -- with ref, identifies a batch so that a resend is not applied twice
    ref         TEXT NOT NULL,
    actor       TEXT NOT NULL,    -- the user id of the sender
    ops         BLOB NOT NULL,    -- the batch's ops, canonical JSON in UTF-8
    created_at  INTEGER NOT NULL  -- unix milliseconds
);

CREATE INDEX ix_message_queue_canvas_seq ON message_queue (canvas_id, seq);
CREATE UNIQUE INDEX ux_message_queue_batch ON message_queue (canvas_id, client_id, ref);

CREATE TABLE canvas_states (
    canvas_id   TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL, -- the snapshot holds every batch up to and including seq
    objects     BLOB NOT NULL,    -- { id: { props } }, JSON in UTF-8
    pruned_seq  INTEGER NOT NULL DEFAULT 0, -- log rows up to this seq may be gone; an older `since` gets the full state
    updated_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT,
    created_at  INTEGER NOT NULL
);
