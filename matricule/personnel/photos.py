"""Photo processing: check the content, crop to the ID-photo ratio, re-encode without metadata."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from matricule.core import filetypes

# 35 × 45 mm at 300 dpi, the size of an ID photo on civil-status papers.
PHOTO_SIZE = (413, 531)
THUMB_SIZE = (105, 135)
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# A phone or camera photo is 12 to 24 megapixels; an ID photo needs far less.
PHOTO_MAX_PIXELS = 24_000_000


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes


def photo_process(data: bytes, *, crop: tuple[float, float, float] | None = None) -> ProcessedPhoto:
    """Validate and normalise an uploaded photo.

    `crop` is an optional (left, top, width) in fractions of the image, chosen by the
    clerk; the height follows from the ID-photo ratio. Without it the centre is kept.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("La photo dépasse 8 Mo : réduisez-la avant de l'envoyer."))
    # The size is read from the header and refused before a single pixel is decoded.
    filetypes.image_probe(data, max_pixels=PHOTO_MAX_PIXELS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data))
            # A JPEG decodes at the smallest scale (1/2, 1/4, 1/8) still larger than twice
            # the ID photo: less memory and time, the same photo once resized.
            image.draft("RGB", (PHOTO_SIZE[0] * 2, PHOTO_SIZE[1] * 2))
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(filetypes.too_many_pixels(PHOTO_MAX_PIXELS)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("Le fichier n'est pas une image lisible (JPEG ou PNG).")) from None
    picture: Image.Image = ImageOps.exif_transpose(image).convert("RGB")
    if picture.width < 150 or picture.height < 190:
        raise ValidationError(_("La photo est trop petite (au moins 150 × 190 pixels)."))
    ratio = PHOTO_SIZE[0] / PHOTO_SIZE[1]
    if crop is not None:
        left, top, width = crop
        box_w = max(1, int(width * picture.width))
        box_h = int(box_w / ratio)
        x = int(left * picture.width)
        y = int(top * picture.height)
        if x < 0 or y < 0 or x + box_w > picture.width or y + box_h > picture.height:
            raise ValidationError(_("Le cadrage dépasse les bords de la photo."))
        picture = picture.crop((x, y, x + box_w, y + box_h))
    picture = ImageOps.fit(
        picture, PHOTO_SIZE, method=Image.Resampling.LANCZOS, centering=(0.5, 0.35)
    )
    return ProcessedPhoto(
        image=_jpeg(picture, 85),
        thumbnail=_jpeg(picture.resize(THUMB_SIZE, Image.Resampling.LANCZOS), 80),
    )


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # A fresh save carries no EXIF, GPS or maker notes from the original file.
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def placeholder_portrait(seed: int, initials: str) -> bytes:
    """A generated stand-in portrait for demo data (a silhouette on a plain background)."""
    from PIL import ImageDraw

    palette = [(176, 196, 222), (200, 200, 190), (190, 210, 200), (215, 205, 190), (205, 190, 210)]
    skin = [(92, 64, 51), (120, 85, 60), (141, 99, 71), (74, 52, 40)]
    image = Image.new("RGB", PHOTO_SIZE, palette[seed % len(palette)])
    draw = ImageDraw.Draw(image)
    tone = skin[(seed // 7) % len(skin)]
    w, h = PHOTO_SIZE
    draw.ellipse((w * 0.30, h * 0.16, w * 0.70, h * 0.52), fill=tone)
    draw.rectangle((w * 0.44, h * 0.48, w * 0.56, h * 0.60), fill=tone)
    draw.ellipse((w * 0.10, h * 0.56, w * 0.90, h * 1.25), fill=(30, 45, 80))
    draw.text((w * 0.06, h * 0.04), initials, fill=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()
