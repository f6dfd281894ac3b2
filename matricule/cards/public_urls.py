"""Public addresses of the card checks: /v/<token> (printed in the QR) and /verify/."""

from __future__ import annotations

from django.urls import path

from matricule.cards import public_views as views

app_name = "verify"

urlpatterns = [
    path("v/<str:token>", views.card_check_view, name="check"),
    path("v/<str:token>/photo", views.card_check_photo, name="check_photo"),
    path("verify/", views.verify_page, name="page"),
    path("verify/sw.js", views.verify_service_worker, name="service_worker"),
    path("verify/keys.json", views.verify_keys, name="keys"),
    path("verify/names.json", views.verify_names, name="names"),
    path("verify/revoked", views.verify_revoked, name="revoked"),
]
