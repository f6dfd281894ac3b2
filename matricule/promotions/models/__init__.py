"""Promotion (avancement): rules, campaigns and runs, boards, decisions and appeals."""

from __future__ import annotations

from matricule.promotions.models.boards import (
    Appeal,
    AppealStatus,
    Board,
    BoardMember,
    Decision,
    Outcome,
)
from matricule.promotions.models.campaigns import (
    Campaign,
    CampaignStatus,
    Eligibility,
    EligibilityPhrase,
    EligibilityRun,
    ExamScore,
    Vacancy,
)
from matricule.promotions.models.rules import (
    Component,
    MissingCycles,
    PromotionRule,
    Route,
    RuleComponent,
)

__all__ = [
    "Appeal",
    "AppealStatus",
    "Board",
    "BoardMember",
    "Campaign",
    "CampaignStatus",
    "Component",
    "Decision",
    "Eligibility",
    "EligibilityPhrase",
    "EligibilityRun",
    "ExamScore",
    "MissingCycles",
    "Outcome",
    "PromotionRule",
    "Route",
    "RuleComponent",
    "Vacancy",
]
