from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from matricule.core.models import AuditEntry, Region, Unit
from matricule.personnel.models import CareerEvent, Officer
from matricule.recruitment import services
from matricule.recruitment.models import (
    Candidate,
    CohortMember,
    IntakeStatus,
    Outcome,
    RankingEntry,
    StageKind,
    StageResult,
)
from matricule.recruitment.services.graduation import cohort_graduate
from matricule.recruitment.services.imports import ImportRefused, results_import
from matricule.recruitment.services.ranking import intake_rank
from matricule.recruitment.tests.factories import (
    candidate_for_test,
    intake_for_test,
    pass_all,
    stages_by_kind,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _close(intake):
    intake.status = IntakeStatus.CLOSED
    intake.save(update_fields=["status"])


def test_candidate_entry_checks_eligibility_and_keeps_the_reasons(mali):
    intake = intake_for_test()
    ok = candidate_for_test(intake, birth_date=D(2001, 1, 1))
    old = candidate_for_test(intake, birth_date=D(2000, 12, 31), diploma=1)
    assert ok.eligible and ok.ineligibility_reasons == []
    assert not old.eligible
    assert len(old.ineligibility_reasons) == 2


def test_same_nina_twice_in_an_intake_is_refused_and_nothing_is_written(mali):
    intake = intake_for_test()
    candidate_for_test(intake, nina="12345678901234A")
    before = Candidate.objects.count()
    with pytest.raises(ValidationError) as error:
        candidate_for_test(intake, nina="12345678901234A")
    assert "NINA existe déjà" in str(error.value)
    assert Candidate.objects.count() == before


def test_same_nina_in_another_intake_is_accepted(mali):
    first = intake_for_test()
    second = intake_for_test()
    candidate_for_test(first, nina="12345678901234A")
    candidate_for_test(second, nina="12345678901234A")
    assert Candidate.objects.filter(nina="12345678901234A").count() == 2


def test_failing_a_stage_eliminates_with_stage_and_reason(mali):
    intake = intake_for_test()
    candidate = candidate_for_test(intake)
    stages = stages_by_kind(intake)
    services.result_record(
        candidate=candidate,
        stage=stages[StageKind.DOCUMENTS],
        absent=False,
        values={"avis": "apte"},
        by=None,
    )
    services.result_record(
        candidate=candidate,
        stage=stages[StageKind.PHYSICAL],
        absent=False,
        values={"100M": "17", "POMPES": "5"},  # 0 points each for a woman
        by=None,
    )
    candidate.refresh_from_db()
    assert candidate.eliminated_stage == stages[StageKind.PHYSICAL]
    assert "Épreuves physiques" in candidate.elimination_reason
    # Eliminated: the next stage cannot be entered.
    with pytest.raises(ValidationError) as error:
        services.result_record(
            candidate=candidate,
            stage=stages[StageKind.WRITTEN],
            absent=False,
            values={"FR": "12", "CG": "12"},
            by=None,
        )
    assert "épreuves précédentes" in str(error.value)
    # A correction that passes lifts the elimination.
    services.result_record(
        candidate=candidate,
        stage=stages[StageKind.PHYSICAL],
        absent=False,
        values={"100M": "15", "POMPES": "25"},
        by=None,
    )
    candidate.refresh_from_db()
    assert candidate.eliminated_stage is None
    assert AuditEntry.objects.filter(action="result.correct").count() == 1


def test_absence_eliminates(mali):
    intake = intake_for_test()
    candidate = candidate_for_test(intake)
    stage = stages_by_kind(intake)[StageKind.DOCUMENTS]
    services.result_record(candidate=candidate, stage=stage, absent=True, values={}, by=None)
    candidate.refresh_from_db()
    assert candidate.eliminated_stage == stage
    assert candidate.elimination_reason.startswith("Absent")


def test_withdrawn_candidate_is_not_ranked(mali):
    intake = intake_for_test(posts=2)
    a = candidate_for_test(intake)
    b = candidate_for_test(intake)
    pass_all(a)
    pass_all(b)
    services.candidate_withdraw(candidate=b, on=D(2026, 3, 1), reason="Engagé ailleurs", by=None)
    _close(intake)
    ranked = intake_rank(intake=intake, by=None)
    assert [r.candidate_id for r in ranked] == [a.pk]


def test_ranking_is_refused_while_results_are_missing(mali):
    intake = intake_for_test()
    candidate_for_test(intake)
    _close(intake)
    with pytest.raises(ValidationError) as error:
        intake_rank(intake=intake, by=None)
    assert "n'ont pas tous leurs résultats" in str(error.value)
    assert not RankingEntry.objects.exists()


def test_equal_score_and_written_mark_younger_first_then_application_number(mali):
    intake = intake_for_test(posts=2)
    older = candidate_for_test(intake, birth_date=D(2002, 1, 1))
    twin_a = candidate_for_test(intake, birth_date=D(2004, 1, 1))
    twin_b = candidate_for_test(intake, birth_date=D(2004, 1, 1))
    for c in (older, twin_b, twin_a):
        pass_all(c, written=("12", "12"))
    _close(intake)
    ranked = intake_rank(intake=intake, by=None)
    assert [r.candidate_id for r in ranked] == [twin_a.pk, twin_b.pk, older.pk]
    assert [r.outcome for r in ranked] == [Outcome.ADMITTED, Outcome.ADMITTED, Outcome.WAITING]


def test_equal_scores_are_split_by_the_written_exam(mali):
    intake = intake_for_test(posts=1, kinds=(StageKind.WRITTEN, StageKind.INTERVIEW))
    # Written ×3 + interview ×1: 12×3+16 = 52 and 13×3+13 = 52 → equal means 13.
    a = candidate_for_test(intake, family_name="A")
    b = candidate_for_test(intake, family_name="B")
    stages = stages_by_kind(intake)
    for candidate, written, interview in ((a, "12", "16"), (b, "13", "13")):
        services.result_record(
            candidate=candidate,
            stage=stages[StageKind.WRITTEN],
            absent=False,
            values={"FR": written, "CG": written},
            by=None,
        )
        services.result_record(
            candidate=candidate,
            stage=stages[StageKind.INTERVIEW],
            absent=False,
            values={"note": interview},
            by=None,
        )
    _close(intake)
    ranked = intake_rank(intake=intake, by=None)
    assert ranked[0].score == ranked[1].score == Decimal("13.000")
    assert ranked[0].candidate_id == b.pk
    assert ranked[0].outcome == Outcome.ADMITTED and ranked[1].outcome == Outcome.WAITING


def test_older_first_when_the_intake_says_so(mali):
    intake = intake_for_test(posts=1, kinds=(StageKind.INTERVIEW,), age_tie_break="older")
    young = candidate_for_test(intake, birth_date=D(2004, 1, 1))
    old = candidate_for_test(intake, birth_date=D(2002, 1, 1))
    stage = stages_by_kind(intake)[StageKind.INTERVIEW]
    for c in (young, old):
        services.result_record(
            candidate=c, stage=stage, absent=False, values={"note": "14"}, by=None
        )
    _close(intake)
    ranked = intake_rank(intake=intake, by=None)
    assert ranked[0].candidate_id == old.pk


def test_per_region_posts_send_the_extra_candidates_to_the_waiting_list(mali):
    intake = intake_for_test(posts=3, kinds=(StageKind.INTERVIEW,))
    services.quota_add(
        intake=intake, region=Region.objects.get(code="BKO"), sex="", posts=1, by=None
    )
    stage = stages_by_kind(intake)[StageKind.INTERVIEW]
    bamako = [candidate_for_test(intake, region_code="BKO") for _ in range(3)]
    gao = [candidate_for_test(intake, region_code="GAO") for _ in range(2)]
    marks = {bamako[0]: "18", bamako[1]: "17", bamako[2]: "16", gao[0]: "12", gao[1]: "11"}
    for c, mark in marks.items():
        services.result_record(
            candidate=c, stage=stage, absent=False, values={"note": mark}, by=None
        )
    _close(intake)
    ranked = {r.candidate_id: r for r in intake_rank(intake=intake, by=None)}
    admitted = {cid for cid, r in ranked.items() if r.outcome == Outcome.ADMITTED}
    assert admitted == {bamako[0].pk, gao[0].pk, gao[1].pk}
    assert ranked[bamako[1].pk].outcome == Outcome.WAITING
    assert ranked[bamako[1].pk].list_rank == 1


def test_per_sex_posts(mali):
    intake = intake_for_test(posts=2, kinds=(StageKind.INTERVIEW,))
    services.quota_add(intake=intake, region=None, sex="M", posts=1, by=None)
    stage = stages_by_kind(intake)[StageKind.INTERVIEW]
    men = [candidate_for_test(intake, sex="M") for _ in range(2)]
    woman = candidate_for_test(intake, sex="F")
    for c, mark in ((men[0], "18"), (men[1], "17"), (woman, "10")):
        services.result_record(
            candidate=c, stage=stage, absent=False, values={"note": mark}, by=None
        )
    _close(intake)
    ranked = {r.candidate_id: r.outcome for r in intake_rank(intake=intake, by=None)}
    assert ranked == {
        men[0].pk: Outcome.ADMITTED,
        men[1].pk: Outcome.WAITING,
        woman.pk: Outcome.ADMITTED,
    }


def test_reranking_after_a_late_correction_is_traced_with_before_and_after_ranks(mali):
    intake = intake_for_test(posts=1, kinds=(StageKind.INTERVIEW,))
    stage = stages_by_kind(intake)[StageKind.INTERVIEW]
    a = candidate_for_test(intake)
    b = candidate_for_test(intake)
    services.result_record(candidate=a, stage=stage, absent=False, values={"note": "15"}, by=None)
    services.result_record(candidate=b, stage=stage, absent=False, values={"note": "12"}, by=None)
    _close(intake)
    intake_rank(intake=intake, by=None)
    services.result_record(candidate=b, stage=stage, absent=False, values={"note": "16"}, by=None)
    intake_rank(intake=intake, by=None)
    entry = AuditEntry.objects.filter(action="intake.rerank").get()
    changes = {c["candidat"]: c for c in entry.after["changements"]}
    assert changes[b.application_number]["avant"] == [2, "waiting"]
    assert changes[b.application_number]["apres"] == [1, "admitted"]
    assert changes[a.application_number]["apres"] == [2, "waiting"]


def test_a_late_correction_withdraws_the_published_list_until_ranked_again(mali):
    from matricule.recruitment.models import IntakeStatus

    intake = intake_for_test(posts=1, kinds=(StageKind.INTERVIEW,))
    stage = stages_by_kind(intake)[StageKind.INTERVIEW]
    a = candidate_for_test(intake)
    services.result_record(candidate=a, stage=stage, absent=False, values={"note": "15"}, by=None)
    _close(intake)
    intake_rank(intake=intake, by=None)
    services.intake_publish(intake=intake, by=None)
    services.result_record(candidate=a, stage=stage, absent=False, values={"note": "11"}, by=None)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CLOSED  # the old list is no longer public
    assert AuditEntry.objects.filter(action="intake.ranking_invalidated").exists()
    intake_rank(intake=intake, by=None)
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.RANKED


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ready_for_written(intake, n):
    stages = stages_by_kind(intake)
    candidates = [candidate_for_test(intake) for _ in range(n)]
    for c in candidates:
        services.result_record(
            candidate=c,
            stage=stages[StageKind.DOCUMENTS],
            absent=False,
            values={"avis": "apte"},
            by=None,
        )
        services.result_record(
            candidate=c,
            stage=stages[StageKind.PHYSICAL],
            absent=False,
            values={"100M": "14", "POMPES": "20"},
            by=None,
        )
    return candidates, stages[StageKind.WRITTEN]


def test_xlsx_import_with_one_bad_row_writes_nothing_and_names_row_and_column(mali):
    intake = intake_for_test()
    (a, b, c), written = _ready_for_written(intake, 3)
    data = _xlsx(
        [
            ["Numéro", "Nom", "FR", "CG"],
            [a.application_number, "x", 12, 14],
            [b.application_number, "x", "22", 10],
            [c.application_number, "x", 8, 9],
        ]
    )
    before = StageResult.objects.count()
    with pytest.raises(ImportRefused) as refused:
        results_import(stage=written, data=data, filename="ecrit.xlsx", by=None)
    assert refused.value.problems == ["Ligne 3, colonne C (« FR ») : note « 22 » hors de 0 à 20."]
    assert StageResult.objects.count() == before
    good = _xlsx(
        [
            ["Numéro", "Nom", "FR", "CG"],
            [a.application_number, "x", 12, 14],
            [b.application_number, "x", "15,5", 10],
            [c.application_number, "x", 8, 9],
        ]
    )
    report = results_import(stage=written, data=good, filename="ecrit.xlsx", by=None)
    assert (report.rows, report.created, report.eliminated) == (3, 3, 1)
    assert StageResult.objects.get(stage=written, candidate=b).mark == Decimal("13.67")
    c.refresh_from_db()
    assert c.eliminated_stage == written


def test_xlsx_import_refuses_unknown_candidates_and_missing_columns(mali):
    intake = intake_for_test()
    _candidates, written = _ready_for_written(intake, 1)
    with pytest.raises(ImportRefused) as refused:
        results_import(
            stage=written, data=_xlsx([["Numéro", "FR"], ["99999", 10]]), filename="f", by=None
        )
    assert refused.value.problems[0].startswith("Colonne « CG » introuvable")
    with pytest.raises(ImportRefused) as refused:
        results_import(
            stage=written,
            data=_xlsx([["Numéro", "FR", "CG"], ["99999", 10, 10]]),
            filename="f",
            by=None,
        )
    assert "aucun candidat n° « 99999 »" in refused.value.problems[0]
    with pytest.raises(ImportRefused):
        results_import(stage=written, data=b"pas un fichier excel", filename="f", by=None)


def _graduation_ready(posts=2, n=3):
    intake = intake_for_test(posts=posts)
    candidates = [candidate_for_test(intake, sex="M" if i % 2 else "F") for i in range(n)]
    for i, c in enumerate(candidates):
        pass_all(c, written=(str(12 + i), "12"))
    _close(intake)
    intake_rank(intake=intake, by=None)
    services.intake_publish(intake=intake, by=None)
    cohort = services.cohort_create(
        intake=intake,
        number=42,
        parrain="Commissaire Divisionnaire Oumar Traoré",
        starts_on=D(2026, 1, 2),
        ends_on=D(2026, 6, 30),
        by=None,
    )
    return intake, cohort


def test_graduation_creates_exactly_the_admitted_officers_who_passed(mali):
    intake, cohort = _graduation_ready(posts=2, n=3)
    members = list(CohortMember.objects.filter(cohort=cohort).select_related("candidate"))
    assert len(members) == 2
    assert {m.candidate_id for m in members} == set(
        RankingEntry.objects.filter(intake=intake, outcome=Outcome.ADMITTED).values_list(
            "candidate_id", flat=True
        )
    )
    unit = Unit.objects.get(code="BKO-CA01")
    for m in members:
        services.member_update(
            member=m, training_mark=Decimal(14), excluded=False, remark="", first_unit=unit, by=None
        )
    officers_before = Officer.objects.count()
    officers = cohort_graduate(
        cohort=cohort,
        graduated_on=D(2026, 7, 1),
        act_number="2026-0701/DGPN",
        act_date=D(2026, 6, 30),
        by=None,
    )
    assert Officer.objects.count() == officers_before + 2
    for officer in officers:
        assert officer.grade.code == "GP" or officer.grade.corps.code == "SO"
        assert officer.grade.corps.code == "SO"
        assert officer.unit == unit
        assert officer.candidacy.intake == intake
        assert CareerEvent.objects.filter(officer=officer, kind="entry").count() == 1
    assert officers[0].grade.order == min(
        g.order for g in officers[0].grade.statute.grades.filter(corps__code="SO")
    )
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.GRADUATED


def test_graduation_is_all_or_nothing(mali):
    _intake, cohort = _graduation_ready(posts=2, n=2)
    members = list(CohortMember.objects.filter(cohort=cohort))
    services.member_update(
        member=members[0],
        training_mark=Decimal(14),
        excluded=False,
        remark="",
        first_unit=Unit.objects.get(code="BKO-CA01"),
        by=None,
    )
    services.member_update(
        member=members[1],
        training_mark=Decimal(15),
        excluded=False,
        remark="",
        first_unit=None,
        by=None,
    )
    before = Officer.objects.count()
    with pytest.raises(ValidationError) as error:
        cohort_graduate(
            cohort=cohort,
            graduated_on=D(2026, 7, 1),
            act_number="X",
            act_date=D(2026, 6, 30),
            by=None,
        )
    assert "sans première affectation" in str(error.value)
    assert Officer.objects.count() == before


def test_a_trainee_who_failed_training_does_not_become_an_officer(mali):
    _intake, cohort = _graduation_ready(posts=2, n=2)
    members = list(CohortMember.objects.filter(cohort=cohort))
    unit = Unit.objects.get(code="BKO-CA01")
    services.member_update(
        member=members[0],
        training_mark=Decimal(14),
        excluded=False,
        remark="",
        first_unit=unit,
        by=None,
    )
    services.member_update(
        member=members[1],
        training_mark=Decimal(8),
        excluded=False,
        remark="",
        first_unit=None,
        by=None,
    )
    officers = cohort_graduate(
        cohort=cohort,
        graduated_on=D(2026, 7, 1),
        act_number="X-1",
        act_date=D(2026, 6, 30),
        by=None,
    )
    assert [o.nina for o in officers] == [members[0].candidate.nina]


def test_a_withdrawn_candidate_gets_no_more_results(mali):
    intake = intake_for_test()
    candidate = candidate_for_test(intake)
    services.candidate_withdraw(
        candidate=candidate, on=D(2026, 3, 1), reason="Raisons familiales", by=None
    )
    stage = stages_by_kind(intake)[StageKind.DOCUMENTS]
    with pytest.raises(ValidationError) as error:
        services.result_record(
            candidate=candidate, stage=stage, absent=False, values={"avis": "apte"}, by=None
        )
    assert "désisté le 01/03/2026" in str(error.value)
    assert not StageResult.objects.exists()


def test_changing_the_age_limit_rechecks_every_candidate(mali):
    intake = intake_for_test()
    candidate = candidate_for_test(intake, birth_date=D(2000, 6, 1))
    assert not candidate.eligible
    services.intake_update(intake=intake, data={"age_max": 27}, by=None)
    candidate.refresh_from_db()
    assert candidate.eligible and candidate.ineligibility_reasons == []
    assert AuditEntry.objects.filter(action="intake.update").exists()


def test_a_candidate_named_with_a_formula_is_refused(mali):
    import datetime

    from django.core.exceptions import ValidationError

    from matricule.recruitment.models import Candidate
    from matricule.recruitment.services.candidates import candidate_create
    from matricule.recruitment.tests.factories import intake_for_test

    intake = intake_for_test()
    with pytest.raises(ValidationError) as refused:
        candidate_create(
            intake=intake,
            data={
                "application_number": "09999",
                "family_name": '=HYPERLINK("http://x","Clic")',
                "given_names": "Awa",
                "sex": "F",
                "birth_date": datetime.date(2003, 5, 17),
                "nina": "00000000099999K",
                "centre": intake.centres.first(),
            },
            by=None,
        )
    assert "family_name" in refused.value.message_dict
    assert not Candidate.objects.filter(intake=intake).exists()
