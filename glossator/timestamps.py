"""Timestamps as news pages print them ("updated 9:54 PM EDT, Mon October 21, 2013"),
turned into ISO 8601 with their UTC offset."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# Fixed offsets, in hours, of the zone abbreviations news sites print.
ZONE_OFFSETS = {
    "GMT": 0, "UTC": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "HKT": 8, "SGT": 8, "JST": 9, "KST": 9,
    "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "IST": 5.5,
}
# Generic US zones ("ET") depend on the date: daylight saving is looked up.
GENERIC_ZONES = {"ET": "America/New_York", "CT": "America/Chicago",
                 "MT": "America/Denver", "PT": "America/Los_Angeles"}

MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july",
     "august", "september", "october", "november", "december"], start=1)}
_MONTH = r"(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)\.?"
_DATE_MDY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})", re.I)
_DATE_DMY = re.compile(r"(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>\d{4})", re.I)
_DATE_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
_TIME_12H = re.compile(r"\b(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap])\.?\s*m\.?(?![a-z])", re.I)
_TIME_24H = re.compile(r"\b(?P<hour>[01]\d|2[0-3]):?(?P<minute>[0-5]\d)\s*(?=[A-Z]{1,5}\b)")
_ZONE = re.compile(r"\b(?P<zone>[A-Z]{1,5})\b")
_KIND = re.compile(r"\b(?P<kind>updated|posted|published)\b", re.I)


@dataclass(frozen=True)
class Timestamp:
    """A page's timestamp: ISO 8601 text, whether it is an update, and whether a zone was known."""

    iso: str
    kind: str  # "updated" or "published"
    has_offset: bool


def looks_like_timestamp(line: str) -> bool:
    """True for a line such as 'updated 9:54 PM EDT, Mon October 21, 2013'."""
    return len(line.split()) <= 14 and _KIND.search(line) is not None and parse_timestamp(line) is not None


def parse_timestamp(line: str) -> Timestamp | None:
    """Read the date, time and zone of a timestamp line; None when it has no full date."""
    date = _find_date(line)
    if date is None:
        return None
    year, month, day = date
    kind_match = _KIND.search(line)
    kind = "published" if kind_match and kind_match["kind"].lower() != "updated" else "updated"
    clock = _find_time(line)
    if clock is None:
        return Timestamp(f"{year:04d}-{month:02d}-{day:02d}", kind, has_offset=False)
    hour, minute, rest = clock
    zone = _first_zone(rest)
    local = datetime(year, month, day, hour, minute)
    if zone is None:
        return Timestamp(local.isoformat(), kind, has_offset=False)
    if zone in GENERIC_ZONES:
        aware = local.replace(tzinfo=ZoneInfo(GENERIC_ZONES[zone]))
    else:
        aware = local.replace(tzinfo=timezone(timedelta(hours=ZONE_OFFSETS[zone])))
    return Timestamp(aware.isoformat(), kind, has_offset=True)


def _find_date(line: str) -> tuple[int, int, int] | None:
    for pattern in (_DATE_MDY, _DATE_DMY):
        match = pattern.search(line)
        if match:
            month = _month_number(match["month"])
            if month:
                return _valid(int(match["year"]), month, int(match["day"]))
    match = _DATE_ISO.search(line)
    if match:
        return _valid(int(match["year"]), int(match["month"]), int(match["day"]))
    return None


def _valid(year: int, month: int, day: int) -> tuple[int, int, int] | None:
    try:
        datetime(year, month, day)
    except ValueError:
        return None
    return year, month, day


def _month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    return next((n for name, n in MONTHS.items() if name.startswith(word[:3]) and name.startswith(word)), None)


def _find_time(line: str) -> tuple[int, int, str] | None:
    match = _TIME_12H.search(line)
    if match:
        hour = int(match["hour"]) % 12 + (12 if match["ampm"].lower() == "p" else 0)
        minute = int(match["minute"])
        if hour < 24 and minute < 60:
            return hour, minute, line[match.end():]
    match = _TIME_24H.search(line)
    if match:
        return int(match["hour"]), int(match["minute"]), line[match.end():]
    return None


def _first_zone(text: str) -> str | None:
    match = _ZONE.match(text.lstrip())
    if match and (match["zone"] in ZONE_OFFSETS or match["zone"] in GENERIC_ZONES):
        return match["zone"]
    return None


def is_iso_timestamp(value: str) -> bool:
    """True for ISO 8601 dates and date-times that Python can read back."""
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
