from __future__ import annotations

from django.urls import path

from matricule.evaluations.views import cycles, evaluations, forms

app_name = "evaluations"

urlpatterns = [
    path("evaluations/", evaluations.inbox_view, name="inbox"),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail_view, name="detail"),
    path("evaluations/<int:pk>/fiche.pdf", evaluations.sheet_pdf_view, name="sheet_pdf"),
    path("evaluations/<int:pk>/auto-evaluation/", evaluations.self_assess_view, name="self_assess"),
    path("evaluations/<int:pk>/passer/", evaluations.skip_self_view, name="skip_self"),
    path("evaluations/<int:pk>/noter/", evaluations.rate_view, name="rate"),
    path("evaluations/<int:pk>/revue/", evaluations.review_view, name="review"),
    path(
        "evaluations/<int:pk>/prise-de-connaissance/",
        evaluations.acknowledge_view,
        name="acknowledge",
    ),
    path("evaluations/<int:pk>/recours/", evaluations.appeal_view, name="appeal"),
    path("evaluations/<int:pk>/decision/", evaluations.decide_view, name="decide"),
    path("evaluations/<int:pk>/designer/", evaluations.reassign_view, name="reassign"),
    path("evaluations/a-designer/", evaluations.hr_queue_view, name="hr_queue"),
    path("evaluations/campagnes/", cycles.cycle_list_view, name="cycle_list"),
    path("evaluations/campagnes/ouvrir/", cycles.cycle_open_view, name="cycle_open"),
    path("evaluations/campagnes/<int:pk>/", cycles.cycle_detail_view, name="cycle_detail"),
    path("evaluations/campagnes/<int:pk>/exclusions/", cycles.exclusions_view, name="exclusions"),
    path(
        "evaluations/campagnes/<int:pk>/exclusions/<int:exclusion_pk>/reintegrer/",
        cycles.reinstate_view,
        name="reinstate",
    ),
    path(
        "evaluations/campagnes/<int:pk>/prolonger/", cycles.cycle_extend_view, name="cycle_extend"
    ),
    path("evaluations/campagnes/<int:pk>/clore/", cycles.cycle_close_view, name="cycle_close"),
    path(
        "evaluations/campagnes/<int:pk>/harmonisation/",
        cycles.calibration_view,
        name="calibration",
    ),
    path("evaluations/fiches/", forms.form_list_view, name="form_list"),
    path("evaluations/fiches/nouvelle/", forms.form_create_view, name="form_create"),
    path("evaluations/fiches/<int:pk>/", forms.form_edit_view, name="form_edit"),
    path("moi/evaluations/", evaluations.my_evaluations_view, name="my_evaluations"),
]
