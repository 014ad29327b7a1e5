"""A redaction reaches every file and every field of a release.

The record below holds a unique marker in every piece of free text a record export carries (intake answers, safe
times, a warning sign, a flag's notes, every field of a note, next steps, a practice's evidence line, addenda,
goals, an exercise's instructions and note, exercise and session check-ins) and structured values (a
questionnaire, check-in ratings, a flag's reasons, a warning sign's action, a multiple-choice intake answer).
For random redactions (markers as passages, whole items withheld) no redacted marker and no withheld value is
left in any file: the JSON of every example, the PDF of a few. And every string in the JSON is either one of the
pieces the review page lists or record metadata, so nothing reaches a file around the review.
"""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.flags import record_warning_sign
from assessments.framework import registry
from assessments.models import RiskFlag
from assessments.screenings import assign, submit
from clinic.notes.models import Addendum, PracticeTag, SessionNote, TherapySession
from clinic.releases.models import Redaction, Release
from clinic.releases.releasing import contents_of
from clinic.reports.export import record_data
from clinic.reports.releasefiles import release_file
from tests.factories import checkins_sent
from tests.releases.flow import authorize, pdf_text
from tests.reports.plan_material import make_plan

MARKER = re.compile(r"MK\d+Q|(?:SHARED|OWN)-[A-Z-]+-\w{4}")
# JSON paths (keys joined by "/", list positions as "*") that hold record metadata, not what a person wrote.
METADATA = re.compile(
    r"^(schema|generated_at|generated_by|purpose|redactions"
    r"|client/(reference|full_name|preferred_name|email|phone)"
    r"|intake/(submitted_at|signature_name)"
    r"|screenings/\*/(instrument|instrument_version|submitted_at)"
    r"|warning_signs/\*/(type|observed_on|severity|source|recorded_at)"
    r"|risk_flags/\*/(severity|status|raised_at|acknowledged_at|acknowledged_by|resolved_at|resolved_by)"
    r"|sessions/\*/(starts_at|format|modality|attendance)"
    r"|sessions/\*/note/(format|signed_by|signed_at|content_hash|practices/\*/practice)"
    r"|sessions/\*/note/addenda/\*/(by|signed_at|content_hash)"
    r"|treatment_plan/(signed_at|content_hash|shared_goals_withheld|(shared|own)_goals/\*/(reference|practice|measure|target_date|progress))"
    r"|assignments/\*/(title|practice|starts_on|ends_on|withdrawn_at)"
    r"|assignments/\*/checkins/\*/sent_at"
    r"|session_checkins/\*/(session_starts_at|instrument|instrument_version|submitted_at)"
    r"|withheld/notice)$"
)


def signed_marked_note(case, therapist, n: int, *, individual=None) -> TherapySession:
    session = TherapySession.objects.create(
        case=case,
        starts_at=timezone.now() - timedelta(days=5 + n),
        created_by=therapist,
        format="individual" if individual else "conjoint",
        individual_client=individual,
    )
    note = SessionNote.objects.create(
        session=session,
        author=therapist,
        content={name: f"{label} MK{n}{i}Q" for i, (name, label) in enumerate(SessionNote(format="soap").fields())},
        next_steps=f"Next MK{n}8Q",
    )
    PracticeTag.objects.create(note=note, practice="repair", focus=2, evidence=f"Evidence MK{n}9Q")
    note.sign(by=therapist)
    Addendum.add(note=note, by=therapist, text=f"Later MK{n}7Q")
    return session


@pytest.fixture
def release(therapist, couple_case, person, partner):
    from intake.models import ConsentDocument, Intake

    # The plan first: a plan signed while a flag is open needs a safety section.
    make_plan(case=couple_case, therapist=therapist, person=person, partner=partner)
    person.safe_times = "Evenings MK901Q"
    person.save(update_fields=["safe_times"])
    intake = Intake.objects.create(
        client=person,
        answers={
            "reasons": {"reasons": "Why MK902Q", "goals": "Wish MK903Q"},
            "relationship": {"length": "Years MK904Q", "worries": ["MK905Q-one", "MK905Q-two"]},
        },
    )
    intake.submit(
        consent=ConsentDocument.objects.current(ConsentDocument.Kind.INFORMED_CONSENT),
        privacy=ConsentDocument.objects.current(ConsentDocument.Kind.PRIVACY_NOTICE),
        signature=person.full_name,
    )
    sign = record_warning_sign(
        client=person,
        fields={
            "type": "fear",
            "observed_on": timezone.localdate(),
            "severity": "moderate",
            "source": "observed",
            "description": "Seen MK906Q",
            "action_taken": "individual_sessions",
        },
        by=therapist,
        request=None,
    )
    flag = RiskFlag.objects.create(client=person, severity="urgent", reasons=["MK907Q-reason"], warning_sign=sign)
    flag.acknowledge(by=therapist, note="Talked MK908Q")
    flag.refresh_from_db()
    flag.resolve(by=therapist, note="Settled MK909Q")
    screening = assign(client=person, key="power")
    screening.save_answers({item.id: "2" for item in registry.get("power", screening.instrument_version).items})
    submit(screening=screening)
    for n in (1, 2):
        signed_marked_note(couple_case, therapist, n)
    signed_marked_note(couple_case, therapist, 3, individual=person)
    checkins_sent(couple_case, therapist, {person: ("Felt MK910Q", 4), partner: ("Theirs", 4)})
    authorize(case=couple_case, by_client=partner, to_client=person, scope="both", recorder=therapist)
    return Release.objects.create(
        case=couple_case,
        client=person,
        kind=Release.Kind.EXPORT,
        purpose=Release.Purpose.CLIENT_REQUEST,
        recipient_name=person.full_name,
        options={"notes": "full"},
        prepared_by=therapist,
    )


def leaves(value, path=""):
    """(path, string) for every string in a JSON value."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaves(inner, f"{path}/{key}" if path else key)
    elif isinstance(value, list):
        for inner in value:
            yield from leaves(inner, f"{path}/*")
    elif isinstance(value, str):
        yield path, value


def values_in(value) -> set:
    if isinstance(value, dict):
        return set().union(*(values_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(values_in(v) for v in value)) if value else set()
    return {value} if isinstance(value, str) else set()


def test_every_string_in_the_json_is_a_reviewed_piece_or_metadata(release, therapist):
    contents = contents_of(release)
    data = record_data(
        case=release.case, client=release.client, by=therapist, purpose="x", release=release, contents=contents
    )
    pieces = {part.text for part in contents.parts.values()}
    structured = set().union(*(values_in(item.data) for item in contents.items.values()))
    strays = [
        (path, text)
        for path, text in leaves(data)
        if text and text not in pieces and text not in structured and not METADATA.match(path)
    ]
    assert strays == []
    # Every marker of the record is in a piece the review lists, and in the JSON.
    listed = {m for part in contents.parts.values() for m in MARKER.findall(part.original)}
    assert {f"MK{n}{i}Q" for n in (1, 2, 3) for i in range(4)} <= listed
    assert {"MK901Q", "MK902Q", "MK904Q", "MK906Q", "MK908Q", "MK909Q", "MK910Q"} <= listed
    text = json.dumps(data, ensure_ascii=False)
    assert all(marker in text for marker in listed)
    assert {"screening", "sign", "flag", "session_checkin", "checkin", "intake"} <= {
        key.split(":")[0] for key in contents.items
    }


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_redacted_marker_or_withheld_value_survives_in_any_file(release, therapist, data):
    contents = contents_of(release)
    markers: dict[str, list[str]] = {}
    for key, part in contents.parts.items():
        for marker in MARKER.findall(part.original):
            markers.setdefault(marker, []).append(key)
    redacted = data.draw(st.sets(st.sampled_from(sorted(markers)), max_size=len(markers)), label="redacted")
    withheld = data.draw(
        st.sets(st.sampled_from(sorted(contents.items)), max_size=len(contents.items)), label="withheld"
    )
    render_pdf = data.draw(st.integers(0, 9), label="pdf") == 0
    made = [
        Redaction.objects.create(release=release, part=key, passage=m, occurrence=0, reason="r", redacted_by=therapist)
        for m in redacted
        for key in markers[m]
    ] + [
        Redaction.objects.create(
            release=release, kind="item", part=key, passage="", occurrence=0, reason="r", redacted_by=therapist
        )
        for key in withheld
    ]
    try:
        contents = contents_of(release)
        files = {
            "record.json": json.dumps(
                record_data(
                    case=release.case,
                    client=release.client,
                    by=therapist,
                    purpose="x",
                    release=release,
                    contents=contents,
                ),
                ensure_ascii=False,
            )
        }
        if render_pdf:
            archive = zipfile.ZipFile(io.BytesIO(release_file(contents=contents, by=therapist)[0]))
            files = {
                name: archive.read(name).decode() if name.endswith(".json") else pdf_text(archive.read(name))
                for name in archive.namelist()
            }
        for name, text in files.items():
            for marker in redacted:
                assert marker not in text, (name, marker)
        # What was not redacted is still there: the check can see a marker.
        for marker in set(markers) - redacted:
            assert marker in files["record.json"], marker
        record = json.loads(files["record.json"])
        for key in withheld:
            assert_withheld(record, key, contents)
    finally:
        Redaction.objects.filter(pk__in=[r.pk for r in made]).delete()


def assert_withheld(record: dict, key: str, contents) -> None:
    """The item's value is in no field of the JSON."""
    kind, ident = key.split(":")[0], key.split(":")[1]
    if kind == "screening":
        assert len(record["screenings"]) == 0  # the record holds one questionnaire
    elif kind == "sign":
        assert all(w["action_taken"] is None for w in record["warning_signs"])
    elif kind == "flag":
        assert all(f["reasons"] is None for f in record["risk_flags"])
        assert "MK907Q" not in json.dumps(record)
    elif kind == "session_checkin":
        assert all(k["answers"] is None and k["mean"] is None for k in record["session_checkins"])
    elif kind == "checkin":
        checkins = [c for a in record["assignments"] for c in a["checkins"]]
        assert all(c["tried"] is None and c["made_things_worse"] is None for c in checkins)
    elif kind == "intake":
        _, slug, name = key.split(":")
        assert record["intake"]["answers"][slug][name] is None
        assert "MK905Q" not in json.dumps(record)
    else:
        raise AssertionError(f"an item of a kind this test does not know: {key} ({ident})")
