"""Career as effective-dated events, each backed by its administrative act where required."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, Grade, Signatory, Unit


class EventKind(models.TextChoices):
    ENTRY = "entry", _("Entrée en service")
    POSTING = "posting", _("Affectation / mutation")
    FUNCTION = "function", _("Fonction")
    GRADE = "grade", _("Changement de grade")
    STATUS = "status", _("Changement de position")
    SECONDMENT = "secondment", _("Détachement")
    RENEWAL = "renewal", _("Renouvellement du détachement")
    SANCTION = "sanction", _("Sanction")
    DECORATION = "decoration", _("Distinction / décoration")
    EXIT = "exit", _("Sortie du service")
    COMMAND = "command", _("Commandement d'unité")


class CommandRole(models.TextChoices):
    """A command appointment over a unit: the head rates the unit's staff (evaluations)."""

    HEAD = "head", _("Chef d'unité")
    DEPUTY = "deputy", _("Adjoint")


# Kinds that need an administrative act (decision or arrêté) to be recorded.
KINDS_NEEDING_ACT = {
    EventKind.ENTRY,
    EventKind.POSTING,
    EventKind.GRADE,
    EventKind.SECONDMENT,
    EventKind.RENEWAL,
    EventKind.SANCTION,
    EventKind.EXIT,
    EventKind.COMMAND,
}


class SanctionGroup(models.IntegerChoices):
    """The statute's four groups of disciplinary sanctions, lightest first."""

    FIRST = 1, _("1er groupe (avertissement, blâme)")
    SECOND = 2, _("2e groupe (mise à pied, radiation du tableau d'avancement)")
    THIRD = 3, _("3e groupe (abaissement d'échelon, rétrogradation)")
    FOURTH = 4, _("4e groupe (mise à la retraite d'office, révocation)")


class ActKind(models.TextChoices):
    DECISION = "decision", _("Décision")
    ARRETE = "arrete", _("Arrêté")
    DECRET = "decret", _("Décret")
    NOTE = "note", _("Note de service")


class CareerEvent(models.Model):
    """One dated fact of a career. Never edited: a correction supersedes it."""

    # Indexed by event_officer_date, which starts with it.
    officer = models.ForeignKey(
        "personnel.Officer",
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("agent"),
        db_index=False,
    )
    kind = models.CharField(_("nature"), max_length=12, choices=EventKind.choices)
    effective_date = models.DateField(_("date d'effet"))
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité"),
    )
    grade = models.ForeignKey(
        Grade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grade"),
    )
    status = models.CharField(_("position"), max_length=12, blank=True)
    # A command appointment (kind "command"): head or deputy of `unit` from
    # effective_date to end_date (open-ended when empty).
    command_role = models.CharField(
        _("commandement"), max_length=8, choices=CommandRole.choices, blank=True
    )
    function = models.CharField(_("fonction"), max_length=150, blank=True)
    host_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agence d'accueil"),
    )
    detail = models.CharField(
        _("précision"),
        max_length=255,
        blank=True,
        help_text=_("Nature de la sanction ou de la distinction, motif de la sortie…"),
    )
    # The group of a sanction (SanctionGroup); empty for a sanction taken over from an old
    # register that did not say it, and for every other kind.
    sanction_group = models.PositiveSmallIntegerField(
        _("groupe de la sanction"), choices=SanctionGroup.choices, null=True, blank=True
    )
    exceptional = models.BooleanField(
        _("à titre exceptionnel"),
        default=False,
        help_text=_("Avancement hors de l'ordre du corps, prévu par l'acte."),
    )
    justification = models.TextField(_("justification"), blank=True)
    act_kind = models.CharField(
        _("type d'acte"), max_length=10, choices=ActKind.choices, blank=True
    )
    act_number = models.CharField(_("numéro de l'acte"), max_length=60, blank=True)
    act_date = models.DateField(_("date de l'acte"), null=True, blank=True)
    act_signatory = models.ForeignKey(
        Signatory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signataire"),
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("remplace l'événement"),
    )
    is_superseded = models.BooleanField(default=False, editable=False)
    # « Reprise de l'historique »: taken over from a legacy register, act optional.
    historical = models.BooleanField(_("reprise de l'historique"), default=False)
    source = models.CharField(_("source"), max_length=60, blank=True)
    date_approximate = models.BooleanField(_("date approximative"), default=False)
    import_job = models.ForeignKey(
        "personnel.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("événement de carrière")
        verbose_name_plural = _("événements de carrière")
        ordering = ["effective_date", "id"]
        indexes = [
            models.Index(fields=["officer", "effective_date", "id"], name="event_officer_date"),
            models.Index(fields=["kind", "effective_date"], name="event_kind_date"),
            models.Index(
                fields=["unit", "kind", "command_role", "effective_date"],
                name="event_command_unit",
                condition=Q(kind="command"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("effective_date")),
                name="event_end_after_start",
                violation_error_message=_("La date de fin doit suivre la date d'effet."),
            ),
            models.CheckConstraint(
                condition=Q(exceptional=False) | ~Q(justification=""),
                name="event_exceptional_justified",
                violation_error_message=_("Un avancement exceptionnel doit être justifié."),
            ),
            models.CheckConstraint(
                condition=Q(sanction_group__isnull=True)
                | Q(kind="sanction", sanction_group__gte=1, sanction_group__lte=4),
                name="event_sanction_group_valid",
                violation_error_message=_("Seule une sanction a un groupe, du 1er au 4e."),
            ),
            models.CheckConstraint(
                condition=(~Q(kind="command") & Q(command_role=""))
                | (Q(kind="command") & ~Q(command_role="") & Q(unit__isnull=False)),
                name="event_command_has_unit_and_role",
                violation_error_message=_(
                    "Un commandement d'unité précise l'unité et le rôle (chef ou adjoint), "
                    "et seul un commandement en a un."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.effective_date:%d/%m/%Y}"

    @property
    def status_label(self) -> str:
        from matricule.personnel.models.officer import Status

        return str(Status(self.status).label) if self.status in Status.values else self.status

    @property
    def act_label(self) -> str:
        if not self.act_number:
            return ""
        kind = self.get_act_kind_display() if self.act_kind else _("Acte")
        date = f" du {self.act_date:%d/%m/%Y}" if self.act_date else ""
        return f"{kind} n° {self.act_number}{date}"


class DisciplinaryCase(models.Model):
    """A disciplinary proceeding (conseil de discipline) opened against an officer.

    Pending while it has no closing date; its outcome, when it is a sanction, is recorded
    as a sanction career event.
    """

    officer = models.ForeignKey(
        "personnel.Officer",
        on_delete=models.CASCADE,
        related_name="disciplinary_cases",
        verbose_name=_("agent"),
    )
    opened_on = models.DateField(_("ouverte le"))
    reference = models.CharField(_("référence"), max_length=60)
    subject = models.CharField(_("objet"), max_length=255)
    closed_on = models.DateField(_("close le"), null=True, blank=True)
    outcome = models.CharField(_("issue"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("procédure disciplinaire")
        verbose_name_plural = _("procédures disciplinaires")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["officer", "closed_on"], name="discipline_officer_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="disciplinarycase_closed_after_opened",
                violation_error_message=_(
                    "La procédure ne peut pas être close avant d'avoir été ouverte."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.opened_on:%d/%m/%Y}"


class SituationPeriod(models.Model):
    """The officer's situation over a span of days, derived from the career events.

    Kept in the same transaction as the events it comes from (`personnel.services.periods`);
    `check_periods` proves it equals the events replayed, and rebuilds it. Reports count the
    force on any past date from it: one row per officer holds on any day.
    """

    # Indexed by period_one_per_officer_and_day, which starts with it.
    officer = models.ForeignKey(
        "personnel.Officer",
        on_delete=models.CASCADE,
        related_name="periods",
        editable=False,
        db_index=False,
    )
    valid_from = models.DateField(_("du"))
    valid_to = models.DateField(_("au (exclu)"), null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    host_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("position"), max_length=12)

    class Meta:
        verbose_name = _("période de situation")
        verbose_name_plural = _("périodes de situation")
        ordering = ["officer", "valid_from"]
        indexes = [
            models.Index(fields=["valid_from"], name="period_from"),
            models.Index(fields=["valid_to"], name="period_to"),
            # The force on a date, officer by officer, read from the index alone.
            models.Index(
                fields=[
                    "officer",
                    "valid_from",
                    "valid_to",
                    "status",
                    "unit",
                    "grade",
                    "host_unit",
                ],
                name="period_officer_situation",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "valid_from"],
                name="period_one_per_officer_and_day",
                violation_error_message=_("Une seule période de situation commence ce jour-là."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="period_ends_after_start",
                violation_error_message=_("Une période finit après son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.valid_from:%d/%m/%Y}"
