-- 0005_chained_append_procedure: the chained append commits before it answers.
--
-- A statement sent on its own commits only after it has delivered its rows, and the client
-- library reports it done at that point: a commit failing afterwards (a backend terminated
-- mid-commit, a deferred check) would be answered as appended although nothing was written.
-- The chained append (Sources/EventStore/ChainedAppend.swift) therefore runs as a procedure
-- that commits and only then returns its answer, in the one round trip the statement took.
-- Its checks and writes are those of the statement it replaces: move the head only if it is
-- still the head the rows were chained to (and every looked-up stream is at its stated
-- version), then insert the finished rows, each `prev_hash` linked to the hash before it.

-- Whether every stream flagged for a lookup is at the version its request states (-1: no
-- stream), as one row. A single SQL query called from FROM, so that PostgreSQL inlines it into
-- the calling statement and plans it there (its lookups through the (stream, version) key).
CREATE FUNCTION caselog_stated_versions_hold(streams text[], versions bigint[], lookups boolean[])
RETURNS SETOF boolean LANGUAGE sql STABLE ROWS 1 AS $$
    SELECT NOT EXISTS (
        SELECT 1 FROM unnest(streams, versions, lookups) AS r(stream, version, lookup)
        WHERE r.lookup
          AND coalesce((SELECT max(e.version) FROM events e WHERE e.stream = r.stream), -1) <> r.version
    )
$$;

CREATE PROCEDURE caselog_append_chained(
    stated_streams text[],
    stated_versions bigint[],
    row_streams text[],
    row_versions bigint[],
    row_ids uuid[],
    row_types text[],
    row_data text[],
    row_metadata text[],
    row_hashes bytea[],
    after_position bigint,
    after_hash bytea,
    stamp_text text,
    lookups boolean[],
    INOUT appended bigint DEFAULT NULL,
    INOUT versions_hold boolean DEFAULT NULL,
    INOUT head_position bigint DEFAULT NULL,
    INOUT head_hash bytea DEFAULT NULL,
    INOUT head_micros bigint DEFAULT NULL
)
LANGUAGE plpgsql AS $$
DECLARE
    stamp constant timestamptz := stamp_text::timestamptz;
    last_position constant bigint := after_position + cardinality(row_ids);
BEGIN
    appended := 0;
    IF true = ANY (lookups) THEN
        SELECT hold INTO versions_hold
        FROM caselog_stated_versions_hold(stated_streams, stated_versions, lookups) AS hold;
    ELSE
        versions_hold := true;
    END IF;
    IF versions_hold THEN
        UPDATE log_head h
        SET position = last_position, hash = row_hashes[cardinality(row_hashes)], recorded_at = stamp
        WHERE h.position = after_position AND h.hash = after_hash AND h.recorded_at <= stamp;
        IF FOUND THEN
            INSERT INTO events (position, stream, version, id, type, data, metadata, recorded_at, prev_hash, hash)
            SELECT after_position + x.n, x.stream, x.version, x.id, x.type, x.data, x.metadata, stamp,
                   x.prev_hash, x.hash
            FROM unnest(row_streams, row_versions, row_ids, row_types, row_data, row_metadata,
                        array_prepend(after_hash, trim_array(row_hashes, 1)), row_hashes)
                 WITH ORDINALITY AS x(stream, version, id, type, data, metadata, prev_hash, hash, n);
            GET DIAGNOSTICS appended = ROW_COUNT;
            PERFORM pg_notify('caselog_events', last_position::text);
        END IF;
    END IF;
    SELECT h.position, h.hash,
           CASE WHEN isfinite(h.recorded_at) THEN (extract(epoch FROM h.recorded_at) * 1000000)::bigint END
    INTO head_position, head_hash, head_micros
    FROM log_head h;
    COMMIT;
END
$$;

GRANT EXECUTE ON FUNCTION caselog_stated_versions_hold(text[], bigint[], boolean[]) TO caselog_app;
GRANT EXECUTE ON PROCEDURE caselog_append_chained(
    text[], bigint[], text[], bigint[], uuid[], text[], text[], text[], bytea[], bigint, bytea, text, boolean[],
    bigint, boolean, bigint, bytea, bigint
) TO caselog_app;
