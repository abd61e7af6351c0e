-- Sign-ups that wait for an admin (registrations "approval"): the account
-- exists (its name is taken) but is suspended and cannot sign in until an
-- admin approves it; reason is what the person wrote about why they join.
ALTER TABLE users ADD COLUMN approved BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN reason TEXT NOT NULL DEFAULT '';
CREATE INDEX users_pending ON users (created_at) WHERE NOT approved;
