-- Account search (GET /api/v1/accounts/search): local accounts by the start
-- of their display name, whatever its case. Usernames are searched through
-- accounts_username (username_key is lower case already). Suspended and
-- deleted accounts are never found, so they stay out of the index.
CREATE INDEX accounts_display_name_prefix ON accounts (lower(display_name), id)
    WHERE domain = '' AND suspended_at IS NULL;
