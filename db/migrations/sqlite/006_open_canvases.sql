-- Canvases made before sign-in existed had no owner and were open to everyone. Until now "no owner" meant "open to
-- every signed-in user"; with accounts that can be deleted, a canvas could lose its last owner later, and must not
-- become open then. So openness is a flag, set once here for the canvases that had no owner when this ran (those
-- made before sign-in: every canvas made since has an owner, and accounts could not be deleted before this).

ALTER TABLE canvases ADD COLUMN open_to_signed_in INTEGER NOT NULL DEFAULT 0;

UPDATE canvases SET open_to_signed_in = 1
WHERE NOT EXISTS (SELECT 1 FROM canvas_members m WHERE m.canvas_id = canvases.id AND m.role = 'owner');
