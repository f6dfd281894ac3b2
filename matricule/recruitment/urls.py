from __future__ import annotations

from django.urls import path

from matricule.recruitment import views as v

app_name = "recruitment"

urlpatterns = [
    path("", v.intake_list_view, name="intake_list"),
    path("nouveau/", v.intake_create_view, name="intake_create"),
    path("<int:pk>/", v.intake_detail, name="intake_detail"),
    path("<int:pk>/modifier/", v.intake_edit_view, name="intake_edit"),
    path("<int:pk>/etat/", v.intake_advance_view, name="intake_advance"),
    path("<int:pk>/ajouter/<str:what>/", v.config_add, name="config_add"),
    path("<int:pk>/supprimer/<str:what>/<int:item>/", v.config_remove, name="config_remove"),
    path("<int:pk>/epreuves/<int:stage_pk>/", v.stage_results, name="stage_results"),
    path("<int:pk>/epreuves/<int:stage_pk>/reglages/", v.stage_config, name="stage_config"),
    path("<int:pk>/epreuves/<int:stage_pk>/saisie/", v.result_entry, name="result_entry"),
    path("<int:pk>/epreuves/<int:stage_pk>/import/", v.stage_import, name="stage_import"),
    path("<int:pk>/epreuves/<int:stage_pk>/modele.xlsx", v.stage_template, name="stage_template"),
    path("<int:pk>/candidats/", v.candidate_list_view, name="candidate_list"),
    path("<int:pk>/candidats/nouveau/", v.candidate_create_view, name="candidate_create"),
    path("<int:pk>/candidats/<str:number>/", v.candidate_detail, name="candidate_detail"),
    path(
        "<int:pk>/candidats/<str:number>/pieces/",
        v.candidate_document_upload,
        name="candidate_document_upload",
    ),
    path(
        "<int:pk>/candidats/<str:number>/pieces/<int:doc_pk>/",
        v.candidate_document_download,
        name="candidate_document",
    ),
    path(
        "<int:pk>/candidats/<str:number>/desistement/",
        v.candidate_withdraw_view,
        name="candidate_withdraw",
    ),
    path("<int:pk>/classement/", v.ranking_view, name="ranking"),
    path("<int:pk>/classer/", v.intake_rank_view, name="intake_rank"),
    path("<int:pk>/publier/", v.intake_publish_view, name="intake_publish"),
    path("<int:pk>/retirer-publication/", v.intake_unpublish_view, name="intake_unpublish"),
    path("<int:pk>/listes/<str:kind>.pdf", v.results_pdf_view, name="results_pdf"),
    path("<int:pk>/entonnoir/", v.funnel_view, name="funnel"),
    path("<int:pk>/entonnoir.xlsx", v.funnel_export, name="funnel_export"),
    path("<int:pk>/promotion/", v.cohort_view, name="cohort"),
    path("<int:pk>/promotion/eleves/<int:member_pk>/", v.member_edit, name="member_edit"),
    path("<int:pk>/promotion/sortie/", v.cohort_graduate_view, name="cohort_graduate"),
    path(
        "<int:pk>/promotion/affectations/",
        v.cohort_assignments_import,
        name="cohort_assignments",
    ),
]
