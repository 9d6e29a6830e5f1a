# Models arrive with the consultation and triage issues.
