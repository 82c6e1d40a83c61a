-- 0008_atomic_append_procedure: an append across many streams that commits all or nothing.
--
-- `caselog_append_committed` (0006) decides request by request and commits those that pass:
-- the right answer for independent appends grouped by the writer. An atomic append (a MULTI/EXEC
-- batch, an import) needs the opposite: if any request is refused (a stream not at its expected
-- version, an event id used with other content), nothing of it may be written.
--
-- `caselog_append_answer` runs `caselog_append` and folds its per-request rows into the arrays
-- both procedures answer with (the body of 0006, now in one place). `caselog_append_committed`
-- is re-created on it, unchanged in behaviour; `caselog_append_atomic` commits only when every
-- request was appended or found stored already, and otherwise rolls back (the head, the rows
-- and the notification alike) and answers the same arrays, so the caller can name the request
-- that was refused and why.
CREATE FUNCTION caselog_append_answer(
    p_streams text[],
    p_expected bigint[],
    p_counts int[],
    p_ids uuid[],
    p_types text[],
    p_data text[],
    p_metadata text[],
    OUT answer_outcomes smallint[],
    OUT answer_versions bigint[],
    OUT answer_positions bigint[]
)
LANGUAGE sql AS $$
    WITH answered AS MATERIALIZED (
        SELECT *
        FROM caselog_append(p_streams, p_expected, p_counts, p_ids, p_types, p_data, p_metadata)
             WITH ORDINALITY AS a(outcome, actual_version, first_version, positions, n)
    )
    SELECT coalesce(array_agg(a.outcome ORDER BY a.n), '{}'),
           coalesce(array_agg(coalesce(CASE WHEN a.outcome = 2 THEN a.actual_version ELSE a.first_version END, 0)
                              ORDER BY a.n), '{}'),
           coalesce((SELECT array_agg(p.position ORDER BY b.n, p.i)
                     FROM answered b, unnest(b.positions) WITH ORDINALITY AS p(position, i)), '{}')
    FROM answered a
$$;

CREATE OR REPLACE PROCEDURE caselog_append_committed(
    p_streams text[],
    p_expected bigint[],
    p_counts int[],
    p_ids uuid[],
    p_types text[],
    p_data text[],
    p_metadata text[],
    INOUT answer_outcomes smallint[] DEFAULT NULL,
    INOUT answer_versions bigint[] DEFAULT NULL,
    INOUT answer_positions bigint[] DEFAULT NULL
)
LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.answer_outcomes, a.answer_versions, a.answer_positions
    INTO answer_outcomes, answer_versions, answer_positions
    FROM caselog_append_answer(p_streams, p_expected, p_counts, p_ids, p_types, p_data, p_metadata) AS a;
    COMMIT;
END
$$;

CREATE PROCEDURE caselog_append_atomic(
    p_streams text[],
    p_expected bigint[],
    p_counts int[],
    p_ids uuid[],
    p_types text[],
    p_data text[],
    p_metadata text[],
    INOUT answer_outcomes smallint[] DEFAULT NULL,
    INOUT answer_versions bigint[] DEFAULT NULL,
    INOUT answer_positions bigint[] DEFAULT NULL
)
LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.answer_outcomes, a.answer_versions, a.answer_positions
    INTO answer_outcomes, answer_versions, answer_positions
    FROM caselog_append_answer(p_streams, p_expected, p_counts, p_ids, p_types, p_data, p_metadata) AS a;
    -- Outcomes 2 (wrong version) and 3 (an id used with other content) refuse the whole append.
    IF answer_outcomes && ARRAY[2, 3]::smallint[] THEN
        ROLLBACK;
    ELSE
        COMMIT;
    END IF;
END
$$;

GRANT EXECUTE ON FUNCTION caselog_append_answer(text[], bigint[], int[], uuid[], text[], text[], text[])
    TO caselog_app;
GRANT EXECUTE ON PROCEDURE caselog_append_atomic(
    text[], bigint[], int[], uuid[], text[], text[], text[], smallint[], bigint[], bigint[]
) TO caselog_app;
