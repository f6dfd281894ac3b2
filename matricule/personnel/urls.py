from __future__ import annotations

from django.urls import include, path

from matricule.personnel import views

app_name = "personnel"

urlpatterns = [
    path("", views.officer_list, name="officer_list"),
    path("export.<str:fmt>", views.officer_export, name="officer_export"),
    path("nouveau/", views.officer_create_view, name="officer_create"),
    path("effectifs/", views.establishment_view, name="establishment"),
    path("imports/", include("matricule.personnel.import_urls")),
    path("<str:matricule>/", views.officer_profile, name="officer_profile"),
    path("<str:matricule>/modifier/", views.officer_edit, name="officer_edit"),
    path("<str:matricule>/carriere/", views.officer_career, name="officer_career"),
    path("<str:matricule>/carriere/<str:kind>/", views.event_create, name="event_create"),
    path(
        "<str:matricule>/evenements/<int:pk>/corriger/", views.event_correct, name="event_correct"
    ),
    path("<str:matricule>/documents/", views.officer_documents, name="officer_documents"),
    path("<str:matricule>/ajouter/<str:what>/", views.record_line_add_view, name="line_add"),
    path(
        "<str:matricule>/retirer/<str:what>/<int:pk>/",
        views.record_line_remove_view,
        name="line_remove",
    ),
    path("<str:matricule>/documents/<int:pk>/", views.document_download, name="document_download"),
    path("<str:matricule>/photo/", views.photo_upload, name="photo_upload"),
    path("<str:matricule>/photo/<int:pk>.jpg", views.photo_file, name="photo_file"),
]
