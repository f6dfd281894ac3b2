"""Reference data used to seed a fresh Matricule installation.

This module holds plain Python constants only (no Django imports), so it can be
imported by migrations, management commands and tests alike. The data describes
the Police nationale du Mali: agencies, the administrative regions (post-2023
territorial organisation), the unit tree of the Police nationale, corps, grade
bands, successive personnel statutes with their grades and the grade mappings
between them, skills, languages, document types, signatories and default
establishment (authorised posts) per unit type.

The data is realistic but illustrative: unit names, statute dates and grade
lists are plausible reconstructions, not an authoritative legal reference.
"""

from __future__ import annotations

from typing import Final

# ---------------------------------------------------------------------------
# Row shapes
# ---------------------------------------------------------------------------

AgencyRow = tuple[str, str, str, str, int]
"""(code, name, short_name, matricule_prefix, matricule_digits)"""

UnitRow = tuple[str, str, str, str | None, str | None]
"""(code, name, unit_type_code, region_code_or_None, parent_code_or_None)"""

StatuteRow = tuple[str, str, str, str | None]
"""(code, name, effective_from, effective_to) - ISO dates, end exclusive."""

GradeRow = tuple[str, str, str, str, int]
"""(code, name, corps_code, band_code, order) - order: 1 = lowest rank."""

GradeMappingRow = tuple[str, str, str, str]
"""(from_statute, from_grade_code, to_statute, to_grade_code)"""

SkillRow = tuple[str, str, str, int]
"""(code, name, category_code, max_level)"""

LanguageRow = tuple[str, str, bool]
"""(iso_code, name, is_national)"""

# ---------------------------------------------------------------------------
# Agencies
# ---------------------------------------------------------------------------

AGENCIES: Final[list[AgencyRow]] = [
    ("PN", "Police nationale du Mali", "Police nationale", "PN", 6),
    ("OCS", "Office central des stupéfiants", "OCS", "OCS", 5),
    ("MSPC", "Ministère de la Sécurité et de la Protection civile", "Ministère", "MS", 5),
]

# ---------------------------------------------------------------------------
# Regions (District de Bamako + the 19 regions of the 2023 organisation)
# ---------------------------------------------------------------------------

REGIONS: Final[list[tuple[str, str]]] = [
    ("BKO", "District de Bamako"),
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
    ("NIO", "Nioro"),
    ("KIT", "Kita"),
    ("NAR", "Nara"),
    ("DIO", "Dioïla"),
    ("BOU", "Bougouni"),
    ("KOU", "Koutiala"),
    ("SAN", "San"),
    ("BAN", "Bandiagara"),
    ("DOU", "Douentza"),
]

# ---------------------------------------------------------------------------
# Unit types
# ---------------------------------------------------------------------------

UNIT_TYPES: Final[list[tuple[str, str]]] = [
    ("direction", "Direction"),
    ("commissariat", "Commissariat"),
    ("brigade", "Brigade"),
    ("special", "Unité spéciale"),
    ("school", "École"),
    ("section", "Section"),
    ("post", "Poste de police"),
]

# ---------------------------------------------------------------------------
# Units of the Police nationale (agency "PN").
# Every parent appears before its children.
# ---------------------------------------------------------------------------

UNITS: Final[list[UnitRow]] = [
    # --- Direction générale -------------------------------------------------
    ("DGPN", "Direction générale de la Police nationale", "direction", "BKO", None),
    # --- Central directorates and their sections ----------------------------
    ("DSP", "Direction de la Sécurité publique", "direction", "BKO", "DGPN"),
    ("DSP-SPP", "Section de la police de proximité", "section", "BKO", "DSP"),
    ("DSP-SOP", "Section de l'ordre public", "section", "BKO", "DSP"),
    ("DSP-SSR", "Section de la circulation et de la sécurité routière", "section", "BKO", "DSP"),
    ("DPJ", "Direction de la Police judiciaire", "direction", "BKO", "DGPN"),
    ("DPJ-SEEF", "Section des enquêtes économiques et financières", "section", "BKO", "DPJ"),
    ("DPJ-SCRIM", "Section criminelle", "section", "BKO", "DPJ"),
    ("DPJ-SPTS", "Section de la police technique et scientifique", "section", "BKO", "DPJ"),
    ("DPJ-SCYBER", "Section de lutte contre la cybercriminalité", "section", "BKO", "DPJ"),
    (
        "DRGST",
        "Direction des Renseignements généraux et de la Surveillance du territoire",
        "direction",
        "BKO",
        "DGPN",
    ),
    ("DRGST-SRG", "Section des renseignements généraux", "section", "BKO", "DRGST"),
    ("DRGST-SST", "Section de la surveillance du territoire", "section", "BKO", "DRGST"),
    ("DRGST-SDA", "Section de la documentation et des archives", "section", "BKO", "DRGST"),
    ("DPF", "Direction de la Police des frontières", "direction", "BKO", "DGPN"),
    ("DPF-SAP", "Section des aéroports et des ports fluviaux", "section", "BKO", "DPF"),
    (
        "DPF-SMTP",
        "Section de la migration et de la lutte contre la traite des personnes",
        "section",
        "BKO",
        "DPF",
    ),
    ("DPF-SDV", "Section des documents de voyage", "section", "BKO", "DPF"),
    ("DRH", "Direction des Ressources humaines", "direction", "BKO", "DGPN"),
    ("DRH-SGC", "Section de la gestion des carrières", "section", "BKO", "DRH"),
    ("DRH-SFOR", "Section de la formation et des stages", "section", "BKO", "DRH"),
    ("DRH-SCD", "Section du contentieux et de la discipline", "section", "BKO", "DRH"),
    ("DRH-SAS", "Section de l'action sociale", "section", "BKO", "DRH"),
    ("DFM", "Direction des Finances et du Matériel", "direction", "BKO", "DGPN"),
    ("DFM-SBC", "Section du budget et de la comptabilité", "section", "BKO", "DFM"),
    ("DFM-SML", "Section du matériel et de la logistique", "section", "BKO", "DFM"),
    ("DFM-SHA", "Section de l'habillement et de l'armement", "section", "BKO", "DFM"),
    ("DTI", "Direction des Transmissions et de l'Informatique", "direction", "BKO", "DGPN"),
    ("DTI-STR", "Section des transmissions", "section", "BKO", "DTI"),
    ("DTI-SSI", "Section des systèmes d'information", "section", "BKO", "DTI"),
    ("DTI-SMT", "Section de la maintenance technique", "section", "BKO", "DTI"),
    ("IGS", "Inspection générale des services", "direction", "BKO", "DGPN"),
    ("IGS-SIA", "Section des inspections et audits", "section", "BKO", "IGS"),
    ("IGS-SEA", "Section des enquêtes administratives", "section", "BKO", "IGS"),
    # --- Border posts (Police des frontières) -------------------------------
    ("DPF-PF-KOUREMALE", "Poste de police frontière de Kourémalé", "post", "KKR", "DPF"),
    ("DPF-PF-DIBOLI", "Poste de police frontière de Diboli", "post", "KAY", "DPF"),
    ("DPF-PF-GOGUI", "Poste de police frontière de Gogui", "post", "NIO", "DPF"),
    ("DPF-PF-HEREMAKONO", "Poste de police frontière de Hérémakono", "post", "SIK", "DPF"),
    ("DPF-PF-ZEGOUA", "Poste de police frontière de Zégoua", "post", "SIK", "DPF"),
    ("DPF-PF-KOURY", "Poste de police frontière de Koury", "post", "KOU", "DPF"),
    ("DPF-PF-BENENA", "Poste de police frontière de Benena", "post", "SAN", "DPF"),
    ("DPF-PF-LABBEZANGA", "Poste de police frontière de Labbezanga", "post", "GAO", "DPF"),
    # --- Special units --------------------------------------------------------
    ("GMS", "Groupement mobile de sécurité", "special", "BKO", "DGPN"),
    ("GMS-1CIE", "1re compagnie du GMS", "special", "BKO", "GMS"),
    ("GMS-2CIE", "2e compagnie du GMS", "special", "BKO", "GMS"),
    ("GMS-3CIE", "3e compagnie du GMS", "special", "BKO", "GMS"),
    ("GMS-DET-GAO", "Détachement du GMS de Gao", "special", "GAO", "GMS"),
    ("BAC", "Brigade anti-criminalité", "brigade", "BKO", "DGPN"),
    ("BSI", "Brigade spéciale d'intervention", "special", "BKO", "DGPN"),
    ("GIPN", "Groupe d'intervention de la Police nationale", "special", "BKO", "DGPN"),
    ("FORSAT", "Force spéciale antiterroriste", "special", "BKO", "DGPN"),
    ("CCR", "Compagnie de circulation routière", "special", "BKO", "DGPN"),
    ("CCR-SMOTO", "Section motocycliste de la CCR", "section", "BKO", "CCR"),
    ("CCR-SCONST", "Section des constats d'accidents de la CCR", "section", "BKO", "CCR"),
    # --- Training -------------------------------------------------------------
    ("ENP", "École nationale de police", "school", "BKO", "DGPN"),
    ("ENP-SFI", "Section de la formation initiale", "section", "BKO", "ENP"),
    ("ENP-SFC", "Section de la formation continue et des spécialisations", "section", "BKO", "ENP"),
    # --- District de Bamako -------------------------------------------------
    (
        "DR-BKO",
        "Direction régionale de la Police du District de Bamako",
        "direction",
        "BKO",
        "DGPN",
    ),
    ("BKO-CA01", "Commissariat du 1er arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA02", "Commissariat du 2e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA03", "Commissariat du 3e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA04", "Commissariat du 4e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA05", "Commissariat du 5e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA06", "Commissariat du 6e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA07", "Commissariat du 7e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA08", "Commissariat du 8e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA09", "Commissariat du 9e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA10", "Commissariat du 10e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA11", "Commissariat du 11e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA12", "Commissariat du 12e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA13", "Commissariat du 13e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA14", "Commissariat du 14e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA15", "Commissariat du 15e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA16", "Commissariat du 16e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA17", "Commissariat du 17e arrondissement", "commissariat", "BKO", "DR-BKO"),
    ("BKO-CA01-BR", "Brigade de recherches du 1er arrondissement", "brigade", "BKO", "BKO-CA01"),
    ("BKO-CA03-BR", "Brigade de recherches du 3e arrondissement", "brigade", "BKO", "BKO-CA03"),
    ("BKO-CA04-BR", "Brigade de recherches du 4e arrondissement", "brigade", "BKO", "BKO-CA04"),
    ("BKO-CA07-BR", "Brigade de recherches du 7e arrondissement", "brigade", "BKO", "BKO-CA07"),
    ("BKO-CA10-BR", "Brigade de recherches du 10e arrondissement", "brigade", "BKO", "BKO-CA10"),
    ("BKO-CA14-BR", "Brigade de recherches du 14e arrondissement", "brigade", "BKO", "BKO-CA14"),
    (
        "BKO-CSAERO",
        "Commissariat spécial de l'aéroport international Président Modibo Keïta",
        "commissariat",
        "BKO",
        "DR-BKO",
    ),
    (
        "BKO-CSGARE",
        "Commissariat spécial de la gare routière de Sogoniko",
        "commissariat",
        "BKO",
        "DR-BKO",
    ),
    ("BKO-BFLUV", "Brigade fluviale du District de Bamako", "brigade", "BKO", "DR-BKO"),
    # --- Kayes ----------------------------------------------------------------
    ("DR-KAY", "Direction régionale de la Police de Kayes", "direction", "KAY", "DGPN"),
    ("KAY-CC", "Commissariat central de Kayes", "commissariat", "KAY", "DR-KAY"),
    ("KAY-CC-BR", "Brigade de recherches de Kayes", "brigade", "KAY", "KAY-CC"),
    ("KAY-CP-KENIEBA", "Commissariat de police de Kéniéba", "commissariat", "KAY", "DR-KAY"),
    ("KAY-CP-KENIEBA-BR", "Brigade de recherches de Kéniéba", "brigade", "KAY", "KAY-CP-KENIEBA"),
    ("KAY-CP-BAFOULABE", "Commissariat de police de Bafoulabé", "commissariat", "KAY", "DR-KAY"),
    ("KAY-CP-YELIMANE", "Commissariat de police de Yélimané", "commissariat", "KAY", "DR-KAY"),
    ("KAY-PP-SADIOLA", "Poste de police de Sadiola", "post", "KAY", "DR-KAY"),
    ("KAY-PP-AMBIDEDI", "Poste de police d'Ambidédi", "post", "KAY", "DR-KAY"),
    ("KAY-PP-DIAMOU", "Poste de police de Diamou", "post", "KAY", "DR-KAY"),
    # --- Koulikoro ------------------------------------------------------------
    ("DR-KKR", "Direction régionale de la Police de Koulikoro", "direction", "KKR", "DGPN"),
    ("KKR-CC", "Commissariat central de Koulikoro", "commissariat", "KKR", "DR-KKR"),
    ("KKR-CC-BR", "Brigade de recherches de Koulikoro", "brigade", "KKR", "KKR-CC"),
    ("KKR-CP-KATI", "Commissariat de police de Kati", "commissariat", "KKR", "DR-KKR"),
    ("KKR-CP-KATI-BR", "Brigade de recherches de Kati", "brigade", "KKR", "KKR-CP-KATI"),
    ("KKR-CP-KANGABA", "Commissariat de police de Kangaba", "commissariat", "KKR", "DR-KKR"),
    ("KKR-CP-KOLOKANI", "Commissariat de police de Kolokani", "commissariat", "KKR", "DR-KKR"),
    ("KKR-CP-BANAMBA", "Commissariat de police de Banamba", "commissariat", "KKR", "DR-KKR"),
    ("KKR-PP-NEGUELA", "Poste de police de Néguéla", "post", "KKR", "DR-KKR"),
    ("KKR-PP-SIBY", "Poste de police de Siby", "post", "KKR", "DR-KKR"),
    # --- Sikasso --------------------------------------------------------------
    ("DR-SIK", "Direction régionale de la Police de Sikasso", "direction", "SIK", "DGPN"),
    ("SIK-CC", "Commissariat central de Sikasso", "commissariat", "SIK", "DR-SIK"),
    ("SIK-CC-BR", "Brigade de recherches de Sikasso", "brigade", "SIK", "SIK-CC"),
    (
        "SIK-CA01",
        "Commissariat du 1er arrondissement de Sikasso",
        "commissariat",
        "SIK",
        "DR-SIK",
    ),
    ("SIK-CA02", "Commissariat du 2e arrondissement de Sikasso", "commissariat", "SIK", "DR-SIK"),
    ("SIK-CP-KADIOLO", "Commissariat de police de Kadiolo", "commissariat", "SIK", "DR-SIK"),
    ("SIK-CP-NIENA", "Commissariat de police de Niéna", "commissariat", "SIK", "DR-SIK"),
    ("SIK-CP-LOULOUNI", "Commissariat de police de Loulouni", "commissariat", "SIK", "DR-SIK"),
    ("SIK-PP-KLELA", "Poste de police de Kléla", "post", "SIK", "DR-SIK"),
    ("SIK-PP-LOBOUGOULA", "Poste de police de Lobougoula", "post", "SIK", "DR-SIK"),
    # --- Ségou ----------------------------------------------------------------
    ("DR-SEG", "Direction régionale de la Police de Ségou", "direction", "SEG", "DGPN"),
    ("SEG-CC", "Commissariat central de Ségou", "commissariat", "SEG", "DR-SEG"),
    ("SEG-CC-BR", "Brigade de recherches de Ségou", "brigade", "SEG", "SEG-CC"),
    ("SEG-CA01", "Commissariat du 1er arrondissement de Ségou", "commissariat", "SEG", "DR-SEG"),
    ("SEG-CA02", "Commissariat du 2e arrondissement de Ségou", "commissariat", "SEG", "DR-SEG"),
    ("SEG-CP-NIONO", "Commissariat de police de Niono", "commissariat", "SEG", "DR-SEG"),
    ("SEG-CP-MARKALA", "Commissariat de police de Markala", "commissariat", "SEG", "DR-SEG"),
    ("SEG-CP-MACINA", "Commissariat de police de Macina", "commissariat", "SEG", "DR-SEG"),
    ("SEG-CP-BAROUELI", "Commissariat de police de Barouéli", "commissariat", "SEG", "DR-SEG"),
    ("SEG-CP-BLA", "Commissariat de police de Bla", "commissariat", "SEG", "DR-SEG"),
    ("SEG-PP-DIABALY", "Poste de police de Diabaly", "post", "SEG", "DR-SEG"),
    # --- Mopti ----------------------------------------------------------------
    ("DR-MOP", "Direction régionale de la Police de Mopti", "direction", "MOP", "DGPN"),
    ("MOP-CC", "Commissariat central de Mopti", "commissariat", "MOP", "DR-MOP"),
    ("MOP-CC-BR", "Brigade de recherches de Mopti", "brigade", "MOP", "MOP-CC"),
    ("MOP-CP-SEVARE", "Commissariat de police de Sévaré", "commissariat", "MOP", "DR-MOP"),
    ("MOP-CP-SEVARE-BR", "Brigade de recherches de Sévaré", "brigade", "MOP", "MOP-CP-SEVARE"),
    ("MOP-CP-DJENNE", "Commissariat de police de Djenné", "commissariat", "MOP", "DR-MOP"),
    ("MOP-CP-TENENKOU", "Commissariat de police de Ténenkou", "commissariat", "MOP", "DR-MOP"),
    ("MOP-CP-YOUWAROU", "Commissariat de police de Youwarou", "commissariat", "MOP", "DR-MOP"),
    ("MOP-PP-KONNA", "Poste de police de Konna", "post", "MOP", "DR-MOP"),
    # --- Tombouctou -----------------------------------------------------------
    ("DR-TBK", "Direction régionale de la Police de Tombouctou", "direction", "TBK", "DGPN"),
    ("TBK-CC", "Commissariat central de Tombouctou", "commissariat", "TBK", "DR-TBK"),
    ("TBK-CC-BR", "Brigade de recherches de Tombouctou", "brigade", "TBK", "TBK-CC"),
    ("TBK-CP-DIRE", "Commissariat de police de Diré", "commissariat", "TBK", "DR-TBK"),
    ("TBK-CP-GOUNDAM", "Commissariat de police de Goundam", "commissariat", "TBK", "DR-TBK"),
    ("TBK-CP-NIAFUNKE", "Commissariat de police de Niafunké", "commissariat", "TBK", "DR-TBK"),
    ("TBK-PP-RHAROUS", "Poste de police de Gourma-Rharous", "post", "TBK", "DR-TBK"),
    # --- Gao ------------------------------------------------------------------
    ("DR-GAO", "Direction régionale de la Police de Gao", "direction", "GAO", "DGPN"),
    ("GAO-CC", "Commissariat central de Gao", "commissariat", "GAO", "DR-GAO"),
    ("GAO-CC-BR", "Brigade de recherches de Gao", "brigade", "GAO", "GAO-CC"),
    ("GAO-CP-ANSONGO", "Commissariat de police d'Ansongo", "commissariat", "GAO", "DR-GAO"),
    ("GAO-CP-BOUREM", "Commissariat de police de Bourem", "commissariat", "GAO", "DR-GAO"),
    ("GAO-PP-TESSIT", "Poste de police de Tessit", "post", "GAO", "DR-GAO"),
    # --- Kidal ----------------------------------------------------------------
    ("DR-KID", "Direction régionale de la Police de Kidal", "direction", "KID", "DGPN"),
    ("KID-CC", "Commissariat central de Kidal", "commissariat", "KID", "DR-KID"),
    ("KID-CP-TESSALIT", "Commissariat de police de Tessalit", "commissariat", "KID", "DR-KID"),
    ("KID-PP-AGUELHOK", "Poste de police d'Aguelhok", "post", "KID", "DR-KID"),
    ("KID-PP-ANEFIS", "Poste de police d'Anéfis", "post", "KID", "DR-KID"),
    # --- Ménaka ---------------------------------------------------------------
    ("DR-MEN", "Direction régionale de la Police de Ménaka", "direction", "MEN", "DGPN"),
    ("MEN-CC", "Commissariat central de Ménaka", "commissariat", "MEN", "DR-MEN"),
    ("MEN-PP-ANDERAMBK", "Poste de police d'Andéramboukane", "post", "MEN", "DR-MEN"),
    ("MEN-PP-INEKAR", "Poste de police d'Inékar", "post", "MEN", "DR-MEN"),
    # --- Taoudéni -------------------------------------------------------------
    ("DR-TAO", "Direction régionale de la Police de Taoudéni", "direction", "TAO", "DGPN"),
    ("TAO-CC", "Commissariat central de Taoudéni", "commissariat", "TAO", "DR-TAO"),
    ("TAO-PP-ARAOUANE", "Poste de police d'Araouane", "post", "TAO", "DR-TAO"),
    ("TAO-PP-BOUJBEHA", "Poste de police de Boujbéha", "post", "TAO", "DR-TAO"),
    # --- Nioro ----------------------------------------------------------------
    ("DR-NIO", "Direction régionale de la Police de Nioro", "direction", "NIO", "DGPN"),
    ("NIO-CC", "Commissariat central de Nioro du Sahel", "commissariat", "NIO", "DR-NIO"),
    ("NIO-CC-BR", "Brigade de recherches de Nioro du Sahel", "brigade", "NIO", "NIO-CC"),
    ("NIO-CP-DIEMA", "Commissariat de police de Diéma", "commissariat", "NIO", "DR-NIO"),
    ("NIO-PP-TROUNGOUMBE", "Poste de police de Troungoumbé", "post", "NIO", "DR-NIO"),
    ("NIO-PP-SANDARE", "Poste de police de Sandaré", "post", "NIO", "DR-NIO"),
    # --- Kita -----------------------------------------------------------------
    ("DR-KIT", "Direction régionale de la Police de Kita", "direction", "KIT", "DGPN"),
    ("KIT-CC", "Commissariat central de Kita", "commissariat", "KIT", "DR-KIT"),
    ("KIT-CC-BR", "Brigade de recherches de Kita", "brigade", "KIT", "KIT-CC"),
    ("KIT-CP-SAGABARI", "Commissariat de police de Sagabari", "commissariat", "KIT", "DR-KIT"),
    ("KIT-PP-TOUKOTO", "Poste de police de Toukoto", "post", "KIT", "DR-KIT"),
    ("KIT-PP-SEFETO", "Poste de police de Séféto", "post", "KIT", "DR-KIT"),
    # --- Nara -----------------------------------------------------------------
    ("DR-NAR", "Direction régionale de la Police de Nara", "direction", "NAR", "DGPN"),
    ("NAR-CC", "Commissariat central de Nara", "commissariat", "NAR", "DR-NAR"),
    ("NAR-PP-MOURDIAH", "Poste de police de Mourdiah", "post", "NAR", "DR-NAR"),
    ("NAR-PP-DILLY", "Poste de police de Dilly", "post", "NAR", "DR-NAR"),
    ("NAR-PP-BALLE", "Poste de police de Ballé", "post", "NAR", "DR-NAR"),
    # --- Dioïla ---------------------------------------------------------------
    ("DR-DIO", "Direction régionale de la Police de Dioïla", "direction", "DIO", "DGPN"),
    ("DIO-CC", "Commissariat central de Dioïla", "commissariat", "DIO", "DR-DIO"),
    ("DIO-CP-FANA", "Commissariat de police de Fana", "commissariat", "DIO", "DR-DIO"),
    ("DIO-CP-FANA-BR", "Brigade de recherches de Fana", "brigade", "DIO", "DIO-CP-FANA"),
    ("DIO-CP-BELEKO", "Commissariat de police de Béléko", "commissariat", "DIO", "DR-DIO"),
    ("DIO-PP-MASSIGUI", "Poste de police de Massigui", "post", "DIO", "DR-DIO"),
    ("DIO-PP-BANCO", "Poste de police de Banco", "post", "DIO", "DR-DIO"),
    # --- Bougouni -------------------------------------------------------------
    ("DR-BOU", "Direction régionale de la Police de Bougouni", "direction", "BOU", "DGPN"),
    ("BOU-CC", "Commissariat central de Bougouni", "commissariat", "BOU", "DR-BOU"),
    ("BOU-CC-BR", "Brigade de recherches de Bougouni", "brigade", "BOU", "BOU-CC"),
    ("BOU-CP-YANFOLILA", "Commissariat de police de Yanfolila", "commissariat", "BOU", "DR-BOU"),
    ("BOU-CP-KOLONDIEBA", "Commissariat de police de Kolondiéba", "commissariat", "BOU", "DR-BOU"),
    ("BOU-PP-KOUMANTOU", "Poste de police de Koumantou", "post", "BOU", "DR-BOU"),
    ("BOU-PP-GARALO", "Poste de police de Garalo", "post", "BOU", "DR-BOU"),
    # --- Koutiala -------------------------------------------------------------
    ("DR-KOU", "Direction régionale de la Police de Koutiala", "direction", "KOU", "DGPN"),
    ("KOU-CC", "Commissariat central de Koutiala", "commissariat", "KOU", "DR-KOU"),
    ("KOU-CC-BR", "Brigade de recherches de Koutiala", "brigade", "KOU", "KOU-CC"),
    ("KOU-CP-YOROSSO", "Commissariat de police de Yorosso", "commissariat", "KOU", "DR-KOU"),
    ("KOU-CP-MPESSOBA", "Commissariat de police de M'Pessoba", "commissariat", "KOU", "DR-KOU"),
    ("KOU-PP-MOLOBALA", "Poste de police de Molobala", "post", "KOU", "DR-KOU"),
    # --- San ------------------------------------------------------------------
    ("DR-SAN", "Direction régionale de la Police de San", "direction", "SAN", "DGPN"),
    ("SAN-CC", "Commissariat central de San", "commissariat", "SAN", "DR-SAN"),
    ("SAN-CC-BR", "Brigade de recherches de San", "brigade", "SAN", "SAN-CC"),
    ("SAN-CP-TOMINIAN", "Commissariat de police de Tominian", "commissariat", "SAN", "DR-SAN"),
    ("SAN-PP-YANGASSO", "Poste de police de Yangasso", "post", "SAN", "DR-SAN"),
    ("SAN-PP-KIMPARANA", "Poste de police de Kimparana", "post", "SAN", "DR-SAN"),
    # --- Bandiagara -----------------------------------------------------------
    ("DR-BAN", "Direction régionale de la Police de Bandiagara", "direction", "BAN", "DGPN"),
    ("BAN-CC", "Commissariat central de Bandiagara", "commissariat", "BAN", "DR-BAN"),
    ("BAN-CP-BANKASS", "Commissariat de police de Bankass", "commissariat", "BAN", "DR-BAN"),
    ("BAN-CP-KORO", "Commissariat de police de Koro", "commissariat", "BAN", "DR-BAN"),
    ("BAN-PP-SANGHA", "Poste de police de Sangha", "post", "BAN", "DR-BAN"),
    # --- Douentza -------------------------------------------------------------
    ("DR-DOU", "Direction régionale de la Police de Douentza", "direction", "DOU", "DGPN"),
    ("DOU-CC", "Commissariat central de Douentza", "commissariat", "DOU", "DR-DOU"),
    ("DOU-PP-BONI", "Poste de police de Boni", "post", "DOU", "DR-DOU"),
    ("DOU-PP-HOMBORI", "Poste de police de Hombori", "post", "DOU", "DR-DOU"),
    ("DOU-PP-BORE", "Poste de police de Boré", "post", "DOU", "DR-DOU"),
]

# ---------------------------------------------------------------------------
# Corps and grade bands
# ---------------------------------------------------------------------------

CORPS: Final[list[tuple[str, str, int, int]]] = [
    # (code, name, retirement_age, order)
    ("GP", "Gardiens de la paix", 61, 1),
    ("SO", "Sous-officiers", 61, 2),
    ("OF", "Officiers", 62, 3),
    ("CO", "Commissaires", 65, 4),
]

GRADE_BANDS: Final[list[tuple[str, str, int]]] = [
    # (code, name, order)
    ("EXEC", "Agents d'exécution", 1),
    ("SOFF", "Sous-officiers", 2),
    ("OSUB", "Officiers subalternes", 3),
    ("OSUP", "Officiers supérieurs", 4),
    ("CDIR", "Commissaires et corps de direction", 5),
]

# ---------------------------------------------------------------------------
# Statutes, grades and grade mappings
#
# NOTE: the statute dates and grade lists below are a plausible reconstruction
# of the evolution of the Police nationale personnel statute (civilian-style
# grades in 2002, progressive adoption of military-style grades afterwards).
# They are not historically exact and must not be used as a legal reference.
# ---------------------------------------------------------------------------

STATUTES: Final[list[StatuteRow]] = [
    # (code, name, effective_from, effective_to) - effective_to is exclusive.
    ("S2002", "Statut de 2002 (et régimes antérieurs)", "1960-01-01", "2010-01-01"),
    ("S2010", "Statut de 2010", "2010-01-01", "2018-01-01"),
    ("S2018", "Statut de 2018", "2018-01-01", "2021-01-01"),
    ("S2021", "Statut de 2021", "2021-01-01", "2023-01-01"),
    ("S2023", "Statut de 2023", "2023-01-01", None),
]

GRADES: Final[dict[str, list[GradeRow]]] = {
    # Civilian-style grades (gardiens, brigadiers, inspecteurs, officiers de paix).
    "S2002": [
        ("GP", "Gardien de la paix", "GP", "EXEC", 1),
        ("SBR", "Sous-brigadier", "GP", "EXEC", 2),
        ("BRG", "Brigadier", "SO", "SOFF", 3),
        ("BRC", "Brigadier-chef", "SO", "SOFF", 4),
        ("MAJ", "Major", "SO", "SOFF", 5),
        ("IP", "Inspecteur de police", "OF", "OSUB", 6),
        ("IPP", "Inspecteur principal de police", "OF", "OSUB", 7),
        ("OP", "Officier de paix", "OF", "OSUB", 8),
        ("OPP", "Officier de paix principal", "OF", "OSUP", 9),
        ("CP", "Commissaire de police", "CO", "CDIR", 10),
        ("CPP", "Commissaire principal de police", "CO", "CDIR", 11),
        ("CDV", "Commissaire divisionnaire", "CO", "CDIR", 12),
        ("CGL", "Contrôleur général", "CO", "CDIR", 13),
        ("IGL", "Inspecteur général", "CO", "CDIR", 14),
    ],
    # First military-style grade scale (no Major, no Sous-lieutenant yet).
    "S2010": [
        ("GP", "Gardien de la paix", "GP", "EXEC", 1),
        ("SGT", "Sergent", "SO", "SOFF", 2),
        ("SGC", "Sergent-chef", "SO", "SOFF", 3),
        ("ADJ", "Adjudant", "SO", "SOFF", 4),
        ("ADC", "Adjudant-chef", "SO", "SOFF", 5),
        ("LTN", "Lieutenant", "OF", "OSUB", 6),
        ("CNE", "Capitaine", "OF", "OSUB", 7),
        ("CDT", "Commandant", "OF", "OSUP", 8),
        ("COM", "Commissaire", "CO", "CDIR", 9),
        ("CPL", "Commissaire principal", "CO", "CDIR", 10),
        ("CDV", "Commissaire divisionnaire", "CO", "CDIR", 11),
        ("CGL", "Contrôleur général", "CO", "CDIR", 12),
        ("IGL", "Inspecteur général", "CO", "CDIR", 13),
    ],
    # Adds Major and Commandant-major.
    "S2018": [
        ("GP", "Gardien de la paix", "GP", "EXEC", 1),
        ("SGT", "Sergent", "SO", "SOFF", 2),
        ("SGC", "Sergent-chef", "SO", "SOFF", 3),
        ("ADJ", "Adjudant", "SO", "SOFF", 4),
        ("ADC", "Adjudant-chef", "SO", "SOFF", 5),
        ("MAJ", "Major", "SO", "SOFF", 6),
        ("LTN", "Lieutenant", "OF", "OSUB", 7),
        ("CNE", "Capitaine", "OF", "OSUB", 8),
        ("CDT", "Commandant", "OF", "OSUP", 9),
        ("CDM", "Commandant-major", "OF", "OSUP", 10),
        ("COM", "Commissaire", "CO", "CDIR", 11),
        ("CPL", "Commissaire principal", "CO", "CDIR", 12),
        ("CDV", "Commissaire divisionnaire", "CO", "CDIR", 13),
        ("CGL", "Contrôleur général", "CO", "CDIR", 14),
        ("IGL", "Inspecteur général", "CO", "CDIR", 15),
    ],
    # Adds Sous-lieutenant.
    "S2021": [
        ("GP", "Gardien de la paix", "GP", "EXEC", 1),
        ("SGT", "Sergent", "SO", "SOFF", 2),
        ("SGC", "Sergent-chef", "SO", "SOFF", 3),
        ("ADJ", "Adjudant", "SO", "SOFF", 4),
        ("ADC", "Adjudant-chef", "SO", "SOFF", 5),
        ("MAJ", "Major", "SO", "SOFF", 6),
        ("SLT", "Sous-lieutenant", "OF", "OSUB", 7),
        ("LTN", "Lieutenant", "OF", "OSUB", 8),
        ("CNE", "Capitaine", "OF", "OSUB", 9),
        ("CDT", "Commandant", "OF", "OSUP", 10),
        ("CDM", "Commandant-major", "OF", "OSUP", 11),
        ("COM", "Commissaire", "CO", "CDIR", 12),
        ("CPL", "Commissaire principal", "CO", "CDIR", 13),
        ("CDV", "Commissaire divisionnaire", "CO", "CDIR", 14),
        ("CGL", "Contrôleur général", "CO", "CDIR", 15),
        ("IGL", "Inspecteur général", "CO", "CDIR", 16),
    ],
    # Current statute: adds Gardien de la paix principal.
    "S2023": [
        ("GP", "Gardien de la paix", "GP", "EXEC", 1),
        ("GPP", "Gardien de la paix principal", "GP", "EXEC", 2),
        ("SGT", "Sergent", "SO", "SOFF", 3),
        ("SGC", "Sergent-chef", "SO", "SOFF", 4),
        ("ADJ", "Adjudant", "SO", "SOFF", 5),
        ("ADC", "Adjudant-chef", "SO", "SOFF", 6),
        ("MAJ", "Major", "SO", "SOFF", 7),
        ("SLT", "Sous-lieutenant", "OF", "OSUB", 8),
        ("LTN", "Lieutenant", "OF", "OSUB", 9),
        ("CNE", "Capitaine", "OF", "OSUB", 10),
        ("CDT", "Commandant", "OF", "OSUP", 11),
        ("CDM", "Commandant-major", "OF", "OSUP", 12),
        ("COM", "Commissaire", "CO", "CDIR", 13),
        ("CPL", "Commissaire principal", "CO", "CDIR", 14),
        ("CDV", "Commissaire divisionnaire", "CO", "CDIR", 15),
        ("CGL", "Contrôleur général", "CO", "CDIR", 16),
        ("IGL", "Inspecteur général", "CO", "CDIR", 17),
    ],
}

# Each grade of every non-final statute is mapped exactly once to a grade of
# the next statute (several old grades may converge on the same new grade).
GRADE_MAPPINGS: Final[list[GradeMappingRow]] = [
    # 2002 -> 2010: civilian grades converted to the military-style scale.
    ("S2002", "GP", "S2010", "GP"),
    ("S2002", "SBR", "S2010", "SGT"),
    ("S2002", "BRG", "S2010", "SGC"),
    ("S2002", "BRC", "S2010", "ADJ"),
    ("S2002", "MAJ", "S2010", "ADC"),
    ("S2002", "IP", "S2010", "LTN"),
    ("S2002", "IPP", "S2010", "CNE"),
    ("S2002", "OP", "S2010", "CNE"),
    ("S2002", "OPP", "S2010", "CDT"),
    ("S2002", "CP", "S2010", "COM"),
    ("S2002", "CPP", "S2010", "CPL"),
    ("S2002", "CDV", "S2010", "CDV"),
    ("S2002", "CGL", "S2010", "CGL"),
    ("S2002", "IGL", "S2010", "IGL"),
    # 2010 -> 2018: one-to-one.
    ("S2010", "GP", "S2018", "GP"),
    ("S2010", "SGT", "S2018", "SGT"),
    ("S2010", "SGC", "S2018", "SGC"),
    ("S2010", "ADJ", "S2018", "ADJ"),
    ("S2010", "ADC", "S2018", "ADC"),
    ("S2010", "LTN", "S2018", "LTN"),
    ("S2010", "CNE", "S2018", "CNE"),
    ("S2010", "CDT", "S2018", "CDT"),
    ("S2010", "COM", "S2018", "COM"),
    ("S2010", "CPL", "S2018", "CPL"),
    ("S2010", "CDV", "S2018", "CDV"),
    ("S2010", "CGL", "S2018", "CGL"),
    ("S2010", "IGL", "S2018", "IGL"),
    # 2018 -> 2021: one-to-one.
    ("S2018", "GP", "S2021", "GP"),
    ("S2018", "SGT", "S2021", "SGT"),
    ("S2018", "SGC", "S2021", "SGC"),
    ("S2018", "ADJ", "S2021", "ADJ"),
    ("S2018", "ADC", "S2021", "ADC"),
    ("S2018", "MAJ", "S2021", "MAJ"),
    ("S2018", "LTN", "S2021", "LTN"),
    ("S2018", "CNE", "S2021", "CNE"),
    ("S2018", "CDT", "S2021", "CDT"),
    ("S2018", "CDM", "S2021", "CDM"),
    ("S2018", "COM", "S2021", "COM"),
    ("S2018", "CPL", "S2021", "CPL"),
    ("S2018", "CDV", "S2021", "CDV"),
    ("S2018", "CGL", "S2021", "CGL"),
    ("S2018", "IGL", "S2021", "IGL"),
    # 2021 -> 2023: one-to-one.
    ("S2021", "GP", "S2023", "GP"),
    ("S2021", "SGT", "S2023", "SGT"),
    ("S2021", "SGC", "S2023", "SGC"),
    ("S2021", "ADJ", "S2023", "ADJ"),
    ("S2021", "ADC", "S2023", "ADC"),
    ("S2021", "MAJ", "S2023", "MAJ"),
    ("S2021", "SLT", "S2023", "SLT"),
    ("S2021", "LTN", "S2023", "LTN"),
    ("S2021", "CNE", "S2023", "CNE"),
    ("S2021", "CDT", "S2023", "CDT"),
    ("S2021", "CDM", "S2023", "CDM"),
    ("S2021", "COM", "S2023", "COM"),
    ("S2021", "CPL", "S2023", "CPL"),
    ("S2021", "CDV", "S2023", "CDV"),
    ("S2021", "CGL", "S2023", "CGL"),
    ("S2021", "IGL", "S2023", "IGL"),
]

# ---------------------------------------------------------------------------
# Skills
# ---------------------------------------------------------------------------

SKILL_CATEGORIES: Final[list[tuple[str, str]]] = [
    ("languages", "Langues"),
    ("driving", "Permis de conduire"),
    ("firearms", "Armement et tir"),
    ("specialties", "Spécialités"),
]

# Spoken languages themselves are recorded through LANGUAGES; the "languages"
# category only holds language-related professional skills.
SKILLS: Final[list[SkillRow]] = [
    # Languages
    ("interpretation", "Interprétariat judiciaire", "languages", 3),
    ("sign_language", "Langue des signes", "languages", 3),
    # Driving licences (held or not held)
    ("licence_a", "Permis A (motocyclettes)", "driving", 1),
    ("licence_b", "Permis B (véhicules légers)", "driving", 1),
    ("licence_c", "Permis C (poids lourds)", "driving", 1),
    ("licence_d", "Permis D (transport en commun)", "driving", 1),
    ("licence_e", "Permis E (véhicules avec remorque)", "driving", 1),
    # Firearms
    ("pistol", "Tir au pistolet automatique", "firearms", 3),
    ("rifle", "Tir au fusil d'assaut", "firearms", 3),
    ("smg", "Tir au pistolet-mitrailleur", "firearms", 3),
    ("less_lethal", "Armes à létalité réduite et grenades lacrymogènes", "firearms", 3),
    # Specialties
    ("forensics", "Police technique et scientifique", "specialties", 5),
    ("cybercrime", "Lutte contre la cybercriminalité", "specialties", 5),
    ("negotiation", "Négociation de crise", "specialties", 3),
    ("counter_terrorism", "Lutte antiterroriste", "specialties", 5),
    ("public_order", "Maintien de l'ordre", "specialties", 3),
    ("investigation", "Enquête judiciaire", "specialties", 5),
    ("first_aid", "Premiers secours", "specialties", 3),
    ("intelligence", "Renseignement", "specialties", 5),
    ("community_policing", "Police de proximité", "specialties", 3),
    ("gbv", "Prise en charge des violences basées sur le genre", "specialties", 3),
    ("child_protection", "Protection de l'enfance", "specialties", 3),
    ("narcotics", "Lutte contre les stupéfiants", "specialties", 5),
    ("border_control", "Contrôle aux frontières et fraude documentaire", "specialties", 3),
    ("road_safety", "Police de la circulation et sécurité routière", "specialties", 3),
    ("close_protection", "Protection rapprochée", "specialties", 5),
    ("economic_crime", "Enquêtes économiques et financières", "specialties", 5),
    ("k9", "Maître-chien (brigade cynophile)", "specialties", 3),
    ("radio", "Transmissions et radiocommunications", "specialties", 3),
]

# ---------------------------------------------------------------------------
# Languages
#
# Codes are ISO 639-1 where one exists, ISO 639-3 otherwise. Where a national
# language is a cluster of varieties without a single code (Bozo, Dogon,
# Senufo, Maninka, Songhay), the code of a representative variety is used.
# The 13 national languages are those recognised by decree 96-049; the 2023
# Constitution made them official languages, French being the working language.
# ---------------------------------------------------------------------------

LANGUAGES: Final[list[LanguageRow]] = [
    ("fr", "Français", False),
    ("bm", "Bamanankan (bambara)", True),
    ("ff", "Fulfulde (peul)", True),
    ("ses", "Songhay (sonrhaï)", True),  # Koyraboro Senni, variety of Gao
    ("tmh", "Tamasheq (tamacheq)", True),  # macrolanguage code
    ("snk", "Soninké", True),
    ("kao", "Xaasongaxanno (khassonké)", True),
    ("myk", "Mamara (minyanka)", True),  # Mamara Senoufo
    ("shz", "Syenara (sénoufo)", True),  # Syenara Senoufo
    ("bze", "Bozo", True),  # Jenaama Bozo, the most widely spoken variety
    ("dts", "Dogoso (dogon)", True),  # Toro So Dogon, representative variety
    ("mey", "Hassaniya", True),
    ("bmq", "Bomu (bobo)", True),
    ("mwk", "Maninkakan (malinké)", True),  # Kita Maninkakan
    ("ar", "Arabe", False),
    ("en", "Anglais", False),
]

# ---------------------------------------------------------------------------
# Document types
# ---------------------------------------------------------------------------

DOCUMENT_SENSITIVITIES: Final[tuple[str, ...]] = ("normal", "identity", "health", "discipline")

DOCUMENT_TYPES: Final[list[tuple[str, str, str]]] = [
    # (code, name, sensitivity)
    ("birth_certificate", "Acte de naissance", "identity"),
    ("nationality_certificate", "Certificat de nationalité", "identity"),
    ("criminal_record", "Extrait de casier judiciaire", "identity"),
    ("nina_card", "Carte NINA", "identity"),
    ("id_card", "Carte d'identité nationale", "identity"),
    ("marriage_certificate", "Acte de mariage", "identity"),
    ("id_photo", "Photo d'identité", "normal"),
    ("diploma", "Diplôme", "normal"),
    ("appointment_decision", "Décision de nomination", "normal"),
    ("promotion_order", "Arrêté de promotion", "normal"),
    ("posting_decision", "Décision d'affectation", "normal"),
    ("training_certificate", "Attestation de formation", "normal"),
    ("medical_certificate", "Certificat médical", "health"),
    ("fitness_certificate", "Certificat d'aptitude physique", "health"),
    ("sick_leave", "Certificat d'arrêt de travail", "health"),
    ("sanction_decision", "Décision de sanction", "discipline"),
    ("disciplinary_report", "Procès-verbal du conseil de discipline", "discipline"),
]

# ---------------------------------------------------------------------------
# Signatories (functions, not named persons)
# ---------------------------------------------------------------------------

SIGNATORIES: Final[list[tuple[str, str, str]]] = [
    # (agency_code, name, title)
    ("PN", "Directeur général de la Police nationale", "Directeur général"),
    ("PN", "Directeur général adjoint de la Police nationale", "Directeur général adjoint"),
    (
        "PN",
        "Directeur des Ressources humaines de la Police nationale",
        "Directeur des ressources humaines",
    ),
    ("OCS", "Directeur général de l'Office central des stupéfiants", "Directeur général"),
    ("MSPC", "Ministre de la Sécurité et de la Protection civile", "Ministre"),
    (
        "MSPC",
        "Secrétaire général du Ministère de la Sécurité et de la Protection civile",
        "Secrétaire général",
    ),
]

# ---------------------------------------------------------------------------
# Default establishment: authorised posts per grade band, by unit type
# ---------------------------------------------------------------------------

ESTABLISHMENT_DEFAULTS: Final[dict[str, dict[str, int]]] = {
    # ~40 staff
    "direction": {"EXEC": 10, "SOFF": 12, "OSUB": 8, "OSUP": 5, "CDIR": 5},
    # ~40 staff
    "commissariat": {"EXEC": 18, "SOFF": 12, "OSUB": 6, "OSUP": 2, "CDIR": 2},
    # ~18 staff, led by an officer
    "brigade": {"EXEC": 8, "SOFF": 6, "OSUB": 3, "OSUP": 1, "CDIR": 0},
    # ~225 staff
    "special": {"EXEC": 120, "SOFF": 70, "OSUB": 25, "OSUP": 8, "CDIR": 3},
    # ~70 permanent staff (instructors and support), trainees excluded
    "school": {"EXEC": 20, "SOFF": 25, "OSUB": 15, "OSUP": 7, "CDIR": 4},
    # ~10 staff
    "section": {"EXEC": 3, "SOFF": 3, "OSUB": 2, "OSUP": 1, "CDIR": 1},
    # ~10 staff
    "post": {"EXEC": 6, "SOFF": 3, "OSUB": 1, "OSUP": 0, "CDIR": 0},
}
