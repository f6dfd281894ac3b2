from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from matricule.accounts.roles import Role
from matricule.core.models import AuditEntry, Skill
from matricule.personnel.models import Status
from matricule.personnel.selectors import OfficerFilters, officer_list
from matricule.training import services as s
from matricule.training.models import (
    Certificate,
    Course,
    CourseModule,
    Enrolment,
    EnrolmentState,
    OfficerSkill,
    Partner,
    Result,
    SessionStatus,
    SkillSource,
    TrainerLevel,
    TrainerQualification,
    TrainerRole,
)
from matricule.training.selectors import expiring_certificates, officer_training

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINING_OFFICER)


@pytest.fixture
def head_ca01(make_user):
    return make_user(Role.SUPERVISOR, "BKO-CA01")


def _pass_all(session, trainer, result=Result.PASSED):
    for e in session.enrolments.filter(state__in=["enrolled", "nominated"]):
        s.result_record(enrolment=e, result=result, score=Decimal("15"), by=trainer)


def test_course_without_mandatory_modules_cannot_be_published(catalogue, trainer):
    course = s.course_create(
        data={
            "code": "drone",
            "title_fr": "Pilotage de drones",
            "title_en": "Drone piloting",
            "category": "specialised",
            "hours": 20,
            "validity_months": 24,
        },
        by=trainer,
    )
    assert course.code == "DRONE"
    with pytest.raises(ValidationError) as err:
        s.course_publish(course=course, by=trainer)
    assert "droits de l'homme" in str(err.value) and "genre" in str(err.value)
    s.module_add(
        course=course, title="Droits de l'homme", hours=4, is_human_rights=True, by=trainer
    )
    with pytest.raises(ValidationError, match="genre"):
        s.course_publish(course=course, by=trainer)
    course.refresh_from_db()
    assert not course.is_published
    s.module_add(course=course, title="Genre", hours=4, is_gender=True, by=trainer)
    s.course_publish(course=course, by=trainer)
    course.refresh_from_db()
    assert course.is_published
    gender = CourseModule.objects.get(course=course, is_gender=True)
    with pytest.raises(ValidationError, match="obligatoire"):
        s.module_remove(module=gender, by=trainer)
    assert CourseModule.objects.filter(pk=gender.pk).exists()


def test_seeded_catalogue_has_every_course_published_with_both_modules(catalogue):
    assert {
        "POLPROX",
        "DROGUE-CTO",
        "INTERCEPT",
        "GENRE-VBG",
        "ANTITERRO",
        "PTS",
        "NEGOC",
        "CYBER",
        "GESTCRISE",
        "MO",
        "PSC1",
        "TIR",
    } <= set(catalogue)
    for course in Course.objects.all():
        assert course.is_published and not s.publication_problems(course)
    assert set(Partner.objects.values_list("short_name", flat=True)) >= {
        "EUCAP Sahel Mali",
        "ONUDC (UNODC)",
        "UNPOL/MINUSMA",
        "ICITAP",
    }


def test_a_session_needs_a_published_course(catalogue, mali, trainer):
    course = s.course_create(
        data={
            "code": "X1",
            "title_fr": "Brouillon",
            "title_en": "Draft",
            "category": "continuing",
            "hours": 4,
        },
        by=trainer,
    )
    with pytest.raises(ValidationError, match="pas publiée"):
        s.session_create(
            agency=mali,
            course=course,
            start_date=D(2026, 1, 5),
            end_date=D(2026, 1, 6),
            venue="Bamako",
            capacity=10,
            partner=None,
            by=trainer,
        )


def test_capacity_fills_then_waiting_list_then_promotion_on_withdrawal(make_session, hire, trainer):
    session = make_session(capacity=2)
    a, b, c = (hire(family_name=n) for n in ("Traoré", "Diarra", "Coulibaly"))
    ea = s.enrolment_nominate(session=session, officer=a, by=trainer)
    eb = s.enrolment_nominate(session=session, officer=b, by=trainer)
    ec = s.enrolment_nominate(session=session, officer=c, by=trainer)
    assert [ea.state, eb.state, ec.state] == ["enrolled", "enrolled", "waiting"]
    promoted = s.enrolment_withdraw(enrolment=ea, by=trainer)
    assert promoted is not None and promoted.officer == c
    ec.refresh_from_db()
    ea.refresh_from_db()
    assert ec.state == EnrolmentState.ENROLLED and ea.state == EnrolmentState.WITHDRAWN
    assert AuditEntry.objects.filter(action="training.enrolment.promote").count() == 1


def test_unit_head_nominates_own_staff_only(make_session, hire, head_ca01, trainer):
    session = make_session()
    mine = hire(unit="BKO-CA01")
    other = hire(unit="GAO-CC", family_name="Maïga")
    enrolment = s.enrolment_nominate(session=session, officer=mine, by=head_ca01)
    assert enrolment.state == EnrolmentState.NOMINATED
    with pytest.raises(PermissionDenied):
        s.enrolment_nominate(session=session, officer=other, by=head_ca01)
    assert not Enrolment.objects.filter(officer=other).exists()
    s.enrolment_confirm(enrolment=enrolment, by=trainer)
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.ENROLLED


def test_missing_prerequisites_are_refused_in_french(make_session, hire, trainer):
    officer = hire()
    # ANTITERRO needs the TIR course; INTERCEPT needs a verified car licence.
    with pytest.raises(ValidationError) as err:
        s.enrolment_nominate(session=make_session("ANTITERRO"), officer=officer, by=trainer)
    assert "Formation préalable non suivie avec succès : TIR" in str(err.value)
    intercept = make_session("INTERCEPT", start=D(2026, 4, 6))
    with pytest.raises(ValidationError, match="Permis B"):
        s.enrolment_nominate(session=intercept, officer=officer, by=trainer)
    licence = s.officer_skill_add(
        officer=officer,
        skill=Skill.objects.get(code="licence_b"),
        level=1,
        source=SkillSource.DECLARED,
        obtained_on=D(2010, 1, 1),
        expires_on=None,
        by=trainer,
    )
    with pytest.raises(ValidationError, match="Permis B"):  # declared, not yet verified
        s.enrolment_nominate(session=intercept, officer=officer, by=trainer)
    s.officer_skill_verify(row=licence, by=trainer)
    assert s.enrolment_nominate(session=intercept, officer=officer, by=trainer).state == "enrolled"
    assert Enrolment.objects.filter(officer=officer).count() == 1


def test_clash_with_another_session_or_a_deployment(make_session, hire, trainer):
    officer = hire()
    s.enrolment_nominate(session=make_session(start=D(2026, 3, 2)), officer=officer, by=trainer)
    with pytest.raises(ValidationError, match="Conflit de dates"):
        s.enrolment_nominate(
            session=make_session("PSC1", start=D(2026, 3, 4)), officer=officer, by=trainer
        )
    deployed = hire(family_name="Keïta")
    deployed.status = Status.DEPLOYED
    deployed.save(update_fields=["status"])
    future = make_session("MO", start=D(2099, 1, 5))
    with pytest.raises(ValidationError, match="en mission"):
        s.enrolment_nominate(session=future, officer=deployed, by=trainer)


def _closed_session(make_session, hire, trainer, code="TIR", start=None):
    start = start or D(2025, 6, 2)
    session = make_session(code, start=start, days=3)
    officers = [hire(family_name=n) for n in ("Traoré", "Diarra", "Sissoko")]
    enrolments = [s.enrolment_nominate(session=session, officer=o, by=trainer) for o in officers]
    s.attendance_record(
        session=session, day=start, present={enrolments[0].pk, enrolments[1].pk}, by=trainer
    )
    s.result_record(
        enrolment=enrolments[0], result=Result.PASSED, score=Decimal("16.5"), by=trainer
    )
    s.result_record(enrolment=enrolments[1], result=Result.PASSED, score=Decimal("12"), by=trainer)
    s.result_record(enrolment=enrolments[2], result=Result.ABSENT, score=None, by=trainer)
    summary = s.session_close(session=session, by=trainer)
    return session, officers, summary


def test_closing_grants_skills_and_numbered_certificates_in_one_go(make_session, hire, trainer):
    session, officers, summary = _closed_session(make_session, hire, trainer)
    assert [c.number for c in summary.certificates] == ["FORM-2025-000001", "FORM-2025-000002"]
    cert = Certificate.objects.get(officer=officers[0])
    assert cert.issued_on == D(2025, 6, 4) and cert.expires_on == D(2026, 6, 4)  # TIR: 12 months
    granted = OfficerSkill.objects.filter(officer=officers[0]).order_by("skill__code")
    assert [(k.skill.code, k.level, k.source, k.confirmed) for k in granted] == [
        ("pistol", 2, "course", True),
        ("rifle", 1, "course", True),
    ]
    assert not OfficerSkill.objects.filter(officer=officers[2]).exists()
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    entry = AuditEntry.objects.get(action="training.session.close")
    assert entry.after["certificates"] == ["FORM-2025-000001", "FORM-2025-000002"]
    with pytest.raises(ValidationError, match="déjà close"):
        s.session_close(session=session, by=trainer)


def test_close_refuses_missing_results_and_writes_nothing(make_session, hire, trainer):
    session = make_session(start=D(2025, 1, 6))
    s.enrolment_nominate(session=session, officer=hire(), by=trainer)
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="Résultat manquant"):
        s.session_close(session=session, by=trainer)
    assert Certificate.objects.count() == 0 and OfficerSkill.objects.count() == 0
    assert AuditEntry.objects.count() == audits
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_a_session_cannot_close_before_it_ends(make_session, hire, trainer):
    session = make_session(start=D(2099, 1, 5))
    with pytest.raises(ValidationError, match="pas terminée"):
        s.session_close(session=session, by=trainer)


def test_only_certified_trainers_lead_and_cotrainers_become_certified(
    make_session, hire, trainer, catalogue
):
    lead, co = hire(family_name="Sangaré"), hire(family_name="Touré")
    session = make_session("TIR", start=D(2025, 2, 3))
    with pytest.raises(ValidationError, match="formateur certifié"):
        s.session_trainer_add(session=session, officer=lead, role=TrainerRole.LEAD, by=trainer)
    s.trainer_qualification_set(
        officer=lead, course=catalogue["TIR"], level="certified", by=trainer
    )
    s.session_trainer_add(session=session, officer=lead, role=TrainerRole.LEAD, by=trainer)
    with pytest.raises(ValidationError, match="co-formateur"):
        s.session_trainer_add(session=session, officer=co, role=TrainerRole.CO, by=trainer)
    s.session_trainer_add(session=session, officer=co, role=TrainerRole.TRAINEE, by=trainer)
    with pytest.raises(ValidationError, match="partenaire"):
        s.session_trainer_add(session=session, external_name="M. Dupont", role="lead", by=trainer)
    s.session_close(session=session, by=trainer)
    qualification = TrainerQualification.objects.get(officer=co)
    assert qualification.level == TrainerLevel.CO_TRAINER
    with override_settings(MATRICULE_TRAINER_COTAUGHT_REQUIRED=2):
        for start in (D(2025, 3, 3), D(2025, 4, 7)):
            other = make_session("TIR", start=start)
            s.session_trainer_add(session=other, officer=co, role=TrainerRole.CO, by=trainer)
            s.session_close(session=other, by=trainer)
    qualification.refresh_from_db()
    assert (qualification.level, qualification.co_taught_count) == ("certified", 2)


def test_expiry_warning_lists_for_officer_head_and_training_officer(
    make_session, hire, trainer, head_ca01, make_user
):
    today = timezone.localdate()
    # TIR is valid 12 months: a session ending ~11 months ago expires within 90 days.
    start = today - datetime.timedelta(days=330)
    _session, officers, _summary = _closed_session(make_session, hire, trainer, start=start)
    assert [c.course.code for c in officer_training(officer=officers[0]).expiring] == ["TIR"]
    assert {c.officer for c in expiring_certificates(viewer=trainer)} == set(officers[:2])
    assert {c.officer for c in expiring_certificates(viewer=head_ca01)} == set(officers[:2])
    gao_head = make_user(Role.SUPERVISOR, "GAO-CC")
    assert not expiring_certificates(viewer=gao_head).exists()


def test_skill_search_requires_all_skills_valid_and_verified_in_scope(
    make_session, hire, trainer, make_user
):
    _session, officers, _summary = _closed_session(make_session, hire, trainer, start=D(2025, 6, 2))
    clerk = make_user(Role.HR_CLERK, "DR-BKO")
    pistol = Skill.objects.get(code="pistol").pk
    rifle = Skill.objects.get(code="rifle").pk

    def found(skills, on):
        qs = officer_list(viewer=clerk, filters=OfficerFilters(skills=skills, valid_on=on))
        return set(qs)

    assert found([(pistol, 2), (rifle, 1)], D(2025, 12, 1)) == set(officers[:2])
    assert found([(pistol, 3)], D(2025, 12, 1)) == set()
    assert found([(pistol, 2)], D(2026, 6, 5)) == set()  # expired on 04/06/2026
    assert found([(pistol, 2)], D(2025, 6, 1)) == set()  # not yet obtained
    outsider = make_user(Role.HR_CLERK, "DR-GAO")
    assert not officer_list(viewer=outsider, filters=OfficerFilters(skills=[(pistol, 1)])).exists()


def test_declared_skill_levels_are_bounded(hire, trainer):
    officer = hire()
    with pytest.raises(ValidationError, match="entre 1 et 1"):
        s.officer_skill_add(
            officer=officer,
            skill=Skill.objects.get(code="licence_b"),
            level=2,
            source="declared",
            obtained_on=D(2015, 1, 1),
            expires_on=None,
            by=trainer,
        )
    assert not OfficerSkill.objects.exists()
