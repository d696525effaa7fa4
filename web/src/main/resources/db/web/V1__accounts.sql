-- tracemesh web accounts, schema 1: users, API tokens, browser sessions. Portable between H2 (MODE=PostgreSQL) and
-- PostgreSQL, and prefixed web_ so it can share the collector's database (Flyway history table web_schema_history).
-- Secrets are never stored: passwords as PBKDF2 hashes (PasswordHashing's format), session ids and API tokens as the
-- lower-case hex SHA-256 of the secret. Roles are reader or admin.

CREATE TABLE web_users (
    user_name      VARCHAR(64)              NOT NULL,
    role           VARCHAR(16)              NOT NULL,
    password_hash  VARCHAR(256)             NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_name)
);

-- A token's role may be lower than its user's; a token acts with the lower of the two.
CREATE TABLE web_tokens (
    token_id      VARCHAR(32)              NOT NULL,
    token_hash    CHAR(64)                 NOT NULL,
    user_name     VARCHAR(64)              NOT NULL REFERENCES web_users (user_name) ON DELETE CASCADE,
    name          VARCHAR(100)             NOT NULL,
    role          VARCHAR(16)              NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (token_id),
    CONSTRAINT web_tokens_hash UNIQUE (token_hash)
);
CREATE INDEX web_tokens_user ON web_tokens (user_name);

-- A session ends last_seen_at + idle timeout or expires_at (login + max lifetime), whichever comes first.
CREATE TABLE web_sessions (
    session_hash  CHAR(64)                 NOT NULL,
    user_name     VARCHAR(64)              NOT NULL REFERENCES web_users (user_name) ON DELETE CASCADE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (session_hash)
);
CREATE INDEX web_sessions_user ON web_sessions (user_name);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
