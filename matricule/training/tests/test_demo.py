from __future__ import annotations

import datetime

import pytest

from matricule.personnel.demo import seed_demo
from matricule.training.demo import seed_training_demo
from matricule.training.models import Certificate, Enrolment, OfficerSkill, TrainingSession

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
TODAY = datetime.date(2026, 11, 21)


def _fingerprint():
    return list(
        Enrolment.objects.order_by("session__start_date", "officer__matricule").values_list(
            "session__course__code", "session__start_date", "officer__matricule", "result"
        )[:200]
    )


def test_demo_history_is_realistic_idempotent_and_deterministic(mali):
    from django.db import transaction

    seed_demo(officers=200, seed=3, today=TODAY)
    runs = []
    for _ in range(2):
        with transaction.atomic():
            created = seed_training_demo(seed=3, today=TODAY)
            runs.append(_fingerprint())
            assert 4 * 200 <= created <= 6 * 200  # about five results per officer
            assert seed_training_demo(seed=3, today=TODAY) == 0  # idempotent
            starts = TrainingSession.objects.values_list("start_date", flat=True)
            assert min(starts) < TODAY - datetime.timedelta(days=365 * 9)
            assert Certificate.objects.filter(expires_on__lt=TODAY).exists()
            assert Certificate.objects.filter(expires_on__isnull=True).exists()
            assert TrainingSession.objects.filter(partner__isnull=False).exists()
            assert OfficerSkill.objects.filter(source="declared", confirmed=False).exists()
            assert OfficerSkill.objects.filter(source="course", certificate__isnull=False).exists()
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
