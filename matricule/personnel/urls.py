from __future__ import annotations

from django.urls import include, path

from matricule.personnel.views import career, discipline, documents, officers

app_name = "personnel"

urlpatterns = [
    path("", officers.officer_list, name="officer_list"),
    path("export.<str:fmt>", officers.officer_export, name="officer_export"),
    path("nouveau/", officers.officer_create_view, name="officer_create"),
    path("effectifs/", officers.establishment_view, name="establishment"),
    path("imports/", include("matricule.personnel.importing.urls")),
    path("<str:matricule>/", officers.officer_profile, name="officer_profile"),
    path("<str:matricule>/modifier/", officers.officer_edit, name="officer_edit"),
    path("<str:matricule>/carriere/", career.officer_career, name="officer_career"),
    path("<str:matricule>/carriere/<str:kind>/", career.event_create, name="event_create"),
    path(
        "<str:matricule>/evenements/<int:pk>/corriger/", career.event_correct, name="event_correct"
    ),
    path("<str:matricule>/procedures/ouvrir/", discipline.case_open_view, name="case_open"),
    path(
        "<str:matricule>/procedures/<int:pk>/clore/", discipline.case_close_view, name="case_close"
    ),
    path("<str:matricule>/documents/", documents.officer_documents, name="officer_documents"),
    path("<str:matricule>/ajouter/<str:what>/", documents.record_line_add_view, name="line_add"),
    path(
        "<str:matricule>/retirer/<str:what>/<int:pk>/",
        documents.record_line_remove_view,
        name="line_remove",
    ),
    path(
        "<str:matricule>/documents/<int:pk>/", documents.document_download, name="document_download"
    ),
    path("<str:matricule>/photo/", documents.photo_upload, name="photo_upload"),
    path("<str:matricule>/photo/<int:pk>.jpg", documents.photo_file, name="photo_file"),
]
