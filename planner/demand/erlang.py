"""Queueing math for live contacts: Erlang B, Erlang C and Erlang A (Palm).

Pure, vectorised functions. Every argument broadcasts like numpy; results are
numpy arrays of the broadcast shape. Units: loads in Erlangs, times in seconds.

Conventions that a caller can rely on:

- A load of 0 means nobody waits: ``P(wait) = 0`` and ``SL = 1`` at any staffing,
  and 0 agents are required.
- Erlang C with ``N <= A`` is unstable (the queue grows without end): ``P(wait) = 1``,
  ``SL = 0``, ``ASA = inf``.
- Erlang B always comes from the recursion ``B_k = A B_{k-1} / (k + A B_{k-1})``, which
  never overflows (no ``A^N / N!``); Erlang A works in log space. Both stay finite
  at thousands of Erlangs.
- Comparisons against a target carry a tolerance of ``1e-12`` so that a level that
  equals its target in exact arithmetic is not rejected for a rounding error.

References: Koole, *Call Center Mathematics* (2007); Mandelbaum & Zeltyn, *The
Palm/Erlang-A Queue, with Applications to Call Centers* (2005).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt
from scipy.special import betainc, gammaln, xlogy

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

TOLERANCE = 1e-12
"""Slack on ``SL >= target`` and ``A / N <= max_occupancy`` comparisons."""

_TAIL_SIGMAS = 9.0
"""Half-width of the Erlang A queue-length window, in standard deviations: the
terms left out are below ``exp(-40)`` of the largest one."""

_MAX_SEARCH_DOUBLINGS = 64


def _floats(*values: npt.ArrayLike) -> list[FloatArray]:
    """Broadcast the arguments to one shape as float arrays (copies, writeable)."""
    return [np.array(v, dtype=np.float64) for v in np.broadcast_arrays(*values)]


def _check_fraction(name: str, value: FloatArray, *, low_open: bool, high_open: bool) -> None:
    low_ok = value > 0 if low_open else value >= 0
    high_ok = value < 1 if high_open else value <= 1
    if not bool(np.all(low_ok & high_ok)):
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        raise ValueError(f"{name} must lie in {lo}0, 1{hi}")


# --------------------------------------------------------------------------- basics


def offered_load(
    contacts: npt.ArrayLike, aht_seconds: npt.ArrayLike, interval_seconds: float
) -> FloatArray:
    """Offered load in Erlangs: ``contacts x AHT / interval length``."""
    c, h = _floats(contacts, aht_seconds)
    return c * h / float(interval_seconds)


def erlang_b(agents: npt.ArrayLike, load: npt.ArrayLike) -> FloatArray:
    """Erlang B blocking probability ``B(N, A)`` through the stable recursion.

    Runs ``B_k = A B_{k-1} / (k + A B_{k-1})`` for every element at once up to the
    largest ``N`` and keeps each element's value at its own ``N``.
    """
    n_raw, a = _floats(agents, load)
    n = np.rint(n_raw).astype(np.int64)
    if np.any(n < 0):
        raise ValueError("agents must be >= 0")
    b = np.ones_like(a)
    out = np.ones_like(a)
    for k in range(1, int(n.max(initial=0)) + 1):
        b = a * b / (k + a * b)
        at_k = n == k
        out[at_k] = b[at_k]
    return out


def erlang_c(agents: npt.ArrayLike, load: npt.ArrayLike) -> FloatArray:
    """Probability that a contact waits (Erlang C), ``C = N B / (N - A (1 - B))``.

    1 when ``N <= A`` (unstable), 0 when the load is 0.
    """
    n, a = _floats(agents, load)
    b = erlang_b(n, a)
    stable = n > a
    denominator = np.where(stable, n - a * (1.0 - b), 1.0)
    c = np.where(stable, n * b / denominator, 1.0)
    return np.where(a > 0, np.clip(c, 0.0, 1.0), 0.0)


def service_level(
    agents: npt.ArrayLike,
    load: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    answer_seconds: npt.ArrayLike,
) -> FloatArray:
    """Erlang C service level: share answered within T, ``1 - C exp(-(N - A) T / AHT)``.

    0 when ``N <= A``; 1 when the load is 0.
    """
    n, a, h, t = _floats(agents, load, aht_seconds, answer_seconds)
    c = erlang_c(n, a)
    stable = n > a
    safe_h = np.where(h > 0, h, 1.0)
    sl = np.where(stable, 1.0 - c * np.exp(-np.where(stable, n - a, 0.0) * t / safe_h), 0.0)
    return np.where(a > 0, np.clip(sl, 0.0, 1.0), 1.0)


def average_speed_of_answer(
    agents: npt.ArrayLike, load: npt.ArrayLike, aht_seconds: npt.ArrayLike
) -> FloatArray:
    """Erlang C average speed of answer in seconds, ``C AHT / (N - A)`` (inf when ``N <= A``)."""
    n, a, h = _floats(agents, load, aht_seconds)
    c = erlang_c(n, a)
    stable = n > a
    asa = np.where(stable, c * h / np.where(stable, n - a, 1.0), np.inf)
    return np.where(a > 0, asa, 0.0)


def occupancy(agents: npt.ArrayLike, load: npt.ArrayLike) -> FloatArray:
    """Share of agent time spent handling contacts, ``A / N``, at most 1 (0 for no load)."""
    n, a = _floats(agents, load)
    occ = np.where(n > 0, a / np.where(n > 0, n, 1.0), 1.0)
    return np.where(a > 0, np.minimum(occ, 1.0), 0.0)


# --------------------------------------------------------------------------- Erlang A


@dataclass(frozen=True)
class ErlangAResult:
    """Erlang A (M/M/N+M) figures, one array each, all fractions of offered contacts."""

    p_wait: FloatArray
    p_abandon: FloatArray
    service_level: FloatArray
    """Share of all offered contacts that are answered within T (abandoners count
    against it), as in Mandelbaum & Zeltyn (2005)."""


def _log_free_ratio(agents: IntArray, load: FloatArray) -> FloatArray:
    """``log(1/B(N, A) - 1)`` for ``load > 0``: states below N relative to state N.

    The B recursion in reciprocal form, ``1/B_k = 1 + (k / A) (1/B_{k-1})``, kept as
    logarithms so that nothing under- or overflows for ``N`` far above ``A``.
    ``log(1/B - 1)`` is ``-inf`` for ``N = 0`` (nobody is answered without waiting).
    """
    log_a = np.log(load)
    log_r = np.zeros_like(load)  # log(1/B_0) = 0
    log_r_minus_1 = np.full_like(load, -np.inf)
    for k in range(1, int(agents.max(initial=0)) + 1):
        step = math.log(k) - log_a + log_r  # log((k / A) / B_{k-1}) = log(1/B_k - 1)
        log_r = np.logaddexp(0.0, step)
        at_k = agents == k
        log_r_minus_1[at_k] = step[at_k]
    return log_r_minus_1


_CHUNK_ROWS = 512
"""Rows per Erlang A block: rows are sorted by window width so little is padded."""


def _queue_window_sums(
    x: FloatArray, y: FloatArray, u: FloatArray, start: FloatArray, width: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Sums over the queue-length window ``i = start .. start + width - 1`` of each row.

    Returns ``(top, sum w_i, sum i w_i, sum w_i a_i)`` with ``w_i = t_i / exp(top)``
    (``top`` is the largest ``log t_i``) and ``a_i`` the chance that a contact finding
    ``i`` waiting is answered within T. Logs of ``t_i`` and of the negative-binomial
    terms come from cumulative sums of their ratios, so only one ``gammaln`` per row.
    """
    i = start[:, None] + np.arange(width, dtype=np.float64)[None, :]
    xc, uc = x[:, None], u[:, None]
    log_xi = np.log(xc + i[:, 1:])  # i >= 1 here, so finite even for x = 0
    # log t_i: t_i / t_{i-1} = y / (x + i).
    log_t0 = xlogy(start, y) - (gammaln(x + start + 1.0) - gammaln(x + 1.0))
    log_t = np.empty_like(i)
    log_t[:, 0] = log_t0
    np.cumsum(np.log(y)[:, None] - log_xi, axis=1, out=log_t[:, 1:])
    log_t[:, 1:] += log_t0[:, None]
    top = log_t.max(axis=1)
    weight = np.exp(log_t - top[:, None])

    # I_u(i + 1, x + 1) = P(NegBin > i) with terms q_j, q_j / q_{j-1} = u (x + j) / j.
    # Summed from the far end of the window (one betainc there), so that every term is
    # positive: no cancellation however small the survival gets.
    log_q0 = (
        gammaln(x + start + 1.0)
        - gammaln(x + 1.0)
        - gammaln(start + 1.0)
        + xlogy(start, u)
        + (x + 1.0) * np.log1p(-u)
    )
    with np.errstate(divide="ignore"):  # u = 0 (T = 0): log u = -inf, q_j = 0 as it should
        log_u = np.log(uc)
    q = np.zeros_like(i)
    q[:, 1:] = np.exp(np.cumsum(log_xi - np.log(i[:, 1:]) + log_u, axis=1) + log_q0[:, None])
    survival = np.empty_like(i)
    survival[:, -1] = betainc(start + width, x + 1.0, u)  # P(NegBin > last i)
    survival[:, :-1] = np.cumsum(q[:, :0:-1], axis=1)[:, ::-1] + survival[:, -1:]
    answered = xc / (xc + i + 1.0) * np.minimum(survival, 1.0)
    return top, weight.sum(axis=1), (weight * i).sum(axis=1), (weight * answered).sum(axis=1)


def _erlang_a_positive(
    n: IntArray, a: FloatArray, h: FloatArray, patience: FloatArray, t: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Erlang A for 1-D arrays with ``load > 0``: ``(p_wait, p_abandon, service_level)``.

    The birth-death chain (rates ``j mu`` up to N, ``N mu + (j - N) theta`` above) in
    units of ``theta``: ``x = N mu / theta``, ``y = lambda / theta``. States up to N
    enter through Erlang B; above N, relative to state N, state ``N + i`` has weight
    ``t_i = y^i / ((x + 1) ... (x + i))``, kept only in a window of
    ``9 sqrt(y) + 10`` around its peak (the rest is below ``exp(-40)`` of it).

    A contact that finds ``i`` waiting is answered within T when the ``i + 1`` queue
    departures ahead of it (rates ``N mu + m theta``) happen before T and before its own
    patience runs out. Integrating that hypo-exponential time against
    ``exp(-theta s)`` gives ``x / (x + i + 1) * I_u(i + 1, x + 1)`` with
    ``u = 1 - exp(-theta T)``; the regularised incomplete beta with integer first
    argument is a negative-binomial survival function, so one ``betainc`` per row plus
    a cumulative sum of the negative-binomial terms covers the whole window.
    """
    x = n * (patience / h)
    y = a * (patience / h)
    u = -np.expm1(-t / patience)
    log_free = _log_free_ratio(n, a)

    half = np.ceil(_TAIL_SIGMAS * np.sqrt(y)) + 10.0
    peak = np.floor(np.maximum(y - x, 0.0))
    start = np.maximum(peak - half, 0.0)
    widths = peak - start + half + 1.0
    top, waiting, queue, answered = (np.empty_like(a) for _ in range(4))
    order = np.argsort(widths, kind="stable")
    for lo in range(0, order.size, _CHUNK_ROWS):
        rows = order[lo : lo + _CHUNK_ROWS]
        width = int(widths[rows].max())
        top[rows], waiting[rows], queue[rows], answered[rows] = _queue_window_sums(
            x[rows], y[rows], u[rows], start[rows], width
        )
    # Normaliser relative to state N: sum_{j<N} p_j / p_N + sum_i t_i.
    log_z = np.logaddexp(log_free, top + np.log(waiting))
    scale = np.exp(top - log_z)  # t_peak / Z, in (0, 1]
    p_wait = waiting * scale
    p_abandon = queue * scale / y  # theta E[queue] / lambda
    sl = np.exp(log_free - log_z) + answered * scale
    return (
        np.clip(p_wait, 0.0, 1.0),
        np.clip(p_abandon, 0.0, 1.0),
        np.clip(sl, 0.0, 1.0),
    )


def erlang_a(
    agents: npt.ArrayLike,
    load: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    patience_seconds: npt.ArrayLike,
    answer_seconds: npt.ArrayLike,
) -> ErlangAResult:
    """Erlang A (Palm): Erlang C plus callers who hang up after exponential patience.

    ``patience_seconds`` is the mean patience ``1 / theta``. Exact through the truncated
    birth-death chain (see :func:`_erlang_a_positive`); stable for thousands of Erlangs.
    Service level is the share of offered contacts answered within ``answer_seconds``.
    """
    n_raw, a, h, p, t = _floats(agents, load, aht_seconds, patience_seconds, answer_seconds)
    if np.any(n_raw < 0):
        raise ValueError("agents must be >= 0")
    if np.any(p <= 0) or np.any(h <= 0):
        raise ValueError("patience_seconds and aht_seconds must be > 0")
    n = np.rint(n_raw).astype(np.int64)
    p_wait = np.zeros_like(a)
    p_abandon = np.zeros_like(a)
    sl = np.ones_like(a)
    busy = a > 0
    if np.any(busy):
        pw, pa, s = _erlang_a_positive(n[busy], a[busy], h[busy], p[busy], t[busy])
        p_wait[busy], p_abandon[busy], sl[busy] = pw, pa, s
    return ErlangAResult(p_wait=p_wait, p_abandon=p_abandon, service_level=sl)


# --------------------------------------------------------------------------- requirements


def _occupancy_floor(load: FloatArray, max_occupancy: FloatArray) -> IntArray:
    """Fewest agents with ``A / N <= max_occupancy`` (at least 1 for a positive load)."""
    floor = np.ceil(load / max_occupancy - 1e-9).astype(np.int64)
    return np.maximum(floor, 1)


def required_agents_erlang_c(
    load: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    answer_seconds: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    max_occupancy: npt.ArrayLike = 1.0,
) -> IntArray:
    """Smallest N with Erlang C ``SL(T) >= target`` and ``A / N <= max_occupancy``.

    0 for a load of 0. Runs the Erlang B recursion for all elements at once, one
    agent count per step, and retires each element at its first N that meets both
    conditions, so the cost is one vector step per agent of the largest answer.
    """
    a, h, t, tgt, occ = _floats(load, aht_seconds, answer_seconds, target, max_occupancy)
    _check_fraction("target", tgt, low_open=False, high_open=True)
    _check_fraction("max_occupancy", occ, low_open=True, high_open=False)
    result = np.zeros(a.shape, dtype=np.int64)
    flat_result = result.reshape(-1)
    rows = np.flatnonzero(a.reshape(-1) > 0)
    a1, h1, t1 = a.reshape(-1)[rows], h.reshape(-1)[rows], t.reshape(-1)[rows]
    tgt1 = tgt.reshape(-1)[rows]
    # Below floor(A) + 1 the queue is unstable and SL is 0, so start there at the earliest.
    first = np.maximum(_occupancy_floor(a1, occ.reshape(-1)[rows]), np.floor(a1) + 1)
    b = np.ones_like(a1)
    k = 0
    while rows.size:
        k += 1
        b = a1 * b / (k + a1 * b)
        check = np.flatnonzero(first <= k)
        if check.size == 0:
            continue
        ac, bc = a1[check], b[check]
        c = k * bc / (k - ac * (1.0 - bc))
        sl = 1.0 - c * np.exp(-(k - ac) * t1[check] / h1[check])
        done = check[sl >= tgt1[check] - TOLERANCE]
        if done.size:
            flat_result[rows[done]] = k
            keep = np.ones(rows.size, dtype=bool)
            keep[done] = False
            rows, a1, h1, t1, tgt1, first, b = (
                rows[keep],
                a1[keep],
                h1[keep],
                t1[keep],
                tgt1[keep],
                first[keep],
                b[keep],
            )
    return result


def required_agents_erlang_a(
    load: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    patience_seconds: npt.ArrayLike,
    answer_seconds: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    max_occupancy: npt.ArrayLike = 1.0,
) -> IntArray:
    """Smallest N with Erlang A ``SL(T) >= target`` and ``A / N <= max_occupancy``.

    The occupancy cap is checked on the offered load ``A / N`` (as for Erlang C): it
    overstates real occupancy by the abandoned share, so the cap errs on the safe side.
    Search: start from the Erlang C answer (usually enough, since abandonment shortens
    waits), double upward where it is not, gallop down, then bisect; every probe is
    vectorised over all intervals.
    """
    a, h, p, t, tgt, occ = _floats(
        load, aht_seconds, patience_seconds, answer_seconds, target, max_occupancy
    )
    _check_fraction("target", tgt, low_open=False, high_open=True)
    _check_fraction("max_occupancy", occ, low_open=True, high_open=False)
    result = np.zeros(a.shape, dtype=np.int64)
    flat_result = result.reshape(-1)
    rows = np.flatnonzero(a.reshape(-1) > 0)
    if rows.size == 0:
        return result
    a1, h1, p1, t1 = (v.reshape(-1)[rows] for v in (a, h, p, t))
    tgt1, occ1 = tgt.reshape(-1)[rows], occ.reshape(-1)[rows]

    def meets(n: IntArray, idx: IntArray) -> npt.NDArray[np.bool_]:
        sl = _erlang_a_positive(n, a1[idx], h1[idx], p1[idx], t1[idx])[2]
        return sl >= tgt1[idx] - TOLERANCE

    lo = _occupancy_floor(a1, occ1)  # invariant: the answer lies in [lo, hi]
    hi = np.maximum(lo, required_agents_erlang_c(a1, h1, t1, tgt1, max_occupancy=occ1))
    pending = np.arange(rows.size)
    for _ in range(_MAX_SEARCH_DOUBLINGS):  # make sure hi meets the target
        bad = pending[~meets(hi[pending], pending)]
        if bad.size == 0:
            break
        lo[bad] = hi[bad] + 1
        hi[bad] = 2 * hi[bad]
        pending = bad
    else:
        raise ArithmeticError("Erlang A search did not reach the service level target")
    # Gallop down from hi (the answer is usually a few agents below Erlang C's) ...
    step = np.ones_like(hi)
    pending = np.flatnonzero(lo < hi)
    while pending.size:
        probe = np.maximum(hi[pending] - step[pending], lo[pending])
        ok = meets(probe, pending)
        hi[pending[ok]] = probe[ok]
        lo[pending[~ok]] = probe[~ok] + 1
        step[pending] *= 2
        pending = pending[ok & (lo[pending] < hi[pending])]
    # ... then bisect what is left.
    pending = np.flatnonzero(lo < hi)
    while pending.size:
        mid = (lo[pending] + hi[pending]) // 2
        ok = meets(mid, pending)
        hi[pending[ok]] = mid[ok]
        lo[pending[~ok]] = mid[~ok] + 1
        pending = pending[lo[pending] < hi[pending]]
    flat_result[rows] = hi
    return result


# --------------------------------------------------------------------------- shrinkage


def staff_with_shrinkage(agents: npt.ArrayLike, shrinkage: float) -> IntArray:
    """Paid staff to schedule so that ``agents`` are on the phones: ``ceil(N / (1 - s))``.

    Exact: the shrinkage is read as the nearest fraction with a denominator of at most
    10^6 (``0.3 -> 3/10``), then ``ceil(N den / (den - num))`` is computed in integers.
    So ``21 / (1 - 0.3)`` gives 30, not 31 as ``ceil(30.000000000000004)`` would.
    """
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError("shrinkage must lie in [0, 1)")
    share = Fraction(shrinkage).limit_denominator(10**6)
    den, num = share.denominator, share.numerator
    n = np.asarray(agents, dtype=np.int64)
    if np.any(n < 0):
        raise ValueError("agents must be >= 0")
    return -((-n * den) // (den - num))
