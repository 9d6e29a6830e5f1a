"""The PII guard on free text (DESIGN §4.4): what it must catch, and what it must leave alone.

Pure functions: no database needed.
"""

from datetime import date

import pytest

from consultation.privacy import (
    Finding,
    ResidentIdentity,
    check_texts,
    find_identity_leaks,
    passes_elfproef,
)

ZOE = ResidentIdentity(
    first_name="Zoë",
    last_name="van der Berg",
    date_of_birth=date(2010, 3, 7),
    postcode="3811 AB",
)
JANSEN = ResidentIdentity(
    first_name="Mohamed",
    last_name="Jansen",
    date_of_birth=date(1984, 11, 23),
    postcode="1234ab",
)


def kinds(text: str, identity: ResidentIdentity = ZOE) -> set[str]:
    return {f.kind for f in find_identity_leaks(text, identity)}


def texts_of(text: str, kind: str, identity: ResidentIdentity = ZOE) -> list[str]:
    return [f.text for f in find_identity_leaks(text, identity) if f.kind == kind]


# --- Names ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Gesprek met Zoë gehad.", "Zoë"),
        ("Gesprek met zoë gehad.", "zoë"),
        ("GESPREK MET ZOË", "ZOË"),
        # Accents folded both ways: the resident is Zoë, the worker types Zoe.
        ("Gesprek met Zoe gehad.", "Zoe"),
        ("Gesprek met zoe gehad.", "zoe"),
        ("De familie Berg is bekend bij ons.", "Berg"),
        ("De familie berg is bekend bij ons.", "berg"),
        ("Mevrouw Van Der Berg belde.", "Berg"),
    ],
)
def test_the_residents_name_is_found_whole_or_in_part(text, found):
    assert found in texts_of(text, "name")


def test_the_full_name_is_found():
    found = texts_of("Zoë van der Berg woont bij haar moeder.", "name")
    assert set(found) == {"Zoë", "van der Berg", "Berg"}


def test_full_last_name_with_particles_is_found_as_a_whole_and_in_part():
    found = texts_of("Mevrouw van der Berg belde.", "name")
    assert "van der Berg" in found
    assert "Berg" in found


def test_a_name_inside_another_word_is_not_a_finding():
    assert find_identity_leaks("Ze woont in Bergen op Zoom bij de ijsberg.", ZOE) == []


@pytest.mark.parametrize(
    "text",
    [
        "De moeder van de jongen zit in de schulden.",
        "Het gesprek was op het kantoor van der gemeente, ten behoeve van de aanvraag.",
        "Van de week is de huur betaald, ter info.",
    ],
)
def test_particles_alone_in_ordinary_text_are_not_findings(text):
    assert find_identity_leaks(text, ZOE) == []


def test_last_name_alone_of_a_name_without_particles():
    assert texts_of("Meneer Jansen kwam niet opdagen.", "name", JANSEN) == ["Jansen"]
    assert texts_of("mohamed is de vader.", "name", JANSEN) == ["mohamed"]


def test_without_identity_names_are_not_checked_but_contact_data_is():
    findings = find_identity_leaks("Zoë van der Berg, 06-12345678")
    assert [(f.kind, f.text) for f in findings] == [("phone", "06-12345678")]


# --- Date of birth -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "geboren 07-03-2010",
        "geboren 7-3-2010",
        "geboren 7/3/10",
        "geboren 07/03/2010",
        "geboren 7.3.2010",
        "geboren 2010-03-07",
        "geboren 7 maart 2010",
        "geboren 7 Maart 2010",
        "geboren 7 mrt. 2010",
    ],
)
def test_date_of_birth_in_common_formats(text):
    assert texts_of(text, "date_of_birth") == [text.removeprefix("geboren ")]


@pytest.mark.parametrize(
    "text",
    [
        "gesprek op 17-03-2010",  # another day that ends in the same digit
        "gesprek op 07-03-2011",
        "gesprek op 7 april 2010",
        "gesprek op 03-07-2010",  # day and month swapped: another date
        "sinds 2010 bekend",
    ],
)
def test_other_dates_are_not_the_date_of_birth(text):
    assert "date_of_birth" not in kinds(text)


# --- Postcode ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["3811 AB", "3811AB", "3811ab", "3811 ab", "3811 aB"])
def test_postcode_with_or_without_space_in_any_case(text):
    assert texts_of(f"Woont op {text}, tweede etage.", "postcode") == [text]


def test_postcode_stored_without_space_is_still_found():
    assert texts_of("adres: 1234 AB Amersfoort", "postcode", JANSEN) == ["1234 AB"]


def test_another_postcode_or_a_longer_word_is_not_the_postcode():
    assert "postcode" not in kinds("Verhuisd naar 3812 AB.")
    assert "postcode" not in kinds("Code 3811ABC in het systeem.")


# --- BSN (11-proef) ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("999999990", True),  # 9 * 44 = 396 = 36 * 11
        ("123456789", False),
        ("000000000", False),  # sums to 0: not a BSN
        ("12345678", False),  # 8 digits are padded with a leading 0: 012345678 fails
        ("11222333", False),
        ("1234567", False),
        ("1234567890", False),
        ("12345678a", False),
        ("", False),
    ],
)
def test_passes_elfproef(digits, valid):
    assert passes_elfproef(digits) is valid


def test_elfproef_pads_eight_digits():
    # 012345672: 0*9 + 1*8 + 2*7 + 3*6 + 4*5 + 5*4 + 6*3 + 7*2 - 2 = 110 = 10 * 11
    assert passes_elfproef("012345672")
    assert passes_elfproef("12345672")


@pytest.mark.parametrize(
    "text", ["111222333", "123456782", "111.22.23.33", "111 22 23 33", "BSN:123456782."]
)
def test_bsn_like_numbers_passing_the_elfproef_are_found(text):
    assert "bsn" in kinds(f"Het nummer is {text} volgens de brief.")


@pytest.mark.parametrize("text", ["1234.56.782", "123 456 782", "123.456.782"])
def test_bsn_in_the_notation_of_id_documents_is_found(text):
    assert "bsn" in kinds(f"BSN {text} staat op de brief.")


@pytest.mark.parametrize("text", ["123456789", "111222334", "1234567890", "12345"])
def test_numbers_failing_the_elfproef_are_not_bsn_findings(text):
    assert find_identity_leaks(f"Dossiernummer {text} bij de gemeente.", ZOE) == []


# --- Phone numbers and e-mail --------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "06-12345678",
        "0612345678",
        "06 12345678",
        "06 12 34 56 78",
        "+31 6 12345678",
        "+31612345678",
        "+31 (0)6 12345678",
        "0031 6 12345678",
        "010-1234567",
        "030 123 4567",
        "033-4567890",
    ],
)
def test_dutch_phone_numbers_are_found(text):
    findings = find_identity_leaks(f"Bel haar op {text} na vijven.", ZOE)
    assert [(f.kind, f.text) for f in findings] == [("phone", text)]


@pytest.mark.parametrize(
    "text", ["zoe.vdberg@gmail.com", "Z.van-der-Berg+zorg@ziggo.nl", "info@wijkteam-noord.nl"]
)
def test_email_addresses_are_found(text):
    assert text in texts_of(f"Mail: {text}.", "email")


def test_a_phone_number_passing_the_elfproef_is_reported_once_as_a_phone_number():
    # +31 111222333: the national part 111222333 also passes the 11-proef.
    findings = find_identity_leaks("Nummer: +31 111222333", ZOE)
    assert [(f.kind, f.text) for f in findings] == [("phone", "+31 111222333")]


# --- Everything together, and no false positives -------------------------------------------------
def test_several_findings_in_order_without_duplicates():
    text = (
        "Zoë (7-3-2010) woont op 3811AB. Bel 06-12345678 of mail zoe@example.nl. "
        "BSN 111222333. Nogmaals: Zoë, 06-12345678."
    )
    findings = find_identity_leaks(text, ZOE)
    assert {f.kind for f in findings} == {
        "name",
        "date_of_birth",
        "postcode",
        "phone",
        "email",
        "bsn",
    }
    keys = [(f.kind, f.text.casefold()) for f in findings]
    assert len(keys) == len(set(keys))
    assert all(isinstance(f, Finding) and f.label for f in findings)


ORDINARY_CASE_TEXT = """\
Moeder (34 jaar) woont met haar twee kinderen van 7 en 12 jaar in een huurwoning in de wijk.
Sinds de scheiding in maart 2023 is er een huurachterstand van drie maanden ontstaan, in totaal
ongeveer € 2.450,-. De verhuurder heeft op 14 januari een brief gestuurd over ontruiming. Van de
jongste krijgen we signalen van school: hij slaapt slecht en is vaak te laat. De oudste is boos op
vader en weigert het omgangsregeling-weekend. Moeder heeft een budgetgesprek gehad en staat op de
wachtlijst van de schuldhulpverlening (ongeveer 8 weken). Ze werkt 16 uur per week in de thuiszorg
en heeft recht op toeslagen, maar de huurtoeslag is gestopt na een wijziging in het inkomen. Wij
willen weten of een voorlopige regeling met de verhuurder mogelijk is en welke stappen we ter
voorkoming van ontruiming kunnen zetten. Het gesprek met de huisarts staat op 3 april om 10.30 uur.
Dossier 2024-117, zie ook het plan van aanpak van 12-02-2024, versie 2.
"""


def test_ordinary_dutch_case_text_has_no_findings():
    assert find_identity_leaks(ORDINARY_CASE_TEXT, ZOE) == []
    assert find_identity_leaks(ORDINARY_CASE_TEXT, JANSEN) == []


def test_empty_text_has_no_findings():
    assert find_identity_leaks("", ZOE) == []


def test_identity_of_reads_the_resident_fields():
    class StoredResident:
        first_name, last_name = "Zoë", "van der Berg"
        date_of_birth, postcode = date(2010, 3, 7), "3811 AB"

    assert ResidentIdentity.of(StoredResident()) == ZOE


def test_check_texts_returns_only_fields_with_findings():
    result = check_texts(
        {
            "title": "Vraag over schulden",
            "situation": "Zoë woont op 3811 AB.",
            "tried": "",
            "question": "Kan iemand bellen naar 06-12345678?",
        },
        ZOE,
    )
    assert set(result) == {"situation", "question"}
    assert {f.kind for f in result["situation"]} == {"name", "postcode"}
    assert [(f.kind, f.text) for f in result["question"]] == [("phone", "06-12345678")]


def test_check_texts_without_findings_is_empty():
    assert check_texts({"title": "Vraag", "question": ORDINARY_CASE_TEXT}, ZOE) == {}
