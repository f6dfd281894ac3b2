"""Load the Mali reference data of seed_data.py; safe to run again (matches by code)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from matricule.core import refcache
from matricule.core import seed_data as data
from matricule.core import seed_origins as origins
from matricule.core.audit import audit_record
from matricule.core.models import (
    Agency,
    Corps,
    DocumentType,
    Establishment,
    Grade,
    GradeBand,
    GradeMapping,
    Language,
    Region,
    Signatory,
    Skill,
    SkillCategory,
    StatuteVersion,
    Unit,
    UnitType,
)
from matricule.core.services import unit_place

ESTABLISHMENT_START = datetime.date(2023, 1, 1)

# Units of the agencies other than the Police nationale (OCS antennas, ministry).
OTHER_AGENCY_UNITS = origins.AGENCY_UNITS


@transaction.atomic
def seed_reference() -> dict[str, int]:
    """Create or update every reference row; returns how many rows each kind has."""
    agencies = {}
    agency_rows = [
        (code, name, short, prefix, digits, origins.AGENCY_KINDS.get(code, "career"), "", "")
        for code, name, short, prefix, digits in data.AGENCIES
    ] + [(*row[:5], "origin", *row[5:]) for row in origins.ORIGIN_AGENCIES]
    for code, name, short, prefix, digits, kind, pattern, example in agency_rows:
        agencies[code], _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "matricule_prefix": prefix,
                "matricule_digits": digits,
                "kind": kind,
                "service_number_pattern": pattern,
                "service_number_example": example,
            },
        )
    regions = {}
    for code, name in data.REGIONS:
        regions[code], _ = Region.objects.update_or_create(code=code, defaults={"name": name})
    unit_types = {}
    for code, name in data.UNIT_TYPES:
        unit_types[code], _ = UnitType.objects.update_or_create(code=code, defaults={"name": name})
    rows = [("PN", *row) for row in data.UNITS] + [
        (agency, code, name, kind, region, parent)
        for agency, code, name, kind, region, parent in OTHER_AGENCY_UNITS
    ]
    units: dict[tuple[str, str], Unit] = {
        (u.agency.code, u.code): u for u in Unit.objects.select_related("agency")
    }
    for agency_code, code, name, kind, region, parent_code in rows:
        agency = agencies[agency_code]
        parent = units[(agency_code, parent_code)] if parent_code else None
        unit = units.get((agency_code, code))
        if unit is None:
            unit = Unit(agency=agency, code=code, parent=parent)
            unit_place(unit)
        unit.name = name
        unit.unit_type = unit_types[kind]
        unit.region = regions[region] if region else None
        unit.save()
        units[(agency_code, code)] = unit

    pn = agencies["PN"]
    corps = {}
    for code, name, age, order in data.CORPS:
        corps[code], _ = Corps.objects.update_or_create(
            agency=pn, code=code, defaults={"name": name, "retirement_age": age, "order": order}
        )
    bands = {}
    for code, name, order in [*data.GRADE_BANDS, *origins.EXTRA_GRADE_BANDS]:
        bands[code], _ = GradeBand.objects.update_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    statutes = {}
    grades: dict[tuple[str, str], Grade] = {}
    for code, name, start, end in data.STATUTES:
        statutes[code], _ = StatuteVersion.objects.update_or_create(
            agency=pn,
            code=code,
            defaults={
                "name": name,
                "effective_from": datetime.date.fromisoformat(start),
                "effective_to": datetime.date.fromisoformat(end) if end else None,
            },
        )
        # Orders are unique per statute: clear them before rewriting in case they moved.
        for grade_code, grade_name, corps_code, band_code, order in data.GRADES[code]:
            grade = Grade.objects.filter(statute=statutes[code], code=grade_code).first()
            if grade is None:
                grade = Grade(statute=statutes[code], code=grade_code, order=order)
            grade.name = grade_name
            grade.corps = corps[corps_code]
            grade.band = bands[band_code]
            grade.order = order
            grade.save()
            grades[(code, grade_code)] = grade
    for from_statute, from_code, to_statute, to_code in data.GRADE_MAPPINGS:
        GradeMapping.objects.update_or_create(
            from_grade=grades[(from_statute, from_code)],
            defaults={"to_grade": grades[(to_statute, to_code)]},
        )

    _seed_agency_grades(agencies, bands)

    existing = set(Establishment.objects.values_list("unit_id", "band_id", "effective_from"))
    new_rows = []
    for unit in units.values():
        if unit.agency_id != pn.id:
            continue
        for band_code, posts in data.ESTABLISHMENT_DEFAULTS.get(unit.unit_type.code, {}).items():
            key = (unit.id, bands[band_code].id, ESTABLISHMENT_START)
            if key not in existing:
                new_rows.append(
                    Establishment(
                        unit=unit,
                        band=bands[band_code],
                        authorised=posts,
                        effective_from=ESTABLISHMENT_START,
                    )
                )
    Establishment.objects.bulk_create(new_rows)

    categories = {}
    for code, name in data.SKILL_CATEGORIES:
        categories[code], _ = SkillCategory.objects.update_or_create(
            code=code, defaults={"name": name}
        )
    for code, name, category, max_level in data.SKILLS:
        Skill.objects.update_or_create(
            code=code,
            defaults={"name": name, "category": categories[category], "max_level": max_level},
        )
    for code, name, national in data.LANGUAGES:
        Language.objects.update_or_create(
            code=code, defaults={"name": name, "is_national": national}
        )
    for code, name, sensitivity in data.DOCUMENT_TYPES:
        DocumentType.objects.update_or_create(
            code=code, defaults={"name": name, "sensitivity": sensitivity}
        )
    for agency_code, name, title in [*data.SIGNATORIES, *origins.AGENCY_SIGNATORIES]:
        Signatory.objects.update_or_create(
            agency=agencies[agency_code], name=name, defaults={"title": title}
        )
    counts = {
        "agences": Agency.objects.count(),
        "régions": Region.objects.count(),
        "unités": Unit.objects.count(),
        "grades": Grade.objects.count(),
        "compétences": Skill.objects.count(),
        "langues": Language.objects.count(),
    }
    refcache.clear()
    audit_record(
        by=None,
        action="reference.seed",
        object_type="reference",
        object_repr="Référentiel Mali",
        after=counts,
    )
    return counts


def _seed_agency_grades(agencies: dict[str, Agency], bands: dict[str, GradeBand]) -> None:
    """Corps and dated grade tables of the ministry and of the OCS's origin corps."""
    corps: dict[tuple[str, str], Corps] = {}
    for agency_code, code, name, age, order in origins.AGENCY_CORPS:
        corps[(agency_code, code)], _ = Corps.objects.update_or_create(
            agency=agencies[agency_code],
            code=code,
            defaults={"name": name, "retirement_age": age, "order": order},
        )
    for agency_code, code, name, start, end in origins.AGENCY_STATUTES:
        statute, _ = StatuteVersion.objects.update_or_create(
            agency=agencies[agency_code],
            code=code,
            defaults={
                "name": name,
                "effective_from": datetime.date.fromisoformat(start),
                "effective_to": datetime.date.fromisoformat(end) if end else None,
            },
        )
        existing = {g.code: g for g in Grade.objects.filter(statute=statute)}
        for grade_code, grade_name, corps_code, band_code, order in origins.AGENCY_GRADES[
            agency_code
        ]:
            grade = existing.get(grade_code) or Grade(statute=statute, code=grade_code)
            grade.name = grade_name
            grade.corps = corps[(agency_code, corps_code)]
            grade.band = bands[band_code]
            grade.order = order
            grade.save()


def current_statute(agency: Agency, on: datetime.date | None = None) -> StatuteVersion:
    day = on or timezone.localdate()
    statute = (
        StatuteVersion.objects.filter(agency=agency, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )
    if statute is None:
        raise StatuteVersion.DoesNotExist(f"Aucun statut en vigueur pour {agency} au {day}.")
    return statute
