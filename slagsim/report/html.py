"""The report as one self-contained HTML file: figures embedded, no script, no network."""

from __future__ import annotations

import base64
import html
import math
import re
from pathlib import Path

import pandas as pd

from slagsim.analysis.bottleneck import line_name, method_text, translated
from slagsim.analysis.kpis import label_of
from slagsim.figures.common import kpi_title
from slagsim.i18n import N_, _, language, number, percent
from slagsim.report.content import ReportContent
from slagsim.report.firms import headers as firm_headers
from slagsim.report.fold import CI, fold_intervals
from slagsim.report.labels import column_label
from slagsim.report.values import shown_value
from slagsim.results.reports import GENERATOR  # how slagsim knows a report is its own
from slagsim.scenario.plain_keys import plain_key

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:1100px;
color:#222;line-height:1.45;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0;max-width:100%}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.baseline td{background:#f7f7f7;font-weight:600}
figure{margin:1.2em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.85em;color:#555}.note{color:#555;font-size:.9em}
a.term{color:inherit;text-decoration:underline dotted}
pre{background:#f7f7f7;padding:.8em;white-space:pre-wrap;font-size:.8em}
.warning{background:#fff3cd;border:1px solid #e0b000;padding:.6em;font-weight:600}
#decision-summary{background:#eef5fb;border:1px solid #9cc3e6;padding:.2em 1em;margin:1em 0}
#decision-summary li{margin:.3em 0}
@page{size:A4 portrait;margin:12mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:9pt}h2.page{break-before:page;margin-top:0}
h2{break-after:avoid}table{font-size:6pt;width:100%}th,td{padding:.05em .25em;line-height:1.25}
tr,figure,h3{break-inside:avoid}h3{break-after:avoid}details{display:none}
figure img{max-width:100%;max-height:72mm;width:auto;border:none}figure{margin:.4em 0}}
"""




def render_html(content: ReportContent, baseline: str) -> str:
    """The whole report as an HTML document."""
    parts = [
        f"<h1>{_e(content.title)}</h1>",
        *(_warning(w) for w in content.warnings),
        *_decision_section(content),
        *_appraisal_section(content),
        *_attribution_section(content),
        *_sensitivity_section(content),
        *_calibration_section(content),
        _h2(_("Ranked results")), _comparison_note(content.paired),
        *(_ranked_section(kpi, table, baseline) for kpi, table in content.ranked.items()),
        _h2(_("Bottlenecks")), _bottleneck_section(content.bottlenecks),
        *_firm_section(content.firms, content.firms_option),
        _h2(_("Figures"), page=True), *(_figure(plot) for plot in content.plots),
        _h2(_("Assumptions to replace with measured figures"), page=True),
        _assumption_section(content.assumptions),
        _h2(_("What was run")), _table(content.run), _table(content.scenarios),
    ]
    body = linked_first_uses("\n".join(parts)) + "\n" + _glossary()
    return (f"<!DOCTYPE html>\n<html lang=\"{language()}\"><head><meta charset=\"utf-8\">{GENERATOR}"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(content.title)}</title><style>{STYLE}</style></head>\n"
            f"<body>\n{body}\n</body></html>\n")


GLOSSARY = (
    (N_("95 % CI"), N_("95 % confidence interval: the range that holds the true mean in 95 of 100 repeats "
                      "of the whole experiment; two options differ when the CI of their difference excludes "
                      "0.")),
    (N_("NPV"), N_("Net present value: every year's extra money over the horizon, discounted to today, less "
                   "the price; above zero, the purchase earns more than the discount rate.")),
    (N_("Payback"), N_("The years until the extra money adds up to the price (not discounted, resale not "
                       "counted); never, when it does not within the horizon.")),
    (N_("Bottleneck"), N_("What holds output back: a machine, slag supply, labour, curing space or market "
                          "demand, from where each production line spends most of its time.")),
    (N_("Baseline"), N_("Today's centre as its scenario file describes it: every option is compared with "
                        "it.")),
    (N_("Replication"), N_("One simulated run of the whole period, with its own chance events (deliveries, "
                           "breakdowns, buyers); figures are means over many runs, so chance evens out.")),
    (N_("Paired difference"), N_("An option's figure less the baseline's in the same run (the same "
                                 "deliveries, breakdowns and buyers: common random numbers), averaged over "
                                 "the runs; much surer than comparing two averages.")),
    (N_("Seed"), N_("The number that starts the chance events: the same seed gives the same events, which is "
                    "how every option meets the same futures.")),
    (N_("Warm-up"), N_("The days simulated before counting starts, so that stocks and queues are at their "
                       "usual level; no figure counts them.")),
)
GLOSSARY_ID = "glossary"


def _glossary() -> str:
    """The few words a planner may not know, in the report's language; each term has an anchor the
    first use of the word links to (:func:`linked_first_uses`)."""
    rows = "".join(f"<dt id=\"{GLOSSARY_ID}-{index}\"><b>{_e(_(word))}</b></dt><dd>{_e(_(meaning))}</dd>"
                   for index, (word, meaning) in enumerate(GLOSSARY))
    heading = _h2(_("Words used"))
    return f"<section id=\"{GLOSSARY_ID}\">{heading}<dl>{rows}</dl></section>"


def linked_first_uses(body: str) -> str:
    """``body`` with the first use of each glossary word linked to its meaning, so a planner who
    meets "SK 95%" or "benih acak" on the first screen can look it up at once. A word is found as
    the glossary writes it, without what it adds in brackets ("NPV (nilai kini bersih)": "NPV"), in
    any case, in the page's text only (never inside a tag or a link)."""
    for index, (word, _meaning) in enumerate(GLOSSARY):
        term = _(word).split(" (")[0].strip()
        pattern = re.compile(rf"(?<![\w-]){re.escape(html.escape(term))}", re.IGNORECASE)
        pieces = re.split(r"(<[^>]+>)", body)
        inside_link = False
        for position, piece in enumerate(pieces):
            if piece.startswith("<"):
                inside_link = piece.startswith("<a ") or (inside_link and not piece.startswith("</a"))
                continue
            found = None if inside_link else pattern.search(piece)
            if found:
                link = f"<a class=\"term\" href=\"#{GLOSSARY_ID}-{index}\">{found.group(0)}</a>"
                pieces[position] = piece[:found.start()] + link + piece[found.end():]
                break
        body = "".join(pieces)
    return body


def _warning(text: str) -> str:
    partial = _("Partial results")
    return f'<p class="warning" role="alert">{_e(partial)}: {_e(text)}</p>'


def _decision_section(content: ReportContent) -> list[str]:
    """The answer first: one plain sentence per option (what was run comes last)."""
    if not content.decision:
        return []
    items = "".join(f"<li>{_e(sentence)}</li>" for sentence in content.decision)
    note = _("Each option against today's centre: extra tons and gross margin a year with 95 % confidence "
             "intervals, what it costs and when it pays back, and what limits it then.")
    heading = _h2(_("The answer"))
    return [f'<section id="decision-summary">{heading}', _note(note),
            f"<ul>{items}</ul></section>"]


def _h2(text: str, page: bool = False) -> str:
    """A section heading; ``page``: the section starts a new printed page (a long one)."""
    return f"<h2 class=\"page\">{_e(text)}</h2>" if page else f"<h2>{_e(text)}</h2>"


def _note(text: str) -> str:
    """A section's explanation, in the quieter note style."""
    return f"<p class=\"note\">{_e(text)}</p>"


def _e(value: object) -> str:
    return html.escape(str(value))


def _cell(value: object) -> str:
    if isinstance(value, bool):
        yes = _("yes")
        return f"<td>{_e(yes) if value else ''}</td>"
    if isinstance(value, int):
        return f"<td class=\"num\">{_e(number(value, 0))}</td>"
    if isinstance(value, float):
        return f"<td class=\"num\">{_e(_number(value))}</td>"
    return f"<td>{_e(value)}</td>"


def _number(value: float) -> str:
    """A table number in the report's language: whole above 1,000, three figures below 1; "—" for
    nothing and "never" for an endless payback."""
    if math.isnan(value) or math.isinf(value):
        return number(value)
    if abs(value) >= 1000:
        return number(value, 0)
    if abs(value) < 1:
        return number(value, 3) if value else number(0.0, 0)
    return number(value, 1)


def _table(frame: pd.DataFrame, highlight: str | None = None) -> str:
    """A table that fits the page: values with their CI in one cell (the workbook keeps them apart)."""
    if frame.empty:
        none = _("none")
        return f"<p class=\"note\">({_e(none)})</p>"
    frame = fold_intervals(frame, _shown)
    head = "".join(f"<th>{_e(_header(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.to_dict("records"):
        css = " class=\"baseline\"" if highlight is not None and record.get("scenario") == highlight else ""
        cells = (f"<td class=\"num\">{_e(v)}</td>" if str(c).endswith(CI) else _cell(v)
                 for c, v in record.items())
        rows.append(f"<tr{css}>" + "".join(cells) + "</tr>")
    body = "".join(rows)
    return f"<div class=\"table\"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


def _header(column: object) -> str:
    """A column's header; a folded one says it holds the 95 % CI."""
    name = str(column)
    if name.endswith(CI):
        return _("{label}, 95% CI").format(label=column_label(name.removesuffix(CI)))
    return column_label(name)


def _shown(column: str, value: object) -> str:
    """One number of a folded cell: chances as percentages, the rest as the tables show numbers."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if column.startswith("p_"):
        return percent(float(value))
    return _number(float(value))


def _comparison_note(paired: bool) -> str:
    if paired:
        note = _("Every scenario used the same seed, so replication i of each saw the same deliveries, "
                 "breakdowns and demand (common random numbers). The difference is the mean paired "
                 "difference to the baseline with its 95 % CI; significant means that CI excludes zero.")
    else:
        note = _("The runs differ in seed or length, so differences are unpaired (Welch 95 % CI) and "
                 "wider than a paired comparison would give.")
    return _note(note)


def _ranked_section(kpi: str, table: pd.DataFrame, baseline: str) -> str:
    unit = table.unit.iloc[0] if not table.empty else ""
    if "bottleneck" in table:
        table = table.assign(bottleneck=table.bottleneck.map(translated))
    return f"<h3>{_e(kpi_title(kpi))} [{_e(_(unit))}]</h3>" + _table(table.drop(columns="unit"), baseline)


def _bottleneck_section(table: pd.DataFrame) -> str:
    method = "".join(f"<p>{_e(paragraph)}</p>" for paragraph in method_text())
    columns = [c for c in ("scenario", "bottleneck", "line", "share", "evidence", "each_line")
               if c in table.columns]
    shown = table[columns] if columns else table
    if columns:  # the CSV's keys and shares in words: "mesin press (mesin)", "lini ingot", "94%"
        words = {"bottleneck": translated, "line": line_name, "share": percent}
        shown = shown.assign(**{c: shown[c].map(f) for c, f in words.items() if c in shown})
    return (_table(shown) +
            f"<details><summary>{_e(_how_found())}</summary>{method}</details>")


def _firm_section(table: pd.DataFrame, option: str | None) -> list[str]:
    """Every firm by name: who makes, earns and pays what (and the change with the answer)."""
    if table.empty:
        return []
    note = _("Each firm's tons, its share of the margin (its tons at each product line's margin a ton: "
             "the cooperative sells from one stock) and its people's wages, a year, mean over replications.")
    return [_h2(_("The firms")), _note(note), _table(table.rename(columns=firm_headers(table, option)))]


def _how_found() -> str:
    return _("How the bottleneck is found")


def _figure(plot) -> str:
    png = next((f for f in plot.files if f.suffix == ".png"), None)
    if png is None:
        return ""
    data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
    title, caption = _(plot.title), _(plot.caption)
    return (f"<figure><img src=\"data:image/png;base64,{data}\" alt=\"{_e(title)}\">"
            f"<figcaption><b>{_e(title)}.</b> {_e(caption)}</figcaption></figure>")


def _appraisal_section(content: ReportContent) -> list[str]:
    appraisal = content.appraisal
    if appraisal is None:
        return []
    summary = appraisal.summary
    note = _("Horizon {years} years, discount rate {rate}. NPV and payback are computed per replication "
             "from the paired extra gross margin, each year along the replication's aluminium price path; "
             "NPV local leaves out grant-paid (DAK) prices.").format(
        years=summary.get("horizon_years"), rate=percent(float(summary.get("discount_rate", 0))))
    parts = [_h2(_("Purchase appraisal"), page=True), f"<p><b>{_e(summary.get('statement', ''))}</b></p>",
             _note(note)]
    titles = {"candidates": _("Candidates"),
              "uncertainty": _("How sure, with every estimate drawn from its range too: NPV and the chance "
                               "of paying back with the estimates fixed and drawn, and how often each is "
                               "the best buy"),
              "bundles": _("Bundles ({search})").format(search=summary.get("search", "")),
              "fairness": _("Who gains: each firm's change in output with each machine bought (waits: in the "
                            "workbook)"),
              "tornado": _("Tornado: inputs that move the NPV of {candidate}").format(
                  candidate=summary.get("tornado_candidate", ""))}
    for name, table in appraisal.tables.items():
        if not table.empty:
            shown = {"tornado": lambda t: with_plain_words(t, "input"), "fairness": who_gains}.get(
                name, lambda t: t)(table)
            parts += [f"<h3>{_e(titles[name])}</h3>", _table(shown)]
    parts += [_embedded(png) for png in appraisal.figures]
    return parts


def who_gains(fairness: pd.DataFrame) -> pd.DataFrame:
    """Firms down, candidates across: each firm's change in output (t/yr) with each machine bought
    (the waits and CIs are in the workbook); one row per firm however many candidates."""
    table = fairness.pivot(index="firm", columns="candidate", values="d_output_t_per_year")
    said = _("{candidate}: change in output [t/yr]")
    return table.rename(columns=lambda c: said.format(candidate=c)).reset_index()


def with_plain_words(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """``table`` with an "estimate" column first: what ``column``'s keys mean in a planner's words."""
    if column not in table:
        return table
    return table.assign(estimate=table[column].map(plain_key))[["estimate", *table.columns]]


FIGURE_NAMES = {  # figures an appraisal, a sensitivity run or a calibration wrote: their names in words
    "frontier": N_("Cost against tons and NPV"), "payback": N_("When does it pay back?"),
    "cash": N_("Money over the years"), "tornado": N_("Which estimates move the NPV most"),
    "uncertainty": N_("How sure is the NPV?"), "attribution": N_("Shares of the jump"),
}


def _embedded(png: Path, caption: str = "") -> str:
    """A PNG figure inside the page, with its name in words (its file's name if it has none) and a
    caption."""
    data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
    name = _(FIGURE_NAMES[png.stem]) if png.stem in FIGURE_NAMES else png.stem
    return (f"<figure><img src=\"data:image/png;base64,{data}\" alt=\"{_e(name)}\">"
            f"<figcaption><b>{_e(name)}</b> {_e(caption)}</figcaption></figure>")


def _attribution_section(content: ReportContent) -> list[str]:
    """Which intervention explains the jump (a batch with ``interventions:``)."""
    table = content.attribution
    if table is None or table.empty:
        return []
    note = _("Each intervention's Shapley share of the jump from the scenario with none to the baseline "
             "with all: its effect averaged over every order in which they could have come, per "
             "replication over common random numbers, with a 95 % CI. The shares add up to the whole jump.")
    parts = [_h2(_("Who gets the credit for the jump"), page=True), _note(note), _table(table)]
    if content.attribution_figure is not None:
        caption = _("Shares of the jump. Bars: mean share; whiskers: 95 % CI; label: percent of the jump.")
        parts.append(_embedded(content.attribution_figure, caption))
    return parts


def _sensitivity_section(content: ReportContent) -> list[str]:
    """Which estimates move the answer most (``slagsim sensitivity``): measure those first."""
    table = content.sensitivity
    if table is None or table.empty:
        return []
    note = _("Every value marked # estimate varied over its plausible range (estimates.yaml). Morris: mu* "
             "is the mean absolute change of the KPI over an estimate's range, with a 95 % CI; sigma shows "
             "interaction. Sobol: the share of the KPI's variance an estimate explains alone (first order) "
             "and with others (total).")
    parts = [_h2(_("Which estimates to measure first"), page=True), _note(note)]
    for (method, kpi), rows in table.groupby(["method", "kpi"], sort=False):
        shown = rows.sort_values("rank").head(10)
        wanted = ("rank", "group", "mu_star", "mu_star_ci95_low", "mu_star_ci95_high", "sigma",
                  "first_order", "total", "range", "why")
        columns = [c for c in wanted if c in shown and shown[c].notna().any()]
        parts += [f"<h3>{_e(method)}: {_e(_(label_of(kpi)))}</h3>",
                  _table(with_plain_words(shown[columns], "group"))]
    parts += [_embedded(png) for png in content.sensitivity_figures]
    return parts


def _calibration_section(content: ReportContent) -> list[str]:
    """What the cooperative's books say about the estimates (``slagsim calibrate``): first the
    columns the model cannot make whatever the estimates, then each estimate's verdict."""
    table = content.calibration
    if table is None or table.empty:
        return []
    from slagsim.calibration.posterior import VERDICT_WORDS  # only with a calibration: it reads the engine's

    note = _("Each estimate drawn from its range many times and simulated over the months of the books; "
             "the draws closest to the books are kept (approximate Bayesian computation). An estimate is "
             "pinned down when its draws move a column the books fill and its 90 % interval is at most "
             "half its range; an estimate whose draws move no such column is not informed by these "
             "books, however narrow its interval. The calibrated scenario sets only what is pinned down.")
    parts = [_h2(_("What the books say"), page=True)]
    if content.calibration_misfits:
        heading = _("The books lie outside what the model makes; these columns did not steer the fit")
        items = "".join(f"<li>{_e(line)}</li>" for line in content.calibration_misfits)
        parts.append(f'<div class="warning" role="alert">{_e(heading)}:<ul>{items}</ul></div>')
    shown = table.copy()
    if "verdict" in shown:
        shown["verdict"] = shown.verdict.map(lambda code: _(VERDICT_WORDS.get(code, str(code))))
    columns = ["estimate", "key", "range", "in_the_file", "posterior_median", "posterior_5", "posterior_95",
               "informed_share", "verdict"]
    if "verdict" not in shown:
        columns.append("pinned_down")
    parts += [_note(note), _table(shown[[c for c in columns if c in shown]])]
    return parts + [_embedded(png) for png in content.calibration_figures]


def _assumption_section(table: pd.DataFrame) -> str:
    intro = _("Every number below is marked # estimate in the scenario files: it was not found in a source. "
              "Replace it with a measured figure where you can. The workbook's assumptions sheet adds each "
              "one's file, line, note and why its range is what it is.")
    shown = with_plain_words(table, "key")
    if "value" in shown:  # as the file writes it in the workbook; in the report's words and numbers here
        shown = shown.assign(value=shown.value.map(shown_value))
    columns = [c for c in ("estimate", "key", "value", "plausible range") if c in shown]
    return _note(intro) + _table(shown[columns])
