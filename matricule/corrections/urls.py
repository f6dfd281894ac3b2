from __future__ import annotations

from django.urls import path

from matricule.corrections import views

app_name = "corrections"

urlpatterns = [
    path("moi/", views.my_record, name="my_record"),
    path("moi/fiche.pdf", views.my_record_pdf, name="my_record_pdf"),
    path("moi/photo/<int:pk>.jpg", views.my_photo, name="my_photo"),
    path("moi/documents/<int:pk>/", views.my_document, name="my_document"),
    path("moi/corrections/", views.my_request_list, name="my_requests"),
    path(
        "moi/corrections/information/<str:field_name>/",
        views.correction_new_field,
        name="new_field",
    ),
    path("moi/corrections/evenement/<int:pk>/", views.correction_new_event, name="new_event"),
    path("moi/corrections/<int:pk>/retirer/", views.correction_withdraw_view, name="withdraw"),
    path("moi/consultations/", views.my_accesses, name="my_accesses"),
    path("corrections/", views.queue, name="queue"),
    path("corrections/<int:pk>/", views.review, name="review"),
    path("corrections/<int:pk>/pieces/<int:evidence_pk>/", views.evidence_file, name="evidence"),
    path("consultations/", views.inspector_accesses, name="accesses"),
]
