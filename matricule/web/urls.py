from __future__ import annotations

from django.urls import path

from matricule.web.views import administration as adm
from matricule.web.views import audit, home, reference

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/export/", audit.audit_export_view, name="audit_export"),
    path("administration/", adm.admin_index, name="admin_index"),
    path("administration/comptes/", adm.user_list_view, name="admin_users"),
    path("administration/comptes/nouveau/", adm.user_create_view, name="admin_user_create"),
    path("administration/comptes/<int:pk>/", adm.user_detail_view, name="admin_user"),
    path(
        "administration/comptes/<int:pk>/roles/", adm.grant_create_view, name="admin_grant_create"
    ),
    path(
        "administration/comptes/<int:pk>/<slug:action>/",
        adm.user_action_view,
        name="admin_user_action",
    ),
    path("administration/roles/<int:pk>/", adm.grant_change_view, name="admin_grant_change"),
    path(
        "administration/roles/<int:pk>/retirer/", adm.grant_revoke_view, name="admin_grant_revoke"
    ),
    path("administration/acces-unite/", adm.unit_access_view, name="admin_unit_access"),
    path("administration/jetons/", adm.token_list_view, name="admin_tokens"),
    path(
        "administration/jetons/<int:pk>/revoquer/", adm.token_revoke_view, name="admin_token_revoke"
    ),
    path("administration/cles/", adm.key_list_view, name="admin_keys"),
    path("administration/cles/nouvelle/", adm.key_rotate_view, name="admin_key_rotate"),
    path("administration/sauvegardes/", adm.backup_list_view, name="admin_backups"),
    path("administration/sauvegardes/lancer/", adm.backup_start_view, name="admin_backup_start"),
    path("referentiels/", reference.reference_index, name="reference_index"),
    path("referentiels/<slug:slug>/", reference.reference_list, name="reference_list"),
    path("referentiels/<slug:slug>/nouveau/", reference.reference_edit, name="reference_create"),
    path("referentiels/<slug:slug>/<int:pk>/", reference.reference_edit, name="reference_edit"),
]
