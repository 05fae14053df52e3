-- Least-privilege roles for the bookstore on PostgreSQL, in two steps.
-- Passwords are set outside these files (ALTER ROLE ... PASSWORD, from a secret store).
-- tests/examples/test_dbadmin.py runs both steps against a throw-away PostgreSQL cluster.

-- --8<-- [start:roles]
-- Step 1, as an administrator, once per server. Roles belong to the whole server, so
-- pg_dump does not copy them: on a new server, run this file before restoring a dump.
CREATE ROLE bookstore_owner LOGIN;   -- owns the schema, runs the migrations; never the app
CREATE ROLE bookstore_app LOGIN;     -- the web application
CREATE ROLE bookstore_report LOGIN;  -- reports and analytics
CREATE DATABASE bookstore OWNER bookstore_owner;
-- By default every role may connect to a new database and create temporary tables in it.
REVOKE ALL ON DATABASE bookstore FROM PUBLIC;
GRANT CONNECT ON DATABASE bookstore TO bookstore_app, bookstore_report;
-- --8<-- [end:roles]
