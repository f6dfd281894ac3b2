"""Partner forces and organisations of Malian police operations (plain constants)."""

from __future__ import annotations

from typing import Final

# (code, name, short name, international)
PARTNER_AGENCIES: Final[list[tuple[str, str, str, bool]]] = [
    ("GN", "Gendarmerie nationale du Mali", "Gendarmerie nationale", False),
    ("GDN", "Garde nationale du Mali", "Garde nationale", False),
    ("FAMA", "Forces armées maliennes", "FAMa", False),
    ("PC", "Direction générale de la Protection civile", "Protection civile", False),
    ("DOUANES", "Direction générale des Douanes", "Douanes", False),
    (
        "UNPOL",
        "Police des Nations unies (UNPOL) — MINUSMA",
        "UNPOL / MINUSMA",
        True,
    ),
    ("EUCAP", "Mission EUCAP Sahel Mali", "EUCAP Sahel Mali", True),
    ("INTERPOL", "Bureau central national Interpol", "Interpol", True),
]
