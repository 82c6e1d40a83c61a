-- 0008_transparency_log: the Merkle tree over the log and its latest signed checkpoint.
--
-- One leaf per event in position order, leaf index = position - 1, leaf data = the event's
-- chain hash (docs/integrity.md). `log_tree_hashes` holds the hash of every complete subtree
-- (RFC 6962 hashing): level 0 the leaf hashes, level l the hash of the 2^l leaves from
-- index * 2^l on; `log_tree` says how many leaves they cover. The tree is extended after the
-- fact, off the append path, and is a cache: a verifier recomputes it from the events.
-- `log_checkpoint` keeps the latest signed checkpoint (a C2SP signed note) and only moves to a
-- larger tree. All three are append-only for every role until a superuser disables the triggers.

CREATE TABLE log_tree_hashes (
    level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
    index bigint   NOT NULL CHECK (index >= 0),
    hash  bytea    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, index)
);

CREATE TABLE log_tree (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    size      bigint  NOT NULL CHECK (size >= 0)
);

INSERT INTO log_tree (size) VALUES (0);

CREATE TABLE log_checkpoint (
    singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    size      bigint      NOT NULL CHECK (size >= 0),
    root      bytea       NOT NULL CHECK (length(root) = 32),
    note      text        NOT NULL,
    signed_at timestamptz NOT NULL
);

-- Tree hashes are never changed or removed (SQLSTATE CL001, as for events).
CREATE FUNCTION log_tree_hashes_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the transparency log is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'CL001';
END
$$;

CREATE TRIGGER log_tree_hashes_no_update_or_delete
    BEFORE UPDATE OR DELETE ON log_tree_hashes
    FOR EACH ROW EXECUTE FUNCTION log_tree_hashes_reject_change();

CREATE TRIGGER log_tree_hashes_no_truncate
    BEFORE TRUNCATE ON log_tree_hashes
    FOR EACH STATEMENT EXECUTE FUNCTION log_tree_hashes_reject_change();

-- The tree's size and the checkpoint only grow and are never removed (SQLSTATE CL002, as for
-- the log head); a checkpoint is replaced only by one of a larger tree.
CREATE FUNCTION log_tree_forward_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.size < OLD.size THEN
        RAISE EXCEPTION 'the transparency log only grows: % on % rejected', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'CL002';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION log_checkpoint_forward_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.size <= OLD.size THEN
        RAISE EXCEPTION 'a checkpoint is replaced only by one of a larger tree: % on % rejected', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'CL002';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER log_tree_forward_only
    BEFORE UPDATE OR DELETE ON log_tree
    FOR EACH ROW EXECUTE FUNCTION log_tree_forward_only();

CREATE TRIGGER log_tree_no_truncate
    BEFORE TRUNCATE ON log_tree
    FOR EACH STATEMENT EXECUTE FUNCTION log_tree_forward_only();

CREATE TRIGGER log_checkpoint_forward_only
    BEFORE UPDATE OR DELETE ON log_checkpoint
    FOR EACH ROW EXECUTE FUNCTION log_checkpoint_forward_only();

CREATE TRIGGER log_checkpoint_no_truncate
    BEFORE TRUNCATE ON log_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION log_checkpoint_forward_only();

REVOKE ALL ON log_tree_hashes, log_tree, log_checkpoint FROM PUBLIC;
GRANT SELECT, INSERT ON log_tree_hashes TO caselog_app;
GRANT SELECT, UPDATE ON log_tree TO caselog_app;
GRANT SELECT, INSERT, UPDATE ON log_checkpoint TO caselog_app;
