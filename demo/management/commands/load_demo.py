from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loader import account_lines, load_demo


class Command(BaseCommand):
    help = "Load the Regio Eemland demo data (idempotent), or list the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Only print the demo accounts.")

    def handle(self, *args, list=False, **options):  # noqa: A002
        if not list:
            if not settings.DEMO_DATA_ALLOWED:
                raise CommandError("Demo data (with public passwords) is never loaded here.")
            load_demo(report=self._progress)
            self.stdout.write(self.style.SUCCESS("Demo data for Regio Eemland is loaded."))
            return
        for line in account_lines():
            self.stdout.write(line)

    def _progress(self, line: str) -> None:
        # Flushed at once: on a pipe (CI logs, `make run | tee`) the lines would otherwise appear
        # only when loading has finished.
        self.stdout.write(line)
        self.stdout.flush()
