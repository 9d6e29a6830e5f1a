"""The demo experts' availability (issue 11): the dagdelen each keeps free for consultation
sessions — most a half day a week, many of them on Tuesday afternoon, as an expertise team that
meets then would — and who is away. Keys are the experts' e-mail names (demo.data.people)."""

from __future__ import annotations

# (weekday: 0 is Monday, dagdeel)
WEEKLY: dict[str, list[tuple[int, str]]] = {
    "expert": [(1, "afternoon"), (3, "morning")],
    "budgetcoach": [(1, "afternoon"), (2, "morning")],
    "casemanager-dementie": [(1, "afternoon"), (4, "morning")],
    "nah": [(0, "morning"), (3, "afternoon")],
    "lvb": [(1, "afternoon"), (3, "afternoon")],
    "ggz": [(1, "morning"), (1, "afternoon")],
    "psychiater": [(3, "afternoon")],
    "jeugd": [(1, "afternoon"), (2, "evening")],
    "orthopedagoog": [(2, "afternoon"), (3, "afternoon")],
    "verslaving": [(1, "afternoon"), (0, "evening")],
    "ouderenadviseur": [(0, "morning"), (1, "afternoon"), (3, "morning")],
    "woonconsulent": [(1, "morning"), (4, "morning")],
    "werkcoach": [(1, "afternoon"), (3, "afternoon")],
}

# (days from the day of loading to the first day, days to the last day, kind, note). The demo
# expert has a holiday coming (on their profile); the dementia case manager is on leave now, so
# triage's suggestions show her as away.
ABSENCES: dict[str, tuple[int, int, str, str]] = {
    "expert": (16, 27, "holiday", "Zomervakantie, Texel"),
    "casemanager-dementie": (-3, 9, "leave", ""),
}
