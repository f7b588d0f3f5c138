-- Access changes (sign-outs, removals, role changes, revoked links, renames) kept for ten minutes, so that an instance
-- cut off from PostgreSQL reads what it missed when it listens again: NOTIFY only wakes the instances, this table is
-- what they read. Used when no Redis is configured. Publishers take turns (an advisory lock), so id order is commit order.
CREATE TABLE access_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change      text NOT NULL,         -- the change, JSON
    created_at  timestamptz NOT NULL DEFAULT now()
);
