-- When a member last turned fediverse sharing on: only posts made since
-- then are shared (earlier ones were written for this server only), and
-- turning sharing off and on again starts afresh. NULL while not sharing.
ALTER TABLE accounts ADD COLUMN fediverse_since BIGINT;
UPDATE accounts SET rev = rev + 1, fediverse_since = created_at WHERE fediverse_sharing AND domain = '';
