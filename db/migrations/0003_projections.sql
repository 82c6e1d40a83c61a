-- 0003_projections: checkpoints of the projection workers, and what as-of queries need.
--
-- Each projection folds the log into tables of its own schema (`rm_<name>`), created by the
-- projection itself so that a rebuild can create fresh ones beside the live ones
-- (`rm_<name>_next`) and swap the schemas atomically. Its checkpoint row moves in the same
-- transaction as its rows, so a crash never applies an event twice or skips one.
CREATE TABLE projection_checkpoints (
    name             text        PRIMARY KEY,
    -- The last position applied to the live tables.
    position         bigint      NOT NULL DEFAULT 0 CHECK (position >= 0),
    -- running, paused or failed; set by PROJECTION PAUSE|RESUME and by a failing event.
    state            text        NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'paused', 'failed')),
    -- While a rebuild runs: the last position applied to the fresh tables.
    rebuild_position bigint      CHECK (rebuild_position >= 0),
    failed_position  bigint,
    failed_event_id  uuid,
    failed_error     text,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE projection_checkpoints IS 'One row per projection: the position its read-model tables reflect.';

-- As-of queries by time find the last position recorded at or before a moment.
CREATE INDEX events_recorded_at ON events (recorded_at);

GRANT SELECT, INSERT, UPDATE ON projection_checkpoints TO caselog_app;
-- Projections create their schemas (and rebuild them) at run time.
DO $$
BEGIN
    EXECUTE format('GRANT CREATE ON DATABASE %I TO caselog_app', current_database());
END
$$;
