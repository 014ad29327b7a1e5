"""Adding an audit action is a line in `Action`, not a migration restating every choice."""

import pytest

from clinic.audit.models import Action, AuditEvent


def test_the_action_column_carries_no_list_of_choices():
    # Choices or a CHECK listing them would put every action into the schema,
    # so each new action would need a migration (seven did, before this).
    field = AuditEvent._meta.get_field("action")
    assert not field.choices
    assert not [c for c in AuditEvent._meta.constraints if "action" in str(getattr(c, "condition", ""))]


@pytest.mark.django_db
def test_an_unknown_action_is_refused_before_it_reaches_the_log():
    with pytest.raises(ValueError, match="Unknown audit action"):
        AuditEvent(action="no_such_action").save()
    assert not AuditEvent.objects.filter(action="no_such_action").exists()


@pytest.mark.django_db
def test_each_row_reads_its_action_in_words(therapist):
    from clinic.audit.events import record

    event = record(action=Action.LOGIN, actor=therapist)
    assert event.action_label == "Signed in"
