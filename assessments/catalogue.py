"""Every instrument the practice uses, registered once. Add a new version here; never edit an old one."""

from assessments.framework import registry
from assessments.power_v1 import POWER_V1
from assessments.safety_v1 import SAFETY_V1

for _instrument in (POWER_V1, SAFETY_V1):
    registry.register(_instrument)

# The questionnaires a client is asked to complete after intake, in order.
INITIAL = ("power", "safety")
