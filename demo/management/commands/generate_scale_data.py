from django.core.management.base import BaseCommand, CommandError

from demo.scale.generate import DEFAULT_SEED, ScaleDataError, generate_scale_data


class Command(BaseCommand):
    help = (
        "Build a deterministic synthetic data set of N questions (regions, teams, people, "
        "pools, cases and questions in every state with their history), for measuring. "
        "Does nothing when the database already holds exactly this data set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--questions", type=int, required=True, help="How many questions.")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Same seed, same data (default 1)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete what the database holds first (all but the migrations' reference data).",
        )

    def handle(self, *args, questions: int, seed: int, reset: bool, **options):
        try:
            outcome = generate_scale_data(
                questions=questions, seed=seed, reset=reset, report=self._progress
            )
        except ScaleDataError as error:
            raise CommandError(str(error)) from error
        if outcome.built:
            self.stdout.write(self.style.SUCCESS("The scale data set is built."))

    def _progress(self, line: str) -> None:
        # Flushed at once, like load_demo: on a pipe the lines would otherwise come at the end.
        self.stdout.write(line)
        self.stdout.flush()
