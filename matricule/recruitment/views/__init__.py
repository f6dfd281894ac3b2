"""Recruitment screens, one module per part of the journey. Thin: access, form, service,
redirect."""

from __future__ import annotations

from matricule.recruitment.views.candidates import (
    candidate_create_view,
    candidate_detail,
    candidate_document_download,
    candidate_document_upload,
    candidate_list_view,
    candidate_withdraw_view,
)
from matricule.recruitment.views.cohort import (
    cohort_assignments_import,
    cohort_graduate_view,
    cohort_view,
    member_edit,
)
from matricule.recruitment.views.funnel import (
    funnel_export,
    funnel_view,
)
from matricule.recruitment.views.intakes import (
    config_add,
    config_remove,
    intake_advance_view,
    intake_create_view,
    intake_detail,
    intake_edit_view,
    intake_list_view,
    stage_config,
)
from matricule.recruitment.views.results import (
    intake_publish_view,
    intake_rank_view,
    intake_unpublish_view,
    ranking_view,
    result_entry,
    results_pdf_view,
    stage_import,
    stage_results,
    stage_template,
)

__all__ = [
    "candidate_create_view",
    "candidate_detail",
    "candidate_document_download",
    "candidate_document_upload",
    "candidate_list_view",
    "candidate_withdraw_view",
    "cohort_assignments_import",
    "cohort_graduate_view",
    "cohort_view",
    "config_add",
    "config_remove",
    "funnel_export",
    "funnel_view",
    "intake_advance_view",
    "intake_create_view",
    "intake_detail",
    "intake_edit_view",
    "intake_list_view",
    "intake_publish_view",
    "intake_rank_view",
    "intake_unpublish_view",
    "member_edit",
    "ranking_view",
    "result_entry",
    "results_pdf_view",
    "stage_config",
    "stage_import",
    "stage_results",
    "stage_template",
]
