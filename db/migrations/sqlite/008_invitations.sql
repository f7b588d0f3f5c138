-- Invitations (issue 11, item 5). Adding someone to a canvas by email used to look the address up and answer 404
-- when no account had it: an oracle for which addresses have accounts. Now every addition is an invitation, whether
-- or not an account has the address, and the answer is the same either way. An invitation becomes a membership
-- when an account whose verified email is this address signs in or comes to the canvas (docs/auth.md says what
-- counts as verified). The owner sees pending invitations in the share dialog and can revoke them.

CREATE TABLE canvas_invitations (
    id          TEXT PRIMARY KEY,
    canvas_id   TEXT NOT NULL REFERENCES canvases (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,         -- trimmed and lower-cased (Users.NormalizeEmail)
    role        TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    invited_by  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    UNIQUE (canvas_id, email)
);
CREATE INDEX ix_canvas_invitations_email ON canvas_invitations (email);
