"""The system administrator's screens: accounts, role grants, API tokens, card keys, backups.

Every write goes through a service with its reason in the audit trail; the irreversible
ones (disable, password reset, second factor reset, revoke, key rotation, backup) are
confirmed first (core.confirm). Nothing here lists officers: a sysadmin sees personnel
data only if also granted an HR role.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from matricule.accounts import selectors as sel
from matricule.accounts import services
from matricule.accounts.access import require_perm
from matricule.accounts.models import RoleGrant, User
from matricule.accounts.roles import ROLE_PERMISSIONS, TWO_FACTOR_ROLES, Perm, Role
from matricule.accounts.scopes import agency_ids_with
from matricule.cards.keys import key_rotate, private_key_path, public_keys
from matricule.cards.models import Card
from matricule.core.confirm import Confirmation, confirm_page, is_confirmed
from matricule.core.forms import add_service_errors
from matricule.web import backups
from matricule.web.forms import GrantChangeForm, GrantForm, ReasonForm, UnitPickForm, UserCreateForm

PAGE_SIZE = 50


def _admin(request: HttpRequest) -> User:
    return require_perm(request, Perm.USERS_MANAGE)


@login_required
@require_GET
def admin_index(request: HttpRequest) -> HttpResponse:
    _admin(request)
    locked = sel.locked_usernames()
    return render(
        request,
        "web/admin/index.html",
        {
            "n_users": User.objects.filter(is_active=True).count(),
            "n_locked": len(locked),
            "n_tokens": sel.token_list(viewer=_admin(request))
            .filter(revoked_at__isnull=True)
            .count(),
            "n_archives": len(backups.archive_list()),
        },
    )


# --- Accounts ---------------------------------------------------------------------------


@login_required
@require_GET
def user_list_view(request: HttpRequest) -> HttpResponse:
    viewer = _admin(request)
    q = request.GET.get("q", "")[:100]
    locked_only = request.GET.get("verrouilles") == "1"
    page = Paginator(
        sel.user_list(viewer=viewer, q=q, locked_only=locked_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/admin/user_list.html",
        {
            "page": page,
            "q": q,
            "locked_only": locked_only,
            "locked": set(sel.locked_usernames()),
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponse:
    viewer = _admin(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_create(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                by=viewer,
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _password_sheet(request, user, password, created=True)
    return render(request, "web/admin/user_form.html", {"form": form})


def _password_sheet(
    request: HttpRequest, user: User, password: str, *, created: bool
) -> HttpResponse:
    response = render(
        request,
        "web/admin/password_sheet.html",
        {"account": user, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _admin(request)
    user = sel.user_get(viewer=viewer, pk=pk)
    agencies = agency_ids_with(viewer, Perm.USERS_MANAGE)
    return render(
        request,
        "web/admin/user_detail.html",
        {
            "account": user,
            "grants": sel.user_grants(viewer=viewer, user=user),
            "grant_form": GrantForm(agencies=agencies, prefix="g"),
            "locked": sel.is_locked(user.username),
            "two_factor": bool(user.roles & TWO_FACTOR_ROLES),
            "has_device": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "tokens": list(user.api_tokens.filter(revoked_at__isnull=True)),
            "perms": sorted(
                {p for g in user.active_grants for p in ROLE_PERMISSIONS.get(g.role, ())}
            ),
        },
    )


# What each account action does, for its confirmation page.
USER_ACTIONS: dict[str, dict[str, Any]] = {
    "desactiver": {
        "title": _lazy("Désactiver le compte"),
        "button": _lazy("Désactiver le compte"),
        "consequences": [
            _lazy("Le compte ne peut plus se connecter ni utiliser ses jetons d'API."),
            _lazy("Ses rôles restent enregistrés : réactivez le compte pour les lui rendre."),
        ],
        "undo": _lazy("Réversible : le compte peut être réactivé depuis cette page."),
    },
    "reactiver": {
        "title": _lazy("Réactiver le compte"),
        "button": _lazy("Réactiver le compte"),
        "consequences": [_lazy("Le compte peut de nouveau se connecter avec ses rôles actuels.")],
        "undo": _lazy("Réversible : le compte peut être désactivé de nouveau."),
        "danger": False,
    },
    "mot-de-passe": {
        "title": _lazy("Réinitialiser le mot de passe"),
        "button": _lazy("Donner un mot de passe provisoire"),
        "consequences": [
            _lazy("L'ancien mot de passe ne fonctionne plus."),
            _(
                "Un mot de passe provisoire s'affiche une seule fois : remettez-le en main "
                "propre ; il devra être changé à la première connexion."
            ),
        ],
    },
    "double-authentification": {
        "title": _lazy("Réinitialiser la double authentification"),
        "button": _lazy("Oublier l'application d'authentification"),
        "consequences": [
            _lazy(
                "Les applications d'authentification enregistrées sont oubliées (téléphone perdu)."
            ),
            _lazy("À sa prochaine connexion, l'utilisateur en enregistre une nouvelle."),
        ],
    },
    "debloquer": {
        "title": _lazy("Débloquer le compte"),
        "button": _lazy("Débloquer le compte"),
        "consequences": [
            _lazy(
                "Les tentatives de connexion manquées sont effacées : l'utilisateur peut réessayer."
            ),
        ],
        "undo": _lazy("Sans effet sur le mot de passe ni sur les rôles."),
        "danger": False,
    },
}


@login_required
@require_http_methods(["GET", "POST"])
def user_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    viewer = _admin(request)
    user = sel.user_get(viewer=viewer, pk=pk)
    if action not in USER_ACTIONS:
        raise Http404
    spec = USER_ACTIONS[action]
    form = ReasonForm(request.POST if is_confirmed(request) else None)
    detail = reverse("web:admin_user", args=[user.pk])
    if is_confirmed(request) and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if action in ("desactiver", "reactiver"):
                services.user_set_active(
                    user=user, active=action == "reactiver", by=viewer, reason=reason
                )
                messages.success(request, _("Compte %(u)s mis à jour.") % {"u": user.username})
            elif action == "mot-de-passe":
                password = services.password_reset(user=user, by=viewer, reason=reason)
                return _password_sheet(request, user, password, created=False)
            elif action == "double-authentification":
                n = services.totp_reset(user=user, by=viewer, reason=reason)
                messages.success(
                    request, _("%(n)d application(s) d'authentification oubliée(s).") % {"n": n}
                )
            else:
                services.lockout_reset(username=user.username, by=viewer, reason=reason)
                messages.success(request, _("Compte %(u)s débloqué.") % {"u": user.username})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(detail)
    return confirm_page(
        request,
        Confirmation(
            title=spec["title"],
            question=_("Compte « %(u)s » (%(name)s).")
            % {"u": user.username, "name": user.get_full_name() or "—"},
            button=spec["button"],
            consequences=spec["consequences"],
            undo=spec.get("undo", ""),
            danger=spec.get("danger", True),
            form=form,
            cancel_url=detail,
        ),
    )


# --- Role grants ------------------------------------------------------------------------


@login_required
@require_http_methods(["POST"])
def grant_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _admin(request)
    user = sel.user_get(viewer=viewer, pk=pk)
    agencies = agency_ids_with(viewer, Perm.USERS_MANAGE)
    form = GrantForm(request.POST, agencies=agencies, prefix="g")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.role_grant(
                user=user,
                role=data["role"],
                agency=data["agency"],
                unit=data["unit"],
                by=viewer,
                reason=data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Rôle « %(r)s » attribué à %(u)s.")
                % {"r": Role(data["role"]).label, "u": user.username},
            )
            return redirect("web:admin_user", pk=user.pk)
    return render(
        request, "web/admin/grant_form.html", {"account": user, "form": form, "grant": None}
    )


def _grant(viewer: User, pk: int) -> RoleGrant:
    grant = (
        RoleGrant.objects.select_related("user", "agency", "unit")
        .filter(pk=pk, agency_id__in=agency_ids_with(viewer, Perm.USERS_MANAGE))
        .first()
    )
    if grant is None:
        raise Http404
    return grant


@login_required
@require_http_methods(["GET", "POST"])
def grant_change_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _admin(request)
    grant = _grant(viewer, pk)
    form = GrantChangeForm(
        request.POST or None, agency_id=grant.agency_id, initial={"unit": grant.unit_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_change(
                grant=grant,
                unit=form.cleaned_data["unit"],
                by=viewer,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Périmètre du rôle modifié."))
            return redirect("web:admin_user", pk=grant.user_id)
    return render(
        request, "web/admin/grant_form.html", {"account": grant.user, "form": form, "grant": grant}
    )


@login_required
@require_http_methods(["GET", "POST"])
def grant_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _admin(request)
    grant = _grant(viewer, pk)
    form = ReasonForm(request.POST if is_confirmed(request) else None)
    if is_confirmed(request) and form.is_valid():
        services.role_revoke(grant=grant, by=viewer, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Rôle « %(r)s » retiré à %(u)s.")
            % {"r": grant.get_role_display(), "u": grant.user.username},
        )
        return redirect("web:admin_user", pk=grant.user_id)
    scope = (
        grant.unit.name
        if grant.unit
        else _("toute l'agence %(a)s") % {"a": grant.agency.short_name}
    )
    return confirm_page(
        request,
        Confirmation(
            title=_("Retirer un rôle"),
            question=_("Retirer à %(u)s le rôle « %(r)s » sur %(s)s ?")
            % {"u": grant.user.username, "r": grant.get_role_display(), "s": scope},
            button=_("Retirer le rôle"),
            consequences=[
                _(
                    "Dès sa prochaine page, l'utilisateur n'a plus accès à ce périmètre "
                    "avec ce rôle."
                ),
            ],
            undo=_(
                "Le rôle peut être attribué de nouveau ; le retrait reste dans la piste d'audit."
            ),
            form=form,
            cancel_url=reverse("web:admin_user", args=[grant.user_id]),
        ),
    )


@login_required
@require_GET
def unit_access_view(request: HttpRequest) -> HttpResponse:
    """Who can see this unit: every grant whose scope covers it."""
    viewer = _admin(request)
    form = UnitPickForm(request.GET or None, agencies=agency_ids_with(viewer, Perm.USERS_MANAGE))
    grants: list[RoleGrant] | None = None
    unit = None
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        grants = sel.grants_covering(viewer=viewer, unit=unit)
    return render(
        request, "web/admin/unit_access.html", {"form": form, "grants": grants, "unit": unit}
    )


# --- API tokens -------------------------------------------------------------------------


@login_required
@require_GET
def token_list_view(request: HttpRequest) -> HttpResponse:
    viewer = _admin(request)
    prefix = request.GET.get("prefixe", "")[:8]
    page = Paginator(sel.token_list(viewer=viewer, prefix=prefix), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "web/admin/token_list.html",
        {"page": page, "prefix": prefix, "query": f"prefixe={prefix}" if prefix else ""},
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _admin(request)
    token = sel.token_get(viewer=viewer, pk=pk)
    if token.revoked_at is not None:
        messages.info(request, _("Ce jeton est déjà révoqué."))
        return redirect("web:admin_tokens")
    form = ReasonForm(request.POST if is_confirmed(request) else None)
    if is_confirmed(request) and form.is_valid():
        services.token_revoke(token=token, by=viewer, reason=form.cleaned_data["reason"])
        messages.success(request, _("Jeton %(p)s… révoqué.") % {"p": token.prefix})
        return redirect("web:admin_tokens")
    return confirm_page(
        request,
        Confirmation(
            title=_("Révoquer un jeton d'API"),
            question=_("Révoquer le jeton %(p)s… de %(u)s (%(n)s) ?")
            % {"p": token.prefix, "u": token.user.username, "n": token.name or "—"},
            button=_("Révoquer le jeton"),
            consequences=[
                _("Les programmes qui utilisent ce jeton sont refusés dès maintenant."),
                _("Un nouveau jeton se crée avec la commande « manage.py issue_token »."),
            ],
            form=form,
            cancel_url=reverse("web:admin_tokens"),
        ),
    )


# --- Card signing keys ------------------------------------------------------------------


@login_required
@require_GET
def key_list_view(request: HttpRequest) -> HttpResponse:
    require_perm(request, Perm.KEYS_MANAGE)
    counts = dict(
        Card.objects.exclude(kid="").values("kid").annotate(n=Count("id")).values_list("kid", "n")
    )
    keys = [
        {
            "key": key,
            "cards": counts.get(key.kid, 0),
            "private": private_key_path(key.kid).exists(),
        }
        for key in public_keys()
    ]
    return render(request, "web/admin/key_list.html", {"keys": keys})


@login_required
@require_http_methods(["GET", "POST"])
def key_rotate_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.KEYS_MANAGE)
    form = ReasonForm(request.POST if is_confirmed(request) else None)
    if is_confirmed(request) and form.is_valid():
        key = key_rotate(by=viewer, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Nouvelle clé %(k)s en service. Sauvegardez le dossier des clés avec la base.")
            % {"k": key.kid},
        )
        return redirect("web:admin_keys")
    return confirm_page(
        request,
        Confirmation(
            title=_("Changer de clé de signature des cartes"),
            question=_("Créer une nouvelle clé de signature et retirer la clé actuelle ?"),
            button=_("Créer la nouvelle clé"),
            consequences=[
                _("Les cartes imprimées à partir de maintenant sont signées par la nouvelle clé."),
                _(
                    "L'ancienne clé est retirée mais reste publiée : les cartes qu'elle a "
                    "signées restent vérifiables, en ligne et hors ligne."
                ),
                _(
                    "Les vérificateurs hors ligne doivent être ouverts une fois avec du réseau "
                    "pour connaître la nouvelle clé."
                ),
                _("La clé privée est écrite dans le dossier des clés : sauvegardez-le."),
            ],
            undo=_("Ce que fait aussi la commande « manage.py card_keys rotate »."),
            form=form,
            cancel_url=reverse("web:admin_keys"),
        ),
    )


# --- Backups ----------------------------------------------------------------------------


@login_required
@require_GET
def backup_list_view(request: HttpRequest) -> HttpResponse:
    _admin(request)
    return render(
        request,
        "web/admin/backup_list.html",
        {"archives": backups.archive_list(), "folder": backups.backup_dir()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def backup_start_view(request: HttpRequest) -> HttpResponse:
    viewer = _admin(request)
    form = ReasonForm(request.POST if is_confirmed(request) else None)
    if is_confirmed(request) and form.is_valid():
        try:
            name = backups.backup_start(by=viewer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Sauvegarde %(f)s lancée en tâche de fond : elle apparaît dans la liste "
                    "une fois terminée."
                )
                % {"f": name},
            )
            return redirect("web:admin_backups")
    return confirm_page(
        request,
        Confirmation(
            title=_("Lancer une sauvegarde"),
            question=_("Sauvegarder maintenant la base et les fichiers dans %(d)s ?")
            % {"d": backups.backup_dir()},
            button=_("Lancer la sauvegarde"),
            consequences=[
                _("La sauvegarde tourne en tâche de fond ; le site reste utilisable."),
                _("Copiez ensuite l'archive hors du serveur (disque externe, autre site)."),
            ],
            undo=_("Sans effet sur les données : une archive de plus dans le dossier."),
            danger=False,
            form=form,
            cancel_url=reverse("web:admin_backups"),
        ),
    )
