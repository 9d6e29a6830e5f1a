"""Apply the Dutch translations of the interface to locale/nl/LC_MESSAGES/django.po (and compile
it), after `make messages` has regenerated the .po file from the source.

The translations are data, in locale/nl/interface.json: "messages" maps each msgid to its Dutch
text, "plurals" maps a plural msgid (the singular) to its two Dutch forms. Run:
`uv run --with polib python scripts/translations_nl.py` (polib writes the .po and .mo files).
"""

from __future__ import annotations

import json
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "nl"
TABLE = LOCALE / "interface.json"
PO_FILE = LOCALE / "LC_MESSAGES" / "django.po"


def load_table(path: Path = TABLE) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(messages, plurals) from the data file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    messages = data["messages"]
    plurals = {msgid: (one, other) for msgid, (one, other) in data["plurals"].items()}
    return messages, plurals


def main() -> int:
    import polib

    nl, plurals = load_table()
    po = polib.pofile(str(PO_FILE))
    missing = []
    for entry in po:
        if entry.msgid_plural:
            if entry.msgid in plurals:
                entry.msgstr_plural = dict(enumerate(plurals[entry.msgid]))
            else:
                missing.append(entry.msgid)
        elif entry.msgid in nl:
            entry.msgstr = nl[entry.msgid]
        else:
            missing.append(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Language"] = "nl"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.save()
    po.save_as_mofile(str(PO_FILE.with_suffix(".mo")))
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
