"""The public result page: a candidate looks up their own result, nobody else's.

No login; each address may try a few times per quarter of an hour (a counter in the
cache), so the page cannot be used to walk through application numbers.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from matricule.core.ratelimit import over_limit
from matricule.recruitment.forms import LookupForm
from matricule.recruitment.models import Candidate, Intake, IntakeStatus

LOOKUPS_PER_WINDOW = 10
WINDOW_SECONDS = 15 * 60
PUBLIC_STATUSES = (IntakeStatus.PUBLISHED, IntakeStatus.GRADUATED)


def _over_limit(request: HttpRequest) -> bool:
    return over_limit(
        request, scope="recruitment-lookup", limit=LOOKUPS_PER_WINDOW, window_seconds=WINDOW_SECONDS
    )


@require_http_methods(["GET", "POST"])
def result_lookup(request: HttpRequest) -> HttpResponse:
    intakes = Intake.objects.filter(status__in=PUBLIC_STATUSES).order_by("-published_at", "-id")
    form = LookupForm(request.POST or None, intakes=intakes)
    found: Candidate | None = None
    searched = False
    status = 200
    if request.method == "POST":
        if _over_limit(request):
            form.add_error(
                None, _("Trop de recherches depuis cette connexion : réessayez dans 15 minutes.")
            )
            status = 429
        elif form.is_valid():
            searched = True
            found = (
                Candidate.objects.filter(
                    intake=form.cleaned_data["intake"],
                    application_number=form.cleaned_data["application_number"].strip().upper(),
                    birth_date=form.cleaned_data["birth_date"],
                )
                .select_related("intake", "eliminated_stage", "ranking", "centre")
                .first()
            )
    return render(
        request,
        "recruitment/public_lookup.html",
        {"form": form, "found": found, "searched": searched},
        status=status,
    )
