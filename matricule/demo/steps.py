"""The demo force, built step by step from each app's `demo.py` (in dependency order).

A new app adds its step here: one call of its demo entry point, after the steps whose
data it needs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from matricule.cards import demo as cards_demo
from matricule.demo.users import demo_users_create
from matricule.deployments import demo as deployments_demo
from matricule.evaluations import demo as evaluations_demo
from matricule.personnel import demo as personnel_demo
from matricule.personnel import demo_agencies as personnel_agencies_demo
from matricule.promotions import demo as promotions_demo
from matricule.recruitment import demo as recruitment_demo
from matricule.training import demo as training_demo


def seed_demo(
    *,
    officers: int,
    seed: int,
    today: datetime.date,
    progress: Callable[[int], None] | None = None,
    step_done: Callable[[str], None] | None = None,
) -> int:
    """Build the whole demo; returns the number of officer records created."""

    def done(name: str) -> None:
        if step_done is not None:
            step_done(name)

    # Part of the force comes out of the demo intake's graduation (recruitment step).
    recruitment = recruitment_demo.demo_scale(officers)
    created = personnel_demo.seed_demo(
        officers=officers - recruitment["graduates"], seed=seed, today=today, progress=progress
    )
    created += personnel_agencies_demo.seed_agencies_demo(officers=officers, seed=seed, today=today)
    done("personnel")
    training_demo.seed_training_demo(seed=seed, today=today)
    done("training")
    deployments_demo.seed_deployments_demo(seed=seed, today=today)
    done("deployments")
    created += recruitment_demo.seed_recruitment_demo(seed=seed, today=today, **recruitment)
    done("recruitment")
    cards_demo.seed_cards_demo(seed=seed, today=today)
    done("cards")
    demo_users_create()
    done("users")
    # After the users: the demo head of unit (chef.ca1) is linked to the officer in command.
    evaluations_demo.seed_evaluations_demo(seed=seed, today=today)
    done("evaluations")
    # After the users: the past campaign's board sits with the demo board member.
    promotions_demo.seed_promotions_demo(seed=seed, today=today)
    done("promotions")
    return created
