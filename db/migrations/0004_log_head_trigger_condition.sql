-- 0004_log_head_trigger_condition: the head's forward-only rule as a trigger condition.
--
-- 0001 ran the PL/pgSQL function `log_head_forward_only` on every UPDATE of `log_head`, that
-- is once per committed append batch, and starting PL/pgSQL costs more in a new transaction
-- than the check itself. The condition now sits in the trigger's WHEN clause, which PostgreSQL
-- evaluates without calling the function: it runs only for an UPDATE that would move the head
-- backwards, and still rejects it with SQLSTATE CL002. DELETE and TRUNCATE are rejected as before.
DROP TRIGGER log_head_forward_only ON log_head;

CREATE TRIGGER log_head_forward_only
    BEFORE UPDATE ON log_head
    FOR EACH ROW WHEN (NEW.position < OLD.position) EXECUTE FUNCTION log_head_forward_only();

CREATE TRIGGER log_head_no_delete
    BEFORE DELETE ON log_head
    FOR EACH ROW EXECUTE FUNCTION log_head_forward_only();
