"""Fixtures of the deployments tests: operations and positions built through the services,
officers with skills, languages and licences, and a named cast of callers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def skills(mali: Any) -> dict[str, Any]:
    from matricule.core.models import Skill

    return {s.code: s for s in Skill.objects.select_related("category")}


@pytest.fixture
def languages(mali: Any) -> dict[str, Any]:
    from matricule.core.models import Language

    return {lang.code: lang for lang in Language.objects.all()}


@pytest.fixture
def grades(mali: Any, today: datetime.date) -> dict[str, Any]:
    from matricule.core.models import Grade

    return {
        g.code: g
        for g in Grade.objects.filter(statute__agency=mali, statute__effective_from__lte=today)
        .exclude(statute__effective_to__lte=today)
        .select_related("statute")
    }


@pytest.fixture
def make_operation(mali: Any, today: datetime.date) -> Callable[..., Any]:
    from matricule.core.models import Region, Unit
    from matricule.deployments.seeding import seed_partner_agencies
    from matricule.deployments.services import operation_create

    seed_partner_agencies()

    def factory(
        *,
        name: str = "Opération Kanaga",
        kind: str = "operation",
        start: datetime.date | None = None,
        days: int | None = 30,
        lead: str = "FORSAT",
        region: str = "MOP",
        act_number: str = "2026-014/DGPN-OPS",
    ) -> Any:
        start = start or today + datetime.timedelta(days=10)
        return operation_create(
            agency=mali,
            data={
                "name": name,
                "kind": kind,
                "start_date": start,
                "end_date": start + datetime.timedelta(days=days - 1) if days else None,
                "region": Region.objects.get(code=region),
                "lead_unit": Unit.objects.get(agency=mali, code=lead),
                "act_kind": "decision",
                "act_number": act_number,
                "act_date": min(today, start) - datetime.timedelta(days=5),
            },
            by=None,
        )

    return factory


@pytest.fixture
def make_position(
    skills: dict[str, Any], languages: dict[str, Any], grades: dict[str, Any]
) -> Callable[..., Any]:
    from matricule.deployments.services import position_create, requirement_add

    def factory(
        operation: Any,
        *,
        title: str = "Équipe d'intervention",
        count: int = 5,
        grade_range: tuple[str, str] | None = None,
        skill: list[tuple[str, int]] | None = None,
        language: tuple[str, int] | None = None,
        licence: tuple[str, int] | None = None,
        **data: Any,
    ) -> Any:
        position = position_create(
            operation=operation,
            data={
                "title": title,
                "count": count,
                "grade_min": grades[grade_range[0]] if grade_range else None,
                "grade_max": grades[grade_range[1]] if grade_range else None,
                **data,
            },
            by=None,
        )
        for code, level in skill or []:
            requirement_add(
                position=position, kind="skill", skill=skills[code], min_level=level, by=None
            )
        if language:
            requirement_add(
                position=position,
                kind="language",
                language=languages[language[0]],
                min_level=language[1],
                by=None,
            )
        if licence:
            requirement_add(
                position=position,
                kind="licence",
                skill=skills[licence[0]],
                years_held=licence[1],
                by=None,
            )
        return position

    return factory


@pytest.fixture
def give(skills: dict[str, Any], languages: dict[str, Any]) -> Any:
    """Skills, languages and licences on an officer's record."""
    from matricule.personnel.models import OfficerLanguage
    from matricule.training.models import OfficerSkill

    class Give:
        @staticmethod
        def skill(
            officer: Any,
            code: str,
            level: int = 1,
            *,
            obtained: datetime.date = datetime.date(2020, 1, 1),
            expires: datetime.date | None = None,
            confirmed: bool = True,
        ) -> Any:
            return OfficerSkill.objects.create(
                officer=officer,
                skill=skills[code],
                level=level,
                source="test" if confirmed else "declared",
                obtained_on=obtained,
                expires_on=expires,
                confirmed=confirmed,
            )

        @staticmethod
        def language(officer: Any, code: str, level: int) -> Any:
            return OfficerLanguage.objects.create(
                officer=officer, language=languages[code], spoken=level
            )

    return Give()


@pytest.fixture
def status_event() -> Callable[..., Any]:
    """Record a status change on a career through the service (leave, suspension…)."""
    from matricule.personnel.services import event_record

    def record(officer: Any, status: str, day: datetime.date, end: datetime.date | None = None):
        return event_record(
            officer=officer,
            kind="status",
            effective_date=day,
            status=status,
            end_date=end,
            by=None,
        )

    return record


@pytest.fixture
def make_session(mali: Any) -> Callable[..., Any]:
    """A training session (catalogue seeded), through the training service."""
    from matricule.training.models import Course
    from matricule.training.seeding import seed_training_catalogue
    from matricule.training.services import session_create

    seed_training_catalogue()

    def factory(code: str = "PSC1", *, start: datetime.date, days: int = 5) -> Any:
        return session_create(
            agency=mali,
            course=Course.objects.get(code=code),
            start_date=start,
            end_date=start + datetime.timedelta(days=days - 1),
            venue="École nationale de police, Bamako",
            capacity=20,
            partner=None,
            by=None,
        )

    return factory
