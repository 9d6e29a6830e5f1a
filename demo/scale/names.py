"""Names for the synthetic world: fictional places, professionals and residents.

Places are put together from Dutch-sounding parts (Lindehorst, Wolderveen) and carry CBS codes
from GM9001 up, a range no real municipality uses. Professionals get the demo's first and last
names (demo.data.people) and a few more; residents get surnames that say they are made up
(Proefsma, Verzinkamp), like the demo's residents.
"""

from __future__ import annotations

import unicodedata

from demo.data.people import FIRST_NAMES, LAST_NAMES

PLACE_STARTS = [
    "Linde",
    "Wolder",
    "Beeke",
    "Heide",
    "Esse",
    "Hazel",
    "Rieten",
    "Vlas",
    "Wilgen",
    "Elzen",
    "Berken",
    "Eike",
    "Meeu",
    "Zwalu",
    "Kievit",
    "Reiger",
    "Otter",
    "Bever",
    "Vossen",
    "Dassen",
    "Brem",
    "Varen",
    "Klaver",
    "Mos",
]
PLACE_ENDS = [
    "horst",
    "veen",
    "dam",
    "broek",
    "voort",
    "rode",
    "hoven",
    "sloot",
    "dijk",
    "meer",
    "stede",
    "berg",
    "drecht",
    "hout",
    "kerk",
    "burg",
    "woude",
    "oord",
    "wijk",
    "loo",
]

# Districts of a city, each its own buurtteam (Utrecht has 18).
DISTRICTS = [
    "Centrum",
    "Noord",
    "Oost",
    "Zuid",
    "West",
    "Noordoost",
    "Zuidoost",
    "Noordwest",
    "Zuidwest",
    "Binnenstad",
    "Parkwijk",
    "Havenkwartier",
    "Stationsgebied",
    "Bloemenbuurt",
    "Schildersbuurt",
    "Vogelwijk",
    "Rivierenwijk",
    "Bomenbuurt",
    "Dichtersbuurt",
    "Sportpark",
]

# Extra teams for Regio Eemland, beside the demo's own (demo.data.organisation.TEAMS).
EEMLAND_EXTRA_TEAMS = {
    "Amersfoort": [
        "Wijkteam Amersfoort-Schothorst",
        "Wijkteam Amersfoort-Kattenbroek",
        "Wijkteam Amersfoort-Nieuwland",
        "Wijkteam Amersfoort-Liendert",
        "Wijkteam Amersfoort-Rustenburg",
        "Wijkteam Amersfoort-Hoogland",
        "Wijkteam Amersfoort-Soesterkwartier",
        "Wijkteam Amersfoort-Randenbroek",
        "Wijkteam Amersfoort-Schuilenburg",
        "Wijkteam Amersfoort-Kruiskamp",
        "Wijkteam Amersfoort-Zielhorst",
        "Wijkteam Amersfoort-Leusderkwartier",
        "Wijkteam Amersfoort-Bergkwartier",
        "Wijkteam Amersfoort-Vermeerkwartier",
        "Wijkteam Amersfoort-Calveen",
        "Wijkteam Amersfoort-Isselt",
    ],
    "Soest": ["Sociaal team Soesterberg", "Sociaal team Soest-Zuid", "Sociaal team Soest-Noord"],
    "Leusden": ["Sociaal team Leusden-Zuid", "Sociaal team Achterveld"],
    "Baarn": ["Sociaal team Baarn-Oost", "Sociaal team Lage Vuursche"],
    "Bunschoten": ["Sociaal team Spakenburg-Zuid"],
    "Eemnes": ["Sociaal team Eemnes-Noord"],
    "Woudenberg": ["Sociaal team Woudenberg-Oost"],
}

MORE_FIRST_NAMES = [
    "Annelies",
    "Bart",
    "Chantal",
    "Dirk",
    "Elif",
    "Frank",
    "Gerda",
    "Hans",
    "Iris",
    "Jasper",
    "Karima",
    "Lars",
    "Miriam",
    "Niels",
    "Olga",
    "Patrick",
    "Quirine",
    "Rachid",
    "Saskia",
    "Tom",
    "Ursula",
    "Vincent",
    "Wendy",
    "Youssef",
    "Zeynep",
    "Arjen",
    "Brigitte",
    "Cor",
    "Desiree",
    "Erik",
]
MORE_LAST_NAMES = [
    "Aksoy",
    "Boersma",
    "Claassen",
    "Doornbos",
    "Evers",
    "Franssen",
    "Gerritsen",
    "Hoogendoorn",
    "IJzerman",
    "Kuipers",
    "Lambregts",
    "Martens",
    "Nijhuis",
    "Oosterhuis",
    "Prins",
    "Rutten",
    "Schipper",
    "Terpstra",
    "Ünal",
    "Veenstra",
    "Westerveld",
    "Zijlstra",
    "Akkermans",
    "van Dijk",
    "van Wijk",
    "de Jong",
    "Koç",
    "Amrani",
]
PROFESSIONAL_FIRST_NAMES = FIRST_NAMES + MORE_FIRST_NAMES
PROFESSIONAL_LAST_NAMES = LAST_NAMES + MORE_LAST_NAMES

# Residents: first names that are no Dutch word (the privacy guard looks for them in the text).
# None of them is a first name of the demo's residents (demo.data.cases): load_demo keys its cases
# on the resident's name.
RESIDENT_FIRST_NAMES = [
    "Anouk",
    "Bayu",
    "Cato",
    "Demi",
    "Emine",
    "Finn",
    "Gijs",
    "Hatice",
    "Ismail",
    "Jens",
    "Kiki",
    "Levi",
    "Maud",
    "Lieke",
    "Olaf",
    "Puck",
    "Quinten",
    "Rens",
    "Sem",
    "Tess",
    "Umut",
    "Vera",
    "Wessel",
    "Xander",
    "Yara",
    "Zeynab",
    "Bente",
    "Bertus",
    "Cobie",
    "Dirkje",
    "Evert",
    "Geesje",
    "Hendrikus",
    "Jantine",
    "Klaasje",
    "Lammert",
    "Mientje",
    "Nelis",
    "Ockje",
    "Riekje",
]


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits, for e-mail addresses: 'van Dijk' -> 'vandijk'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


# Combinations that turn out to be real places.
_REAL_PLACES = {"Otterloo", "Berkenwoude", "Mosberg", "Varenwijk"}


def place_names() -> list[str]:
    """Fictional place names, in a fixed order (the caller shuffles them with its seed)."""
    names = [start + end for start in PLACE_STARTS for end in PLACE_ENDS]
    return [name for name in names if name not in _REAL_PLACES]
