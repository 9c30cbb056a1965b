"""A minimal valid data set shared by the input tests, and the proof that it is valid.

Three agents, two availability windows, one day off and a few interval rows:
small enough to read by eye, so a test can change one cell and know exactly
which file, row and column the message must name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli import main

CONFIG_TOML = """\
[site]
business_timezone = "America/New_York"
interval_minutes = 30
week_starts = "Sun"
approved_states = ["FL", "GA", "ID", "NC", "TX", "WA", "MI"]

[coverage]
weekday = "16:00-02:00"
weekend = "08:00-02:00"
holiday = "08:00-02:00"

[shifts]
earliest_start = "06:00"
latest_end = "02:00"
start_step_minutes = 30
evening_ends_after = "20:00"

[channels.phone]
kind = "live"
service_level = 0.80
answer_seconds = 60

[channels.sms]
kind = "concurrent"
concurrency = 2
service_level = 0.80
answer_seconds = 120

[channels.email]
kind = "deferred"
response_hours = 4
"""

# row 1 A1 (TX, Central), row 2 A2 (WA), row 3 A3 (FL panhandle); a blank zone in a state
# with two zones is a warning (tests/test_zone_warning.py)
AGENTS_CSV = """\
agent_id,name,state,timezone,contract,min_weekly_hours,max_weekly_hours,shift_hours,skills
A1,Ann Lee,TX,America/Chicago,full_time,32,40,8;10,phone;sms
A2,Bob Ray,WA,America/Los_Angeles,part_time,16,24,4;6,sms;email
A3,Cy Oh,FL,America/Chicago,full_time,32,40,8,phone;email
"""

AVAILABILITY_CSV = """\
agent_id,weekday,start,end
A2,Mon,16:00,24:00
A2,Sat,20:00,02:00
"""

TIME_OFF_CSV = """\
agent_id,date,reason
A1,2026-12-24,family
"""

# 16:00-05:00 is 21:00 UTC; 21:30Z is the next interval on the 30-minute grid
HISTORY_CSV = """\
interval_start,channel,contacts,aht_seconds
2026-12-06T16:00:00-05:00,phone,12,240
2026-12-06T16:00:00-05:00,sms,4,300
2026-12-06T16:00:00-05:00,email,0,
2026-12-06T21:30:00Z,phone,15,230
2026-12-06T21:30:00Z,sms,5,310
2026-12-06T21:30:00Z,email,2,600
"""

FORECAST_CSV = """\
interval_start,channel,contacts,aht_seconds
2026-12-13T21:00:00Z,phone,14.5,240
2026-12-13T21:00:00Z,sms,4.2,300
2026-12-13T21:00:00Z,email,1.5,600
"""

REQUIREMENTS_CSV = """\
interval_start,channel,contacts,aht_seconds,agents_needed,staff_needed,service_level
2026-12-13T21:00:00Z,phone,14.5,240,4,6,0.85
2026-12-13T21:00:00Z,sms,4.2,300,1,2,0.9
2026-12-13T21:00:00Z,email,1.5,600,1,2,
"""

VALID_FILES: dict[str, str] = {
    "config.toml": CONFIG_TOML,
    "agents.csv": AGENTS_CSV,
    "availability.csv": AVAILABILITY_CSV,
    "time_off.csv": TIME_OFF_CSV,
    "history.csv": HISTORY_CSV,
    "forecast.csv": FORECAST_CSV,
    "requirements.csv": REQUIREMENTS_CSV,
}


def write_dataset(directory: Path, changes: dict[str, str | bytes | None] | None = None) -> Path:
    """Write the valid data set into ``directory``; ``changes`` replaces files (None: drop)."""
    files: dict[str, str | bytes | None] = {**VALID_FILES, **(changes or {})}
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (directory / name).write_bytes(content)
        elif content is not None:
            (directory / name).write_text(content, encoding="utf-8", newline="")
    return directory


def run_validate(
    directory: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str], list[str]]:
    """``python -m planner validate DIR``: exit code, stdout lines, stderr lines."""
    code = main(["validate", str(directory)])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


# --------------------------------------------------------------------------- the fixture is valid
