"""config.toml: values converted, every rule checked by key, unknown keys warned about."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Literal

import pytest

from planner.data.config import load_config, parse_clock, parse_config
from planner.data.problems import InputError, Problems
from planner.domain import Config, Window
from tests.support.dataset import CONFIG_TOML, run_validate, write_dataset


def _parse(tmp_path: Path, text: str | bytes) -> tuple[Config | None, Problems]:
    path = tmp_path / "config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    problems = Problems()
    return parse_config(path, problems), problems


def _lines(problems: Problems) -> list[str]:
    return [str(p) for p in problems]


# --------------------------------------------------------------------------- values


def test_the_contract_example_converts_to_minutes_and_windows(tmp_path: Path) -> None:
    config, problems = _parse(tmp_path, CONFIG_TOML)
    assert _lines(problems) == []
    assert config is not None
    # "16:00-02:00": 16 x 60 = 960 to 2 x 60 + 1440 = 1560 (past midnight)
    assert config.coverage.weekday == Window(960, 1560)
    assert config.coverage.weekend == Window(480, 1560)
    # latest_end "02:00" is before earliest_start "06:00": the next morning
    assert (config.shifts.earliest_start, config.shifts.latest_end) == (360, 1560)
    assert config.shifts.evening_ends_after == 1200
    assert [(c.name, c.kind) for c in config.channels] == [
        ("phone", "live"),
        ("sms", "concurrent"),
        ("email", "deferred"),
    ]
    sms = config.channel("sms")
    assert (sms.concurrency, sms.answer_seconds) == (2, 120.0)
    assert config.channel("email").response_hours == 4.0


def test_missing_keys_take_the_defaults(tmp_path: Path) -> None:
    config, problems = _parse(tmp_path, '[channels.phone]\nkind = "live"\n')
    assert _lines(problems) == []
    assert config is not None
    defaults = Config()
    assert config.site == defaults.site
    assert config.rules == defaults.rules
    assert config.weights == defaults.weights
    assert config.channels[0] == dataclasses.replace(
        config.channels[0], service_level=0.80, answer_seconds=60.0, concurrency=1
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('""', None),
        ('"closed"', None),
        ('"08:00-24:00"', Window(480, 1440)),
        ('"22:00-06:00"', Window(1320, 1800)),  # 06:00 next day = 360 + 1440
        ('"00:00-00:00"', Window(0, 1440)),  # end at the start: round the clock
    ],
)
def test_coverage_windows(tmp_path: Path, value: str, expected: Window | None) -> None:
    config, problems = _parse(tmp_path, CONFIG_TOML.replace('"08:00-02:00"', value, 1))
    assert _lines(problems) == []
    assert config is not None
    assert config.coverage.weekend == expected


def test_shift_end_at_midnight_and_holiday_dates(tmp_path: Path) -> None:
    text = CONFIG_TOML.replace('latest_end = "02:00"', 'latest_end = "24:00"') + (
        '[holidays]\nextra_dates = ["2026-12-24", 2026-12-31]\nremoved_dates = []\n'
        'categories = ["public", "unofficial"]\n'
    )
    config, problems = _parse(tmp_path, text)
    assert _lines(problems) == []
    assert config is not None
    assert config.shifts.latest_end == 1440
    assert config.holidays.extra_dates == (date(2026, 12, 24), date(2026, 12, 31))
    assert config.holidays.categories == ("public", "unofficial")


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("00:00", 0), ("9:05", 545), ("23:59", 1439), ("24:00", 1440), ("18:30:00", 1110)],
)
def test_clock_times(text: str, minutes: int) -> None:
    assert parse_clock(text) == minutes


@pytest.mark.parametrize("text", ["25:00", "7pm", "12:60", "24:30", "", "12", "12:5"])
def test_clock_times_that_are_not(text: str) -> None:
    assert parse_clock(text) is None


def test_24_00_is_not_a_start() -> None:
    assert parse_clock("24:00", allow_24=False) is None


# --------------------------------------------------------------------------- rules, by key


def _replace(old: str, new: str) -> str:
    assert old in CONFIG_TOML
    return CONFIG_TOML.replace(old, new, 1)


BAD_VALUES = {
    "interval 20": (
        _replace("interval_minutes = 30", "interval_minutes = 20"),
        "site.interval_minutes",
        "interval_minutes must be 15, 30 or 60 (got 20)",
    ),
    "week start": (
        _replace('week_starts = "Sun"', 'week_starts = "Sunday"'),
        "site.week_starts",
        'week_starts must be "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" or "Sun" (got "Sunday")',
    ),
    "time 25:00": (
        _replace('earliest_start = "06:00"', 'earliest_start = "25:00"'),
        "shifts.earliest_start",
        'earliest_start must be a time of day "HH:MM", 00:00 to 24:00 (got "25:00")',
    ),
    "time 7pm": (
        _replace('evening_ends_after = "20:00"', 'evening_ends_after = "7pm"'),
        "shifts.evening_ends_after",
        'evening_ends_after must be a time of day "HH:MM", 00:00 to 24:00 (got "7pm")',
    ),
    "time as a number": (
        _replace('latest_end = "02:00"', "latest_end = 2"),
        "shifts.latest_end",
        'latest_end must be a time of day "HH:MM", 00:00 to 24:00 (got 2)',
    ),
    "window": (
        _replace('weekday = "16:00-02:00"', 'weekday = "4pm-2am"'),
        "coverage.weekday",
        'weekday must be "HH:MM-HH:MM", e.g. "16:00-02:00", or "" when closed (got "4pm-2am")',
    ),
    "number in quotes": (
        _replace("interval_minutes = 30", 'interval_minutes = "30"'),
        "site.interval_minutes",
        'interval_minutes must be a whole number, without quotes (got "30")',
    ),
    "fraction for a whole number": (
        _replace("concurrency = 2", "concurrency = 1.5"),
        "channels.sms.concurrency",
        "concurrency must be a whole number (got 1.5)",
    ),
    "list expected": (
        _replace(
            'approved_states = ["FL", "GA", "ID", "NC", "TX", "WA", "MI"]', 'approved_states = "FL"'
        ),
        "site.approved_states",
        'approved_states must be a list in square brackets, e.g. [...] (got "FL")',
    ),
    "shrinkage 1": (
        CONFIG_TOML + "[staffing]\nshrinkage = 1\n",
        "staffing.shrinkage",
        "shrinkage must be a fraction from 0 up to (not including) 1, e.g. 0.25 (got 1)",
    ),
    "occupancy 0": (
        CONFIG_TOML + "[staffing]\nmax_occupancy = 0\n",
        "staffing.max_occupancy",
        "max_occupancy must be a fraction between 0 and 1, e.g. 0.8 (got 0)",
    ),
    "service level 80": (
        _replace("service_level = 0.80", "service_level = 80"),
        "channels.phone.service_level",
        "service_level must be a fraction between 0 and 1, e.g. 0.8 (got 80)",
    ),
    "answer seconds 0": (
        _replace("answer_seconds = 60", "answer_seconds = 0"),
        "channels.phone.answer_seconds",
        "answer_seconds must be more than 0 (got 0)",
    ),
    "concurrency 0": (
        _replace("concurrency = 2", "concurrency = 0"),
        "channels.sms.concurrency",
        "concurrency must be 1 or more (got 0)",
    ),
    "response hours 0": (
        _replace("response_hours = 4", "response_hours = 0"),
        "channels.email.response_hours",
        "response_hours must be more than 0 (got 0)",
    ),
    "start step 7": (
        _replace("start_step_minutes = 30", "start_step_minutes = 7"),
        "shifts.start_step_minutes",
        "start_step_minutes must be 5, 10, 15, 20, 30 or 60 minutes",
    ),
    "start step 45": (  # a multiple of 5 that does not divide the hour
        _replace("start_step_minutes = 30", "start_step_minutes = 45"),
        "shifts.start_step_minutes",
        "start_step_minutes must be 5, 10, 15, 20, 30 or 60 minutes",
    ),
    "negative weight": (
        CONFIG_TOML + "[weights]\nfairness = -1\n",
        "weights.fairness",
        "fairness must be 0 or more (got -1)",
    ),
    "negative rest": (
        CONFIG_TOML + "[rules]\nmin_rest_hours = -2.5\n",
        "rules.min_rest_hours",
        "min_rest_hours must be 0 or more (got -2.5)",
    ),
    "not a zone": (
        _replace('"America/New_York"', '"Eastern"'),
        "site.business_timezone",
        'business_timezone "Eastern" is not an IANA time zone',
    ),
    "state not in the table": (
        _replace('"MI"]', '"MI", "OR"]'),
        "site.approved_states",
        "approved_states lists OR: not in the state table (known states: FL, GA, ID, MI, NC, "
        "TX, WA)",
    ),
    "kind": (
        _replace('kind = "live"', 'kind = "voice"'),
        "channels.phone.kind",
        'kind must be one of live, concurrent, deferred (got "voice")',
    ),
    "kind missing": (
        _replace('kind = "deferred"\n', ""),
        "channels.email.kind",
        "kind is required (one of live, concurrent, deferred)",
    ),
    "holiday category": (
        CONFIG_TOML + '[holidays]\ncategories = ["public", "religious"]\n',
        "holidays.categories",
        "categories religious not known for US",
    ),
    "holiday date": (
        CONFIG_TOML + '[holidays]\nextra_dates = ["2026-02-30"]\n',
        "holidays.extra_dates",
        'extra_dates "2026-02-30" is not a real date',
    ),
    "workweek start day": (
        CONFIG_TOML + '[rules]\nworkweek_start_day = "Monday"\n',
        "rules.workweek_start_day",
        'workweek_start_day must be "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" or "Sun" '
        '(got "Monday")',
    ),
    "workweek start 24:00": (
        CONFIG_TOML + '[rules]\nworkweek_start_time = "24:00"\n',
        "rules.workweek_start_time",
        "workweek_start_time must be before 24:00",
    ),
    "negative channel floor": (
        _replace("answer_seconds = 60", "answer_seconds = 60\nmin_staff = -1"),
        "channels.phone.min_staff",
        "min_staff must be 0 or more (got -1)",
    ),
    "leads in quotes": (
        _replace('holiday = "08:00-02:00"', 'holiday = "08:00-02:00"\nmin_leads = "1"'),
        "coverage.min_leads",
        'min_leads must be a whole number, without quotes (got "1")',
    ),
    "a channel named lead": (
        CONFIG_TOML + '[channels.lead]\nkind = "live"\n',
        "channels.lead",
        "lead is the escalation skill of agents.csv, not a channel name",
    ),
    "section not a table": (
        "weights = 3\n" + CONFIG_TOML,
        "weights",
        "weights must be a table: write [weights] above its keys",
    ),
    "holiday weight not whole": (
        CONFIG_TOML + '[fairness.holiday_weights]\n"Christmas Day" = 2.5\n',
        "fairness.holiday_weights.Christmas Day",
        "Christmas Day must be a whole number (got 2.5)",
    ),
    "holiday weight negative": (
        CONFIG_TOML + '[fairness.holiday_weights]\n"Labor Day" = -1\n',
        "fairness.holiday_weights.Labor Day",
        "Labor Day must be 0 or more (got -1)",
    ),
    "holiday weights not a table": (
        CONFIG_TOML + "[fairness]\nholiday_weights = 3\n",
        "fairness.holiday_weights",
        "fairness.holiday_weights must be a table",
    ),
    "kind weight negative": (
        CONFIG_TOML + "[fairness.kind_weights]\ncloser = -2\n",
        "fairness.kind_weights.closer",
        "closer must be 0 or more (got -2)",
    ),
}


def test_fairness_tables(tmp_path: Path) -> None:
    """The holiday weights table replaces the defaults; kind weights default to 1 each."""
    config, problems = _parse(
        tmp_path,
        CONFIG_TOML
        + "[fairness]\ndefault_holiday_weight = 2\n"
        + '[fairness.holiday_weights]\n"Christmas Day" = 5\n"New Year\'s Day" = 0\n'
        + "[fairness.kind_weights]\nevening = 0\n",
    )
    assert _lines(problems) == []
    assert config is not None
    fairness = config.fairness
    assert fairness.holiday_weights == (("Christmas Day", 5), ("New Year's Day", 0))
    assert fairness.default_holiday_weight == 2
    assert dataclasses.astuple(fairness.kind_weights) == (1, 0, 1, 1)
    defaults = Config().fairness
    assert dict(defaults.holiday_weights) == {
        "Thanksgiving Day": 3,
        "Christmas Day": 3,
        "New Year's Day": 3,
    }


@pytest.mark.parametrize("case", BAD_VALUES)
def test_a_bad_value_is_an_error_naming_its_key(tmp_path: Path, case: str) -> None:
    text, key, rule = BAD_VALUES[case]
    config, problems = _parse(tmp_path, text)
    errors = [str(p) for p in problems.errors]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"error: config.toml, column {key}: {rule}")
    assert config is not None  # the rest is still usable for checking other files


def test_the_workweek_and_the_floors(tmp_path: Path) -> None:
    text = _replace("answer_seconds = 60", "answer_seconds = 60\nmin_staff = 2") + (
        '[rules]\nworkweek_start_day = "Mon"\nworkweek_start_time = "06:00"\n'
    )
    config, problems = _parse(tmp_path, text.replace("[shifts]", "min_leads = 1\n\n[shifts]"))
    assert not problems.errors, [str(p) for p in problems.errors]
    assert config is not None
    assert config.workweek_start == (0, 360)
    assert config.channel("phone").min_staff == 2
    assert config.coverage.min_leads == 1
    default, _ = _parse(tmp_path, CONFIG_TOML)
    assert default is not None
    assert default.workweek_start == (6, 0)  # site.week_starts, Sunday, at 00:00
    assert (default.weights.min_staff, default.weights.min_leads) == (50, 30)


def test_no_channels_at_all(tmp_path: Path) -> None:
    _config, problems = _parse(tmp_path, CONFIG_TOML.split("[channels.phone]")[0])
    assert [str(p) for p in problems.errors] == [
        "error: config.toml, column channels: no channels are configured: add a "
        '[channels.NAME] table for each, with kind = "live", "concurrent" or "deferred"'
    ]


def test_a_rejected_value_keeps_its_default(tmp_path: Path) -> None:
    config, _problems = _parse(tmp_path, _replace("interval_minutes = 30", "interval_minutes = 20"))
    assert config is not None
    assert config.site.interval_minutes == 30


# --------------------------------------------------------------------------- warnings, files


def test_unknown_keys_and_tables_are_warnings(tmp_path: Path) -> None:
    text = (
        _replace("[shifts]", "[shifts]\nstart_stepp_minutes = 15")
        + "[channels.phone.extra]\nx = 1\n"  # a key of phone that is a table
        + "[overtime]\nrate = 1.5\n"
    )
    config, problems = _parse(tmp_path, text)
    assert problems.errors == []
    assert _lines(problems) == [
        "warning: config.toml, column shifts.start_stepp_minutes: unknown key "
        "shifts.start_stepp_minutes is ignored (did you mean shifts.start_step_minutes?)",
        "warning: config.toml, column channels.phone.extra: unknown table "
        "[channels.phone.extra] is ignored",
        "warning: config.toml, column overtime: unknown table [overtime] is ignored",
    ]
    assert config is not None
    assert config.shifts.start_step_minutes == 30


def test_a_key_in_the_wrong_table_is_pointed_to(tmp_path: Path) -> None:
    _config, problems = _parse(tmp_path, _replace("[shifts]", "[shifts]\ninterval_minutes = 15"))
    assert _lines(problems) == [
        "warning: config.toml, column shifts.interval_minutes: unknown key "
        "shifts.interval_minutes is ignored (did you mean site.interval_minutes?)"
    ]


def test_a_key_for_another_kind_of_channel_is_a_warning(tmp_path: Path) -> None:
    _config, problems = _parse(tmp_path, _replace("answer_seconds = 60", "concurrency = 3"))
    assert _lines(problems) == [
        "warning: config.toml, column channels.phone.concurrency: concurrency applies to "
        "concurrent channels only; phone is live, so it is ignored"
    ]


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: ("\ufeff" + text).encode("utf-8"),  # Notepad's "UTF-8 with BOM"
        lambda text: text.replace("\n", "\r\n").encode("cp1252"),  # Windows, ANSI
    ],
    ids=["utf-8 BOM", "cp1252 CRLF"],
)
def test_a_file_saved_on_windows_loads(tmp_path: Path, encode: object) -> None:
    text = "# Planificación del equipo: café\n" + CONFIG_TOML
    assert callable(encode)
    config, problems = _parse(tmp_path, encode(text))
    assert _lines(problems) == []
    assert config is not None
    assert config.coverage.weekday == Window(960, 1560)


def test_not_toml_names_the_line(tmp_path: Path) -> None:
    config, problems = _parse(tmp_path, "[site]\ninterval_minutes = = 30\n")
    assert config is None
    (line,) = _lines(problems)
    assert line.startswith("error: config.toml: is not valid TOML:")
    assert "line 2" in line


def test_load_config_raises_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        _replace("interval_minutes = 30", "interval_minutes = 20").replace(
            "concurrency = 2", "concurrency = 0"
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        load_config(path)
    assert [p.column for p in raised.value.problems] == [
        "site.interval_minutes",
        "channels.sms.concurrency",
    ]


def test_load_config_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        load_config(tmp_path / "config.toml")
    assert [str(p) for p in raised.value.problems] == [
        "error: config.toml: file not found: a data folder needs a config.toml"
    ]


# --------------------------------------------------------------------------- table-driven


@dataclasses.dataclass(frozen=True)
class _FutureSection:
    """Stands for a section another engineer adds to domain.py later."""

    notice_days: int = 14
    premium: float | None = None
    mode: Literal["soft", "hard"] = "soft"
    blackout: tuple[date, ...] = ()
    cutoff: int = dataclasses.field(default=17 * 60, metadata={"toml": "time"})


def test_a_new_dataclass_field_is_an_accepted_key_without_parser_changes() -> None:
    from planner.data.config import _Reader

    problems = Problems()
    table = {
        "notice_days": 21,
        "premium": 1.5,
        "mode": "hard",
        "blackout": ["2026-12-24"],
        "cutoff": "18:30",
    }
    built = _Reader("config.toml", problems).build(_FutureSection, table, "future.", "future.")
    assert _lines(problems) == []
    assert built == _FutureSection(21, 1.5, "hard", (date(2026, 12, 24),), 18 * 60 + 30)

    bad = {"notice_days": -1, "mode": "firm", "cutoff": "6pm", "typo": 1}
    _Reader("config.toml", problems).build(_FutureSection, bad, "future.", "future.")
    assert [(p.column, p.severity) for p in problems] == [
        ("future.notice_days", "error"),
        ("future.mode", "error"),
        ("future.cutoff", "error"),
        ("future.typo", "warning"),
    ]


def test_earliest_start_off_the_start_grid_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG_TOML.replace('earliest_start = "06:00"', 'earliest_start = "06:15"'))
    problems = Problems()
    parse_config(path, problems)
    assert [(p.column, p.severity) for p in problems] == [("shifts.earliest_start", "error")]
    assert "30-minute start grid" in problems.errors[0].rule


def test_a_holiday_weight_no_holiday_matches_is_a_warning(tmp_path: Path) -> None:
    config, problems = _parse(
        tmp_path,
        CONFIG_TOML + '[fairness.holiday_weights]\n"Chrismas Day" = 3\n"christmas" = 2\n',
    )
    assert config is not None
    assert problems.errors == []
    assert [p.column for p in problems.warnings] == ["fairness.holiday_weights.Chrismas Day"]
    assert "never applies" in problems.warnings[0].rule


# --------------------------------------------------------------------------- break pay and grid

BREAK_PAY_ERRORS = {
    "unpaid 15-minute rest": (
        "[breaks]\nrest_paid = false\n",
        "breaks.rest_paid",
        "rest_paid = false, but rests of 15 minutes are paid working time: federal law counts "
        "rests of 20 minutes or less as hours worked (29 CFR 785.18); set rest_paid = true or "
        "rest_minutes above 20",
    ),
    "unpaid 5-minute rest": (
        "[breaks]\nrest_paid = false\nrest_minutes = 5\n",
        "breaks.rest_paid",
        "rest_paid = false, but rests of 5 minutes are paid working time",
    ),
    "unpaid 20-minute rest": (
        "[breaks]\nrest_paid = false\nrest_minutes = 20\n",
        "breaks.rest_paid",
        "rest_paid = false, but rests of 20 minutes are paid working time",
    ),
    "no company rests but Washington's are unpaid": (
        "[breaks]\nrest_paid = false\nrest_minutes = 0\n",
        "breaks.rest_paid",
        "rest_paid = false, but rests of 10 minutes (Washington agents' rests) are paid",
    ),
    "unpaid 20-minute meal": (
        "[breaks]\nmeal_minutes = 20\n",
        "breaks.meal_paid",
        "meal_paid = false, but a 20-minute meal is paid working time: federal law lets a meal "
        "go unpaid only when it lasts 30 minutes or more (29 CFR 785.19); set meal_paid = true "
        "or meal_minutes to 30 or more",
    ),
    "break grid 7": (
        "[breaks]\nstart_step_minutes = 7\n",
        "breaks.start_step_minutes",
        "start_step_minutes must be a number of minutes that divides the hour: 1, 2, 3, 4, 5, 6, "
        "10, 12, 15, 20, 30 or 60 (got 7)",
    ),
    "break grid 0": (
        "[breaks]\nstart_step_minutes = 0\n",
        "breaks.start_step_minutes",
        "start_step_minutes must be a number of minutes that divides the hour",
    ),
    "break grid 45": (
        "[breaks]\nstart_step_minutes = 45\n",
        "breaks.start_step_minutes",
        "start_step_minutes must be a number of minutes that divides the hour",
    ),
}


@pytest.mark.parametrize("case", BREAK_PAY_ERRORS)
def test_break_pay_federal_law_forbids_and_a_bad_break_grid_are_errors(
    tmp_path: Path, case: str
) -> None:
    table, key, rule = BREAK_PAY_ERRORS[case]
    _, problems = _parse(tmp_path, CONFIG_TOML + table)
    errors = [str(p) for p in problems.errors]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"error: config.toml, column {key}: {rule}")


@pytest.mark.parametrize(
    "table",
    [
        "[breaks]\nrest_paid = false\nrest_minutes = 25\n",  # a long rest may go unpaid
        "[breaks]\nmeal_minutes = 20\nmeal_paid = true\n",  # a short meal, paid
        "[breaks]\nmeal_minutes = 30\nmeal_paid = false\n",  # the federal minimum, unpaid
        "[breaks]\nmeal_minutes = 0\n",  # no company meal at all
        "[breaks]\nstart_step_minutes = 5\n",
    ],
)
def test_break_pay_the_law_allows_is_accepted(tmp_path: Path, table: str) -> None:
    config, problems = _parse(tmp_path, CONFIG_TOML + table)
    assert _lines(problems) == []
    assert config is not None


def test_no_company_rests_unpaid_without_washington_is_accepted(tmp_path: Path) -> None:
    text = _replace('"WA", ', "") + "[breaks]\nrest_paid = false\nrest_minutes = 0\n"
    _, problems = _parse(tmp_path, text)
    assert _lines(problems) == []


def test_break_grid_default_is_fifteen_minutes(tmp_path: Path) -> None:
    config, _ = _parse(tmp_path, CONFIG_TOML)
    assert config is not None
    assert config.breaks.start_step_minutes == 15


def test_validate_exits_2_naming_the_break_pay_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_dataset(
        tmp_path / "data", {"config.toml": CONFIG_TOML + "[breaks]\nmeal_minutes = 20\n"}
    )
    code, out, err = run_validate(folder, capsys)
    assert code == 2
    assert out == []
    assert any(
        line.startswith("error: config.toml, column breaks.meal_paid: meal_paid = false")
        and "29 CFR 785.19" in line
        for line in err
    ), err
