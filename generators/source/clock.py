"""Today's date is an input: ``--today``, else the PROCEDURES_TODAY environment variable, else the calendar.

This is the only module that reads the calendar. A run resolves today once and passes the date
down (rules, review banners, print dates, the build stamp), so a run that crosses midnight
sees one date throughout, and tests fix the date instead of depending on it.
"""
from __future__ import annotations

import datetime as dt
import os

ENV = "PROCEDURES_TODAY"


def parse(text: str) -> dt.date:
    """A YYYY-MM-DD date; ValueError otherwise (also for 2026-02-30)."""
    if not isinstance(text, str) or len(text) != 10:
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def calendar_today() -> dt.date:
    return dt.date.today()


def resolve(today: dt.date | str | None = None) -> dt.date:
    """The date a run works with: the given one, else $PROCEDURES_TODAY, else the calendar.

    Raises ValueError for a malformed given date or environment value (a usage error).
    """
    if isinstance(today, dt.date):
        return today
    if today:
        return parse(today)
    from_env = os.environ.get(ENV, "").strip()
    if from_env:
        try:
            return parse(from_env)
        except ValueError as exc:
            raise ValueError(f"{ENV}: {exc}") from None
    return calendar_today()
