from __future__ import annotations

from django.urls import path

from matricule.web.views import audit, home, reference

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/export/", audit.audit_export_view, name="audit_export"),
    path("referentiels/", reference.reference_index, name="reference_index"),
    path("referentiels/<slug:slug>/", reference.reference_list, name="reference_list"),
    path("referentiels/<slug:slug>/nouveau/", reference.reference_edit, name="reference_create"),
    path("referentiels/<slug:slug>/<int:pk>/", reference.reference_edit, name="reference_edit"),
]
