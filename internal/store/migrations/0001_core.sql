-- The social core. Written once for both SQLite and PostgreSQL: plain types,
-- times as BIGINT milliseconds since the Unix epoch (UTC), IDs as BIGINT
-- snowflakes made by weft (internal/id), booleans as BOOLEAN.

CREATE TABLE accounts (
    id                BIGINT PRIMARY KEY,
    username          TEXT    NOT NULL,
    username_key      TEXT    NOT NULL,          -- lower-cased username, for case-insensitive uniqueness
    domain            TEXT    NOT NULL DEFAULT '', -- '' for local accounts
    display_name      TEXT    NOT NULL DEFAULT '',
    note              TEXT    NOT NULL DEFAULT '',
    note_html         TEXT    NOT NULL DEFAULT '',
    fields            TEXT    NOT NULL DEFAULT '[]', -- JSON array of {name, value, value_html, verified_at}
    locked            BOOLEAN NOT NULL DEFAULT FALSE,
    bot               BOOLEAN NOT NULL DEFAULT FALSE,
    discoverable      BOOLEAN NOT NULL DEFAULT TRUE,
    fediverse_sharing BOOLEAN NOT NULL DEFAULT FALSE,
    uri               TEXT    NOT NULL DEFAULT '',
    url               TEXT    NOT NULL DEFAULT '',
    followers_count   BIGINT  NOT NULL DEFAULT 0,
    following_count   BIGINT  NOT NULL DEFAULT 0,
    statuses_count    BIGINT  NOT NULL DEFAULT 0,
    last_status_at    BIGINT,
    suspended_at      BIGINT,
    deleted_at        BIGINT,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL
);
CREATE UNIQUE INDEX accounts_username ON accounts (username_key, domain);
CREATE INDEX accounts_uri ON accounts (uri) WHERE uri <> '';

CREATE TABLE users (
    account_id    BIGINT  PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL,  -- lower-cased email, unique
    password_hash TEXT    NOT NULL,  -- argon2id, PHC string
    admin         BOOLEAN NOT NULL DEFAULT FALSE,
    locale        TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email_key);

CREATE TABLE statuses (
    id                     BIGINT  PRIMARY KEY,
    account_id             BIGINT  NOT NULL REFERENCES accounts (id),
    text                   TEXT    NOT NULL DEFAULT '',
    content_html           TEXT    NOT NULL DEFAULT '',
    spoiler_text           TEXT    NOT NULL DEFAULT '',
    sensitive              BOOLEAN NOT NULL DEFAULT FALSE,
    language               TEXT    NOT NULL DEFAULT '',
    visibility             TEXT    NOT NULL,
    in_reply_to_id         BIGINT,   -- no foreign key: a remote parent may be unknown
    in_reply_to_account_id BIGINT,
    thread_id              BIGINT  NOT NULL, -- root post of the thread
    conversation_id        BIGINT  NOT NULL,
    reblog_of_id           BIGINT REFERENCES statuses (id),
    local                  BOOLEAN NOT NULL,
    uri                    TEXT    NOT NULL DEFAULT '',
    url                    TEXT    NOT NULL DEFAULT '',
    replies_count          BIGINT  NOT NULL DEFAULT 0,
    reblogs_count          BIGINT  NOT NULL DEFAULT 0,
    favourites_count       BIGINT  NOT NULL DEFAULT 0,
    created_at             BIGINT  NOT NULL,
    edited_at              BIGINT,
    deleted_at             BIGINT    -- deleted posts keep their row so replies keep their place
);
CREATE INDEX statuses_account ON statuses (account_id, id);
CREATE INDEX statuses_thread ON statuses (thread_id, id);
CREATE INDEX statuses_in_reply_to ON statuses (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;
-- One boost per account and post; boosts are removed outright when undone.
CREATE UNIQUE INDEX statuses_reblog ON statuses (reblog_of_id, account_id) WHERE reblog_of_id IS NOT NULL;
-- Public timelines: public, not a boost, not deleted.
CREATE INDEX statuses_public ON statuses (id) WHERE visibility = 'public' AND reblog_of_id IS NULL AND deleted_at IS NULL;
CREATE INDEX statuses_public_local ON statuses (local, id) WHERE visibility = 'public' AND reblog_of_id IS NULL AND deleted_at IS NULL;
CREATE INDEX statuses_uri ON statuses (uri) WHERE uri <> '';

CREATE TABLE status_mentions (
    status_id  BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (status_id, account_id)
);
CREATE INDEX status_mentions_account ON status_mentions (account_id, status_id);

CREATE TABLE tags (
    id         BIGINT PRIMARY KEY,
    name       TEXT   NOT NULL, -- as first written
    name_key   TEXT   NOT NULL, -- normalised (NFKC, lower case)
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX tags_name ON tags (name_key);

CREATE TABLE status_tags (
    tag_id    BIGINT NOT NULL REFERENCES tags (id),
    status_id BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    PRIMARY KEY (tag_id, status_id)
);
CREATE INDEX status_tags_status ON status_tags (status_id);

CREATE TABLE status_edits (
    id           BIGINT  PRIMARY KEY,
    status_id    BIGINT  NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    account_id   BIGINT  NOT NULL,
    text         TEXT    NOT NULL,
    content_html TEXT    NOT NULL,
    spoiler_text TEXT    NOT NULL,
    sensitive    BOOLEAN NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX status_edits_status ON status_edits (status_id, id);

CREATE TABLE favourites (
    id         BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id  BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    uri        TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX favourites_account_status ON favourites (account_id, status_id);
CREATE INDEX favourites_account ON favourites (account_id, id);
CREATE INDEX favourites_status ON favourites (status_id, id);

CREATE TABLE bookmarks (
    id         BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id  BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX bookmarks_account_status ON bookmarks (account_id, status_id);
CREATE INDEX bookmarks_account ON bookmarks (account_id, id);

CREATE TABLE pins (
    id         BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id  BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pins_account_status ON pins (account_id, status_id);

CREATE TABLE conversation_mutes (
    account_id      BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    conversation_id BIGINT NOT NULL,
    PRIMARY KEY (account_id, conversation_id)
);

CREATE TABLE follows (
    id                BIGINT  PRIMARY KEY,
    account_id        BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    show_reblogs      BOOLEAN NOT NULL DEFAULT TRUE,
    notify            BOOLEAN NOT NULL DEFAULT FALSE,
    uri               TEXT    NOT NULL DEFAULT '',
    created_at        BIGINT  NOT NULL
);
CREATE UNIQUE INDEX follows_pair ON follows (account_id, target_account_id);
CREATE INDEX follows_target ON follows (target_account_id, id);
CREATE INDEX follows_account ON follows (account_id, id);

CREATE TABLE follow_requests (
    id                BIGINT  PRIMARY KEY,
    account_id        BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    show_reblogs      BOOLEAN NOT NULL DEFAULT TRUE,
    notify            BOOLEAN NOT NULL DEFAULT FALSE,
    uri               TEXT    NOT NULL DEFAULT '',
    created_at        BIGINT  NOT NULL
);
CREATE UNIQUE INDEX follow_requests_pair ON follow_requests (account_id, target_account_id);
CREATE INDEX follow_requests_target ON follow_requests (target_account_id, id);

CREATE TABLE blocks (
    id                BIGINT PRIMARY KEY,
    account_id        BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    uri               TEXT   NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX blocks_pair ON blocks (account_id, target_account_id);
CREATE INDEX blocks_target ON blocks (target_account_id);
CREATE INDEX blocks_account ON blocks (account_id, id);

CREATE TABLE mutes (
    id                 BIGINT  PRIMARY KEY,
    account_id         BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id  BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    hide_notifications BOOLEAN NOT NULL DEFAULT TRUE,
    expires_at         BIGINT,
    created_at         BIGINT  NOT NULL
);
CREATE UNIQUE INDEX mutes_pair ON mutes (account_id, target_account_id);
CREATE INDEX mutes_account ON mutes (account_id, id);

-- Home timelines, filled on write by the fan-out job ("fan-out follows
-- follows"). entry_id is the status shown (a post or a boost); object_id is
-- the post itself (the boosted one for a boost), to skip boosts of posts that
-- are already on the page; author_id is whose entry it is, to remove it on
-- unfollow.
CREATE TABLE home_feed (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    entry_id   BIGINT NOT NULL REFERENCES statuses (id) ON DELETE CASCADE,
    object_id  BIGINT NOT NULL,
    author_id  BIGINT NOT NULL,
    PRIMARY KEY (account_id, entry_id)
);
CREATE INDEX home_feed_author ON home_feed (account_id, author_id);
CREATE INDEX home_feed_object ON home_feed (object_id);

CREATE TABLE notifications (
    id              BIGINT PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    type            TEXT   NOT NULL,
    from_account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id       BIGINT NOT NULL DEFAULT 0, -- 0 when not about a post
    created_at      BIGINT NOT NULL
);
-- One notification per event: a retried job or a like-unlike-like does not notify twice.
CREATE UNIQUE INDEX notifications_event ON notifications (account_id, type, from_account_id, status_id);
CREATE INDEX notifications_account ON notifications (account_id, id);
CREATE INDEX notifications_status ON notifications (status_id) WHERE status_id <> 0;
CREATE INDEX notifications_from ON notifications (from_account_id);

CREATE TABLE markers (
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    timeline     TEXT   NOT NULL,
    last_read_id BIGINT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (account_id, timeline)
);
