"""skills: an agent covers at most one channel at a time, only among their skills."""

from __future__ import annotations

import numpy as np

from planner.domain import Horizon
from planner.roster.coverage import allocate
from tests.support.model import WEEK, make_agent, make_config, relaxed_rules, solve_checked


def test_allocation_by_hand() -> None:
    # Channels phone, sms, email (priority 3, 2, 1); groups {phone, sms}: 40 min,
    # {sms, email}: 50 min. Need 60 / 30 / 30. Phone first takes the 40 phone-capable
    # minutes; sms gets 30 of the second group's 50; email the remaining 20.
    need = np.array([[60, 30, 30]])
    presence = np.array([[40, 50]])
    mask = np.array([[True, True, False], [False, True, True]])
    assert allocate(need, presence, mask, np.array([3, 2, 1])).tolist() == [[40, 30, 20]]


def test_email_only_agent_does_not_cover_phone() -> None:
    # Phone needs 1 from 09:00 to 17:30 on Sunday; the only agent does email. Every phone
    # staff-minute stays short: 510 min x priority 3.
    agents = [make_agent("E1", skills=("email",))]
    config = make_config(rules=relaxed_rules())

    def need(t, c):
        return (
            1 if (c == "phone" and t.date() == WEEK and 9 <= t.hour + t.minute / 60 < 17.5) else 0
        )

    result, _ = solve_checked(agents, config, Horizon(WEEK, 1), need)
    assert result.terms["under_staffing"].raw == 510 * 3
    assert result.roster is not None
    assert not result.roster.shifts  # working would only add idle time
