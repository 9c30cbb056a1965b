"""Config keys of the named shifts and horizon rules: defaults keep them off, bad values name
the key."""

from __future__ import annotations

from pathlib import Path

from planner.data.config import parse_config
from planner.data.problems import Problems
from planner.domain import Config, RulesConfig, WeightsConfig

BASE = '[channels.phone]\nkind = "live"\n'


def read(tmp_path: Path, text: str) -> tuple[Config | None, list[str]]:
    path = tmp_path / "config.toml"
    path.write_text(BASE + text, encoding="utf-8")
    problems = Problems()
    config = parse_config(path, problems)
    return config, [f"{p.column}: {p.rule}" for p in problems.errors]


def test_defaults_keep_every_new_rule_off() -> None:
    rules = RulesConfig()
    assert (rules.min_consecutive_days, rules.min_consecutive_days_off) == (1, 1)
    assert rules.max_weekends is None
    assert (rules.min_total_hours, rules.max_total_hours) == (0.0, None)
    assert Config().shift_types == ()
    assert (WeightsConfig().shift_requests, WeightsConfig().shift_cover) == (100, 1)


def test_named_shifts_are_read(tmp_path: Path) -> None:
    config, errors = read(
        tmp_path,
        '[shift_types.E]\nstart = "06:00"\nhours = 8\n'
        '[shift_types.L]\nstart = "14:00"\nhours = 8\nforbidden_next = ["E"]\n'
        "[rules]\nmax_weekends = 2\nweekend_window_weeks = 0\nmax_total_hours = 160\n",
    )
    assert errors == []
    assert config is not None
    assert config.shift_type_names == ("E", "L")
    assert config.shift_type_of(14 * 60, 480) == 1
    assert config.shift_type_of(14 * 60, 600) == -1
    assert (config.rules.max_weekends, config.rules.max_total_hours) == (2, 160)


def test_bad_values_name_the_key(tmp_path: Path) -> None:
    _, errors = read(
        tmp_path,
        '[shift_types.E]\nstart = "06:00"\nhours = 8\nforbidden_next = ["X"]\n'
        '[shift_types.D]\nstart = "06:00"\nhours = 8\n'
        '[shift_types.N]\nstart = "06:00"\nhours = 0\n'
        "[rules]\nmin_consecutive_days = 0\nmax_weekends = -1\n",
    )
    assert any(e.startswith("shift_types.E.forbidden_next: forbidden_next names X") for e in errors)
    assert any(e.startswith("shift_types.D: shift type D starts at 06:00") for e in errors)
    assert any(e.startswith("shift_types.N.hours:") for e in errors)
    assert any(e.startswith("rules.min_consecutive_days:") for e in errors)
    assert any(e.startswith("rules.max_weekends:") for e in errors)
