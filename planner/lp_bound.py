"""LP relaxation bound of a linear CP-SAT model, solved with HiGHS through scipy.

The roster model is kept purely linear (bool and integer variables, linear constraints, a
linear objective), so its LP relaxation can be read generically from the model proto: every
integer variable becomes a continuous one over the hull of its domain, every constraint a
row. The LP optimum is a valid bound on the CP-SAT objective; because CP-SAT objectives are
integer, its ceiling is too. CP-SAT's own bound stays weak on roster-sized models (see
/work/shared/TOOLCHAIN.md §7), which is why this module exists.

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

import argparse
import contextlib
import ctypes
import dataclasses
import json
import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model
from scipy import sparse
from scipy.optimize import linprog

logger = logging.getLogger(__name__)

LpStatus = Literal["optimal", "time_limit", "infeasible", "error"]
LpMethod = Literal["highs-ipm", "highs", "highs-ds"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# CP-SAT writes INT64_MIN / INT64_MAX for an open side; its variable values live well inside
# +-2**62, so anything beyond is "no bound". Dropping a bound only weakens the relaxation.
_INFINITE = float(2**62)
# The LP optimum of an integer objective is rounded up to the next integer, minus this slack
# so that 41.9999999 (solver noise on 42) still rounds to 42.
_CEIL_TOLERANCE = 1e-6

SUPPORTED_CONSTRAINTS = (
    "linear (without enforcement), bool_or, at_most_one, exactly_one, "
    "bool_and (without enforcement)"
)


class UnsupportedConstraintError(ValueError):
    """The model holds a constraint that has no exact linear relaxation here."""


@dataclass(frozen=True)
class LpBound:
    """Outcome of one LP relaxation solve.

    ``value`` is the LP optimum in the model's own objective terms (offset and scaling
    included); ``bound`` is the integer bound derived from it when the objective is integer
    (``ceil`` when minimising, ``floor`` when maximising), taken from HiGHS's dual solution so
    that solver tolerances cannot make it invalid. Both are ``None`` unless ``status`` is
    ``"optimal"``. ``rows``/``cols`` are the size of the LP handed to HiGHS (one slack column
    per two-sided row). ``notes`` list every place where the relaxation is weaker than the
    model's exact linear relaxation (domains with holes relaxed to their hull).
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
class _Objective:
    """User objective = ``scale * (c @ x + constant)``; the LP minimises ``c @ x``."""

    c: FloatArray
    constant: float
    scale: float
    integral: bool


@dataclass(frozen=True)
class _Lp:
    c: FloatArray
    a_ub: sparse.csr_array | None
    b_ub: FloatArray
    a_eq: sparse.csr_array | None
    b_eq: FloatArray
    lower: FloatArray
    upper: FloatArray

    @property
    def rows(self) -> int:
        return len(self.b_ub) + len(self.b_eq)

    @property
    def cols(self) -> int:
        return len(self.c)


class _Infeasible(Exception):
    """Raised while translating when the relaxation is infeasible before any solve."""


def lp_relaxation_bound(
    model: cp_model.CpModel,
    *,
    time_limit: float,
    fixed: Mapping[int, int] | None = None,
    method: LpMethod = "highs-ipm",
) -> LpBound:
    """Solve the LP relaxation of a linear CP-SAT ``model`` and return its bound.

    ``fixed`` maps variable indices (``var.index``) to values, for the bound of an LNS
    sub-model in which those variables are frozen; a value outside the variable's bounds
    makes the relaxation infeasible. ``time_limit`` (seconds) covers reading the model too.
    ``method`` is scipy's HiGHS method; interior point was the fastest on roster LPs.

    Raises :class:`UnsupportedConstraintError` for a constraint type (or an enforcement
    literal) that is not in :data:`SUPPORTED_CONSTRAINTS`, and ``ValueError`` for a bad
    ``fixed`` index or ``time_limit``. Solver trouble is a status, never an exception.
    """
    if not time_limit > 0:
        raise ValueError(f"time_limit must be positive, got {time_limit}")
    start = time.perf_counter()
    return _bound_of_proto(_read_proto(model), start, time_limit, fixed or {}, method)


def lp_bound_of_file(
    path: str | Path, *, time_limit: float, method: LpMethod = "highs-ipm"
) -> LpBound:
    """:func:`lp_relaxation_bound` of a model exported with ``CpModel.export_to_file``."""
    if not time_limit > 0:
        raise ValueError(f"time_limit must be positive, got {time_limit}")
    start = time.perf_counter()
    # No local reference to the proto: it is freed before HiGHS runs.
    return _bound_of_proto(
        cp_model_pb2.CpModelProto.FromString(Path(path).read_bytes()),
        start,
        time_limit,
        {},
        method,
    )


def _bound_of_proto(
    proto: cp_model_pb2.CpModelProto,
    start: float,
    time_limit: float,
    fixed: Mapping[int, int],
    method: LpMethod,
) -> LpBound:
    notes: list[str] = []
    try:
        lp, objective = _translate(proto, fixed, notes)
    except _Infeasible as exc:
        return LpBound(
            status="infeasible",
            value=None,
            bound=None,
            seconds=time.perf_counter() - start,
            rows=0,
            cols=len(proto.variables),
            message=str(exc),
            notes=tuple(notes),
        )
    del proto  # hundreds of MB on a full roster; HiGHS needs the room
    build_seconds = time.perf_counter() - start
    remaining = time_limit - build_seconds
    if remaining <= 0:
        status: LpStatus = "time_limit"
        value: float | None = None
        bound: int | None = None
        message = "reading the model used the whole time limit"
    else:
        status, value, bound, message = _solve(lp, objective, remaining, method)
    return _finish(
        start,
        lp,
        status=status,
        value=value,
        bound=bound,
        message=f"{message} (build {build_seconds:.2f} s)",
        notes=notes,
    )


def _finish(
    start: float,
    lp: _Lp,
    *,
    status: LpStatus,
    value: float | None,
    bound: int | None,
    message: str,
    notes: list[str],
) -> LpBound:
    outcome = LpBound(
        status=status,
        value=value,
        bound=bound,
        seconds=time.perf_counter() - start,
        rows=lp.rows,
        cols=lp.cols,
        message=message,
        notes=tuple(notes),
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


def _read_proto(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
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


def _translate(
    proto: cp_model_pb2.CpModelProto, fixed: Mapping[int, int], notes: list[str]
) -> tuple[_Lp, _Objective]:
    n_vars = len(proto.variables)
    lower = np.empty(n_vars)
    upper = np.empty(n_vars)
    holes = 0
    for i, var in enumerate(proto.variables):
        domain = var.domain
        if not domain:
            raise _Infeasible(f"variable {i} ({var.name!r}) has an empty domain")
        holes += len(domain) > 2
        lower[i], upper[i] = _hull(domain)
    if holes:
        notes.append(f"{holes} variable domain(s) with holes relaxed to their hull")

    rows = _Rows()
    true_refs = array("q")
    row_holes = 0
    for index, ct in enumerate(proto.constraints):
        kind = ct.WhichOneof("constraint")
        enforced = len(ct.enforcement_literal) > 0
        if kind == "linear" and not enforced:
            domain = ct.linear.domain
            if not domain:
                raise _Infeasible(f"constraint {index} ({ct.name!r}) has an empty domain")
            row_holes += len(domain) > 2
            rows.add(ct.linear.vars, ct.linear.coeffs, *_hull(domain))
        elif kind == "bool_or":
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
    if row_holes:
        notes.append(f"{row_holes} linear constraint domain(s) with holes relaxed to their hull")

    objective = _objective(proto, n_vars, rows)
    _apply_true_literals(np.frombuffer(true_refs, dtype=np.int64), lower, upper)
    _apply_fixed(fixed, lower, upper, proto)
    clash = np.flatnonzero(lower > upper)
    if clash.size:
        i = int(clash[0])
        raise _Infeasible(
            f"variable {i} ({proto.variables[i].name!r}) has no value left: "
            f"bounds [{lower[i]:g}, {upper[i]:g}] after fixing"
        )
    return _assemble(rows, objective, lower, upper, n_vars), objective


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
            raise _Infeasible(
                f"variable {index} ({proto.variables[index].name!r}) fixed to {value}, "
                f"outside its bounds [{lower[index]:g}, {upper[index]:g}]"
            )
        lower[index] = upper[index] = value


def _assemble(
    rows: _Rows, objective: _Objective, lower: FloatArray, upper: FloatArray, n_vars: int
) -> _Lp:
    """Turn the gathered rows into ``A_ub x <= b_ub``, ``A_eq x == b_eq`` for linprog.

    A two-sided row ``lo <= a x <= hi`` becomes ``a x - s == 0`` with a slack ``s`` in
    ``[lo, hi]``: one extra coefficient instead of a duplicated row.
    """
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
    # One index dtype for indices and indptr, else scipy copies both to int64.
    index_dtype = np.int32 if max(len(columns), n_vars + n_rows) < 2**31 - 1 else np.int64
    columns = columns.astype(index_dtype)
    if negated.any():
        # coeff * (1 - x) = coeff - coeff * x: move the constant to the row's bounds.
        positions = np.flatnonzero(negated)
        row_of = np.searchsorted(indptr, positions, side="right") - 1
        shift = np.bincount(row_of, weights=coeffs[positions], minlength=n_rows)
        lo -= shift
        hi -= shift
    del refs, coeffs, negated
    rows.release()

    finite_lo = np.isfinite(lo)
    finite_hi = np.isfinite(hi)
    if np.any(lo > hi):
        raise _Infeasible("a constraint has lower bound above upper bound")
    equal = finite_lo & finite_hi & (lo == hi)
    ranged = finite_lo & finite_hi & (lo < hi)
    at_most = ~finite_lo & finite_hi
    at_least = finite_lo & ~finite_hi
    n_slack = int(ranged.sum())
    n_cols = n_vars + n_slack
    matrix = sparse.csr_array((data, columns, indptr.astype(index_dtype)), shape=(n_rows, n_cols))
    matrix.sum_duplicates()
    del data, columns

    ub_rows = np.flatnonzero(at_most | at_least)
    a_ub: sparse.csr_array | None = None
    b_ub = np.where(at_most, hi, -lo)[ub_rows]
    if ub_rows.size:
        a_ub = matrix[ub_rows]
        sign = np.where(at_most[ub_rows], 1.0, -1.0)
        a_ub.data *= np.repeat(sign, np.diff(a_ub.indptr))

    eq_rows = np.flatnonzero(equal | ranged)
    a_eq: sparse.csr_array | None = None
    b_eq = np.where(equal, lo, 0.0)[eq_rows]
    if eq_rows.size:
        a_eq = matrix[eq_rows]
        if n_slack:
            slack_rows = np.flatnonzero(ranged[eq_rows])
            slack = sparse.csr_array(
                (-np.ones(n_slack), (slack_rows, n_vars + np.arange(n_slack))),
                shape=a_eq.shape,
            )
            a_eq = sparse.csr_array(a_eq + slack)
    del matrix

    c = np.concatenate([objective.c, np.zeros(n_slack)])
    return _Lp(
        c=c,
        a_ub=a_ub,
        b_ub=b_ub,
        a_eq=a_eq,
        b_eq=b_eq,
        lower=np.concatenate([lower, lo[ranged]]),
        upper=np.concatenate([upper, hi[ranged]]),
    )


def _solve(
    lp: _Lp, objective: _Objective, time_limit: float, method: LpMethod
) -> tuple[LpStatus, float | None, int | None, str]:
    try:
        res = linprog(
            lp.c,
            A_ub=lp.a_ub,
            b_ub=lp.b_ub if lp.a_ub is not None else None,
            A_eq=lp.a_eq,
            b_eq=lp.b_eq if lp.a_eq is not None else None,
            bounds=np.column_stack([lp.lower, lp.upper]),
            method=method,
            options={"time_limit": time_limit, "presolve": True},
        )
    except ValueError as exc:
        return "error", None, None, f"linprog rejected the LP: {exc}"
    message = f"HiGHS: {res.message}"
    if res.status == 1:
        return "time_limit", None, None, message
    if res.status == 2:
        return "infeasible", None, None, message
    if res.status == 3:
        return "error", None, None, f"{message} (an open variable domain leaves it unbounded)"
    if res.status != 0:
        return "error", None, None, message

    lp_value = float(res.fun)
    value = objective.scale * (lp_value + objective.constant)
    if not objective.integral:
        return "optimal", value, None, message
    dual = _dual_bound(lp, res)
    if dual is None:
        # Without a usable dual (an open domain meets a nonzero reduced cost) the primal value
        # is the best available; its tolerance is far below the rounding slack on our scale.
        dual = lp_value
        message += "; dual bound unavailable, rounded the primal value"
    whole = math.ceil(min(dual, lp_value) - _CEIL_TOLERANCE)
    bound = round(objective.scale * (whole + objective.constant))
    return "optimal", value, bound, message


def _dual_bound(lp: _Lp, res: Any) -> float | None:
    """A lower bound on ``min c @ x`` that holds for any multipliers, however inexact.

    With ``y_ub <= 0`` and any ``y_eq``, weak duality gives
    ``c @ x >= y_ub @ b_ub + y_eq @ b_eq + sum_j min(d_j * l_j, d_j * u_j)`` where
    ``d = c - A_ub.T @ y_ub - A_eq.T @ y_eq``. Rounding this, not the primal value, keeps the
    integer bound valid even when the solver's value sits a tolerance above the optimum.
    """
    reduced = lp.c.copy()
    total = 0.0
    if lp.a_ub is not None:
        y_ub = np.minimum(np.asarray(res.ineqlin.marginals, dtype=np.float64), 0.0)
        reduced -= lp.a_ub.T @ y_ub
        total += float(y_ub @ lp.b_ub)
    if lp.a_eq is not None:
        y_eq = np.asarray(res.eqlin.marginals, dtype=np.float64)
        reduced -= lp.a_eq.T @ y_eq
        total += float(y_eq @ lp.b_eq)
    positive = reduced > 0
    negative = reduced < 0
    total += float(reduced[positive] @ lp.lower[positive])
    total += float(reduced[negative] @ lp.upper[negative])
    return total if math.isfinite(total) else None


# --------------------------------------------------------------------------- child process

_KILL_GRACE = 5.0
"""Seconds past its own time limit after which the child process ends itself (SIGALRM)."""


class LpJob:
    """The LP bound of a CP-SAT model, solved in a child process that can always be killed.

    HiGHS (through scipy) was seen to run 70 s past an 8 s ``time_limit`` on a roster-sized
    LP, and a C call cannot be interrupted from Python; a process can. The model is handed
    over as a file (``CpModel.export_to_file``), the :class:`LpBound` comes back as JSON on
    the child's stdout. The child is ``python -m planner.lp_bound FILE``, a fresh interpreter
    (never a fork of a process running CP-SAT threads), in its own session so that Ctrl-C in
    a terminal reaches only the parent, which kills it in :meth:`close`. The child also ends
    itself ``_KILL_GRACE`` s after its time limit and when its parent dies (Linux), so no
    orphan outlives a crashed parent for long.

    Use as a context manager; :meth:`poll` never blocks, :meth:`finish` takes the result or
    kills the child.
    """

    def __init__(
        self, model: cp_model.CpModel, time_limit: float, method: LpMethod = "highs-ipm"
    ) -> None:
        if not time_limit > 0:
            raise ValueError(f"time_limit must be positive, got {time_limit}")
        self.time_limit = time_limit
        self._folder = Path(tempfile.mkdtemp(prefix="lp_bound_"))
        self._result: LpBound | None = None
        path = self._folder / "model.pb"
        self.began = time.perf_counter()
        if not model.export_to_file(str(path)):
            shutil.rmtree(self._folder, ignore_errors=True)
            raise RuntimeError(f"CP-SAT could not export the model to {path}")
        self.export_seconds = time.perf_counter() - self.began
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        self._stderr = open(self._folder / "stderr.txt", "wb")  # noqa: SIM115 (closed in close)
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "planner.lp_bound",
                str(path),
                "--time-limit",
                repr(float(time_limit)),
                "--method",
                method,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            cwd=root,
            start_new_session=True,
        )
        logger.info(
            "LP bound started in process %d (%.1f s limit; model exported in %.2f s)",
            self.process.pid,
            time_limit,
            self.export_seconds,
        )

    def __enter__(self) -> LpJob:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def poll(self) -> LpBound | None:
        """The child's result if it has ended (then it is reaped), else ``None``."""
        if self._result is None and self.process is not None and self.process.poll() is not None:
            self._collect()
        return self._result

    def finish(self) -> LpBound:
        """The result if the child has ended; otherwise kill it and say it did not finish."""
        result = self.poll()
        if result is None:
            self.close()
            result = self._result
        assert result is not None
        return result

    def close(self) -> None:
        """Kill the child if it still runs, reap it, remove the model file (idempotent)."""
        process = self.process
        if process is not None:
            if process.poll() is None:
                process.kill()
                process.wait()
                self._result = self._result or LpBound(
                    status="time_limit",
                    value=None,
                    bound=None,
                    seconds=time.perf_counter() - self.began,
                    rows=0,
                    cols=0,
                    message=f"LP process stopped after {time.perf_counter() - self.began:.1f} s",
                )
            elif self._result is None:
                self._collect()
            if process.stdout is not None:
                process.stdout.close()
            self.process = None
        if not self._stderr.closed:
            self._stderr.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _collect(self) -> None:
        process = self.process
        assert process is not None
        out = process.stdout.read() if process.stdout is not None else b""
        process.wait()
        self._result = _parse_result(out, process.returncode, self._stderr_tail())

    def _stderr_tail(self) -> str:
        self._stderr.flush()
        try:
            lines = (self._folder / "stderr.txt").read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1] if lines else ""


def _parse_result(out: bytes, returncode: int, stderr_tail: str) -> LpBound:
    try:
        data = json.loads(out.decode())
        return LpBound(**{**data, "notes": tuple(data.get("notes", ()))})
    except (ValueError, TypeError):
        detail = f": {stderr_tail}" if stderr_tail else ""
        return LpBound(
            status="error",
            value=None,
            bound=None,
            seconds=0.0,
            rows=0,
            cols=0,
            message=f"LP process ended with code {returncode} and no result{detail}",
        )


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent ends (best effort elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m planner.lp_bound MODEL.pb --time-limit S``: print the :class:`LpBound` as
    JSON on stdout (the child side of :class:`LpJob`)."""
    parser = argparse.ArgumentParser(prog="python -m planner.lp_bound", description=main.__doc__)
    parser.add_argument("model", type=Path, help="a CpModelProto file (export_to_file)")
    parser.add_argument("--time-limit", type=float, required=True, help="seconds")
    parser.add_argument("--method", default="highs-ipm", choices=("highs-ipm", "highs", "highs-ds"))
    args = parser.parse_args(argv)
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above
        return 1
    # SIGALRM's default action ends the process even while HiGHS holds the interpreter.
    signal.alarm(max(1, math.ceil(args.time_limit + _KILL_GRACE)))
    outcome = lp_bound_of_file(args.model, time_limit=args.time_limit, method=args.method)
    sys.stdout.write(json.dumps(dataclasses.asdict(outcome)) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
