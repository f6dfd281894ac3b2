from __future__ import annotations

from django.urls import path

from matricule.training import views, views_catalogue, views_people

app_name = "training"

urlpatterns = [
    path("", views.session_index, name="session_list"),
    path("sessions/nouvelle/", views.session_create_view, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/etat/", views.session_status_view, name="session_status"),
    path("sessions/<int:pk>/formateurs/", views.trainer_add_view, name="trainer_add"),
    path("sessions/<int:pk>/proposer/", views.nominate_view, name="nominate"),
    path(
        "sessions/<int:pk>/inscriptions/<int:enrolment_pk>/<str:action>/",
        views.enrolment_action_view,
        name="enrolment_action",
    ),
    path("sessions/<int:pk>/presences/<str:day>/", views.attendance_view, name="attendance"),
    path("sessions/<int:pk>/resultats/", views.results_view, name="results"),
    path("sessions/<int:pk>/cloturer/", views.session_close_view, name="session_close"),
    path("catalogue/", views_catalogue.course_list, name="course_list"),
    path("catalogue/nouvelle/", views_catalogue.course_create_view, name="course_create"),
    path("catalogue/<str:code>/", views_catalogue.course_detail, name="course_detail"),
    path("catalogue/<str:code>/modifier/", views_catalogue.course_edit_view, name="course_edit"),
    path("echeances/", views_people.expiring_view, name="expiring"),
    path("couverture/", views_people.coverage_view, name="coverage"),
    path("obligations/", views_catalogue.required_training_view, name="required"),
    path("couverture/export.<str:fmt>", views_people.coverage_export, name="coverage_export"),
    path("competences/", views_people.skill_search_view, name="skill_search"),
    path("mes-formations/", views_people.my_training, name="my_training"),
    path("agents/<str:matricule>/", views_people.officer_training_view, name="officer_training"),
    path("certificats/<str:number>.pdf", views_people.certificate_download, name="certificate_pdf"),
]
