"""The officer and what hangs off the record: photos, family, education, languages, documents."""

from __future__ import annotations

import datetime
import unicodedata

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core import refcache
from matricule.core.dates import add_years, age_on
from matricule.core.models import Agency, Corps, DocumentType, Grade, Language, Unit
from matricule.core.refcache import CorpsAgency, corps_agencies
from matricule.core.validators import person_name

nina_validator = RegexValidator(
    r"^\d{14}[A-Z]$",
    _("Le NINA comporte 14 chiffres suivis d'une lettre majuscule (ex. 12345678901234A)."),
)
phone_validator = RegexValidator(
    r"^\+?[0-9 .-]{8,20}$",
    _("Numéro de téléphone invalide : chiffres, espaces et + seulement (ex. +223 76 12 34 56)."),
)


def fold(text: str) -> str:
    """Lower-case, accent-free form used for search: 'Maïga' → 'maiga'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().replace("-", " ").replace("'", " ").replace("’", " ").split())


def sort_key(family_name: str, given_names: str) -> str:
    """The alphabetical-order key: French order (Cissé before Cissoko) on both databases.

    Built with the same folding as search (accents and case do not count, unlike a
    byte-order collation that puts "Cissé" after "Cissoko"), family name first, word by
    word. Words are joined by "0", which sorts before every letter under SQLite's binary
    order and PostgreSQL's C, glibc and ICU collations alike (a space or a control
    character is ignored by the latter two, which would put "Sylla" before "Sy Zeinab").
    """
    return "0".join([*fold(family_name).split(), "", *fold(given_names).split()])[:260]


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
    # The end of the secondment of an officer from another corps (gendarmerie, customs…):
    # they leave the host agency and go back to their corps of origin.
    RETURNED = "returned", _("Remis à la disposition de son corps d'origine")


IN_SERVICE_STATUSES = (
    Status.ACTIVE,
    Status.LEAVE,
    Status.SUSPENDED,
    Status.SECONDED,
    Status.DEPLOYED,
    Status.TRAINING,
)
EXIT_STATUSES = (
    Status.RETIRED,
    Status.RESIGNED,
    Status.DISMISSED,
    Status.DECEASED,
    Status.RETURNED,
)


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Célibataire")
    MARRIED = "married", _("Marié(e)")
    DIVORCED = "divorced", _("Divorcé(e)")
    WIDOWED = "widowed", _("Veuf / veuve")


class BloodGroup(models.TextChoices):
    A_POS = "A+", "A+"
    A_NEG = "A-", "A−"
    B_POS = "B+", "B+"
    B_NEG = "B-", "B−"
    AB_POS = "AB+", "AB+"
    AB_NEG = "AB-", "AB−"
    O_POS = "O+", "O+"
    O_NEG = "O-", "O−"


class Officer(models.Model):
    """One record per officer for the whole career.

    The current situation (unit, grade, status, function, host unit) is a snapshot
    derived from the career events and updated by the services in the same
    transaction; `check_snapshots` proves it matches the events.
    """

    # No index of its own on agency, unit or grade: the composite indexes below start with
    # each (officer_report, officer_unit_grade, officer_grade_sort_name), and every extra
    # index is one more write per officer saved or imported.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="officers",
        verbose_name=_("agence"),
        db_index=False,
    )
    matricule = models.CharField(_("matricule"), max_length=20, unique=True)
    # Unique within an agency; the same person may hold records in two agencies (shown).
    nina = models.CharField(
        _("NINA"),
        max_length=15,
        null=True,
        blank=True,
        db_index=True,
        validators=[nina_validator],
    )
    family_name = models.CharField(_("nom de famille"), max_length=100, validators=[person_name])
    given_names = models.CharField(_("prénom(s)"), max_length=150, validators=[person_name])
    # Accent- and case-free "family given" form, kept in step by services, for fast search.
    search_name = models.CharField(max_length=260, db_index=True, editable=False)
    # French alphabetical order (see sort_key), kept in step by the services.
    sort_name = models.CharField(max_length=260, default="", editable=False)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date de naissance"))
    # A legacy register may give the year alone ("1947"): kept as 1 July, shown as approximate.
    birth_date_approximate = models.BooleanField(
        _("date de naissance approximative"), default=False
    )
    birth_place = models.CharField(_("lieu de naissance"), max_length=120, blank=True)
    # Left blank by an import that does not give it (never assumed for a legacy register).
    nationality = models.CharField(_("nationalité"), max_length=60, blank=True, default="malienne")
    phone = models.CharField(
        _("téléphone"), max_length=20, blank=True, validators=[phone_validator]
    )
    phone_alt = models.CharField(
        _("autre téléphone"), max_length=20, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("courriel"), blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    emergency_name = models.CharField(
        _("personne à prévenir"), max_length=150, blank=True, validators=[person_name]
    )
    emergency_relation = models.CharField(_("lien de parenté"), max_length=60, blank=True)
    emergency_phone = models.CharField(
        _("téléphone de la personne à prévenir"),
        max_length=20,
        blank=True,
        validators=[phone_validator],
    )
    marital_status = models.CharField(
        _("situation de famille"), max_length=10, choices=MaritalStatus.choices, blank=True
    )
    spouse_name = models.CharField(
        _("nom du conjoint"), max_length=150, blank=True, validators=[person_name]
    )
    blood_group = models.CharField(
        _("groupe sanguin"), max_length=3, choices=BloodGroup.choices, blank=True
    )

    # Snapshot of the current situation — written only by career services.
    corps = models.ForeignKey(Corps, on_delete=models.PROTECT, verbose_name=_("corps"))
    grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, verbose_name=_("grade"), db_index=False
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="officers",
        verbose_name=_("unité"),
        db_index=False,
    )
    host_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_officers",
        verbose_name=_("unité d'accueil (détachement)"),
    )
    function = models.CharField(_("fonction"), max_length=150, blank=True)
    status = models.CharField(
        _("position"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    entry_date = models.DateField(_("date d'entrée"))
    exit_date = models.DateField(_("date de sortie"), null=True, blank=True)
    # End of the current secondment (police officer seconded out, or officer of another
    # corps seconded in), from the act and its renewals — snapshot like the above.
    secondment_end = models.DateField(_("fin du détachement"), null=True, blank=True)
    # An officer seconded from another corps (their grade is in that corps' table): the
    # identifier that corps gives them, in its own format (Agency.service_number_pattern).
    origin_service_number = models.CharField(
        _("matricule dans le corps d'origine"), max_length=30, blank=True
    )

    version = models.PositiveIntegerField(default=1, editable=False)
    # The import that created the record: lets the system undo a failed all-or-nothing import.
    import_job = models.ForeignKey(
        "personnel.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("créé par l'import"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["unit", "grade"], name="officer_unit_grade"),
            models.Index(fields=["sort_name", "id"], name="officer_sort_name"),
            models.Index(fields=["grade", "sort_name"], name="officer_grade_sort_name"),
            models.Index(fields=["status"], name="officer_status"),
            models.Index(fields=["birth_date"], name="officer_birth"),
            # The force today, counted by the reports from the index alone (no table read).
            models.Index(
                fields=[
                    "agency",
                    "status",
                    "unit",
                    "grade",
                    "sex",
                    "entry_date",
                    "birth_date",
                    "host_unit",
                    "id",
                ],
                name="officer_report",
            ),
            models.Index(
                fields=["secondment_end"],
                name="officer_secondment_end",
                condition=Q(secondment_end__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=models.F("entry_date")),
                name="officer_exit_after_entry",
                violation_error_message=_(
                    "La date de sortie doit suivre la date d'entrée en service."
                ),
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["M", "F"]),
                name="officer_sex_valid",
                violation_error_message=_("Choisissez le sexe : masculin ou féminin."),
            ),
            models.UniqueConstraint(
                fields=["agency", "nina"],
                condition=Q(nina__isnull=False),
                name="officer_nina_unique_per_agency",
                violation_error_message=_("Un agent de cette agence a déjà ce NINA."),
            ),
            models.CheckConstraint(
                condition=Q(entry_date__gt=models.F("birth_date")),
                name="officer_entry_after_birth",
                violation_error_message=_(
                    "La date d'entrée en service doit suivre la date de naissance."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()} {self.given_names} ({self.matricule})"

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_names}"

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)

    @property
    def retirement_date(self) -> datetime.date:
        """Birthday at the corps' retirement age (28 February for 29 February births)."""
        return add_years(self.birth_date, self.corps.retirement_age)

    @property
    def in_service(self) -> bool:
        return self.status in IN_SERVICE_STATUSES

    @property
    def origin(self) -> CorpsAgency | None:
        """The corps of origin of an officer seconded from another corps (None otherwise).

        Their grade belongs to that corps' grade table (gendarmerie, customs…).
        """
        if not self.corps_id:
            return None
        owner = corps_agencies().get(self.corps_id)
        if owner is None:
            refcache.clear()
            owner = corps_agencies().get(self.corps_id)
        return owner if owner is not None and owner.agency_id != self.agency_id else None

    @property
    def grade_label(self) -> str:
        """The grade in the officer's own ranks, naming the corps when it is another one."""
        origin = self.origin
        return f"{self.grade.name} ({origin.short_name})" if origin else self.grade.name


def legacy_value(text: str) -> str:
    """How a legacy identifier is stored and searched: no spaces, upper case."""
    return "".join(text.split()).upper()[:60]


class LegacyIdentifier(models.Model):
    """An identifier the officer had in another system (old personnel number…).

    Unique per source within an agency; an import matches rows by it when the file has
    neither matricule nor NINA, so that importing the same register twice creates nobody.
    """

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="legacy_ids", verbose_name=_("agent")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("système d'origine"), max_length=60)
    value = models.CharField(_("identifiant"), max_length=60)
    import_job = models.ForeignKey(
        "personnel.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ancien identifiant")
        verbose_name_plural = _("anciens identifiants")
        ordering = ["source", "value"]
        indexes = [models.Index(fields=["value"], name="legacy_id_value")]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source", "value"],
                name="legacy_id_unique_per_source",
                violation_error_message=_("Cet identifiant est déjà celui d'un autre agent."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} : {self.value}"


def name_words(*names: str) -> set[str]:
    """The accent-free words of a name, as stored in NameWord for prefix search."""
    return {w[:40] for name in names for w in fold(name).split()}


class NameWord(models.Model):
    """One accent-free word of an officer's names.

    Searching "maiga" becomes an indexed range scan on this small table instead of
    a scan of every officer's name, whatever the size of the force.
    """

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="name_words")
    word = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["word", "officer"], name="nameword_word")]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "word"],
                name="nameword_once_per_officer",
                violation_error_message=_("Ce mot du nom est déjà indexé pour cet agent."),
            )
        ]

    def __str__(self) -> str:
        return self.word


def photo_path(instance: OfficerPhoto, filename: str) -> str:
    return f"photos/{instance.officer_id}/{filename}"


class OfficerPhoto(models.Model):
    """Photo history: every upload is kept; the newest is the current one."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(upload_to=photo_path)
    uploaded_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["officer", "-uploaded_at"], name="photo_officer_recent")]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.uploaded_at:%Y-%m-%d}"


class Child(models.Model):
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("nom et prénoms"), max_length=200, validators=[person_name])
    birth_date = models.DateField(_("date de naissance"))
    # A legacy register may give the year alone ("1947"): kept as 1 July, shown as approximate.
    birth_date_approximate = models.BooleanField(
        _("date de naissance approximative"), default=False
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)

    class Meta:
        verbose_name = _("enfant")
        verbose_name_plural = _("enfants")
        ordering = ["birth_date"]

    def __str__(self) -> str:
        return self.name


class Education(models.Model):
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="education")
    diploma = models.CharField(_("diplôme"), max_length=150)
    institution = models.CharField(_("établissement"), max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(_("année"))

    class Meta:
        verbose_name = _("diplôme")
        verbose_name_plural = _("diplômes")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.diploma} ({self.year})"


class LanguageLevel(models.IntegerChoices):
    BASIC = 1, _("notions")
    WORKING = 2, _("courant")
    FLUENT = 3, _("bonne maîtrise")
    NATIVE = 4, _("langue maternelle")


class OfficerLanguage(models.Model):
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, verbose_name=_("langue"))
    spoken = models.PositiveSmallIntegerField(_("oral"), choices=LanguageLevel.choices)
    written = models.PositiveSmallIntegerField(
        _("écrit"), choices=LanguageLevel.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = _("langue parlée")
        verbose_name_plural = _("langues parlées")
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "language"],
                name="officer_language_once",
                violation_error_message=_(
                    "Cette langue figure déjà dans le dossier : modifiez la ligne existante."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_spoken_display()})"


def document_path(instance: OfficerDocument, filename: str) -> str:
    return f"documents/{instance.officer_id}/{filename}"


class OfficerDocument(models.Model):
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, verbose_name=_("type de document")
    )
    title = models.CharField(_("intitulé"), max_length=200)
    date = models.DateField(_("date du document"))
    file = models.FileField(_("fichier"), upload_to=document_path)
    content_type = models.CharField(max_length=50)
    uploaded_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title
