-- Presence shared between the processes on one host: the latest cursor and selection of every session, coalesced
-- (one row per session, latest wins) and never kept long. A row marked left tells the others the session is gone.

CREATE TABLE presence (
    session     TEXT PRIMARY KEY,
    canvas_id   TEXT NOT NULL,
    instance    TEXT NOT NULL,
    peer        BLOB NOT NULL,    -- {session, user, cursor, selection}, JSON in UTF-8
    left_at     INTEGER,          -- unix milliseconds when the session left; null while it is here
    updated_at  INTEGER NOT NULL  -- unix milliseconds
);

CREATE INDEX ix_presence_updated ON presence (updated_at);
