"""Reading back the PDFs the application prints, for tests: pages, text, images, QR codes.

Everything runs in-process with pypdfium2 (PDFium ships in the wheel) and zxing-cpp, so
the suite needs no system package (poppler-utils, zbar) on a fresh machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

POINTS_PER_INCH = 72


@contextmanager
def _opened(pdf: bytes) -> Iterator[pdfium.PdfDocument]:
    document = pdfium.PdfDocument(pdf)
    try:
        yield document
    finally:
        document.close()


def pdf_page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of every page, in points (1/72 inch), as `pdfinfo` reports them."""
    with _opened(pdf) as document:
        return [document[i].get_size() for i in range(len(document))]


def pdf_page_image(pdf: bytes, *, page: int = 1, dpi: int = 300) -> Image.Image:
    """Rasterise one page (numbered from 1, like a printer) to a PIL image."""
    with _opened(pdf) as document:
        bitmap = document[page - 1].render(scale=dpi / POINTS_PER_INCH)
        # Copy out of PDFium's buffer before the document closes.
        return bitmap.to_pil().copy()


def pdf_text(pdf: bytes) -> str:
    """The text of every page, pages separated by a form feed (as `pdftotext` does)."""
    with _opened(pdf) as document:
        pages = []
        for i in range(len(document)):
            textpage = document[i].get_textpage()
            try:
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
        return "\f".join(pages)


def qr_codes(image: Image.Image) -> list[str]:
    """The text of every QR code found in the image."""
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]


def pdf_qr_codes(pdf: bytes, *, page: int = 1, dpi: int = 300) -> list[str]:
    """The text of every QR code printed on one page of the PDF."""
    return qr_codes(pdf_page_image(pdf, page=page, dpi=dpi))


def tiny_pdf(pages: int = 1) -> bytes:
    """A real, minimal PDF (blank A4 pages): what an upload check must accept."""
    import io

    document = pdfium.PdfDocument.new()
    try:
        for _ in range(pages):
            document.new_page(595, 842)
        out = io.BytesIO()
        document.save(out)
    finally:
        document.close()
    return out.getvalue()
