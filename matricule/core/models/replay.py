"""What makes a repeated write harmless: API idempotency keys and one-time form tokens."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """An API write done under an `Idempotency-Key`, and the answer it got.

    The same key with the same request gets that answer again, without a second write;
    with another request, a refusal. Kept 24 hours (`purge_replay_guards`).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    response_body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    KEEP = datetime.timedelta(hours=24)

    class Meta:
        verbose_name = _("clé d'idempotence")
        verbose_name_plural = _("clés d'idempotence")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="idempotency_key_per_user",
                violation_error_message=_("Cette clé d'idempotence a déjà servi."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"


class FormSubmission(models.Model):
    """A form token already used, with where its result is (core.once)."""

    nonce = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    # How long a form stays valid once displayed (and its use remembered).
    KEEP = datetime.timedelta(days=30)

    class Meta:
        verbose_name = _("formulaire enregistré")
        verbose_name_plural = _("formulaires enregistrés")

    def __str__(self) -> str:
        return self.nonce
