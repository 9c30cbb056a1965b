"""The generated data-set specs as a hypothesis strategy.

:func:`draw_spec` takes its every choice from a ``random.Random``; hypothesis supplies one
whose draws it controls (``st.randoms(use_true_random=False)``), so a failing spec shrinks
and ``@settings(derandomize=True)`` makes a run repeatable in CI.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.generated.spec import CaseSpec, draw_spec


def case_specs(max_agent_weeks: int | None = None) -> st.SearchStrategy[CaseSpec]:
    """Data-set specs: 5 to 120 agents, 1 to 3 weeks (agents x weeks at most
    ``max_agent_weeks``), every other dimension drawn independently."""
    # seed -1: these specs come from hypothesis, not from a seed; a failure prints the
    # spec's JSON, which ``python -m tests.generated DIR --spec FILE`` rebuilds
    return st.builds(
        lambda rng: draw_spec(rng, -1, max_agent_weeks=max_agent_weeks),
        st.randoms(use_true_random=False),
    )
