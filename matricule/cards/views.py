"""Badge office screens (requests, batch print, handover, lifecycle, report) and the
officer's own card page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.access import require_perm
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with, officer_scope_q
from matricule.cards import forms as f
from matricule.cards.models import (
    PENDING_STATUSES,
    VALID_STATUSES,
    CardStatus,
    RevokeReason,
)
from matricule.cards.pdf import render_cards_pdf
from matricule.cards.selectors import (
    card_get,
    card_list,
    card_read,
    card_status_counts,
    cards_pdf_access_log,
    missing_cards_by_unit,
    officer_cards,
    officers_without_card,
    with_photo_flag,
)
from matricule.cards.services import (
    card_activate,
    card_hand_over,
    card_reprint,
    card_request,
    card_withdraw,
    cards_missing_export,
    cards_print,
    cards_request_for_unit,
)
from matricule.core.confirm import Confirmation, confirm_page, is_confirmed
from matricule.core.exports import FORMATS, tabular_response
from matricule.core.forms import flash_service_errors
from matricule.core.models import Unit
from matricule.personnel.access import record_access_log
from matricule.personnel.filters import scoped_units
from matricule.personnel.models import Channel, Officer
from matricule.personnel.profile import profile_context
from matricule.personnel.selectors import officer_get, viewer_perms_for

PAGE_SIZE = 50
PRINT_BATCH_MAX = 200
EXPORT_MAX = 100_000


def _viewer(request: HttpRequest) -> User:
    return require_perm(request, Perm.CARDS_MANAGE)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def card_list_view(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    units = scoped_units(viewer, Perm.CARDS_MANAGE)
    form = f.CardFilterForm(request.GET or None, units=units)
    status = unit_code = q = ""
    if form.is_valid():
        status = form.cleaned_data["status"]
        unit_code = form.cleaned_data["unit"]
        q = form.cleaned_data["q"]
    unit = next((u for u in units if u.code == unit_code), None)
    qs = card_list(viewer=viewer, status=status, unit=unit, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = card_status_counts(viewer=viewer)
    return render(
        request,
        "cards/card_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "counts": [(s, label, counts.get(s, 0)) for s, label in CardStatus.choices],
            "current_status": status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_request_view(request: HttpRequest) -> HttpResponse:
    """Request a card for every officer of a unit who has no valid card."""
    viewer = _viewer(request)
    units = scoped_units(viewer, Perm.CARDS_MANAGE)
    form = f.UnitChoiceForm(request.POST or request.GET or None, units=units)
    preview = None
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        if request.method == "POST":
            cards = cards_request_for_unit(
                unit=Unit.objects.get(pk=unit.id),
                officer_scope=officer_scope_q(viewer, Perm.CARDS_MANAGE),
                by=viewer,
            )
            if cards:
                messages.success(
                    request,
                    _("%(n)d carte(s) demandée(s) pour %(unit)s.")
                    % {"n": len(cards), "unit": unit.name},
                )
            else:
                messages.info(
                    request,
                    _("Tous les agents de cette unité ont une carte valide ou en préparation."),
                )
            return redirect(f"{reverse('cards:card_list')}?status=requested&unit={unit.code}")
        preview = (
            officers_without_card(viewer=viewer, unit=unit)
            .exclude(cards__status__in=PENDING_STATUSES)
            .count()
        )
    return render(request, "cards/batch_request.html", {"form": form, "preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
def batch_print_view(request: HttpRequest) -> HttpResponse:
    """Choose requested cards, sign them and download the A4 sheets (10 cards a sheet)."""
    viewer = _viewer(request)
    units = scoped_units(viewer, Perm.CARDS_MANAGE)
    unit = next((u for u in units if u.code == request.GET.get("unit", "")), None)
    waiting = list(
        with_photo_flag(card_list(viewer=viewer, status=CardStatus.REQUESTED, unit=unit))[
            :PRINT_BATCH_MAX
        ]
    )
    form = f.PrintForm(
        request.POST if request.method == "POST" else None, numbers=[c.number for c in waiting]
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["cards"])
        cards = [c for c in waiting if c.number in chosen]
        without_photo = [c.number for c in cards if not c.has_photo]  # type: ignore[attr-defined]
        if without_photo and not form.cleaned_data["allow_no_photo"]:
            form.add_error(
                "allow_no_photo",
                ngettext(
                    "La carte %(n)s n'a pas de photo du titulaire : décochez-la, ajoutez la "
                    "photo au dossier, ou cochez la case pour l'imprimer quand même.",
                    "%(count)d cartes n'ont pas de photo du titulaire (%(n)s) : décochez-les, "
                    "ajoutez les photos, ou cochez la case pour les imprimer quand même.",
                    len(without_photo),
                )
                % {"n": ", ".join(without_photo[:10]), "count": len(without_photo)},
            )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["cards"])
        cards = [c for c in waiting if c.number in chosen]
        try:
            printed = cards_print(cards=cards, by=viewer)
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            cards_pdf_access_log(viewer=viewer, cards=printed)
            pdf = render_cards_pdf(printed, layout="a4", base_url=_public_base(request))
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            return _pdf_response(pdf, f"cartes-{stamp}.pdf")
    return render(
        request,
        "cards/batch_print.html",
        {
            "form": form,
            "waiting": waiting,
            "units": units,
            "unit": unit,
            "max": PRINT_BATCH_MAX,
            "checked": request.GET.get("aucune") != "1",
            "chosen": set(request.POST.getlist("cards")) if request.method == "POST" else None,
            "missing_photos": len([c for c in waiting if not getattr(c, "has_photo", True)]),
        },
    )


def _public_base(request: HttpRequest) -> str:
    """Base of the QR address: the server as the badge office reaches it (https in
    production, where the proxy says so)."""
    return f"{request.scheme}://{request.get_host()}"


@login_required
@require_GET
def card_detail_view(request: HttpRequest, number: str) -> HttpResponse:
    viewer = _viewer(request)
    card = card_read(viewer=viewer, number=number)
    checks = list(card.verifications.order_by("-checked_at", "-id")[:10])
    return render(
        request,
        "cards/card_detail.html",
        {
            "card": card,
            "checks": checks,
            "can_print": card.status in (CardStatus.REQUESTED, CardStatus.PRINTED),
            "can_hand_over": card.status == CardStatus.PRINTED,
            "can_activate": card.status == CardStatus.ISSUED,
            "can_withdraw": card.status in (*VALID_STATUSES, *PENDING_STATUSES),
            "has_pdf": bool(card.token),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_pdf_view(request: HttpRequest, number: str) -> HttpResponse:
    """GET: the PDF of a card already printed (reprint). POST: print a requested card."""
    viewer = _viewer(request)
    card = card_get(viewer=viewer, number=number)
    if request.method == "POST":
        has_photo = card.officer.photos.exists()
        if not has_photo and not is_confirmed(request):
            return confirm_page(
                request,
                Confirmation(
                    title=_("Imprimer une carte sans photo"),
                    question=_("La carte %(n)s sera imprimée sans photo du titulaire.")
                    % {"n": card.number},
                    button=_("Imprimer quand même"),
                    consequences=[
                        _("La carte est signée et passe à l'état « Imprimée »."),
                        _("Sans photo, un contrôleur ne peut pas comparer le visage du porteur."),
                    ],
                    undo=_("Mieux vaut ajouter la photo au dossier puis imprimer."),
                    cancel_url=reverse("cards:card_detail", args=[card.number]),
                ),
            )
        try:
            card = cards_print(cards=[card], by=viewer)[0]
        except ValidationError as error:
            flash_service_errors(request, error)
            return redirect("cards:card_detail", number=card.number)
    elif not card.token:
        raise Http404
    else:
        card_reprint(card=card, by=viewer)
    cards_pdf_access_log(viewer=viewer, cards=[card])
    pdf = render_cards_pdf([card], layout="single", base_url=_public_base(request))
    return _pdf_response(pdf, f"carte-{card.number}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def card_hand_over_view(request: HttpRequest, number: str) -> HttpResponse:
    viewer = _viewer(request)
    card = card_get(viewer=viewer, number=number)
    if card.status != CardStatus.PRINTED:
        messages.error(request, _("Seule une carte imprimée peut être remise."))
        return redirect("cards:card_detail", number=card.number)
    officer = card.officer
    form = f.HandOverForm(
        request.POST if request.method == "POST" else None,
        initial={"handed_to": f"{officer.family_name.upper()} {officer.given_names}"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            card_hand_over(card=card, handed_to=form.cleaned_data["handed_to"], by=viewer)
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(
                request, _("Remise de la carte %(n)s enregistrée.") % {"n": card.number}
            )
            return redirect("cards:card_detail", number=card.number)
    return render(
        request, "cards/card_action.html", {"card": card, "form": form, "action": "hand_over"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_activate_view(request: HttpRequest, number: str) -> HttpResponse:
    viewer = _viewer(request)
    card = card_get(viewer=viewer, number=number)
    form = f.ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            card_activate(card=card, by=viewer)
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, _("Carte %(n)s activée.") % {"n": card.number})
        return redirect("cards:card_detail", number=card.number)
    return render(
        request, "cards/card_action.html", {"card": card, "form": form, "action": "activate"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_withdraw_view(request: HttpRequest, number: str) -> HttpResponse:
    """Lost, stolen, revoked or returned — after confirmation."""
    viewer = _viewer(request)
    card = card_get(viewer=viewer, number=number)
    motif = request.GET.get("motif") or request.POST.get("reason") or ""
    initial = {"reason": motif} if motif else None
    form = f.WithdrawForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            card_withdraw(
                card=card,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
                by=viewer,
            )
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(
                request,
                _("Carte %(n)s : %(s)s. Elle n'est plus valide.")
                % {"n": card.number, "s": RevokeReason(form.cleaned_data["reason"]).label},
            )
            return redirect("cards:card_detail", number=card.number)
    officer = card.officer
    titles = {
        RevokeReason.LOST: _("Déclarer la carte perdue"),
        RevokeReason.STOLEN: _("Déclarer la carte volée"),
        RevokeReason.RETURNED: _("Déclarer la carte restituée"),
        RevokeReason.REVOKED: _("Révoquer la carte"),
    }
    title = titles.get(motif, _("Retirer la carte"))  # type: ignore[call-overload]
    return confirm_page(
        request,
        Confirmation(
            title=title,
            question=_("Carte %(n)s de %(name)s %(given)s (%(m)s).")
            % {
                "n": card.number,
                "name": officer.family_name.upper(),
                "given": officer.given_names,
                "m": officer.matricule,
            },
            button=title,
            consequences=[
                _(
                    "La carte cesse d'être valide immédiatement : un contrôle en ligne la dira "
                    "RETIRÉE, et les vérificateurs hors ligne dès leur prochaine mise à jour."
                ),
                _("Le titulaire devra demander une nouvelle carte."),
            ],
            form=form,
            action_url=request.path,
            cancel_url=reverse("cards:card_detail", args=[card.number]),
        ),
    )


@login_required
@require_http_methods(["GET"])
def missing_report_view(request: HttpRequest) -> HttpResponse:
    """Officers in service without a valid card, per unit."""
    viewer = _viewer(request)
    units = scoped_units(viewer, Perm.CARDS_MANAGE)
    rows = missing_cards_by_unit(viewer=viewer, units=units)
    totals = {
        "in_service": sum(r.in_service for r in rows),
        "without_card": sum(r.without_card for r in rows),
        "pending": sum(r.pending for r in rows),
    }
    return render(request, "cards/missing_report.html", {"rows": rows, "totals": totals})


@login_required
@require_GET
def missing_export_view(request: HttpRequest) -> HttpResponseBase:
    """The officers without a valid card, one line each, as CSV (opens in Excel) or XLSX."""
    viewer = _viewer(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    units = scoped_units(viewer, Perm.CARDS_MANAGE)
    unit = next((u for u in units if u.code == request.GET.get("unit", "")), None)
    columns, rows = cards_missing_export(viewer=viewer, unit=unit)
    return tabular_response(
        fmt=fmt,
        filename=f"agents-sans-carte-{timezone.localdate():%Y-%m-%d}",
        title=_("Agents sans carte"),
        columns=columns,
        rows=rows,
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_cards_view(request: HttpRequest, matricule: str) -> HttpResponse:
    """The "Carte" tab of the officer's record: their cards and a request button."""
    viewer = _viewer(request)
    officer = officer_get(viewer=viewer, matricule=matricule)
    if Perm.CARDS_MANAGE not in viewer_perms_for(
        viewer, officer
    ) or officer.agency_id not in agency_ids_with(viewer, Perm.CARDS_MANAGE):
        raise Http404
    if request.method == "POST":
        try:
            card = card_request(officer=officer, by=viewer)
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, _("Carte %(n)s demandée.") % {"n": card.number})
        return redirect("cards:officer_cards", matricule=officer.matricule)
    record_access_log(viewer=viewer, officers=[officer], channel=Channel.SCREEN, classes=["card"])
    context = profile_context(request, viewer=viewer, officer=officer, tab="card")
    context.update({"cards": officer_cards(officer=officer)})
    return render(request, "cards/officer_cards.html", context)


def _own_officer(request: HttpRequest) -> Officer:
    user = request.user
    if not isinstance(user, User) or user.officer is None:
        raise Http404
    return user.officer


@login_required
@require_GET
def my_card_view(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "officer", None) is None:
        return render(request, "cards/my_card.html", {"officer": None})
    officer = _own_officer(request)
    cards = officer_cards(officer=officer)
    current = next((c for c in cards if c.status in VALID_STATUSES), None)
    pending = next((c for c in cards if c.status in PENDING_STATUSES), None)
    return render(
        request,
        "cards/my_card.html",
        {"officer": officer, "cards": cards, "current": current, "pending": pending},
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_card_action_view(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """The holder declares their card lost, or confirms they received it."""
    if action not in ("perdue", "recue"):
        raise Http404
    officer = _own_officer(request)
    card = officer.cards.filter(number=number, status__in=VALID_STATUSES).first()
    if card is None:
        raise Http404
    form = f.ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)
        try:
            if action == "perdue":
                card_withdraw(
                    card=card,
                    reason=RevokeReason.LOST,
                    detail=_("déclarée par le titulaire"),
                    by=user,
                )
                messages.success(
                    request,
                    _(
                        "Perte enregistrée : la carte %(n)s n'est plus valide. Adressez-vous "
                        "au service des cartes pour une nouvelle carte."
                    )
                    % {"n": card.number},
                )
            else:
                card_activate(card=card, by=user)
                messages.success(request, _("Réception de la carte confirmée."))
        except ValidationError as error:
            flash_service_errors(request, error)
        return redirect("cards:my_card")
    return render(
        request, "cards/my_card_action.html", {"card": card, "form": form, "action": action}
    )
