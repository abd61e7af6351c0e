-- A member may hide whom they follow and who follows them (Mastodon's
-- hide_collections): others, here and on other servers, see the counts only.
ALTER TABLE accounts ADD COLUMN hide_collections BOOLEAN NOT NULL DEFAULT FALSE;
