"""The store: one database that managers, leads and agents share (the stage after ``verify``).

It holds teams, their data sets, scenarios, runs (queued, executed by worker processes beside
the server, with their progress and results), draft and published rosters, the fairness
ledger derived from published rosters, users and an audit log. The command line keeps working
on plain files; the store is what the dashboard and its users share.

- :mod:`planner.store.db`: the engine (SQLite by default, any SQLAlchemy URL) and transactions.
- :mod:`planner.store.models`: the tables; :mod:`planner.store.migrate`: Alembic migrations.
- :mod:`planner.store.access`: who is acting (a verified email -> a user), roles and refusals.
- :mod:`planner.store.service`: every function the dashboard calls, each checking the actor.
- :mod:`planner.store.runs`, :mod:`planner.store.execute`, :mod:`planner.store.executor`,
  :mod:`planner.store.worker`: the run queue, one run's execution, the executor interface and
  the worker loop.
- :mod:`planner.store.rosters`, :mod:`planner.store.publish`: stored rosters, the diff, the
  freeze window, publishing and the fairness ledger.
- :mod:`planner.store.exports`: ``.ics``, CSV and Excel; :mod:`planner.store.backup`: backup
  and restore; :mod:`planner.store.signin`: the local OpenID provider and the start-up check.
"""
