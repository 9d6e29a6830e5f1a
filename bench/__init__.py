"""`make bench`: the application under load, measured from outside, against two references.

Nothing in the application imports this package. Its views and middleware exist only in the
settings gunicorn gets from `bench.run` (`bench.settings`); see docs/performance.md, "How to run
the benchmark".
"""
