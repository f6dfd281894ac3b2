"""Sessions of a course: trainers, enrolments, daily attendance, results and certificates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency
from matricule.personnel.models import Officer
from matricule.training.models.catalogue import Course, Partner


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Programmée")
    OPEN = "open", _("Inscriptions ouvertes")
    RUNNING = "running", _("En cours")
    CLOSED = "closed", _("Clôturée")
    CANCELLED = "cancelled", _("Annulée")


class TrainingSession(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, verbose_name=_("agence organisatrice")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("formation")
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    venue = models.CharField(_("lieu"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"))
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("partenaire financeur"),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["agency", "status", "start_date"], name="session_list")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="session_dates_ordered",
                violation_error_message=_("La date de fin précède la date de début."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=500),
                name="session_capacity_range",
                violation_error_message=_("Le nombre de places doit être entre 1 et 500."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} du {self.start_date:%d/%m/%Y}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class TrainerRole(models.TextChoices):
    LEAD = "lead", _("Formateur principal")
    CO = "co", _("Co-formateur")
    TRAINEE = "trainee", _("Formateur stagiaire")


class SessionTrainer(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="trainers",
        verbose_name=_("session"),
    )
    officer = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    external_name = models.CharField(_("formateur extérieur"), max_length=150, blank=True)
    role = models.CharField(_("rôle"), max_length=8, choices=TrainerRole.choices)

    class Meta:
        verbose_name = _("formateur de la session")
        verbose_name_plural = _("formateurs de la session")
        ordering = ["session", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(officer__isnull=False) & Q(external_name=""))
                | (Q(officer__isnull=True) & ~Q(external_name="")),
                name="sessiontrainer_officer_xor_external",
                violation_error_message=_(
                    "Choisissez un agent formateur ou indiquez le "
                    "nom d'un formateur extérieur, pas les deux."
                ),
            ),
            models.UniqueConstraint(
                fields=["session", "officer"],
                condition=Q(officer__isnull=False),
                name="sessiontrainer_officer_once",
                violation_error_message=_("Cet agent est déjà formateur de cette session."),
            ),
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(role="lead"),
                name="sessiontrainer_one_lead",
                violation_error_message=_("La session a déjà un formateur principal."),
            ),
        ]

    def __str__(self) -> str:
        return self.external_name or str(self.officer)

    @property
    def name(self) -> str:
        return self.external_name or (self.officer.full_name if self.officer else "")


class EnrolmentState(models.TextChoices):
    NOMINATED = "nominated", _("Proposé par son chef")
    ENROLLED = "enrolled", _("Inscrit")
    WAITING = "waiting", _("Liste d'attente")
    WITHDRAWN = "withdrawn", _("Retiré")


# States that hold a seat in the session.
SEATED = (EnrolmentState.NOMINATED, EnrolmentState.ENROLLED)


class Result(models.TextChoices):
    PASSED = "passed", _("Admis")
    FAILED = "failed", _("Ajourné")
    ABSENT = "absent", _("Absent")
    WITHDRAWN = "withdrawn", _("Abandon")


class Enrolment(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("session"),
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("agent")
    )
    state = models.CharField(_("état"), max_length=10, choices=EnrolmentState.choices)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nominated_at = models.DateTimeField(_("proposé le"))
    result = models.CharField(_("résultat"), max_length=10, choices=Result.choices, blank=True)
    score = models.DecimalField(
        _("note sur 20"), max_digits=4, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["session", "nominated_at", "id"]
        indexes = [
            models.Index(fields=["officer", "result"], name="enrolment_officer_result"),
            models.Index(fields=["session", "state"], name="enrolment_session_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "officer"],
                name="enrolment_once",
                violation_error_message=_("Cet agent est déjà inscrit à cette session."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=20)),
                name="enrolment_score_range",
                violation_error_message=_("La note doit être comprise entre 0 et 20."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.session}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("inscription"),
    )
    day = models.DateField(_("jour"))
    present = models.BooleanField(_("présent"))

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["enrolment", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "day"],
                name="attendance_once_per_day",
                violation_error_message=_("La présence de ce jour est déjà enregistrée."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.day:%d/%m/%Y} {'P' if self.present else 'A'}"


class CertificateCounter(models.Model):
    """Last certificate number handed out in a year; incremented under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de certificats")
        verbose_name_plural = _("compteurs de certificats")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Certificate(models.Model):
    """The numbered certificate of a passed enrolment ("FORM-2026-000123").

    The public check of the QR uses a value signed with django.core.signing
    (see matricule.training.certificates), so no token is stored here.
    """

    number = models.CharField(_("numéro"), max_length=20, unique=True)
    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("inscription"),
    )
    # Copies of the enrolment's officer and course, so an officer's certificates are one index.
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("agent")
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, verbose_name=_("formation"))
    issued_on = models.DateField(_("délivré le"))
    expires_on = models.DateField(_("valable jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificat")
        verbose_name_plural = _("certificats")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["officer", "course", "expires_on"], name="certificate_officer"),
            models.Index(fields=["expires_on"], name="certificate_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("issued_on")),
                name="certificate_expiry_after_issue",
                violation_error_message=_("L'expiration du certificat doit suivre sa délivrance."),
            )
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: object) -> bool:
        return self.expires_on is None or self.expires_on >= day  # type: ignore[operator]
