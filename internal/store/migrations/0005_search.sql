-- Full-text search of posts (GET /api/v2/search, type statuses). The two
-- databases share no syntax for it, so this file holds one section for each
-- (see Migration.For). Both index the same thing, split the same way: the
-- text and content warning of every post that is neither a boost nor
-- deleted, cut into words at every character that is not a letter or a
-- digit, folded to lower case, accents kept. store/search.go builds its
-- queries on that (store.SearchTerms cuts a query the same way).
--
-- Who may see what is not the index's business: the search query selects
-- candidates, the service asks the visibility policy about each.

-- weft:sqlite
-- An FTS5 table without a copy of the text (content=''), keyed by the
-- post's ID (rowid); contentless_delete lets triggers remove a post by ID.
-- The triggers keep it in step with statuses in the transaction of every
-- change: a post, an edit, a deletion (which blanks the row), a boost or a
-- row deleted outright (neither of which is indexed).
CREATE VIRTUAL TABLE status_fts USING fts5 (text, spoiler_text, content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N*'");
INSERT INTO status_fts (rowid, text, spoiler_text)
    SELECT id, text, spoiler_text FROM statuses WHERE reblog_of_id IS NULL AND deleted_at IS NULL;
CREATE TRIGGER status_fts_insert AFTER INSERT ON statuses
    WHEN NEW.reblog_of_id IS NULL AND NEW.deleted_at IS NULL
BEGIN
    INSERT INTO status_fts (rowid, text, spoiler_text) VALUES (NEW.id, NEW.text, NEW.spoiler_text);
END;
CREATE TRIGGER status_fts_update AFTER UPDATE OF text, spoiler_text, deleted_at ON statuses
BEGIN
    DELETE FROM status_fts WHERE rowid = OLD.id;
    INSERT INTO status_fts (rowid, text, spoiler_text) SELECT NEW.id, NEW.text, NEW.spoiler_text
        WHERE NEW.reblog_of_id IS NULL AND NEW.deleted_at IS NULL;
END;
CREATE TRIGGER status_fts_delete AFTER DELETE ON statuses
BEGIN
    DELETE FROM status_fts WHERE rowid = OLD.id;
END;

-- weft:postgres
-- A GIN index on the words of each post, built in (no extension): the
-- 'simple' configuration only lower-cases, and regexp_replace first turns
-- every run of non-letters into a space, so that "example.com" or "e-mail"
-- give their words as SQLite does (PostgreSQL's parser would keep them
-- whole). PostgreSQL keeps an index on an expression up to date by itself;
-- queries must repeat the expression exactly (store.pgSearchDocument).
CREATE INDEX statuses_search ON statuses
    USING gin (to_tsvector('simple', regexp_replace(text || ' ' || spoiler_text, '[^[:alnum:]]+', ' ', 'g')))
    WHERE reblog_of_id IS NULL AND deleted_at IS NULL;
