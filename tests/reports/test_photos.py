"""Report photos: recognised by content, size limits, re-encoded without EXIF."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from geo.errors import BadRequestError, PayloadTooLargeError
from geo.reports.photos import MAX_PHOTO_PIXELS, check_photo
from tests.reports.test_model import image_bytes


def test_png_and_jpeg_are_recognised_by_content() -> None:
    assert check_photo(image_bytes("PNG")).ext == "png"
    jpg = check_photo(image_bytes("JPEG"))
    assert jpg.ext == "jpg"
    assert Image.open(io.BytesIO(jpg.data)).size == (40, 30)


@pytest.mark.parametrize("data", [
    b"just some text pretending to be a photo",
    b"\xff\xd8\xff\xe0" + b"\x00" * 200,  # JPEG magic, no image
    b"\x89PNG\r\n\x1a\n" + b"garbage" * 30,  # PNG magic, no image
    b"GIF89a" + b"\x00" * 100,
    b"",
])
def test_non_images_and_broken_images_are_rejected(data: bytes) -> None:
    with pytest.raises(BadRequestError, match="photo"):
        check_photo(data)


def test_truncated_png_is_rejected() -> None:
    data = image_bytes("PNG", (300, 300))
    with pytest.raises(BadRequestError):
        check_photo(data[: len(data) // 2])


def test_oversized_photo_is_413() -> None:
    with pytest.raises(PayloadTooLargeError):
        check_photo(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000, max_bytes=1000)


def test_photos_over_24_megapixels_are_413() -> None:
    assert MAX_PHOTO_PIXELS == 24_000_000
    buf = io.BytesIO()
    Image.new("1", (5000, 5000)).save(buf, "PNG")  # 25 MP, a few kB
    with pytest.raises(PayloadTooLargeError, match="24 MP"):
        check_photo(buf.getvalue())


def test_exif_is_removed_but_orientation_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x013B] = "Jane Citizen"  # artist
    raw = image_bytes("JPEG", (40, 20), exif=exif.tobytes())
    assert b"Jane Citizen" in raw
    clean = check_photo(raw)
    assert b"Jane Citizen" not in clean.data
    img = Image.open(io.BytesIO(clean.data))
    assert img.size == (20, 40) and not img.getexif().get(0x0112)


def test_phone_jpegs_with_the_mpf_extension_are_accepted_as_their_first_frame() -> None:
    first, depth = Image.new("RGB", (40, 30), (200, 30, 30)), Image.new("RGB", (20, 15), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0110] = "Phone with Ultra HDR"  # camera model: metadata the re-encoding must drop
    buf = io.BytesIO()
    first.save(buf, "MPO", save_all=True, append_images=[depth], exif=exif)
    data = buf.getvalue()
    with Image.open(io.BytesIO(data)) as probe:
        assert probe.format == "MPO" and probe.n_frames == 2  # what phones send, as Pillow reads it
    photo = check_photo(data)
    assert photo.ext == "jpg"
    with Image.open(io.BytesIO(photo.data)) as out:
        assert out.format == "JPEG" and out.size == (40, 30) and getattr(out, "n_frames", 1) == 1
        assert not out.getexif() and out.getpixel((20, 15))[0] > 150
