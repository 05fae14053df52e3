// The same referral graph and question in Neo4j's Cypher. NOT run by the tests (no Neo4j
// server here): tests/examples/test_nosql_models.py only checks that this file creates the
// same edges as referrals.sql. Syntax as documented in the Cypher Manual (Neo4j 5 and 2025.x).
// --8<-- [start:create]
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
MATCH p = (start:Customer {email: $email})-[:REFERRED*1..3]->(other:Customer)
WHERE other <> start
RETURN other.email AS email, min(length(p)) AS hops
ORDER BY hops, email;
// --8<-- [end:reach]
