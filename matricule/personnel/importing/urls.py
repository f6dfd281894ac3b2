"""Import screens, included under the personnel namespace at /agents/imports/."""

from __future__ import annotations

from django.urls import path

from matricule.personnel.importing import views

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("nouveau/", views.import_new, name="import_new"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/progression/", views.import_progress, name="import_progress"),
    path("<int:pk>/confirmer/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/correspondances/", views.import_values, name="import_values"),
    path("<int:pk>/correspondances.csv", views.import_values_file, name="import_values_file"),
    path("<int:pk>/lignes-a-corriger.xlsx", views.import_rejects, name="import_rejects"),
    path("<int:pk>/relancer/", views.import_restart_view, name="import_restart"),
]
