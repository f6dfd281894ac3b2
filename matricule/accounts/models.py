"""Users, their role grants on scopes, and API tokens."""

from __future__ import annotations

import hashlib
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.accounts.roles import ROLE_PERMISSIONS, TWO_FACTOR_ROLES, Role
from matricule.core.models import Agency, Unit


class User(AbstractUser):
    officer = models.OneToOneField(
        "personnel.Officer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user_account",
        verbose_name=_("agent"),
    )
    must_change_password = models.BooleanField(_("doit changer son mot de passe"), default=False)
    # Unread notifications, kept in step by `notify` and `notifications_mark_read`: the
    # header shows it on every page from the user row already loaded, at no extra query.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    @cached_property
    def active_grants(self) -> list[RoleGrant]:
        """The user's grants, loaded once per request with their scope."""
        return list(self.role_grants.select_related("agency", "unit").order_by("role", "id"))

    @property
    def roles(self) -> set[str]:
        return {grant.role for grant in self.active_grants}

    def has_perm_anywhere(self, perm: str) -> bool:
        return any(perm in ROLE_PERMISSIONS.get(g.role, ()) for g in self.active_grants)

    def grants_with(self, perm: str) -> list[RoleGrant]:
        return [g for g in self.active_grants if perm in ROLE_PERMISSIONS.get(g.role, ())]

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.roles & TWO_FACTOR_ROLES)


class RoleGrant(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("utilisateur")
    )
    role = models.CharField(_("rôle"), max_length=30, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, verbose_name=_("agence"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("unité (et ses subdivisions)"),
        help_text=_("Vide : toute l'agence."),
    )
    created_at = models.DateTimeField(_("accordé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("attribution de rôle")
        verbose_name_plural = _("attributions de rôle")
        constraints = [
            # Two partial constraints because SQLite treats NULL units as all distinct.
            models.UniqueConstraint(
                fields=["user", "role", "agency", "unit"],
                condition=Q(unit__isnull=False),
                name="rolegrant_unique_unit",
                violation_error_message=_("Ce compte a déjà ce rôle sur cette unité."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(unit__isnull=True),
                name="rolegrant_unique_agency",
                violation_error_message=_("Ce compte a déjà ce rôle sur toute l'agence."),
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id and self.unit else self.agency.short_name
        return f"{self.get_role_display()} — {where}"

    def officer_q(self, prefix: str = "") -> Q:
        """Q selecting officers (through `prefix`) inside this grant's scope.

        An officer seconded to another agency (the OCS case) stays visible to the home
        scope and is also visible to the host unit's scope.
        """
        # Unit ids come as lists from the cached tree: both databases then answer each side
        # of the OR from an index (a subquery there makes PostgreSQL read every officer).
        from matricule.core.refcache import agency_unit_ids, subtree_unit_ids

        home = Q(**{f"{prefix}agency_id": self.agency_id})
        if self.unit_id is not None and self.unit is not None:
            units = subtree_unit_ids(self.unit.path)
            home &= Q(**{f"{prefix}unit_id__in": units})
            hosts = units
        else:
            hosts = agency_unit_ids(self.agency_id)
        return home | Q(**{f"{prefix}host_unit_id__in": hosts})

    def unit_q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}agency_id": self.agency_id})
        if self.unit_id is not None and self.unit is not None:
            q &= Q(**{f"{prefix}path__startswith": self.unit.path})
        return q


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("utilisateur")
    )
    name = models.CharField(_("nom"), max_length=100, blank=True)
    prefix = models.CharField(_("début du jeton"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class Notification(models.Model):
    """A message in a user's inbox (shown in the header and on the home page)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_unread")]

    def __str__(self) -> str:
        return self.message
