-- A key's lease: which update of which node is requesting that key's token, and until when. It replaces holding the
-- row lock (and a pooled connection and transaction) across the outbound token request. A lease whose lease_until has
-- passed is free, so a node that crashed while holding one blocks the key only until then.
ALTER TABLE conduit_token ADD COLUMN lease_owner VARCHAR(100);
ALTER TABLE conduit_token ADD COLUMN lease_until TIMESTAMP(6) WITH TIME ZONE;

-- Each user's open authorization links are capped; this finds a user's links without scanning the table.
CREATE INDEX conduit_pending_authorization_user ON conduit_pending_authorization (user_id, expires_at);
