"""The pool's triage workers and coordinators: approvals beyond the cap, invoice exports."""

urlpatterns: list = []
