"""Which IANA time zones each approved state uses, and an agent's zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

STATE_ZONES: dict[str, tuple[str, ...]] = {
    "FL": ("America/New_York", "America/Chicago"),
    "GA": ("America/New_York",),
    "ID": ("America/Boise", "America/Los_Angeles"),
    "MI": ("America/Detroit", "America/Menominee"),
    "NC": ("America/New_York",),
    "TX": ("America/Chicago", "America/Denver"),
    "WA": ("America/Los_Angeles",),
}
"""Zones used in each state; the first listed is the state's main zone."""


def main_zone(state: str) -> str:
    """The zone most of ``state`` keeps (``KeyError`` for a state not in the table)."""
    return STATE_ZONES[state][0]


def is_iana_zone(name: str) -> bool:
    """True when ``name`` is a zone the IANA database (via ``zoneinfo``) knows."""
    if name not in available_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def resolve_zone(state: str, timezone: str) -> str:
    """The agent's zone: the given one, or the state's main zone when blank."""
    return timezone.strip() or main_zone(state)
