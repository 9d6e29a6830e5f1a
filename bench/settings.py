"""The settings gunicorn and the Celery worker get from `make bench`: production, plus two
things the benchmark switches on, each by its own variable (bench.run sets both):

- BENCH_REFERENCES=1 mounts the two reference views under /bench/ (bench/urls.py);
- BENCH_QUERY_COUNT=1 adds a middleware that counts a request's queries when the request asks
  for it (bench/middleware.py).

Neither exists in config.settings.production: a production deployment never has them.
"""

from config.env import env_bool
from config.settings.production import *  # noqa: F403
from config.settings.production import MIDDLEWARE

BENCH_REFERENCES = env_bool("BENCH_REFERENCES", False)
BENCH_QUERY_COUNT = env_bool("BENCH_QUERY_COUNT", False)

if BENCH_REFERENCES:
    ROOT_URLCONF = "bench.urls"
if BENCH_QUERY_COUNT:
    # Outermost, so the session's save and everything else of the request is counted.
    MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
