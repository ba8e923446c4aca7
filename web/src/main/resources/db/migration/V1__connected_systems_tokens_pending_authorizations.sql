-- Conduit's schema, version 1. Runs unchanged on H2 2.x and PostgreSQL: standard types only, no vendor syntax.
-- Every secret (client secrets, secret variables, tokens, PKCE verifiers) is stored as SecretCipher ciphertext.

-- Connected systems. The configuration is a JSON document without secrets; the secrets are one ciphertext,
-- bound to the system's name. The status lives beside the configuration but is not versioned: a status change
-- must never make an administrator's edit fail with a concurrent modification.
CREATE TABLE conduit_connected_system (
    name          VARCHAR(50)                 NOT NULL,
    version       BIGINT                      NOT NULL,
    grant_type    VARCHAR(200)                NOT NULL,
    configuration VARCHAR                     NOT NULL,
    secrets       VARCHAR,
    status_state  VARCHAR(10)                 NOT NULL,
    status_code   VARCHAR(64),
    status_reason VARCHAR(2000),
    status_since  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    created_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT conduit_connected_system_pk PRIMARY KEY (name)
);

-- Tokens, one row per (system, subject). user_id is '' for the application subject (a key column cannot be NULL).
-- A row whose access_token is NULL is a lock row: it exists so that the first acquisition of a key can be
-- serialised with SELECT ... FOR UPDATE like every later one, and reads as "no token".
-- No foreign key to conduit_connected_system: systems defined in configuration have tokens too.
CREATE TABLE conduit_token (
    system_name   VARCHAR(50)                 NOT NULL,
    subject_kind  VARCHAR(11)                 NOT NULL,
    user_id       VARCHAR(255)                NOT NULL,
    access_token  VARCHAR,
    refresh_token VARCHAR,
    token_type    VARCHAR,
    issued_at     TIMESTAMP(6) WITH TIME ZONE,
    expires_at    TIMESTAMP(6) WITH TIME ZONE,
    scope         VARCHAR,
    updated_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT conduit_token_pk PRIMARY KEY (system_name, subject_kind, user_id),
    CONSTRAINT conduit_token_subject_kind CHECK (subject_kind IN ('APPLICATION', 'USER'))
);

-- Authorization links handed out and not yet completed; each state is used at most once.
CREATE TABLE conduit_pending_authorization (
    state         VARCHAR(256)                NOT NULL,
    system_name   VARCHAR(50)                 NOT NULL,
    user_id       VARCHAR(255)                NOT NULL,
    code_verifier VARCHAR                     NOT NULL,
    redirect_uri  VARCHAR                     NOT NULL,
    issuer        VARCHAR,
    expires_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    used          BOOLEAN                     NOT NULL,
    created_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT conduit_pending_authorization_pk PRIMARY KEY (state)
);

CREATE INDEX conduit_pending_authorization_expires ON conduit_pending_authorization (expires_at);
