from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from matricule.api.urls import api
from matricule.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("compte/", include("matricule.accounts.urls")),
    path("api/v1/", api.urls),
    path("agents/", include("matricule.personnel.urls")),
    path("technique/", admin.site.urls),
    path("", include("matricule.core.urls")),
]
