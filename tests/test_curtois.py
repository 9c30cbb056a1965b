"""The Curtois & Qu benchmark: every instance read, a hand-made Instance1 roster priced by hand,
the product's checker against the benchmark's own rules, and the solver on Instance1.

The instances live in ``shared/benchmarks/curtois`` beside the repository (as CI has it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.benchmarks.curtois import (
    Instance,
    assignment_to_roster,
    direct_check,
    parse_instance,
    read_best_known,
    read_instance,
    read_solution,
    roster_to_assignment,
    to_product,
    validate_assignment,
    validate_solution,
    write_solution,
)

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "curtois"
pytestmark = pytest.mark.skipif(
    not (DATA / "Instance1.txt").is_file(), reason=f"benchmark instances not found in {DATA}"
)

SIZES = {  # instance: (days, staff, shift types, cover rows), README of the benchmark
    1: (14, 8, 1, 14),
    2: (14, 14, 2, 28),
    3: (14, 20, 3, 42),
    4: (28, 10, 2, 56),
    5: (28, 16, 2, 56),
    6: (28, 18, 3, 84),
    7: (28, 20, 3, 84),
    8: (28, 30, 4, 112),
    9: (28, 36, 4, 112),
    10: (28, 40, 5, 140),
    11: (28, 50, 6, 168),
    12: (28, 60, 10, 280),
    13: (28, 120, 18, 504),
    14: (42, 32, 4, 168),
    15: (42, 45, 6, 252),
    16: (56, 20, 3, 168),
    17: (56, 32, 4, 224),
    18: (84, 22, 3, 252),
    19: (84, 40, 5, 420),
    20: (182, 50, 6, 1092),
    21: (182, 100, 8, 1456),
    22: (364, 50, 10, 3640),
    23: (364, 100, 16, 5824),
    24: (364, 150, 32, 11648),
}


def instance(n: int) -> Instance:
    return read_instance(DATA / f"Instance{n}.txt")


@pytest.mark.parametrize("n", sorted(SIZES))
def test_every_instance_reads_and_the_empty_roster_costs_every_request_and_cover(n: int) -> None:
    """Each file parses to the sizes of the README, and the checker prices the empty roster
    at every on-request's weight plus 100 per required employee (no off-request is broken,
    nobody is over): the closed form of the objective, checked on all 24."""
    read = instance(n)
    days, staff, types, cover = SIZES[n]
    assert (read.days, len(read.staff), len(read.shifts), len(read.cover)) == (
        days,
        staff,
        types,
        cover,
    )
    assert {c.weight_under for c in read.cover} == {100}
    assert {c.weight_over for c in read.cover} == {1}
    expected = sum(r.weight for r in read.on_requests) + 100 * sum(
        c.requirement for c in read.cover
    )
    checked = validate_assignment(read, ())
    assert checked.objective == expected
    assert checked.terms["shift_requests"] == sum(r.weight for r in read.on_requests)
    assert direct_check(read, ())[1] == expected


def test_crlf_and_lf_read_alike() -> None:
    raw = (DATA / "Instance2.txt").read_bytes().decode()
    assert "\r\n" in raw
    assert parse_instance(raw, "x") == parse_instance(raw.replace("\r\n", "\n"), "x")


def test_employee_and_shift_ids_are_separate() -> None:
    """Instance1 has an employee D and a shift D."""
    read = instance(1)
    assert "D" in {s.staff_id for s in read.staff}
    assert [s.shift_id for s in read.shifts] == ["D"]


# Instance1: 8 employees A-H, 14 days, one shift type D (480 min). Each works 7 shifts (the
# minimum, 3360 min), runs of 2-5 days, days off in twos or more, at most one weekend.
HAND_ROSTER = {
    "A": [1, 2, 3, 4, 5, 8, 9],  # day 0 off (file); weekend 1 (day 5)
    "B": [0, 1, 2, 3, 4, 7, 8],  # day 5 off
    "C": [0, 1, 2, 3, 4, 9, 10],  # day 8 off; not 12, 13 (off-requests)
    "D": [3, 4, 7, 8, 9, 10, 11],  # day 2 off; on-requests 8, 9 met
    "E": [0, 1, 2, 3, 4, 7, 8],  # day 9 off
    "F": [0, 1, 2, 3, 4, 9, 10],  # day 5 off; not 8 (off-request)
    "G": [2, 3, 4, 5, 6, 9, 10],  # day 1 off; weekend 1
    "H": [0, 1, 9, 10, 11, 12, 13],  # day 7 off; not 2, 3; on-requests 9-13 met; weekend 2
}


def test_a_hand_made_instance1_roster_costs_2510_by_hand() -> None:
    """Every on-request is met (A 2-3, B 0-4, C 0-4, D 8-9, F 0-1, H 9-13) and no off-request
    broken (C 12-13, F 8, H 2-3): requests cost 0. Employees per day and the cover:

    day:       0  1  2  3  4  5  6  7  8  9 10 11 12 13
    working:   5  6  6  7  7  2  1  3  4  6  5  2  1  1
    required:  5  7  6  4  5  5  5  6  7  4  2  5  6  4

    under (x100): day 1: 1, day 5: 3, day 6: 4, day 7: 3, day 8: 3, day 11: 3, day 12: 5,
    day 13: 3 -> 25 x 100 = 2500; over (x1): day 3: 3, day 4: 2, day 9: 2, day 10: 3 -> 10.
    Objective 2510.
    """
    read = instance(1)
    rows = tuple((e, d, "D") for e, days in HAND_ROSTER.items() for d in days)
    checked = validate_assignment(read, rows)
    assert checked.ok, checked.violations
    assert checked.terms["shift_requests"] == 0
    assert checked.terms["shift_cover"] == 100 * (1 + 3 + 4 + 3 + 3 + 3 + 5 + 3) + (3 + 2 + 2 + 3)
    assert checked.objective == 2510
    assert direct_check(read, rows) == ([], 2510)


def test_the_checker_finds_each_broken_benchmark_rule() -> None:
    """Starting from the hand roster, break one rule at a time; the product's checker names
    the rule and the benchmark's own reading agrees that it is broken."""
    read = instance(1)
    base = {e: list(days) for e, days in HAND_ROSTER.items()}
    cases = {
        "time_off": {"A": [0, 1, 2, 3, 4, 8, 9]},  # A's day off 0
        "max_consecutive_days": {"B": [0, 1, 2, 3, 4, 5, 8, 9]},  # 6 in a row (max 5)
        "min_consecutive_days": {"B": [0, 1, 2, 3, 4, 7, 9, 10]},  # day 7 alone
        "min_consecutive_days_off": {"E": [0, 1, 2, 3, 4, 6, 7, 8]},  # day 5 alone off
        "max_weekends": {"G": [2, 3, 4, 5, 6, 9, 10, 11, 12]},  # both weekends (max 1)
        "total_hours": {"C": [0, 1, 2, 3, 4, 9]},  # 6 x 480 < 3360
    }
    for rule, change in cases.items():
        plan = {**base, **change}
        rows = tuple((e, d, "D") for e, days in plan.items() for d in days)
        checked = validate_assignment(read, rows)
        assert any(v.startswith(rule + "\t") for v in checked.violations), (rule, checked)
        assert direct_check(read, rows)[0], rule


def test_forbidden_next_shift_and_type_caps_on_instance2() -> None:
    """Instance2's rules on shift types: the checker and the benchmark reading agree."""
    read = instance(2)
    banned = next(s for s in read.shifts if s.forbidden_next)
    first = read.staff[0]
    rows = ((first.staff_id, 2, banned.shift_id), (first.staff_id, 3, banned.forbidden_next[0]))
    checked = validate_assignment(read, rows)
    assert any(v.startswith("forbidden_sequences\t") for v in checked.violations)
    assert any("->" in v for v in direct_check(read, rows)[0])
    capped = next((s, t) for s in read.staff for t, cap in s.max_shifts if cap == 0)
    rows = ((capped[0].staff_id, 2, capped[1]),)
    checked = validate_assignment(read, rows)
    assert any(v.startswith("shift_type_limits\t") for v in checked.violations)


def test_solution_file_round_trip_and_bad_rows(tmp_path: Path) -> None:
    read = instance(1)
    rows = tuple((e, d, "D") for e, days in HAND_ROSTER.items() for d in days)
    path = tmp_path / "SOLUTION.csv"
    write_solution(path, rows)
    assert path.read_text().splitlines()[0] == "employee,day,shift"
    assert validate_solution(read, path).objective == 2510
    data = to_product(read)
    assert set(roster_to_assignment(assignment_to_roster(rows, data.config), data.config)) == set(
        rows
    )
    path.write_text("employee,day,shift\nZ,0,D\nA,14,D\nA,1,X\n")
    parsed, problems = read_solution(path, read)
    assert parsed == ()
    assert [p.split(": ")[0] for p in problems] == [
        "SOLUTION.csv, row 1, column employee",
        "SOLUTION.csv, row 2, column day",
        "SOLUTION.csv, row 3, column shift",
    ]


def test_best_known_file() -> None:
    best = read_best_known(DATA / "best_known.csv")
    assert best["Instance1"].lower == best["Instance1"].upper == 607
    assert best["Instance24"].lower is None


def test_the_solver_reaches_the_instance1_optimum_and_the_checker_agrees(tmp_path: Path) -> None:
    """607 is the proven optimum (best_known.csv); the default search (the constructive start,
    then CP-SAT on the whole model) proves it in a few seconds."""
    from planner.benchmarks.curtois_solve import solve_instance

    read = instance(1)
    solved = solve_instance(read, time_limit=30, workers=1)
    assert solved.result.objective == 607
    assert solved.assignment is not None
    path = tmp_path / "SOLUTION.csv"
    write_solution(path, solved.assignment)
    checked = validate_solution(read, path)
    assert checked.ok, checked.violations
    assert checked.objective == solved.result.objective == 607
    assert direct_check(read, solved.assignment) == ([], 607)


def test_models_with_the_stretch_flow_give_the_whole_model_all_the_time() -> None:
    """Instances 1-7 (the stretch flow's size): CP-SAT on the whole model for the whole time,
    core beside max_lp; larger ones half the time, max_lp alone (curtois_solve docstring)."""
    from planner.benchmarks.curtois_solve import candidate_count, solve_options
    from planner.roster.stretches import MAX_CANDIDATES

    for n, tight in ((1, True), (7, True), (8, False), (12, False)):
        read = instance(n)
        options = solve_options(read, time_limit=60, workers=2, mode="auto", seed=0)
        assert (candidate_count(read) <= MAX_CANDIDATES) is tight
        assert options.mode == "full"
        assert options.whole_model_share == (1.0 if tight else 0.5)
        assert options.subsolvers == (("max_lp", "core") if tight else ("max_lp",))
