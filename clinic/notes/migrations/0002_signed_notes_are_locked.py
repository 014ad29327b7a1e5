"""On PostgreSQL, the database itself keeps signed notes, their tags and addenda as they were signed.

A signed note's content, format, signature and hash cannot change; the only
changes allowed are the co-sign fields and a supervisor's return (which
unlocks the note for its author once, leaving the content untouched).
"""

from django.db import migrations

from clinic.lib.migrations import on_postgresql

CREATE = """
CREATE OR REPLACE FUNCTION note_signed_locked() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'signed notes cannot be deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.content IS DISTINCT FROM OLD.content
       OR NEW.format IS DISTINCT FROM OLD.format
       OR NEW.safety_concern IS DISTINCT FROM OLD.safety_concern
       OR NEW.next_steps IS DISTINCT FROM OLD.next_steps
       OR NEW.content_hash IS DISTINCT FROM OLD.content_hash
       OR NEW.signed_at IS DISTINCT FROM OLD.signed_at
       OR NEW.signed_by_id IS DISTINCT FROM OLD.signed_by_id
       OR NEW.session_id IS DISTINCT FROM OLD.session_id
       OR NEW.author_id IS DISTINCT FROM OLD.author_id THEN
        RAISE EXCEPTION 'signed notes are locked (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.status = 'draft' AND NOT (NEW.returned_at IS NOT NULL AND OLD.returned_at IS NULL) THEN
        RAISE EXCEPTION 'a signed note is unlocked only by a supervisor''s return' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER note_signed_locked
    BEFORE UPDATE OR DELETE ON notes_sessionnote
    FOR EACH ROW WHEN (OLD.status = 'signed')
    EXECUTE FUNCTION note_signed_locked();

CREATE OR REPLACE FUNCTION note_tag_locked() RETURNS trigger AS $$
DECLARE
    note_status text;
BEGIN
    SELECT status INTO note_status FROM notes_sessionnote
        WHERE id = COALESCE(NEW.note_id, OLD.note_id);
    IF note_status = 'signed' THEN
        RAISE EXCEPTION 'tags of a signed note are locked (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER note_tag_locked
    BEFORE INSERT OR UPDATE OR DELETE ON notes_practicetag
    FOR EACH ROW EXECUTE FUNCTION note_tag_locked();

CREATE OR REPLACE FUNCTION note_addendum_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'addenda are immutable (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER note_addendum_immutable
    BEFORE UPDATE OR DELETE ON notes_addendum
    FOR EACH ROW EXECUTE FUNCTION note_addendum_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS note_signed_locked ON notes_sessionnote;
DROP FUNCTION IF EXISTS note_signed_locked();
DROP TRIGGER IF EXISTS note_tag_locked ON notes_practicetag;
DROP FUNCTION IF EXISTS note_tag_locked();
DROP TRIGGER IF EXISTS note_addendum_immutable ON notes_addendum;
DROP FUNCTION IF EXISTS note_addendum_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]

    operations = [on_postgresql(CREATE, DROP)]
