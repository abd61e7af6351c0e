-- The key pair an account signs its ActivityPub requests with, and whose
-- public half its actor document publishes. Made the first time the
-- account is needed on the fediverse (service/account_keys.go), not for
-- members who never share.
CREATE TABLE account_keys (
    account_id      BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    public_key_pem  TEXT   NOT NULL,
    private_key_pem TEXT   NOT NULL,
    created_at      BIGINT NOT NULL
);
