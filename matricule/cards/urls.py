from __future__ import annotations

from django.urls import path

from matricule.cards import views

app_name = "cards"

urlpatterns = [
    path("", views.card_list_view, name="card_list"),
    path("demande-unite/", views.batch_request_view, name="batch_request"),
    path("impression/", views.batch_print_view, name="batch_print"),
    path("sans-carte/", views.missing_report_view, name="missing_report"),
    path("sans-carte/export.csv", views.missing_export_view, name="missing_export"),
    path("ma-carte/", views.my_card_view, name="my_card"),
    path("ma-carte/<str:number>/<str:action>/", views.my_card_action_view, name="my_card_action"),
    path("agent/<str:matricule>/", views.officer_cards_view, name="officer_cards"),
    path("<str:number>/", views.card_detail_view, name="card_detail"),
    path("<str:number>/pdf/", views.card_pdf_view, name="card_pdf"),
    path("<str:number>/remise/", views.card_hand_over_view, name="card_hand_over"),
    path("<str:number>/activer/", views.card_activate_view, name="card_activate"),
    path("<str:number>/retirer/", views.card_withdraw_view, name="card_withdraw"),
]
