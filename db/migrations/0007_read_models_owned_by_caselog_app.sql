-- 0007_read_models_owned_by_caselog_app: the read models' schemas belong to the service's role.
--
-- The service now connects as a LOGIN role that is only a member of `caselog_app` and whose
-- sessions run as `caselog_app` (db/service-role.sql), so the schemas its projections create
-- (`rm_<name>`, and `rm_<name>_next` while a rebuild runs) belong to `caselog_app`. A database
-- served before as the superuser or the owner holds such schemas owned by that role instead, and
-- a rebuild must drop and rename them, which only their owner may do: privileges cannot grant
-- that. So every existing `rm_*` schema and every table in it is handed to `caselog_app` (the
-- indexes follow their tables). Running the service as the owner again would create schemas the
-- service role cannot rebuild; serve as the service role only.
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT nspname FROM pg_namespace
        WHERE nspname LIKE 'rm\_%' AND nspowner <> 'caselog_app'::regrole
    LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO caselog_app', item.nspname);
    END LOOP;
    FOR item IN
        SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname LIKE 'rm\_%' AND c.relkind IN ('r', 'p') AND c.relowner <> 'caselog_app'::regrole
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO caselog_app', item.name);
    END LOOP;
END
$$;
