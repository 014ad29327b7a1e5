from datetime import date, datetime, timedelta

from django.utils import formats, timezone


def add_business_days(start: datetime, days: int) -> datetime:
    """`start` moved forward by `days` working days (Monday to Friday), keeping the time of day.

    A start on a weekend counts from the following Monday at the same time.
    """
    current = start
    while current.weekday() >= 5:
        current += timedelta(days=1)
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def show(value: date | datetime, style: str = "SHORT_DATE_FORMAT") -> str:
    """A date or time as people of the practice's country write it, for text made in Python.

    `style` is one of Django's format names (DATE_FORMAT, SHORT_DATE_FORMAT, DATETIME_FORMAT,
    MONTH_DAY_FORMAT, TIME_FORMAT ...), defined per country in clinic/formats/. Templates use the
    same names with the date filter: {{ when|date:"SHORT_DATE_FORMAT" }}. An aware datetime is
    shown in the practice's time zone, as the template filter does.
    """
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if style == "TIME_FORMAT":
        return formats.time_format(value, style)
    return formats.date_format(value, style)
