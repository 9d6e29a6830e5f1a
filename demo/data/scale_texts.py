"""The words of `generate_scale_data` (demo.scale): question fragments per life domain, advice,
clarification requests, replies, triage reasons and close-out comments, in Dutch as a district
team writes.

Nothing here names a person, a date of birth, a postcode, a phone number or an e-mail address:
the texts pass the privacy guard for any resident (tests/demo/test_scale.py checks a sample).
Questions are put together from a few fragments, so that no two look alike on a page.
"""

# --- Questions, per life domain (slug) -----------------------------------------------------------
# (title, situation, question) triples; `tried` comes from TRIED below.
QUESTIONS: dict[str, list[tuple[str, str, str]]] = {
    "financien": [
        (
            "Oplopende schulden en post die niet wordt geopend",
            "Huishouden met een groeiende stapel ongeopende post. Er lopen achterstanden bij de "
            "zorgverzekeraar en de energieleverancier; een deurwaarder heeft zich gemeld.",
            "Welke route naar schuldhulp past hier, en wat kunnen we nu al doen om verdere "
            "kosten te voorkomen?",
        ),
        (
            "Inkomen valt weg na scheiding; vaste lasten niet meer te betalen",
            "Na de scheiding is het inkomen gehalveerd. De huur en de vaste lasten zijn gebleven; "
            "toeslagen zijn nog niet aangepast.",
            "Op welke regelingen en toeslagen heeft dit huishouden recht, en in welke volgorde "
            "pakken we het aan?",
        ),
        (
            "Terugvordering toeslagen zorgt voor paniek",
            "Er is een terugvordering van toeslagen binnengekomen over twee jaar. Het huishouden "
            "schrikt, slaapt slecht en wil alles in één keer terugbetalen.",
            "Hoe beoordelen we of de terugvordering klopt, en hoe voorkomen we dat er een nieuw "
            "gat ontstaat?",
        ),
        (
            "Beslag op inkomen, beslagvrije voet lijkt te laag",
            "Er ligt beslag op het inkomen. Na aftrek blijft er te weinig over voor boodschappen; "
            "de beslagvrije voet lijkt niet goed berekend.",
            "Hoe laten we de beslagvrije voet controleren, en wie kan daarbij ondersteunen?",
        ),
        (
            "Gokschulden verborgen voor de partner",
            "Een van de partners heeft schulden opgebouwd met online gokken. De ander weet het "
            "sinds kort; er is veel spanning in huis.",
            "Hoe combineren we hulp bij de schulden met hulp bij het gokken, zonder dat het gezin "
            "verder onder druk komt?",
        ),
    ],
    "wonen-en-leefbaarheid": [
        (
            "Dreigende huisuitzetting door huurachterstand",
            "De verhuurder heeft een ontruimingsvonnis aangevraagd wegens een huurachterstand van "
            "enkele maanden. Er is weinig contact met de verhuurder geweest.",
            "Welke stappen kunnen we nog zetten om de ontruiming te voorkomen?",
        ),
        (
            "Overlastmeldingen van buren; vervuilde woning",
            "Buren melden stankoverlast en afval op het balkon. Bij een huisbezoek bleek de woning "
            "sterk vervuild; er is weinig ziektebesef.",
            "Hoe pakken we de vervuiling aan zonder het contact te verliezen, en wie moet erbij?",
        ),
        (
            "Woning past niet meer na ziekenhuisopname",
            "Na een ziekenhuisopname is traplopen niet meer mogelijk. De slaapkamer en badkamer "
            "liggen boven; tijdelijk wordt beneden geslapen.",
            "Is aanpassen of verhuizen de beste route, en wat kan er op korte termijn?",
        ),
        (
            "Dakloos na uitzetting, tijdelijk bij kennissen",
            "Na een uitzetting slaapt de inwoner wisselend bij kennissen. Er is geen postadres en "
            "de uitkering dreigt te stoppen.",
            "Hoe regelen we een briefadres en een plek in de opvang, en wat gaat voor?",
        ),
    ],
    "werk-opleiding-en-activiteiten": [
        (
            "Jongvolwassene zit thuis zonder school of werk",
            "Jongvolwassene is gestopt met de opleiding en zit al maanden thuis. De dagen hebben "
            "geen ritme; ouders maken zich zorgen.",
            "Welke mogelijkheden zijn er voor werk, leren of dagbesteding die aansluiten bij wat "
            "hij zelf wil?",
        ),
        (
            "Langdurig ziek gemeld, re-integratie loopt vast",
            "Al lange tijd ziek gemeld; de werkgever dringt aan op re-integratie. De inwoner voelt "
            "zich niet gehoord en het contact met de bedrijfsarts is slecht.",
            "Hoe kunnen we bemiddelen tussen werkgever en inwoner, en welke rechten gelden hier?",
        ),
        (
            "Dagbesteding gezocht na verlies van werk",
            "Na het verlies van werk valt de structuur weg. Er is behoefte aan iets zinvols om "
            "handen, maar betaald werk is nu te veel.",
            "Welke vormen van dagbesteding of vrijwilligerswerk passen, en hoe houden we het vol?",
        ),
    ],
    "sociale-relaties": [
        (
            "Spanningen in het gezin, kinderen raken klem",
            "Ouders maken veel ruzie, ook waar de kinderen bij zijn. School merkt dat de oudste "
            "zich terugtrekt; de jongste is vaak ziek gemeld.",
            "Hoe schatten we de veiligheid van de kinderen in, en welke hulp past bij dit gezin?",
        ),
        (
            "Eenzaamheid na overlijden partner",
            "Sinds het overlijden van de partner komt de inwoner nauwelijks de deur uit. Het "
            "netwerk is klein geworden; de kinderen wonen ver weg.",
            "Wat kunnen we doen om het netwerk weer op te bouwen, en wanneer is meer nodig?",
        ),
        (
            "Mantelzorger overbelast",
            "De mantelzorger zorgt al jaren alleen en is uitgeput. Er is weinig ruimte voor eigen "
            "rust; hulp van buiten wordt afgehouden.",
            "Hoe ontlasten we de mantelzorger op een manier die het gezin accepteert?",
        ),
        (
            "Ouder met beperking houdt structuur voor kind moeilijk vol",
            "Ouder met een licht verstandelijke beperking zorgt liefdevol voor een jong kind, maar "
            "overziet de dagelijkse zorg niet: eten, slapen en afspraken.",
            "Welke ondersteuning past bij deze ouder, en hoe volgen we de ontwikkeling van het "
            "kind zonder dat het als controle voelt?",
        ),
    ],
    "lichamelijke-gezondheid": [
        (
            "Vergeetachtigheid en verwaarlozing bij alleenwonende oudere",
            "Alleenwonende oudere vergeet afspraken en medicatie; de koelkast is leeg of bedorven. "
            "De huisarts is op de hoogte maar er is geen diagnose.",
            "Hoe krijgen we zicht op wat er speelt, en hoe organiseren we veilige zorg thuis?",
        ),
        (
            "Gevolgen van hersenletsel na ongeval",
            "Sinds een ongeval is de inwoner snel moe, prikkelbaar en vergeet veel. De omgeving "
            "begrijpt het niet; het werk is gestopt.",
            "Hoe herkennen we de gevolgen van het hersenletsel, en welke begeleiding past?",
        ),
        (
            "Chronische pijn en weinig bewegen",
            "De inwoner heeft al jaren pijnklachten en beweegt steeds minder. Er zijn veel "
            "afspraken met specialisten maar weinig samenhang.",
            "Wie kan helpen om de zorg rond de pijnklachten te ordenen en de inwoner weer in "
            "beweging te krijgen?",
        ),
    ],
    "psychische-gezondheid": [
        (
            "Somberheid en terugtrekken, hulp wordt afgehouden",
            "De inwoner is al maanden somber, slaapt slecht en zegt afspraken af. Hulp van de GGZ "
            "wordt afgehouden uit angst voor een opname.",
            "Hoe komen we in contact zonder te forceren, en wanneer moeten we verder opschalen?",
        ),
        (
            "Verward gedrag en onrust in de buurt",
            "Buren melden onrustig en verward gedrag, vooral 's nachts. Er is eerder contact "
            "geweest met de crisisdienst.",
            "Hoe schatten we de situatie in, en wie moet er betrokken worden?",
        ),
        (
            "Alcoholgebruik loopt uit de hand",
            "Het alcoholgebruik is het afgelopen jaar flink toegenomen. Er zijn ruzies en het "
            "werk staat op het spel; de inwoner ziet het zelf als tijdelijk.",
            "Hoe motiveren we tot hulp, en wat kan het netwerk nu al doen?",
        ),
        (
            "Angstklachten houden jongere thuis",
            "Een jongere durft niet meer naar school of de sportclub en zit veel op de kamer. "
            "Ouders weten niet hoe ze moeten reageren.",
            "Welke hulp past bij de angstklachten, en hoe ondersteunen we de ouders?",
        ),
    ],
    "zingeving": [
        (
            "Vragen over levenseinde en verlies van regie",
            "Een oudere inwoner spreekt regelmatig over het levenseinde en zegt dat het leven geen "
            "zin meer heeft sinds de verhuizing naar een kleinere woning.",
            "Hoe gaan we het gesprek aan over zingeving, en wanneer is er meer nodig?",
        ),
        (
            "Geloofsgemeenschap weggevallen, veel eenzaamheid",
            "Na een conflict met de geloofsgemeenschap is het hele sociale leven weggevallen. Er "
            "is veel verdriet en boosheid.",
            "Wie kan helpen bij het verwerken van dit verlies en het vinden van nieuwe "
            "verbindingen?",
        ),
    ],
}

# Added to the situation, whatever the domain: what the team knows of the context.
CONTEXT = [
    "De inwoner staat open voor hulp, maar heeft eerder slechte ervaringen gehad.",
    "Er is een klein netwerk: een zus die af en toe langskomt.",
    "De huisarts is betrokken en deelt de zorgen.",
    "Er zijn meerdere hulpverleners betrokken, maar niemand heeft het overzicht.",
    "De situatie speelt al langer, maar is de laatste weken verslechterd.",
    "Eerder is er hulp geweest, die is afgesloten zonder dat het probleem is opgelost.",
    "Het contact verloopt moeizaam: afspraken worden vaak verzet.",
    "De inwoner wil vooral zelf de regie houden.",
    "Er wonen kinderen in huis; school is op de hoogte.",
    "Het gezin spreekt de taal nog niet goed; we werken met een tolk.",
]

TRIED = [
    "Huisbezoek afgelegd en samen de situatie in kaart gebracht.",
    "Gesprek gevoerd met de inwoner en het netwerk.",
    "Contact gelegd met de huisarts; die deelt de zorgen.",
    "Samen een overzicht gemaakt van wat er speelt en wat er nodig is.",
    "Een plan van aanpak opgesteld; de eerste afspraken zijn gemaakt.",
    "Geprobeerd hulp in te schakelen via het voorliggend veld; dat kwam niet van de grond.",
    "",
]

# --- The thread ----------------------------------------------------------------------------------
ADVICE: dict[str, list[str]] = {
    "financien": [
        "Begin met een volledig overzicht van inkomsten, vaste lasten en schulden. Vraag de "
        "beslagvrije voet na en meld het huishouden aan bij de gemeentelijke schuldhulp; tot "
        "het intakegesprek kunnen schuldeisers worden gevraagd de invordering op te schorten.",
        "Controleer eerst of alle toeslagen en kwijtscheldingen zijn aangevraagd. Zet daarna de "
        "vaste lasten op automatische betaling op de dag dat het inkomen binnenkomt; dat "
        "voorkomt nieuwe achterstanden terwijl de schulden worden geregeld.",
        "Een budgetbeheerrekening kan hier rust geven. Bespreek met de inwoner wat die zelf wil "
        "blijven doen; dat vergroot de kans dat het slaagt.",
    ],
    "wonen-en-leefbaarheid": [
        "Neem contact op met de verhuurder voor een betalingsregeling en vraag om uitstel van de "
        "ontruiming zolang er hulp loopt. De meeste verhuurders werken mee als er een plan ligt.",
        "Begin klein: één ruimte tegelijk opruimen, samen met iemand die de inwoner vertrouwt. "
        "Schakel pas een grote schoonmaak in als er draagvlak is.",
        "Vraag een woningaanpassing aan via de Wmo en bekijk tegelijk de mogelijkheden voor een "
        "urgentie; wat het eerst kan, bepaalt de route.",
    ],
    "werk-opleiding-en-activiteiten": [
        "Begin bij wat de inwoner zelf leuk vindt en bouw vanuit daar ritme op. Een werkervarings"
        "plek of vrijwilligerswerk van een paar uur per week is een goede eerste stap.",
        "Laat de re-integratie beoordelen door een onafhankelijke arbeidsdeskundige; dat geeft "
        "beide partijen een gedeeld beeld van wat haalbaar is.",
    ],
    "sociale-relaties": [
        "Bespreek de zorgen over de kinderen open met de ouders en maak samen een veiligheids"
        "plan. Betrek school als vaste partner; zij zien de kinderen dagelijks.",
        "Een maatje of buddy via het welzijnswerk kan helpen het netwerk weer op te bouwen. Ga "
        "de eerste keer mee, dat verlaagt de drempel.",
        "Respijtzorg kan de mantelzorger lucht geven; laat het gezin zelf kiezen wanneer en hoe.",
    ],
    "lichamelijke-gezondheid": [
        "Vraag de huisarts om een verwijzing voor een geheugenonderzoek en regel tot die tijd "
        "een medicijnrol en dagelijkse controle door de thuiszorg.",
        "Psycho-educatie over hersenletsel helpt de omgeving de veranderingen te begrijpen. "
        "Verwijs naar een gespecialiseerd team voor begeleiding thuis.",
        "Laat één behandelaar de regie over de zorg nemen, bij voorkeur de huisarts, en maak "
        "een overzicht van alle afspraken.",
    ],
    "psychische-gezondheid": [
        "Houd het contact laagdrempelig en blijf komen, ook als er afgezegd wordt. Bespreek met "
        "de huisarts of een consult van de GGZ thuis mogelijk is.",
        "Maak afspraken over wanneer er opgeschaald wordt en leg die vast. Bij acuut gevaar "
        "altijd de crisisdienst inschakelen.",
        "Motiverende gespreksvoering werkt hier beter dan confronteren. Sluit aan bij wat de "
        "inwoner zelf als probleem ziet.",
    ],
    "zingeving": [
        "Een geestelijk verzorger kan het gesprek over zingeving en levenseinde goed voeren; "
        "dat kan ook thuis en los van een levensbeschouwing.",
        "Zoek samen naar activiteiten die weer betekenis geven, hoe klein ook. Het gesprek "
        "daarover is vaak al een eerste stap.",
    ],
}

CLARIFICATION_REQUESTS = [
    "Kunt u iets meer vertellen over het netwerk? Wie is er nu betrokken?",
    "Is er al contact geweest met de huisarts, en wat was de uitkomst?",
    "Hoe ziet de inwoner zelf het probleem? Wat wil die het liefst?",
    "Welke hulp is er eerder geweest, en waarom is die gestopt?",
    "Zijn er kinderen in huis, en hoe gaat het met hen?",
    "Om hoeveel schuldeisers gaat het ongeveer, en is er al beslag gelegd?",
    "Is er sprake van acuut gevaar, voor de inwoner of voor anderen?",
]

REPLIES = [
    "De huisarts is op de hoogte en heeft een vervolgafspraak gemaakt.",
    "Er is een zus betrokken die wekelijks langskomt; verder weinig netwerk.",
    "De inwoner wil vooral rust en overzicht; hulp van buiten mag als die klein begint.",
    "Eerdere hulp is gestopt na een verhuizing; het dossier is niet overgedragen.",
    "De kinderen gaan naar school; de leerkracht ziet geen acute zorgen.",
    "Er zijn vijf schuldeisers; beslag is aangekondigd maar nog niet gelegd.",
    "Geen acuut gevaar op dit moment; we houden wekelijks contact.",
]

FOLLOW_UPS = [
    "Aanvulling: er is inmiddels een afspraak met de verhuurder gepland.",
    "Ter informatie: de inwoner heeft de eerste stap gezet en is aangemeld.",
    "Update: de situatie is stabiel, we wachten het gesprek van volgende week af.",
    "Aanvulling: de huisarts heeft de medicatie aangepast.",
    "Dank voor het advies, we gaan ermee aan de slag en laten weten hoe het gaat.",
]

WITHDRAW_REASONS = [
    "De vraag is inmiddels beantwoord via de huisarts.",
    "De inwoner is verhuisd naar een andere gemeente.",
    "De situatie is verbeterd; advies is niet meer nodig.",
    "Dubbel gesteld; de vraag loopt al via een collega.",
    "",
]

REOPEN_REASONS = [
    "De situatie is opnieuw verslechterd; graag verder meedenken.",
    "Er is een nieuwe ontwikkeling waar we advies over willen.",
    "Het advies bleek niet uitvoerbaar; we zoeken een alternatief.",
]

CLOSE_COMMENTS = [
    "Het advies gaf richting; we gaan verder met de voorgestelde aanpak.",
    "Fijn om even te kunnen sparren, dit bevestigde ons plan.",
    "Snel en bruikbaar antwoord, dank.",
    "We hebben de hulp nu zelf kunnen inzetten.",
    "",
    "",
]

# --- Triage --------------------------------------------------------------------------------------
SHARPENED_SUMMARIES = [
    "Kern: hoe bouwen we contact op en welke hulp past bij wat de inwoner zelf wil?",
    "Kern: welke route past, en in welke volgorde pakken we het aan?",
    "Kern: hoe ernstig is de situatie, en wie moet er nu bij?",
    "Kern: welke ondersteuning past bij de beperking, en hoe houdt het netwerk het vol?",
]

TRIAGE_REASONS = {
    "answer": [
        "Veelgestelde vraag, direct te beantwoorden.",
        "Past binnen het voorliggend veld; een kort advies volstaat.",
    ],
    "assign": [
        "Specialistische kennis nodig.",
        "Past bij het profiel van deze expert.",
        "",
    ],
    "session": [
        "Meerdere leefgebieden; samen bespreken in een MDO.",
        "Complexe situatie met veel betrokkenen.",
    ],
    "sharpen": [
        "Vraag aangescherpt voor de experts.",
        "Kernvraag toegevoegd.",
        "",
    ],
}

TRIAGE_ANSWERS = [
    "Dit kan het wijkteam zelf oppakken: meld de inwoner aan bij het welzijnswerk en plan over "
    "een maand een evaluatie. Lukt dat niet, stel de vraag dan opnieuw.",
    "De gemeente heeft hiervoor een vaste route: aanmelden via het loket, met het overzicht dat "
    "u al hebt gemaakt. De intake volgt binnen twee weken.",
]

REDIRECT_NOTES = {
    "regular_care": [
        "Dit past bij de reguliere zorg: verwijs via de huisarts naar de basis-GGZ.",
        "Het voorliggend veld kan dit oppakken: het welzijnswerk heeft een passend aanbod.",
    ],
    "other_pool": [
        "Deze vraag past beter bij de expertisepool jeugd; ik heb haar doorgezet.",
        "Voor deze vraag is de pool voor specialistische zorg de juiste plek.",
    ],
    "gp": [
        "Eerst medische beoordeling nodig: graag via de huisarts laten lopen.",
    ],
}

DECLINE_REASONS = [
    "Geen ruimte deze maand; mijn uren zijn op.",
    "Dit valt buiten mijn deskundigheid.",
    "Met verlof de komende weken.",
]


# --- The privacy-free profile of a resident -------------------------------------------------------
# Fictional surnames that say so, like the demo's (Proefsma, Verzinga, Denkbeeld, …).
RESIDENT_SURNAME_STEMS = [
    "Proef",
    "Verzin",
    "Denk",
    "Schijn",
    "Droom",
    "Fabel",
    "Sprook",
    "Namaak",
    "Bedenk",
    "Voorbeeld",
    "Oefen",
    "Fictie",
]
RESIDENT_SURNAME_ENDINGS = [
    "sma",
    "inga",
    "beeld",
    "stra",
    "huis",
    "man",
    "ink",
    "horst",
    "veld",
    "berg",
    "kamp",
    "ema",
]
