-- What admins change about the instance in the web app (name, description,
-- rules, privacy policy, registrations, the fediverse sharing default):
-- each overrides the configured value while it is set.
CREATE TABLE instance_settings (
    name       TEXT   PRIMARY KEY,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);
