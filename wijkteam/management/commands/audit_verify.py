"""`manage.py audit_verify`: does the audit log's hash chain hold? Prints the number of rows and
the last hash (note it down elsewhere: a chain rewritten from the start is only caught against
an earlier last hash), or the first broken link, and then exits with status 1."""

from django.core.management.base import BaseCommand, CommandError

from wijkteam.audit import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options):
        check = audit_chain_verify()
        if not check.holds:
            raise CommandError(
                f"Audit chain broken at seq {check.broken_seq} (id {check.broken_id}): "
                f"{check.reason}."
            )
        self.stdout.write(f"Audit chain holds: {check.rows} rows, last hash {check.last_hash}.")
