"""Import screens, included under the personnel namespace at /agents/imports/."""

from __future__ import annotations

from django.urls import path

from matricule.personnel import import_views

urlpatterns = [
    path("", import_views.import_list, name="import_list"),
    path("nouveau/", import_views.import_new, name="import_new"),
    path("<int:pk>/", import_views.import_detail, name="import_detail"),
    path("<int:pk>/progression/", import_views.import_progress, name="import_progress"),
    path("<int:pk>/confirmer/", import_views.import_confirm, name="import_confirm"),
]
