"""Candidates, their stage results, scanned documents and place in the ranking."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.dates import age_on
from matricule.core.models import Region
from matricule.core.validators import person_name
from matricule.personnel.models import MaritalStatus, Sex
from matricule.personnel.models.officer import nina_validator
from matricule.recruitment.models.intake import (
    DiplomaLevel,
    ExamCentre,
    Intake,
    Stage,
)


class DocumentCode(models.TextChoices):
    BIRTH = "birth", _("Extrait d'acte de naissance")
    NATIONALITY = "nationality", _("Certificat de nationalité")
    DIPLOMA = "diploma", _("Copie du diplôme")
    CRIMINAL = "criminal", _("Extrait de casier judiciaire")
    MEDICAL = "medical", _("Certificat médical")
    PHOTOS = "photos", _("Photos d'identité")


class Candidate(models.Model):
    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("concours")
    )
    application_number = models.CharField(_("numéro de candidature"), max_length=20)
    family_name = models.CharField(_("nom de famille"), max_length=100, validators=[person_name])
    given_names = models.CharField(_("prénom(s)"), max_length=150, validators=[person_name])
    # Accent- and case-free "family given" form, kept in step by services, for search.
    search_name = models.CharField(max_length=260, default="", editable=False)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date de naissance"))
    birth_place = models.CharField(_("lieu de naissance"), max_length=120, blank=True)
    nina = models.CharField(_("NINA"), max_length=15, validators=[nina_validator])
    nationality = models.CharField(_("nationalité"), max_length=60, default="malienne")
    marital_status = models.CharField(
        _("situation de famille"), max_length=10, choices=MaritalStatus.choices
    )
    diploma = models.PositiveSmallIntegerField(_("diplôme"), choices=DiplomaLevel.choices)
    diploma_title = models.CharField(_("intitulé du diplôme"), max_length=150, blank=True)
    centre = models.ForeignKey(
        ExamCentre, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("centre")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("région"))
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    documents = models.JSONField(_("pièces fournies"), default=list, blank=True)

    eligible = models.BooleanField(_("recevable"), default=True)
    ineligibility_reasons = models.JSONField(_("motifs d'irrecevabilité"), default=list, blank=True)
    withdrawn_on = models.DateField(_("désistement le"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("motif du désistement"), max_length=255, blank=True)
    eliminated_stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("éliminé à l'épreuve"),
    )
    elimination_reason = models.CharField(_("motif d'élimination"), max_length=255, blank=True)
    officer = models.OneToOneField(
        "personnel.Officer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacy",
        verbose_name=_("agent créé"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidat")
        verbose_name_plural = _("candidats")
        ordering = ["family_name", "given_names", "id"]
        indexes = [
            models.Index(fields=["intake", "family_name", "given_names"], name="candidate_name"),
            models.Index(fields=["nina"], name="candidate_nina"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "application_number"],
                name="candidate_number_unique_per_intake",
                violation_error_message=_("Ce numéro de candidature existe déjà pour ce concours."),
            ),
            models.UniqueConstraint(
                fields=["intake", "nina"],
                name="candidate_nina_unique_per_intake",
                violation_error_message=_(
                    "Une candidature avec ce NINA existe déjà pour ce concours."
                ),
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["M", "F"]),
                name="candidate_sex_valid",
                violation_error_message=_("Choisissez le sexe : masculin ou féminin."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()} {self.given_names} ({self.application_number})"

    @property
    def full_name(self) -> str:
        return f"{self.family_name.upper()} {self.given_names}"

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)

    @property
    def in_the_running(self) -> bool:
        return self.eligible and self.withdrawn_on is None and self.eliminated_stage_id is None


class StageResult(models.Model):
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="results", verbose_name=_("candidat")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="results", verbose_name=_("épreuve")
    )
    mark = models.DecimalField(
        _("note sur 20"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    fit = models.BooleanField(_("apte"), null=True, blank=True)
    absent = models.BooleanField(_("absent"), default=False)
    passed = models.BooleanField(_("admis à l'épreuve"))
    detail = models.JSONField(_("détail"), default=dict, blank=True)
    note = models.CharField(
        _("observation"),
        max_length=255,
        blank=True,
        help_text=_("Pour la visite médicale : observation à diffusion restreinte."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    entered_at = models.DateTimeField(_("saisi le"), auto_now=True)

    class Meta:
        verbose_name = _("résultat d'épreuve")
        verbose_name_plural = _("résultats d'épreuve")
        ordering = ["stage", "candidate"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "stage"],
                name="result_unique",
                violation_error_message=_(
                    "Ce candidat a déjà un résultat pour cette épreuve : corrigez-le."
                ),
            ),
            models.CheckConstraint(
                condition=Q(mark__isnull=True) | (Q(mark__gte=0) & Q(mark__lte=20)),
                name="result_mark_range",
                violation_error_message=_("La note est comprise entre 0 et 20."),
            ),
        ]
        indexes = [models.Index(fields=["stage", "passed"], name="result_stage_passed")]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.stage}"


class Outcome(models.TextChoices):
    ADMITTED = "admitted", _("Admis")
    WAITING = "waiting", _("Liste d'attente")


class RankingEntry(models.Model):
    """A candidate's place in the intake's ranking (only candidates who passed every stage)."""

    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="ranking", verbose_name=_("concours")
    )
    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, related_name="ranking", verbose_name=_("candidat")
    )
    rank = models.PositiveIntegerField(_("rang"))
    score = models.DecimalField(_("moyenne pondérée"), max_digits=6, decimal_places=3)
    written_mark = models.DecimalField(
        _("note de l'écrit"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    outcome = models.CharField(_("résultat"), max_length=8, choices=Outcome.choices)
    list_rank = models.PositiveIntegerField(
        _("rang sur la liste"), help_text=_("Rang parmi les admis ou sur la liste d'attente.")
    )

    class Meta:
        verbose_name = _("rang au classement")
        verbose_name_plural = _("classement")
        ordering = ["intake", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "rank"],
                name="ranking_rank_unique",
                violation_error_message=_("Ce rang est déjà attribué dans le classement."),
            ),
        ]
        indexes = [models.Index(fields=["intake", "outcome", "rank"], name="ranking_outcome")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.candidate}"


def candidate_document_path(instance: CandidateDocument, filename: str) -> str:
    return f"candidats/{instance.candidate_id}/{filename}"


class CandidateDocument(models.Model):
    """A scanned piece of the application file (birth certificate, diploma…)."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="files", verbose_name=_("candidat")
    )
    kind = models.CharField(_("pièce"), max_length=12, choices=DocumentCode.choices)
    file = models.FileField(_("fichier"), upload_to=candidate_document_path)
    content_type = models.CharField(max_length=50)
    uploaded_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("pièce du dossier de candidature")
        verbose_name_plural = _("pièces des dossiers de candidature")
        ordering = ["candidate", "kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.candidate}"
