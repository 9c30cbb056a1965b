"""Publishing: one transaction; the diff per agent (added, removed, moved); a stale base
refused; the freeze window kept unless a manager overrides it, audited; the fairness ledger
follows the roster in force; the loop's inputs (previous and carry-over) recorded on the run.

Hand-made runs (tests/support/store.py): agent A001 lives in America/New_York, A002 in
America/Chicago; each shift has 6 paid hours plus a 30-minute meal. The sample config freezes
14 days (``stability.freeze_days = 14``).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from planner.store import service
from planner.store.access import AccessDenied, Refused
from planner.store.models import Base, LedgerEntry
from tests.store.conftest import START, World
from tests.support.store import made_run

FIRST = [
    ("A001", "2026-11-22", "16:00", 6),  # Sunday: weekend, ends 22:30 -> evening
    ("A001", "2026-11-23", "16:00", 6),  # Monday, evening
    ("A002", "2026-11-24", "10:00", 6),  # Tuesday, day shift
]


CONTRACTED = {"A001": 1440, "A002": 1800, "A003": 1680, "A004": 2400, "A005": 2400,
              "A006": 2400, "A007": 2400, "A008": 2400}  # fmt: skip
"""The sample's max_weekly_hours x 60 per agent: a week's contracted minutes."""


def _shifts(ledger: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The ledger's shifts by kind, of the agents who have any."""
    kinds = ("weekend", "evening", "holiday", "closer", "holiday_credit")
    picked = {a: {k: v[k] for k in kinds} for a, v in ledger.items()}
    return {a: v for a, v in picked.items() if any(v.values()) or a in ("A001", "A002")}


def _exposure(ledger: dict[str, dict[str, int]]) -> dict[str, tuple[int, int]]:
    return {a: (v["weeks"], v["minutes"]) for a, v in ledger.items()}


def _counts(world: World) -> dict[str, int]:
    with world.store.read() as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


def test_publish_writes_the_version_its_shifts_breaks_ledger_and_audit(world: World) -> None:
    store = world.store
    run = made_run(store, world["lead"], START, FIRST)
    version = service.publish_run(store, world["manager"], run)
    assert (version.version, version.run_id, version.published_by) == (
        1,
        run,
        "manager@alpha.example",
    )
    # against nothing: every shift is added
    assert version.diff["counts"] == {"added": 3, "removed": 0, "moved": 0}
    in_force = service.roster_in_force(store, world["lead"])
    assert len(in_force.shifts) == 3
    assert len(in_force.breaks) == 3
    assert all(s.version == 1 for s in in_force.shifts)
    # ledger: A001 has 1 weekend and 2 evening shifts, A002 one plain shift; every agent of
    # the data set a week of exposure (max_weekly_hours x 60 contracted minutes)
    ledger = service.fairness_counts(store, world["lead"])
    assert _shifts(ledger) == {
        "A001": {"weekend": 1, "evening": 2, "holiday": 0, "closer": 0, "holiday_credit": 0},
        "A002": {"weekend": 0, "evening": 0, "holiday": 0, "closer": 0, "holiday_credit": 0},
    }
    assert _exposure(ledger) == {a: (1, m) for a, m in CONTRACTED.items()}
    actions = [e.action for e in service.audit_log(store, world["manager"])]
    assert actions[0] == "roster.publish"


def test_the_diff_says_per_agent_what_was_added_removed_and_moved(world: World) -> None:
    store, lead, manager = world.store, world["lead"], world["manager"]
    service.publish_run(store, manager, made_run(store, lead, START, FIRST))
    # A001 Sunday kept, Monday moved 16:00 -> 17:00; A002 Tuesday removed, Wednesday added.
    # The freeze window covers all of it: overridden (tested on its own below).
    second = made_run(
        store,
        lead,
        START,
        [
            ("A001", "2026-11-22", "16:00", 6),
            ("A001", "2026-11-23", "17:00", 6),
            ("A002", "2026-11-25", "10:00", 6),
        ],
    )
    version = service.publish_run(store, manager, second, override_reason="re-plan after sick call")
    diff = version.diff
    assert diff["counts"] == {"added": 1, "removed": 1, "moved": 1}
    assert diff["agents"]["A001"]["moved"] == [
        {
            "date": "2026-11-23",
            "from": {"start": "2026-11-23T16:00:00-05:00", "end": "2026-11-23T22:30:00-05:00"},
            "to": {"start": "2026-11-23T17:00:00-05:00", "end": "2026-11-23T23:30:00-05:00"},
        }
    ]
    assert diff["agents"]["A002"] == {
        "added": [
            {"date": "2026-11-25", "start": "2026-11-25T10:00:00-06:00",
             "end": "2026-11-25T16:30:00-06:00"}
        ],
        "removed": [
            {"date": "2026-11-24", "start": "2026-11-24T10:00:00-06:00",
             "end": "2026-11-24T16:30:00-06:00"}
        ],
        "moved": [],
    }  # fmt: skip
    assert service.get_version(store, lead, version.id).diff == diff


def test_publishing_on_a_stale_base_is_refused_and_changes_nothing(world: World) -> None:
    store, lead, manager = world.store, world["lead"], world["manager"]
    first = made_run(store, lead, START, FIRST)
    rival = made_run(store, lead, START, FIRST[:1])  # planned on the same (empty) base
    service.publish_run(store, manager, first)
    before = _counts(world)
    with pytest.raises(Refused, match=r"^stale base: run \d+ was planned on no published roster"):
        service.publish_run(store, manager, rival)
    assert _counts(world) == before
    # planned again on version 1, it publishes
    again = made_run(store, lead, START, FIRST)
    assert service.publish_run(store, manager, again).version == 2


def test_a_change_in_the_freeze_window_needs_an_audited_manager_override(world: World) -> None:
    store, lead, manager = world.store, world["lead"], world["manager"]
    service.publish_run(store, manager, made_run(store, lead, START, FIRST))
    moved = [FIRST[0], ("A001", "2026-11-23", "18:00", 6), FIRST[2]]
    run = made_run(store, lead, START, moved)
    before = _counts(world)
    with pytest.raises(Refused) as refusal:
        service.publish_run(store, manager, run)
    message = str(refusal.value)
    assert message.startswith("2 change(s) inside the freeze window (2026-11-22 to 2026-11-25")
    assert "A001 2026-11-23: the new roster drops the published shift" in message
    assert "A001 2026-11-23: the new roster adds a shift 2026-11-23T18:00:00-05:00" in message
    assert _counts(world) == before
    with pytest.raises(AccessDenied, match="needs the manager role"):
        service.publish_run(store, lead, run, override_reason="leads cannot")
    version = service.publish_run(store, manager, run, override_reason="  swap agreed with A001 ")
    assert version.override_reason == "swap agreed with A001"
    override = next(
        e for e in service.audit_log(store, manager) if e.action == "roster.freeze_override"
    )
    assert override.actor == "manager@alpha.example"
    assert override.entity_id == version.id
    assert override.detail["reason"] == "swap agreed with A001"
    assert len(override.detail["changes"]) == 2


def test_shifts_after_the_freeze_window_change_freely(world: World) -> None:
    store, lead, manager = world.store, world["lead"], world["manager"]
    weeks3 = [("A001", "2026-12-06", "16:00", 6), ("A001", "2026-11-22", "16:00", 6)]
    service.publish_run(store, manager, made_run(store, lead, START, weeks3, weeks=3))
    # 2026-12-06 is day 14 from the start: outside [2026-11-22, 2026-12-06)
    later = [("A001", "2026-12-06", "17:00", 6), ("A001", "2026-11-22", "16:00", 6)]
    version = service.publish_run(store, manager, made_run(store, lead, START, later, weeks=3))
    assert version.override_reason is None
    assert version.diff["counts"]["moved"] == 1


def test_a_run_without_a_checked_roster_cannot_be_published(world: World) -> None:
    store = world.store
    queued = service.submit_run(store, world["lead"], date.fromisoformat(START), 1)
    with pytest.raises(Refused, match="is queued: only a finished run"):
        service.publish_run(store, world["manager"], queued.id)


def test_the_ledger_follows_the_roster_in_force_and_feeds_the_next_run(world: World) -> None:
    store, lead, manager = world.store, world["lead"], world["manager"]
    service.publish_run(store, manager, made_run(store, lead, START, FIRST))
    # week 2 published on top: the ledger adds it; week 1 stays as published
    week2 = [("A001", "2026-11-29", "16:00", 6), ("A002", "2026-11-30", "16:00", 6)]
    service.publish_run(store, manager, made_run(store, lead, "2026-11-29", week2))
    ledger = service.fairness_counts(store, lead)
    assert _shifts(ledger) == {
        "A001": {"weekend": 2, "evening": 3, "holiday": 0, "closer": 0, "holiday_credit": 0},
        "A002": {"weekend": 0, "evening": 1, "holiday": 0, "closer": 0, "holiday_credit": 0},
    }
    assert _exposure(ledger) == {a: (2, 2 * m) for a, m in CONTRACTED.items()}
    with store.read() as session:
        # a row per agent and date with a shift, and per agent and week (its exposure);
        # A001 on Sunday 2026-11-22 and 2026-11-29 shares one row with the week's exposure
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 2 * 8 + 3
    # a run of week 3 is planned on version 2 and carries weeks 1-2 over, as the
    # fairness_history.csv of weeks 1-2 says them (holidays in weighted credit, hours)
    week3 = service.submit_run(store, lead, date(2026, 12, 6), 1)
    assert week3.base_version_id is not None
    assert week3.inputs["previous_version"] == 2
    carried = week3.inputs["fairness_carry_over"]
    assert set(carried) == set(CONTRACTED)
    assert carried["A001"] == {
        "weekend": 2, "evening": 3, "holiday": 0, "closer": 0, "weeks": 2, "minutes": 2 * 1440,
        "through": "2026-12-05",
    }  # fmt: skip
    # a re-plan of week 2 carries only week 1 over (week 2 is what it replans)
    replan = service.submit_run(store, lead, date(2026, 11, 29), 1)
    assert replan.inputs["fairness_carry_over"]["A001"] == {
        "weekend": 1, "evening": 2, "holiday": 0, "closer": 0, "weeks": 1, "minutes": 1440,
        "through": "2026-11-28",
    }  # fmt: skip
    # re-publishing week 1 without A001's Sunday: the ledger forgets it
    service.publish_run(
        store, manager, made_run(store, lead, START, FIRST[1:]), override_reason="Sunday off"
    )
    assert _shifts(service.fairness_counts(store, lead))["A001"] == {
        "weekend": 1, "evening": 2, "holiday": 0, "closer": 0, "holiday_credit": 0,
    }  # fmt: skip


def test_the_ledger_counts_closers_weighted_holidays_and_weeks_not_taken_off(
    world: World,
) -> None:
    """Thanksgiving Day (Thursday 2026-11-26) counts 3 in the sample's
    ``[fairness.holiday_weights]``; a shift ending past local midnight is a closer. A003 is off
    on Friday and Saturday of week 1 only: that week still counts for them."""
    store, lead, manager = world.store, world["lead"], world["manager"]
    thanksgiving = [
        ("A001", "2026-11-26", "18:00", 6),  # 18:00 to 00:30: holiday, evening, closer
        ("A002", "2026-11-26", "08:00", 6),  # 08:00 to 14:30: holiday only
        ("A002", "2026-11-27", "18:00", 6),  # Friday 18:00 to 00:30: evening, closer
    ]
    service.publish_run(store, manager, made_run(store, lead, START, thanksgiving))
    ledger = service.fairness_counts(store, lead)
    assert _shifts(ledger) == {
        "A001": {"weekend": 0, "evening": 1, "holiday": 1, "closer": 1, "holiday_credit": 3},
        "A002": {"weekend": 0, "evening": 1, "holiday": 1, "closer": 1, "holiday_credit": 3},
    }
    assert _exposure(ledger)["A003"] == (1, 28 * 60)
    carried = service.submit_run(store, lead, date(2026, 11, 29), 1).inputs["fairness_carry_over"]
    # fairness_history.csv counts the holiday kind in weighted credit
    assert {k: carried["A001"][k] for k in ("holiday", "closer", "evening")} == {
        "holiday": 3, "closer": 1, "evening": 1,
    }  # fmt: skip
    # an agent reads their own line only
    assert set(service.fairness_counts(store, world["agent"])) == {"A001"}
