-- What Mastodon 4.5 apps expect of a server beyond the core: grouped
-- notifications, the notification filtering policy, featured hashtags,
-- domains an account blocks and dismissed follow suggestions. Same
-- conventions as 0001_core.sql: BIGINT IDs and millisecond times, valid on
-- both SQLite and PostgreSQL.

-- Grouped notifications (Mastodon 4.3): likes and boosts of one post, and
-- follows, that arrive close together share a group key,
-- "<type>-<post>-<hour>" or "follow-<hour>", the hour (since the Unix epoch)
-- the group began; a group takes what arrives within 12 hours of its start.
-- Other types have no key ('') and are groups of one. Existing
-- notifications get a key by the hour they arrived.
ALTER TABLE notifications ADD COLUMN group_key TEXT NOT NULL DEFAULT '';
UPDATE notifications SET group_key = type || '-' || CAST(status_id AS TEXT) || '-' || CAST(created_at / 3600000 AS TEXT)
    WHERE type IN ('favourite', 'reblog');
UPDATE notifications SET group_key = 'follow-' || CAST(created_at / 3600000 AS TEXT)
    WHERE type = 'follow';
CREATE INDEX notifications_group ON notifications (account_id, group_key, id) WHERE group_key <> '';

-- An account's notification filtering policy (Mastodon's NotificationPolicy):
-- what to do with notifications from accounts it does not follow, that do
-- not follow it, that are new, from private mentions, and from limited
-- accounts: 'accept', 'filter' or 'drop'. No row means everything is
-- accepted. (weft holds no notification aside yet: 'filter' is kept as
-- set but lets notifications through.)
CREATE TABLE notification_policies (
    account_id           BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    for_not_following    TEXT   NOT NULL DEFAULT 'accept',
    for_not_followers    TEXT   NOT NULL DEFAULT 'accept',
    for_new_accounts     TEXT   NOT NULL DEFAULT 'accept',
    for_private_mentions TEXT   NOT NULL DEFAULT 'accept',
    for_limited_accounts TEXT   NOT NULL DEFAULT 'accept',
    updated_at           BIGINT NOT NULL
);

-- Hashtags an account features on its profile.
CREATE TABLE featured_tags (
    id         BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tag_id     BIGINT NOT NULL REFERENCES tags (id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX featured_tags_pair ON featured_tags (account_id, tag_id);

-- Domains an account blocks (Mastodon's AccountDomainBlock), as lower-case
-- host names.
CREATE TABLE account_domain_blocks (
    id         BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    domain     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX account_domain_blocks_pair ON account_domain_blocks (account_id, domain);

-- Follow suggestions an account dismissed.
CREATE TABLE suggestion_dismissals (
    account_id        BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at        BIGINT NOT NULL,
    PRIMARY KEY (account_id, target_account_id)
);
CREATE INDEX suggestion_dismissals_target ON suggestion_dismissals (target_account_id);
