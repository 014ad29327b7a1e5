"""Every instrument the practice uses, registered once. Add a new version here; never edit an old one."""

from django.utils.translation import gettext, gettext_noop

from assessments.checkin_v1 import CHECKIN_INDIVIDUAL_V1, CHECKIN_V1
from assessments.framework import registry
from assessments.power_v1 import POWER_V1
from assessments.safety_v1 import SAFETY_V1

for _instrument in (POWER_V1, SAFETY_V1, CHECKIN_V1, CHECKIN_INDIVIDUAL_V1):
    registry.register(_instrument)

# The questionnaires a client is asked to complete after intake, in order.
INITIAL = ("power", "safety")

# What a client sees as a questionnaire's name (home page, page heading) when the practice has not
# named it: never the clinical title, which says what it screens for.
NEUTRAL_TITLE = "A few questions"
# The default names (settings.QUESTIONNAIRE_TITLES) in the catalogue, so that a client reads them in their language.
# A name the practice sets itself is shown as it is set.
DEFAULT_TITLES = (
    gettext_noop("Questions about your relationship"),
    gettext_noop("A short check-in"),
    gettext_noop("About your last appointment"),
    gettext_noop("A few questions"),
)


def client_title(key: str) -> str:
    """The neutral name a client sees for instrument `key` (settings.QUESTIONNAIRE_TITLES)."""
    from django.conf import settings

    if key.startswith("checkin"):
        key = "checkin"  # both kinds of session check-in
    return gettext(settings.QUESTIONNAIRE_TITLES.get(key, NEUTRAL_TITLE))
