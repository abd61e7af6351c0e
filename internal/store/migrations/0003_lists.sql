-- Lists, followed hashtags and the read state of direct conversations.
-- Same conventions as 0001_core.sql: BIGINT IDs and millisecond times,
-- valid on both SQLite and PostgreSQL.

-- A list is a named group of accounts its owner follows, with a timeline of
-- its own. replies_policy is Mastodon's: which replies by members reach the
-- list ('followed', 'list' or 'none'); exclusive lists keep their members'
-- posts out of the owner's home timeline.
CREATE TABLE lists (
    id             BIGINT  PRIMARY KEY,
    account_id     BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    replies_policy TEXT    NOT NULL DEFAULT 'list',
    exclusive      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX lists_account ON lists (account_id, id);

-- Members of lists. A membership hangs on the owner's follow of the member
-- (follow_id): unfollowing, a block or a deleted account removes it with the
-- follow, as on Mastodon.
CREATE TABLE list_accounts (
    id         BIGINT PRIMARY KEY,
    list_id    BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    follow_id  BIGINT NOT NULL REFERENCES follows (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX list_accounts_pair ON list_accounts (list_id, account_id);
CREATE INDEX list_accounts_account ON list_accounts (account_id, list_id);
CREATE INDEX list_accounts_follow ON list_accounts (follow_id);

-- List timelines, filled on write by the fan-out job like home_feed; rows of
-- accounts no longer in the list are skipped when reading.
CREATE TABLE list_feed (
    list_id   BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    entry_id  BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    object_id BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    PRIMARY KEY (list_id, entry_id)
);
CREATE INDEX list_feed_author ON list_feed (list_id, author_id);
CREATE INDEX list_feed_entry ON list_feed (entry_id);

-- Hashtags local accounts follow: public posts with them reach their home
-- timelines.
CREATE TABLE tag_follows (
    id         BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    tag_id     BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX tag_follows_pair ON tag_follows (account_id, tag_id);
CREATE INDEX tag_follows_tag ON tag_follows (tag_id, account_id);

-- Direct conversations are read from the direct posts themselves; this keeps
-- what each participant did with one: read up to a post, or removed it from
-- their list until a newer post arrives.
CREATE TABLE conversation_states (
    account_id      BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    conversation_id BIGINT NOT NULL,
    last_read_id    BIGINT NOT NULL DEFAULT 0,
    hidden_until_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, conversation_id)
);
-- An account's own direct posts, for its conversations.
CREATE INDEX statuses_direct ON statuses (account_id, id) WHERE visibility = 'direct';
