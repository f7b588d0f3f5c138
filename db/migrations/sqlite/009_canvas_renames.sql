-- A rename travels to every instance with the access changes, so open editors show the new name within a second.
ALTER TABLE access_events ADD COLUMN canvas_name TEXT;
