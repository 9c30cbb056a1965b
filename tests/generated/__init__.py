"""Generated data sets for the command line: seeded specs, a file writer and a runner.

:mod:`tests.generated.spec` draws a data-set spec (team, zones, contracts, availability,
time off, coverage, channels, demand, a horizon over DST changes or holiday weeks);
:mod:`tests.generated.strategies` offers it as a hypothesis strategy;
:mod:`tests.generated.writer` writes its contract files; :mod:`tests.generated.run` runs
validate, staff, solve and check on it and judges the output. ``tests/test_generated.py``
runs the cases; ``python -m tests.generated DIR --seed S --run`` rebuilds one.
"""
