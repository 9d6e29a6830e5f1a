"""`manage.py prepare_demo`: what `make run` does before it starts web, worker and beat, in one
process (Django set up once, not three times): migrate, load the demo unless it is loaded already
(demo.marker), and the demo accounts. Each step says what it does while it does it."""

import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from demo.loader import account_lines, load_demo
from demo.marker import demo_loaded


class Command(BaseCommand):
    help = (
        "Migrate, load the Regio Eemland demo data unless it is loaded already, and list the "
        "demo accounts (what `make run` does before it starts its processes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts-file",
            help="Write the demo accounts to this file instead of printing them "
            "(`make run` prints them last, once the application answers).",
        )

    def handle(self, *args, accounts_file=None, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data (with public passwords) is never loaded here.")
        self._migrate()
        self._load()
        lines = account_lines()
        if accounts_file:
            Path(accounts_file).write_text("\n".join(lines) + "\n")
        else:
            for line in lines:
                self.stdout.write(line)

    def _migrate(self) -> None:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        started = time.monotonic()
        if plan:
            self._progress(f"Migrating the database: {len(plan)} migrations…")
        # Also with nothing to apply: migrate's post_migrate handlers (content types,
        # permissions) run every time.
        call_command("migrate", interactive=False, verbosity=1 if plan else 0, stdout=self.stdout)
        self._progress(
            f"Migrating the database… done ({time.monotonic() - started:.1f} s)"
            if plan
            else "The database is up to date."
        )

    def _load(self) -> None:
        marker = demo_loaded()
        if marker is not None:
            loaded_at = timezone.localtime(datetime.fromisoformat(marker["loaded_at"]))
            self._progress(
                f"The demo data is loaded already ({loaded_at:%Y-%m-%d %H:%M}); not loaded again."
            )
            return
        started = time.monotonic()
        self._progress("Loading the demo data…")
        load_demo(report=self._progress)
        self._progress(f"Loading the demo data… done ({time.monotonic() - started:.1f} s)")

    def _progress(self, line: str) -> None:
        # Flushed at once, like load_demo: on a pipe the lines would otherwise come at the end.
        self.stdout.write(line)
        self.stdout.flush()
