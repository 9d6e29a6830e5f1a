"""Demo data: a believable Regio Eemland. Idempotent: loading it twice changes nothing.

Every account made here is marked `is_demo_account`, which lets it skip the second factor only
while DEMO_MODE is on (`make run`); production settings force DEMO_MODE off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accounts.models import User
from expertise.models import ExpertPool, ExpertProfile, LifeDomain, Organisation, TargetGroup
from wijkteam.models import DistrictTeam, Municipality, Region, TeamMembership

DEMO_PASSWORD = "wijkexpert-demo"
DEMO_DOMAIN = "eemland.example"

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
FIRST_NAMES = [
    "Sanne",
    "Mohamed",
    "Lotte",
    "Ricardo",
    "Fleur",
    "Daan",
    "Aylin",
    "Joost",
    "Noor",
    "Kees",
    "Ilse",
    "Bram",
    "Fatima",
    "Pieter",
    "Esther",
    "Yusuf",
    "Marieke",
    "Thijs",
    "Anouk",
    "Ruben",
    "Hanneke",
    "Jeroen",
    "Samira",
    "Wouter",
    "Linda",
    "Emre",
    "Petra",
    "Tim",
    "Ingrid",
    "Sven",
    "Merel",
    "Hugo",
    "Naima",
]
LAST_NAMES = [
    "de Vries",
    "El Amrani",
    "Jansen",
    "Pinas",
    "Bakker",
    "Visser",
    "Yilmaz",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bouzid",
    "Bos",
    "Vos",
    "Kaya",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Benali",
    "Dijkstra",
    "Smits",
    "Demir",
    "de Graaf",
    "van der Meer",
    "van den Berg",
    "Kok",
    "Jacobs",
    "Vermeulen",
    "Haddou",
]

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


@dataclass(frozen=True)
class DemoExpert:
    email: str
    first_name: str
    last_name: str
    job_title: str
    organisation: str
    life_domains: tuple[str, ...]
    target_groups: tuple[str, ...]
    bio: str


EXPERTS = [
    DemoExpert(
        "expert",
        "Eva",
        "Koster",
        "schuldhulpverlener",
        "Stichting Schuldhulp Eemland",
        ("financien",),
        ("schulden",),
        "Helpt huishoudens met problematische schulden; kent de regelingen van de gemeente.",
    ),
    DemoExpert(
        "budgetcoach",
        "Marco",
        "Verhoeven",
        "budgetcoach",
        "Stichting Schuldhulp Eemland",
        ("financien", "werk-opleiding-en-activiteiten"),
        ("schulden", "lvb"),
        "Budgetbeheer en inkomensondersteuning, ook voor mensen met een LVB.",
    ),
    DemoExpert(
        "casemanager-dementie",
        "Annemiek",
        "Schouten",
        "casemanager dementie",
        "Zorggroep Eemvallei",
        ("lichamelijke-gezondheid", "psychische-gezondheid"),
        ("dementie", "ouderen"),
        "Begeleidt mensen met dementie en hun mantelzorgers.",
    ),
    DemoExpert(
        "nah",
        "Gerrit",
        "Blom",
        "specialist niet-aangeboren hersenletsel",
        "Expertisecentrum Hersenletsel Midden",
        ("lichamelijke-gezondheid", "psychische-gezondheid"),
        ("nah",),
        "Herkennen en begeleiden van gevolgen van hersenletsel in het dagelijks leven.",
    ),
    DemoExpert(
        "lvb",
        "Karin",
        "Postma",
        "gedragsdeskundige LVB",
        "Stichting De Lindenhof",
        ("sociale-relaties", "psychische-gezondheid"),
        ("lvb",),
        "Gedragsdeskundige; adviseert over communicatie en begeleiding bij een LVB.",
    ),
    DemoExpert(
        "ggz",
        "Dennis",
        "Wolters",
        "sociaal psychiatrisch verpleegkundige",
        "GGZ Eemland",
        ("psychische-gezondheid",),
        ("ggz",),
        "Consultatie bij psychische problemen, ook als iemand (nog) geen hulp wil.",
    ),
    DemoExpert(
        "psychiater",
        "Shirin",
        "Rahimi",
        "psychiater (consultatief)",
        "GGZ Eemland",
        ("psychische-gezondheid",),
        ("ggz", "verslaving"),
        "Denkt mee bij complexe psychiatrische vragen en medicatie.",
    ),
    DemoExpert(
        "jeugd",
        "Bas",
        "van Dam",
        "jeugdhulpverlener",
        "Jeugdhulp De Brug",
        ("sociale-relaties",),
        ("jeugd",),
        "Opvoedvragen, gezinsproblemen en veiligheid van kinderen.",
    ),
    DemoExpert(
        "orthopedagoog",
        "Judith",
        "Sanders",
        "orthopedagoog",
        "Jeugdhulp De Brug",
        ("sociale-relaties", "werk-opleiding-en-activiteiten"),
        ("jeugd", "lvb"),
        "Ontwikkeling en leren van kinderen; passend onderwijs.",
    ),
    DemoExpert(
        "verslaving",
        "Rob",
        "Hoekstra",
        "consulent verslavingszorg",
        "Verslavingszorg Midden",
        ("psychische-gezondheid", "lichamelijke-gezondheid"),
        ("verslaving",),
        "Alcohol, drugs en gokken: motiveren en toeleiden naar hulp.",
    ),
    DemoExpert(
        "ouderenadviseur",
        "Trudy",
        "Lammers",
        "ouderenadviseur",
        "Welzijn Eemland",
        ("sociale-relaties", "zingeving"),
        ("ouderen",),
        "Eenzaamheid, zingeving en langer thuis wonen.",
    ),
    DemoExpert(
        "woonconsulent",
        "Hamza",
        "Ouali",
        "woonconsulent",
        "Welzijn Eemland",
        ("wonen-en-leefbaarheid",),
        ("ggz", "ouderen"),
        "Woonproblemen, overlast en dreigende huisuitzetting.",
    ),
    DemoExpert(
        "werkcoach",
        "Ellen",
        "Timmer",
        "re-integratiecoach",
        "Werkbedrijf Eemland",
        ("werk-opleiding-en-activiteiten",),
        ("lvb", "jeugd"),
        "Werk, dagbesteding en opleiding; kent de werkgevers in de regio.",
    ),
]

POOLS: list[dict[str, Any]] = [
    {
        "name": "Expertisenetwerk Amersfoort",
        "model": ExpertPool.CollaborationModel.NETWORK,
        "description": "Een netwerk van specialisten dat vragen van de Amersfoortse wijkteams "
        "oppakt op hun eigen vakgebied.",
        "teams": [t for m, t in TEAMS if m == "Amersfoort"],
        "experts": [e.email for e in EXPERTS],
    },
    {
        "name": "Expertiseteam Soest-Baarn",
        "model": ExpertPool.CollaborationModel.TEAM,
        "description": "Vaste specialisten die elke twee weken samen casussen bespreken.",
        "teams": ["Sociaal team Soest", "Sociaal team Baarn"],
        "experts": ["expert", "casemanager-dementie", "lvb", "ggz", "jeugd", "verslaving"],
    },
    {
        "name": "Expertisepool Eemland (triage)",
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

# One account per role, printed by `make run` (and in the README).
ROLE_ACCOUNTS = [
    ("generalist", f"generalist@{DEMO_DOMAIN}"),
    ("team_lead", f"teamleider@{DEMO_DOMAIN}"),
    ("expert", f"expert@{DEMO_DOMAIN}"),
    ("triage", f"triage@{DEMO_DOMAIN}"),
    ("municipality_admin", f"gemeente@{DEMO_DOMAIN}"),
    ("superuser", f"beheer@{DEMO_DOMAIN}"),
]


def _user(email: str, first_name: str, last_name: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_demo_account": True,
            **extra,
        },
    )
    if created:
        # Only on creation: a second load must not change the stored hash.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _people():
    """Deterministic names: the n-th generalist always gets the same name."""
    for index in range(10_000):
        yield FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[(index * 7) % len(LAST_NAMES)]


@transaction.atomic
def load_demo() -> None:
    region, _ = Region.objects.get_or_create(name=REGION)
    municipalities = {}
    for code, name in MUNICIPALITIES:
        municipalities[name], _ = Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "region": region}
        )
    teams = {}
    for municipality, name in TEAMS:
        teams[name], _ = DistrictTeam.objects.get_or_create(
            municipality=municipalities[municipality], name=name
        )

    people = _people()
    for index, team in enumerate(teams.values()):
        for position in range(3):
            first, last = next(people)
            if index == 0 and position == 0:
                email, role = f"generalist@{DEMO_DOMAIN}", TeamMembership.Role.GENERALIST
            elif index == 0 and position == 2:
                email, role = f"teamleider@{DEMO_DOMAIN}", TeamMembership.Role.TEAM_LEAD
            else:
                email = f"wijkteam{index + 1:02d}.{position + 1}@{DEMO_DOMAIN}"
                role = (
                    TeamMembership.Role.TEAM_LEAD
                    if position == 2
                    else TeamMembership.Role.GENERALIST
                )
            user = _user(email, first, last)
            TeamMembership.objects.update_or_create(team=team, user=user, defaults={"role": role})

    organisations = {}
    for name, city in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"city": city}
        )
    domains = {d.slug: d for d in LifeDomain.objects.all()}
    groups = {g.slug: g for g in TargetGroup.objects.all()}
    profiles = {}
    for expert in EXPERTS:
        user = _user(f"{expert.email}@{DEMO_DOMAIN}", expert.first_name, expert.last_name)
        profile, _ = ExpertProfile.objects.update_or_create(
            user=user,
            defaults={
                "organisation": organisations[expert.organisation],
                "job_title": expert.job_title,
                "bio": expert.bio,
            },
        )
        profile.life_domains.set([domains[slug] for slug in expert.life_domains])
        profile.target_groups.set([groups[slug] for slug in expert.target_groups])
        profiles[expert.email] = profile

    triage_worker = _user(f"triage@{DEMO_DOMAIN}", "Miriam", "Akkerman")
    for spec in POOLS:
        pool, _ = ExpertPool.objects.update_or_create(
            name=spec["name"],
            defaults={
                "region": region,
                "collaboration_model": spec["model"],
                "description": spec["description"],
            },
        )
        pool.teams.set([teams[name] for name in spec["teams"]])
        for key in spec["experts"]:
            profiles[key].pools.add(pool)
        if spec["model"] == ExpertPool.CollaborationModel.TRIAGE:
            pool.triage_workers.set([triage_worker])

    admin = _user(f"gemeente@{DEMO_DOMAIN}", "Roos", "van Veen")
    municipalities["Amersfoort"].admins.add(admin)
    _user(f"beheer@{DEMO_DOMAIN}", "Functioneel", "Beheerder", is_staff=True, is_superuser=True)

    # Cases and questions in every state (imported here: that module imports this one).
    from accounts.demo_consultation import load_demo_consultation

    load_demo_consultation()
