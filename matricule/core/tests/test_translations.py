"""The English catalogues stay usable after every merge: they parse, no message is defined
twice (GNU msgfmt refuses that; polib would silently keep one), and every placeholder of a
French message is in its English translation."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_has_each_message_once_with_its_placeholders(path):
    catalogue = polib.pofile(str(path))
    entries = [e for e in catalogue if not e.obsolete]
    counts = collections.Counter((e.msgctxt, e.msgid) for e in entries)
    assert [key for key, n in counts.items() if n > 1] == []
    for entry in entries:
        if not entry.msgstr:
            continue
        wanted = {m.group(0) for m in PLACEHOLDER.finditer(entry.msgid)}
        found = {m.group(0) for m in PLACEHOLDER.finditer(entry.msgstr)}
        assert wanted <= found, (entry.msgid, entry.msgstr)
