"""Certificate PDFs (WeasyPrint, A4 landscape, French) and the token of their public check.

The QR carries a value signed with django.core.signing rather than a random token
stored hashed: the PDF can be downloaded again at any time with the very same QR
(a hashed token could not be printed again), nothing secret is stored in the
database, a forged or guessed URL fails the signature check (so the public page
cannot be used to enumerate who was trained), and a SECRET_KEY rotation keeps old
certificates verifiable through SECRET_KEY_FALLBACKS. The signed number is not a
secret: it is printed on the certificate.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from matricule.training.models import Certificate

SALT = "matricule.training.certificate"


def certificate_token(number: str) -> str:
    return signing.Signer(salt=SALT).sign(number)


def certificate_number_from_token(token: str) -> str | None:
    """The certificate number the token vouches for, or None if it was not signed by us."""
    try:
        return signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None


def verification_url(number: str, base_url: str | None = None) -> str:
    base = (base_url or settings.MATRICULE_PUBLIC_URL).rstrip("/")
    return base + reverse("certificate_verify", args=[certificate_token(number)])


def qr_svg(url: str) -> str:
    """The QR of `url` as inline SVG (vector: sharp at any print size, no image file).

    The mask is fixed: choosing the best of eight costs 4 ms per certificate for a code
    that scanners read just as well on a plain white page.
    """
    code = segno.make(url, error="m", micro=False, mask=1)
    return str(code.svg_inline(scale=4, border=2, dark="#111", omitsize=True))


_local = threading.local()


def _renderer() -> tuple[CSS, FontConfiguration]:
    """The parsed stylesheet and font configuration, built once per thread.

    Parsing the CSS and loading the fonts again for every certificate is about a
    third of a render; Pango's font map is not shared between threads.
    """
    cached = getattr(_local, "renderer", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        css = CSS(string=render_to_string("training/certificate_pdf.css"), font_config=fonts)
        cached = _local.renderer = (css, fonts)
    return cached


def certificate_context(certificate: Certificate, base_url: str | None = None) -> dict[str, Any]:
    enrolment = certificate.enrolment
    session = enrolment.session
    officer = certificate.officer
    url = verification_url(certificate.number, base_url)
    return {
        "certificate": certificate,
        "officer": officer,
        "session": session,
        "course": certificate.course,
        "modules": list(certificate.course.modules.all()),
        "enrolment": enrolment,
        "qr": qr_svg(url),
        "url": url,
        "today": timezone.localdate(),
    }


def certificate_pdf(certificate: Certificate, base_url: str | None = None) -> bytes:
    """Render the certificate. `certificate` should come with its relations loaded."""
    from weasyprint import HTML

    html = render_to_string(
        "training/certificate_pdf.html", certificate_context(certificate, base_url)
    )
    css, fonts = _renderer()
    return bytes(HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts))
