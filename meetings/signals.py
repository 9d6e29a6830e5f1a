"""Signals apps above meetings listen to, so that meetings need not import them: `session_held`
is sent inside the transaction that marks a session held, and again when an outcome of a held
session names who took part, with the locked session (the hours app proposes each attending
expert their time from it; the proposal is made once per expert)."""

from django.dispatch import Signal

session_held = Signal()
