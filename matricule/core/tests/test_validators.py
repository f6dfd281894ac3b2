"""Names are names: civil-status spellings pass, formulas and markup do not."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from matricule.core.validators import person_name

NAMES = ["Maïga", "N'Diaye", "N’Diaye", "Ag Mohamed", "Ould Sidi", "Touré dit Papa", "Sidi-Mohamed"]
NOT_NAMES = [
    '=HYPERLINK("http://x","Clic")',
    "+22376000000",
    "-1+1",
    "@SUM(A1)",
    "\tTraoré",
    "Traoré2",
    "Maïga<script>",
    "'Diarra",
]


@pytest.mark.parametrize("name", NAMES)
def test_civil_status_names_pass(name):
    person_name(name)


@pytest.mark.parametrize("name", NOT_NAMES)
def test_formulas_and_markup_are_not_names(name):
    with pytest.raises(ValidationError):
        person_name(name)
