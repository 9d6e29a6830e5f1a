"""The shape of the demo's year of history (demo.history): how much each team asks and about
what, the seasons, how useful each discipline's advice is found, and when the sessions are.
Numbers only; the loader (demo.history) draws the questions from them with a fixed seed."""

from datetime import time

# (team, questions a month on average, life domains it leans to, and by how much)
TEAMS: dict[str, tuple[float, dict[str, float]]] = {
    "Wijkteam Amersfoort-Centrum": (17, {"financien": 1.5, "psychische-gezondheid": 1.3}),
    "Wijkteam Amersfoort-Noord": (12, {"sociale-relaties": 1.5, "wonen-en-leefbaarheid": 1.3}),
    "Wijkteam Amersfoort-Zuid": (10, {"financien": 1.8}),
    "Wijkteam Amersfoort-Oost": (7, {"lichamelijke-gezondheid": 1.8, "zingeving": 2.0}),
    "Wijkteam Vathorst-Hooglanderveen": (6, {"sociale-relaties": 2.0}),
    "Sociaal team Soest": (7, {"psychische-gezondheid": 1.4, "lichamelijke-gezondheid": 1.4}),
    "Sociaal team Baarn": (0.5, {}),  # hardly asks (see HARDLY_ASKS)
    "Sociaal team Bunschoten-Spakenburg": (5, {"sociale-relaties": 1.5, "zingeving": 1.5}),
    "Sociaal team Eemnes": (3, {"wonen-en-leefbaarheid": 1.6}),
    "Sociaal team Leusden": (6, {"werk-opleiding-en-activiteiten": 1.8}),
    "Sociaal team Woudenberg": (3, {"financien": 1.3, "lichamelijke-gezondheid": 1.4}),
}
# The team that hardly asks asked nothing in the last months of the history.
HARDLY_ASKS = "Sociaal team Baarn"
SILENT_MONTHS = 6
# Per calendar month: the summer holidays and December are quiet.
SEASON = {1: 1.1, 2: 1.05, 3: 1.15, 4: 1.0, 5: 0.95, 6: 0.95, 7: 0.6, 8: 0.5, 9: 1.15, 10: 1.2}
SEASON |= {11: 1.15, 12: 0.7}
DOMAIN_SHARES = {
    "financien": 0.28,
    "psychische-gezondheid": 0.2,
    "sociale-relaties": 0.16,
    "wonen-en-leefbaarheid": 0.12,
    "lichamelijke-gezondheid": 0.11,
    "werk-opleiding-en-activiteiten": 0.08,
    "zingeving": 0.05,
}
GROUPS_BY_DOMAIN = {
    "financien": ("schulden", "schulden", "schulden", "lvb", "ggz"),
    "psychische-gezondheid": ("ggz", "ggz", "verslaving", "jeugd", "nah"),
    "sociale-relaties": ("jeugd", "jeugd", "lvb", "ouderen"),
    "wonen-en-leefbaarheid": ("ggz", "ouderen", "schulden"),
    "lichamelijke-gezondheid": ("ouderen", "dementie", "nah"),
    "werk-opleiding-en-activiteiten": ("lvb", "jeugd"),
    "zingeving": ("ouderen",),
}
# How useful the generalists find the advice, per discipline: a mean on the 1-5 scale (others
# get DEFAULT_USEFULNESS); the triage worker's and the sessions' below.
USEFULNESS = {
    "schuldhulpverlener": 4.4,
    "budgetcoach": 4.0,
    "casemanager dementie": 4.3,
    "sociaal psychiatrisch verpleegkundige": 4.1,
    "psychiater (consultatief)": 3.6,
    "jeugdhulpverlener": 3.9,
    "woonconsulent": 3.4,
    "re-integratiecoach": 3.7,
}
DEFAULT_USEFULNESS = 4.0
TRIAGE_USEFULNESS = 3.8
SESSION_USEFULNESS = 4.5
HISTORY_DAYS = 365
QUIET_DAYS = 3  # the history's questions were submitted at least this many days ago
LEFT_ANSWERED = 4  # recent history questions left answered, for their team to close
SESSION_HOURS = (time(13, 0), 120)  # the expertise team: every second Tuesday, 13:00-15:00
TRIAGE_SESSION = (time(10, 0), 90)  # the triage pool's MDO: every fourth Thursday
