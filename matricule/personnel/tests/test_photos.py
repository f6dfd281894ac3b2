"""Photos: checked by their header, refused unopened above the pixel limit of an ID photo."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from matricule.core.tests.test_filetypes import png_bomb


def _jpeg(size=(600, 800)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (120, 90, 60)).save(out, "JPEG")
    return out.getvalue()


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
