-- AI commands (issue 6): one row per command run, counted for the per-user hourly limit (shared by every instance)
-- and holding its cost; and each canvas's default theme for generated components.

CREATE TABLE ai_commands (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        TEXT NOT NULL,
    canvas_id      TEXT NOT NULL,
    created_at     INTEGER NOT NULL,              -- unix milliseconds
    interpreter    TEXT NOT NULL DEFAULT 'pending', -- builtin, claude, or claude->builtin (fell back)
    model          TEXT,
    input_tokens   INTEGER NOT NULL DEFAULT 0,
    output_tokens  INTEGER NOT NULL DEFAULT 0,
    cost_usd       REAL NOT NULL DEFAULT 0
);
CREATE INDEX ix_ai_commands_user ON ai_commands (user_id, created_at);

ALTER TABLE canvases ADD COLUMN theme TEXT;
