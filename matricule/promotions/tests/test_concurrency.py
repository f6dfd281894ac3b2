"""Concurrent promotions never exceed the vacancies — on both databases.

Each thread has its own connection and transaction. On PostgreSQL the service's lock on
the vacancy row makes the later ones wait, then count the first one's decision. On SQLite
write transactions are IMMEDIATE and run one at a time on the file-backed test database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from matricule.core.tests.concurrency import run_together
from matricule.personnel.models import Officer
from matricule.promotions.models import Campaign, Decision, Eligibility
from matricule.promotions.services import boards, vacancies
from matricule.promotions.services.runs import eligibility_run

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_promotions_fill_the_last_post_once(
    make_rule, make_campaign, sergeants, board_for
):
    make_rule()
    campaign = make_campaign()
    run = eligibility_run(campaign=campaign, by=None)
    (vacancy,) = vacancies.vacancies_propose(campaign=campaign, by=None)
    vacancies.vacancy_fix(vacancy=vacancy, fixed=1, reason="Un seul poste budgété", by=None)
    board_for(campaign)
    officer_ids = list(
        Eligibility.objects.filter(run=run, eligible=True).values_list("officer_id", flat=True)
    )
    assert len(officer_ids) == 4

    def promote(officer_id: int) -> Callable[[], Any]:
        return lambda: boards.decision_record(
            campaign=Campaign.objects.get(pk=campaign.pk),
            officer=Officer.objects.get(pk=officer_id),
            outcome="promoted",
            by=None,
            justification="Choix de la commission après délibération",
        )

    results = run_together(*[promote(pk) for pk in officer_ids])
    saved = Decision.objects.filter(campaign_id=campaign.pk, outcome="promoted").count()
    made = [r for r in results if isinstance(r, Decision)]
    full = [r for r in results if isinstance(r, boards.VacanciesFull)]
    assert (len(made), len(full)) == (1, 3), results
    assert saved == 1
