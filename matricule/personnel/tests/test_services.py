from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from matricule.core.matricule import matricule_is_valid
from matricule.core.models import AuditEntry, Grade, Signatory, Unit
from matricule.personnel.models import CareerEvent, EventKind, Officer, Status
from matricule.personnel.selectors import situation_on
from matricule.personnel.services import (
    Act,
    ConflictError,
    event_record,
    officer_update,
)

pytestmark = pytest.mark.django_db
D = datetime.date
ACT = Act(kind="decision", number="2020-0042/DGPN", date=D(2020, 1, 2))


def _unit(code: str, agency: str = "PN") -> Unit:
    return Unit.objects.get(agency__code=agency, code=code)


def _grade(code: str, statute: str = "S2023") -> Grade:
    return Grade.objects.get(statute__code=statute, code=code)


def _events(officer: Officer) -> int:
    return CareerEvent.objects.filter(officer=officer).count()


def test_hiring_writes_the_record_its_entry_event_and_the_audit(hire):
    before = AuditEntry.objects.count()
    officer = hire(family_name="Maïga", given_names="Aminata", sex="F")
    assert matricule_is_valid(officer.matricule, prefix="PN", digits=6)
    assert officer.search_name == "maiga aminata"
    entry = CareerEvent.objects.get(officer=officer)
    assert entry.kind == EventKind.ENTRY and entry.act_number
    # The S2010 grade of the act is shown as the grade it became under the 2023 statute.
    assert officer.grade == _grade("SGT")
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.order_by("-id")[0].subject_officer_id == officer.pk


def test_posting_moves_the_officer_and_is_audited(hire):
    officer = hire()
    event_record(
        officer=officer,
        kind=EventKind.POSTING,
        effective_date=D(2020, 2, 1),
        unit=_unit("BKO-CA05"),
        act=ACT,
        by=None,
    )
    officer.refresh_from_db()
    assert officer.unit.code == "BKO-CA05"
    entry = AuditEntry.objects.order_by("-id")[0]
    assert entry.action == "event.posting" and entry.subject_officer_id == officer.pk
    out = io.StringIO()
    call_command("check_snapshots", stdout=out)
    assert "conformes" in out.getvalue()


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"effective_date": D(2011, 1, 1)}, "effective_date", "précède l'entrée en service"),
        ({"effective_date": D(2099, 1, 1)}, "effective_date", "dans le futur"),
        ({"act": Act()}, "act_number", "numéro de l'acte"),
        ({"unit": "OCS-DG"}, "unit", "enregistrez un détachement"),
    ],
)
def test_bad_postings_are_refused_in_french_and_change_nothing(hire, kwargs, field, message):
    officer = hire()
    args = {"effective_date": D(2020, 2, 1), "unit": _unit("BKO-CA05"), "act": ACT}
    if kwargs.get("unit") == "OCS-DG":
        kwargs = {"unit": _unit("OCS-DG", "OCS")}
    args.update(kwargs)
    events, audit = _events(officer), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        event_record(officer=officer, kind=EventKind.POSTING, by=None, **args)
    assert any(message in m for m in error.value.message_dict[field])
    officer.refresh_from_db()
    assert officer.unit.code == "BKO-CA01"
    assert (_events(officer), AuditEntry.objects.count()) == (events, audit)


def test_grades_follow_the_corps_order_unless_exceptional(hire):
    officer = hire()
    with pytest.raises(ValidationError, match="Sergent-chef"):
        event_record(
            officer=officer,
            kind=EventKind.GRADE,
            effective_date=D(2024, 1, 1),
            grade=_grade("ADJ"),
            act=ACT,
            by=None,
        )
    with pytest.raises(ValidationError, match="justifié"):
        event_record(
            officer=officer,
            kind=EventKind.GRADE,
            effective_date=D(2024, 1, 1),
            grade=_grade("ADJ"),
            act=ACT,
            exceptional=True,
            by=None,
        )
    event_record(
        officer=officer,
        kind=EventKind.GRADE,
        effective_date=D(2024, 1, 1),
        grade=_grade("ADJ"),
        act=ACT,
        exceptional=True,
        justification="Acte de bravoure, décret n° 2023-0456/P-RM",
        by=None,
    )
    officer.refresh_from_db()
    assert officer.grade.code == "ADJ"
    event_record(
        officer=officer,
        kind=EventKind.GRADE,
        effective_date=D(2025, 1, 1),
        grade=_grade("ADC"),
        act=ACT,
        by=None,
    )
    officer.refresh_from_db()
    assert officer.grade.code == "ADC"


def test_a_grade_of_a_statute_not_in_force_is_refused(hire):
    officer = hire()
    with pytest.raises(ValidationError, match="n'était pas en vigueur"):
        event_record(
            officer=officer,
            kind=EventKind.GRADE,
            effective_date=D(2024, 1, 1),
            grade=_grade("SGC", "S2010"),
            act=ACT,
            by=None,
        )


def test_nothing_can_be_dated_after_the_exit(hire):
    officer = hire()
    event_record(
        officer=officer,
        kind=EventKind.EXIT,
        effective_date=D(2021, 6, 30),
        status=Status.RESIGNED,
        act=ACT,
        by=None,
    )
    officer.refresh_from_db()
    assert officer.status == Status.RESIGNED and officer.exit_date == D(2021, 6, 30)
    with pytest.raises(ValidationError, match="quitté le service le 30/06/2021"):
        event_record(
            officer=officer,
            kind=EventKind.POSTING,
            effective_date=D(2022, 1, 1),
            unit=_unit("BKO-CA05"),
            act=ACT,
            by=None,
        )


def test_secondment_keeps_the_home_grade_and_gives_the_host_position(hire, make_user):
    from matricule.accounts.models import RoleGrant
    from matricule.accounts.roles import Perm, Role
    from matricule.personnel.selectors import officer_base

    officer = hire(grade="SGC")
    host = _unit("OCS-ANT-GAO", "OCS")
    event_record(
        officer=officer,
        kind=EventKind.SECONDMENT,
        effective_date=D(2023, 3, 1),
        unit=host,
        function="Enquêteur stupéfiants",
        act=ACT,
        by=None,
    )
    officer.refresh_from_db()
    assert officer.status == Status.SECONDED
    assert officer.host_unit == host and officer.unit.code == "BKO-CA01"
    assert officer.grade.code == "SGC"
    ocs_clerk = make_user()
    RoleGrant.objects.create(user=ocs_clerk, role=Role.HR_CLERK, agency=host.agency)
    assert officer_base(viewer=ocs_clerk, perm=Perm.PERSONNEL_VIEW).filter(pk=officer.pk).exists()


def test_a_correction_supersedes_and_both_versions_remain(hire):
    officer = hire()
    wrong = event_record(
        officer=officer,
        kind=EventKind.POSTING,
        effective_date=D(2020, 2, 1),
        unit=_unit("BKO-CA05"),
        act=ACT,
        by=None,
    )
    fixed = event_record(
        officer=officer,
        kind=EventKind.POSTING,
        effective_date=D(2020, 2, 1),
        unit=_unit("BKO-CA06"),
        act=ACT,
        supersedes=wrong,
        by=None,
    )
    wrong.refresh_from_db()
    officer.refresh_from_db()
    assert wrong.is_superseded and fixed.supersedes == wrong
    assert officer.unit.code == "BKO-CA06"
    assert CareerEvent.objects.filter(officer=officer).count() == 3
    with pytest.raises(ValidationError, match="déjà été corrigé"):
        event_record(
            officer=officer,
            kind=EventKind.POSTING,
            effective_date=D(2020, 2, 1),
            unit=_unit("BKO-CA07"),
            act=ACT,
            supersedes=wrong,
            by=None,
        )


def test_record_as_on_a_date(hire):
    officer = hire(entry_date=D(2012, 10, 1))
    event_record(
        officer=officer,
        kind=EventKind.POSTING,
        effective_date=D(2020, 2, 1),
        unit=_unit("GAO-CC"),
        act=ACT,
        by=None,
    )
    before = situation_on(officer=officer, on=D(2019, 6, 30))
    assert before is not None
    assert before.unit.code == "BKO-CA01"
    assert before.grade.statute.code == "S2018"  # named as the 2018 statute named it
    assert situation_on(officer=officer, on=D(2012, 9, 30)) is None
    assert situation_on(officer=officer, on=D(2021, 1, 1)).unit.code == "GAO-CC"


def test_second_editor_is_refused_and_nothing_is_overwritten(hire):
    officer = hire()
    version = officer.version
    officer_update(
        officer=officer, data={"phone": "+223 76 11 22 33"}, expected_version=version, by=None
    )
    with pytest.raises(ConflictError, match="modifié par quelqu'un d'autre"):
        officer_update(
            officer=officer, data={"phone": "+223 66 00 00 00"}, expected_version=version, by=None
        )
    officer.refresh_from_db()
    assert officer.phone == "+223 76 11 22 33"
    assert officer.version == version + 1


def test_names_are_kept_as_typed_in_composed_form(hire):
    officer = hire()
    officer_update(
        officer=officer,
        data={
            "family_name": "Ag Mohamed",
            "given_names": "Ibrahim dit Baba",
            "birth_place": "Kidal",
        },
        expected_version=officer.version,
        by=None,
    )
    officer_update(
        officer=officer,
        data={"family_name": "Mai\u0308ga"},
        expected_version=officer.version + 1,
        by=None,
    )
    officer.refresh_from_db()
    assert officer.family_name == "Maïga"
    assert officer.given_names == "Ibrahim dit Baba"
    assert officer.search_name == "maiga ibrahim dit baba"


def test_nina_is_unique_within_an_agency(hire):
    hire(nina="12345678901234A")
    with pytest.raises(ValidationError, match="déjà ce NINA"):
        hire(nina="12345678901234A")


def test_retirement_date_follows_the_corps(hire):
    officer = hire(birth_date=D(1985, 3, 14))
    assert officer.retirement_date == D(1985 + officer.corps.retirement_age, 3, 14)


def test_check_snapshots_catches_a_snapshot_edited_behind_the_services(hire):
    officer = hire()
    Officer.objects.filter(pk=officer.pk).update(unit=_unit("GAO-CC"))
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_snapshots", stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_info.value.code == 1
    call_command("check_snapshots", fix=True, stdout=io.StringIO())
    officer.refresh_from_db()
    assert officer.unit.code == "BKO-CA01"


def test_signatory_is_kept_on_the_act(hire):
    officer = hire()
    signatory = Signatory.objects.filter(agency__code="PN").first()
    event = event_record(
        officer=officer,
        kind=EventKind.DECORATION,
        effective_date=D(2021, 5, 5),
        detail="Médaille d'honneur de la Police",
        act=Act(kind="decret", number="2021-111/P-RM", date=D(2021, 5, 1), signatory=signatory),
        by=None,
    )
    assert event.act_label == "Décret n° 2021-111/P-RM du 01/05/2021"


def test_html_starting_with_pdf_is_not_a_document(hire):
    from django.core.exceptions import ValidationError

    from matricule.core.models import DocumentType
    from matricule.core.tests.test_filetypes import HTML_PDF
    from matricule.personnel.services import document_add

    officer = hire()
    with pytest.raises(ValidationError) as refused:
        document_add(
            officer=officer,
            doc_type=DocumentType.objects.first(),
            title="Diplôme",
            date=officer.entry_date,
            data=HTML_PDF,
            filename="diplome.pdf",
            by=None,
        )
    assert "lisibles" in refused.value.message_dict["file"][0]
    assert not officer.documents.exists()
