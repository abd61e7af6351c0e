-- Viewer revisions: what one account sees of others beyond their rows —
-- its likes, boosts, bookmarks, pins and muted conversations (the flags on
-- every status), its follows, blocks, mutes and follow requests either way
-- (the visibility policy and timeline filters), and its home feed — is
-- cached per viewer in memory (store/viewercache.go), keyed by the
-- viewer's revision here. Triggers bump it in the transaction of every
-- change to those tables, whatever code or process makes the change, so a
-- cached copy can never outlive the data it was read from.
CREATE TABLE viewer_revs (
    account_id BIGINT PRIMARY KEY,
    rev        BIGINT NOT NULL
);

-- Reading a page checks the revisions of its statuses and accounts: these
-- indexes answer that without reading the rows.
CREATE INDEX statuses_rev ON statuses (id, rev);
CREATE INDEX accounts_rev ON accounts (id, rev);

-- weft:sqlite
-- (Not INSERT OR IGNORE: a trigger's conflict clause gives way to the outer
-- statement's, and an outer upsert such as UpsertMute's would make it fail.)
CREATE TRIGGER favourites_viewer_insert AFTER INSERT ON favourites
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
END;
CREATE TRIGGER favourites_viewer_delete AFTER DELETE ON favourites
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
END;
CREATE TRIGGER bookmarks_viewer_insert AFTER INSERT ON bookmarks
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
END;
CREATE TRIGGER bookmarks_viewer_delete AFTER DELETE ON bookmarks
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
END;
CREATE TRIGGER pins_viewer_insert AFTER INSERT ON pins
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
END;
CREATE TRIGGER pins_viewer_delete AFTER DELETE ON pins
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
END;
CREATE TRIGGER conversation_mutes_viewer_insert AFTER INSERT ON conversation_mutes
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
END;
CREATE TRIGGER conversation_mutes_viewer_delete AFTER DELETE ON conversation_mutes
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
END;
CREATE TRIGGER follows_viewer_insert AFTER INSERT ON follows
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.target_account_id;
END;
CREATE TRIGGER follows_viewer_delete AFTER DELETE ON follows
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.target_account_id;
END;
CREATE TRIGGER follows_viewer_update AFTER UPDATE ON follows
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.target_account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.target_account_id;
END;
CREATE TRIGGER follow_requests_viewer_insert AFTER INSERT ON follow_requests
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.target_account_id;
END;
CREATE TRIGGER follow_requests_viewer_delete AFTER DELETE ON follow_requests
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.target_account_id;
END;
CREATE TRIGGER follow_requests_viewer_update AFTER UPDATE ON follow_requests
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.target_account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.target_account_id;
END;
CREATE TRIGGER blocks_viewer_insert AFTER INSERT ON blocks
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.target_account_id;
END;
CREATE TRIGGER blocks_viewer_delete AFTER DELETE ON blocks
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.target_account_id;
END;
CREATE TRIGGER blocks_viewer_update AFTER UPDATE ON blocks
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.target_account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.target_account_id;
END;
CREATE TRIGGER mutes_viewer_insert AFTER INSERT ON mutes
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.target_account_id;
END;
CREATE TRIGGER mutes_viewer_delete AFTER DELETE ON mutes
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.target_account_id;
END;
CREATE TRIGGER mutes_viewer_update AFTER UPDATE ON mutes
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.target_account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.target_account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.target_account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.target_account_id;
END;
CREATE TRIGGER home_feed_viewer_insert AFTER INSERT ON home_feed
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
END;
CREATE TRIGGER home_feed_viewer_delete AFTER DELETE ON home_feed
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
END;
-- Boosts: the viewer's "reblogged" flag.
CREATE TRIGGER statuses_viewer_boost AFTER INSERT ON statuses WHEN NEW.reblog_of_id IS NOT NULL
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT NEW.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = NEW.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = NEW.account_id;
END;
CREATE TRIGGER statuses_viewer_unboost AFTER DELETE ON statuses WHEN OLD.reblog_of_id IS NOT NULL
BEGIN
    INSERT INTO viewer_revs (account_id, rev) SELECT OLD.account_id, 0
        WHERE NOT EXISTS (SELECT 1 FROM viewer_revs WHERE account_id = OLD.account_id);
    UPDATE viewer_revs SET rev = rev + 1 WHERE account_id = OLD.account_id;
END;

-- weft:postgres
-- One function for every table; its arguments name the account columns.
CREATE FUNCTION weft_bump_viewer() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col text;
    ids bigint[] := '{}';
BEGIN
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF TG_OP <> 'DELETE' THEN
            ids := ids || (to_jsonb(NEW) ->> col)::bigint;
        END IF;
        IF TG_OP <> 'INSERT' THEN
            ids := ids || (to_jsonb(OLD) ->> col)::bigint;
        END IF;
    END LOOP;
    INSERT INTO viewer_revs (account_id, rev)
        SELECT DISTINCT id, 1 FROM unnest(ids) AS id ORDER BY 1
        ON CONFLICT (account_id) DO UPDATE SET rev = viewer_revs.rev + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER favourites_viewer AFTER INSERT OR UPDATE OR DELETE ON favourites
    FOR EACH ROW EXECUTE FUNCTION weft_bump_viewer('account_id');
CREATE TRIGGER bookmarks_viewer AFTER INSERT OR UPDATE OR DELETE ON bookmarks
    FOR EACH ROW EXECUTE FUNCTION weft_bump_viewer('account_id');
CREATE TRIGGER pins_viewer AFTER INSERT OR UPDATE OR DELETE ON pins
    FOR EACH ROW EXECUTE FUNCTION weft_bump_viewer('account_id');
CREATE TRIGGER conversation_mutes_viewer AFTER INSERT OR UPDATE OR DELETE ON conversation_mutes
    FOR EACH ROW EXECUTE FUNCTION weft_bump_viewer('account_id');
CREATE TRIGGER follows_viewer AFTER INSERT OR UPDATE OR DELETE ON follows
    FOR EACH ROW EXECUTE FUNCTION weft_bump_viewer('account_id', 'target_account_id');
CREATE TRIGGER follow_requests_viewer AFTER INSERT OR UPDATE OR DELETE ON follow_requests
    FOR EACH ROW EXECUTE FUNCTION weft_bump_viewer('account_id', 'target_account_id');
CREATE TRIGGER blocks_viewer AFTER INSERT OR UPDATE OR DELETE ON blocks
    FOR EACH ROW EXECUTE FUNCTION weft_bump_viewer('account_id', 'target_account_id');
CREATE TRIGGER mutes_viewer AFTER INSERT OR UPDATE OR DELETE ON mutes
    FOR EACH ROW EXECUTE FUNCTION weft_bump_viewer('account_id', 'target_account_id');
CREATE TRIGGER home_feed_viewer AFTER INSERT OR UPDATE OR DELETE ON home_feed
    FOR EACH ROW EXECUTE FUNCTION weft_bump_viewer('account_id');
CREATE TRIGGER statuses_viewer_boost AFTER INSERT ON statuses
    FOR EACH ROW WHEN (NEW.reblog_of_id IS NOT NULL) EXECUTE FUNCTION weft_bump_viewer('account_id');
CREATE TRIGGER statuses_viewer_unboost AFTER DELETE ON statuses
    FOR EACH ROW WHEN (OLD.reblog_of_id IS NOT NULL) EXECUTE FUNCTION weft_bump_viewer('account_id');
