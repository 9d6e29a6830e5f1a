"""Signals accounts sends to the apps above it (which it may not import)."""

from django.dispatch import Signal

# After a password change or reset, or a deactivation (accounts.services.credentials_end),
# with `user`: an app that hands out a credential of its own (the calendar feed's secret link)
# revokes it too.
credentials_ended = Signal()

# The second factor was checked at sign-in or enrolment: sender=None, request, user, success
# (the audit log in wijkteam listens).
second_factor_checked = Signal()
