-- Reports for moderators: made by members through the client API, or
-- received from other servers as Flag activities (account_id is then the
-- remote server's actor that sent it).
CREATE TABLE reports (
    id                BIGINT  PRIMARY KEY,
    account_id        BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_account_id BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status_ids        TEXT    NOT NULL DEFAULT '[]', -- JSON array of status IDs (as strings)
    rule_ids          TEXT    NOT NULL DEFAULT '[]',
    comment           TEXT    NOT NULL DEFAULT '',
    category          TEXT    NOT NULL DEFAULT 'other',
    forwarded         BOOLEAN NOT NULL DEFAULT FALSE,
    uri               TEXT    NOT NULL DEFAULT '',
    action_taken_at   BIGINT,
    created_at        BIGINT  NOT NULL
);
CREATE INDEX reports_account ON reports (account_id, id);
CREATE INDEX reports_target ON reports (target_account_id, id);
CREATE INDEX reports_uri ON reports (uri) WHERE uri <> '';
