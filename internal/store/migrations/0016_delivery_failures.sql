-- Servers that fail deliveries. A server that has failed without a single
-- success for days is marked unavailable: deliveries to it are skipped
-- until it is heard from again (an inbound request, a successful delivery
-- or the daily probe), instead of retrying into the void.
CREATE TABLE delivery_failures (
    host             TEXT    PRIMARY KEY,
    first_failure_at BIGINT  NOT NULL,
    last_failure_at  BIGINT  NOT NULL,
    failures         BIGINT  NOT NULL,
    unavailable      BOOLEAN NOT NULL DEFAULT FALSE
);
