from __future__ import annotations

import pytest

from matricule.core.matricule import check_letter, matricule_allocate, matricule_is_valid


def test_check_letter_catches_a_wrong_digit_and_a_swap():
    good = "PN004521" + check_letter("PN004521")
    assert matricule_is_valid(good, prefix="PN", digits=6)
    assert not matricule_is_valid("PN004531" + good[-1], prefix="PN", digits=6)
    assert not matricule_is_valid("PN005421" + good[-1], prefix="PN", digits=6)
    assert not matricule_is_valid("PN04521" + good[-1], prefix="PN", digits=6)


@pytest.mark.django_db
def test_allocated_matricules_are_valid_and_never_reused(mali):
    first = matricule_allocate(agency=mali, count=3)
    second = matricule_allocate(agency=mali, count=2)
    assert len(set(first + second)) == 5
    assert all(matricule_is_valid(m, prefix="PN", digits=6) for m in first + second)
