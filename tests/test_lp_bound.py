"""LP relaxation bound of a linear CP-SAT model: hand-checked values, and never above CP-SAT."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from ortools.util.python.sorted_interval_list import Domain

from planner.roster.lp_bound import LpBound, UnsupportedConstraintError, lp_relaxation_bound

TIME_LIMIT = 10.0


def cp_optimum(model: cp_model.CpModel) -> float:
    """CP-SAT's proven optimum of a tiny model (one worker: the machine is shared).

    Linearization level 2 gives CP-SAT the LP of every constraint: with the default level,
    the roster test below found 86 at once but its own bound stayed at 20 for 10 s.
    """
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    solver.parameters.max_time_in_seconds = TIME_LIMIT
    status = solver.solve(model)
    assert status == cp_model.OPTIMAL, solver.status_name(status)
    return solver.objective_value


def bound_of(model: cp_model.CpModel, fixed: dict[int, int] | None = None) -> LpBound:
    return lp_relaxation_bound(model, time_limit=TIME_LIMIT, fixed=fixed)


# --- (1) a cover row whose LP optimum is fractional ---------------------------------------


def test_fractional_cover_rounds_up() -> None:
    # 2x + 2y >= 3 is x + y >= 1.5 in integers 0..3: the LP reaches 1.5, integers need 2.
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 3, "y")
    model.add(2 * x + 2 * y >= 3)
    model.minimize(x + y)

    result = bound_of(model)

    assert result.status == "optimal"
    assert result.value == pytest.approx(1.5)
    assert result.bound == 2
    assert (result.rows, result.cols) == (1, 2)
    assert result.notes == ()
    assert cp_optimum(model) == 2


def test_upper_sided_and_equality_rows() -> None:
    # minimise -x - 2y with x + y <= 3 (x, y in 0..3) and x - y == 1:
    # y = x - 1, x + x - 1 <= 3 -> x <= 2 -> value -2 - 2 = -4, integral already.
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 3, "y")
    model.add(x + y <= 3)
    model.add(x - y == 1)
    model.minimize(-x - 2 * y)

    result = bound_of(model)

    assert result.value == pytest.approx(-4.0)
    assert result.bound == -4
    assert cp_optimum(model) == -4


def test_two_sided_row_is_one_row() -> None:
    # 2 <= x + y <= 5 with x, y in 0..4; maximise 3x + y -> x = 4, y = 1: 13.
    # minimise instead -> x = 0, y = 2: 2. The ranged row stays one row with two sides.
    model = cp_model.CpModel()
    x = model.new_int_var(0, 4, "x")
    y = model.new_int_var(0, 4, "y")
    model.add_linear_constraint(x + y, 2, 5)
    model.maximize(3 * x + y)
    high = bound_of(model)
    model.minimize(3 * x + y)
    low = bound_of(model)

    assert (high.value, high.bound) == (pytest.approx(13.0), 13)
    assert (low.value, low.bound) == (pytest.approx(2.0), 2)
    assert (low.rows, low.cols) == (1, 2)


# --- (2) infeasible relaxations -------------------------------------------------------------


def test_infeasible_lp() -> None:
    # x + y >= 7 with x, y in 0..3: even fractions reach at most 6.
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 3, "y")
    model.add(x + y >= 7)
    model.minimize(x)

    result = bound_of(model)

    assert result.status == "infeasible"
    assert result.value is None
    assert result.bound is None


def test_fixing_makes_the_sub_model_infeasible() -> None:
    # x + y <= 3, fixing x = 3 and y = 1 breaks it; fixing y = 9 is outside y's bounds.
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 3, "y")
    model.add(x + y <= 3)
    model.minimize(x - y)

    assert bound_of(model, fixed={x.index: 3, y.index: 1}).status == "infeasible"
    outside = bound_of(model, fixed={y.index: 9})
    assert outside.status == "infeasible"
    assert "outside its bounds" in outside.message
    # Fixing x = 1 leaves y <= 2, so x - y >= 1 - 2 = -1 (free, the optimum is 0 - 3 = -3).
    assert bound_of(model).bound == -3
    assert bound_of(model, fixed={x.index: 1}).bound == -1


def test_bool_and_literals_conflicting_with_a_domain_are_infeasible() -> None:
    model = cp_model.CpModel()
    b = model.new_bool_var("b")
    model.add_bool_and([b, ~b])
    model.minimize(b)

    assert bound_of(model).status == "infeasible"


# --- (3) boolean constraints, on models whose LP optimum is integral -----------------------


def test_at_most_one_caps_the_pick() -> None:
    # maximise 4a + 7b + 5c with at most one chosen: 7 (without the row it would be 16).
    model = cp_model.CpModel()
    a, b, c = (model.new_bool_var(n) for n in "abc")
    model.add_at_most_one([a, b, c])
    model.maximize(4 * a + 7 * b + 5 * c)

    result = bound_of(model)

    assert result.value == pytest.approx(7.0)
    assert result.bound == 7 == cp_optimum(model)


def test_exactly_one_with_a_negated_literal() -> None:
    # exactly one of {a, not b, c}: a + (1 - b) + c == 1, i.e. a + c == b.
    # Minimise 3a + 2c - 4b + 5: b = 0 costs 5; b = 1 needs a or c, c is cheaper:
    # 2 - 4 + 5 = 3. (Without the row b = 1 alone would give 1.)
    model = cp_model.CpModel()
    a, b, c = (model.new_bool_var(n) for n in "abc")
    model.add_exactly_one([a, ~b, c])
    model.minimize(3 * a + 2 * c - 4 * b + 5)
    assert bound_of(model).bound == 3 == cp_optimum(model)

    # maximise a + b + c = 2b: 2 (without the row 3).
    model.maximize(a + b + c)
    result = bound_of(model)
    assert result.value == pytest.approx(2.0)
    assert result.bound == 2 == cp_optimum(model)


def test_bool_or_with_negation_and_enforcement() -> None:
    # bool_or(a, c, not b) is a + c >= b. Minimise 3a + 2c - 4b: b = 1 needs c = 1: -2.
    model = cp_model.CpModel()
    a, b, c = (model.new_bool_var(n) for n in "abc")
    model.add_bool_or([a, c, ~b])
    model.minimize(3 * a + 2 * c - 4 * b)
    assert bound_of(model).bound == -2 == cp_optimum(model)

    # Enforced by e, with c ruled out: the row is a + (1 - b) + (1 - e) >= 1.
    # Minimise 3a - 4b + e: e = 0 lifts the clause, b = 1 alone: -4.
    model = cp_model.CpModel()
    a, b, c, e = (model.new_bool_var(n) for n in "abce")
    model.add_bool_or([a, c, ~b]).only_enforce_if(e)
    model.add(c == 0)
    model.minimize(3 * a - 4 * b + e)
    assert bound_of(model).bound == -4 == cp_optimum(model)
    # With e forced on, a >= b: b = a = 1 gives 3 - 4 + 1 = 0, b = 0 gives 1: 0.
    model.add(e == 1)
    assert bound_of(model).bound == 0 == cp_optimum(model)


def test_bool_and_fixes_literals() -> None:
    # bool_and(a, not b): a = 1, b = 0. Minimise a - b -> 1 (free would be -1).
    model = cp_model.CpModel()
    a, b = model.new_bool_var("a"), model.new_bool_var("b")
    model.add_bool_and([a, ~b])
    model.minimize(a - b)

    assert bound_of(model).bound == 1 == cp_optimum(model)


# --- (4) objective offset, maximisation, float objectives ----------------------------------


def test_offset_when_minimising() -> None:
    # min x + y + 10 with x + y >= 1.5: LP 11.5, bound ceil -> 12 = CP-SAT.
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 3, "y")
    model.add(2 * x + 2 * y >= 3)
    model.minimize(x + y + 10)

    result = bound_of(model)

    assert result.value == pytest.approx(11.5)
    assert result.bound == 12 == cp_optimum(model)


def test_maximise_rounds_down() -> None:
    # max 2x + 3y + 7 with x + y <= 1.5 (x, y in 0..3): LP puts 1.5 on y: 4.5 + 7 = 11.5,
    # an upper bound, floor -> 11. Integers: y = 1: 10.
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 3, "y")
    model.add(2 * x + 2 * y <= 3)
    model.maximize(2 * x + 3 * y + 7)

    result = bound_of(model)

    assert result.value == pytest.approx(11.5)
    assert result.bound == 11
    assert cp_optimum(model) == 10


def test_float_objective_has_no_integer_bound() -> None:
    # min 0.5x + y with x + y >= 1.5: all on x: 0.75. Not integral, so no rounding.
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 3, "y")
    model.add(2 * x + 2 * y >= 3)
    model.minimize(0.5 * x + y)
    low = bound_of(model)
    model.maximize(0.5 * x + y + 0.25)  # with y <= 3 and x <= 3: 1.5 + 3 + 0.25
    high = bound_of(model)

    assert (low.value, low.bound) == (pytest.approx(0.75), None)
    assert (high.value, high.bound) == (pytest.approx(4.75), None)


def test_objective_domain_is_a_row() -> None:
    # min x + y, objective terms restricted to [3, 10]: 3 (the unrestricted optimum is 0).
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 3, "y")
    model.minimize(x + y)
    model.proto.objective.domain.extend([3, 10])

    assert bound_of(model).bound == 3 == cp_optimum(model)


def test_domains_with_holes_are_relaxed_to_their_hull() -> None:
    # x in {0, 5}, x >= 1: CP-SAT must take 5, the LP over the hull [0, 5] takes 1.
    # y != 2 (relaxed to no row at all) with y in 0..3: y = 3 either way.
    model = cp_model.CpModel()
    x = model.new_int_var_from_domain(Domain.from_values([0, 5]), "x")
    y = model.new_int_var(0, 3, "y")
    model.add(x >= 1)
    model.add(y != 2)
    model.minimize(x - y)

    result = bound_of(model)

    assert result.bound == 1 - 3
    assert cp_optimum(model) == 5 - 3
    assert len(result.notes) == 2
    assert any("variable domain" in note for note in result.notes)
    assert any("constraint domain" in note for note in result.notes)


# --- (6) what cannot be relaxed, and bad arguments -----------------------------------------


def _lin_max(m: cp_model.CpModel, x: cp_model.IntVar, y: cp_model.IntVar) -> None:
    m.add_max_equality(x, [y, 2])


def _int_prod(m: cp_model.CpModel, x: cp_model.IntVar, y: cp_model.IntVar) -> None:
    m.add_multiplication_equality(x, [y, y])


def _all_diff(m: cp_model.CpModel, x: cp_model.IntVar, y: cp_model.IntVar) -> None:
    m.add_all_different([x, y])


def _enforced_linear(m: cp_model.CpModel, x: cp_model.IntVar, y: cp_model.IntVar) -> None:
    m.add(x + y <= 2).only_enforce_if(m.new_bool_var("e"))


def _enforced_bool_and(m: cp_model.CpModel, x: cp_model.IntVar, y: cp_model.IntVar) -> None:
    m.add_bool_and([m.new_bool_var("a")]).only_enforce_if(m.new_bool_var("e"))


@pytest.mark.parametrize(
    ("build", "named"),
    [
        (_lin_max, "lin_max"),
        (_int_prod, "int_prod"),
        (_all_diff, "all_diff"),
        (_enforced_linear, "linear with enforcement literals"),
        (_enforced_bool_and, "bool_and with enforcement literals"),
    ],
)
def test_unsupported_constraints_are_named(
    build: Callable[[cp_model.CpModel, cp_model.IntVar, cp_model.IntVar], None], named: str
) -> None:
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 3, "y")
    model.add(x + y >= 1)  # constraint 0 is fine; the unsupported one is constraint 1
    build(model, x, y)
    model.minimize(x)

    with pytest.raises(UnsupportedConstraintError, match=f"constraint 1 is {named}, "):
        lp_relaxation_bound(model, time_limit=TIME_LIMIT)


def test_bad_arguments() -> None:
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    model.minimize(x)

    with pytest.raises(ValueError, match="time_limit"):
        lp_relaxation_bound(model, time_limit=0)
    with pytest.raises(ValueError, match="variable 7"):
        lp_relaxation_bound(model, time_limit=TIME_LIMIT, fixed={7: 0})


def test_time_spent_reading_counts_against_the_limit() -> None:
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    model.minimize(x)

    result = lp_relaxation_bound(model, time_limit=1e-9)

    assert result.status == "time_limit"
    assert (result.value, result.bound) == (None, None)


# --- (5) random small linear models: CP-SAT's optimum never beats the LP bound -------------


@st.composite
def random_models(draw: st.DrawFn) -> tuple[cp_model.CpModel, bool]:
    """A few small integer and boolean variables, mixed rows, an objective with offset."""
    model = cp_model.CpModel()
    ints: list[cp_model.IntVar] = []
    for i in range(draw(st.integers(1, 4))):
        lo = draw(st.integers(-3, 2))
        ints.append(model.new_int_var(lo, lo + draw(st.integers(0, 4)), f"x{i}"))
    bools = [model.new_bool_var(f"b{i}") for i in range(draw(st.integers(0, 4)))]
    variables: list[cp_model.IntVar] = ints + bools
    for _ in range(draw(st.integers(0, 4))):
        coeffs = draw(
            st.lists(st.integers(-4, 4), min_size=len(variables), max_size=len(variables))
        )
        expr = cp_model.LinearExpr.weighted_sum(variables, coeffs)
        rhs = draw(st.integers(-6, 6))
        match draw(st.sampled_from(["<=", ">=", "==", "range", "!="])):
            case "<=":
                model.add(expr <= rhs)
            case ">=":
                model.add(expr >= rhs)
            case "==":
                model.add(expr == rhs)
            case "range":
                model.add_linear_constraint(expr, rhs, rhs + draw(st.integers(1, 5)))
            case _:
                model.add(expr != rhs)
    if bools:
        for _ in range(draw(st.integers(0, 3))):
            picked = draw(st.lists(st.sampled_from(range(len(bools))), min_size=1, unique=True))
            lits = [bools[i] if draw(st.booleans()) else ~bools[i] for i in picked]
            kind = draw(st.sampled_from(["or", "amo", "eo"]))
            if kind == "or":
                model.add_bool_or(lits)
            elif kind == "amo":
                model.add_at_most_one(lits)
            else:
                model.add_exactly_one(lits)
    weights = draw(st.lists(st.integers(-5, 5), min_size=len(variables), max_size=len(variables)))
    objective = cp_model.LinearExpr.weighted_sum(variables, weights) + draw(st.integers(-9, 9))
    maximise = draw(st.booleans())
    if maximise:
        model.maximize(objective)
    else:
        model.minimize(objective)
    return model, maximise


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=random_models(), fix_first=st.booleans())
def test_lp_bound_never_cut_off_the_cp_sat_optimum(
    case: tuple[cp_model.CpModel, bool], fix_first: bool
) -> None:
    model, maximise = case
    first = model.proto.variables[0]
    fixed = {0: first.domain[0]} if fix_first else {}
    result = lp_relaxation_bound(model, time_limit=TIME_LIMIT, fixed=fixed)
    if fixed:
        model.add(model.get_int_var_from_proto_index(0) == first.domain[0])

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = TIME_LIMIT
    status = solver.solve(model)

    assert result.status in {"optimal", "infeasible"}, result.message
    if result.status == "infeasible":
        assert status == cp_model.INFEASIBLE  # a relaxation is infeasible only if the model is
    if status == cp_model.OPTIMAL:
        assert result.value is not None
        assert result.bound is not None
        # CP-SAT reports its objective as a double (-0.9999999999999998 was seen for -1).
        optimum = solver.objective_value
        if maximise:
            assert optimum <= result.bound + 1e-9
            assert result.bound <= result.value + 1e-6
        else:
            assert optimum >= result.bound - 1e-9
            assert result.bound >= result.value - 1e-6


# --- a small roster: 5 workers x 7 days x {early, late, night}, coverage shortfall ---------


def test_shift_cover_roster_bound() -> None:
    """Hand arithmetic for the bound.

    Demand per day: Mon-Fri early 2, late 2, night 1 (5); Sat-Sun 1 each (3): 5*5 + 2*3 = 31.
    Each worker works 3 to 5 days, at most one shift a day: at most 5 * 5 = 25 shifts.
    So at least 31 - 25 = 6 demand units go short, at 10 each. A covered day shift costs 1
    and a night 2, so the shortfall falls on nights: 24 day-shift slots (4 * 5 + 2 * 2)
    covered at 1, one night at 2, six nights short: 24 + 2 + 60 = 86, for LP and CP-SAT.
    """
    workers, days, shifts = range(5), range(7), ("early", "late", "night")
    demand = {(d, s): (1 if s == "night" else 2) if d < 5 else 1 for d in days for s in shifts}
    cost = {"early": 1, "late": 1, "night": 2}
    model = cp_model.CpModel()
    works = {
        (w, d, s): model.new_bool_var(f"works_{w}_{d}_{s}")
        for w in workers
        for d in days
        for s in shifts
    }
    short = {
        key: model.new_int_var(0, need, f"short_{key[0]}_{key[1]}") for key, need in demand.items()
    }
    for w in workers:
        for d in days:
            model.add_at_most_one([works[w, d, s] for s in shifts])
        # 3 to 5 working days: a two-sided row.
        model.add_linear_constraint(sum(works[w, d, s] for d in days for s in shifts), 3, 5)
        for d in days[:-1]:  # no early shift right after a night
            model.add(works[w, d, "night"] + works[w, d + 1, "early"] <= 1)
    for (d, s), need in demand.items():
        model.add(sum(works[w, d, s] for w in workers) + short[d, s] >= need)
    model.minimize(
        sum(cost[s] * var for (_, _, s), var in works.items()) + 10 * sum(short.values())
    )

    result = bound_of(model)
    optimum = cp_optimum(model)

    assert result.status == "optimal"
    assert result.bound is not None
    assert result.bound > 0
    assert optimum >= result.bound
    assert result.bound == 86
    assert optimum == 86
    # 105 shift choices + 21 shortfalls; 35 at-most-one + 5 day-count (3..5 days, one row
    # with two sides) + 30 rest + 21 coverage rows.
    assert (result.cols, result.rows) == (105 + 21, 35 + 5 + 30 + 21)
