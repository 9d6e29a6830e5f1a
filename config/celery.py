import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("wijkexpert")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="wijkexpert.ping")
def ping() -> str:
    """Round trip for /health/: proves a worker is consuming the queue."""
    return "pong"
