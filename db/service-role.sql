-- db/service-role.sql: creates (or updates) the LOGIN role `caselog serve` connects as.
--
-- The role logs in and is a member of `caselog_app` (db/migrations/0001) and of nothing else:
-- it reads and appends events, moves the projections' checkpoints and owns their `rm_*` schemas,
-- but cannot update, delete or truncate an event, alter the `events` table or switch its
-- triggers off. Every session of it starts as `caselog_app` (ALTER ROLE ... SET role), so what
-- the service creates at run time (the read models' schemas and tables) belongs to `caselog_app`
-- whichever service role created it, and any member may rebuild it later.
--
-- Run it as the database owner after `caselog migrate` (scripts/run.sh and docker/compose.yaml do):
--   psql "$OWNER_URL" -v ON_ERROR_STOP=1 -v role=caselog_service -v password="$SECRET" -f db/service-role.sql
-- Without a password (or with an empty one) the role has none, for trust or peer authentication.
-- A role that is a superuser, may create roles or databases, or belongs to other roles is refused.
\set ON_ERROR_STOP on
\if :{?role}
\else
\set role ''
\endif
\if :{?password}
\else
\set password ''
\endif
SELECT set_config('caselog.service_role', :'role', false) AS service_role,
       set_config('caselog.service_password', :'password', false) AS service_password \gset

DO $$
DECLARE
    service  text := current_setting('caselog.service_role');
    password text := current_setting('caselog.service_password');
    existing pg_roles%ROWTYPE;
BEGIN
    IF service = '' OR service = current_user THEN
        RAISE EXCEPTION 'the service role must be named (-v role=NAME) and differ from the owner %', current_user;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'caselog_app') THEN
        RAISE EXCEPTION 'role caselog_app does not exist: run caselog migrate first';
    END IF;
    SELECT * INTO existing FROM pg_roles WHERE rolname = service;
    IF NOT FOUND THEN
        EXECUTE format('CREATE ROLE %I LOGIN', service);
    ELSIF existing.rolsuper OR existing.rolcreaterole OR existing.rolcreatedb OR existing.rolreplication
        OR existing.rolbypassrls THEN
        RAISE EXCEPTION 'role % has more privileges than the service needs (superuser, createrole, createdb, replication or bypassrls)', service;
    ELSIF EXISTS (
        SELECT FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
        WHERE m.member = existing.oid AND g.rolname <> 'caselog_app'
    ) THEN
        RAISE EXCEPTION 'role % is a member of roles other than caselog_app', service;
    ELSE
        EXECUTE format('ALTER ROLE %I LOGIN', service);
    END IF;
    IF password <> '' THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', service, password);
    END IF;
    IF NOT pg_has_role(service, 'caselog_app', 'MEMBER') THEN
        EXECUTE format('GRANT caselog_app TO %I', service);
    END IF;
    EXECUTE format('ALTER ROLE %I SET role = caselog_app', service);
END
$$;

-- The password leaves the session's settings as soon as the role has it.
SELECT set_config('caselog.service_password', '', false) AS service_password \gset
