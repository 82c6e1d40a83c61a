-- 0010_cosigned_checkpoint: the latest checkpoint a quorum of the log's witnesses cosigned.
--
-- The log's signed note (as in `log_checkpoint`) followed by the witnesses' cosignature lines,
-- stored by the WitnessFeeder once a quorum cosigned it and only after it verified the log's
-- signature and the quorum of cosignatures; read back (and verified again) when the service
-- starts, so that `LOG CHECKPOINT COSIGNED` answers it after a restart. Like `log_checkpoint` it
-- only moves to a larger tree and is never removed (SQLSTATE CL002) until a superuser disables
-- the triggers; a verifier checks the signatures, never this table's word.

CREATE TABLE log_cosigned_checkpoint (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    size        bigint      NOT NULL CHECK (size >= 0),
    note        text        NOT NULL,
    cosigned_at timestamptz NOT NULL
);

CREATE TRIGGER log_cosigned_checkpoint_forward_only
    BEFORE UPDATE OR DELETE ON log_cosigned_checkpoint
    FOR EACH ROW EXECUTE FUNCTION log_checkpoint_forward_only();

CREATE TRIGGER log_cosigned_checkpoint_no_truncate
    BEFORE TRUNCATE ON log_cosigned_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION log_checkpoint_forward_only();

REVOKE ALL ON log_cosigned_checkpoint FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON log_cosigned_checkpoint TO caselog_app;
