"""Template helpers of the evaluations screens."""

from __future__ import annotations

from typing import Any

from django import template

from matricule.accounts.roles import Perm

register = template.Library()


@register.simple_tag(takes_context=True)
def evaluation_rights(context: Any) -> dict[str, bool]:
    """Which tabs of the evaluations menu the signed-in user gets."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"view": False, "manage": False}
    return {
        "view": user.has_perm_anywhere(Perm.EVALUATION_VIEW),
        "manage": user.has_perm_anywhere(Perm.EVALUATION_MANAGE),
    }


STEP_COLOURS = {
    "self": "#c9d6e8",
    "rating": "#9db7d8",
    "review": "#6b93c4",
    "ack": "#3f6fa8",
    "appeal": "#c0392b",
    "closed": "#0b3d6e",
}


@register.filter
def step_colour(step: str) -> str:
    return STEP_COLOURS.get(step, "#999")
