-- The bookstore's referral program as a graph stored in a table: who brought in whom.
-- Run by tests/examples/test_nosql_models.py in SQLite; a recursive CTE is standard SQL
-- (PostgreSQL runs the query too, with its driver's parameter style instead of :email).
-- --8<-- [start:schema]
CREATE TABLE referrals (
    referrer TEXT NOT NULL,  -- customer email addresses, as in sql/schema.sql
    referred TEXT NOT NULL,
    PRIMARY KEY (referrer, referred)
);

INSERT INTO referrals (referrer, referred) VALUES
    ('ana@example.com', 'budi@example.com'),
    ('ana@example.com', 'cita@example.com'),
    ('budi@example.com', 'dewi@example.com'),
    ('cita@example.com', 'dewi@example.com'),
    ('dewi@example.com', 'eko@example.com'),
    ('eko@example.com', 'fajar@example.com'),
    ('eko@example.com', 'ana@example.com');  -- a cycle: Eko brought Ana back after she left
-- --8<-- [end:schema]

-- --8<-- [start:reach]
WITH RECURSIVE reach (email, hops) AS (
    SELECT referred, 1 FROM referrals WHERE referrer = :email
    UNION  -- not UNION ALL: a row seen before is not walked again
    SELECT r.referred, reach.hops + 1
    FROM referrals AS r JOIN reach ON r.referrer = reach.email
    WHERE reach.hops < 3  -- the depth limit also stops the walk around the cycle
)
SELECT email, MIN(hops) AS hops
FROM reach
WHERE email <> :email
GROUP BY email
ORDER BY hops, email;
-- --8<-- [end:reach]
