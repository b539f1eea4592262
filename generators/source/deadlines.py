"""Step deadlines (``within:``) and conditions (``when:``) as readers see them, in each language.

A step's ``within`` is the source's own words (``{zh, en}``, a calendar rule such as 每月5日前), a
duration (``{duration: 24h}``: h hours, d days, wd working days, w weeks, mo months), either of them
counted from a trigger (``after:`` a step or a start of the same procedure), or a marked gap.
"""
from __future__ import annotations

import re

from .labels import label
from .model import Gap, Procedure, StepDeadline

DURATION = re.compile(r"([1-9][0-9]{0,3})\s*(h|d|wd|w|mo)")
UNITS = {"h": "hours", "d": "days", "wd": "working_days", "w": "weeks", "mo": "months"}


def parse_duration(text: str | None) -> tuple[int, str] | None:
    """(amount, unit) of a duration such as 24h or 15wd; None when it is not one."""
    match = DURATION.fullmatch((text or "").strip())
    return (int(match[1]), match[2]) if match else None


def trigger_name(proc: Procedure, trigger: str | None, lang: str) -> str | None:
    """What starts a deadline's clock, by name: a step's title or a start's trigger."""
    if not trigger:
        return None
    step = proc.step(trigger)
    if step is not None:
        return step.title[lang]
    start = next((s for s in proc.starts if s.id == trigger), None)
    return start.trigger[lang] if start is not None else None


def deadline_text(proc: Procedure, within: StepDeadline | None, lang: str) -> str | None:
    """The deadline as a phrase: "收到报告后24小时内" / "within 24 hours of Report received"."""
    if within is None:
        return None
    if isinstance(within.text, Gap):
        return within.text[lang]
    limit = None
    duration = parse_duration(within.duration)
    if duration is not None:
        amount, unit = duration
        limit = str(label(f"within_{UNITS[unit]}", lang)).format(n=amount)
    elif within.text is not None:
        limit = within.text[lang]
    if limit is None:
        return None
    trigger = trigger_name(proc, within.after, lang)
    if trigger is None or within.text is not None and duration is None:
        return limit  # the source's words say from when
    return str(label("within_after", lang)).format(trigger=trigger, limit=limit)


def condition_text(when, lang: str) -> str | None:
    """A condition on a participant: "仅当：金额超过5,000元" / "only if: over ¥5,000"."""
    if when is None:
        return None
    return f"{label('only_if', lang)}{label('colon', lang)}{when[lang]}"
