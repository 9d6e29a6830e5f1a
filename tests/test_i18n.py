"""Dutch first: every interface text has a Dutch translation, and the compiled catalogue is used."""

import gettext
import re
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES"


def _po_entries(path: Path):
    """(msgid, msgstr-or-first-plural, flags) of each entry, joining continued lines."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        fields, current, flags = {}, None, ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags = line
            # msgstr[1], msgstr[2] (plural forms) are fields of their own: a continued line
            # of msgstr[1] must not be added to the first form.
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                current = match.group(1).replace("[0]", "")
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            plural = "plural" if "msgid_plural" in fields else ""
            yield fields["msgid"], fields.get("msgstr", ""), f"{flags} {plural}".strip()


def test_every_message_has_a_dutch_translation():
    entries = list(_po_entries(LOCALE / "django.po"))
    assert len(entries) > 50
    untranslated = [msgid for msgid, msgstr, _ in entries if not msgstr]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid, msgstr, flags in _po_entries(LOCALE / "django.po"):
        unescaped = msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        expected = msgstr.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if "plural" in flags:
            continue  # plural entries are looked up with ngettext
        assert catalogue.gettext(unescaped) == expected, msgid


def test_dutch_is_the_default_and_english_is_available():
    with translation.override("nl"):
        assert translation.gettext("Sign in") == "Inloggen"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"
