from __future__ import annotations

from django.contrib.auth.views import LogoutView
from django.urls import path

from matricule.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("double-authentification/", views.otp_verify, name="otp_verify"),
    path("double-authentification/activer/", views.otp_setup, name="otp_setup"),
    path("notifications/", views.notifications, name="notifications"),
]
