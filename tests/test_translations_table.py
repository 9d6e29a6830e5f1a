"""The Dutch translations are data (locale/nl/interface.json) that scripts/translations_nl.py
applies to django.po after `make messages`. Applying it to today's django.po must change nothing:
every entry's msgstr is exactly what the data file says."""

import ast
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "translations_nl", ROOT / "scripts" / "translations_nl.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def po_entries(path: Path) -> list[dict]:
    """Each entry as {"msgid": ..., "msgid_plural": ..., "msgstr": ..., "msgstr[0]": ...,
    "flags": ...}, strings unescaped and continued lines joined; obsolete entries are left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, str] = {"flags": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line[2:]
            elif line.startswith("#"):
                continue  # references, comments, and obsolete (#~) entries
            elif match := re.fullmatch(
                r'(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")', line
            ):
                key = match.group(1)
                entry[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
        if entry.get("msgid"):  # the header has an empty msgid
            entries.append(entry)
    return entries


def test_the_data_file_gives_every_po_entry_its_current_msgstr():
    messages, plurals = _load_script().load_table()
    entries = po_entries(PO_FILE)
    assert len(entries) > 500
    different = []
    for entry in entries:
        assert "msgctxt" not in entry, "the script keys on msgid alone"
        if "msgid_plural" in entry:
            current = (entry["msgstr[0]"], entry["msgstr[1]"])
            wanted = plurals.get(entry["msgid"])
        else:
            current, wanted = entry["msgstr"], messages.get(entry["msgid"])
        if wanted != current:
            different.append((entry["msgid"], current, wanted))
        assert "fuzzy" not in entry["flags"]
    assert different == []


def test_the_parser_reads_what_gettext_compiled():
    """The .mo file is gettext's own reading of the .po file: the parser above agrees with it."""
    import gettext

    with PO_FILE.with_suffix(".mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in po_entries(PO_FILE):
        if "msgid_plural" in entry:
            assert (
                catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
            )
            assert (
                catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr[1]"]
            )
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"]


def test_topic_files_add_to_the_table_and_may_not_contradict_it(tmp_path):
    load_table = _load_script().load_table
    main, topics = tmp_path / "interface.json", tmp_path / "interface.d"
    topics.mkdir()
    main.write_text('{"messages": {"Yes": "Ja"}, "plurals": {}}')
    (topics / "a.json").write_text('{"messages": {"No": "Nee", "Yes": "Ja"}}')
    (topics / "b.json").write_text('{"plurals": {"%(n)s day": ["%(n)s dag", "%(n)s dagen"]}}')
    messages, plurals = load_table(main, topics)
    assert messages == {"Yes": "Ja", "No": "Nee"}
    assert plurals == {"%(n)s day": ("%(n)s dag", "%(n)s dagen")}
    (topics / "c.json").write_text('{"messages": {"Yes": "Jawel"}}')
    import pytest

    with pytest.raises(ValueError, match="translated twice"):
        load_table(main, topics)
