-- 0006_append_function_procedure: `caselog_append` commits before it answers, too.
--
-- Appends the chained path does not take (no stated version, a retried or reused id, a version
-- taken meanwhile; Sources/EventStore/AppendStatement.swift) went through `caselog_append` as a
-- statement of their own, answered before their commit (see 0005). They ran between BEGIN and
-- COMMIT since, two more round trips; now they call this procedure, in one.
--
-- The procedure calls `caselog_append`, commits, and then answers with its per-request rows as
-- arrays. Each request has an outcome; a version (the first appended or stored for outcomes 0
-- and 1, the stream's actual one for 2, 0 for 3); and, for outcomes 0 and 1, as many positions
-- as it has events, in request order.
CREATE PROCEDURE caselog_append_committed(
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
    INTO answer_outcomes, answer_versions, answer_positions
    FROM answered a;
    COMMIT;
END
$$;

GRANT EXECUTE ON PROCEDURE caselog_append_committed(
    text[], bigint[], int[], uuid[], text[], text[], text[], smallint[], bigint[], bigint[]
) TO caselog_app;
