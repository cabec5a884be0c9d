-- Accounts, their address books, refresh-token sessions and the key that
-- signs access tokens. Ids are UUID strings, timestamps epoch milliseconds.

CREATE TABLE "user" (
    user_id       TEXT   NOT NULL CONSTRAINT user_pkey PRIMARY KEY,
    -- Stored lower-cased, so the unique constraint is case-insensitive.
    email         TEXT   NOT NULL CONSTRAINT user_email_key UNIQUE,
    name          TEXT   NOT NULL,
    password_hash TEXT   NOT NULL,
    role          TEXT   NOT NULL CONSTRAINT user_role_check CHECK (role IN ('CUSTOMER', 'ADMIN')),
    -- NULL while the account is active.
    frozen_at     INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE address (
    address_id  TEXT   NOT NULL CONSTRAINT address_pkey PRIMARY KEY,
    user_id     TEXT   NOT NULL CONSTRAINT address_user_fkey REFERENCES "user" (user_id) ON DELETE CASCADE,
    recipient   TEXT   NOT NULL,
    phone       TEXT,
    line1       TEXT   NOT NULL,
    line2       TEXT,
    city        TEXT   NOT NULL,
    region      TEXT,
    postal_code TEXT,
    country     TEXT   NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0 CONSTRAINT address_is_default_check CHECK (is_default IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE INDEX address_user_idx ON address (user_id, created_at);
-- At most one default per user; the code keeps it at exactly one.
CREATE UNIQUE INDEX address_one_default_key ON address (user_id) WHERE is_default = 1;

-- One row per issued refresh token. Only the SHA-256 of the token is kept.
-- Tokens rotated from one login share a family; reusing a spent token
-- revokes the family.
CREATE TABLE refresh_token (
    refresh_token_id TEXT   NOT NULL CONSTRAINT refresh_token_pkey PRIMARY KEY,
    user_id          TEXT   NOT NULL CONSTRAINT refresh_token_user_fkey REFERENCES "user" (user_id) ON DELETE CASCADE,
    family_id        TEXT   NOT NULL,
    token_hash       TEXT   NOT NULL CONSTRAINT refresh_token_hash_key UNIQUE,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    used_at          INTEGER,
    revoked_at       INTEGER
);

CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);
CREATE INDEX refresh_token_user_idx ON refresh_token (user_id);

-- The Ed25519 key that signs access tokens, shared by every replica.
CREATE TABLE signing_key (
    signing_key_id TEXT   NOT NULL CONSTRAINT signing_key_pkey PRIMARY KEY,
    -- 'current' for the key in use; one row per slot.
    slot           TEXT   NOT NULL CONSTRAINT signing_key_slot_key UNIQUE,
    -- PKCS#8 DER, base64.
    pkcs8          TEXT   NOT NULL,
    created_at     INTEGER NOT NULL
);
