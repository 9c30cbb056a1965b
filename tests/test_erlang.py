"""Erlang B/C/A math: DOMAIN.md's golden values, hand-checkable cases, properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from planner.demand import erlang

HALF_HOUR = 1800


# --------------------------------------------------------------------------- golden values


def test_offered_load_is_contacts_times_aht_over_interval() -> None:
    assert erlang.offered_load(100, 180, HALF_HOUR) == pytest.approx(10.0)  # 100 x 180 / 1800
    assert erlang.offered_load(360, 240, HALF_HOUR) == pytest.approx(48.0)


def test_erlang_b_small_cases_by_hand() -> None:
    # B(1, A) = A / (1 + A); B(2, 1) = (1 * 1/2) / (2 + 1/2) = 0.2
    assert erlang.erlang_b(1, 3.0) == pytest.approx(0.75)
    assert erlang.erlang_b(2, 1.0) == pytest.approx(0.2)
    assert erlang.erlang_b(0, 5.0) == pytest.approx(1.0)


def test_domain_check_values_a10_n14() -> None:
    load = erlang.offered_load(100, 180, HALF_HOUR)
    assert round(float(erlang.service_level(14, load, 180, 20)), 4) == 0.8884
    assert round(float(erlang.erlang_c(14, load)), 4) == 0.1741


def test_domain_check_values_a48_n55() -> None:
    load = erlang.offered_load(360, 240, HALF_HOUR)
    assert round(float(erlang.erlang_c(55, load)), 4) == 0.2387
    assert round(float(erlang.service_level(55, load, 240, 15)), 4) == 0.8459
    assert round(float(erlang.average_speed_of_answer(55, load, 240)), 2) == 8.18
    assert float(erlang.occupancy(55, load)) == pytest.approx(48 / 55)


def test_occupancy_cap_adds_an_agent_250_contacts() -> None:
    load = erlang.offered_load(250, 300, HALF_HOUR)  # 41.67 Erlangs
    assert erlang.required_agents_erlang_c(load, 300, 30, 0.9) == 49
    # 41.67 / 49 = 0.850 > 0.85, so the cap needs 50
    assert erlang.required_agents_erlang_c(load, 300, 30, 0.9, max_occupancy=0.85) == 50


def test_required_agents_1000_contacts() -> None:
    load = erlang.offered_load(1000, 240, HALF_HOUR)
    assert erlang.required_agents_erlang_c(load, 240, 20, 0.8) == 142


def test_required_is_the_first_n_that_meets_the_target() -> None:
    load = erlang.offered_load(100, 180, HALF_HOUR)
    n = int(erlang.required_agents_erlang_c(load, 180, 20, 0.8))
    assert erlang.service_level(n, load, 180, 20) >= 0.8
    assert erlang.service_level(n - 1, load, 180, 20) < 0.8


def test_erlang_a_check_values() -> None:
    # 2 calls/min, AHT 4 min, patience 3 min: A = 8 Erlangs, N = 9, T = 20 s
    result = erlang.erlang_a(9, 8.0, 240, 180, 20)
    assert round(float(result.p_wait), 4) == 0.3844
    assert round(float(result.p_abandon), 4) == 0.0970
    assert round(float(result.service_level), 4) == 0.7024
    # Erlang C on the same inputs is far more pessimistic
    assert round(float(erlang.service_level(9, 8.0, 240, 20)), 4) == 0.3989


def _erlang_a_by_matrix_exponential(
    n: int, load: float, aht: float, patience: float, answer: float
) -> tuple[float, float, float]:
    """An independent Erlang A: the chain summed state by state, and each waiting
    contact followed as its own small Markov chain (position in queue, served, gone)."""
    lam, mu, theta = load / aht, 1 / aht, 1 / patience
    states = n + 200
    weights = [1.0]
    for j in range(1, states + 1):
        rate = j * mu if j <= n else n * mu + (j - n) * theta
        weights.append(weights[-1] * lam / rate)
    total = sum(weights)
    pi = [w / total for w in weights]
    p_wait = sum(pi[n:])
    p_abandon = theta * sum((j - n) * pi[j] for j in range(n, states + 1)) / lam
    answered = 1 - p_wait
    for ahead in range(0, 80):
        # tagged contact at position ahead + 1; states 0..ahead = positions 1..ahead+1,
        # then "answered", then "hung up"
        size = ahead + 3
        q = np.zeros((size, size))
        for pos in range(ahead + 1):
            forward = n * mu + pos * theta  # service start or someone ahead hangs up
            q[pos, pos] = -(forward + theta)
            q[pos, pos - 1 if pos else ahead + 1] = forward
            q[pos, ahead + 2] = theta
        answered += pi[n + ahead] * expm(q * answer)[ahead, ahead + 1]
    return p_wait, p_abandon, answered


@pytest.mark.parametrize(
    ("agents", "load", "aht", "patience", "answer"),
    [
        (9, 8.0, 240, 180, 20),
        (12, 14.0, 300, 60, 30),
        (3, 1.5, 600, 900, 120),
        (5, 2.0, 180, 30, 0),
    ],
)
def test_erlang_a_matches_an_independent_computation(
    agents: int, load: float, aht: float, patience: float, answer: float
) -> None:
    expected = _erlang_a_by_matrix_exponential(agents, load, aht, patience, answer)
    result = erlang.erlang_a(agents, load, aht, patience, answer)
    got = (float(result.p_wait), float(result.p_abandon), float(result.service_level))
    assert got == pytest.approx(expected, abs=1e-9)


def test_erlang_a_limits() -> None:
    # nobody to answer: everyone waits and hangs up
    none = erlang.erlang_a(0, 5.0, 300, 120, 20)
    assert (float(none.p_wait), float(none.p_abandon), float(none.service_level)) == (1, 1, 0)
    # T = 0: answered at once means not waiting at all
    at_once = erlang.erlang_a(9, 8.0, 240, 180, 0)
    assert float(at_once.service_level) == pytest.approx(1 - float(at_once.p_wait))
    # very patient callers: Erlang C
    patient = erlang.erlang_a(14, 10.0, 180, 1e9, 20)
    assert float(patient.service_level) == pytest.approx(0.8884, abs=1e-4)
    assert float(patient.p_wait) == pytest.approx(0.1741, abs=1e-4)


def test_erlang_a_needs_fewer_agents_than_erlang_c_when_callers_hang_up() -> None:
    n_a = int(erlang.required_agents_erlang_a(8.0, 240, 180, 20, 0.7))
    n_c = int(erlang.required_agents_erlang_c(8.0, 240, 20, 0.7))
    assert n_a == 9  # SL 0.7024 at 9 agents (check value above)
    assert n_c > n_a
    assert erlang.erlang_a(n_a - 1, 8.0, 240, 180, 20).service_level < 0.7


def test_erlang_a_required_when_abandonment_hurts_the_target() -> None:
    # Very impatient callers hang up before T: Erlang C's answer is not enough, the
    # search has to go up from it.
    load, aht, patience, answer, target = 10.0, 180, 5, 60, 0.95
    n = int(erlang.required_agents_erlang_a(load, aht, patience, answer, target))
    assert n > int(erlang.required_agents_erlang_c(load, aht, answer, target))
    assert erlang.erlang_a(n, load, aht, patience, answer).service_level >= target
    assert erlang.erlang_a(n - 1, load, aht, patience, answer).service_level < target


# --------------------------------------------------------------------------- edges


def test_no_load_needs_nobody_and_nobody_waits() -> None:
    assert erlang.required_agents_erlang_c(0.0, 300, 20, 0.8) == 0
    assert erlang.required_agents_erlang_a(0.0, 300, 120, 20, 0.8) == 0
    assert erlang.service_level(0, 0.0, 300, 20) == 1.0
    assert erlang.erlang_c(0, 0.0) == 0.0
    assert erlang.erlang_a(0, 0.0, 300, 120, 20).service_level == 1.0


def test_unstable_queue_has_no_service() -> None:
    assert erlang.service_level(10, 10.0, 300, 20) == 0.0
    assert erlang.erlang_c(8, 10.0) == 1.0
    assert math.isinf(float(erlang.average_speed_of_answer(10, 10.0, 300)))


def test_vectorised_over_any_shape() -> None:
    loads = np.array([[0.0, 10.0], [48.0, 133.33]])
    needed = erlang.required_agents_erlang_c(loads, 240, 20, 0.8)
    assert needed.shape == (2, 2)
    for index in np.ndindex(loads.shape):
        assert needed[index] == erlang.required_agents_erlang_c(loads[index], 240, 20, 0.8)
    a_needed = erlang.required_agents_erlang_a(loads, 240, 180, 20, 0.8)
    assert a_needed.shape == (2, 2)
    assert a_needed[0, 0] == 0


def test_target_of_one_is_refused() -> None:
    with pytest.raises(ValueError, match="target"):
        erlang.required_agents_erlang_c(5.0, 300, 20, 1.0)


# --------------------------------------------------------------------------- shrinkage


def test_shrinkage_without_the_float_trap() -> None:
    assert math.ceil(21 / (1 - 0.3)) == 31  # the trap: 30.000000000000004
    assert erlang.staff_with_shrinkage(21, 0.3) == 30
    assert list(erlang.staff_with_shrinkage([0, 3, 14, 22], 0.25)) == [0, 4, 19, 30]
    assert erlang.staff_with_shrinkage(7, 0.0) == 7


def test_shrinkage_must_leave_someone_working() -> None:
    with pytest.raises(ValueError, match="shrinkage"):
        erlang.staff_with_shrinkage(5, 1.0)


@given(st.integers(0, 5000), st.integers(0, 99))
def test_shrinkage_is_the_exact_ceiling(agents: int, percent: int) -> None:
    staff = int(erlang.staff_with_shrinkage(agents, percent / 100))
    # staff x (1 - s) >= agents, and one fewer would not be, in exact integers
    assert staff * (100 - percent) >= agents * 100
    assert staff == 0 or (staff - 1) * (100 - percent) < agents * 100


# --------------------------------------------------------------------------- properties

loads = st.floats(0.05, 300.0)
ahts = st.floats(30.0, 900.0)
answers = st.floats(0.0, 120.0)
targets = st.floats(0.5, 0.95)


@settings(max_examples=60, deadline=None)
@given(loads, ahts, answers)
def test_more_agents_never_lower_service_level(load: float, aht: float, answer: float) -> None:
    agents = np.arange(0, int(load * 1.5) + 20)
    levels = erlang.service_level(agents, load, aht, answer)
    assert np.all(np.diff(levels) >= -1e-12)


@settings(max_examples=40, deadline=None)
@given(loads, ahts, st.floats(5.0, 1800.0), answers)
def test_more_agents_never_lower_erlang_a_service_level(
    load: float, aht: float, patience: float, answer: float
) -> None:
    agents = np.arange(0, int(load * 1.5) + 20)
    levels = erlang.erlang_a(agents, load, aht, patience, answer).service_level
    assert np.all(np.diff(levels) >= -1e-12)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 2000.0), st.floats(1.0, 1.5), ahts, st.floats(1.0, 1.5), targets)
def test_required_agents_never_fall_when_contacts_or_aht_rise(
    contacts: float, more: float, aht: float, longer: float, target: float
) -> None:
    def needed(c: float, h: float) -> int:
        load = erlang.offered_load(c, h, HALF_HOUR)
        return int(erlang.required_agents_erlang_c(load, h, 20, target, max_occupancy=0.85))

    base = needed(contacts, aht)
    assert needed(contacts * more, aht) >= base
    assert needed(contacts, aht * longer) >= base


@settings(max_examples=25, deadline=None)
@given(st.floats(1500.0, 2500.0), st.integers(-100, 150))
def test_stable_at_2000_erlangs(load: float, offset: int) -> None:
    agents = int(load) + offset
    for value in (
        erlang.erlang_b(agents, load),
        erlang.erlang_c(agents, load),
        erlang.service_level(agents, load, 300, 20),
        erlang.average_speed_of_answer(agents, load, 300),
    ):
        assert not np.isnan(value)
    result = erlang.erlang_a(agents, load, 300, 180, 20)
    for value in (result.p_wait, result.p_abandon, result.service_level):
        assert np.isfinite(value)
        assert 0.0 <= value <= 1.0


def test_required_agents_at_2000_erlangs() -> None:
    n_c = int(erlang.required_agents_erlang_c(2000.0, 300, 20, 0.8))
    assert 2000 < n_c < 2100
    assert (
        erlang.service_level(n_c, 2000.0, 300, 20)
        >= 0.8
        > erlang.service_level(n_c - 1, 2000.0, 300, 20)
    )
    n_a = int(erlang.required_agents_erlang_a(2000.0, 300, 180, 20, 0.8))
    assert 0 < n_a <= n_c
    assert erlang.erlang_a(n_a, 2000.0, 300, 180, 20).service_level >= 0.8
