"""Uploads are what they claim only when they open as such; bombs are refused unopened."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from matricule.core.filetypes import (
    SCAN_MAX_PIXELS,
    image_probe,
    pdf_page_count,
    verified_content_type,
)
from matricule.core.tests.pdf import tiny_pdf

HTML_PDF = b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n"


def png_bomb(width: int = 8800, height: int = 8800) -> bytes:
    """A PNG of `width` × `height` black pixels (1 bit each), a few kilobytes on disk.

    Built chunk by chunk, never as an image: the test itself must not pay what it checks.
    """

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte, then the row's bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def _jpeg(size=(600, 800)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 90, 60)).save(out, "JPEG")
    return out.getvalue()


def test_the_bomb_is_small_on_disk_and_huge_once_decoded():
    bomb = png_bomb()
    assert len(bomb) < 100_000
    with Image.open(io.BytesIO(bomb)) as image:
        assert image.size == (8800, 8800)


# The photo check runs in a child process so that its peak memory is its own to measure.
CHILD = """
import json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matricule.settings.test")
django.setup()
from django.core.exceptions import ValidationError
from matricule.personnel.photos import photo_process

def peak_kb():
    with open("/proc/self/status") as status:
        return int(next(l for l in status if l.startswith("VmHWM")).split()[1])

data = open(sys.argv[1], "rb").read()
before = peak_kb()
start = time.perf_counter()
try:
    photo_process(data)
    outcome = "accepted"
except ValidationError as error:
    outcome = " ".join(error.messages)
print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - start,
                  "extra_kb": peak_kb() - before}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_pixel_bomb_photo_is_refused_quickly_with_bounded_memory(tmp_path):
    path = tmp_path / "bombe.png"
    path.write_bytes(png_bomb())
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "matricule.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "trop grande (8800 × 8800 pixels)" in result["outcome"]
    assert result["seconds"] < 0.5
    assert result["extra_kb"] < 20_000  # decoding it would cost 77 MB, then 232 MB in RGB


def test_a_photo_of_a_normal_size_is_still_accepted():
    from matricule.personnel.photos import PHOTO_SIZE, photo_process

    start = time.perf_counter()
    processed = photo_process(_jpeg((3000, 4000)))
    assert time.perf_counter() - start < 2
    with Image.open(io.BytesIO(processed.image)) as image:
        assert image.size == PHOTO_SIZE


def test_a_bomb_is_refused_as_a_scan_too():
    with pytest.raises(ValidationError) as refused:
        image_probe(png_bomb(), max_pixels=SCAN_MAX_PIXELS)
    assert "mégapixels au plus" in refused.value.messages[0]
    assert verified_content_type(png_bomb()) is None
    # Past Pillow's own limit the warning is a refusal, whatever our limit says.
    assert verified_content_type(png_bomb(10_000, 10_000), max_pixels=10**12) is None


def test_a_pdf_is_a_pdf_only_when_a_reader_opens_it():
    assert verified_content_type(tiny_pdf(2)) == "application/pdf"
    assert pdf_page_count(tiny_pdf(3)) == 3
    assert verified_content_type(HTML_PDF) is None
    assert verified_content_type(tiny_pdf()[:200]) is None  # cut short
    assert verified_content_type(b"\x89PNG\r\n\x1a\n<html>") is None
    assert verified_content_type(_jpeg()) == "image/jpeg"


@pytest.mark.django_db
def test_html_starting_with_pdf_is_refused_everywhere_a_scan_is_uploaded(hire, make_user):
    from matricule.core.models import DocumentType
    from matricule.corrections.services import Upload, correction_file
    from matricule.personnel.services import document_add

    officer = hire()
    account = make_user(username=officer.matricule, officer=officer)
    with pytest.raises(ValidationError) as refused:
        document_add(
            officer=officer,
            doc_type=DocumentType.objects.first(),
            title="Diplôme",
            date=officer.entry_date,
            data=HTML_PDF,
            filename="diplome.pdf",
            by=None,
        )
    assert "lisibles" in refused.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as refused:
        correction_file(
            officer=officer,
            by=account,
            field_name="birth_place",
            proposed={"value": "Kati"},
            justification="Erreur sur le lieu de naissance",
            uploads=[Upload(name="acte.pdf", data=HTML_PDF)],
        )
    assert "ni un PDF" in refused.value.message_dict["files"][0]
    assert not officer.documents.exists()
    assert json.dumps(refused.value.message_dict)  # French messages, by field
