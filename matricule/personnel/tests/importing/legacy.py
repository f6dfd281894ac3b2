"""A messy legacy register written for the tests (not a real one).

What another HR system exports: 26 columns of which most mean nothing here, no
matricule but its own agent id, month-first dates (some ambiguous), two-digit years of
the 1930s, years alone, its own rank names and unit codes, a position column with
officers who left (with exit dates), and the same careers in a postings file (with
overlaps) and a yearly rank file.
"""

from __future__ import annotations

OFFICERS_HEADER = [
    "ID AGENT",
    "NOM",
    "PRENOMS",
    "SEXE",
    "DATE NAIS",
    "LIEU NAIS",
    "GRADE",
    "AFFECTATION",
    "DATE ENTREE",
    "POSITION",
    "DATE SORTIE",
    "MOTIF SORTIE",
    # What the other system kept and Matricule does not: ignored, said once.
    "RELIGION",
    "ETHNIE",
    "NOM DU PERE",
    "NOM DE LA MERE",
    "OBSERVATION",
    "CODE BANQUE",
    "N COMPTE",
    "TAILLE",
    "POIDS",
    "PERMIS",
    "ZONE",
    "CATEGORIE",
    "ECHELON",
    "INDICE",
]
EXTRA = ["Islam", "—", "X", "Y", "", "BDM", "000123", "1,75", "70", "B", "Z1", "B", "3", "250"]

# (id, name, given names, sex, birth, place, rank, unit, entry, position, exit date, reason)
OFFICERS = [
    # 2: month-first, settles the order (25 > 12).
    (
        "A-1001",
        "KEITA",
        "Moussa",
        "Masc",
        "12/25/1962",
        "Bamako",
        "BRIG-CHEF",
        "CIAT-1",
        "09/15/1985",
        "ACTIF",
        "",
        "",
    ),
    # 3: ambiguous dates, read month-first like the rest of the file; on leave.
    (
        "A-1002",
        "TRAORE",
        "Awa",
        "Fem",
        "03/04/1960",
        "Ségou",
        "GPX",
        "CIAT-2",
        "01/02/1982",
        "EN CONGE",
        "",
        "",
    ),
    # 4: a year alone; retired with an exit date.
    (
        "A-1003",
        "COULIBALY",
        "Seydou",
        "H",
        "1947",
        "Kayes",
        "INSP",
        "DRBKO",
        "06/30/1970",
        "RETRAITE",
        "07/01/2008",
        "RETRAITE",
    ),
    # 5: two-digit years of the 1930s; deceased.
    (
        "A-1004",
        "DIARRA",
        "Bakary",
        "Masc",
        "05/12/35",
        "Mopti",
        "GPX",
        "CIAT-1",
        "10/01/60",
        "DCD",
        "11/20/1990",
        "DECES",
    ),
    # 6: a unit the reference data lacks (created under a chosen parent).
    (
        "A-1005",
        "SANGARE",
        "Fatoumata",
        "Fem",
        "07/19/1975",
        "Sikasso",
        "SGT",
        "POSTE KATI",
        "02/01/2012",
        "ACTIF",
        "",
        "",
    ),
    # 7: past the retirement age of his corps and still « actif »: a warning.
    (
        "A-1006",
        "MAIGA",
        "Oumar",
        "Masc",
        "11/30/1955",
        "Gao",
        "BRIG-CHEF",
        "CIAT-2",
        "08/01/1978",
        "ACTIF",
        "",
        "",
    ),
    # 8, 9: a rank the reference data does not know (never invented): one error line.
    (
        "A-1007",
        "TOURE",
        "Ibrahim",
        "Masc",
        "02/28/1970",
        "Tombouctou",
        "GRADE-X",
        "CIAT-1",
        "03/01/1995",
        "ACTIF",
        "",
        "",
    ),
    (
        "A-1008",
        "TOURE",
        "Aminata",
        "Fem",
        "04/30/1972",
        "Kidal",
        "GRADE-X",
        "CIAT-2",
        "03/01/1995",
        "ACTIF",
        "",
        "",
    ),
    # 10: dismissed.
    (
        "A-1009",
        "DEMBELE",
        "Kadia",
        "F",
        "09/29/1980",
        "Koulikoro",
        "GPX",
        "CIAT-1",
        "04/15/2005",
        "REVOQUE",
        "03/31/2015",
        "REVOCATION",
    ),
    # 11: the same person as row 2 under another id: a probable duplicate, warned.
    (
        "A-1010",
        "KEITA",
        "Moussa",
        "Masc",
        "12/25/1962",
        "Bamako",
        "BRIG-CHEF",
        "CIAT-1",
        "09/15/1985",
        "ACTIF",
        "",
        "",
    ),
]

VALUE_MAP = [
    ("grade", "BRIG-CHEF", "BRC"),
    ("grade", "GPX", "GP"),
    ("grade", "INSP", "IP"),
    ("grade", "MAJOR", "MAJ"),
    ("unit", "CIAT-1", "BKO-CA01"),
    ("unit", "CIAT-2", "BKO-CA02"),
    ("unit", "DRBKO", "DR-BKO"),
]

POSTINGS_HEADER = ["ID AGENT", "NOM", "AFFECTATION", "DU", "AU", "OBSERVATION"]
POSTINGS = [
    # Keita: the entry posting again (unchanged), then an overlap (DRBKO starts before
    # CIAT-1 ends: CIAT-1 is closed the day before), then CIAT-2.
    ("A-1001", "KEITA", "CIAT-1", "09/15/1985", "12/31/1990", ""),
    ("A-1001", "KEITA", "DRBKO", "06/01/1990", "12/31/2000", "mutation"),
    ("A-1001", "KEITA", "CIAT-2", "01/01/2001", "", ""),
    # Traore: CIAT-2 since entry (unchanged), CIAT-1 from 1995.
    ("A-1002", "TRAORE", "CIAT-2", "01/02/1982", "03/14/1995", ""),
    ("A-1002", "TRAORE", "CIAT-1", "03/15/1995", "", ""),
    # An agent id nobody has: an error naming it.
    ("A-9999", "INCONNU", "CIAT-1", "01/01/2000", "", ""),
]

GRADES_HEADER = ["ID AGENT", "ANNEE", "GRADE", "DATE PROMOTION"]
GRADES = [
    *[("A-1001", str(year), "BRIG-CHEF", "") for year in range(1985, 1996)],
    ("A-1001", "1996", "MAJOR", "07/01/1996"),
    *[("A-1001", str(year), "MAJOR", "") for year in range(1997, 2006)],
    # Out of the corps' order (sous-officier to officier): a warning, not a refusal.
    *[("A-1001", str(year), "INSP", "") for year in range(2006, 2010)],
]


def officers_csv() -> bytes:
    lines = [";".join(OFFICERS_HEADER)]
    for row in OFFICERS:
        lines.append(";".join([*row, *EXTRA]))
    return "\r\n".join(lines).encode("cp1252")


def value_map_csv() -> bytes:
    return ("field,value,code\n" + "\n".join(",".join(r) for r in VALUE_MAP)).encode()


def postings_csv() -> bytes:
    return "\r\n".join(";".join(r) for r in [POSTINGS_HEADER, *POSTINGS]).encode()


def grades_csv() -> bytes:
    return "\r\n".join(",".join(r) for r in [GRADES_HEADER, *GRADES]).encode()
