from clinic.lib.marks import gettext_noop

# How dates and times read in Spanish for a practice's clients (language es). The same names as the English
# module (clinic/formats/en/formats.py) so every page, email and PDF reads its format by name. Spanish writes
# the day before the month ("7 de diciembre de 2026"); the clock keeps the country's 12 hours with "a. m." /
# "p. m." as Spanish in the United States writes them (Django's own Spanish catalogue gives those words).
DATE_FORMAT = r"j \d\e F \d\e Y"  # 7 de diciembre de 2026
SHORT_DATE_FORMAT = r"j b Y"  # 7 dic 2026 (b: the month abbreviated in lower case, as Spanish writes it)
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i A"  # 7 de diciembre de 2026, 2:30 p. m.
SHORT_DATETIME_FORMAT = r"j b, g:i A"  # 7 dic, 2:30 p. m.
MONTH_DAY_FORMAT = r"j \d\e F"  # 7 de diciembre
TIME_FORMAT = "g:i A"  # 2:30 p. m.
YEAR_MONTH_FORMAT = r"F \d\e Y"  # diciembre de 2026
FIRST_DAY_OF_WEEK = 0  # Sunday, as calendars in the United States start
# What a typed or picked date may look like. The date fields are date pickers, which send ISO dates
# (1988-03-27); a date typed by hand may also be day/month/year, as Spanish writes it.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
# Django's own Spanish catalogue leaves the clock's "AM"/"PM" in English capitals; ours gives "a. m."/"p. m.".
CLOCK_WORDS = (gettext_noop("AM"), gettext_noop("PM"))
# Numbers as Spanish in the United States (and Mexico) writes them: a decimal point, a comma between thousands
# ("índice 38.9", "1,250"), as the charts' own labels read; Spain's decimal comma would read as a list here.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
