"""Idempotent seeding of the deployments reference rows (migration, demo and tests)."""

from __future__ import annotations

from matricule.deployments.models import PartnerAgency
from matricule.deployments.seed_data import PARTNER_AGENCIES


def seed_partner_agencies() -> int:
    """Create the partner agencies that are missing; returns how many were created."""
    existing = set(PartnerAgency.objects.values_list("code", flat=True))
    rows = [
        PartnerAgency(code=code, name=name, short_name=short, international=international)
        for code, name, short, international in PARTNER_AGENCIES
        if code not in existing
    ]
    PartnerAgency.objects.bulk_create(rows)
    return len(rows)
