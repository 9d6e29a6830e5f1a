"""The demo cases: one fictional resident per case, one question each, scripted as the steps
that happened to it (demo.script). demo.consultation performs them through the real services.

The residents are fictional; their surnames say so (Proefsma, Verzinga, Denkbeeld, …). The free
texts never name the resident and pass the privacy guard (consultation.privacy), as they must:
question_submit and question_reply refuse them otherwise.

Every state the services can reach is here (`submitted` is a passing state: a submitted question
is routed at once by its pool's collaboration model), and the triage pool is lived-in: questions
waiting in the queue (urgent, normal, one past its triage target, one claimed by the triage
worker), sent back for clarification and returned to the queue, sharpened and assigned
(accepted, not yet answered, declined back into the queue), answered by triage or by an assigned
expert, planned for a multidisciplinary session, redirected, and closed. A few triage steps
happen TODAY, whatever day the demo is loaded, so the triage home shows today's decisions.
"""

from consultation.models import CloseOut, Question
from demo.data.organisation import NETWORK, TEAM_POOL, TRIAGE_POOL
from demo.script import (
    TODAY,
    DemoCase,
    DemoQuestion,
    accept,
    advise,
    assign,
    claim,
    clarify,
    close,
    decline,
    draft,
    pick_up,
    plan_session,
    read,
    redirect,
    release,
    reopen,
    reply,
    sharpen,
    submit,
    triage_answer,
    triage_clarify,
    withdraw,
)
from wijkteam.models import Resident

URGENT = Question.Urgency.URGENT
Help = Question.HelpForm
Direction = CloseOut.Direction
Escalation = CloseOut.Escalation
Household = Resident.Household


CASES: list[DemoCase] = [
    # --- Wijkteam Amersfoort-Centrum (generalist@, wijkteam01.2@, teamleider@) -----------------
    DemoCase(
        team="Wijkteam Amersfoort-Centrum",
        owner="generalist",
        first_name="Mirjam",
        last_name="Proefsma",
        age=41,
        birthday_offset=143,
        postcode="3811 LK",
        household=Household.SINGLE_PARENT,
        opened=(13, "15:40"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Huurachterstand van vier maanden, ontruiming dreigt",
            situation=(
                "Alleenstaande moeder van twee kinderen (8 en 12) met een huurachterstand van "
                "ruim vier maanden. De woningcorporatie heeft de zaak overgedragen aan de "
                "deurwaarder en er ligt een dagvaarding voor de kantonrechter. Daarnaast zijn er "
                "achterstanden bij de zorgverzekeraar en het energiebedrijf. Mevrouw werkt twintig "
                "uur per week in de thuiszorg; door onregelmatige diensten wisselt haar inkomen. "
                "Ze schaamt zich en heeft lange tijd haar post niet geopend."
            ),
            tried=(
                "Samen de post geordend en een overzicht van de schulden gemaakt (ongeveer "
                "€ 9.400 in totaal). Contact gezocht met de corporatie: die wil pas over een "
                "regeling praten als er een aanmelding bij de schuldhulpverlening ligt. De "
                "huurtoeslag bleek te laag vastgesteld."
            ),
            question=(
                "Hoe voorkomen we op korte termijn de ontruiming, en wat is de snelste route naar "
                "een stabiele situatie? Heeft een aanmelding voor schuldhulp nu zin, of moet eerst "
                "de huurachterstand geregeld zijn?"
            ),
            life_domains=("financien", "wonen-en-leefbaarheid"),
            target_groups=("schulden",),
            urgency=URGENT,
            help_form=Help.PHONE,
            steps=(
                draft(12, "10:05", "generalist"),
                submit(12, "10:20", "generalist"),
                pick_up(12, "11:02", "expert"),
                advise(
                    11,
                    "14:30",
                    "expert",
                    "Met een dagvaarding loopt de tijd: meld mevrouw vandaag nog aan bij de "
                    "gemeentelijke schuldhulpverlening en vraag om crisisinterventie; die start "
                    "binnen drie werkdagen. Met een aanmelding in de hand houdt de corporatie de "
                    "zaak vrijwel altijd aan.\n\n"
                    "Laat de huur daarnaast automatisch afschrijven op de dag na de "
                    "salarisbetaling, zodat er geen nieuwe achterstand bijkomt: voor de rechter is "
                    "dat het belangrijkste signaal. Vraag de huurtoeslag met terugwerkende kracht "
                    "opnieuw aan en zet de zorgverzekering over naar de collectieve verzekering "
                    "van de gemeente. Ik schuif graag aan bij het eerste gesprek met de "
                    "corporatie.",
                ),
                advise(
                    10,
                    "09:40",
                    "woonconsulent",
                    "Aanvulling vanuit de woonkant: vraag de corporatie schriftelijk om de "
                    "procedure aan te houden, en noem daarin de aanmelding bij schuldhulp en het "
                    "vaste betaalmoment. Bij gezinnen met kinderen is een ontruiming voor een "
                    "corporatie echt het laatste middel zolang er een hulptraject loopt.\n\n"
                    "Bereid mevrouw voor op de zitting: wie verschijnt met een "
                    "betalingsvoorstel en een hulpverlener, krijgt meestal een voorwaardelijk "
                    "vonnis in plaats van een ontruiming. Ik stuur je de naam van de "
                    "incassomedewerker van de corporatie via de beveiligde mail.",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Wijkteam Amersfoort-Centrum",
        owner="generalist",
        first_name="Gerda",
        last_name="Oefenaar",
        age=73,
        birthday_offset=61,
        postcode="3812 PV",
        household=Household.COUPLE,
        opened=(10, "11:15"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Mantelzorger raakt overbelast door de zorg voor haar man met dementie",
            situation=(
                "Vrouw van 73 zorgt dag en nacht voor haar man, bij wie twee jaar geleden de "
                "ziekte van Alzheimer is vastgesteld. Hij loopt 's nachts door het huis en is een "
                "paar keer op straat gevonden. Zij slaapt slecht, is afgevallen en zegt dat ze "
                "het 'nog wel even volhoudt'. De kinderen wonen ver weg. Dagbesteding weigert "
                "meneer tot nu toe."
            ),
            tried=(
                "Huishoudelijke hulp via de Wmo ingezet. Gesprek gevoerd over respijtzorg; "
                "mevrouw vindt het verraad om haar man 'weg te brengen'. De huisarts is op de "
                "hoogte."
            ),
            question=(
                "Hoe helpen we mevrouw haar grenzen te zien en respijtzorg te accepteren? Is er "
                "een vorm van dagbesteding of ondersteuning thuis die past bij iemand die "
                "weigert?"
            ),
            life_domains=("psychische-gezondheid", "sociale-relaties"),
            target_groups=("dementie", "ouderen"),
            help_form=Help.HOME_VISIT,
            steps=(
                draft(9, "13:10", "generalist"),
                submit(9, "13:25", "generalist"),
                pick_up(8, "09:05", "ouderenadviseur"),
                clarify(
                    8,
                    "10:15",
                    "casemanager-dementie",
                    "Dank voor de heldere vraag. Voordat ik advies geef: is er via de huisarts "
                    "al een casemanager dementie betrokken, en in welk stadium zit meneer volgens "
                    "de geheugenpoli? Is er een indicatie voor de Wet langdurige zorg "
                    "aangevraagd? Dat bepaalt welke vormen van respijt mogelijk zijn.",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Wijkteam Amersfoort-Centrum",
        owner="generalist",
        first_name="Stefan",
        last_name="Verzinga",
        age=36,
        birthday_offset=212,
        postcode="3813 AX",
        household=Household.SINGLE,
        opened=(35, "09:00"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Gokschulden bij online casino's; wil hulp, maar haakt steeds af",
            situation=(
                "Man van 36, werkt fulltime in de logistiek. Sinds een paar jaar gokt hij online; "
                "zelf schat hij zijn schuld op € 15.000, verdeeld over leningen, rood staan en "
                "familie. Hij meldde zich zelf bij het wijkteam na een ruzie met zijn zus over "
                "geleend geld. Op de helft van de afspraken komt hij niet."
            ),
            tried=(
                "Twee gesprekken gevoerd en samen een eerste overzicht van de schulden gemaakt. "
                "Op ons advies heeft hij zich laten inschrijven in het landelijke "
                "uitsluitingsregister voor kansspelen, maar nu gokt hij op buitenlandse sites."
            ),
            question=(
                "Wat werkt bij iemand die wil stoppen maar steeds afhaakt? Moet eerst de "
                "verslaving behandeld worden voordat schuldhulp kan starten, of kan het tegelijk?"
            ),
            life_domains=("financien", "psychische-gezondheid"),
            target_groups=("verslaving", "schulden"),
            steps=(
                draft(33, "09:30", "generalist"),
                submit(33, "09:45", "generalist"),
                advise(
                    32,
                    "16:10",
                    "verslaving",
                    "Afhaken hoort bij het beeld. Maak het contact zo laagdrempelig mogelijk: "
                    "korte afspraken, een berichtje vooraf, en geen verwijt als hij niet komt. "
                    "Laat hem in gesprek zelf benoemen wat het gokken hem kost "
                    "(motiverende gespreksvoering).\n\n"
                    "Bij ons kan hij anoniem beginnen met de online zelfhulpmodule en daarna een "
                    "paar gesprekken met een consulent. Blokkeer samen met hem betalingen aan "
                    "kansspelaanbieders in zijn bankapp; de meeste banken bieden die instelling.",
                ),
                advise(
                    31,
                    "11:20",
                    "expert",
                    "Schuldhulp en verslavingszorg kunnen tegelijk, en dat werkt vaak beter dan na "
                    "elkaar: de rust van een budgetplan helpt bij het stoppen. Voor een minnelijk "
                    "traject moet hij wel aantoonbaar in behandeling zijn.\n\n"
                    "Adviseer tijdelijk budgetbeheer: de vaste lasten gaan eerst, en hij krijgt "
                    "een weekbedrag op een aparte rekening. Vraag de familie voorlopig geen geld "
                    "meer te lenen; dat maakt het overzicht alleen maar moeilijker.",
                ),
                reply(
                    25,
                    "14:00",
                    "generalist",
                    "Even een update: hij heeft zich aangemeld bij de verslavingszorg en het "
                    "budgetbeheer is gestart. Zijn zus helpt mee met het wekelijkse overzicht.",
                ),
                close(
                    20,
                    "10:30",
                    "generalist",
                    Direction.NEW_DIRECTION,
                    Escalation.AVOIDED,
                    "Door beide adviezen hebben we niet eerst op een behandeling gewacht: "
                    "schuldhulp en verslavingszorg lopen nu naast elkaar. Een aanmelding bij de "
                    "specialistische ggz lijkt niet meer nodig.",
                    ratings=(("verslaving", 5), ("expert", 4)),
                ),
                read(19, "08:50", "expert"),
            ),
        ),
    ),
    DemoCase(
        team="Wijkteam Amersfoort-Centrum",
        owner="generalist",
        first_name="Johan",
        last_name="Bedachtink",
        age=84,
        birthday_offset=287,
        postcode="3817 GH",
        household=Household.SINGLE,
        opened=(2, "14:05"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Weduwnaar trekt zich terug, eet slecht en wil geen hulp",
            situation=(
                "Meneer van 84 woont alleen sinds zijn vrouw vorig jaar overleed. De buren zien "
                "dat de gordijnen vaak dicht blijven en dat hij weinig boodschappen doet. Hij "
                "zegt dat hij 'niemand tot last wil zijn'. Zijn enige zoon woont in het "
                "buitenland."
            ),
            tried="Eén huisbezoek samen met de wijkverpleegkundige; hij liet ons binnen.",
            question=(
                "Hoe krijgen we contact met iemand die geen hulp wil? Welke activiteiten in de "
                "wijk passen bij iemand van zijn leeftijd en achtergrond?"
            ),
            life_domains=("sociale-relaties", "zingeving"),
            target_groups=("ouderen",),
            steps=(draft(1, "16:40", "generalist"),),
        ),
    ),
    DemoCase(
        team="Wijkteam Amersfoort-Centrum",
        owner="wijkteam01.2",
        first_name="Kevin",
        last_name="Schijnvelt",
        age=19,
        birthday_offset=95,
        postcode="3811 CR",
        household=Household.WITH_PARENTS,
        opened=(3, "10:30"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Jongen van 19 met een LVB moet het huis uit en kan nergens heen",
            situation=(
                "Jongeman van 19 met een licht verstandelijke beperking (vastgesteld op het "
                "speciaal onderwijs). Na een ruzie heeft zijn moeder gezegd dat hij eind deze "
                "maand het huis uit moet. Sinds hij van de entreeopleiding af is, heeft hij geen "
                "inkomen; hij slaapt af en toe bij vrienden. Er zijn zorgen over vrienden die hem "
                "gebruiken om pakketjes rond te brengen."
            ),
            tried=(
                "Gesprek met moeder en zoon samen: moeder wil helpen met spullen, maar niet dat "
                "hij thuis blijft. Een aanvraag voor een uitkering is voorbereid. Hij staat niet "
                "ingeschreven als woningzoekende."
            ),
            question=(
                "Welke woonvorm of begeleiding is op korte termijn realistisch? Hoe voorkomen we "
                "dat hij in de tussentijd op straat belandt of verder in het criminele circuit "
                "terechtkomt?"
            ),
            life_domains=(
                "wonen-en-leefbaarheid",
                "werk-opleiding-en-activiteiten",
                "sociale-relaties",
            ),
            target_groups=("lvb",),
            urgency=URGENT,
            help_form=Help.HOME_VISIT,
            steps=(
                draft(2, "09:15", "wijkteam01.2"),
                submit(2, "09:30", "wijkteam01.2"),
                read(2, "13:20", "werkcoach"),
                pick_up(1, "14:05", "lvb"),
            ),
        ),
    ),
    DemoCase(
        team="Wijkteam Amersfoort-Centrum",
        owner="generalist",
        first_name="Yvonne",
        last_name="Voorbeeldt",
        age=39,
        birthday_offset=18,
        postcode="3814 BN",
        household=Household.COUPLE_WITH_CHILDREN,
        opened=(1, "14:30"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Loonbeslag laat gezin met te weinig leefgeld achter",
            situation=(
                "Gezin met drie kinderen; vader werkt als chauffeur, moeder is thuis. Sinds twee "
                "maanden ligt er loonbeslag van de Belastingdienst en van een deurwaarder namens "
                "een webwinkel. Na de vaste lasten blijft er ongeveer € 60 per week over voor de "
                "boodschappen van vijf personen. Het gezin haalt sinds kort voedselpakketten."
            ),
            tried=(
                "Inkomsten en vaste lasten op een rij gezet. Voedselbank geregeld. De "
                "deurwaarder gebeld: die verwijst naar de berekening van de beslagvrije voet."
            ),
            question=(
                "Klopt het dat er zo weinig overblijft, of is de beslagvrije voet verkeerd "
                "berekend? Hoe laten we het beslag herberekenen, en hoe gaan we om met twee "
                "beslagleggers tegelijk?"
            ),
            life_domains=("financien",),
            target_groups=("schulden",),
            steps=(
                draft(1, "15:05", "generalist"),
                submit(1, "15:20", "generalist"),
            ),
        ),
    ),
    # --- Wijkteam Amersfoort-Noord --------------------------------------------------------------
    DemoCase(
        team="Wijkteam Amersfoort-Noord",
        owner="wijkteam02.1",
        first_name="Marco",
        last_name="Denkbeeld",
        age=49,
        birthday_offset=240,
        postcode="3824 KE",
        household=Household.COUPLE_WITH_CHILDREN,
        opened=(22, "16:00"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Sinds een verkeersongeluk prikkelbaar en vergeetachtig: hersenletsel?",
            situation=(
                "Man van 49 kreeg anderhalf jaar geleden een scooterongeluk met een "
                "hersenschudding. Sindsdien is hij snel moe, vergeet hij afspraken en krijgt hij "
                "thuis woedeaanvallen om kleine dingen. Zijn vrouw zegt: 'hij is een ander mens "
                "geworden'. Hij is uitgevallen in zijn werk in de bouw en de werkgever spreekt "
                "over ontslag. Zelf vindt hij dat het wel meevalt."
            ),
            tried=(
                "Gesprekken met beide partners. De huisarts verwees destijds niet door; de "
                "klachten werden aan stress toegeschreven. De oudste zoon heeft "
                "schoolmaatschappelijk werk."
            ),
            question=(
                "Kan dit niet-aangeboren hersenletsel zijn, en hoe laten we dat onderzoeken? Hoe "
                "leggen we het thuis en aan de werkgever uit zonder hem tegen ons in het harnas "
                "te jagen?"
            ),
            life_domains=(
                "lichamelijke-gezondheid",
                "psychische-gezondheid",
                "werk-opleiding-en-activiteiten",
            ),
            target_groups=("nah",),
            help_form=Help.PHONE,
            steps=(
                draft(21, "11:00", "wijkteam02.1"),
                submit(21, "11:20", "wijkteam02.1"),
                advise(
                    19,
                    "15:45",
                    "nah",
                    "Het patroon (snel moe, geheugenproblemen, prikkelbaar, weinig ziekte-inzicht) "
                    "na een hersenschudding past goed bij NAH. Vraag de huisarts om een verwijzing "
                    "naar de neuroloog of revalidatiearts voor neuropsychologisch onderzoek; een "
                    "brief van het wijkteam met voorbeelden uit het dagelijks leven helpt daarbij."
                    "\n\nLeg het thuis uit als 'het hoofd zit sneller vol', niet als een "
                    "karakterverandering. Voor partner en kinderen is er lotgenotencontact in de "
                    "regio. Ik wil ook een gesprek met hem en zijn partner samen doen.",
                ),
                clarify(
                    18,
                    "10:30",
                    "werkcoach",
                    "Een aanvulling vanuit werk: zit hij al in het tweede ziektejaar, en is er een "
                    "arbeidsdeskundig onderzoek geweest? Weet de bedrijfsarts van het ongeluk?",
                ),
                reply(
                    17,
                    "16:20",
                    "wijkteam02.1",
                    "Hij is nu ruim zestien maanden ziek. De bedrijfsarts weet van het ongeluk, "
                    "maar heeft het niet in verband gebracht met de klachten. Een "
                    "arbeidsdeskundig onderzoek is er nog niet geweest.",
                ),
                advise(
                    16,
                    "09:10",
                    "werkcoach",
                    "Dan is er haast. Vraag nu een arbeidsdeskundig onderzoek aan en vraag de "
                    "bedrijfsarts de mogelijke gevolgen van hersenletsel mee te nemen in de "
                    "probleemanalyse. Als het onderzoek NAH bevestigt, zijn er mogelijkheden "
                    "voor aangepast werk, en staat een eventuele WIA-aanvraag sterker. Ik denk "
                    "graag mee over een werkplek met minder prikkels.",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Wijkteam Amersfoort-Noord",
        owner="wijkteam02.2",
        first_name="Hans",
        last_name="Smoesveld",
        age=56,
        birthday_offset=120,
        postcode="3823 VB",
        household=Household.SINGLE,
        opened=(46, "14:00"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Ernstig vervuilde woning; bewoner met mogelijk psychotische klachten",
            situation=(
                "Alleenwonende man van 56. Buren melden stankoverlast en ongedierte; de "
                "corporatie is langs geweest en spreekt van ernstige vervuiling. Meneer vertelt "
                "over 'mensen die hem via de verwarming afluisteren' en laat hulpverleners alleen "
                "tot in de gang. Er is geen huisarts meer bekend en de laatste jaren was er geen "
                "contact met de ggz."
            ),
            tried=(
                "Drie huisbezoeken; het contact is voorzichtig goed, hij neemt koffie aan. Met de "
                "corporatie afgesproken de overlastprocedure even aan te houden."
            ),
            question=(
                "Hoe krijgen we zicht op zijn psychische toestand zonder het contact te "
                "verliezen? Wanneer is het zo ernstig dat we de bemoeizorg moeten inschakelen?"
            ),
            life_domains=("psychische-gezondheid", "wonen-en-leefbaarheid"),
            target_groups=("ggz",),
            urgency=URGENT,
            help_form=Help.HOME_VISIT,
            steps=(
                draft(44, "10:00", "wijkteam02.2"),
                submit(44, "10:10", "wijkteam02.2"),
                advise(
                    43,
                    "13:30",
                    "ggz",
                    "Goed dat er contact is: dat is het belangrijkste dat je hebt. Kom op vaste "
                    "momenten terug en ga niet in discussie over het afluisteren; erken wel de "
                    "angst ('dat klinkt beangstigend'). Ik kan als collega van het wijkteam mee op "
                    "huisbezoek om een inschatting te maken.\n\n"
                    "De bemoeizorg komt in beeld bij gevaar voor hemzelf of de omgeving: "
                    "brandgevaar, niet meer eten, of verwaarlozing die zijn gezondheid bedreigt. "
                    "Bij twijfel kun je de situatie anoniem met de GGD bespreken.",
                ),
                advise(
                    42,
                    "09:20",
                    "woonconsulent",
                    "Leg met de corporatie vast dat de overlastprocedure blijft rusten zolang er "
                    "hulp loopt, met een vast moment om samen te evalueren. Een grote "
                    "schoonmaakactie werkt alleen als hij er zelf mee instemt: begin klein, "
                    "bijvoorbeeld met het afvoeren van het afval uit de keuken.",
                ),
                close(
                    30,
                    "15:00",
                    "wijkteam02.2",
                    Direction.CONFIRMED,
                    Escalation.STILL_NEEDED,
                    "Het gezamenlijke huisbezoek met de sociaal psychiatrisch verpleegkundige is "
                    "gelukt. Een aanmelding bij de bemoeizorg is in gang gezet.",
                    ratings=(("ggz", 5), ("woonconsulent", 3)),
                ),
                reopen(
                    5,
                    "11:45",
                    "wijkteam02.2",
                    "De bemoeizorg kan pas over zes weken starten en de corporatie zet de "
                    "overlastprocedure toch door.",
                ),
                reply(
                    5,
                    "11:50",
                    "wijkteam02.2",
                    "We hebben de vraag heropend: de corporatie wil de procedure nu doorzetten, "
                    "terwijl de bemoeizorg pas over zes weken kan beginnen. Meneer laat ons nog "
                    "wel binnen. Wat kunnen we in de tussentijd doen?",
                ),
            ),
        ),
    ),
    # --- Wijkteam Amersfoort-Zuid ---------------------------------------------------------------
    DemoCase(
        team="Wijkteam Amersfoort-Zuid",
        owner="wijkteam03.1",
        first_name="Sanne",
        last_name="Gissinga",
        age=38,
        birthday_offset=199,
        postcode="3818 EW",
        household=Household.COUPLE_WITH_CHILDREN,
        opened=(28, "10:00"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Ouders uitgeput door driftbuien van zoon met autisme",
            situation=(
                "Ouders van drie kinderen; de middelste, een jongen van 9, heeft een diagnose "
                "autisme. Thuis heeft hij dagelijks driftbuien, vooral bij overgangen (van "
                "school naar huis, naar bed). Hij slaat dan zijn jongere zusje. Op school gaat "
                "het redelijk. De ouders zijn het oneens over de aanpak: vader wil strenger zijn, "
                "moeder wil hem ontzien. De oudste dochter trekt zich terug."
            ),
            tried=(
                "Uitleg over autisme gegeven en een dagschema met pictogrammen ingevoerd; dat "
                "hielp een paar weken. Gezinsgesprekken over de taakverdeling."
            ),
            question=(
                "Welke aanpak helpt bij de overgangsmomenten, en hoe krijgen we de ouders op één "
                "lijn? Is specialistische jeugdhulp nodig, of lukt dit met lichte ondersteuning "
                "vanuit het wijkteam?"
            ),
            life_domains=("sociale-relaties", "psychische-gezondheid"),
            target_groups=("jeugd",),
            steps=(
                draft(26, "14:00", "wijkteam03.1"),
                submit(26, "14:15", "wijkteam03.1"),
                advise(
                    24,
                    "10:00",
                    "orthopedagoog",
                    "Overgangen zijn voor kinderen met autisme vaak het zwaarst. Kondig ze aan "
                    "('over vijf minuten…'), gebruik een zichtbare timer, en geef na school eerst "
                    "een half uur prikkelarme tijd voordat er iets gevraagd wordt.\n\n"
                    "Spreek met beide ouders twee regels af die altijd gelden, en wat er gebeurt "
                    "als hij slaat: één lijn is belangrijker dan welke lijn. Vraag school hoe zij "
                    "de overgangen begeleiden en neem dat thuis over.",
                ),
                advise(
                    23,
                    "16:30",
                    "jeugd",
                    "Let ook op de zussen: de jongste heeft een veilige plek nodig tijdens een "
                    "driftbui, en de oudste heeft misschien baat bij een groep voor broers en "
                    "zussen. Met lichte ondersteuning (bijvoorbeeld een paar maanden "
                    "video-hometraining) is dit vaak goed te doen. Specialistische jeugdhulp pas "
                    "als de driftbuien na drie maanden niet afnemen of de veiligheid in het gezin "
                    "in het geding komt.",
                ),
                close(
                    15,
                    "10:15",
                    "wijkteam03.1",
                    Direction.CONFIRMED,
                    Escalation.AVOIDED,
                    "Video-hometraining is gestart en de ouders hanteren nu dezelfde afspraken. "
                    "Een verwijzing naar specialistische jeugdhulp is voorlopig niet nodig.",
                    ratings=(("orthopedagoog", 4), ("jeugd", 5)),
                ),
            ),
        ),
    ),
    DemoCase(
        team="Wijkteam Amersfoort-Zuid",
        owner="wijkteam03.2",
        first_name="Chantal",
        last_name="Fictorie",
        age=25,
        birthday_offset=77,
        postcode="3818 JT",
        household=Household.SINGLE_PARENT,
        opened=(8, "09:40"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Jonge moeder met energieschuld: afsluiting aangekondigd",
            situation=(
                "Moeder van 25 met een baby van vijf maanden, in de bijstand. Het energiebedrijf "
                "heeft afsluiting aangekondigd wegens een achterstand van ongeveer € 1.100. Er "
                "lopen ook twee telefoonabonnementen met een achterstand. Sinds de geboorte "
                "heeft ze weinig overzicht over haar post."
            ),
            tried=(
                "Samen het energiebedrijf gebeld: de afsluiting is twee weken uitgesteld. Ze "
                "heeft een afspraak bij de formulierenbrigade."
            ),
            question=(
                "Hoe voorkomen we de afsluiting, en welke regelingen zijn er voor een jonge "
                "moeder in de bijstand? Is budgetbeheer nodig, of lukt het haar met "
                "ondersteuning zelf?"
            ),
            life_domains=("financien",),
            target_groups=("schulden",),
            urgency=URGENT,
            help_form=Help.PHONE,
            steps=(
                draft(7, "10:30", "wijkteam03.2"),
                submit(7, "10:40", "wijkteam03.2"),
                clarify(
                    6,
                    "13:15",
                    "expert",
                    "Om goed te kunnen adviseren: is de achterstand al bij de gemeente gemeld via "
                    "vroegsignalering, en heeft ze de energietoeslag van dit jaar gekregen? Heeft "
                    "het energiebedrijf een betalingsregeling aangeboden?",
                ),
                reply(
                    4,
                    "09:05",
                    "wijkteam03.2",
                    "Er is nog geen melding via vroegsignalering gedaan. De energietoeslag is "
                    "niet aangevraagd: ze wist er niet van. Het energiebedrijf bood een regeling "
                    "van € 150 per maand aan, maar dat kan ze niet opbrengen.",
                ),
            ),
        ),
    ),
    # --- Wijkteam Amersfoort-Oost ---------------------------------------------------------------
    DemoCase(
        team="Wijkteam Amersfoort-Oost",
        owner="wijkteam04.1",
        first_name="Dawit",
        last_name="Oefentuin",
        age=31,
        birthday_offset=160,
        postcode="3815 TP",
        household=Household.SINGLE,
        opened=(41, "13:30"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Statushouder met nachtmerries loopt vast in de inburgering",
            situation=(
                "Man van 31, twee jaar in Nederland, woont alleen; zijn vrouw en kinderen zijn "
                "nog in een vluchtelingenkamp. Hij slaapt slecht, heeft nachtmerries en kan zich "
                "in de taallessen niet concentreren. Hij kreeg een boete omdat hij te vaak "
                "afwezig was. Hij wil graag werken; in zijn land van herkomst was hij monteur."
            ),
            tried=(
                "Contact met de taalschool over de afwezigheid. De huisarts heeft slaapmedicatie "
                "voorgeschreven. Een maatje via VluchtelingenWerk geregeld."
            ),
            question=(
                "Passen de klachten bij een trauma, en wat is een goede route naar behandeling? "
                "Kan werk (bijvoorbeeld een leerwerkplek als monteur) nu al helpen, of moet eerst "
                "de behandeling?"
            ),
            life_domains=("psychische-gezondheid", "werk-opleiding-en-activiteiten"),
            target_groups=("ggz",),
            steps=(
                draft(39, "09:00", "wijkteam04.1"),
                submit(39, "09:10", "wijkteam04.1"),
                advise(
                    37,
                    "17:00",
                    "psychiater",
                    "De klachten passen bij een posttraumatische stressstoornis. Dat komt bij "
                    "gevluchte mensen veel voor en is goed te behandelen, bijvoorbeeld met EMDR, "
                    "ook met een tolk. Vraag de huisarts om een verwijzing naar een centrum dat "
                    "gespecialiseerd is in de behandeling van vluchtelingen.\n\n"
                    "Slaapmedicatie is voor korte tijd prima, maar geen oplossing. De zorg om zijn "
                    "gezin houdt de klachten in stand: help hem bij de procedure voor "
                    "gezinshereniging.",
                ),
                advise(
                    36,
                    "11:40",
                    "werkcoach",
                    "Werk hoeft niet te wachten: een leerwerkplek van een paar dagdelen in een "
                    "werkplaats geeft structuur en zelfvertrouwen, en past naast een behandeling. "
                    "Vraag de gemeente of de inburgeringstermijn vanwege zijn gezondheid verlengd "
                    "kan worden; dan kan de boete ook vervallen.",
                ),
                close(
                    28,
                    "14:20",
                    "wijkteam04.1",
                    Direction.NEW_DIRECTION,
                    Escalation.NEWLY_TRIGGERED,
                    "Doorverwezen naar gespecialiseerde traumabehandeling; de leerwerkplek start "
                    "volgende maand.",
                    ratings=(("psychiater", 5), ("werkcoach", 5)),
                ),
            ),
        ),
    ),
    # --- Wijkteam Vathorst-Hooglanderveen -------------------------------------------------------
    DemoCase(
        team="Wijkteam Vathorst-Hooglanderveen",
        owner="wijkteam05.1",
        first_name="Jesse",
        last_name="Droomers",
        age=21,
        birthday_offset=33,
        postcode="3825 AL",
        household=Household.WITH_PARENTS,
        opened=(3, "11:00"),
        question=DemoQuestion(
            pool=NETWORK,
            title="Jongvolwassene met schulden en dagelijks blowen dreigt van school te gaan",
            situation=(
                "Jongen van 21, woont bij zijn vader. Hij heeft schulden bij een "
                "zorgverzekeraar, bij het CJIB (boetes voor zwartrijden en een verkeersboete) en "
                "bij een webwinkel: samen ongeveer € 4.800. Hij blowt dagelijks en komt vaak te "
                "laat op zijn mbo-opleiding; de school zegt dat hij bij nog één keer verzuim "
                "wordt uitgeschreven."
            ),
            tried=(
                "Gesprek met hem en zijn vader; hij wil zijn opleiding afmaken. Zijn mentor van "
                "school is betrokken."
            ),
            question=(
                "Is er een schuldenregeling voor jongeren die ook het blowen meeneemt? Hoe "
                "voorkomen we dat hij uitvalt op school terwijl de schulden worden aangepakt?"
            ),
            life_domains=("financien", "werk-opleiding-en-activiteiten", "psychische-gezondheid"),
            target_groups=("schulden", "jeugd", "verslaving"),
            urgency=URGENT,
            steps=(
                draft(2, "15:00", "wijkteam05.1"),
                submit(2, "15:30", "wijkteam05.1"),
                read(1, "08:35", "budgetcoach"),
            ),
        ),
    ),
    # --- Expertiseteam Soest-Baarn (team pool: questions go on the next session's agenda) -------
    DemoCase(
        team="Sociaal team Soest",
        owner="wijkteam10.1",
        first_name="Willem",
        last_name="Proefhorst",
        age=78,
        birthday_offset=250,
        postcode="3764 CD",
        household=Household.COUPLE,
        opened=(4, "09:30"),
        question=DemoQuestion(
            pool=TEAM_POOL,
            title="Agressie bij man met dementie; echtgenote bang en uitgeput",
            situation=(
                "Echtpaar van 78 en 76. Bij meneer is vorig jaar vasculaire dementie "
                "vastgesteld. De laatste weken wordt hij 's avonds agressief: hij duwt zijn vrouw "
                "en gooit met spullen. Zij durft het de kinderen niet te vertellen. De thuiszorg "
                "komt twee keer per dag voor de medicatie."
            ),
            tried=(
                "Gesprek met mevrouw alleen; zij wil haar man thuis houden. De huisarts gevraagd "
                "de medicatie te beoordelen. Een veiligheidsplan besproken: wie ze belt als het "
                "misgaat."
            ),
            question=(
                "Hoe schatten we de veiligheid van mevrouw in? Welke mogelijkheden zijn er voor "
                "crisisopvang of een spoedopname als het thuis niet meer gaat?"
            ),
            life_domains=("psychische-gezondheid", "sociale-relaties"),
            target_groups=("dementie", "ouderen"),
            urgency=URGENT,
            help_form=Help.SESSION,
            steps=(
                draft(3, "11:30", "wijkteam10.1"),
                submit(3, "11:45", "wijkteam10.1"),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Soest",
        owner="wijkteam10.2",
        first_name="Noor",
        last_name="Hazewinkel",
        age=15,
        birthday_offset=120,
        postcode="3762 BK",
        household=Household.SINGLE_PARENT,
        opened=(14, "10:00"),
        question=DemoQuestion(
            pool=TEAM_POOL,
            title="Meisje van 15 verzuimt school, moeder vermoedt middelengebruik",
            situation=(
                "Meisje van 15 gaat sinds de herfstvakantie nog twee dagen per week naar school. "
                "Ze slaapt overdag, is 's nachts weg en moeder vond wiet op haar kamer. De "
                "leerplichtambtenaar heeft een gesprek gepland. Moeder werkt in ploegendienst."
            ),
            tried=(
                "Gesprek met moeder en dochter samen; de dochter wil wel praten, maar niet met "
                "school erbij. Contact met de mentor over een aangepast rooster."
            ),
            question=(
                "Wat is nu de beste volgorde: eerst het middelengebruik, of eerst terug naar "
                "school? En wie neemt welke rol: jeugdhulp, verslavingszorg, leerplicht?"
            ),
            life_domains=("psychische-gezondheid", "werk-opleiding-en-activiteiten"),
            target_groups=("jeugd", "verslaving"),
            help_form=Help.SESSION,
            steps=(
                draft(12, "09:00", "wijkteam10.2"),
                submit(12, "09:20", "wijkteam10.2"),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Baarn",
        owner="wijkteam06.1",
        first_name="Kim",
        last_name="van Verzonnen",
        age=30,
        birthday_offset=5,
        postcode="3741 BG",
        household=Household.SINGLE_PARENT,
        opened=(20, "15:00"),
        question=DemoQuestion(
            pool=TEAM_POOL,
            title="Moeder met een LVB houdt de structuur voor haar peuter moeilijk vol",
            situation=(
                "Moeder van 30 met een licht verstandelijke beperking en een zoontje van 3. De "
                "peuterspeelzaal maakt zich zorgen over het gewicht van het kind en over de "
                "ochtenden dat hij er niet is. Moeder is lief voor haar kind, maar overziet de "
                "dagelijkse zorg niet: eten, slapen, afspraken. Haar eigen moeder hielp, maar is "
                "verhuisd."
            ),
            tried=(
                "Een weekplanning met foto's gemaakt. Het consultatiebureau is betrokken en "
                "weegt het kind elke maand."
            ),
            question=(
                "Welke ambulante begeleiding past bij een moeder met een LVB? Hoe volgen we de "
                "ontwikkeling van het kind zonder dat moeder zich gecontroleerd voelt?"
            ),
            life_domains=("sociale-relaties", "lichamelijke-gezondheid"),
            target_groups=("lvb", "jeugd"),
            help_form=Help.SESSION,
            steps=(
                draft(19, "13:00", "wijkteam06.1"),
                submit(19, "13:20", "wijkteam06.1"),
                withdraw(
                    12,
                    "10:00",
                    "wijkteam06.1",
                    "Via de huisarts is al begeleiding vanuit de gehandicaptenzorg gestart; "
                    "bespreking in het expertiseteam is niet meer nodig.",
                ),
            ),
        ),
    ),
    # --- Expertisepool Eemland (triage: every question waits for the triage worker first) -------
    DemoCase(
        team="Sociaal team Leusden",
        owner="wijkteam09.1",
        first_name="Marleen",
        last_name="Bedenkamp",
        age=58,
        birthday_offset=180,
        postcode="3831 RN",
        household=Household.SINGLE,
        opened=(2, "10:15"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Alcoholgebruik na ontslag; rekeningen blijven liggen",
            situation=(
                "Vrouw van 58, alleenstaand, is na 25 jaar ontslagen bij een reorganisatie. "
                "Sindsdien drinkt ze volgens haar dochter elke dag, vanaf de middag. Rekeningen "
                "blijven liggen en de WW loopt over een jaar af. Ze ontkent het drinken niet, "
                "maar noemt het 'even een moeilijke periode'."
            ),
            tried=(
                "Twee gesprekken: ze staat open voor hulp bij de administratie, niet voor hulp "
                "bij het drinken. De dochter is betrokken."
            ),
            question=(
                "Hoe gebruiken we de hulp bij geldzaken als ingang om het drinken bespreekbaar "
                "te maken? Welke expert kan hier het beste bij meedenken?"
            ),
            life_domains=("financien", "psychische-gezondheid"),
            target_groups=("verslaving", "schulden"),
            steps=(
                draft(1, "11:00", "wijkteam09.1"),
                submit(1, "11:10", "wijkteam09.1"),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Bunschoten-Spakenburg",
        owner="wijkteam07.1",
        first_name="Aaltje",
        last_name="Nepstra",
        age=75,
        birthday_offset=300,
        postcode="3751 LM",
        household=Household.SINGLE,
        opened=(1, "13:30"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Alleenwonende vrouw na een beroerte: valt en vergeet te eten",
            situation=(
                "Vrouw van 75, woont alleen in een eengezinswoning met een steile trap. Drie "
                "maanden geleden kreeg ze een beroerte; na de revalidatie ging ze naar huis. "
                "Sindsdien is ze twee keer gevallen. De buurvrouw ziet dat ze vergeet te eten en "
                "de verwarming uit laat. Zelf wil ze absoluut niet naar een verpleeghuis."
            ),
            tried=(
                "Personenalarmering aangevraagd en een maaltijdservice geregeld. De thuiszorg "
                "komt één keer per dag."
            ),
            question=(
                "Hoeveel herstel is er na een beroerte nog te verwachten, en welke ondersteuning "
                "maakt thuis wonen veilig genoeg? Is een gespecialiseerde NAH-begeleider nodig?"
            ),
            life_domains=("lichamelijke-gezondheid", "wonen-en-leefbaarheid"),
            target_groups=("nah", "ouderen"),
            urgency=URGENT,
            help_form=Help.PHONE,
            steps=(
                draft(1, "14:00", "wijkteam07.1"),
                submit(1, "14:10", "wijkteam07.1"),
            ),
        ),
    ),
    # The triage worker (triage@) at work: claimed, clarified, sharpened, assigned, answered,
    # planned for a session, redirected. With the two above: every state a triage pool knows.
    DemoCase(
        team="Sociaal team Eemnes",
        owner="wijkteam08.1",
        first_name="Tijmen",
        last_name="Schetsma",
        age=44,
        birthday_offset=87,
        postcode="3755 BK",
        household=Household.COUPLE_WITH_CHILDREN,
        opened=(5, "14:00"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Vader met chronische rugpijn dreigt uit te vallen; spanningen thuis lopen op",
            situation=(
                "Vader van 44 in een gezin met drie kinderen heeft sinds een hernia-operatie "
                "vorig jaar chronische pijn. Hij werkt als installateur en is deels ziekgemeld; "
                "de werkgever stuurt aan op een re-integratietraject bij een andere werkgever. "
                "Thuis is hij prikkelbaar en slaapt hij op de bank. Zijn partner werkt parttime "
                "en is bang dat het inkomen flink daalt."
            ),
            tried=(
                "Gesprek met beide partners. De huisarts heeft een pijnrevalidatieprogramma "
                "voorgesteld, maar daarvoor is een wachtlijst van vier maanden. Samen een "
                "overzicht van inkomsten en vaste lasten gemaakt."
            ),
            question=(
                "Wie kan meedenken over werk en inkomen bij langdurige pijn? En hoe houden we "
                "het gezin overeind in de maanden tot de revalidatie begint?"
            ),
            life_domains=(
                "werk-opleiding-en-activiteiten",
                "lichamelijke-gezondheid",
                "financien",
            ),
            target_groups=(),
            steps=(
                draft(4, "08:40", "wijkteam08.1"),
                # Past the two-working-day triage target: the queue shows it as late.
                submit(4, "09:00", "wijkteam08.1"),
                claim(3, "14:10", "triage"),
                release(3, "14:25", "triage"),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Woudenberg",
        owner="wijkteam11.1",
        first_name="Ria",
        last_name="Fabelhof",
        age=67,
        birthday_offset=222,
        postcode="3931 KT",
        household=Household.SINGLE_PARENT,
        opened=(2, "16:00"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Moeder van 67 gaat onderdoor aan de zorg voor haar zoon na een ggz-opname",
            situation=(
                "Vrouw van 67 heeft haar zoon van 40 weer in huis genomen na een opname in de "
                "ggz. Hij slaapt overdag, blowt af en toe en wordt boos als ze hem ergens op "
                "aanspreekt. Ze betaalt zijn boodschappen van haar AOW en nodigt geen "
                "vriendinnen meer uit. De ambulante begeleiding van de zoon is na de opname "
                "gestopt."
            ),
            tried=(
                "Gesprek met mevrouw alleen; de zoon wil niet met het sociaal team praten. "
                "Mevrouw gewezen op het steunpunt mantelzorg."
            ),
            question=(
                "Hoe ondersteunen we een moeder die haar volwassen zoon niet los kan laten, maar "
                "er zelf aan onderdoor gaat? Kan de begeleiding van de zoon weer op gang komen "
                "zonder zijn medewerking?"
            ),
            life_domains=("psychische-gezondheid", "sociale-relaties"),
            target_groups=("ggz", "ouderen"),
            steps=(
                draft(1, "09:30", "wijkteam11.1"),
                submit(1, "09:45", "wijkteam11.1"),
                # The triage worker is on it right now: the claim is fresh.
                claim(TODAY, "0:20", "triage"),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Bunschoten-Spakenburg",
        owner="wijkteam07.2",
        first_name="Gert",
        last_name="Kladveld",
        age=52,
        birthday_offset=41,
        postcode="3752 GH",
        household=Household.SINGLE,
        opened=(4, "11:00"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Veel instanties betrokken, niemand met de regie",
            situation=(
                "Alleenstaande man van 52. Er zijn veel instanties betrokken: een bewindvoerder, "
                "een woonbegeleider en de reclassering. Iedereen wijst naar elkaar en meneer "
                "raakt het overzicht kwijt. Hij belt het sociaal team meerdere keren per week in "
                "paniek."
            ),
            tried=(
                "Een overleg met alle betrokkenen geprobeerd; de reclassering kon niet aansluiten."
            ),
            question="Kan iemand meedenken over wie hier de regie moet nemen?",
            life_domains=("financien", "wonen-en-leefbaarheid"),
            target_groups=("schulden",),
            steps=(
                draft(3, "13:00", "wijkteam07.2"),
                submit(3, "13:20", "wijkteam07.2"),
                claim(2, "09:15", "triage"),
                triage_clarify(
                    2,
                    "09:40",
                    "triage",
                    "Om de vraag bij de juiste expert te krijgen heb ik meer nodig. Wat wil meneer "
                    "zelf, los van de instanties? Gaat het om beschermingsbewind of om "
                    "budgetbeheer, en waarom is de reclassering betrokken? En wat is er tot nu "
                    "toe afgesproken over wie de regie heeft?",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Leusden",
        owner="wijkteam09.2",
        first_name="Nadia",
        last_name="Bedachtsma",
        age=34,
        birthday_offset=256,
        postcode="3832 CE",
        household=Household.SINGLE_PARENT,
        opened=(5, "10:30"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Moeder met angstklachten houdt haar dochter thuis van school",
            situation=(
                "Moeder van 34 met twee kinderen. De dochter van 11 gaat sinds een paar maanden "
                "nauwelijks naar school; moeder houdt haar thuis omdat het meisje buikpijn "
                "heeft. Moeder heeft zelf angstklachten en komt weinig buiten. De "
                "leerplichtambtenaar heeft een gesprek aangekondigd."
            ),
            tried=(
                "Huisbezoek; moeder wil meewerken. School biedt een aangepast rooster aan, maar "
                "ook dan gaat het meisje niet."
            ),
            question=(
                "Hoe pakken we het verzuim aan zonder de angst van moeder en dochter te "
                "vergroten? Welke expertise is hier het meest nodig?"
            ),
            life_domains=(
                "psychische-gezondheid",
                "sociale-relaties",
                "werk-opleiding-en-activiteiten",
            ),
            target_groups=("jeugd", "ggz"),
            steps=(
                draft(4, "10:00", "wijkteam09.2"),
                submit(4, "10:15", "wijkteam09.2"),
                claim(3, "11:00", "triage"),
                triage_clarify(
                    3,
                    "11:20",
                    "triage",
                    "Is de buikpijn van de dochter lichamelijk onderzocht, en is moeder zelf in "
                    "behandeling voor haar angstklachten? Dan weet ik of dit eerst een vraag voor "
                    "de jeugdhulp of voor de ggz is.",
                ),
                # The answer sends the question back to the queue, at its original place.
                reply(
                    1,
                    "15:30",
                    "wijkteam09.2",
                    "De huisarts heeft de buikpijn onderzocht en vond geen lichamelijke oorzaak. "
                    "Moeder is niet in behandeling; ze had jaren geleden gesprekken bij een "
                    "psycholoog en wil dat eigenlijk weer. Het gesprek met de leerplichtambtenaar "
                    "is volgende week.",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Eemnes",
        owner="wijkteam08.2",
        first_name="Lisa",
        last_name="Nabootsma",
        age=29,
        birthday_offset=130,
        postcode="3755 XA",
        household=Household.SINGLE,
        opened=(3, "15:00"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Jonge vrouw met een LVB sluit steeds nieuwe abonnementen af",
            situation=(
                "Vrouw van 29 met een licht verstandelijke beperking, woont zelfstandig met twee "
                "uur woonbegeleiding per week. Ze sluit telefonisch en online steeds nieuwe "
                "abonnementen en kleine leningen af; de schuld loopt op. De begeleider ontdekt "
                "het pas als de aanmaningen komen. Ze zegt dat ze 'geen nee durft te zeggen' "
                "tegen verkopers."
            ),
            tried=(
                "Samen de post doorgenomen en abonnementen opgezegd. Beschermingsbewind "
                "besproken: daar wil ze niets van weten."
            ),
            question=(
                "Wat kunnen we doen? Ze wil zelfstandig blijven, maar het gaat mis met geld. "
                "Hoe nu verder?"
            ),
            life_domains=("financien", "sociale-relaties"),
            target_groups=("lvb", "schulden"),
            steps=(
                draft(2, "14:00", "wijkteam08.2"),
                submit(2, "14:20", "wijkteam08.2"),
                claim(TODAY, "1:50", "triage"),
                sharpen(
                    TODAY,
                    "1:40",
                    "triage",
                    "LVB en oplopende schulden door impulsieve aankopen: welke bescherming zonder "
                    "bewind?",
                    "Jonge vrouw met een LVB, woont zelfstandig met lichte woonbegeleiding, sluit "
                    "onder druk van verkopers steeds nieuwe abonnementen en leningen af. "
                    "Beschermingsbewind wijst ze af.\n\n"
                    "Gevraagd: (1) welke lichtere vorm van geldbeheer past bij haar, en (2) hoe "
                    "leert ze nee zeggen tegen verkopers aan de telefoon en aan de deur.",
                    reason="Twee concrete deelvragen gemaakt, voor twee vakgebieden.",
                ),
                assign(
                    TODAY,
                    "1:30",
                    "triage",
                    ("budgetcoach", "lvb"),
                    reason="Geldbeheer bij een LVB en advies over weerbaarheid",
                ),
                # The budget coach accepted; the behavioural expert has not responded yet.
                accept(TODAY, "0:45", "budgetcoach"),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Woudenberg",
        owner="wijkteam11.2",
        first_name="Henk",
        last_name="Fantasma",
        age=61,
        birthday_offset=15,
        postcode="3931 ZP",
        household=Household.SINGLE,
        opened=(6, "09:00"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Man met epilepsie vergeet zijn medicijnen of neemt ze dubbel",
            situation=(
                "Man van 61, woont alleen en heeft al jaren epilepsie. De laatste maanden "
                "vergeet hij zijn medicijnen of neemt hij ze dubbel; hij kreeg twee aanvallen op "
                "straat. Hij ontkent dat zijn geheugen slechter wordt. Zijn zus komt één keer "
                "per week langs."
            ),
            tried=(
                "Via de apotheek een medicijnrol geregeld; die ligt vaak ongeopend in de kast. "
                "De huisarts gevraagd om een geheugentest."
            ),
            question=(
                "Kan het geheugenverlies met de epilepsie samenhangen, en hoe zorgen we dat hij "
                "zijn medicatie betrouwbaar inneemt?"
            ),
            life_domains=("lichamelijke-gezondheid",),
            target_groups=("nah",),
            steps=(
                draft(5, "09:00", "wijkteam11.2"),
                submit(5, "09:20", "wijkteam11.2"),
                claim(4, "10:00", "triage"),
                assign(
                    4,
                    "10:20",
                    "triage",
                    ("nah",),
                    reason="Geheugenklachten bij epilepsie: specialist hersenletsel",
                ),
                # The only assigned expert declines: the question is back in the queue.
                decline(
                    2,
                    "16:00",
                    "nah",
                    "Dit is vooral een vraag over medicatiebeheer thuis; daar ben ik niet de "
                    "juiste expert voor, en ik heb de komende twee weken geen ruimte. De "
                    "wijkverpleging of een casemanager ligt meer voor de hand.",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Leusden",
        owner="wijkteam09.1",
        first_name="Ilona",
        last_name="Verdicht",
        age=45,
        birthday_offset=270,
        postcode="3833 AL",
        household=Household.COUPLE_WITH_CHILDREN,
        opened=(7, "10:00"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Zoon van 15 gamet 's nachts en verzuimt; ouders oneens over de aanpak",
            situation=(
                "Gezin met twee kinderen. De zoon van 15 gamet tot diep in de nacht en komt "
                "'s ochtends zijn bed niet uit; vooral de eerste uren op school mist hij. De "
                "ouders verschillen van mening: vader wil de computer weghalen, moeder is bang "
                "dat het contact dan helemaal verdwijnt. Op school is hij verder sociaal en "
                "haalt hij voldoendes."
            ),
            tried=(
                "Een gezinsgesprek; de jongen zegt dat hij 'gewoon moeilijk in slaap komt'. "
                "School is op de hoogte en denkt mee."
            ),
            question=(
                "Is dit een gameverslaving of een slaapprobleem? Hoe helpen we de ouders één "
                "lijn te kiezen?"
            ),
            life_domains=("sociale-relaties", "werk-opleiding-en-activiteiten"),
            target_groups=("jeugd",),
            steps=(
                draft(6, "11:00", "wijkteam09.1"),
                submit(6, "11:15", "wijkteam09.1"),
                claim(5, "09:05", "triage"),
                triage_answer(
                    5,
                    "10:30",
                    "triage",
                    "Dit hoeft niet naar een expert: wat jullie beschrijven lijkt eerder een "
                    "verschoven slaapritme dan een verslaving. Hij functioneert sociaal en haalt "
                    "zijn cijfers; bij een verslaving zie je juist dat andere dingen wegvallen."
                    "\n\nMaak met de ouders samen één afspraak over schermen op schooldagen "
                    "(bijvoorbeeld alles om half elf uit en buiten de slaapkamer), laat de jongen "
                    "meedenken over de details, en spreek af hoe ze het allebei volhouden. Een "
                    "vaste opstaantijd, ook in het weekend, helpt het ritme meer dan vroeg naar "
                    "bed. Neemt het verzuim na een maand niet af, kom dan terug: dan kijkt de "
                    "jeugdhulpverlener mee.",
                    reason="Opvoedvraag die de triagist zelf kan beantwoorden",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Bunschoten-Spakenburg",
        owner="wijkteam07.1",
        first_name="Teun",
        last_name="Maquette",
        age=71,
        birthday_offset=190,
        postcode="3751 SW",
        household=Household.COUPLE,
        opened=(10, "14:30"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Oudere man drinkt sinds zijn pensioen steeds meer en voelt zich nutteloos",
            situation=(
                "Man van 71, sinds drie jaar met pensioen na een leven op zee. Zijn vrouw "
                "vertelt dat hij sindsdien steeds meer drinkt: eerst in het weekend, nu elke "
                "dag vanaf de middag. Hij is twee keer gevallen. Zelf zegt hij dat hij 'nergens "
                "meer voor nodig is'."
            ),
            tried=(
                "Huisbezoek; hij wil praten over vroeger, niet over het drinken. De huisarts is "
                "op de hoogte en heeft bloed laten prikken."
            ),
            question=(
                "Hoe bespreek je alcoholgebruik met een oudere man die zich nutteloos voelt? "
                "Welke ondersteuning past bij deze leeftijd?"
            ),
            life_domains=("psychische-gezondheid", "zingeving"),
            target_groups=("verslaving", "ouderen"),
            steps=(
                draft(9, "10:00", "wijkteam07.1"),
                submit(9, "10:10", "wijkteam07.1"),
                claim(8, "09:00", "triage"),
                assign(
                    8,
                    "09:20",
                    "triage",
                    ("verslaving",),
                    reason="Alcohol bij een oudere: consulent verslavingszorg",
                ),
                accept(8, "13:00", "verslaving"),
                advise(
                    7,
                    "15:30",
                    "verslaving",
                    "Begin bij wat hem bezighoudt: het gemis van werk en betekenis. Vraag zonder "
                    "oordeel hoe het drinken hem helpt de dag door te komen. Bij ouderen werkt "
                    "een korte interventie vaak goed: een paar gesprekken over de gevolgen "
                    "(vallen, medicijnen, slaap) en een concreet doel, zoals niet drinken voor "
                    "het avondeten.\n\n"
                    "Zoek daarnaast met de ouderenadviseur naar een zinvolle daginvulling, "
                    "bijvoorbeeld vrijwilligerswerk in de haven of een mannengroep in het "
                    "dorpshuis. Ik ga graag een keer mee op huisbezoek.",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Eemnes",
        owner="wijkteam08.1",
        first_name="Romy",
        last_name="Schetsenaar",
        age=38,
        birthday_offset=64,
        postcode="3755 GD",
        household=Household.COUPLE_WITH_CHILDREN,
        opened=(4, "13:00"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Gezin loopt vast: thuiszitter met autisme, schulden en een vader met burn-out",
            situation=(
                "Gezin met drie kinderen. De oudste zoon van 14 heeft autisme en zit sinds een "
                "half jaar thuis zonder school. Vader is uitgevallen met een burn-out en het "
                "inkomen is gedaald; er zijn achterstanden bij de zorgverzekeraar en de huur. "
                "Moeder houdt alles draaiende en is uitgeput."
            ),
            tried=(
                "Leerplicht en school zijn betrokken; een plek in het speciaal onderwijs is "
                "aangevraagd. Schuldhulp is aangemeld, met een wachttijd van zes weken."
            ),
            question=(
                "Waar beginnen we? Alles hangt met elkaar samen en het gezin raakt overvraagd "
                "door alle hulpverleners."
            ),
            life_domains=(
                "financien",
                "sociale-relaties",
                "psychische-gezondheid",
                "werk-opleiding-en-activiteiten",
            ),
            target_groups=("jeugd", "schulden", "ggz"),
            help_form=Help.SESSION,
            steps=(
                draft(3, "15:00", "wijkteam08.1"),
                submit(3, "15:10", "wijkteam08.1"),
                claim(2, "10:00", "triage"),
                plan_session(
                    2,
                    "10:30",
                    "triage",
                    "Jeugd, schulden en ggz tegelijk: een MDO met de orthopedagoog, de "
                    "schuldhulpverlener en de sociaal psychiatrisch verpleegkundige",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Woudenberg",
        owner="wijkteam11.1",
        first_name="Bert",
        last_name="Verzinsel",
        age=80,
        birthday_offset=100,
        postcode="3931 BM",
        household=Household.COUPLE,
        opened=(7, "11:00"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Echtpaar krijgt de belastingaangifte en de toeslagen niet meer rond",
            situation=(
                "Echtpaar van 80 en 78, beiden nog redelijk zelfstandig. Sinds de kinderen "
                "verhuisd zijn, lukt het niet meer om de belastingaangifte en de aanvragen voor "
                "toeslagen te doen. Ze zijn bang een fout te maken en hebben een brief van de "
                "Belastingdienst laten liggen."
            ),
            tried="Samen de brief gelezen; er moet binnen vier weken gereageerd worden.",
            question="Kan een expert helpen met de aangifte en de toeslagen?",
            life_domains=("financien",),
            target_groups=("ouderen",),
            steps=(
                draft(6, "13:30", "wijkteam11.1"),
                submit(6, "13:45", "wijkteam11.1"),
                claim(5, "11:00", "triage"),
                redirect(
                    5,
                    "11:10",
                    "triage",
                    "regular_care",
                    "Dit is geen vraag voor de expertisepool: de formulierenbrigade van de "
                    "bibliotheek en de vrijwillige belastinghulp van de ouderenbond helpen hier "
                    "gratis mee, ook aan huis. Houd de termijn van de Belastingdienst in de gaten. "
                    "Komen er zorgen over het geheugen of de zelfstandigheid naar boven, stel dan "
                    "gerust een nieuwe vraag.",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Leusden",
        owner="wijkteam09.2",
        first_name="Fenna",
        last_name="Droomhuis",
        age=26,
        birthday_offset=310,
        postcode="3831 PJ",
        household=Household.SINGLE,
        opened=(3, "09:30"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Jonge vrouw uitgeput en afgevallen; wil hulp bij ander werk",
            situation=(
                "Vrouw van 26, woont alleen en werkt in de horeca. Ze is de laatste maanden veel "
                "afgevallen, is extreem moe en meldt zich vaak ziek. Zelf denkt ze dat het 'de "
                "stress' is en ze wil hulp bij het vinden van ander werk. Ze is al ruim een jaar "
                "niet bij de huisarts geweest."
            ),
            tried="Twee gesprekken over werk en dagritme. Naar de dokter wil ze liever niet.",
            question=(
                "Welke ondersteuning past bij iemand die uitgeput raakt in haar werk? Is een "
                "traject naar ander werk zinvol?"
            ),
            life_domains=("werk-opleiding-en-activiteiten", "lichamelijke-gezondheid"),
            target_groups=(),
            steps=(
                draft(2, "10:00", "wijkteam09.2"),
                submit(2, "10:20", "wijkteam09.2"),
                claim(TODAY, "1:15", "triage"),
                redirect(
                    TODAY,
                    "1:05",
                    "triage",
                    "gp",
                    "Eerst terug naar de huisarts: flink afvallen en extreme moeheid moeten "
                    "lichamelijk onderzocht worden voordat we over werk en belastbaarheid "
                    "adviseren. Help haar een afspraak te maken en ga eventueel mee. Vindt de "
                    "huisarts geen lichamelijke oorzaak, stel de vraag over werk dan opnieuw; dan "
                    "kijkt de re-integratiecoach mee.",
                ),
            ),
        ),
    ),
    DemoCase(
        team="Sociaal team Bunschoten-Spakenburg",
        owner="wijkteam07.2",
        first_name="Klaas",
        last_name="Sprookjes",
        age=47,
        birthday_offset=205,
        postcode="3754 HR",
        household=Household.COUPLE_WITH_CHILDREN,
        opened=(13, "10:00"),
        question=DemoQuestion(
            pool=TRIAGE_POOL,
            title="Rouw bij een dochter van 10 na het overlijden van opa: is hulp nodig?",
            situation=(
                "Gezin met twee dochters. Een paar maanden geleden is opa overleden, bij wie de "
                "jongste dochter van 10 na school altijd kwam. Ze slaapt slecht, wil niet meer "
                "alleen naar boven en huilt om kleine dingen. De ouders vragen zich af of ze "
                "professionele hulp nodig heeft."
            ),
            tried=(
                "Gesprek met de ouders; samen een prentenboek over rouw gelezen. School is op de "
                "hoogte."
            ),
            question=(
                "Is dit normale rouw, of is specialistische hulp nodig? Wat kunnen de ouders "
                "zelf doen?"
            ),
            life_domains=("sociale-relaties", "zingeving"),
            target_groups=("jeugd",),
            steps=(
                draft(12, "09:30", "wijkteam07.2"),
                submit(12, "09:45", "wijkteam07.2"),
                claim(11, "10:00", "triage"),
                triage_answer(
                    11,
                    "10:40",
                    "triage",
                    "Wat jullie beschrijven past bij normale rouw van een kind van die leeftijd: "
                    "slecht slapen, niet alleen willen zijn en snel huilen komen in de eerste "
                    "maanden vaak voor, zeker na het verlies van iemand die er elke dag was.\n\n"
                    "De ouders kunnen over opa blijven praten en haar laten vertellen wat ze "
                    "mist, het ritme van de dag zo gewoon mogelijk houden, en een nieuw vast "
                    "moment na school bieden. Specialistische hulp is pas nodig als de klachten "
                    "na een half jaar niet afnemen, als ze zich terugtrekt van vriendinnen of als "
                    "het op school achteruitgaat. Een rouwbegeleider voor kinderen is dan een "
                    "goede eerste stap.",
                    reason="Opvoedvraag die de triagist zelf kan beantwoorden",
                ),
                close(
                    8,
                    "14:00",
                    "wijkteam07.2",
                    Direction.CONFIRMED,
                    Escalation.AVOIDED,
                    "De ouders zijn gerustgesteld en letten op de signalen; de dochter slaapt "
                    "weer beter. Een verwijzing is niet nodig.",
                    ratings=(("triage", 5),),
                ),
            ),
        ),
    ),
]
