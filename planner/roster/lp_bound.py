"""LP relaxation bound of a linear CP-SAT model, solved with HiGHS (``highspy``).

The roster model is kept purely linear (bool and integer variables, linear constraints, a
linear objective), so its LP relaxation can be read generically from the model proto: every
integer variable becomes a continuous one over the hull of its domain, every constraint a
row. The LP optimum is a valid bound on the CP-SAT objective; because CP-SAT objectives are
integer, its ceiling is too. CP-SAT's own bound stays weak on roster-sized models (see
/work/shared/TOOLCHAIN.md §7), which is why this module exists.

HiGHS runs its interior point method without crossover (a basic solution is not needed and
crossover cost a third of the time on roster LPs). The bound is never the solver's reported
value: it is recomputed from the row multipliers by weak duality
(:meth:`Relaxation.minimise`), which holds for any multipliers, so an inexact or unfinished
interior solution still gives a valid bound, only a weaker one.

Translation (``ref`` < 0 is the negated literal ``1 - x[-ref - 1]``):
- ``linear`` without enforcement: ``lo <= sum(a * x) <= hi`` with the domain forms CP-SAT
  writes (``[lo, hi]``, ``[-inf, hi]``, ``[lo, inf]``, ``[v, v]``). A domain with holes
  (``x + y != 2``) is relaxed to its hull, and the result says so in ``notes``.
- ``bool_or``: ``sum(lits) >= 1``; its enforcement literals ``e`` add ``1 - e`` terms,
  which is exact: the clause holds whenever any ``e`` is false.
- ``at_most_one`` / ``exactly_one``: ``sum(lits) <= 1`` / ``== 1``.
- ``bool_and`` without enforcement: every literal fixed true.
- the objective's optional domain restricts the sum of its terms.
Anything else raises :class:`UnsupportedConstraintError`: dropping it would still give a
valid bound, but silently weaker, and enforced ``linear`` rows would need big-M terms.
"""

from __future__ import annotations

import logging
import math
import tempfile
import time
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import highspy
import numpy as np
import numpy.typing as npt
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model
from scipy import sparse

logger = logging.getLogger(__name__)

LpStatus = Literal["optimal", "time_limit", "infeasible", "error"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# CP-SAT writes INT64_MIN / INT64_MAX for an open side; its variable values live well inside
# +-2**62, so anything beyond is "no bound". Dropping a bound only weakens the relaxation.
_INFINITE = float(2**62)


def integer_bound(value: float) -> int:
    """The bound of an integer objective from an LP bound ``value``: rounded up, less a slack
    (absolute and relative, for float sums over many terms) so that 41.9999999 and
    42.0000001, noise on 42, both give 42."""
    return math.ceil(value - 1e-6 - 1e-9 * abs(value))


SUPPORTED_CONSTRAINTS = (
    "linear (without enforcement), bool_or, at_most_one, exactly_one, "
    "bool_and (without enforcement)"
)


class UnsupportedConstraintError(ValueError):
    """The model holds a constraint that has no exact linear relaxation here."""


class InfeasibleRelaxation(Exception):
    """The relaxation is infeasible before any solve (an empty domain, a clash of fixings)."""


@dataclass(frozen=True)
class LpBound:
    """Outcome of one LP relaxation solve of a whole model.

    ``value`` is the LP optimum in the model's own objective terms (offset and scaling
    included), ``None`` unless ``status`` is ``"optimal"``. ``bound`` is the integer bound
    derived by weak duality from HiGHS's multipliers when the objective is integer (``ceil``
    when minimising, ``floor`` when maximising); it is valid whatever the status, and only
    missing when no multipliers came back. ``rows``/``cols`` are the size of the LP handed to
    HiGHS. ``notes`` list every place where the relaxation is weaker than the model's exact
    linear relaxation (domains with holes relaxed to their hull).
    """

    status: LpStatus
    value: float | None
    bound: int | None
    seconds: float
    rows: int
    cols: int
    message: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LpSolution:
    """One :meth:`Relaxation.minimise`: ``lower`` bounds ``min cost @ x`` (weak duality,
    valid for any status; ``None`` without usable multipliers), ``value`` is HiGHS's
    optimum (``None`` unless ``status`` is ``"optimal"``)."""

    status: LpStatus
    value: float | None
    lower: float | None
    seconds: float
    message: str


@dataclass(frozen=True)
class _Objective:
    """User objective = ``scale * (c @ x + constant)``; the LP minimises ``c @ x``."""

    c: FloatArray
    constant: float
    scale: float
    integral: bool


@dataclass(frozen=True)
class Relaxation:
    """``row_lo <= matrix @ x <= row_hi``, ``col_lo <= x <= col_hi``: the LP relaxation of a
    model's constraints (one column per model variable, ``var.index``), and its objective."""

    matrix: sparse.csc_array
    row_lo: FloatArray
    row_hi: FloatArray
    col_lo: FloatArray
    col_hi: FloatArray
    objective: _Objective
    notes: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return int(self.matrix.shape[0])

    @property
    def cols(self) -> int:
        return int(self.matrix.shape[1])

    def minimise(self, cost: FloatArray, time_limit: float) -> LpSolution:
        """Solve ``min cost @ x`` over the relaxation with HiGHS's interior point method.

        The lower bound is recomputed from the row multipliers ``y`` by weak duality: for
        every feasible ``x``, ``cost @ x >= sum_i y_i * (row_lo_i if y_i > 0 else row_hi_i)
        + sum_j min(d_j * col_lo_j, d_j * col_hi_j)`` with ``d = cost - matrix.T @ y`` (a
        multiplier pushing on an open side is dropped, which keeps the inequality). Any
        ``y`` gives a valid bound; HiGHS's gives the LP optimum up to its tolerances.
        """
        began = time.perf_counter()
        if not time_limit > 0:
            return LpSolution("time_limit", None, None, 0.0, "no time left to solve")
        h = highspy.Highs()
        for option, setting in (
            ("output_flag", False),
            ("threads", 1),
            ("solver", "ipm"),
            ("run_crossover", "off"),
            ("time_limit", float(time_limit)),
        ):
            h.setOptionValue(option, setting)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.cols, self.rows
        lp.col_cost_ = np.asarray(cost, dtype=np.float64)
        lp.col_lower_ = _highs_infinite(self.col_lo)
        lp.col_upper_ = _highs_infinite(self.col_hi)
        lp.row_lower_ = _highs_infinite(self.row_lo)
        lp.row_upper_ = _highs_infinite(self.row_hi)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self.matrix.indptr
        lp.a_matrix_.index_ = self.matrix.indices
        lp.a_matrix_.value_ = self.matrix.data
        if h.passModel(lp) == highspy.HighsStatus.kError:
            return LpSolution(
                "error", None, None, time.perf_counter() - began, "HiGHS rejected the LP"
            )
        h.run()
        model_status = h.getModelStatus()
        message = f"HiGHS: {h.modelStatusToString(model_status)}"
        if model_status == highspy.HighsModelStatus.kInfeasible:
            return LpSolution("infeasible", None, None, time.perf_counter() - began, message)
        status: LpStatus
        if model_status == highspy.HighsModelStatus.kOptimal:
            status = "optimal"
        elif model_status == highspy.HighsModelStatus.kTimeLimit:
            status = "time_limit"
        else:
            status = "error"
        solution = h.getSolution()
        lower = self.weak_dual(cost, np.asarray(solution.row_dual)) if solution.dual_valid else None
        value = float(h.getInfo().objective_function_value) if status == "optimal" else None
        if lower is None and status == "optimal":
            message += "; no usable multipliers, so no bound"
            status = "error"
            value = None
        return LpSolution(status, value, lower, time.perf_counter() - began, message)

    def weak_dual(self, cost: FloatArray, multipliers: FloatArray) -> float | None:
        """The weak-duality bound on ``min cost @ x`` of any row ``multipliers`` (see
        :meth:`minimise`), ``None`` when an open column bound makes it minus infinity."""
        y = np.asarray(multipliers, dtype=np.float64)
        y = np.where(
            y > 0,
            np.where(np.isfinite(self.row_lo), y, 0.0),
            np.where(np.isfinite(self.row_hi), y, 0.0),
        )
        reduced = np.asarray(cost, dtype=np.float64) - self.matrix.T @ y
        up, down = y > 0, y < 0
        positive, negative = reduced > 0, reduced < 0
        total = (
            float(y[up] @ self.row_lo[up])
            + float(y[down] @ self.row_hi[down])
            + float(reduced[positive] @ self.col_lo[positive])
            + float(reduced[negative] @ self.col_hi[negative])
        )
        return total if math.isfinite(total) else None


def _highs_infinite(values: FloatArray) -> FloatArray:
    """HiGHS's own infinity for open sides."""
    return np.clip(values, -highspy.kHighsInf, highspy.kHighsInf)


def relax(proto: cp_model_pb2.CpModelProto, fixed: Mapping[int, int] | None = None) -> Relaxation:
    """The LP relaxation of a linear model proto, ``fixed`` variables (index -> value) held.

    Raises :class:`InfeasibleRelaxation` when a domain is empty or a fixing clashes, and
    :class:`UnsupportedConstraintError` for a constraint outside
    :data:`SUPPORTED_CONSTRAINTS`.
    """
    notes: list[str] = []
    matrix, row_lo, row_hi, col_lo, col_hi, objective = _translate(proto, fixed or {}, notes)
    return Relaxation(matrix, row_lo, row_hi, col_lo, col_hi, objective, tuple(notes))


def lp_relaxation_bound(
    model: cp_model.CpModel,
    *,
    time_limit: float,
    fixed: Mapping[int, int] | None = None,
) -> LpBound:
    """Solve the LP relaxation of a linear CP-SAT ``model`` and return its bound.

    ``fixed`` maps variable indices (``var.index``) to values, for the bound of a sub-model
    in which those variables are frozen; a value outside the variable's bounds makes the
    relaxation infeasible. ``time_limit`` (seconds) covers reading the model too.

    Raises :class:`UnsupportedConstraintError` for a constraint type (or an enforcement
    literal) that is not in :data:`SUPPORTED_CONSTRAINTS`, and ``ValueError`` for a bad
    ``fixed`` index or ``time_limit``. Solver trouble is a status, never an exception.
    """
    if not time_limit > 0:
        raise ValueError(f"time_limit must be positive, got {time_limit}")
    start = time.perf_counter()
    proto = model_proto(model)
    try:
        relaxation = relax(proto, fixed)
    except InfeasibleRelaxation as exc:
        return LpBound(
            "infeasible", None, None, time.perf_counter() - start, 0, len(proto.variables), str(exc)
        )
    del proto
    build_seconds = time.perf_counter() - start
    objective = relaxation.objective
    solved = relaxation.minimise(objective.c, time_limit - build_seconds)
    value = bound = None
    if solved.value is not None:
        value = objective.scale * (solved.value + objective.constant)
    if solved.lower is not None and objective.integral and solved.status != "infeasible":
        whole = integer_bound(solved.lower)
        bound = round(objective.scale * (whole + objective.constant))
    outcome = LpBound(
        status=solved.status,
        value=value,
        bound=bound,
        seconds=time.perf_counter() - start,
        rows=relaxation.rows,
        cols=relaxation.cols,
        message=f"{solved.message} (build {build_seconds:.2f} s)",
        notes=relaxation.notes,
    )
    logger.info(
        "LP relaxation %s: value=%s bound=%s, %d rows x %d cols, %.2f s",
        outcome.status,
        outcome.value,
        outcome.bound,
        outcome.rows,
        outcome.cols,
        outcome.seconds,
    )
    return outcome


def model_proto(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """Copy the model into a google.protobuf message.

    ``model.proto`` is a pybind11 wrapper whose repeated fields are read element by element
    (about 8 s for 300k variables and 2M coefficients); a binary round trip through a
    temporary file and the upb parser takes well under 2 s for the same model.
    """
    with tempfile.TemporaryDirectory(prefix="lp_bound_") as tmp:
        path = Path(tmp) / "model.pb"
        if not model.export_to_file(str(path)):
            raise RuntimeError(f"CP-SAT could not export the model to {path}")
        return cp_model_pb2.CpModelProto.FromString(path.read_bytes())


def _hull(domain: Sequence[int]) -> tuple[float, float]:
    """Bounds of a CP-SAT domain (flattened interval list) as floats, open sides infinite."""
    lo = float(domain[0])
    hi = float(domain[-1])
    return (-math.inf if lo <= -_INFINITE else lo, math.inf if hi >= _INFINITE else hi)


class _Rows:
    """Rows ``lo <= sum(coeff * lit(ref)) <= hi`` gathered in flat typed buffers.

    8 bytes per coefficient and per reference, instead of Python int objects in lists;
    ``fromlist(list(...))`` was the fastest way found to copy a upb repeated field in.
    """

    def __init__(self) -> None:
        self.refs = array("q")
        self.coeffs = array("q")  # CP-SAT coefficients are int64
        self.lengths = array("q")
        self.lo = array("d")
        self.hi = array("d")

    def add(self, refs: Sequence[int], coeffs: Sequence[int], lo: float, hi: float) -> None:
        self.refs.fromlist(list(refs))
        self.coeffs.fromlist(list(coeffs))
        self.lengths.append(len(refs))
        self.lo.append(lo)
        self.hi.append(hi)

    def add_literals(self, refs: Sequence[int], lo: float, hi: float) -> None:
        self.add(refs, array("q", [1]) * len(refs), lo, hi)

    def release(self) -> None:
        """Free the reference and coefficient buffers once they have been converted."""
        self.refs = array("q")
        self.coeffs = array("q")


def _add_constraint(
    index: int, ct: cp_model_pb2.ConstraintProto, rows: _Rows, true_refs: array[int]
) -> bool:
    """Add one constraint's exact linear relaxation (a row, or literals fixed true);
    true when a linear domain with holes was relaxed to its hull."""
    kind = ct.WhichOneof("constraint")
    enforced = len(ct.enforcement_literal) > 0
    if kind == "linear" and not enforced:
        domain = ct.linear.domain
        if not domain:
            raise InfeasibleRelaxation(f"constraint {index} ({ct.name!r}) has an empty domain")
        rows.add(ct.linear.vars, ct.linear.coeffs, *_hull(domain))
        return len(domain) > 2
    if kind == "bool_or":
        negated_enforcement = [-e - 1 for e in ct.enforcement_literal]
        rows.add_literals([*ct.bool_or.literals, *negated_enforcement], 1.0, math.inf)
    elif kind == "at_most_one" and not enforced:
        rows.add_literals(ct.at_most_one.literals, -math.inf, 1.0)
    elif kind == "exactly_one" and not enforced:
        rows.add_literals(ct.exactly_one.literals, 1.0, 1.0)
    elif kind == "bool_and" and not enforced:
        true_refs.extend(ct.bool_and.literals)
    elif kind is not None:
        what = f"{kind} with enforcement literals" if enforced else kind
        raise UnsupportedConstraintError(
            f"constraint {index}{f' ({ct.name!r})' if ct.name else ''} is {what}, "
            f"which has no exact linear relaxation; supported: {SUPPORTED_CONSTRAINTS}"
        )
    return False


def _translate(
    proto: cp_model_pb2.CpModelProto, fixed: Mapping[int, int], notes: list[str]
) -> tuple[sparse.csc_array, FloatArray, FloatArray, FloatArray, FloatArray, _Objective]:
    n_vars = len(proto.variables)
    lower = np.empty(n_vars)
    upper = np.empty(n_vars)
    holes = 0
    for i, var in enumerate(proto.variables):
        domain = var.domain
        if not domain:
            raise InfeasibleRelaxation(f"variable {i} ({var.name!r}) has an empty domain")
        holes += len(domain) > 2
        lower[i], upper[i] = _hull(domain)
    if holes:
        notes.append(f"{holes} variable domain(s) with holes relaxed to their hull")

    rows = _Rows()
    true_refs = array("q")
    row_holes = sum(
        _add_constraint(index, ct, rows, true_refs) for index, ct in enumerate(proto.constraints)
    )
    if row_holes:
        notes.append(f"{row_holes} linear constraint domain(s) with holes relaxed to their hull")

    objective = _objective(proto, n_vars, rows)
    _apply_true_literals(np.frombuffer(true_refs, dtype=np.int64), lower, upper)
    _apply_fixed(fixed, lower, upper, proto)
    clash = np.flatnonzero(lower > upper)
    if clash.size:
        i = int(clash[0])
        raise InfeasibleRelaxation(
            f"variable {i} ({proto.variables[i].name!r}) has no value left: "
            f"bounds [{lower[i]:g}, {upper[i]:g}] after fixing"
        )
    return (*_assemble(rows, n_vars), lower, upper, objective)


def _objective(proto: cp_model_pb2.CpModelProto, n_vars: int, rows: _Rows) -> _Objective:
    """Read the objective; its domain, if any, becomes a row over the sum of its terms."""
    if proto.HasField("objective"):
        obj = proto.objective
        refs = np.asarray(obj.vars, dtype=np.int64)
        coeffs = np.asarray(obj.coeffs, dtype=np.float64)
        c, constant = _fold_refs(refs, coeffs, n_vars)
        if obj.domain:
            rows.add(obj.vars, obj.coeffs, *_hull(obj.domain))  # on the terms, not the offset
        scale = obj.scaling_factor or 1.0
        offset = obj.offset
        # The terms sum to an integer; the user value is integer if offset and scale keep it so.
        integral = abs(scale) == 1.0 and float(offset).is_integer()
        return _Objective(c, constant + offset, scale, integral)
    if proto.HasField("floating_point_objective"):
        fobj = proto.floating_point_objective
        refs = np.asarray(fobj.vars, dtype=np.int64)
        coeffs = np.asarray(fobj.coeffs, dtype=np.float64)
        sign = -1.0 if fobj.maximize else 1.0
        c, constant = _fold_refs(refs, sign * coeffs, n_vars)
        integral = bool(np.all(np.mod(coeffs, 1.0) == 0)) and float(fobj.offset).is_integer()
        return _Objective(c, constant + sign * fobj.offset, sign, integral)
    return _Objective(np.zeros(n_vars), 0.0, 1.0, True)


def _fold_refs(refs: IntArray, coeffs: FloatArray, n_vars: int) -> tuple[FloatArray, float]:
    """Dense cost vector of ``sum(coeffs * lit(refs))`` and the constant from negations."""
    negated = refs < 0
    columns = np.where(negated, -refs - 1, refs)
    _check_columns(columns, n_vars, "objective")
    c = np.zeros(n_vars)
    np.add.at(c, columns, np.where(negated, -coeffs, coeffs))
    return c, float(coeffs[negated].sum())


def _check_columns(columns: IntArray, n_vars: int, where: str) -> None:
    if columns.size and (columns.min() < 0 or columns.max() >= n_vars):
        raise ValueError(f"{where} refers to a variable outside 0..{n_vars - 1}")


def _apply_true_literals(refs: IntArray, lower: FloatArray, upper: FloatArray) -> None:
    positive = refs[refs >= 0]
    negative = -refs[refs < 0] - 1
    _check_columns(positive, len(lower), "bool_and")
    _check_columns(negative, len(lower), "bool_and")
    lower[positive] = np.maximum(lower[positive], 1.0)
    upper[negative] = np.minimum(upper[negative], 0.0)


def _apply_fixed(
    fixed: Mapping[int, int],
    lower: FloatArray,
    upper: FloatArray,
    proto: cp_model_pb2.CpModelProto,
) -> None:
    for index, value in fixed.items():
        if not 0 <= index < len(lower):
            raise ValueError(f"fixed refers to variable {index}, outside 0..{len(lower) - 1}")
        if not lower[index] <= value <= upper[index]:
            raise InfeasibleRelaxation(
                f"variable {index} ({proto.variables[index].name!r}) fixed to {value}, "
                f"outside its bounds [{lower[index]:g}, {upper[index]:g}]"
            )
        lower[index] = upper[index] = value


def _assemble(rows: _Rows, n_vars: int) -> tuple[sparse.csc_array, FloatArray, FloatArray]:
    """The gathered rows as a column-wise matrix (what HiGHS takes) and their two sides,
    negated literals ``coeff * (1 - x)`` moved into the sides as constants."""
    refs = np.frombuffer(rows.refs, dtype=np.int64)
    coeffs = np.frombuffer(rows.coeffs, dtype=np.int64).astype(np.float64)
    lengths = np.frombuffer(rows.lengths, dtype=np.int64)
    lo = np.frombuffer(rows.lo, dtype=np.float64).copy()
    hi = np.frombuffer(rows.hi, dtype=np.float64).copy()
    n_rows = len(lengths)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])

    negated = refs < 0
    columns = np.where(negated, -refs - 1, refs)
    _check_columns(columns, n_vars, "a constraint")
    data = np.where(negated, -coeffs, coeffs)
    if negated.any():
        positions = np.flatnonzero(negated)
        row_of = np.searchsorted(indptr, positions, side="right") - 1
        shift = np.bincount(row_of, weights=coeffs[positions], minlength=n_rows)
        lo -= shift
        hi -= shift
    del refs, coeffs, negated
    rows.release()
    if np.any(lo > hi):
        raise InfeasibleRelaxation("a constraint has lower bound above upper bound")
    matrix = sparse.csr_array((data, columns, indptr), shape=(n_rows, n_vars))
    matrix.sum_duplicates()
    return sparse.csc_array(matrix), lo, hi
