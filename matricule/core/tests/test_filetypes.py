"""Uploads are what they claim only when they open as such; bombs are refused unopened."""

from __future__ import annotations

import io
import struct
import zlib

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
