"""Reference data of the agencies beyond the Police nationale: the OCS, the ministry and the
corps the OCS draws its staff from (plain constants, like seed_data.py).

The origin corps (gendarmerie, national guard, customs, justice, health) are agencies whose
careers Matricule does not manage: their grade tables and the format of their service
numbers are kept so that the record of an officer seconded from them shows the grade in
their own ranks. Names and dates are plausible reconstructions, not a legal reference.
"""

from __future__ import annotations

from typing import Final

OriginAgencyRow = tuple[str, str, str, str, int, str, str]
"""(code, name, short_name, matricule_prefix, digits, service-number regex, example)"""

# kind: "career" (Matricule manages the careers), "host" (staffed by secondment),
# "origin" (a corps of origin, careers managed elsewhere) — core.models.AgencyKind.
AGENCY_KINDS: Final[dict[str, str]] = {"PN": "career", "OCS": "host", "MSPC": "career"}

ORIGIN_AGENCIES: Final[list[OriginAgencyRow]] = [
    (
        "GEND",
        "Gendarmerie nationale du Mali",
        "Gendarmerie",
        "GD",
        6,
        r"G\d{6}",
        "G014587",
    ),
    (
        "GARDE",
        "Garde nationale du Mali",
        "Garde nationale",
        "GR",
        6,
        r"GN\d{5}",
        "GN20431",
    ),
    (
        "DOUANES",
        "Direction générale des Douanes",
        "Douanes",
        "DD",
        6,
        r"D\d{5}",
        "D04871",
    ),
    ("JUSTICE", "Ministère de la Justice", "Justice", "JU", 6, r"\d{6}[A-Z]", "245871K"),
    ("SANTE", "Ministère de la Santé", "Santé", "SA", 6, r"\d{6}[A-Z]", "318204M"),
]

# Civil-service categories, besides the police's bands (EXEC… CDIR).
EXTRA_GRADE_BANDS: Final[list[tuple[str, str, int]]] = [
    ("CATC", "Fonctionnaires de catégorie C", 6),
    ("CATB", "Fonctionnaires de catégorie B", 7),
    ("CATA", "Fonctionnaires de catégorie A", 8),
    ("OGEN", "Officiers généraux", 9),
]

# (agency, code, name, retirement_age, order)
AGENCY_CORPS: Final[list[tuple[str, str, str, int, int]]] = [
    ("GEND", "SOG", "Sous-officiers de gendarmerie", 55, 1),
    ("GEND", "OFG", "Officiers de gendarmerie", 58, 2),
    ("GARDE", "MDR", "Militaires du rang de la garde", 50, 1),
    ("GARDE", "SOGN", "Sous-officiers de la garde", 55, 2),
    ("GARDE", "OFGN", "Officiers de la garde", 58, 3),
    ("DOUANES", "PRE", "Préposés des douanes", 58, 1),
    ("DOUANES", "CTR", "Contrôleurs des douanes", 60, 2),
    ("DOUANES", "INS", "Inspecteurs des douanes", 62, 3),
    ("JUSTICE", "SUR", "Surveillants de prison", 58, 1),
    ("JUSTICE", "GRF", "Greffiers", 62, 2),
    ("JUSTICE", "MAG", "Magistrats", 65, 3),
    ("SANTE", "TSA", "Techniciens de santé", 60, 1),
    ("SANTE", "TSS", "Techniciens supérieurs de santé", 62, 2),
    ("SANTE", "MED", "Médecins et pharmaciens", 65, 3),
    ("MSPC", "ADJ", "Adjoints d'administration", 60, 1),
    ("MSPC", "SAD", "Secrétaires d'administration", 62, 2),
    ("MSPC", "ADC", "Administrateurs civils", 62, 3),
]

# (agency, code, name, effective_from, effective_to) — dated grade tables.
AGENCY_STATUTES: Final[list[tuple[str, str, str, str, str | None]]] = [
    ("GEND", "SGM2002", "Statut général des militaires (2002)", "2002-01-01", None),
    ("GARDE", "SGM2002", "Statut général des militaires (2002)", "2002-01-01", None),
    ("DOUANES", "SPD2002", "Statut du personnel des douanes (2002)", "2002-01-01", None),
    ("JUSTICE", "SGF2002", "Statut général des fonctionnaires (2002)", "2002-01-01", None),
    ("SANTE", "SGF2002", "Statut général des fonctionnaires (2002)", "2002-01-01", None),
    ("MSPC", "SGF2002", "Statut général des fonctionnaires (2002)", "2002-01-01", None),
]

# agency -> [(code, name, corps, band, order)] in the statute of AGENCY_STATUTES.
AGENCY_GRADES: Final[dict[str, list[tuple[str, str, str, str, int]]]] = {
    "GEND": [
        ("MDL", "Maréchal des logis", "SOG", "SOFF", 1),
        ("MDC", "Maréchal des logis-chef", "SOG", "SOFF", 2),
        ("ADJ", "Adjudant", "SOG", "SOFF", 3),
        ("ADC", "Adjudant-chef", "SOG", "SOFF", 4),
        ("MAJ", "Major", "SOG", "SOFF", 5),
        ("SLT", "Sous-lieutenant", "OFG", "OSUB", 6),
        ("LTN", "Lieutenant", "OFG", "OSUB", 7),
        ("CNE", "Capitaine", "OFG", "OSUB", 8),
        ("CEN", "Chef d'escadron", "OFG", "OSUP", 9),
        ("LCL", "Lieutenant-colonel", "OFG", "OSUP", 10),
        ("COL", "Colonel", "OFG", "OSUP", 11),
        ("GBR", "Général de brigade", "OFG", "OGEN", 12),
    ],
    "GARDE": [
        ("G2C", "Garde de 2e classe", "MDR", "EXEC", 1),
        ("G1C", "Garde de 1re classe", "MDR", "EXEC", 2),
        ("CPL", "Caporal", "MDR", "EXEC", 3),
        ("CCH", "Caporal-chef", "MDR", "EXEC", 4),
        ("SGT", "Sergent", "SOGN", "SOFF", 5),
        ("SGC", "Sergent-chef", "SOGN", "SOFF", 6),
        ("ADJ", "Adjudant", "SOGN", "SOFF", 7),
        ("ADC", "Adjudant-chef", "SOGN", "SOFF", 8),
        ("SLT", "Sous-lieutenant", "OFGN", "OSUB", 9),
        ("LTN", "Lieutenant", "OFGN", "OSUB", 10),
        ("CNE", "Capitaine", "OFGN", "OSUB", 11),
        ("CDT", "Commandant", "OFGN", "OSUP", 12),
        ("LCL", "Lieutenant-colonel", "OFGN", "OSUP", 13),
        ("COL", "Colonel", "OFGN", "OSUP", 14),
    ],
    "DOUANES": [
        ("PRE", "Préposé des douanes", "PRE", "CATC", 1),
        ("PRC", "Préposé-chef des douanes", "PRE", "CATC", 2),
        ("CTR", "Contrôleur des douanes", "CTR", "CATB", 3),
        ("CTP", "Contrôleur principal des douanes", "CTR", "CATB", 4),
        ("INS", "Inspecteur des douanes", "INS", "CATA", 5),
        ("INP", "Inspecteur principal des douanes", "INS", "CATA", 6),
        ("ING", "Inspecteur général des douanes", "INS", "CATA", 7),
    ],
    "JUSTICE": [
        ("SUR", "Surveillant de prison", "SUR", "CATC", 1),
        ("SUC", "Surveillant-chef de prison", "SUR", "CATC", 2),
        ("GRF", "Greffier", "GRF", "CATB", 3),
        ("GRC", "Greffier en chef", "GRF", "CATA", 4),
        ("MG2", "Magistrat du second grade", "MAG", "CATA", 5),
        ("MG1", "Magistrat du premier grade", "MAG", "CATA", 6),
        ("MHH", "Magistrat hors hiérarchie", "MAG", "CATA", 7),
    ],
    "SANTE": [
        ("TSA", "Technicien de santé", "TSA", "CATC", 1),
        ("TSP", "Technicien de santé principal", "TSA", "CATC", 2),
        ("TSS", "Technicien supérieur de santé", "TSS", "CATB", 3),
        ("TSR", "Technicien supérieur de santé principal", "TSS", "CATB", 4),
        ("PHA", "Pharmacien", "MED", "CATA", 5),
        ("MED", "Médecin", "MED", "CATA", 6),
        ("MEC", "Médecin en chef", "MED", "CATA", 7),
    ],
    "MSPC": [
        ("AD2", "Adjoint d'administration de 2e classe", "ADJ", "CATC", 1),
        ("AD1", "Adjoint d'administration de 1re classe", "ADJ", "CATC", 2),
        ("ADP", "Adjoint d'administration principal", "ADJ", "CATC", 3),
        ("SA2", "Secrétaire d'administration de 2e classe", "SAD", "CATB", 4),
        ("SA1", "Secrétaire d'administration de 1re classe", "SAD", "CATB", 5),
        ("SAP", "Secrétaire d'administration principal", "SAD", "CATB", 6),
        ("AC3", "Administrateur civil de 3e classe", "ADC", "CATA", 7),
        ("AC2", "Administrateur civil de 2e classe", "ADC", "CATA", 8),
        ("AC1", "Administrateur civil de 1re classe", "ADC", "CATA", 9),
        ("ACE", "Administrateur civil de classe exceptionnelle", "ADC", "CATA", 10),
    ],
}

# Regional capitals with an OCS antenna (region code, town); Bamako has three antennas.
OCS_ANTENNA_TOWNS: Final[list[tuple[str, str]]] = [
    ("KAY", "Kayes"),
    ("KKR", "Koulikoro"),
    ("SIK", "Sikasso"),
    ("SEG", "Ségou"),
    ("MOP", "Mopti"),
    ("TBK", "Tombouctou"),
    ("GAO", "Gao"),
    ("KID", "Kidal"),
    ("MEN", "Ménaka"),
    ("TAO", "Taoudéni"),
    ("NIO", "Nioro du Sahel"),
    ("KIT", "Kita"),
    ("NAR", "Nara"),
    ("DIO", "Dioïla"),
    ("BOU", "Bougouni"),
    ("KOU", "Koutiala"),
    ("SAN", "San"),
    ("BAN", "Bandiagara"),
    ("DOU", "Douentza"),
]

# (agency, code, name, unit type, region, parent) — parents before children.
AGENCY_UNITS: Final[list[tuple[str, str, str, str, str | None, str | None]]] = [
    (
        "OCS",
        "OCS-DG",
        "Direction générale de l'Office central des stupéfiants",
        "direction",
        "BKO",
        None,
    ),
    ("OCS", "OCS-DOP", "Direction des opérations", "direction", "BKO", "OCS-DG"),
    ("OCS", "OCS-DAF", "Direction administrative et financière", "direction", "BKO", "OCS-DG"),
    ("OCS", "OCS-AIB", "Antenne de l'aéroport de Bamako-Sénou", "section", "BKO", "OCS-DOP"),
    ("OCS", "OCS-ANT-BRG", "Antenne de Bamako rive gauche", "section", "BKO", "OCS-DOP"),
    ("OCS", "OCS-ANT-BRD", "Antenne de Bamako rive droite", "section", "BKO", "OCS-DOP"),
    *[
        ("OCS", f"OCS-ANT-{region}", f"Antenne de {town}", "section", region, "OCS-DOP")
        for region, town in OCS_ANTENNA_TOWNS
    ],
    ("MSPC", "MSPC-CAB", "Cabinet du ministre", "direction", "BKO", None),
    ("MSPC", "MSPC-SG", "Secrétariat général", "direction", "BKO", "MSPC-CAB"),
    (
        "MSPC",
        "MSPC-IS",
        "Inspection des services de sécurité et de protection civile",
        "direction",
        "BKO",
        "MSPC-CAB",
    ),
    ("MSPC", "MSPC-DFM", "Direction des finances et du matériel", "direction", "BKO", "MSPC-SG"),
    ("MSPC", "MSPC-DRH", "Direction des ressources humaines", "direction", "BKO", "MSPC-SG"),
    (
        "MSPC",
        "MSPC-CPS",
        "Cellule de planification et de statistique",
        "direction",
        "BKO",
        "MSPC-SG",
    ),
]

# (agency, name, title): the authorities that sign the origin corps' acts.
AGENCY_SIGNATORIES: Final[list[tuple[str, str, str]]] = [
    ("GEND", "Chef d'état-major de la Gendarmerie nationale", "Chef d'état-major"),
    ("GARDE", "Chef d'état-major de la Garde nationale", "Chef d'état-major"),
    ("DOUANES", "Directeur général des Douanes", "Directeur général"),
    ("JUSTICE", "Ministre de la Justice, Garde des Sceaux", "Ministre"),
    ("SANTE", "Ministre de la Santé et du Développement social", "Ministre"),
]
