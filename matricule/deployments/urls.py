from __future__ import annotations

from django.urls import path

from matricule.deployments.views import missions, operations, positions, readiness

app_name = "deployments"

urlpatterns = [
    path("operations/", operations.operation_list_view, name="operation_list"),
    path("operations/nouvelle/", operations.operation_create_view, name="operation_create"),
    path("operations/<int:pk>/", operations.operation_detail_view, name="operation_detail"),
    path("operations/<int:pk>/modifier/", operations.operation_edit_view, name="operation_edit"),
    path("operations/<int:pk>/etat/", operations.operation_status_view, name="operation_status"),
    path("operations/<int:pk>/documents/", operations.document_upload_view, name="document_upload"),
    path(
        "operations/documents/<int:pk>/",
        operations.document_download_view,
        name="document_download",
    ),
    path(
        "operations/<int:pk>/postes/nouveau/",
        positions.position_create_view,
        name="position_create",
    ),
    path("operations/postes/<int:pk>/", positions.position_detail_view, name="position_detail"),
    path(
        "operations/postes/<int:pk>/modifier/", positions.position_edit_view, name="position_edit"
    ),
    path(
        "operations/postes/<int:pk>/exigences/",
        positions.requirement_add_view,
        name="requirement_add",
    ),
    path(
        "operations/postes/<int:pk>/exigences/<int:requirement_pk>/retirer/",
        positions.requirement_remove_view,
        name="requirement_remove",
    ),
    path(
        "operations/postes/<int:pk>/candidats/",
        positions.position_search_view,
        name="position_search",
    ),
    path(
        "operations/postes/<int:pk>/candidats.<str:fmt>",
        positions.position_export_view,
        name="position_export",
    ),
    path("operations/postes/<int:pk>/affecter/", positions.assign_view, name="assign"),
    path(
        "operations/affectations/<int:pk>/terminer/",
        positions.assignment_end_view,
        name="assignment_end",
    ),
    path(
        "operations/affectations/<int:pk>/annuler/",
        positions.assignment_cancel_view,
        name="assignment_cancel",
    ),
    path("operations/onu/", readiness.un_roster_view, name="un_roster"),
    path("operations/onu/resultats/", readiness.un_assessment_view, name="un_assessment"),
    path("operations/disponibilite/", readiness.unit_readiness_view, name="unit_readiness"),
    path(
        "operations/competences-critiques/",
        readiness.critical_skills_view,
        name="critical_skills",
    ),
    path(
        "operations/competences-critiques/<int:pk>/retirer/",
        readiness.critical_skill_remove_view,
        name="critical_skill_remove",
    ),
    path("operations/personnel/", missions.staff_missions_view, name="staff_missions"),
    path(
        "operations/agents/<str:matricule>/",
        missions.officer_missions_view,
        name="officer_missions",
    ),
    path("moi/missions/", missions.my_missions_view, name="my_missions"),
]
