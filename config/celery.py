import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("wijkexpert")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# /health/ waits HEALTH_CELERY_TIMEOUT (3 s) for the answer; a ping that takes longer is dead.
# The only task whose result is kept (CELERY_TASK_IGNORE_RESULT): /health/ waits for it.
@app.task(name="config.celery.ping", ignore_result=False, soft_time_limit=5, time_limit=10)
def ping() -> str:
    """Round trip for /health/: proves a worker is consuming the queue."""
    return "pong"
