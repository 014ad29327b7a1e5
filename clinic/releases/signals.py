"""Signals the releases send to the parts above them (which register receivers in their AppConfig.ready())."""

from django.dispatch import Signal

# Sent inside the transaction that made these releases' stored files unusable: an authorization they relied on
# was withdrawn or replaced, the release was cancelled or sent back to review. Arguments: `releases` (codes as
# strings) and `reason` (a key of clinic.releases.releasing.REFUSALS). Whoever keeps copies deletes them.
stored_copies_void = Signal()
