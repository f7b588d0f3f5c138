-- A WebSocket ticket belongs to the sign-in that minted it, not only to its user (issue 11). session_id names the
-- browser sign-in (null when a bearer token minted it); ending the sign-in deletes its unused tickets with it, on
-- every instance, because they live in the one shared file. credentials_until is when the sign-in or the token
-- behind the ticket stops being accepted: a socket opened with the ticket closes then (docs/auth.md).
-- Tickets live 30 seconds, so the old table is replaced rather than converted: a ticket minted before this ran is
-- refused and its client asks for a new one.

DROP TABLE ws_tickets;

CREATE TABLE ws_tickets (
    token_hash         TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id         TEXT REFERENCES auth_sessions (id) ON DELETE CASCADE,
    credentials_until  INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL
);
CREATE INDEX ix_ws_tickets_session ON ws_tickets (session_id);
