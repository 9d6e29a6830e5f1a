"""The hours pages: an expert's own (mine), and those of a pool's triage workers and
coordinators (planner: approvals and invoice exports)."""
