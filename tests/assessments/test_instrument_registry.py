import dataclasses

import pytest

import assessments.catalogue  # noqa: F401
from assessments.framework import Registry, UnknownInstrument, registry, score
from assessments.power_v1 import POWER_V1


def test_lookup_by_key_and_version():
    assert registry.get("power", 1) is POWER_V1
    assert registry.latest("safety").version == 1
    with pytest.raises(UnknownInstrument, match="No questionnaire 'power' version 9"):
        registry.get("power", 9)


def test_a_new_version_never_changes_an_old_result():
    answers = {i.id: 1 if i.scale == "frequency" else 2 for i in POWER_V1.items}
    before = score(instrument=POWER_V1, answers=answers)
    local = Registry()
    local.register(POWER_V1)
    v2 = dataclasses.replace(POWER_V1, version=2, bands=(POWER_V1.bands[0], POWER_V1.bands[2]))
    local.register(v2)
    assert local.latest("power").version == 2
    assert score(instrument=local.get("power", 1), answers=answers) == before


def test_one_version_cannot_be_registered_twice_with_other_content():
    local = Registry()
    local.register(POWER_V1)
    changed = dataclasses.replace(POWER_V1, title="Something else")
    with pytest.raises(ValueError, match="already registered"):
        local.register(changed)
