-- Media: uploads (photos, videos, audio) attached to posts, avatars and
-- headers, local or from other servers. Files live in the media storage
-- (local directory or S3) under file_key and thumb_key; a row of another
-- server's media keeps remote_url, and its files are a cache (cached says
-- whether they are there now; viewed_at orders eviction).
CREATE TABLE media_attachments (
    id            BIGINT  PRIMARY KEY,
    account_id    BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_id     BIGINT,                                  -- NULL while unattached
    position      INTEGER NOT NULL DEFAULT 0,              -- order in the post
    purpose       TEXT    NOT NULL DEFAULT 'attachment',   -- attachment, avatar, header
    kind          TEXT    NOT NULL,                        -- image, gifv, video, audio, unknown
    token         TEXT    NOT NULL,                        -- random: in the file's URL
    content_type  TEXT    NOT NULL DEFAULT '',
    file_key      TEXT    NOT NULL DEFAULT '',
    file_size     BIGINT  NOT NULL DEFAULT 0,
    width         INTEGER NOT NULL DEFAULT 0,
    height        INTEGER NOT NULL DEFAULT 0,
    thumb_key     TEXT    NOT NULL DEFAULT '',
    thumb_type    TEXT    NOT NULL DEFAULT '',
    thumb_size    BIGINT  NOT NULL DEFAULT 0,
    thumb_width   INTEGER NOT NULL DEFAULT 0,
    thumb_height  INTEGER NOT NULL DEFAULT 0,
    blurhash      TEXT    NOT NULL DEFAULT '',
    description   TEXT    NOT NULL DEFAULT '',
    focus_x       DOUBLE PRECISION NOT NULL DEFAULT 0,
    focus_y       DOUBLE PRECISION NOT NULL DEFAULT 0,
    remote_url    TEXT    NOT NULL DEFAULT '',
    cached        BOOLEAN NOT NULL DEFAULT FALSE,
    viewed_at     BIGINT  NOT NULL,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE UNIQUE INDEX media_token ON media_attachments (token);
CREATE INDEX media_status ON media_attachments (status_id, position) WHERE status_id IS NOT NULL;
CREATE INDEX media_account ON media_attachments (account_id, id);
-- Uploads nobody attached: removed after a day.
CREATE INDEX media_unattached ON media_attachments (updated_at)
    WHERE status_id IS NULL AND purpose = 'attachment' AND remote_url = '';
-- The remote cache, least recently viewed first.
CREATE INDEX media_cache ON media_attachments (viewed_at) WHERE cached AND remote_url <> '';

-- An account's avatar and header: the media row, and the URLs shown (a
-- path on this server once the file is here, else the remote address).
ALTER TABLE accounts ADD COLUMN avatar_media_id BIGINT;
ALTER TABLE accounts ADD COLUMN avatar_url TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN avatar_static_url TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN header_media_id BIGINT;
ALTER TABLE accounts ADD COLUMN header_url TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN header_static_url TEXT NOT NULL DEFAULT '';
