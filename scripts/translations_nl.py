"""Apply the Dutch translations of the interface to locale/nl/LC_MESSAGES/django.po (and compile
it), after `make messages` has regenerated the .po file from the source.

The translations are data, in locale/nl/interface.json and in any locale/nl/interface.d/*.json
(one file per topic, same shape, so that work in parallel does not edit the same lines):
"messages" maps each msgid to its Dutch text, "plurals" maps a plural msgid (the singular) to its
two Dutch forms. A msgid given twice with different texts is an error. Run:
`uv run --with polib python scripts/translations_nl.py` (polib writes the .po and .mo files).
"""

from __future__ import annotations

import json
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "nl"
TABLE = LOCALE / "interface.json"
TOPICS = LOCALE / "interface.d"
PO_FILE = LOCALE / "LC_MESSAGES" / "django.po"


def load_table(
    path: Path = TABLE, topics: Path = TOPICS
) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(messages, plurals) from the main data file and the topic files."""
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, str]] = {}
    for source in [path, *sorted(topics.glob("*.json"))]:
        data = json.loads(source.read_text(encoding="utf-8"))
        for msgid, text in data.get("messages", {}).items():
            if messages.setdefault(msgid, text) != text:
                raise ValueError(f"{source.name}: {msgid!r} is translated twice, differently")
        for msgid, (one, other) in data.get("plurals", {}).items():
            if plurals.setdefault(msgid, (one, other)) != (one, other):
                raise ValueError(f"{source.name}: {msgid!r} is translated twice, differently")
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
