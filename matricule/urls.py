from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from matricule.api.idempotency import idempotent_urls
from matricule.api.urls import api
from matricule.personnel.views.accounts import officer_accounts
from matricule.recruitment.views import public as recruitment_public
from matricule.training.views import people as training_public
from matricule.web.views.home import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers that ignore <link rel="icon"> still ask for /favicon.ico.
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("compte/agents/", officer_accounts, name="officer_accounts"),
    path("compte/", include("matricule.accounts.urls")),
    path("api/v1/", idempotent_urls(api.urls)),
    path("agents/", include("matricule.personnel.urls")),
    path("technique/", admin.site.urls),
    path("", include("matricule.corrections.urls")),
    path("cartes/", include("matricule.cards.urls")),
    path("", include("matricule.cards.public_urls")),
    path("formation/", include("matricule.training.urls")),
    path(
        "certificats/verifier/<str:token>",
        training_public.certificate_verify,
        name="certificate_verify",
    ),
    path("concours/", include("matricule.recruitment.urls")),
    path("", include("matricule.deployments.urls")),
    path("", include("matricule.evaluations.urls")),
    path("", include("matricule.promotions.urls")),
    path("rapports/", include("matricule.reports.urls")),
    path("resultats-concours/", recruitment_public.result_lookup, name="recruitment_lookup"),
    path("", include("matricule.web.urls")),
]
