"""The archive: a .tar.gz whose every file is checked against the manifest written with it.

Members, in this order:
- `header.json`: format, database vendor, date;
- `database.sqlite3` or `database.pgdump`;
- `media/…`: the uploaded files;
- `keys/audit/…`: the audit trail's sealing keys and its signed checkpoint;
- `keys/cards/…`: the card signing keys (private, PEM);
- `manifest.json`, last: the SHA-256 and size of every member above, computed from the
  very bytes written into the archive.

Reading checks every member against the manifest, refuses anything else (links, paths
outside the archive, unknown members), and reads the gzip stream to its end so that its
CRC is checked too: a truncated, damaged or foreign archive is named before anything is
touched. Archives of format 1 (a manifest first, a checksum for the database only) are
still read; their files are checked by the gzip CRC alone.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import os
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from matricule.core.backup.errors import BackupError
from matricule.core.backup.files import CHUNK

FORMAT_VERSION = 2
HEADER = "header.json"
MANIFEST = "manifest.json"
DATABASE_MEMBERS = ("database.sqlite3", "database.pgdump")
MEDIA = "media"
AUDIT_KEYS = "keys/audit"
CARD_KEYS = "keys/cards"
PREFIXES = (f"{MEDIA}/", f"{AUDIT_KEYS}/", f"{CARD_KEYS}/")
NOTHING_CHANGED = "Rien n'a été modifié."


class _HashingReader(io.RawIOBase):
    """Reads a file while hashing exactly the bytes handed to the archive."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.count += len(data)
        return data


class ArchiveWriter:
    """Writes the members in order, then the manifest of what was actually written."""

    def __init__(self, fileobj: IO[bytes], *, header: dict[str, Any]) -> None:
        self._gzip = gzip.GzipFile(fileobj=fileobj, mode="wb", compresslevel=6, mtime=0)
        self._tar = tarfile.open(  # noqa: SIM115 - closed by close()
            fileobj=self._gzip, mode="w:", format=tarfile.PAX_FORMAT
        )
        self.header = {"format": FORMAT_VERSION, **header}
        self.files: dict[str, dict[str, Any]] = {}
        self._add_bytes(HEADER, json.dumps(self.header, indent=2).encode())

    def _add_bytes(self, name: str, data: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = 0o600
        info.mtime = 0
        self._tar.addfile(info, io.BytesIO(data))

    def add_bytes(self, name: str, data: bytes) -> None:
        self._add_bytes(name, data)
        self.files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

    def add_stream(
        self, name: str, handle: IO[bytes], *, size: int, mode: int, mtime: float
    ) -> None:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = mode & 0o755
        info.mtime = int(mtime)
        reader = _HashingReader(handle)
        try:
            self._tar.addfile(info, reader)
        except OSError as error:
            if "unexpected end of data" in str(error):
                raise BackupError(
                    f"« {name} » a raccourci pendant la sauvegarde ; relancez-la."
                ) from None
            raise
        self.files[name] = {"sha256": reader.digest.hexdigest(), "size": reader.count}

    def add_path(self, name: str, path: Path) -> None:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            self.add_stream(name, handle, size=stat.st_size, mode=stat.st_mode, mtime=stat.st_mtime)

    def close(self, **extra: Any) -> dict[str, Any]:
        manifest = {**self.header, **extra, "files": self.files}
        self._add_bytes(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
        self._tar.close()
        self._gzip.close()
        return manifest


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(name in the archive, path) of every regular file under the media folder, sorted."""
    if not root.is_dir():
        return
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield f"{MEDIA}/{path.relative_to(root).as_posix()}", path


@dataclass
class Member:
    sha256: str
    size: int
    mode: int


@dataclass
class ArchiveContents:
    format: int
    vendor: str
    created_at: str
    database: str
    members: dict[str, Member] = field(default_factory=dict)

    def names(self, prefix: str) -> list[str]:
        return sorted(n for n in self.members if n.startswith(prefix + "/"))


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Archive refusée : chemin interdit « {name} ». {NOTHING_CHANGED}")
    return path.as_posix()


def _copy_member(source: IO[bytes], target: Path | None) -> tuple[str, int]:
    digest = hashlib.sha256()
    count = 0
    out = None
    if target is not None:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        out = os.fdopen(fd, "wb")
    try:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            count += len(chunk)
            if out is not None:
                out.write(chunk)
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
    finally:
        if out is not None:
            out.close()
    return digest.hexdigest(), count


def read_archive(
    source: Path, *, extract_to: Path | None = None, database_to: Path | None = None
) -> ArchiveContents:
    """Check the whole archive (and copy its members into `extract_to` if given).

    Raises BackupError, in French, on the first problem; the caller discards what was
    extracted.
    """
    if not source.is_file():
        raise BackupError(f"Fichier introuvable : {source}")
    try:
        with source.open("rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as stream:
            contents = _read_members(stream, extract_to, database_to)
            # The tar end marker is not the end of the file: read on so that gzip checks
            # its CRC and length (damage in the last blocks would go unseen otherwise).
            while stream.read(CHUNK):
                pass
    except BackupError:
        raise
    except EOFError:
        raise BackupError(
            "Archive tronquée : la fin du fichier manque (copie ou écriture interrompue ?). "
            + NOTHING_CHANGED
        ) from None
    except gzip.BadGzipFile as error:
        if "Not a gzipped file" in str(error):
            raise BackupError(
                "Archive illisible : ce fichier n'est pas une sauvegarde Matricule (.tar.gz). "
                + NOTHING_CHANGED
            ) from None
        raise BackupError(f"Archive endommagée ({error}). {NOTHING_CHANGED}") from None
    except (zlib.error, tarfile.TarError) as error:
        raise BackupError(
            f"Archive endommagée ou qui n'est pas une sauvegarde Matricule ({error}). "
            + NOTHING_CHANGED
        ) from None
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise BackupError(
                "Plus de place sur le disque pour préparer la restauration. " + NOTHING_CHANGED
            ) from None
        raise BackupError(f"Archive illisible : {error}. {NOTHING_CHANGED}") from None
    return contents


def _read_members(
    stream: gzip.GzipFile, extract_to: Path | None, database_to: Path | None
) -> ArchiveContents:
    tar = tarfile.open(fileobj=stream, mode="r|")  # noqa: SIM115 - read to its end below
    header: dict[str, Any] | None = None
    manifest: dict[str, Any] | None = None
    seen: dict[str, Member] = {}
    for info in tar:
        name = _safe_name(info.name)
        if manifest is not None and (header is not None):
            raise BackupError(f"Archive refusée : « {name} » après le manifeste. {NOTHING_CHANGED}")
        if info.isdir() and header is None and manifest is not None:
            continue  # format 1 stored the media folders themselves
        if not info.isfile():
            raise BackupError(
                f"Archive refusée : « {name} » n'est pas un fichier ordinaire. {NOTHING_CHANGED}"
            )
        handle = tar.extractfile(info)
        assert handle is not None
        if name in (HEADER, MANIFEST) and info.size <= 64 << 20:
            data = handle.read()
            try:
                document = json.loads(data)
            except ValueError:
                raise BackupError(
                    f"Archive endommagée : « {name} » illisible. {NOTHING_CHANGED}"
                ) from None
            if not isinstance(document, dict):
                raise BackupError(f"Archive endommagée : « {name} » illisible. {NOTHING_CHANGED}")
            if name == HEADER and not seen and header is None and manifest is None:
                header = document
            elif name == MANIFEST and header is None and not seen and manifest is None:
                manifest = document  # format 1: the manifest comes first
                if manifest.get("format") != 1:
                    raise BackupError("Version de sauvegarde inconnue. " + NOTHING_CHANGED)
            elif name == MANIFEST and header is not None:
                manifest = document
            else:
                raise BackupError(f"Archive refusée : « {name} » mal placé. {NOTHING_CHANGED}")
            continue
        if header is None and manifest is None:
            raise BackupError(
                "Ce fichier n'est pas une sauvegarde Matricule (pas d'en-tête). " + NOTHING_CHANGED
            )
        if name in seen:
            raise BackupError(f"Archive refusée : « {name} » en double. {NOTHING_CHANGED}")
        if name in DATABASE_MEMBERS:
            target = database_to
        elif name.startswith(PREFIXES):
            target = extract_to / name if extract_to is not None else None
        else:
            raise BackupError(f"Archive refusée : membre inconnu « {name} ». {NOTHING_CHANGED}")
        digest, size = _copy_member(handle, target)
        if size != info.size:
            raise BackupError(f"Archive tronquée : « {name} » incomplet. {NOTHING_CHANGED}")
        seen[name] = Member(digest, size, info.mode)
    if header is None and manifest is not None:
        return _check_format_1(manifest, seen)
    if header is None:
        raise BackupError("Ce fichier n'est pas une sauvegarde Matricule. " + NOTHING_CHANGED)
    if manifest is None:
        raise BackupError(
            "Archive tronquée ou endommagée : le manifeste final manque. " + NOTHING_CHANGED
        )
    return _check_manifest(header, manifest, seen)


def _check_manifest(
    header: dict[str, Any], manifest: dict[str, Any], seen: dict[str, Member]
) -> ArchiveContents:
    if header.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"Version de sauvegarde inconnue ({header.get('format')}). " + NOTHING_CHANGED
        )
    for key in ("format", "vendor", "created_at"):
        if manifest.get(key) != header.get(key):
            raise BackupError(
                "Archive endommagée : l'en-tête et le manifeste ne concordent pas. "
                + NOTHING_CHANGED
            )
    expected = manifest.get("files")
    if not isinstance(expected, dict):
        raise BackupError("Archive endommagée : manifeste illisible. " + NOTHING_CHANGED)
    missing = sorted(set(expected) - set(seen))
    if missing:
        raise BackupError(
            f"Archive incomplète : {len(missing)} fichier(s) manquant(s), dont « {missing[0]} ». "
            + NOTHING_CHANGED
        )
    unlisted = sorted(set(seen) - set(expected))
    if unlisted:
        raise BackupError(
            f"Archive refusée : « {unlisted[0]} » n'est pas dans le manifeste. " + NOTHING_CHANGED
        )
    for name in sorted(seen):
        entry = expected[name]
        if not isinstance(entry, dict) or (
            entry.get("sha256") != seen[name].sha256 or entry.get("size") != seen[name].size
        ):
            what = "la base de données" if name in DATABASE_MEMBERS else f"« {name} »"
            raise BackupError(
                f"Archive endommagée : {what} ne correspond pas à son empreinte. " + NOTHING_CHANGED
            )
    databases = [n for n in seen if n in DATABASE_MEMBERS]
    if len(databases) != 1:
        raise BackupError("Archive incomplète : la base de données manque. " + NOTHING_CHANGED)
    return ArchiveContents(
        format=FORMAT_VERSION,
        vendor=str(header.get("vendor")),
        created_at=str(header.get("created_at")),
        database=databases[0],
        members=seen,
    )


def _check_format_1(manifest: dict[str, Any], seen: dict[str, Member]) -> ArchiveContents:
    database = manifest.get("database") or {}
    name = str(database.get("file", ""))
    if name not in seen or seen[name].sha256 != database.get("sha256"):
        raise BackupError(
            "Archive endommagée : la base de données ne correspond pas à son empreinte. "
            + NOTHING_CHANGED
        )
    return ArchiveContents(
        format=1,
        vendor=str(manifest.get("vendor")),
        created_at=str(manifest.get("created_at")),
        database=name,
        members=seen,
    )
