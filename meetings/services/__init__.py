"""Writes for sessions: planning (plan, move, cancel, hold), the agenda (add, remove, fill,
invite, respond), outcomes (record, carry over) and the recurring meetings of team pools."""
