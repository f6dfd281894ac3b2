"""Operations (with their partners and documents) and the positions to fill in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, Grade, Language, Region, Signatory, Skill, Unit
from matricule.personnel.models import ActKind, Sex


class PartnerAgency(models.Model):
    """A force or organisation the police operates with (gendarmerie, FAMa, UNPOL…).

    Kept apart from `core.Agency` (the agencies whose personnel Matricule manages):
    a partner has no records, grades or units here. Maintained on the reference screens.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=60)
    international = models.BooleanField(_("organisation internationale"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partenaire des opérations")
        verbose_name_plural = _("partenaires des opérations")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class OperationKind(models.TextChoices):
    OPERATION = "operation", _("Opération")
    JOINT = "joint", _("Force opérationnelle conjointe")
    PEACEKEEPING = "peacekeeping", _("Mission de maintien de la paix")
    CRISIS = "crisis", _("Réponse à une crise")
    ESCORT = "escort", _("Escorte")


class OperationStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    ACTIVE = "active", _("En cours")
    CLOSED = "closed", _("Close")


class Operation(models.Model):
    """An operation, joint task force, peacekeeping mission, crisis response or escort.

    Its act (the order or decision that deploys the staff) is the act written on the
    career events of the officers assigned to it.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agence")
    )
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature"), max_length=12, choices=OperationKind.choices)
    status = models.CharField(
        _("état"), max_length=8, choices=OperationStatus.choices, default=OperationStatus.PLANNED
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(
        _("fin"), null=True, blank=True, help_text=_("Vide : sans date de fin.")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("région"),
    )
    country = models.CharField(
        _("pays (mission à l'étranger)"), max_length=80, blank=True, default=""
    )
    place = models.CharField(_("lieu"), max_length=200, blank=True, default="")
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unité de commandement")
    )
    partners = models.ManyToManyField(
        PartnerAgency, blank=True, related_name="operations", verbose_name=_("partenaires")
    )
    description = models.TextField(_("description"), blank=True, default="")
    act_kind = models.CharField(
        _("type d'acte"), max_length=10, choices=ActKind.choices, blank=True, default=""
    )
    act_number = models.CharField(_("numéro de l'acte"), max_length=60, blank=True, default="")
    act_date = models.DateField(_("date de l'acte"), null=True, blank=True)
    act_signatory = models.ForeignKey(
        Signatory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signataire"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opération")
        verbose_name_plural = _("opérations")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["agency", "status", "start_date"], name="operation_list")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="operation_dates_ordered",
                violation_error_message=_("La fin de l'opération précède son début."),
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=False) | ~Q(country=""),
                name="operation_place_given",
                violation_error_message=_(
                    "Indiquez la région (opération au Mali) ou le pays (mission à l'étranger)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def act_label(self) -> str:
        if not self.act_number:
            return ""
        kind = self.get_act_kind_display() if self.act_kind else _("Acte")
        date = f" du {self.act_date:%d/%m/%Y}" if self.act_date else ""
        return f"{kind} n° {self.act_number}{date}"

    @property
    def where(self) -> str:
        area = self.country or (self.region.name if self.region_id and self.region else "")
        return f"{self.place}, {area}" if self.place and area else (self.place or area)


class DocumentKind(models.TextChoices):
    ORDER = "order", _("Ordre d'opération")
    ACT = "act", _("Acte (décision, arrêté)")
    OTHER = "other", _("Autre pièce")


def document_path(instance: OperationDocument, filename: str) -> str:
    return f"operations/{instance.operation_id}/{filename}"


class OperationDocument(models.Model):
    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="documents", verbose_name=_("opération")
    )
    kind = models.CharField(_("nature"), max_length=6, choices=DocumentKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    date = models.DateField(_("date du document"))
    file = models.FileField(_("fichier"), upload_to=document_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document d'opération")
        verbose_name_plural = _("documents d'opération")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class Position(models.Model):
    """Posts to fill in an operation, with what the officers must bring.

    Grade range, years of service and age range are read from the record; skills,
    languages and licences are `Requirement` rows. Sex and the unit subtree or region to
    draw from narrow the pool: they are not requirements one can "nearly" meet.
    """

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="positions", verbose_name=_("opération")
    )
    title = models.CharField(_("intitulé du poste"), max_length=150)
    count = models.PositiveSmallIntegerField(_("nombre de postes"), default=1)
    grade_min = models.ForeignKey(
        Grade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grade minimal"),
    )
    grade_max = models.ForeignKey(
        Grade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grade maximal"),
    )
    service_years_min = models.PositiveSmallIntegerField(
        _("années de service minimales"), null=True, blank=True
    )
    age_min = models.PositiveSmallIntegerField(_("âge minimal"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("âge maximal"), null=True, blank=True)
    sex = models.CharField(
        _("sexe exigé"),
        max_length=1,
        choices=Sex.choices,
        blank=True,
        default="",
        help_text=_("Seulement quand le poste l'exige (fouille de femmes, par exemple)."),
    )
    pool_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("puiser dans l'unité (et ses subdivisions)"),
    )
    pool_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("puiser dans la région"),
    )
    notes = models.TextField(_("précisions"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("poste")
        verbose_name_plural = _("postes")
        ordering = ["operation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=500),
                name="position_count_range",
                violation_error_message=_("Le nombre de postes doit être entre 1 et 500."),
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=models.F("age_max")),
                name="position_age_range_ordered",
                violation_error_message=_("L'âge minimal dépasse l'âge maximal."),
            ),
            models.CheckConstraint(
                condition=(Q(age_min__isnull=True) | (Q(age_min__gte=18) & Q(age_min__lte=70)))
                & (Q(age_max__isnull=True) | (Q(age_max__gte=18) & Q(age_max__lte=70))),
                name="position_age_bounds",
                violation_error_message=_("Les âges doivent être compris entre 18 et 70 ans."),
            ),
            models.CheckConstraint(
                condition=Q(service_years_min__isnull=True) | Q(service_years_min__lte=45),
                name="position_service_bounds",
                violation_error_message=_("Au plus 45 années de service."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.operation}"


class RequirementKind(models.TextChoices):
    SKILL = "skill", _("Compétence")
    LANGUAGE = "language", _("Langue")
    LICENCE = "licence", _("Permis de conduire")


# Spoken-language levels of the record (1–4) and the CEFR level each one stands for:
# "notions" A1–A2, "courant" B1, "bonne maîtrise" B2, "langue maternelle" C1–C2. A planner
# asking for B2 asks for level 3; explanations write each level as A2, B1, B2 or C1.
CEFR_BY_LEVEL: dict[int, str] = {1: "A2", 2: "B1", 3: "B2", 4: "C1"}


class Requirement(models.Model):
    """A skill at a level valid over the dates, a spoken language, or a licence held N years."""

    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("poste")
    )
    kind = models.CharField(_("nature"), max_length=8, choices=RequirementKind.choices)
    skill = models.ForeignKey(
        Skill,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compétence ou catégorie de permis"),
    )
    language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("langue"),
    )
    min_level = models.PositiveSmallIntegerField(_("niveau minimal"), default=1)
    years_held = models.PositiveSmallIntegerField(_("détenu depuis (années)"), default=0)

    class Meta:
        verbose_name = _("exigence du poste")
        verbose_name_plural = _("exigences du poste")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="skill", skill__isnull=False, language__isnull=True, min_level__gte=1)
                )
                | Q(
                    kind="language",
                    language__isnull=False,
                    skill__isnull=True,
                    min_level__gte=1,
                    min_level__lte=4,
                )
                | Q(kind="licence", skill__isnull=False, language__isnull=True),
                name="requirement_shape",
                violation_error_message=_(
                    "Une exigence porte soit sur une compétence, soit sur une langue "
                    "(niveau 1 à 4), soit sur un permis."
                ),
            ),
            models.CheckConstraint(
                condition=Q(years_held__lte=40),
                name="requirement_years_held_bounds",
                violation_error_message=_("Au plus 40 années de détention."),
            ),
            models.UniqueConstraint(
                fields=["position", "skill"],
                condition=Q(skill__isnull=False),
                name="requirement_skill_once",
                violation_error_message=_("Ce poste exige déjà cette compétence."),
            ),
            models.UniqueConstraint(
                fields=["position", "language"],
                condition=Q(language__isnull=False),
                name="requirement_language_once",
                violation_error_message=_("Ce poste exige déjà cette langue."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The requirement in a planner's words: « Anglais B2 », « Permis C depuis 1 an »."""
        if self.kind == RequirementKind.LANGUAGE and self.language is not None:
            return f"{self.language.name} {CEFR_BY_LEVEL.get(self.min_level, self.min_level)}"
        if self.kind == RequirementKind.LICENCE and self.skill is not None:
            if not self.years_held:
                return str(self.skill.name)
            return str(
                _("%(skill)s depuis %(n)s an(s)") % {"skill": self.skill.name, "n": self.years_held}
            )
        if self.skill is not None:
            return str(
                _("%(skill)s niveau %(n)s") % {"skill": self.skill.name, "n": self.min_level}
            )
        return ""


class CriticalSkill(models.Model):
    """A skill the operations directorate watches in every unit (unit readiness)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agence")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="+", verbose_name=_("compétence")
    )
    min_level = models.PositiveSmallIntegerField(_("niveau minimal"), default=1)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compétence critique")
        verbose_name_plural = _("compétences critiques")
        ordering = ["agency", "skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "skill"],
                name="criticalskill_once",
                violation_error_message=_("Cette compétence est déjà dans la liste."),
            ),
            models.CheckConstraint(
                condition=Q(min_level__gte=1),
                name="criticalskill_level_positive",
                violation_error_message=_("Le niveau minimal est d'au moins 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.min_level})"
