"""Signals other apps listen to, so that consultation (lower in the layers) need not import
them: `question_moved` is sent inside the transaction of every status change, with the locked
question, its previous status, the new one and the actor."""

from django.dispatch import Signal

question_moved = Signal()
