"""Report photos: checked by their content, re-encoded without metadata, stored under generated names.

EXIF may hold the phone's location and owner, so every accepted photo is decoded and written anew
(only its colour profile kept); a photo is a JPEG (also with the MPF extension of many phone
cameras, which Pillow calls MPO: only its first frame is kept) or PNG recognised by its bytes, never
its name.
"""

from __future__ import annotations

import io
import secrets
import warnings
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from geo.errors import BadRequestError, PayloadTooLargeError

#: Largest accepted photo (bytes) and image size (pixels).
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 24_000_000


_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Photo:
    """A checked photo, re-encoded without metadata (EXIF may hold the phone's location and owner)."""

    ext: str  # "jpg" or "png"
    data: bytes


def check_photo(data: bytes, *, max_bytes: int = MAX_PHOTO_BYTES) -> Photo:
    """Accept a JPEG or PNG by its content (never its name), decodable and not too large."""
    if len(data) > max_bytes:
        raise PayloadTooLargeError("photo.too_large", field="photo", max_bytes=max_bytes,
                                   max_mb=max_bytes / 1024 / 1024)
    if data.startswith(_JPEG):
        kind, ext = "JPEG", "jpg"
    elif data.startswith(_PNG):
        kind, ext = "PNG", "png"
    else:
        raise BadRequestError("photo.not_an_image", field="photo")
    bad = BadRequestError("photo.unreadable", field="photo", kind=kind)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                # phone cameras (Ultra HDR, depth) write JPEGs with an MPF extension: Pillow reads them as
                # "MPO"; the first frame is the photo, the others are dropped by the re-encoding
                if probe.format != kind and not (kind == "JPEG" and probe.format == "MPO"):
                    raise bad
                w, h = probe.size
                if w * h > MAX_PHOTO_PIXELS:
                    raise PayloadTooLargeError("photo.too_many_pixels", field="photo", width=w, height=h,
                                               max_mp=MAX_PHOTO_PIXELS // 1_000_000)
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                icc = img.info.get("icc_profile")
                upright = ImageOps.exif_transpose(img)
                out = io.BytesIO()
                if kind == "JPEG":
                    if upright.mode not in ("RGB", "L", "CMYK"):
                        upright = upright.convert("RGB")
                    upright.save(out, "JPEG", quality=90, icc_profile=icc)
                else:
                    upright.save(out, "PNG", icc_profile=icc)
    except (BadRequestError, PayloadTooLargeError):
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise bad from None
    return Photo(ext=ext, data=out.getvalue())


@dataclass(frozen=True)
class PhotoFolder:
    """Photos on disk under generated names (``<32 hex>.jpg|png``)."""

    path: Path

    def save(self, photo: Photo) -> str:
        """Write the photo; returns its generated name."""
        self.path.mkdir(parents=True, exist_ok=True)
        name = f"{secrets.token_hex(16)}.{photo.ext}"
        tmp = self.path / f".{name}.part"
        tmp.write_bytes(photo.data)
        tmp.replace(self.path / name)
        return name

    def delete(self, name: str) -> None:
        """Remove a photo (missing is fine)."""
        with suppress(FileNotFoundError):
            (self.path / name).unlink()
