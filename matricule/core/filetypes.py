"""What an uploaded file really is: checked by opening it, never by its name or first bytes.

A file is a PDF when a PDF library can open it and it has pages, and an image when Pillow
can read its header and its size stays within a pixel limit. A file that merely starts
with `%PDF` (HTML, a script…) is refused, and so is a "decompression bomb": a small file
that would unpack into a huge image (an 8,800 × 8,800 PNG of 75 KB costs 400 MB to
decode). Sizes are read from the header, before anything is decoded.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
# Recognised by their first bytes only to choose how to open them.
SIGNATURES = {
    b"%PDF-": PDF,
    b"\xff\xd8\xff": JPEG,
    b"\x89PNG\r\n\x1a\n": PNG,
}
IMAGE_FORMATS = {"JPEG": JPEG, "PNG": PNG}
# A scan of an A4 page at 600 dpi is 35 megapixels: room for that, not for a bomb.
SCAN_MAX_PIXELS = 40_000_000
MAX_PDF_PAGES = 500
# PDFium is not thread-safe (runserver and the test suite's threads share the process).
_PDFIUM = threading.Lock()


def sniff_content_type(head: bytes) -> str | None:
    """The type the first bytes claim (not proof: see `verified_content_type`)."""
    for magic, content_type in SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    return None


def verified_content_type(data: bytes, *, max_pixels: int = SCAN_MAX_PIXELS) -> str | None:
    """PDF, JPEG or PNG when the file opens as one (within the limits); None otherwise."""
    claimed = sniff_content_type(data[:16])
    if claimed == PDF:
        return PDF if pdf_page_count(data) else None
    if claimed in (JPEG, PNG):
        try:
            probe = image_probe(data, max_pixels=max_pixels)
        except ValidationError:
            return None
        return claimed if probe.content_type == claimed else None
    return None


def pdf_page_count(data: bytes) -> int:
    """Pages of the PDF, or 0 when it is not one a reader can open (or has too many)."""
    import pypdfium2 as pdfium

    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return 0
        try:
            pages = len(document)
        finally:
            document.close()
    return pages if 0 < pages <= MAX_PDF_PAGES else 0


@dataclass(frozen=True)
class ImageProbe:
    content_type: str
    width: int
    height: int


def image_probe(data: bytes, *, max_pixels: int) -> ImageProbe:
    """The image's type and size from its header, refused above `max_pixels`.

    Pillow's decompression-bomb warning is a refusal here, not a line in a log.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format or ""
                width, height = image.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(too_many_pixels(max_pixels), code="pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Le fichier n'est pas une image lisible (JPEG ou PNG)."), code="unreadable"
        ) from None
    if kind not in IMAGE_FORMATS:
        raise ValidationError(
            _("Format d'image non accepté : envoyez un JPEG ou un PNG."), code="format"
        )
    if width * height > max_pixels:
        raise ValidationError(too_many_pixels(max_pixels, width, height), code="pixels")
    return ImageProbe(IMAGE_FORMATS[kind], width, height)


def too_many_pixels(limit: int, width: int | None = None, height: int | None = None) -> str:
    megapixels = limit // 1_000_000
    if width is None or height is None:
        return _("L'image est trop grande : %(m)s mégapixels au plus.") % {"m": megapixels}
    return _(
        "L'image est trop grande (%(w)s × %(h)s pixels) : %(m)s mégapixels au plus ; "
        "réduisez-la avant de l'envoyer."
    ) % {"w": width, "h": height, "m": megapixels}
