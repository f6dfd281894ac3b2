"""The officer record."""

from __future__ import annotations

import datetime
import unicodedata

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, Corps, Grade, Unit

nina_validator = RegexValidator(
    r"^\d{14}[A-Z]$",
    _("Le NINA comporte 14 chiffres suivis d'une lettre majuscule (ex. 12345678901234A)."),
)


def fold(text: str) -> str:
    """Lower-case, accent-free form used for search: 'Maïga' → 'maiga'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().replace("-", " ").replace("'", " ").split())


class Sex(models.TextChoices):
    MALE = "M", _("Masculin")
    FEMALE = "F", _("Féminin")


class Status(models.TextChoices):
    ACTIVE = "active", _("En activité")
    LEAVE = "leave", _("En congé")
    SUSPENDED = "suspended", _("Suspendu")
    SECONDED = "seconded", _("Détaché")
    DEPLOYED = "deployed", _("En mission")
    TRAINING = "training", _("En formation")
    RETIRED = "retired", _("Retraité")
    RESIGNED = "resigned", _("Démissionnaire")
    DISMISSED = "dismissed", _("Révoqué")
    DECEASED = "deceased", _("Décédé")


IN_SERVICE_STATUSES = (
    Status.ACTIVE,
    Status.LEAVE,
    Status.SUSPENDED,
    Status.SECONDED,
    Status.DEPLOYED,
    Status.TRAINING,
)


class Officer(models.Model):
    """One record per officer for the whole career; current situation kept as a snapshot."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="officers", verbose_name=_("agence")
    )
    matricule = models.CharField(_("matricule"), max_length=20, unique=True)
    nina = models.CharField(
        _("NINA"), max_length=15, unique=True, null=True, blank=True, validators=[nina_validator]
    )
    family_name = models.CharField(_("nom"), max_length=100)
    given_names = models.CharField(_("prénom(s)"), max_length=150)
    # Accent- and case-free "family given" form, kept in step by services, for fast search.
    search_name = models.CharField(max_length=260, db_index=True, editable=False)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date de naissance"))
    birth_place = models.CharField(_("lieu de naissance"), max_length=120, blank=True)
    corps = models.ForeignKey(Corps, on_delete=models.PROTECT, verbose_name=_("corps"))
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, verbose_name=_("grade"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="officers", verbose_name=_("unité")
    )
    status = models.CharField(
        _("position"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    entry_date = models.DateField(_("date d'entrée"))
    exit_date = models.DateField(_("date de sortie"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["family_name", "given_names", "id"]
        indexes = [
            models.Index(fields=["unit", "grade"], name="officer_unit_grade"),
            models.Index(fields=["family_name", "given_names"], name="officer_name"),
            models.Index(fields=["status"], name="officer_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=models.F("entry_date")),
                name="officer_exit_after_entry",
            ),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="officer_sex_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()} {self.given_names} ({self.matricule})"

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_names}"

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years
