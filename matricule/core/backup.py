"""Backup and restore of the database and the uploaded files, as one archive.

The archive is a .tar.gz holding `manifest.json`, the database (a consistent copy made
with SQLite's online backup, or `pg_dump -Fc` for PostgreSQL) and `media/`. A restore
checks the manifest and the checksums before touching anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore could not be done; the message says why, in French."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    vendor: str
    size: int
    created_at: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


def backup_create(target: Path) -> BackupInfo:
    """Write a complete, consistent backup archive to `target`."""
    vendor = connection.vendor
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if vendor == "sqlite":
            db_file = work / "database.sqlite3"
            connection.ensure_connection()
            source = connection.connection
            destination = sqlite3.connect(db_file)
            with destination:
                source.backup(destination)  # consistent even while the site is in use
            destination.close()
        elif vendor == "postgresql":
            db_file = work / "database.pgdump"
            env, args = _pg_env()
            name = str(settings.DATABASES["default"]["NAME"])
            result = subprocess.run(
                ["pg_dump", "-Fc", "--no-owner", "-f", str(db_file), *args, name],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump a échoué : {result.stderr.strip()}")
        else:
            raise BackupError(f"Base {vendor} non prise en charge.")
        manifest: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "database": {"file": db_file.name, "sha256": _sha256(db_file)},
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partiel")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(db_file, arcname=db_file.name)
            if media_root.exists():
                archive.add(media_root, arcname="media")
        partial.replace(target)  # never leave a half-written archive under the real name
    return BackupInfo(target, vendor, target.stat().st_size, manifest["created_at"])


def backup_restore(source: Path) -> dict[str, Any]:
    """Replace the database and media with those of the archive at `source`."""
    if not source.exists():
        raise BackupError(f"Fichier introuvable : {source}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(work, filter="data")
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"Archive illisible : {error}") from None
        try:
            manifest = json.loads((work / "manifest.json").read_text())
        except (OSError, ValueError):
            raise BackupError(
                "Archive sans manifeste : ce n'est pas une sauvegarde Matricule."
            ) from None
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError("Version de sauvegarde inconnue.")
        vendor = connection.vendor
        if manifest.get("vendor") != vendor:
            raise BackupError(
                f"Sauvegarde {manifest.get('vendor')} : elle ne peut être "
                f"restaurée que sur une base du même type (ici : {vendor})."
            )
        db_file = work / manifest["database"]["file"]
        if not db_file.exists() or _sha256(db_file) != manifest["database"]["sha256"]:
            raise BackupError("Empreinte de la base incorrecte : archive endommagée.")
        if vendor == "sqlite":
            connections.close_all()
            connection.ensure_connection()
            restored = sqlite3.connect(db_file)
            with restored:
                restored.backup(connection.connection)
            restored.close()
        else:
            env, args = _pg_env()
            name = str(settings.DATABASES["default"]["NAME"])
            connections.close_all()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "-d",
                    name,
                    *args,
                    str(db_file),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore a échoué : {result.stderr.strip()}")
        media = work / "media"
        media_root = Path(settings.MEDIA_ROOT)
        if media.exists():
            if media_root.exists():
                shutil.rmtree(media_root)
            shutil.copytree(media, media_root)
    restored_manifest: dict[str, Any] = manifest
    return restored_manifest
