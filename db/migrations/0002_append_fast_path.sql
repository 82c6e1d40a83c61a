-- 0002_append_fast_path: a cheaper caselog_append with the same signature, results and hashes.
--
-- The 0001 function ran about eight SQL statements per call (lock the head; look up known
-- ids; per request, read the stream version and build the positions; insert; move the head;
-- notify), and the statements with array parameters were planned afresh on every call.
-- This version runs two statements in the usual case, with cached generic plans:
--
--   1. Lock the head row and, in the same statement, read every stream's version and the
--      batch's ids that are already stored. Those reads see the statement's snapshot, which
--      can predate the lock if another process committed an append while this one waited;
--      that shows as a locked head that differs from the head in the snapshot, and the
--      reads are then repeated (in a new statement, whose snapshot sees that commit).
--   2. Insert the batch's events, move the head and notify `caselog_events` with the new
--      head position (once per batch), in one statement.
--
-- Everything else is unchanged: positions are assigned under the head lock, held to commit;
-- outcomes, idempotency, expected-version rules and the canonical bytes and hash chain of
-- docs/integrity.md are exactly those of 0001.
CREATE OR REPLACE FUNCTION caselog_append(
    p_streams  text[],
    p_expected bigint[],
    p_counts   int[],
    p_ids      uuid[],
    p_types    text[],
    p_data     text[],
    p_metadata text[]
) RETURNS TABLE (outcome smallint, actual_version bigint, first_version bigint, positions bigint[])
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    head_position bigint;
    head_hash     bytea;
    head_time     timestamptz;
    seen_position bigint;
    base_position bigint;
    base_hash     bytea;
    stamp         timestamptz;
    stamp_text    text;
    known_ids     uuid[];
    versions      bigint[];
    offs          int := 0;
    k             int;
    cur_version   bigint;
    matched       int;
    new_index     int[]    := '{}';
    new_stream    text[]   := '{}';
    new_version   bigint[] := '{}';
    new_hash      bytea[]  := '{}';
    notified      text;
BEGIN
    SELECT h.position, h.hash, h.recorded_at,
           (SELECT s.position FROM log_head s),
           ARRAY(SELECT coalesce((SELECT max(e.version) FROM events e WHERE e.stream = x.stream), -1)
                 FROM unnest(p_streams) WITH ORDINALITY AS x(stream, ord) ORDER BY x.ord),
           ARRAY(SELECT e.id FROM events e WHERE e.id = ANY (p_ids))
    INTO head_position, head_hash, head_time, seen_position, versions, known_ids
    FROM log_head h FOR UPDATE;

    IF seen_position IS DISTINCT FROM head_position THEN
        SELECT ARRAY(SELECT coalesce((SELECT max(e.version) FROM events e WHERE e.stream = x.stream), -1)
                     FROM unnest(p_streams) WITH ORDINALITY AS x(stream, ord) ORDER BY x.ord),
               ARRAY(SELECT e.id FROM events e WHERE e.id = ANY (p_ids))
        INTO versions, known_ids;
    END IF;

    base_position := head_position;
    base_hash := head_hash;
    stamp := greatest(clock_timestamp(), head_time);
    stamp_text := to_char(stamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');

    FOR r IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
        k := p_counts[r];
        outcome := NULL; actual_version := NULL; first_version := NULL; positions := NULL;

        IF cardinality(known_ids) > 0 AND p_ids[offs + 1 : offs + k] && known_ids THEN
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
            cur_version := versions[r];
            IF (p_expected[r] >= 0 AND p_expected[r] <> cur_version)
               OR (p_expected[r] = -1 AND cur_version <> -1)
               OR (p_expected[r] = -3 AND cur_version = -1) THEN
                outcome := 2; actual_version := cur_version;
            ELSE
                outcome := 0;
                first_version := cur_version + 1;
                actual_version := cur_version + k;
                positions := '{}';
                FOR i IN 1 .. k LOOP
                    head_position := head_position + 1;
                    positions[i] := head_position;
                    new_index[head_position - base_position] := offs + i;
                    new_stream[head_position - base_position] := p_streams[r];
                    new_version[head_position - base_position] := cur_version + i;
                    head_hash := sha256(head_hash || convert_to(concat_ws(E'\n',
                        'caselog-event/1', head_position, p_streams[r], cur_version + i, p_ids[offs + i],
                        p_types[offs + i], stamp_text, p_data[offs + i], p_metadata[offs + i]), 'UTF8'));
                    new_hash[head_position - base_position] := head_hash;
                END LOOP;
            END IF;
        END IF;

        offs := offs + k;
        RETURN NEXT;
    END LOOP;

    IF head_position > base_position THEN
        WITH appended AS (
            INSERT INTO events (position, stream, version, id, type, data, metadata, recorded_at, prev_hash, hash)
            SELECT base_position + a.n, a.stream, a.version, p_ids[a.idx], p_types[a.idx], p_data[a.idx],
                   p_metadata[a.idx], stamp, CASE WHEN a.n = 1 THEN base_hash ELSE new_hash[a.n - 1] END, a.hash
            FROM unnest(new_index, new_stream, new_version, new_hash) WITH ORDINALITY AS a(idx, stream, version, hash, n)
        )
        UPDATE log_head SET position = head_position, hash = head_hash, recorded_at = stamp
        RETURNING pg_notify('caselog_events', head_position::text)::text INTO notified;
    END IF;
END
$$;
