from __future__ import annotations

from django.urls import path

from matricule.reports.views import careers, dashboard, exports, reports

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard_view, name="dashboard"),
    path("effectifs/", reports.headcount_view, name="headcount"),
    path("pyramide/", reports.pyramid_view, name="pyramid"),
    path("retraites/", reports.retirements_view, name="retirements"),
    path("retraites/agents/", reports.retirement_list_view, name="retirement_list"),
    path("effectifs-autorises/", reports.establishment_view, name="establishment"),
    path("deploiements/", dashboard.deployments_view, name="deployments"),
    path("evaluations/", careers.evaluations_view, name="evaluations"),
    path("avancement/", careers.promotions_view, name="promotions"),
    path("etat-des-effectifs/", exports.monthly_state_view, name="monthly_state"),
    path("<slug:report>/export.<str:fmt>", exports.report_export_view, name="export"),
]
