"""Signals of the sign-in flow that Django and axes do not send themselves (the audit log in
wijkteam listens; accounts knows nothing of it)."""

from django.dispatch import Signal

# The second factor was checked at sign-in or enrolment: sender=None, request, user, success.
second_factor_checked = Signal()
