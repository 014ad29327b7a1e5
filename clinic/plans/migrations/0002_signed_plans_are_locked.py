"""On PostgreSQL, the database itself keeps signed plan versions, their goals, clients' acknowledgements
and the goals a signed note links to as they were signed.

A signed version cannot change or be deleted; goals of a signed version
cannot be added, changed or removed; acknowledgements are append-only; a
note's goal links change only while the note is a draft.
"""

from django.db import migrations

from clinic.lib.migrations import on_postgresql

CREATE = """
CREATE OR REPLACE FUNCTION plan_version_locked() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'signed plan versions are locked (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER plan_version_locked
    BEFORE UPDATE OR DELETE ON plans_planversion
    FOR EACH ROW WHEN (OLD.status = 'signed')
    EXECUTE FUNCTION plan_version_locked();

CREATE OR REPLACE FUNCTION plan_goal_locked() RETURNS trigger AS $$
DECLARE
    version_status text;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.version_id IS DISTINCT FROM OLD.version_id THEN
        RAISE EXCEPTION 'a goal cannot move to another plan version' USING ERRCODE = 'restrict_violation';
    END IF;
    SELECT status INTO version_status FROM plans_planversion
        WHERE id = COALESCE(NEW.version_id, OLD.version_id);
    IF version_status = 'signed' THEN
        RAISE EXCEPTION 'goals of a signed plan version are locked (% refused)', TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER plan_goal_locked
    BEFORE INSERT OR UPDATE OR DELETE ON plans_goal
    FOR EACH ROW EXECUTE FUNCTION plan_goal_locked();

CREATE OR REPLACE FUNCTION plan_acknowledgement_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'acknowledgements are immutable (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER plan_acknowledgement_immutable
    BEFORE UPDATE OR DELETE ON plans_planacknowledgement
    FOR EACH ROW EXECUTE FUNCTION plan_acknowledgement_immutable();

CREATE OR REPLACE FUNCTION note_goal_locked() RETURNS trigger AS $$
DECLARE
    note_status text;
BEGIN
    SELECT status INTO note_status FROM notes_sessionnote
        WHERE id = COALESCE(NEW.note_id, OLD.note_id);
    IF note_status = 'signed' THEN
        RAISE EXCEPTION 'goal links of a signed note are locked (% refused)', TG_OP
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER note_goal_locked
    BEFORE INSERT OR UPDATE OR DELETE ON plans_notegoal
    FOR EACH ROW EXECUTE FUNCTION note_goal_locked();
"""

DROP = """
DROP TRIGGER IF EXISTS plan_version_locked ON plans_planversion;
DROP FUNCTION IF EXISTS plan_version_locked();
DROP TRIGGER IF EXISTS plan_goal_locked ON plans_goal;
DROP FUNCTION IF EXISTS plan_goal_locked();
DROP TRIGGER IF EXISTS plan_acknowledgement_immutable ON plans_planacknowledgement;
DROP FUNCTION IF EXISTS plan_acknowledgement_immutable();
DROP TRIGGER IF EXISTS note_goal_locked ON plans_notegoal;
DROP FUNCTION IF EXISTS note_goal_locked();
"""


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [on_postgresql(CREATE, DROP)]
