-- The log as PostgresCanvasLog uses it.
-- The cleanup mark moves to the head: it must outlive a deleted canvas's snapshot (an instance still watching the
-- canvas then learns that its rows are gone), and the sequencer reads heads, not snapshots, to find what is missing.
ALTER TABLE canvas_heads ADD COLUMN pruned_seq bigint NOT NULL DEFAULT 0; -- rows up to this seq may be gone
ALTER TABLE canvas_snapshots DROP COLUMN pruned_seq;
-- The commit time is the database's; cleanup finds old rows per canvas through the snapshots, so no index on it
-- (every append would pay for one).
ALTER TABLE canvas_log ALTER COLUMN created_at SET DEFAULT now();
ALTER TABLE canvas_snapshots ALTER COLUMN updated_at SET DEFAULT now();
DROP INDEX ix_canvas_log_created;
