"""The calendar's month names, for every reader of dates in questions and messages.

A question's "in May 2023" (context/timeq.py), a message's "last June" (ingest/chat/when.py)
and the capitalised words that name no subject (lecto/names.py) read the same twelve names.
"""

from __future__ import annotations

# Full names, lower case, January first.
MONTHS = tuple("january february march april may june july august september october november december".split())
# Each full name and abbreviation ("Aug 11, 2023", "Sept. 2022") with its month's number, 1 for January.
MONTH_NUMBERS = {short: n for n, name in enumerate(MONTHS, start=1) for short in (name, name[:3])} | {"sept": 9}
