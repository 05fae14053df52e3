// The same referral graph and question in Neo4j's Cypher. NOT run by the tests (no Neo4j
// server here): tests/examples/test_nosql_models.py only checks that this file creates the
// same edges as referrals.sql. Syntax as documented in the current Cypher Manual (read on
// 7 December 2026); quantified relationships need Neo4j 5.9 or later. Run it with
// cypher-shell -u neo4j --param "email => 'ana@example.com'" -f examples/nosql/referrals.cypher
// --8<-- [start:create]
// One customer per email: the constraint also gives MATCH on email an index.
CREATE CONSTRAINT customer_email IF NOT EXISTS
FOR (c:Customer) REQUIRE c.email IS UNIQUE;

CREATE (ana:Customer {email: 'ana@example.com'}),
       (budi:Customer {email: 'budi@example.com'}),
       (cita:Customer {email: 'cita@example.com'}),
       (dewi:Customer {email: 'dewi@example.com'}),
       (eko:Customer {email: 'eko@example.com'}),
       (fajar:Customer {email: 'fajar@example.com'}),
       (ana)-[:REFERRED]->(budi),
       (ana)-[:REFERRED]->(cita),
       (budi)-[:REFERRED]->(dewi),
       (cita)-[:REFERRED]->(dewi),
       (dewi)-[:REFERRED]->(eko),
       (eko)-[:REFERRED]->(fajar),
       (eko)-[:REFERRED]->(ana);
// --8<-- [end:create]

// --8<-- [start:reach]
// -[:REFERRED]->{1,3}: a quantified relationship, one to three hops (GQL-style syntax;
// the older variable-length form -[:REFERRED*1..3]-> means the same and still works).
MATCH p = (start:Customer {email: $email})-[:REFERRED]->{1,3}(other:Customer)
WHERE other <> start
RETURN other.email AS email, min(length(p)) AS hops
ORDER BY hops, email;
// --8<-- [end:reach]
