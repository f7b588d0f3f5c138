-- AI commands answered by Claude wait as previews (docs/ai.md): only the person who asked sees the result until they
-- accept it, which runs the kept plan against the canvas as it is then. Kept in the database, not in a process, so
-- that the accept may reach any instance behind the load balancer.

CREATE TABLE ai_previews (
    id          TEXT PRIMARY KEY,     -- random: the id the requester accepts or discards
    user_id     TEXT NOT NULL,
    canvas_id   TEXT NOT NULL,
    created_at  INTEGER NOT NULL,     -- unix milliseconds
    expires_at  INTEGER NOT NULL,     -- unix milliseconds
    command     TEXT NOT NULL         -- JSON: the plan, the selection, the viewport, the objects it changes as they were
);
CREATE INDEX ix_ai_previews_user ON ai_previews (user_id, created_at);
CREATE INDEX ix_ai_previews_expiry ON ai_previews (expires_at);
