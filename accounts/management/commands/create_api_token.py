from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.tokens import api_token_create


class Command(BaseCommand):
    help = (
        "Make a personal API token for a user and print its secret once. Only the hash is "
        "stored: the secret cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The user's e-mail address.")
        parser.add_argument(
            "--name", default="manage.py", help="A name to tell the token apart (e.g. the system)."
        )

    def handle(self, *args, email: str, name: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with e-mail address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The account {email!r} is inactive.")
        if not name.strip():
            raise CommandError("The token needs a name.")
        token, secret = api_token_create(user=user, name=name)
        self.stderr.write(
            f"Token {token.name!r} ({token.prefix}…) made for {user.email}. "
            "Store the secret now: it is not shown again."
        )
        self.stdout.write(secret)
