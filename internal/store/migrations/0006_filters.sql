-- Filters, as Mastodon's (v2) custom filters: a named group of keywords
-- and posts its owner does not want to see, or wants to see only behind a
-- warning, in some contexts, until it expires. Same conventions as
-- 0001_core.sql: BIGINT IDs and millisecond times, valid on both SQLite and
-- PostgreSQL.

-- contexts is a comma-separated list of home, notifications, public,
-- thread and account; action is warn, hide or blur; expires_at is NULL for
-- a filter that never expires (expired filters are kept, as on Mastodon:
-- their owner may extend them).
CREATE TABLE filters (
    id         BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    title      TEXT   NOT NULL,
    contexts   TEXT   NOT NULL,
    action     TEXT   NOT NULL DEFAULT 'warn',
    expires_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX filters_account ON filters (account_id, id);

-- The phrases of a filter. whole_word: the phrase must not continue a word
-- on either side to match.
CREATE TABLE filter_keywords (
    id         BIGINT  PRIMARY KEY,
    filter_id  BIGINT  NOT NULL REFERENCES filters (id) ON DELETE CASCADE,
    keyword    TEXT    NOT NULL,
    whole_word BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT  NOT NULL
);
CREATE INDEX filter_keywords_filter ON filter_keywords (filter_id, id);

-- The posts a filter names; gone with the post.
CREATE TABLE filter_statuses (
    id         BIGINT PRIMARY KEY,
    filter_id  BIGINT NOT NULL REFERENCES filters (id) ON DELETE CASCADE,
    status_id  BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX filter_statuses_pair ON filter_statuses (filter_id, status_id);
CREATE INDEX filter_statuses_status ON filter_statuses (status_id);
