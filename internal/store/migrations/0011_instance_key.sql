-- The instance actor's key pair: it signs the server's own fetches (of
-- remote actors and keys), which servers in secure mode require signed.
-- One row, made on first use (service/instance_actor.go).
CREATE TABLE instance_keys (
    id              INTEGER PRIMARY KEY,
    public_key_pem  TEXT    NOT NULL,
    private_key_pem TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL
);
