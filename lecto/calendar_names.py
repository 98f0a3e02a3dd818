"""The calendar's month and weekday names, for every reader of dates in questions and messages.

A question's "in May 2023" or "the Friday before" (context/timeq.py), a message's "last June" or
"last Fri" (ingest/chat/when.py) and the capitalised words that name no subject (lecto/names.py)
read the same names.
"""

from __future__ import annotations

# Full names, lower case, January first.
MONTHS = tuple("january february march april may june july august september october november december".split())
# Each full name and abbreviation ("Aug 11, 2023", "Sept. 2022") with its month's number, 1 for January.
MONTH_NUMBERS = {short: n for n, name in enumerate(MONTHS, start=1) for short in (name, name[:3])} | {"sept": 9}
# Full names, lower case, Monday first, as `date.weekday()` counts them.
WEEKDAYS = tuple("monday tuesday wednesday thursday friday saturday sunday".split())
