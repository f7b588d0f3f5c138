-- The processes that share this file, and how far each has read the log, so that cleanup never deletes a row that
-- a live process has not delivered yet; and leases, so that one process at a time does a shared chore.

CREATE TABLE instances (
    id            TEXT PRIMARY KEY,
    cursor        INTEGER NOT NULL, -- every message_queue row up to this seq has been announced to its rooms
    heartbeat_at  INTEGER NOT NULL  -- unix milliseconds; an instance silent for long is no longer counted
);

CREATE TABLE leases (
    name          TEXT PRIMARY KEY,
    holder        TEXT NOT NULL,
    expires_at    INTEGER NOT NULL  -- unix milliseconds
);
