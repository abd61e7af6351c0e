-- The tokens issued from an authorization code, and those that replaced
-- them by refresh, name the code: a second use of the code revokes them
-- all (RFC 6749 §4.1.2).
ALTER TABLE oauth_tokens ADD COLUMN auth_code TEXT NOT NULL DEFAULT '';
CREATE INDEX oauth_tokens_auth_code ON oauth_tokens (auth_code) WHERE auth_code <> '';
