-- Accounts are told apart by email_key, no longer by the address itself.
-- Until now the address was stored case-folded as a whole, and casefold() turns ß into ss:
-- "ana@straße.de" was stored as "ana@strasse.de", another domain, and the owner of that
-- address got the same account. From now on users.email keeps the address as
-- email-validator returns it (mail goes there), and email_key (bookstore/security/emails.py)
-- lower-cases the local part only.
ALTER TABLE users ADD COLUMN email_key TEXT;

-- For rows written so far the stored address is the key: it was stored case-folded, and
-- casefold() and lower() give the same text for every ASCII address and most others. SQL
-- has no Unicode case mapping, so this copies instead of recomputing. Where the two differ
-- (ß, final sigma, ligatures and a few more), the key keeps the folded spelling, which
-- the owner can still log in with; an ß that folding removed cannot be restored.
UPDATE users SET email_key = email;

-- One account per key. A row inserted without a key (only by hand) has NULL, which UNIQUE
-- allows more than once; the application always writes one. The old UNIQUE COLLATE NOCASE
-- on email stays: two addresses equal under it have equal keys, so it refuses nothing more.
CREATE UNIQUE INDEX idx_users_email_key ON users (email_key);
