-- 0001_event_log: the append-only event log.
--
-- One `events` table with a gapless global position, per-stream versions, unique event ids
-- and a SHA-256 hash chain (docs/integrity.md); a single `log_head` row whose lock serialises
-- position assignment, so positions commit in order even with several server processes; the
-- `caselog_append` function that appends a whole group-commit batch in one round trip; triggers
-- that make the log append-only; and `caselog_app`, the least-privilege role for the service.

CREATE TABLE events (
    position    bigint      PRIMARY KEY CHECK (position > 0),
    stream      text        NOT NULL,
    version     bigint      NOT NULL CHECK (version >= 0),
    id          uuid        NOT NULL UNIQUE,
    type        text        NOT NULL,
    data        text        NOT NULL,
    metadata    text        NOT NULL,
    recorded_at timestamptz NOT NULL,
    prev_hash   bytea       NOT NULL,
    hash        bytea       NOT NULL,
    CONSTRAINT events_stream_version_key UNIQUE (stream, version)
);

COMMENT ON TABLE events IS 'Append-only event log; data and metadata are RFC 8785 canonical JSON text, hashed as stored.';

-- The head of the log: last position, its hash, and the latest recorded_at (kept monotonic).
CREATE TABLE log_head (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    position    bigint      NOT NULL,
    hash        bytea       NOT NULL,
    recorded_at timestamptz NOT NULL
);

INSERT INTO log_head (position, hash, recorded_at)
VALUES (0, decode(repeat('00', 32), 'hex'), '-infinity');

-- Any UPDATE, DELETE or TRUNCATE of events fails with SQLSTATE CL001.
CREATE FUNCTION events_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only: % on events is not allowed', TG_OP
        USING ERRCODE = 'CL001';
END
$$;

CREATE TRIGGER events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_reject_change();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_reject_change();

-- The head only moves forward and is never removed (SQLSTATE CL002).
CREATE FUNCTION log_head_forward_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.position < OLD.position THEN
        RAISE EXCEPTION 'the log head only moves forward: % rejected', TG_OP
            USING ERRCODE = 'CL002';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER log_head_forward_only
    BEFORE UPDATE OR DELETE ON log_head
    FOR EACH ROW EXECUTE FUNCTION log_head_forward_only();

CREATE TRIGGER log_head_no_truncate
    BEFORE TRUNCATE ON log_head
    FOR EACH STATEMENT EXECUTE FUNCTION log_head_forward_only();

-- Appends a batch of requests, each one stream's events with an expected version, in one
-- transaction. Events are flattened into the p_ids/p_types/p_data/p_metadata arrays, request r
-- owning the next p_counts[r] of them. p_expected: >= 0 exact version, -1 no stream, -2 any,
-- -3 stream exists. Returns one row per request, in order:
--   outcome 0 appended, 1 duplicate of events already stored (idempotent retry),
--           2 wrong expected version (actual_version says what it is), 3 id conflict.
-- Requests in one batch must name distinct streams and distinct ids (the caller ensures it).
CREATE FUNCTION caselog_append(
    p_streams  text[],
    p_expected bigint[],
    p_counts   int[],
    p_ids      uuid[],
    p_types    text[],
    p_data     text[],
    p_metadata text[]
) RETURNS TABLE (outcome smallint, actual_version bigint, first_version bigint, positions bigint[])
LANGUAGE plpgsql AS $$
DECLARE
    head_position bigint;
    head_hash     bytea;
    head_time     timestamptz;
    stamp         timestamptz;
    stamp_text    text;
    known_ids     uuid[];
    offs          int := 0;
    k             int;
    cur_version       bigint;
    matched       int;
    event_hash    bytea;
    out_index     int[]    := '{}';
    out_stream    text[]   := '{}';
    out_position  bigint[] := '{}';
    out_version   bigint[] := '{}';
    out_prev      bytea[]  := '{}';
    out_hash      bytea[]  := '{}';
BEGIN
    SELECT h.position, h.hash, h.recorded_at INTO head_position, head_hash, head_time
    FROM log_head h FOR UPDATE;

    stamp := greatest(clock_timestamp(), head_time);
    stamp_text := to_char(stamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
    SELECT array_agg(e.id) INTO known_ids FROM events e WHERE e.id = ANY (p_ids);

    FOR r IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
        k := p_counts[r];
        outcome := NULL; actual_version := NULL; first_version := NULL; positions := NULL;

        IF known_ids IS NOT NULL AND p_ids[offs + 1 : offs + k] && known_ids THEN
            SELECT count(*), array_agg(e.position ORDER BY x.ord), min(e.version)
            INTO matched, positions, first_version
            FROM unnest(p_ids[offs + 1 : offs + k], p_types[offs + 1 : offs + k], p_data[offs + 1 : offs + k])
                 WITH ORDINALITY AS x(id, type, data, ord)
            JOIN events e ON e.id = x.id AND e.stream = p_streams[r] AND e.type = x.type AND e.data = x.data;
            IF matched = k THEN
                outcome := 1;
            ELSE
                outcome := 3; positions := NULL; first_version := NULL;
            END IF;
        ELSE
            SELECT max(e.version) INTO cur_version FROM events e WHERE e.stream = p_streams[r];
            cur_version := coalesce(cur_version, -1);
            IF (p_expected[r] >= 0 AND p_expected[r] <> cur_version)
               OR (p_expected[r] = -1 AND cur_version <> -1)
               OR (p_expected[r] = -3 AND cur_version = -1) THEN
                outcome := 2; actual_version := cur_version;
            ELSE
                outcome := 0;
                first_version := cur_version + 1;
                positions := ARRAY(SELECT generate_series(head_position + 1, head_position + k));
                FOR i IN 1 .. k LOOP
                    head_position := head_position + 1;
                    event_hash := sha256(head_hash || convert_to(concat_ws(E'\n',
                        'caselog-event/1', head_position, p_streams[r], cur_version + i, p_ids[offs + i],
                        p_types[offs + i], stamp_text, p_data[offs + i], p_metadata[offs + i]), 'UTF8'));
                    out_index    := out_index || (offs + i);
                    out_stream   := out_stream || p_streams[r];
                    out_position := out_position || head_position;
                    out_version  := out_version || (cur_version + i);
                    out_prev     := out_prev || head_hash;
                    out_hash     := out_hash || event_hash;
                    head_hash := event_hash;
                END LOOP;
                actual_version := cur_version + k;
            END IF;
        END IF;

        offs := offs + k;
        RETURN NEXT;
    END LOOP;

    IF array_length(out_position, 1) > 0 THEN
        INSERT INTO events (position, stream, version, id, type, data, metadata, recorded_at, prev_hash, hash)
        SELECT a.position, a.stream, a.version, p_ids[a.idx], p_types[a.idx], p_data[a.idx], p_metadata[a.idx],
               stamp, a.prev, a.hash
        FROM unnest(out_index, out_stream, out_position, out_version, out_prev, out_hash)
             AS a(idx, stream, position, version, prev, hash);
        UPDATE log_head SET position = head_position, hash = head_hash, recorded_at = stamp;
        PERFORM pg_notify('caselog_events', head_position::text);
    END IF;
END
$$;

-- The service's role: it may read and append, never change or remove an event.
DO $$
BEGIN
    CREATE ROLE caselog_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

REVOKE ALL ON events, log_head FROM PUBLIC;
GRANT SELECT, INSERT ON events TO caselog_app;
GRANT SELECT, UPDATE ON log_head TO caselog_app;
GRANT EXECUTE ON FUNCTION caselog_append(text[], bigint[], int[], uuid[], text[], text[], text[]) TO caselog_app;
