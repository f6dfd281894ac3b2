"""Card signing keys: Ed25519 pairs whose private half is a file on the server only.

The private key of key `kid` is `MATRICULE_CARD_KEY_DIR/<kid>.pem` (PKCS#8, mode 0600);
the database holds the public key, so a restored database without the keys folder still
verifies every card but cannot sign new ones until a new key is made.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.cards.models import CardKey
from matricule.core.audit import audit_record

if TYPE_CHECKING:
    from matricule.accounts.models import User

ALGORITHM = "EdDSA"
KID_BYTES = 4

# Keys never change once made, so a process keeps them; an unknown kid is looked up again.
_public_cache: dict[str, Ed25519PublicKey] = {}
_private_cache: dict[str, Ed25519PrivateKey] = {}


def key_dir() -> Path:
    return Path(settings.MATRICULE_CARD_KEY_DIR)


def private_key_path(kid: str) -> Path:
    return key_dir() / f"{kid}.pem"


def clear_key_caches() -> None:
    _public_cache.clear()
    _private_cache.clear()


def _write_private_key(kid: str, key: Ed25519PrivateKey) -> Path:
    folder = key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = private_key_path(kid)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # O_EXCL: never overwrite a key; 0600 from creation, never readable by others.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    return path


def key_rotate(*, by: User | None, reason: str = "") -> CardKey:
    """Make a new signing key; the previous one is retired but keeps verifying its cards."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    kid = secrets.token_hex(KID_BYTES)
    path = _write_private_key(kid, private)
    try:
        with transaction.atomic():
            now = timezone.now()
            retired = list(
                CardKey.objects.select_for_update()
                .filter(retired_at__isnull=True)
                .values_list("kid", flat=True)
            )
            CardKey.objects.filter(retired_at__isnull=True).update(retired_at=now)
            key = CardKey.objects.create(kid=kid, algorithm=ALGORITHM, public_key=public)
            audit_record(
                by=by,
                action="card_key.rotate",
                obj=key,
                before={"current": retired},
                after={"current": kid, **({"reason": reason.strip()} if reason.strip() else {})},
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _private_cache[kid] = private
    return key


def current_key() -> CardKey | None:
    return CardKey.objects.filter(retired_at__isnull=True).order_by("-created_at").first()


def signing_key(*, by: User | None = None) -> tuple[str, Ed25519PrivateKey]:
    """The current key id and private key; the very first key is made on first use."""
    key = current_key()
    if key is None:
        key = key_rotate(by=by)
    cached = _private_cache.get(key.kid)
    if cached is not None:
        return key.kid, cached
    path = private_key_path(key.kid)
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise ImproperlyConfigured(
            _(
                "Clé privée %(kid)s introuvable dans %(dir)s : restaurez le dossier des clés ou "
                "lancez « python manage.py card_keys rotate »."
            )
            % {"kid": key.kid, "dir": key_dir()}
        ) from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ImproperlyConfigured(
            _("La clé %(kid)s n'est pas une clé Ed25519.") % {"kid": key.kid}
        )
    _private_cache[key.kid] = loaded
    return key.kid, loaded


def public_key(kid: str) -> Ed25519PublicKey | None:
    cached = _public_cache.get(kid)
    if cached is not None:
        return cached
    raw = CardKey.objects.filter(kid=kid).values_list("public_key", flat=True).first()
    if raw is None:
        return None
    key = Ed25519PublicKey.from_public_bytes(bytes(raw))
    _public_cache[kid] = key
    return key


def public_keys() -> list[CardKey]:
    return list(CardKey.objects.order_by("created_at", "id"))
