"""The timing sheet to fill in with a stopwatch: one row per timed cycle, minutes as read.

Like the books' template (:mod:`slagsim.calibration.template`) it is bilingual, headers in
Indonesian and English, with a sheet saying what goes where. Minutes, because that is what a
stopwatch shows; ``slagsim fit --minutes`` turns them into the hours a scenario's times are in.
"""

from __future__ import annotations

from pathlib import Path

from slagsim.results.files import atomic_write, atomic_write_text

MINUTES = "minutes"
COLUMNS = (  # key, header, width, number format, (English, Indonesian) what to write
    ("date", "Tanggal / Date", 14, "yyyy-mm-dd",
     ("The day of the timing (2025-03-14).", "Hari pengukuran (2025-03-14).")),
    ("machine", "Mesin atau langkah / Machine or step", 24, "@",
     ("What was timed: press, mill, furnace, sieve, a repair...",
      "Apa yang diukur: press, mesin giling, tungku, ayakan, perbaikan...")),
    (MINUTES, "Menit / Minutes", 12, "0.0",
     ("One whole cycle, start to start, in minutes as the stopwatch shows them: 15.5 is 15 minutes 30 "
      "seconds. A plain number, no text; leave the cell empty if the timing failed.",
      "Satu siklus penuh, dari mulai ke mulai berikutnya, dalam menit seperti di stopwatch: 15.5 = 15 "
      "menit 30 detik. Angka saja, tanpa teks; kosongkan sel bila pengukuran gagal.")),
    ("note", "Catatan / Note", 40, "@",
     ("Anything unusual: a new crew, a breakdown, rain.",
      "Hal yang tidak biasa: regu baru, mesin rusak, hujan.")),
)
ADVICE = (
    ("Time at least 30 cycles, better 50-100, on several days and with several crews: a week's "
     "ordinary work, not the best hour. One sheet per machine or step.",
     "Ukur paling sedikit 30 siklus, lebih baik 50-100, pada beberapa hari dan dengan beberapa regu: "
     "kerja biasa seminggu, bukan jam terbaik. Satu lembar per mesin atau langkah."),
    ("Then: slagsim fit FILE.xlsx --column minutes --minutes --key machines.press.cycle_h "
     "--scenario scenarios/baseline.yaml",
     "Lalu: slagsim fit FILE.xlsx --column menit --minutes --key machines.press.cycle_h "
     "--scenario scenarios/baseline.yaml"),
)
ROWS = 500  # rows formatted for values


def write_timings_template(path: Path) -> Path:
    """An empty timing sheet: ``.xlsx`` (the sheet, then what each column means) or ``.csv`` (the
    header alone)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return atomic_write_text(path, ",".join(header for _key, header, *_rest in COLUMNS) + "\n")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "timings - waktu"
    sheet.append([header for _key, header, *_rest in COLUMNS])
    for column, (_key, _header, width, number_format, _words) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = width
        for row in range(2, 2 + ROWS):
            sheet.cell(row=row, column=column).number_format = number_format
    sheet.freeze_panes = "A2"
    about = book.create_sheet("about - keterangan")
    about.append(["column / kolom", "what to write", "yang ditulis"])
    for key, header, _width, _format, (english, indonesian) in COLUMNS:
        about.append([f"{header} ({key})", english, indonesian])
    about.append([])
    for english, indonesian in ADVICE:
        about.append(["", english, indonesian])
    for letter, width in zip("ABC", (34, 70, 70), strict=True):
        about.column_dimensions[letter].width = width
    return atomic_write(path, lambda temporary: book.save(temporary))
