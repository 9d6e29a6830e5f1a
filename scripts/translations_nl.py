"""Dutch translations of the interface, kept as data so they can be re-applied after
`make messages` regenerates locale/nl/LC_MESSAGES/django.po. Run: python scripts/translations_nl.py
(needs polib: `uv run --with polib python scripts/translations_nl.py`)."""

NL = {
    "Personal info": "Persoonlijke gegevens",
    "Permissions": "Rechten",
    "Important dates": "Belangrijke datums",
    "Accounts": "Accounts",
    "My district team": "Mijn wijkteam",
    "Inbox": "Inbox",
    "Triage queue": "Triagewachtrij",
    "Usage and reports": "Gebruik en rapportage",
    "Administration": "Beheer",
    "E-mail address": "E-mailadres",
    "This combination of e-mail address and password is not known.": "Deze combinatie van e-mailadres en wachtwoord is niet bekend.",
    "Code from your authenticator app": "Code uit je authenticator-app",
    "Enter the 6-digit code.": "Vul de code van 6 cijfers in.",
    "e-mail address": "e-mailadres",
    "demo account": "demo-account",
    "user": "gebruiker",
    "users": "gebruikers",
    "District team worker": "Wijkteammedewerker",
    "Team lead": "Teamleider",
    "Expert": "Expert",
    "Triage worker": "Triagemedewerker",
    "Municipality administrator": "Gemeentelijk beheerder",
    "Functional administrator": "Functioneel beheerder",
    "This code is not correct or has expired. Try the next one.": "Deze code is niet juist of verlopen. Probeer de volgende code.",
    "This code is not correct. Check the time on your phone.": "Deze code is niet juist. Controleer of de tijd op je telefoon klopt.",
    "QR code for your authenticator app": "QR-code voor je authenticator-app",
    "Dutch": "Nederlands",
    "English": "Engels",
    "Consultation": "Consultatie",
    "Expertise": "Expertise",
    "name": "naam",
    "slug": "slug",
    "order": "volgorde",
    "life domain": "leefgebied",
    "life domains": "leefgebieden",
    "description": "omschrijving",
    "active": "actief",
    "target group": "doelgroep",
    "target groups": "doelgroepen",
    "city": "plaats",
    "organisation": "organisatie",
    "organisations": "organisaties",
    "expertise network": "expertisenetwerk",
    "expertise team": "expertiseteam",
    "triage worker": "triagemedewerker",
    "region": "regio",
    "collaboration model": "samenwerkingsvorm",
    "district teams served": "bediende wijkteams",
    "triage workers": "triagemedewerkers",
    "expert pool": "expertisepool",
    "expert pools": "expertisepools",
    "job title": "functie",
    "For example: schuldhulpverlener.": "Bijvoorbeeld: schuldhulpverlener.",
    "short bio": "korte introductie",
    "monthly hour cap": "maximum uren per maand",
    "Hours per month the expert can be paid for (Eemland: 4).": "Uren per maand die de expert kan declareren (Eemland: 4).",
    "expert profile": "expertprofiel",
    "expert profiles": "expertprofielen",
    "Reports": "Rapportage",
    "No access": "Geen toegang",
    "This page belongs to a role you do not hold.": "Deze pagina hoort bij een rol die je niet hebt.",
    "Go to your home page": "Naar je startpagina",
    "Page not found": "Pagina niet gevonden",
    "This page does not exist, or you cannot see it.": "Deze pagina bestaat niet, of je kunt hem niet zien.",
    "Hello,": "Hallo,",
    "Someone asked to choose a new password for your Wijkexpert account. If that was you, "
    "open this link (it works once):": "Er is gevraagd om een nieuw wachtwoord voor je Wijkexpert-account. Was jij dat? Open dan "
    "deze link (hij werkt één keer):",
    "If you did not ask for this, you can ignore this message; your password stays the same.": "Heb je dit niet gevraagd? Dan kun je dit bericht negeren; je wachtwoord blijft hetzelfde.",
    "Wijkexpert: choose a new password": "Wijkexpert: kies een nieuw wachtwoord",
    "Too many attempts": "Te veel pogingen",
    "Signing in failed too often. Wait a while before you try again, or reset your password.": "Inloggen is te vaak mislukt. Wacht even voordat je het opnieuw probeert, of stel je "
    "wachtwoord opnieuw in.",
    "Reset your password": "Wachtwoord opnieuw instellen",
    "Sign in": "Inloggen",
    "Sign in with your work e-mail address. After your password you confirm with a code from "
    "your authenticator app.": "Log in met je werk-e-mailadres. Na je wachtwoord bevestig je met een code uit je "
    "authenticator-app.",
    "Forgot your password?": "Wachtwoord vergeten?",
    "No role yet": "Nog geen rol",
    "Your account is not yet part of a district team, expert pool or municipality. Ask your "
    "administrator to add you.": "Je account hoort nog niet bij een wijkteam, expertisepool of gemeente. Vraag je "
    "beheerder om je toe te voegen.",
    "Set up two-step verification": "Tweestapsverificatie instellen",
    "Every Wijkexpert account is protected with a second step. You set it up once.": "Elk Wijkexpert-account is beveiligd met een tweede stap. Die stel je één keer in.",
    "Install an authenticator app on your phone, for example the one your organisation uses.": "Installeer een authenticator-app op je telefoon, bijvoorbeeld de app die je "
    "organisatie gebruikt.",
    "Scan the QR code below with the app, or type in the key by hand.": "Scan de QR-code hieronder met de app, of typ de sleutel over.",
    "Enter the 6-digit code the app shows.": "Vul de code van 6 cijfers in die de app toont.",
    "Key to type in by hand:": "Sleutel om over te typen:",
    "Confirm and continue": "Bevestigen en verder",
    "Two-step verification": "Tweestapsverificatie",
    "Open your authenticator app and enter the 6-digit code for Wijkexpert.": "Open je authenticator-app en vul de code van 6 cijfers voor Wijkexpert in.",
    "Verify": "Controleren",
    "Password changed": "Wachtwoord gewijzigd",
    "Your password has been changed. You can now sign in.": "Je wachtwoord is gewijzigd. Je kunt nu inloggen.",
    "Choose a new password": "Kies een nieuw wachtwoord",
    "Save password": "Wachtwoord opslaan",
    "This link is no longer valid. Request a new one.": "Deze link is niet meer geldig. Vraag een nieuwe aan.",
    "Request a new link": "Nieuwe link aanvragen",
    "Check your e-mail": "Kijk in je e-mail",
    "If an account exists for this address, we have sent a link to choose a new password. "
    "The link works once.": "Als er een account bij dit adres hoort, hebben we een link gestuurd om een nieuw "
    "wachtwoord te kiezen. De link werkt één keer.",
    "Back to sign in": "Terug naar inloggen",
    "Enter your e-mail address. If we know it, you will receive a link to choose a new password.": "Vul je e-mailadres in. Als we het kennen, krijg je een link om een nieuw wachtwoord "
    "te kiezen.",
    "Send link": "Link versturen",
    "Skip to main content": "Naar de hoofdinhoud",
    "Demo environment": "Demo-omgeving",
    "this is a demo-omgeving with made-up data; never enter real residents here.": "dit is een demo-omgeving met verzonnen gegevens; voer hier nooit echte inwoners in.",
    "Sign out": "Uitloggen",
    "Main navigation": "Hoofdnavigatie",
    "Wijkexpert – advice from specialists for district teams.": "Wijkexpert – advies van specialisten voor wijkteams.",
    "Language": "Taal",
    "Change": "Wijzigen",
    "Questions from district teams that match your expertise will appear here.": "Hier verschijnen vragen van wijkteams die passen bij jouw expertise.",
    "Your expertise": "Jouw expertise",
    "Job title": "Functie",
    "Expert pools": "Expertisepools",
    "Life domains": "Leefgebieden",
    "Target groups": "Doelgroepen",
    "Monthly hour cap": "Maximum uren per maand",
    "How your district teams use the expert pools, in aggregate figures.": "Hoe je wijkteams de expertisepools gebruiken, in totaalcijfers.",
    "Your municipalities": "Jouw gemeenten",
    "Submitted questions of your pools will wait here for triage.": "Ingediende vragen van jouw pools wachten hier op triage.",
    "Your pools": "Jouw pools",
    "Here you will find your team's cases and the questions you asked the expert pool.": "Hier vind je de casussen van je team en de vragen die je aan de expertisepool stelde.",
    "Your teams": "Jouw teams",
    "Triage": "Triage",
    "District teams": "Wijkteams",
    "regions": "regio's",
    "CBS code": "CBS-code",
    "municipality administrators": "gemeentelijk beheerders",
    "municipality": "gemeente",
    "municipalities": "gemeenten",
    "members": "leden",
    "district team": "wijkteam",
    "district teams": "wijkteams",
    "generalist": "generalist",
    "team lead": "teamleider",
    "team": "team",
    "role": "rol",
    "created at": "aangemaakt op",
    "team membership": "teamlidmaatschap",
    "team memberships": "teamlidmaatschappen",
}

PLURALS = {
    "%(name)s: %(counter)s district team": (
        "%(name)s: %(counter)s wijkteam",
        "%(name)s: %(counter)s wijkteams",
    ),
}


def main() -> int:
    from pathlib import Path

    import polib

    path = Path(__file__).resolve().parent.parent / "locale/nl/LC_MESSAGES/django.po"
    po = polib.pofile(str(path))
    missing = []
    for entry in po:
        if entry.msgid_plural:
            if entry.msgid in PLURALS:
                entry.msgstr_plural = dict(enumerate(PLURALS[entry.msgid]))
            else:
                missing.append(entry.msgid)
        elif entry.msgid in NL:
            entry.msgstr = NL[entry.msgid]
        else:
            missing.append(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Language"] = "nl"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.save()
    po.save_as_mofile(str(path.with_suffix(".mo")))
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
