"""Chinese is the first language: every string the code marks for translation must have its Chinese."""

import gettext
import subprocess
from pathlib import Path

import pytest

import weimin

PO = Path(weimin.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def po_entries(text: str):
    """(msgid, [msgstr…]) pairs of a .po file, multi-line strings joined."""
    entries, current, key = [], {}, None
    for line in text.splitlines() + [""]:
        line = line.strip()
        if not line:
            if current.get("msgid"):
                entries.append((current["msgid"], [v for k, v in current.items() if k.startswith("msgstr")]))
            current, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += line[1:-1]
        else:
            key, _, value = line.partition(" ")
            current[key] = value[1:-1]
    return entries


def test_every_message_has_a_chinese_translation():
    untranslated = [msgid for msgid, msgstrs in po_entries(PO.read_text()) if not all(msgstrs)]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    with PO.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [
        msgid
        for msgid, msgstrs in po_entries(PO.read_text())
        if msgid and compiled.gettext(msgid.replace('\\"', '"')) != msgstrs[0].replace('\\"', '"')
    ]
    assert stale == [], "run `make messages`"


@pytest.mark.skipif(subprocess.run(["which", "xgettext"], capture_output=True).returncode, reason="needs gettext")
def test_no_string_is_missing_from_the_catalogue(tmp_path):
    """makemessages finds no msgid that the committed catalogue lacks."""
    root = Path(weimin.__file__).parent
    sources = [str(p) for ext in ("py", "html") for p in root.rglob(f"*.{ext}") if "tests" not in p.parts]
    pot = tmp_path / "all.pot"
    subprocess.run(
        [
            "xgettext",
            "--from-code=UTF-8",
            "-o",
            str(pot),
            "--language=Python",
            "--keyword=_",
            "--keyword=gettext_lazy",
            "--keyword=gettext",
            *[s for s in sources if s.endswith(".py")],
        ],
        check=True,
    )
    known = {msgid for msgid, _ in po_entries(PO.read_text())}
    found = {msgid for msgid, _ in po_entries(pot.read_text()) if msgid}
    assert sorted(found - known) == []
