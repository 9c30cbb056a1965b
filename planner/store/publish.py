"""Publishing a run's roster: one transaction that writes the new version (its shifts, breaks,
the diff against the version before it, the fairness ledger of its dates and the audit entry),
or nothing at all.

Refused, with a message: a run that is not a finished solve with a roster the independent
check accepted; a stale base (someone published since the run was planned: re-run on the new
version); changes inside the freeze window, unless a manager gives an override reason (then
the changes are written to the audit log with the reason).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from planner.store import ledger, rosters
from planner.store.access import Actor, Refused, audit
from planner.store.models import RosterVersion, Run, User
from planner.store.rosters import PREVIOUS_DAYS

MAX_LISTED = 10
"""Frozen changes listed in a refusal before the rest are counted."""


def check_publishable(run: Run) -> None:
    if run.kind != "solve":
        raise Refused(f"run {run.id} is a {run.kind}: only a solve has a roster to publish")
    if run.status not in ("done", "cancelled"):
        raise Refused(f"run {run.id} is {run.status}: only a finished run can be published")
    if run.check_ok is not True:
        raise Refused(
            f"run {run.id} has no roster that passed the independent check: nothing to publish"
        )


def _stale(session: Session, run: Run, latest: RosterVersion | None) -> None:
    latest_id = None if latest is None else latest.id
    if latest_id == run.base_version_id:
        return
    assert latest is not None
    who = session.get(User, latest.published_by) if latest.published_by else None
    base = "no published roster" if run.base_version_id is None else "an older version"
    raise Refused(
        f"stale base: run {run.id} was planned on {base}, but version {latest.version} was "
        f"published since (by {who.email if who else 'the command line'} at "
        f"{latest.published_at:%Y-%m-%d %H:%M} UTC). Run the solve again on the new version."
    )


def publish(
    session: Session, actor: Actor | str, run: Run, override_reason: str | None = None
) -> RosterVersion:
    """Publish ``run``'s roster (the caller checked the actor may, and commits). ``actor`` is
    a user, or a name (``"seed"``: the first roster ``make run`` publishes by itself)."""
    check_publishable(run)
    latest = rosters.latest_version(session, run.team_id)
    _stale(session, run, latest)
    draft = rosters.run_shifts(session, run.id)
    breaks = rosters.run_breaks(session, run.id)
    first, end = run.start, run.start + timedelta(days=7 * run.weeks)
    previous, _ = rosters.in_force(
        session, run.team_id, first - timedelta(days=PREVIOUS_DAYS), end, up_to=run.base_version_id
    )
    freeze_days = int(run.inputs.get("freeze_days", 0))
    changes = rosters.frozen_changes(previous, draft, first, freeze_days)
    reason = (override_reason or "").strip()
    if changes and not reason:
        listed = "\n".join(f"  {c}" for c in changes[:MAX_LISTED])
        more = len(changes) - MAX_LISTED
        raise Refused(
            f"{len(changes)} change(s) inside the freeze window "
            f"({first} to {rosters.freeze_window(previous, first, freeze_days)[1]}, "
            f"stability.freeze_days = {freeze_days}):\n{listed}"
            + (f"\n  ... and {more} more" if more > 0 else "")
            + "\nA manager may publish anyway with an override reason (it is audited)."
        )
    version = RosterVersion(
        team_id=run.team_id,
        version=(latest.version if latest else 0) + 1,
        run_id=run.id,
        dataset_id=run.dataset_id,
        base_version_id=run.base_version_id,
        start=run.start,
        weeks=run.weeks,
        published_by=actor.user_id if isinstance(actor, Actor) else None,
        diff=rosters.roster_diff(previous, draft, first, end),
        override_reason=reason if changes else None,
    )
    session.add(version)
    session.flush()
    session.add_all(rosters.copy_rows(draft, breaks, version.id))
    ledger.record(session, version, draft, run.inputs.get("data_edits"))
    detail = {"version": version.version, "run_id": run.id, "diff_counts": version.diff["counts"]}
    audit(
        session,
        actor,
        "roster.publish",
        team_id=run.team_id,
        entity="roster_version",
        entity_id=version.id,
        detail=detail,
    )
    if changes:
        audit(
            session,
            actor,
            "roster.freeze_override",
            team_id=run.team_id,
            entity="roster_version",
            entity_id=version.id,
            detail={"reason": reason, "changes": [str(c) for c in changes]},
        )
    session.flush()
    return version
