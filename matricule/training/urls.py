from __future__ import annotations

from django.urls import path

from matricule.training.views import catalogue, people, sessions

app_name = "training"

urlpatterns = [
    path("", sessions.session_index, name="session_list"),
    path("sessions/nouvelle/", sessions.session_create_view, name="session_create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/etat/", sessions.session_status_view, name="session_status"),
    path("sessions/<int:pk>/formateurs/", sessions.trainer_add_view, name="trainer_add"),
    path("sessions/<int:pk>/proposer/", sessions.nominate_view, name="nominate"),
    path(
        "sessions/<int:pk>/inscriptions/<int:enrolment_pk>/<str:action>/",
        sessions.enrolment_action_view,
        name="enrolment_action",
    ),
    path("sessions/<int:pk>/presences/<str:day>/", sessions.attendance_view, name="attendance"),
    path("sessions/<int:pk>/resultats/", sessions.results_view, name="results"),
    path("sessions/<int:pk>/cloturer/", sessions.session_close_view, name="session_close"),
    path("catalogue/", catalogue.course_list, name="course_list"),
    path("catalogue/nouvelle/", catalogue.course_create_view, name="course_create"),
    path("catalogue/<str:code>/", catalogue.course_detail, name="course_detail"),
    path("catalogue/<str:code>/modifier/", catalogue.course_edit_view, name="course_edit"),
    path("echeances/", people.expiring_view, name="expiring"),
    path("couverture/", people.coverage_view, name="coverage"),
    path("obligations/", catalogue.required_training_view, name="required"),
    path("couverture/export.<str:fmt>", people.coverage_export_view, name="coverage_export"),
    path("competences/", people.skill_search_view, name="skill_search"),
    path("mes-formations/", people.my_training, name="my_training"),
    path("agents/<str:matricule>/", people.officer_training_view, name="officer_training"),
    path("certificats/<str:number>.pdf", people.certificate_download, name="certificate_pdf"),
]
