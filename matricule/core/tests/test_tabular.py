"""The safe tabular reader: bombs built here (small on disk) are refused fast, in little memory."""

from __future__ import annotations

import gzip
import io
import time
import tracemalloc
import zipfile
import zlib

import openpyxl
import pytest

from matricule.core.tabular import (
    TabularError,
    TabularLimits,
    tabular_check,
    tabular_rows,
)

GIB = 1024**3


def small_workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shared_strings_workbook(rows: list[list[object]]) -> bytes:
    """A workbook whose text lives in xl/sharedStrings.xml (as Excel writes it)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def with_declared_size(data: bytes, member: str, size: int) -> bytes:
    """The same workbook whose zip directory says `member` unpacks to `size` bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    target = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    for info in source.infolist():
        target.writestr(info, source.read(info.filename))
    for info in target.filelist:
        if info.filename == member:
            info.file_size = size  # written so in the central directory at close
    target.close()
    return out.getvalue()


def deflate_bomb(
    unpacked: int, chunk: bytes = (b"Diarra;Awa;" + b"x" * 600 + b"\n") * 1000
) -> bytes:
    """A raw deflate stream inflating to about `unpacked` bytes, built without producing
    them: one fully flushed block of `chunk`, repeated (deflate blocks concatenate)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * (unpacked // len(chunk)) + compressor.flush()


def gzip_bomb(unpacked: int) -> bytes:
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = b"\x00\x00\x00\x00" + (unpacked % 2**32).to_bytes(4, "little")  # CRC never reached
    return header + deflate_bomb(unpacked) + trailer


def refused_fast(data: bytes, filename: str, limits: TabularLimits | None = None) -> str:
    tracemalloc.start()
    start = time.monotonic()
    with pytest.raises(TabularError) as raised:
        for _row in tabular_rows(io.BytesIO(data), filename, limits or TabularLimits()):
            pass
    elapsed = time.monotonic() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 5, f"refus en {elapsed:.1f} s"
    assert peak < 64 * 1024 * 1024, f"pic mémoire {peak / 1e6:.0f} Mo"
    return str(raised.value)


def test_a_workbook_whose_single_cell_unpacks_to_a_gibibyte_is_refused_before_parsing():
    data = with_declared_size(shared_strings_workbook([["x" * 100]]), "xl/sharedStrings.xml", GIB)
    assert len(data) < 100_000
    message = refused_fast(data, "bombe.xlsx")
    assert message.startswith("Classeur refusé : une fois décompressé il occuperait plus de 128 Mo")
    with pytest.raises(TabularError):
        tabular_check(io.BytesIO(data), "bombe.xlsx", TabularLimits())


def test_a_workbook_whose_sheet_declares_more_than_the_total_is_refused():
    data = with_declared_size(
        small_workbook([["Nom"], ["Diarra"]]), "xl/worksheets/sheet1.xml", 2 * GIB
    )
    assert "plus de 1024 Mo" in refused_fast(data, "bombe.xlsx")


def test_a_real_zip_bomb_member_is_refused_on_its_ratio():
    base = zipfile.ZipFile(io.BytesIO(small_workbook([["Nom"], ["Diarra"]])))
    out = io.BytesIO()
    target = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    for info in base.infolist():
        if info.filename != "xl/worksheets/sheet1.xml":
            target.writestr(info, base.read(info.filename))
    # 200 MB of rows in ~200 KB, honestly declared.
    with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
        member.write(b"<worksheet>" + b"<row/>" * (200 * 1024 * 1024 // 6) + b"</worksheet>")
    target.close()
    data = out.getvalue()
    assert len(data) < 2_000_000
    assert "se décompresse de façon anormale" in refused_fast(data, "bombe.xlsx")


def test_a_gzip_bomb_is_refused_while_reading():
    data = gzip_bomb(GIB)
    assert len(data) < 5_000_000
    assert refused_fast(data, "registre.csv.gz").startswith("Fichier .csv.gz refusé")


def test_a_workbook_declaring_two_million_rows_is_refused_at_once():
    data = small_workbook([["Nom"], ["Diarra"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    target = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    for info in source.infolist():
        content = source.read(info.filename)
        if info.filename == "xl/worksheets/sheet1.xml":
            content = content.replace(b'ref="A1:A2"', b'ref="A1:A2000000"')
        target.writestr(info, content)
    target.close()
    message = refused_fast(out.getvalue(), "lignes.xlsx")
    assert message.startswith("Le fichier compte plus de 500 000 lignes")


def test_rows_beyond_the_limit_are_refused_while_streaming():
    data = ("Nom;Prénom\n" + "Diarra;Awa\n" * 5000).encode()
    limits = TabularLimits(max_rows=1000)
    assert refused_fast(data, "a.csv", limits).startswith("Le fichier compte plus de 1 000 lignes")


def test_too_many_columns_and_too_long_cells_name_their_limit():
    wide = (";".join(["x"] * 300) + "\n").encode()
    assert "plus de 200 colonnes" in refused_fast(wide, "a.csv")
    long_cell = ("Nom\n" + "x" * 20_000 + "\n").encode()
    assert "cellule de plus de 10 000 caractères" in refused_fast(long_cell, "a.csv")
    workbook = small_workbook([["Nom"], ["y" * 20_000]])
    assert "cellule de plus de 10 000 caractères" in refused_fast(workbook, "a.xlsx")


def test_a_single_endless_line_is_refused_without_reading_it_whole():
    data = b"Nom;" + b"x" * (50 * 1024 * 1024)
    assert "Ligne de plus de" in refused_fast(data, "a.csv")


def test_csv_gz_utf8_and_windows_1252_lines_are_read():
    text = "Nom;Prénom\nMaïga;Fatoumata\n".encode() + "Traoré;Awa\n".encode("cp1252")
    rows = list(tabular_rows(io.BytesIO(gzip.compress(text)), "a.csv.gz", TabularLimits()))
    assert rows == [(1, ["Nom", "Prénom"]), (2, ["Maïga", "Fatoumata"]), (3, ["Traoré", "Awa"])]


def test_check_looks_at_the_name_size_and_first_bytes_only():
    with pytest.raises(TabularError, match="Seuls les fichiers"):
        tabular_check(io.BytesIO(b"x"), "a.pdf", TabularLimits())
    with pytest.raises(TabularError, match="dépasse 1 Mo"):
        tabular_check(
            io.BytesIO(b"x" * (2 * 1024 * 1024)), "a.csv", TabularLimits(max_bytes=1024 * 1024)
        )
    with pytest.raises(TabularError, match="n'est pas un fichier CSV"):
        tabular_check(io.BytesIO(b"\x00\x01binaire"), "a.csv", TabularLimits())
    tabular_check(io.BytesIO(gzip.compress(b"Nom\nDiarra\n")), "a.csv.gz", TabularLimits())
