from __future__ import annotations

from django.urls import path

from matricule.promotions.views import boards, campaigns, me, rules

app_name = "promotions"

urlpatterns = [
    path("moi/avancement/", me.my_promotion_view, name="my_promotion"),
    path("moi/avancement/recours/", me.my_appeal_view, name="my_appeal"),
    path("avancement/", campaigns.campaign_list_view, name="campaign_list"),
    path("avancement/nouvelle/", campaigns.campaign_create_view, name="campaign_create"),
    path("avancement/regles/", rules.rule_list_view, name="rule_list"),
    path("avancement/regles/nouvelle/", rules.rule_create_view, name="rule_create"),
    path("avancement/<int:pk>/", campaigns.campaign_detail_view, name="campaign_detail"),
    path("avancement/<int:pk>/calcul/", campaigns.run_view, name="run"),
    path("avancement/<int:pk>/examen/", campaigns.exam_score_view, name="exam_score"),
    path("avancement/<int:pk>/eligibilite/", campaigns.eligibility_view, name="eligibility"),
    path("avancement/<int:pk>/versions/<int:version>/", campaigns.diff_view, name="diff"),
    path("avancement/<int:pk>/postes/", campaigns.vacancies_propose_view, name="vacancies_propose"),
    path(
        "avancement/<int:pk>/postes/<int:vacancy_pk>/",
        campaigns.vacancy_fix_view,
        name="vacancy_fix",
    ),
    path("avancement/<int:pk>/commission/creer/", campaigns.board_create_view, name="board_create"),
    path("avancement/<int:pk>/commission/", boards.board_view, name="board"),
    path("avancement/<int:pk>/commission/decision/", boards.decision_view, name="decision"),
    path("avancement/<int:pk>/commission/proces-verbal/", boards.minutes_view, name="minutes"),
    path(
        "avancement/<int:pk>/commission/exceptionnel/",
        boards.exceptional_view,
        name="exceptional",
    ),
    path("avancement/<int:pk>/equite/", boards.fairness_view, name="fairness"),
    path("avancement/<int:pk>/recours/", boards.appeals_view, name="appeals"),
    path(
        "avancement/<int:pk>/recours/<int:appeal_pk>/",
        boards.appeal_decide_view,
        name="appeal_decide",
    ),
    path(
        "avancement/<int:pk>/recours/<int:appeal_pk>/piece.pdf",
        boards.appeal_scan_view,
        name="appeal_scan",
    ),
    path("avancement/<int:pk>/publier/", campaigns.publish_view, name="publish"),
    path("avancement/<int:pk>/prononcer/", campaigns.effect_view, name="effect"),
    path("avancement/<int:pk>/tableau.pdf", campaigns.tableau_pdf_view, name="tableau_pdf"),
    path("avancement/<int:pk>/tableau.xlsx", campaigns.tableau_xlsx_view, name="tableau_xlsx"),
]
