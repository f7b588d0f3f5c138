-- Version history (docs/architecture.md, "History"). The log is kept (no longer pruned after a snapshot) and is the
-- canvas's history; checkpoints are full states kept at chosen seqs, so the state at any seq is one checkpoint plus a
-- bounded replay, and history older than a retention can be thinned to them.

CREATE TABLE canvas_checkpoints (
    canvas_id   text NOT NULL,
    seq         bigint NOT NULL,       -- the state after every batch up to and including seq
    objects     bytea NOT NULL,        -- { id: { props } }, JSON in UTF-8, as snapshots
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (canvas_id, seq)
);

-- Named versions (a person saved them) and automatic ones (after a burst of edits); each has a checkpoint at its seq,
-- which no retention removes.
CREATE TABLE canvas_versions (
    id          text PRIMARY KEY,
    canvas_id   text NOT NULL REFERENCES canvases (id) ON DELETE CASCADE,
    seq         bigint NOT NULL,
    kind        text NOT NULL,         -- 'named' or 'auto'
    name        text,                  -- null for automatic versions
    author      text,                  -- the user who saved it; null for automatic versions
    created_at  timestamptz NOT NULL
);
CREATE INDEX ix_canvas_versions_canvas ON canvas_versions (canvas_id, seq);
-- Several instances notice the same quiet canvas: one automatic version per seq.
CREATE UNIQUE INDEX ux_canvas_versions_auto ON canvas_versions (canvas_id, seq) WHERE kind = 'auto';

CREATE TABLE canvas_history_settings (
    canvas_id            text PRIMARY KEY REFERENCES canvases (id) ON DELETE CASCADE,
    retention_days       double precision,  -- null: the installation's History:RetentionDays; 0: keep everything
    viewers_see_history  boolean NOT NULL,  -- viewers may read history and versions
    links_see_history    boolean NOT NULL   -- share-link guests may read them
);
