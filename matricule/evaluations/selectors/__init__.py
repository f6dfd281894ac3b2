"""Every read of evaluations, filtered by the viewer's scope in the query."""

from __future__ import annotations

from matricule.evaluations.selectors.marks import closed_years, officer_marks

__all__ = ["closed_years", "officer_marks"]
