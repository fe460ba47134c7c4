-- Runs once, when the PostgreSQL container initialises an empty data directory.
-- One role and one database per subgraph: no subgraph can read another's tables.
-- The passwords are for a local machine only; in production use managed secrets
-- (or a managed PostgreSQL) and pass the URLs through <NAME>_DATABASE_URL.
-- Collation "C": text sorts by code point, as on SQLite, keys sort and index with less
-- CPU than under a libc collation such as C.UTF-8, and a code prefix (LIKE '33%') can use
-- a plain index (docs/bench-seed.md).

CREATE ROLE places LOGIN PASSWORD 'places-local';
CREATE DATABASE places OWNER places TEMPLATE template0 LC_COLLATE 'C';
REVOKE ALL ON DATABASE places FROM PUBLIC;

CREATE ROLE culture LOGIN PASSWORD 'culture-local';
CREATE DATABASE culture OWNER culture TEMPLATE template0 LC_COLLATE 'C';
REVOKE ALL ON DATABASE culture FROM PUBLIC;

CREATE ROLE healthcare LOGIN PASSWORD 'healthcare-local';
CREATE DATABASE healthcare OWNER healthcare TEMPLATE template0 LC_COLLATE 'C';
REVOKE ALL ON DATABASE healthcare FROM PUBLIC;

CREATE ROLE commerce LOGIN PASSWORD 'commerce-local';
CREATE DATABASE commerce OWNER commerce TEMPLATE template0 LC_COLLATE 'C';
REVOKE ALL ON DATABASE commerce FROM PUBLIC;
