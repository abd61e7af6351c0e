-- What weft knows of remote actors beyond their accounts row: where to
-- deliver to them, the key their requests are signed with, and when the
-- actor document was last fetched (to refresh it). Kept beside accounts so
-- the hot read path of accounts stays narrow.
CREATE TABLE remote_actors (
    account_id     BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    actor_type     TEXT   NOT NULL DEFAULT 'Person',
    inbox          TEXT   NOT NULL,
    shared_inbox   TEXT   NOT NULL DEFAULT '',
    outbox         TEXT   NOT NULL DEFAULT '',
    followers      TEXT   NOT NULL DEFAULT '',
    following      TEXT   NOT NULL DEFAULT '',
    featured       TEXT   NOT NULL DEFAULT '',
    key_id         TEXT   NOT NULL DEFAULT '',
    public_key_pem TEXT   NOT NULL DEFAULT '',
    also_known_as  TEXT   NOT NULL DEFAULT '[]', -- JSON array of actor IRIs
    moved_to       TEXT   NOT NULL DEFAULT '',
    avatar_url     TEXT   NOT NULL DEFAULT '',
    header_url     TEXT   NOT NULL DEFAULT '',
    fetched_at     BIGINT NOT NULL
);
CREATE INDEX remote_actors_key ON remote_actors (key_id);

-- Activity IDs received in inboxes, so a delivery retried by its sender (or
-- sent to both a personal and the shared inbox) is applied once.
-- Housekeeping forgets them after a while.
CREATE TABLE inbox_seen (
    activity_id TEXT   PRIMARY KEY,
    received_at BIGINT NOT NULL
);
CREATE INDEX inbox_seen_received ON inbox_seen (received_at);
