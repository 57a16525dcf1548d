"""Bahasa Indonesia: every marked string has a translation that keeps its placeholders; a report in
Indonesian says so in its html tag, its headings, labels and numbers; the language comes from
--lang, else SLAGSIM_LANG, else the locale; a wrong language is one line."""

from __future__ import annotations

import re
import string

import pandas as pd
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from slagsim import i18n
from slagsim.report.inputs import overrides_from
from tests.common import BASELINE, ROOT, invoke

CATALOGUE = ROOT / "slagsim" / "locale" / "id" / "LC_MESSAGES" / "slagsim.po"


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.use("en")


def marked_strings() -> set[str]:
    """Every string marked _() or N_() in the package (what the user may see)."""
    found = extract_from_dir(str(ROOT / "slagsim"), method_map=[("**.py", "python")],
                             keywords={"_": None, "N_": None})
    return {message for _file, _line, message, _comments, _context in found}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_user_facing_string_has_an_indonesian_translation_with_the_same_placeholders():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="id")
    translated = {m.id: m.string for m in catalogue if m.id}
    marked = marked_strings()
    assert len(marked) > 150
    missing = sorted(m for m in marked if not translated.get(m))
    assert missing == [], f"add these to {CATALOGUE}: {missing[:5]}"
    for message in marked:
        assert fields(translated[message]) == fields(message), message
    assert not [m.id for m in catalogue if m.id and m.fuzzy]


def test_numbers_and_money_follow_the_language():
    def shown() -> tuple[str, str, str]:
        return i18n.number(532.34), i18n.percent(0.84), i18n.rupiah(1.69e9)

    i18n.use("en")
    assert shown() == ("532.3", "84 %", "Rp 1.69 billion")
    i18n.use("id")
    assert shown() == ("532,3", "84%", "Rp 1,69 miliar")
    assert i18n.rupiah(-742.3e6) == "−Rp 742,3 juta" and i18n.number(1234567.0, 0) == "1.234.567"
    assert i18n.number(float("inf")) == "tidak pernah" and i18n.number(float("nan")) == "—"


def test_the_language_comes_from_the_option_then_the_environment_then_the_locale(monkeypatch):
    monkeypatch.delenv("SLAGSIM_LANG", raising=False)
    monkeypatch.setenv("LC_ALL", "id_ID.UTF-8")
    assert i18n.default_language() == "id"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert i18n.default_language() == "en"
    monkeypatch.setenv("SLAGSIM_LANG", "id")
    assert i18n.default_language() == "id"


@pytest.mark.slow
def test_a_report_in_indonesian(serial_small, tmp_path):
    out = tmp_path / "laporan.html"
    result = invoke(["report", str(serial_small), "--lang", "id", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="id">' in html
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    assert headings[0] == "Jawabannya"
    assert "Yang dijalankan" in headings and "Istilah yang dipakai" in headings
    assert "Ranked results" not in html and "What was run" not in html
    summary = html[html.index('id="decision-summary"'):html.index("</section>")]
    assert re.search(r"[+−-]\d+,\d t/tahun produksi \(SK 95%", summary), summary[:400]
    assert "<th>Skenario</th>" in html and "<th>Rata-rata, SK 95%</th>" in html  # value and CI, one cell
    sheets = pd.ExcelFile(out.with_suffix(".xlsx")).sheet_names  # the workbook speaks it too
    assert sheets[:2] == ["Ringkasan", "Peringkat produksi"] and "Perbandingan" in sheets
    assert not {"comparison", "inputs", "Comparison", "Inputs"} & set(sheets)
    assert overrides_from(out.with_suffix(".xlsx")) == []  # its inputs sheet (Masukan) reads back
    english = tmp_path / "report.html"
    assert invoke(["report", str(serial_small), "--out", str(english)]).exit_code == 0
    assert '<html lang="en">' in english.read_text(encoding="utf-8")


def test_an_unknown_language_is_one_line(serial_small, monkeypatch):
    monkeypatch.setenv("SLAGSIM_LANG", "fr")
    result = invoke(["report", str(serial_small)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "SLAGSIM_LANG" in lines[0], lines


def test_errors_say_what_to_type_in_indonesian(monkeypatch, tmp_path):
    monkeypatch.setenv("SLAGSIM_LANG", "id")
    result = invoke(["validate", str(BASELINE), "--set", "firms.template.attendance=0,9"])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: ")
    assert "bukan angka: tulis 0.9: pakai titik desimal, bukan koma" in lines[0]
    tabbed = tmp_path / "tab.yaml"
    tabbed.write_text("name: x\nmachines:\n\tpress: 1\n", encoding="utf-8")
    result = invoke(["validate", str(tabbed)])
    assert result.exit_code == 2 and "tab dipakai untuk indentasi" in result.output
    result = invoke(["validate", str(BASELINE), "--set", "curing_yard.palets=80"])
    assert "kunci 'palets' tidak dikenal; maksud Anda 'pallets'?" in result.output


@pytest.mark.slow
@pytest.mark.parametrize(("rows", "expected"), [
    ("month,slag_received_t\n2024-01,5\n2024-01,6\n",
     "baris 3, kolom month: 2024-01 muncul dua kali (juga di baris 2)"),
    ("month,slag_received_t\n2024-01,-5\n", "baris 2, kolom slag_received_t: -5 tidak boleh negatif"),
    ("month,slag_recieved_t\n2024-01,5\n", "baris 1, kolom 2: kolom 'slag_recieved_t' tidak dikenal; "
                                           "maksud Anda 'slag_received_t'?"),
    ("month,slag_received_t\n2024-01,\"1.000.000\"\n", "bukan angka: tulis 1000000"),
])
def test_the_books_checker_speaks_indonesian(monkeypatch, tmp_path, rows, expected):
    """A cooperative's bookkeeper reads what is wrong with the books in Indonesian, row and column
    named, one line, exit 2, nothing written."""
    monkeypatch.setenv("SLAGSIM_LANG", "id")
    books = tmp_path / "buku.csv"
    books.write_text(rows, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(["calibrate", str(books), "--scenario", str(BASELINE),
                                      "--out", str(out)])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert expected in lines[0] and not out.exists()


def test_terminal_tables_speak_indonesian(serial_small, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    result = invoke(["compare", str(serial_small), "--lang", "id"])
    assert result.exit_code == 0, result.output
    assert "Skenario" in result.output and "Hambatan" in result.output
    assert "skenario dibanding baseline" in result.output and "selisih berpasangan" in result.output
    assert re.search(r"\d+,\d", result.output)  # a decimal comma
    assert "Scenario" not in result.output and "Bottleneck" not in result.output


def test_figure_labels_speak_indonesian(serial_small):
    from slagsim.batch.compare import compare_results
    from slagsim.figures.catalogue import make_figures
    from slagsim.results.read import load_results

    i18n.use("id")
    results = load_results([serial_small])
    plots = {p.stem: p for p in make_figures(results, compare_results(results).table,
                                             only=("throughput", "plant-flow", "machine-states", "sweep"))}
    texts = {stem: " ".join(" ".join(text.get_text() for axis in plot.figure.axes
                                     for text in (axis.title, axis.xaxis.label, axis.yaxis.label,
                                                  *axis.texts)).split())
             for stem, plot in plots.items()}  # a long axis label is wrapped: words, not lines
    assert "rata-rata dengan SK 95%" in texts["throughput"]
    assert "Ke mana ton mengalir" in texts["plant-flow"] and "slag diterima" in texts["plant-flow"]
    assert "Bagian jam kerja" in texts["machine-states"]
    assert "Perubahan margin kotor dibanding kondisi awal" in texts["sweep"]


def test_scenario_keys_read_as_planner_words():
    from slagsim.scenario.plain_keys import plain_key

    assert plain_key("machines.press.price_rp") == "press: price"
    assert plain_key("process.residue.stock_cap_t_per_firm") == "residue a firm can keep"
    assert plain_key("firms.template.attendance") == "share of a firm's workers present on a day"
    assert plain_key("machines.*.failures.repair_h") == "failures: hours to repair"
    assert plain_key("supply.something_new_t") == "supply: something new (t)"  # unknown: spelt out
    i18n.use("id")
    assert plain_key("machines.press.price_rp") == "press: harga"


# ----------------------------------------------------------------------------- no English left


def test_the_english_counter_finds_english_and_spares_names_keys_and_hidden_text():
    """The counter of the two tests below: English is what the catalogue's English says and its
    Indonesian does not; tags, styles, images, keys, files and the names a user gave are left out."""
    from tests.english import english_words, visible_text

    page = ("<html><head><title>the mean</title><style>p{}</style></head><body>"
            "<p>the ingot line spends <b>94%</b> of its time</p><img alt='the furnace'>"
            "<p>machines.press.count rotary-furnace supply-contract: Rp 2 juta</p></body></html>")
    assert english_words(visible_text(page), {"supply-contract"}) == {"the": 1, "spends": 1, "its": 1}
    assert english_words("Hambatan utama: pasokan slag (91%)") == {}


@pytest.mark.slow
def test_an_indonesian_batch_report_holds_at_most_five_english_words(serial_small, tmp_path):
    """Issue 25, item 8: an Indonesian planner reads the whole batch report in Indonesian: the
    answer, the tables, the bottlenecks and how they are found, the assumptions, what was run and
    the glossary (at most five English words, names a user gave aside)."""
    from tests.english import english_words, user_names, visible_text

    out = tmp_path / "laporan.html"
    assert invoke(["report", serial_small, "--lang", "id", "--out", out]).exit_code == 0
    found = english_words(visible_text(out.read_text(encoding="utf-8")), user_names(serial_small))
    assert sum(found.values()) <= 5, found.most_common(20)


@pytest.mark.slow
def test_an_indonesian_appraisal_report_holds_at_most_five_english_words(tmp_path):
    """The same for the appraisal a planner runs in Indonesian: the payers' answers, candidates,
    bundles, who gains, the tornado and the batch report below them; glossary words link from their
    first use."""
    from tests.english import english_words, user_names, visible_text

    out = tmp_path / "menu"
    result = invoke(["appraise", ROOT / "tests" / "data" / "menus" / "small.yaml", "--budget",
                     "dak=360000000,cooperative=0", "--reps", "3", "--max-reps", "3", "--jobs", "2",
                     "--out", out, "--lang", "id"])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    found = english_words(visible_text(page), user_names(out))
    assert sum(found.values()) <= 5, found.most_common(20)
    assert re.search(r'<a class="term" href="#glossary-\d+">NPV</a>', page)  # the first NPV links
    assert "Dengan Rp 360,0 juta dana DAK" in page and "Paket" in page
