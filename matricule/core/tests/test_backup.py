"""backup and restore, run as real commands on real files (and a real PostgreSQL).

A restore either gives back exactly what was saved or changes nothing: damaged,
truncated and foreign archives, a kill -9 at the worst moments and a power cut are each
reproduced here.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tarfile
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

ROOT = Path(__file__).resolve().parents[3]
PG_URL = os.environ.get("DATABASE_URL", "")
ON_PG = PG_URL.startswith(("postgres://", "postgresql://"))
# The suite runs once per database (CI: SQLite, then PostgreSQL): each run tests its own.
VENDORS = ["postgresql"] if ON_PG else ["sqlite"]

pytestmark = pytest.mark.slow

# Each test runs manage.py in subprocesses (migrate, seed_demo, backup, restore).
pytestmark = pytest.mark.slow


def _pg_admin():
    import psycopg

    return psycopg.connect(urlunparse(urlparse(PG_URL)._replace(path="/postgres")), autocommit=True)


@dataclass
class Site:
    """One Matricule installation in a folder of its own (and its own database)."""

    vendor: str
    root: Path
    url: str
    env: dict[str, str]

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        return result

    def python(self, code: str, *, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run code in a Django process of this site (a shell, no test machinery)."""
        return self.manage("shell", "-c", textwrap.dedent(code), check=check)

    def spawn(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.root / "db.sqlite3") as conn:
                return conn.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchall()

    def state(self) -> dict[str, object]:
        """What a restore must give back or leave alone: rows, files and the checkpoint."""
        media = self.root / "media"
        files = {
            p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(media.rglob("*"))
            if p.is_file()
        }
        checkpoint = self.root / "keys" / "audit-checkpoint.json"
        return {
            "officers": self.query(
                "SELECT matricule, birth_place FROM personnel_officer ORDER BY matricule"
            ),
            "events": self.query("SELECT count(*) FROM personnel_careerevent"),
            "audit": self.query("SELECT count(*), max(seq) FROM core_auditentry"),
            "media": files,
            "checkpoint": checkpoint.read_text() if checkpoint.exists() else None,
        }

    def change_everything(self) -> None:
        """Edits made after the backup, that a restore must undo (or, refused, keep)."""
        self.python(
            """
            from matricule.core.audit import audit_record
            from matricule.personnel.models import Officer
            Officer.objects.update(birth_place="APRÈS LA SAUVEGARDE")
            for i in range(3):
                audit_record(by=None, action="test.after", object_type="t", object_id=str(i))
            """
        )
        photos = sorted((self.root / "media").rglob("*.jpg"))
        for photo in photos[: len(photos) // 2]:
            photo.unlink()
        (self.root / "media" / "nouveau.txt").write_text("ajouté après la sauvegarde")

    def leftovers(self) -> list[str]:
        found = [
            p.name
            for p in self.root.iterdir()
            if p.name.endswith((".partiel", ".restauration")) or p.name == ".restauration"
        ]
        found += [p.name for p in (self.root / "out").glob(".*")]
        found += [p.name for p in (self.root / "tmp").iterdir()]
        if self.vendor == "postgresql":
            name = urlparse(self.url).path.lstrip("/")
            with _pg_admin() as conn:
                found += [
                    row[0]
                    for row in conn.execute(
                        "SELECT datname FROM pg_database WHERE datname LIKE %s",
                        [name + "\\_\\_%"],
                    )
                ]
        return sorted(found)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Iterator[dict[str, Site]]:
    """A seeded site per database, built once; each test gets a copy."""
    built: dict[str, Site] = {}
    for vendor in VENDORS:
        if vendor == "postgresql" and not ON_PG:
            continue
        root = tmp_path_factory.mktemp(f"template-{vendor}")
        site = _site(vendor, root, f"matricule_bk_tpl_{os.getpid()}")
        site.manage("migrate", "-v0")
        site.manage("seed_demo", "--officers", "8", "--seed", "3", "-v0")
        built[vendor] = site
    yield built
    if ON_PG:
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "matricule_bk_tpl_{os.getpid()}" WITH (FORCE)')


def _site(vendor: str, root: Path, pg_name: str, *, create: bool = True) -> Site:
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    (root / "out").mkdir(exist_ok=True)
    if vendor == "sqlite":
        url = f"sqlite:///{root}/db.sqlite3"
    else:
        url = urlunparse(urlparse(PG_URL)._replace(path=f"/{pg_name}"))
        with _pg_admin() as conn:
            if not create:
                return _with_env(Site(vendor, root, url, {}))
            conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{pg_name}"')
    return _with_env(Site(vendor, root, url, {}))


def _with_env(site: Site) -> Site:
    site.env = {
        **os.environ,
        "DATABASE_URL": site.url,
        "MATRICULE_VAR_DIR": str(site.root),
        "DJANGO_SETTINGS_MODULE": "matricule.settings.dev",
        # Anything written through tempfile lands here, where the tests look.
        "TMPDIR": str(site.root / "tmp"),
    }
    return site


@pytest.fixture(params=VENDORS)
def site(request, templates, tmp_path) -> Iterator[Site]:
    vendor = request.param
    if vendor not in templates:
        pytest.skip("PostgreSQL n'est testé que lorsque DATABASE_URL le désigne.")
    template = templates[vendor]
    root = tmp_path / "site"
    shutil.copytree(template.root, root, symlinks=True)
    shutil.rmtree(root / "tmp")
    (root / "tmp").mkdir()
    name = f"matricule_bk_{os.getpid()}_{abs(hash(tmp_path)) % 10**8}"
    if vendor == "postgresql":
        with _pg_admin() as conn:
            for suffix in ("", "__restauration", "__ancienne"):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}{suffix}" WITH (FORCE)')
            template_name = urlparse(template.url).path.lstrip("/")
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    yield _site(vendor, root, name, create=False)
    if vendor == "postgresql":
        with _pg_admin() as conn:
            for suffix in ("", "__restauration", "__ancienne"):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}{suffix}" WITH (FORCE)')


def _backup(site: Site) -> tuple[Path, dict[str, object]]:
    archive = site.root / "out" / "sauvegarde.tar.gz"
    site.manage("backup", str(archive))
    return archive, site.state()


def _members(archive: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(archive, "r:gz") as tar:
        return [(info, tar.extractfile(info).read()) for info in tar.getmembers()]


def _repack(archive: Path, target: Path, change) -> Path:
    """Rewrite the archive with one member's bytes changed: a valid gzip and tar whose only
    sign of damage is the checksum in the manifest."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in _members(archive):
            data = change(info.name, data)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    target.write_bytes(gzip.compress(buffer.getvalue()))
    return target


def _flip(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 4]) + data[middle + 4 :]


def _wait_for(predicate, timeout: float = 30.0, what: object = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"délai dépassé : {what() if callable(what) else what}")


def _restore_refused(site: Site, archive: Path, before: dict[str, object]) -> str:
    result = site.manage("restore", str(archive), "--yes", check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Rien n'a été modifié" in result.stderr
    assert "Restauration terminée" not in result.stdout
    assert site.state() == before
    assert site.leftovers() == []
    return result.stderr


def test_restore_gives_back_exactly_what_was_saved(site):
    archive, saved = _backup(site)
    site.change_everything()
    assert site.state() != saved
    result = site.manage("restore", str(archive), "--yes")
    assert "Restauration terminée" in result.stdout
    assert site.state() == saved
    assert site.leftovers() == []
    assert "intacte" in site.manage("verify_audit").stdout


def test_archive_holds_everything_with_a_checksum_and_is_private(site):
    archive, _saved = _backup(site)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    members = _members(archive)
    names = [info.name for info, _data in members]
    assert names[0] == "header.json"
    assert names[-1] == "manifest.json"
    manifest = json.loads(members[-1][1])
    for info, data in members[1:-1]:
        assert manifest["files"][info.name]["sha256"] == hashlib.sha256(data).hexdigest()
    assert any(n.startswith("media/") for n in names)
    assert "keys/audit/audit-checkpoint.json" in names
    assert any(n.startswith("keys/audit/audit-") and n.endswith(".key") for n in names)
    assert any(n.startswith("keys/cards/") and n.endswith(".pem") for n in names)
    assert site.leftovers() == []


def test_four_bytes_changed_in_a_file_change_nothing(site):
    archive, _saved = _backup(site)
    site.change_everything()
    before = site.state()
    photo = next(n for n in _members(archive) if n[0].name.endswith(".jpg"))[0].name
    damaged = _repack(
        archive, site.root / "out" / "abimee.tar.gz", lambda n, d: _flip(d) if n == photo else d
    )
    message = _restore_refused(site, damaged, before)
    assert f"« {photo} » ne correspond pas à son empreinte" in message


def test_four_bytes_changed_in_the_compressed_files_part_change_nothing(site):
    archive, _saved = _backup(site)
    site.change_everything()
    before = site.state()
    data = archive.read_bytes()
    at = int(len(data) * 0.9)  # past the database, among the files and keys
    damaged = site.root / "out" / "abimee.tar.gz"
    damaged.write_bytes(data[:at] + bytes(b ^ 0x55 for b in data[at : at + 4]) + data[at + 4 :])
    _restore_refused(site, damaged, before)


def test_a_damaged_database_changes_nothing(site):
    archive, _saved = _backup(site)
    site.change_everything()
    before = site.state()
    damaged = _repack(
        archive,
        site.root / "out" / "abimee.tar.gz",
        lambda n, d: _flip(d) if n.startswith("database.") else d,
    )
    message = _restore_refused(site, damaged, before)
    assert "la base de données ne correspond pas à son empreinte" in message


def test_a_truncated_archive_is_named_and_changes_nothing(site):
    archive, _saved = _backup(site)
    site.change_everything()
    before = site.state()
    truncated = site.root / "out" / "tronquee.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    message = _restore_refused(site, truncated, before)
    assert "Archive tronquée" in message
    assert "EOFError" not in message


def test_a_file_missing_from_the_archive_changes_nothing(site):
    archive, _saved = _backup(site)
    site.change_everything()
    before = site.state()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        dropped = False
        for info, data in _members(archive):
            if info.name.endswith(".jpg") and not dropped:
                dropped = True
                continue
            tar.addfile(info, io.BytesIO(data))
    damaged = site.root / "out" / "incomplete.tar.gz"
    damaged.write_bytes(gzip.compress(buffer.getvalue()))
    assert "Archive incomplète" in _restore_refused(site, damaged, before)


def test_check_option_verifies_without_touching_anything(site):
    archive, _saved = _backup(site)
    site.change_everything()
    before = site.state()
    assert "Archive intacte" in site.manage("restore", str(archive), "--check").stdout
    assert site.state() == before
    truncated = site.root / "out" / "tronquee.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:-100])
    result = site.manage("restore", str(truncated), "--check", check=False)
    assert result.returncode != 0 and "Archive" in result.stderr


def test_restore_puts_back_the_checkpoint_of_the_archive_and_missing_keys(site):
    archive, saved = _backup(site)
    card_key = next((site.root / "keys").glob("*.pem"))
    key_bytes = card_key.read_bytes()
    site.change_everything()  # seals more entries: the current checkpoint is ahead
    assert site.state()["checkpoint"] != saved["checkpoint"]
    card_key.unlink()
    result = site.manage("restore", str(archive), "--yes")
    assert "Clés de signature des cartes : 1" in result.stdout
    assert card_key.read_bytes() == key_bytes
    assert stat.S_IMODE(card_key.stat().st_mode) == 0o600
    assert site.state()["checkpoint"] == saved["checkpoint"]
    assert "intacte" in site.manage("verify_audit").stdout


SLOW_RESTORE = """
    import time
    from pathlib import Path
    from matricule.core.backup import archive
    copy = archive._copy_member
    def slow(source, target):
        time.sleep(0.3)  # room for the test to kill us while staging
        return copy(source, target)
    archive._copy_member = slow
    from matricule.core.backup import backup_restore
    backup_restore(Path({archive!r}))
"""


def test_kill_9_while_staging_leaves_the_old_state_and_no_copy_behind(site):
    archive, _saved = _backup(site)
    site.change_everything()
    before = site.state()
    process = site.spawn("shell", "-c", textwrap.dedent(SLOW_RESTORE.format(archive=str(archive))))
    _wait_for(lambda: (site.root / ".restauration" / "archive").exists())
    time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    # The janitor removes the staging copies once the restore is dead.
    _wait_for(lambda: site.leftovers() == [], what=site.leftovers)
    assert site.state() == before
    assert site.manage("check").returncode == 0


def test_kill_9_during_pg_restore_kills_pg_restore_too(site, tmp_path):
    if site.vendor != "postgresql":
        pytest.skip("pg_restore ne sert qu'à PostgreSQL.")
    archive, _saved = _backup(site)
    site.change_everything()
    before = site.state()
    # A pg_restore that takes its time, so that it is surely running when we kill.
    fake = tmp_path / "bin"
    fake.mkdir()
    marker = str(fake / "pg_restore")
    (fake / "pg_restore").write_text(f"#!{sys.executable}\nimport time\ntime.sleep(120)\n")
    (fake / "pg_restore").chmod(0o755)
    site.env["PATH"] = f"{fake}:{os.environ['PATH']}"
    process = site.spawn("restore", str(archive), "--yes")

    def running() -> list[str]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                        found.append(entry.name)
                except OSError:
                    pass
        return found

    _wait_for(lambda: bool(running()))
    process.send_signal(signal.SIGKILL)
    process.wait()
    _wait_for(lambda: not running(), timeout=10)
    _wait_for(lambda: site.leftovers() == [])
    assert site.state() == before


KILL_AFTER_DATABASE_SWAP = """
    import os, signal
    from pathlib import Path
    from matricule.core.backup import restoring
    swap_media, me = restoring._swap_media, os.getpid()
    def die(plan):
        if os.getpid() != me:  # the forked janitor finishing our work
            return swap_media(plan)
        os.kill(me, signal.SIGKILL)  # between the database and the files
    restoring._swap_media = die
    {power_cut}
    restoring.backup_restore(Path({archive!r}))
"""

NO_JANITOR = """
    import contextlib
    class NoJanitor(contextlib.nullcontext):
        def __init__(self, **kwargs): super().__init__(self)
        def __getattr__(self, name): return lambda *args: None
    restoring.Janitor = NoJanitor  # a power cut takes the janitor down as well
"""


def test_kill_9_after_the_point_of_no_return_ends_in_the_new_state(site):
    archive, saved = _backup(site)
    site.change_everything()
    script = KILL_AFTER_DATABASE_SWAP.format(archive=str(archive), power_cut="")
    result = site.python(script, check=False)
    assert result.returncode == -signal.SIGKILL
    # The janitor finishes the swap: database and files both from the archive.
    _wait_for(lambda: site.leftovers() == [], what=site.leftovers)
    assert site.state() == saved
    assert "intacte" in site.manage("verify_audit").stdout


def test_a_power_cut_after_the_point_of_no_return_is_finished_at_next_start(site):
    archive, saved = _backup(site)
    site.change_everything()
    script = KILL_AFTER_DATABASE_SWAP.format(
        archive=str(archive), power_cut=textwrap.indent(textwrap.dedent(NO_JANITOR), "    ")
    )
    assert site.python(script, check=False).returncode == -signal.SIGKILL
    refused = site.manage("check", check=False)
    assert refused.returncode != 0
    assert "restore --resume" in refused.stderr
    assert "terminée" in site.manage("restore", "--resume").stdout
    assert site.state() == saved
    assert site.leftovers() == []
    assert site.manage("check").returncode == 0


KILL_DURING_BACKUP = """
    import os, signal
    from pathlib import Path
    from matricule.core.backup import archive, writing
    add = archive.ArchiveWriter.add_path
    count = []
    def add_then_die(self, name, path):
        count.append(name)
        if len(count) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return add(self, name, path)
    archive.ArchiveWriter.add_path = add_then_die
    writing.backup_create(Path({target!r}))
"""


def test_kill_9_during_backup_leaves_no_partial_file(site):
    target = site.root / "out" / "sauvegarde.tar.gz"
    result = site.python(KILL_DURING_BACKUP.format(target=str(target)), check=False)
    assert result.returncode == -signal.SIGKILL
    _wait_for(lambda: site.leftovers() == [])
    assert list((site.root / "out").iterdir()) == []
    # And the next backup is complete.
    site.manage("backup", str(target))
    assert "Archive intacte" in site.manage("restore", str(target), "--check").stdout


def test_restore_refuses_a_file_that_is_not_a_backup(site):
    before = site.state()
    bogus = site.root / "out" / "pas-une-sauvegarde.tar.gz"
    bogus.write_bytes(b"not an archive")
    assert "Archive illisible" in _restore_refused(site, bogus, before)
