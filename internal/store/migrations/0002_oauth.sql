-- The client API's sign-in: OAuth 2 apps, authorization codes and tokens,
-- browser sessions (the OAuth sign-in page, later the web UI), and the
-- Idempotency-Key memory of status creation. Secrets are stored only as
-- SHA-256 hashes: a leaked database does not leak working tokens.

CREATE TABLE oauth_apps (
    id             BIGINT PRIMARY KEY,
    name           TEXT   NOT NULL,
    website        TEXT   NOT NULL DEFAULT '',
    redirect_uris  TEXT   NOT NULL,  -- newline-separated, matched exactly
    scopes         TEXT   NOT NULL,  -- space-separated
    client_id      TEXT   NOT NULL,
    secret_hash    TEXT   NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX oauth_apps_client_id ON oauth_apps (client_id);

CREATE TABLE oauth_codes (
    code_hash       TEXT    PRIMARY KEY,
    app_id          BIGINT  NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    account_id      BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    redirect_uri    TEXT    NOT NULL,
    scopes          TEXT    NOT NULL,
    challenge       TEXT    NOT NULL DEFAULT '',
    challenge_method TEXT   NOT NULL DEFAULT '',
    expires_at      BIGINT  NOT NULL,
    used_at         BIGINT
);

CREATE TABLE oauth_tokens (
    id            BIGINT PRIMARY KEY,
    token_hash    TEXT   NOT NULL,
    refresh_hash  TEXT   NOT NULL DEFAULT '',
    app_id        BIGINT REFERENCES oauth_apps (id) ON DELETE CASCADE, -- NULL for tokens made by the admin CLI
    account_id    BIGINT REFERENCES accounts (id) ON DELETE CASCADE,   -- NULL for client_credentials tokens
    scopes        TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT,
    revoked_at    BIGINT,
    last_used_at  BIGINT
);
CREATE UNIQUE INDEX oauth_tokens_token ON oauth_tokens (token_hash);
CREATE INDEX oauth_tokens_refresh ON oauth_tokens (refresh_hash) WHERE refresh_hash <> '';
CREATE INDEX oauth_tokens_account ON oauth_tokens (account_id);

CREATE TABLE web_sessions (
    id_hash       TEXT   PRIMARY KEY,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf_token    TEXT   NOT NULL,
    user_agent    TEXT   NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL
);
CREATE INDEX web_sessions_account ON web_sessions (account_id);

CREATE TABLE idempotency_keys (
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key_hash    TEXT   NOT NULL,
    status_id   BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (account_id, key_hash)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
