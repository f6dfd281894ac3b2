"""An intake (concours): its rules, posts, exam centres and ordered stages."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, Corps, Region
from matricule.personnel.models import MaritalStatus, Sex


class DiplomaLevel(models.IntegerChoices):
    """Ordered levels: eligibility compares a candidate's level with the intake's minimum."""

    NONE = 0, _("Aucun diplôme")
    DEF = 1, _("DEF (diplôme d'études fondamentales)")
    CAP = 2, _("CAP")
    BT = 3, _("BT (brevet de technicien)")
    BAC = 4, _("Baccalauréat")
    BAC2 = 5, _("Bac + 2 (DUT, BTS, DEUG)")
    LICENCE = 6, _("Licence")
    MASTER = 7, _("Master ou maîtrise")
    DOCTORAT = 8, _("Doctorat")


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    OPEN = "open", _("Candidatures ouvertes")
    CLOSED = "closed", _("Épreuves en cours")
    RANKED = "ranked", _("Classement établi")
    PUBLISHED = "published", _("Résultats publiés")
    GRADUATED = "graduated", _("Promotion sortie")


class AgeTieBreak(models.TextChoices):
    YOUNGER = "younger", _("le plus jeune d'abord")
    OLDER = "older", _("le plus âgé d'abord")


class Intake(models.Model):
    """One concours of an agency for a corps."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("agence")
    )
    corps = models.ForeignKey(Corps, on_delete=models.PROTECT, verbose_name=_("corps"))
    title = models.CharField(_("intitulé"), max_length=255)
    posts_total = models.PositiveIntegerField(_("nombre de postes"))
    applications_open = models.DateField(_("ouverture des candidatures"))
    applications_close = models.DateField(_("clôture des candidatures"))
    age_reference_date = models.DateField(
        _("date de référence pour l'âge"),
        help_text=_("L'âge des candidats est calculé à cette date (souvent le 31 décembre)."),
    )
    age_min = models.PositiveSmallIntegerField(_("âge minimum"), default=18)
    age_max = models.PositiveSmallIntegerField(_("âge maximum"), default=25)
    min_diploma = models.PositiveSmallIntegerField(
        _("diplôme minimum"), choices=DiplomaLevel.choices, default=DiplomaLevel.DEF
    )
    nationality_required = models.CharField(
        _("nationalité exigée"),
        max_length=60,
        blank=True,
        default="malienne",
        help_text=_("Vide : pas de condition de nationalité."),
    )
    marital_status_required = models.CharField(
        _("situation de famille exigée"),
        max_length=10,
        choices=MaritalStatus.choices,
        blank=True,
        help_text=_("Seulement si le statut l'exige (ex. célibataire) ; sinon laisser vide."),
    )
    age_tie_break = models.CharField(
        _("départage par l'âge"),
        max_length=8,
        choices=AgeTieBreak.choices,
        default=AgeTieBreak.YOUNGER,
        help_text=_("Appliqué après la note de l'épreuve écrite, à moyenne égale."),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT
    )
    ranked_at = models.DateTimeField(_("classé le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("concours")
        verbose_name_plural = _("concours")
        ordering = ["-applications_open", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_close__gte=models.F("applications_open")),
                name="intake_window_ordered",
                violation_error_message=_(
                    "La clôture des candidatures doit suivre leur ouverture."
                ),
            ),
            models.CheckConstraint(
                condition=Q(age_max__gte=models.F("age_min")),
                name="intake_age_range_ordered",
                violation_error_message=_(
                    "L'âge maximum doit être supérieur ou égal à l'âge minimum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(posts_total__gte=1),
                name="intake_posts_positive",
                violation_error_message=_("Le concours ouvre au moins un poste."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def accepts_candidates(self) -> bool:
        return self.status in (IntakeStatus.DRAFT, IntakeStatus.OPEN)

    @property
    def is_finished(self) -> bool:
        return self.status == IntakeStatus.GRADUATED


class IntakeQuota(models.Model):
    """Posts reserved to a region, a sex, or both: at most `posts` admitted from that group."""

    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("concours")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("région")
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    posts = models.PositiveIntegerField(_("postes"))

    class Meta:
        verbose_name = _("répartition des postes")
        verbose_name_plural = _("répartitions des postes")
        ordering = ["intake", "region__name", "sex"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | ~Q(sex=""),
                name="quota_has_a_group",
                violation_error_message=_(
                    "Précisez la région ou le sexe concerné par cette répartition."
                ),
            ),
        ]

    def __str__(self) -> str:
        parts = [str(self.region) if self.region_id else "", self.get_sex_display()]
        return f"{' / '.join(p for p in parts if p)} : {self.posts}"

    def matches(self, *, region_id: int | None, sex: str) -> bool:
        return (self.region_id is None or self.region_id == region_id) and (
            not self.sex or self.sex == sex
        )


class ExamCentre(models.Model):
    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="centres", verbose_name=_("concours")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=150)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("région")
    )

    class Meta:
        verbose_name = _("centre d'examen")
        verbose_name_plural = _("centres d'examen")
        ordering = ["intake", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "code"],
                name="centre_code_unique_per_intake",
                violation_error_message=_("Un centre de ce concours a déjà ce code."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class StageKind(models.TextChoices):
    DOCUMENTS = "documents", _("Contrôle des dossiers")
    PHYSICAL = "physical", _("Épreuves physiques")
    BODY = "body", _("Visite corporelle")
    WRITTEN = "written", _("Épreuves écrites")
    MEDICAL = "medical", _("Visite médicale")
    PSYCHO = "psycho", _("Évaluation psychologique")
    FRENCH = "french", _("Test de français")
    BACKGROUND = "background", _("Enquête de moralité et casier judiciaire")
    INTERVIEW = "interview", _("Entretien")


class PassRule(models.TextChoices):
    MARK = "mark", _("Note minimale sur 20")
    FIT = "fit", _("Apte / inapte")


# Kinds whose pass rule is a fitness verdict, never a mark.
FIT_KINDS = {StageKind.DOCUMENTS, StageKind.BODY, StageKind.MEDICAL, StageKind.BACKGROUND}
# Kinds whose mark is computed from a detail (events or subjects), not typed directly.
DETAILED_KINDS = {StageKind.PHYSICAL, StageKind.WRITTEN}


class Stage(models.Model):
    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="stages", verbose_name=_("concours")
    )
    order = models.PositiveSmallIntegerField(_("ordre"))
    kind = models.CharField(_("épreuve"), max_length=12, choices=StageKind.choices)
    rule = models.CharField(_("règle de réussite"), max_length=4, choices=PassRule.choices)
    pass_mark = models.DecimalField(
        _("note minimale"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Sur 20 ; en dessous, le candidat est éliminé."),
    )
    counts_in_ranking = models.BooleanField(_("compte pour le classement"), default=False)
    weight = models.DecimalField(
        _("coefficient"),
        max_digits=5,
        decimal_places=2,
        default=1,
        help_text=_("Poids au classement."),
    )

    class Meta:
        verbose_name = _("épreuve")
        verbose_name_plural = _("épreuves")
        ordering = ["intake", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "order"],
                name="stage_order_unique",
                violation_error_message=_("Une épreuve de ce concours occupe déjà ce rang."),
            ),
            models.UniqueConstraint(
                fields=["intake", "kind"],
                name="stage_kind_unique",
                violation_error_message=_("Ce concours a déjà une épreuve de ce type."),
            ),
            models.CheckConstraint(
                condition=Q(rule="fit") | Q(pass_mark__isnull=False),
                name="stage_mark_rule_has_mark",
                violation_error_message=_(
                    "Indiquez la note minimale : l'épreuve est jugée sur une note."
                ),
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True) | (Q(pass_mark__gte=0) & Q(pass_mark__lte=20)),
                name="stage_pass_mark_range",
                violation_error_message=_("La note minimale est comprise entre 0 et 20."),
            ),
            models.CheckConstraint(
                condition=Q(counts_in_ranking=False) | Q(rule="mark"),
                name="stage_ranking_needs_marks",
                violation_error_message=_(
                    "Seule une épreuve notée peut compter dans le classement."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_kind_display()}"

    @property
    def is_fit_rule(self) -> bool:
        return self.rule == PassRule.FIT


class PerformanceUnit(models.TextChoices):
    SECONDS = "s", _("secondes")
    REPS = "reps", _("répétitions")
    METRES = "m", _("mètres")


class PhysicalEvent(models.Model):
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="events", verbose_name=_("épreuve")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=100)
    unit = models.CharField(_("unité"), max_length=4, choices=PerformanceUnit.choices)
    higher_is_better = models.BooleanField(
        _("plus c'est haut, mieux c'est"),
        default=True,
        help_text=_("Décoché pour une course chronométrée."),
    )

    class Meta:
        verbose_name = _("épreuve physique")
        verbose_name_plural = _("épreuves physiques")
        ordering = ["stage", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "code"],
                name="event_code_unique_per_stage",
                violation_error_message=_("Une épreuve physique de cette étape a déjà ce code."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ScoringRow(models.Model):
    """One line of a scoring table: reaching `threshold` earns `points` (out of 20)."""

    event = models.ForeignKey(
        PhysicalEvent, on_delete=models.CASCADE, related_name="scoring", verbose_name=_("épreuve")
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    threshold = models.DecimalField(_("performance"), max_digits=7, decimal_places=2)
    points = models.DecimalField(_("points"), max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("barème")
        verbose_name_plural = _("barèmes")
        ordering = ["event", "sex", "points"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "sex", "threshold"],
                name="scoring_threshold_unique",
                violation_error_message=_("Ce seuil existe déjà dans le barème pour ce sexe."),
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=20),
                name="scoring_points_range",
                violation_error_message=_("Les points sont compris entre 0 et 20."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.sex} {self.threshold} → {self.points}"


class WrittenSubject(models.Model):
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="subjects", verbose_name=_("épreuve")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("matière"), max_length=100)
    coefficient = models.DecimalField(_("coefficient"), max_digits=4, decimal_places=1, default=1)

    class Meta:
        verbose_name = _("matière écrite")
        verbose_name_plural = _("matières écrites")
        ordering = ["stage", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "code"],
                name="subject_code_unique_per_stage",
                violation_error_message=_("Une matière de cette épreuve a déjà ce code."),
            ),
            models.CheckConstraint(
                condition=Q(coefficient__gt=0),
                name="subject_coefficient_positive",
                violation_error_message=_("Le coefficient doit être supérieur à zéro."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
