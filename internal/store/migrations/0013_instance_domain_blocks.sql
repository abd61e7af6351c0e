-- Servers this instance's admin blocks. "suspend": nothing is exchanged
-- with them (no fetch, no delivery, their activities dropped, their
-- accounts here suspended); "noop": only the reject_media part applies.
-- A block covers the domain's subdomains too.
CREATE TABLE instance_domain_blocks (
    domain       TEXT    PRIMARY KEY,
    severity     TEXT    NOT NULL,
    reject_media BOOLEAN NOT NULL DEFAULT FALSE,
    comment      TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL
);
