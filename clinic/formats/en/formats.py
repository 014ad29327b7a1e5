# How a United States practice writes dates and times (PRACTICE_COUNTRY=US, language en-us).
# Pages, emails and PDFs use only these names ("SHORT_DATE_FORMAT" ...), never a pattern of their own,
# so that the practice's country decides. Names not set here fall back to Django's own English formats.
DATE_FORMAT = "F j, Y"  # December 2, 2026
SHORT_DATE_FORMAT = "M j, Y"  # Dec 2, 2026
DATETIME_FORMAT = "M j, Y, g:i A"  # Dec 2, 2026, 2:30 PM
SHORT_DATETIME_FORMAT = "M j, g:i A"  # Dec 2, 2:30 PM
MONTH_DAY_FORMAT = "M j"  # Dec 2
TIME_FORMAT = "g:i A"  # 2:30 PM
YEAR_MONTH_FORMAT = "F Y"  # December 2026
