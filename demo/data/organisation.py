"""The demo's organisation: Regio Eemland, its municipalities and wijkteams, the care providers
the experts work for, and one expert pool of each collaboration model."""

from demo.data.people import EXPERTS
from expertise.models import ExpertPool

REGION = "Regio Eemland"
MUNICIPALITIES = [
    ("GM0307", "Amersfoort"),
    ("GM0308", "Baarn"),
    ("GM0313", "Bunschoten"),
    ("GM0317", "Eemnes"),
    ("GM0327", "Leusden"),
    ("GM0342", "Soest"),
    ("GM0351", "Woudenberg"),
]
TEAMS = [
    ("Amersfoort", "Wijkteam Amersfoort-Centrum"),
    ("Amersfoort", "Wijkteam Amersfoort-Noord"),
    ("Amersfoort", "Wijkteam Amersfoort-Zuid"),
    ("Amersfoort", "Wijkteam Amersfoort-Oost"),
    ("Amersfoort", "Wijkteam Vathorst-Hooglanderveen"),
    ("Baarn", "Sociaal team Baarn"),
    ("Bunschoten", "Sociaal team Bunschoten-Spakenburg"),
    ("Eemnes", "Sociaal team Eemnes"),
    ("Leusden", "Sociaal team Leusden"),
    ("Soest", "Sociaal team Soest"),
    ("Woudenberg", "Sociaal team Woudenberg"),
]
# The municipality admin (demo.data.people.MUNICIPALITY_ADMIN) administers this one.
ADMIN_MUNICIPALITY = "Amersfoort"

ORGANISATIONS = [
    ("Stichting Schuldhulp Eemland", "Amersfoort"),
    ("Zorggroep Eemvallei", "Amersfoort"),
    ("Expertisecentrum Hersenletsel Midden", "Utrecht"),
    ("Stichting De Lindenhof", "Soest"),
    ("GGZ Eemland", "Amersfoort"),
    ("Jeugdhulp De Brug", "Leusden"),
    ("Verslavingszorg Midden", "Amersfoort"),
    ("Welzijn Eemland", "Baarn"),
    ("Werkbedrijf Eemland", "Amersfoort"),
]


NETWORK = "Expertisenetwerk Amersfoort"
TEAM_POOL = "Expertiseteam Soest-Baarn"
TRIAGE_POOL = "Expertisepool Eemland (triage)"

POOLS = [
    {
        "name": NETWORK,
        "model": ExpertPool.CollaborationModel.NETWORK,
        "description": "Een netwerk van specialisten dat vragen van de Amersfoortse wijkteams "
        "oppakt op hun eigen vakgebied.",
        "teams": [t for m, t in TEAMS if m == "Amersfoort"],
        "experts": [e.email for e in EXPERTS],
    },
    {
        "name": TEAM_POOL,
        "model": ExpertPool.CollaborationModel.TEAM,
        "description": "Vaste specialisten die elke twee weken samen casussen bespreken.",
        "teams": ["Sociaal team Soest", "Sociaal team Baarn"],
        "experts": ["expert", "casemanager-dementie", "lvb", "ggz", "jeugd", "verslaving"],
    },
    {
        "name": TRIAGE_POOL,
        "model": ExpertPool.CollaborationModel.TRIAGE,
        "description": "Een triagist tussen de sociale teams en een pool van 13 experts: vragen "
        "aanscherpen, direct adviseren, doorverwijzen of een MDO organiseren.",
        "teams": [
            "Sociaal team Bunschoten-Spakenburg",
            "Sociaal team Eemnes",
            "Sociaal team Leusden",
            "Sociaal team Woudenberg",
        ],
        "experts": [e.email for e in EXPERTS],
    },
]
