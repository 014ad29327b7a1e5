"""On PostgreSQL, a submitted screening cannot be changed or deleted, whoever asks."""

from django.db import migrations

from clinic.lib.migrations import on_postgresql

CREATE = """
CREATE OR REPLACE FUNCTION screening_submitted_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'submitted screenings are immutable (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER screening_submitted_immutable
    BEFORE UPDATE OR DELETE ON assessments_screening
    FOR EACH ROW WHEN (OLD.status = 'submitted')
    EXECUTE FUNCTION screening_submitted_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS screening_submitted_immutable ON assessments_screening;
DROP FUNCTION IF EXISTS screening_submitted_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [on_postgresql(CREATE, DROP)]
