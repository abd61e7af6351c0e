-- Revision numbers: every committed change to a status or account row adds
-- one to its rev (the UPDATE statements of the store say so themselves;
-- revs_test.go checks that none forgets). Readers compare revisions to
-- decide whether an in-memory copy of the row (and the JSON rendered from
-- it) is still current, in any process.
ALTER TABLE statuses ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN rev BIGINT NOT NULL DEFAULT 0;
