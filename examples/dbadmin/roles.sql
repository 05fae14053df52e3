-- Least-privilege roles for the bookstore on PostgreSQL, in two steps.
-- Passwords are set outside these files (ALTER ROLE ... PASSWORD, from a secret store).
-- tests/examples/test_dbadmin.py runs both steps against a throw-away PostgreSQL cluster.

-- --8<-- [start:roles]
-- Step 1, as an administrator, once: the roles, and a schema owned by the owner role.
CREATE ROLE bookstore_owner LOGIN;   -- runs the migrations; the app never uses it
CREATE ROLE bookstore_app LOGIN;     -- the web application
CREATE ROLE bookstore_report LOGIN;  -- reports and analytics
CREATE SCHEMA bookstore AUTHORIZATION bookstore_owner;
-- --8<-- [end:roles]
