from __future__ import annotations

from django.urls import path

from matricule.core import reference_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_list, name="audit_list"),
    path("referentiels/", reference_views.reference_index, name="reference_index"),
    path("referentiels/<slug:slug>/", reference_views.reference_list, name="reference_list"),
    path(
        "referentiels/<slug:slug>/nouveau/", reference_views.reference_edit, name="reference_create"
    ),
    path(
        "referentiels/<slug:slug>/<int:pk>/", reference_views.reference_edit, name="reference_edit"
    ),
]
