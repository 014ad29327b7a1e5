# How a United Kingdom practice writes dates and times (PRACTICE_COUNTRY=GB, language en-gb).
# The same names as clinic/formats/en/formats.py; see there.
DATE_FORMAT = "j F Y"  # 2 December 2026
SHORT_DATE_FORMAT = "j M Y"  # 2 Dec 2026
DATETIME_FORMAT = "j M Y, H:i"  # 2 Dec 2026, 14:30
SHORT_DATETIME_FORMAT = "j M, H:i"  # 2 Dec, 14:30
MONTH_DAY_FORMAT = "j M"  # 2 Dec
TIME_FORMAT = "H:i"  # 14:30
YEAR_MONTH_FORMAT = "F Y"  # December 2026
