"""The report as one self-contained HTML file: figures embedded, no script, no network."""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path

import pandas as pd

from sim.bottleneck import __doc__ as BOTTLENECK_METHOD
from sim.figures.common import kpi_title
from sim.kpis import label_of
from sim.report.content import ReportContent

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:1100px;
color:#222;line-height:1.45;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.baseline td{background:#f7f7f7;font-weight:600}
figure{margin:1.2em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.85em;color:#555}.note{color:#555;font-size:.9em}
pre{background:#f7f7f7;padding:.8em;white-space:pre-wrap;font-size:.8em}
.warning{background:#fff3cd;border:1px solid #e0b000;padding:.6em;font-weight:600}
#decision-summary{background:#eef5fb;border:1px solid #9cc3e6;padding:.2em 1em;margin:1em 0}
#decision-summary li{margin:.3em 0}
"""


GENERATOR = '<meta name="generator" content="slagsim">'  # how slagsim knows a report is its own


def render_html(content: ReportContent, baseline: str) -> str:
    """The whole report as an HTML document."""
    parts = [
        f"<h1>{_e(content.title)}</h1>",
        *(f'<p class="warning" role="alert">Partial results: {_e(w)}</p>' for w in content.warnings),
        *_decision_section(content),
        *_attribution_section(content),
        *_sensitivity_section(content),
        "<h2>Ranked results</h2>", _comparison_note(content.paired),
        *(_ranked_section(kpi, table, baseline) for kpi, table in content.ranked.items()),
        "<h2>Bottlenecks</h2>", _bottleneck_section(content.bottlenecks),
        "<h2>Figures</h2>", *(_figure(plot) for plot in content.plots),
        *_appraisal_section(content),
        "<h2>Assumptions to replace with measured figures</h2>", _assumption_section(content.assumptions),
        "<h2>What was run</h2>", _table(content.run), _table(content.scenarios),
    ]
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">{GENERATOR}"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(content.title)}</title><style>{STYLE}</style></head>\n"
            f"<body>\n{body}\n</body></html>\n")


def _decision_section(content: ReportContent) -> list[str]:
    """The answer first: one plain sentence per option (what was run comes last)."""
    if not content.decision:
        return []
    items = "".join(f"<li>{_e(sentence)}</li>" for sentence in content.decision)
    return ['<section id="decision-summary"><h2>The answer</h2>',
            '<p class="note">Each option against today\'s centre: extra tons and gross margin a year with '
            "95 % confidence intervals, what it costs and when it pays back, and what limits it then.</p>",
            f"<ul>{items}</ul></section>"]


def _e(value: object) -> str:
    return html.escape(str(value))


def _cell(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "<td class=\"num\"></td>"
        return f"<td class=\"num\">{_number(value)}</td>"
    if isinstance(value, bool):
        return f"<td>{'yes' if value else ''}</td>"
    return f"<td>{_e(value)}</td>"


def _number(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 1 else f"{value:,.1f}"


def _table(frame: pd.DataFrame, highlight: str | None = None) -> str:
    if frame.empty:
        return "<p class=\"note\">(none)</p>"
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for record in frame.to_dict("records"):
        css = " class=\"baseline\"" if highlight is not None and record.get("scenario") == highlight else ""
        rows.append(f"<tr{css}>" + "".join(_cell(v) for v in record.values()) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _comparison_note(paired: bool) -> str:
    if paired:
        return ("<p class=\"note\">Every scenario used the same seed, so replication <i>i</i> of each "
                "saw the same deliveries, breakdowns and demand (common random numbers). <b>diff</b> is "
                "the mean paired difference to the baseline with its Student-t 95% CI; "
                "<b>significant</b> means that CI excludes zero.</p>")
    return ("<p class=\"note\">The runs differ in seed or length, so differences are unpaired (Welch "
            "95% CI) and wider than a paired comparison would give.</p>")


def _ranked_section(kpi: str, table: pd.DataFrame, baseline: str) -> str:
    unit = table.unit.iloc[0] if not table.empty else ""
    return f"<h3>{_e(kpi_title(kpi))} [{_e(unit)}]</h3>" + _table(table.drop(columns="unit"), baseline)


def _bottleneck_section(table: pd.DataFrame) -> str:
    method = html.escape(BOTTLENECK_METHOD or "").strip()
    columns = [c for c in ("scenario", "bottleneck", "line", "share", "evidence") if c in table.columns]
    return (_table(table[columns] if columns else table) +
            f"<details><summary>How the bottleneck is found</summary><pre>{method}</pre></details>")


def _figure(plot) -> str:
    png = next((f for f in plot.files if f.suffix == ".png"), None)
    if png is None:
        return ""
    data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
    return (f"<figure><img src=\"data:image/png;base64,{data}\" alt=\"{_e(plot.title)}\">"
            f"<figcaption><b>{_e(plot.title)}.</b> {_e(plot.caption)}</figcaption></figure>")


def _appraisal_section(content: ReportContent) -> list[str]:
    appraisal = content.appraisal
    if appraisal is None:
        return []
    summary = appraisal.summary
    parts = ["<h2>Purchase appraisal</h2>",
             f"<p><b>{_e(summary.get('statement', ''))}</b></p>",
             f"<p class=\"note\">Horizon {_e(summary.get('horizon_years'))} years, discount rate "
             f"{float(summary.get('discount_rate', 0)):.0%}. NPV and payback are computed per replication "
             "from the paired extra gross margin; <i>NPV local</i> leaves out grant-paid (DAK) prices.</p>"]
    titles = {"candidates": "Candidates",
              "uncertainty": "How sure, with every estimate drawn from its range too: NPV and the chance "
                             "of paying back with the estimates fixed and drawn, and how often each is "
                             "the best buy",
              "bundles": f"Bundles ({summary.get('search', '')})",
              "fairness": "Who gains: per-firm change in output and waiting at the bought machine",
              "tornado": f"Tornado: inputs that move the NPV of {summary.get('tornado_candidate', '')}"}
    for name, table in appraisal.tables.items():
        if not table.empty:
            parts += [f"<h3>{_e(titles[name])}</h3>", _table(table)]
    parts += [_embedded(png) for png in appraisal.figures]
    return parts


def _embedded(png: Path, caption: str = "") -> str:
    """A PNG figure inside the page, with its name (and a caption)."""
    data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
    return (f"<figure><img src=\"data:image/png;base64,{data}\" alt=\"{_e(png.stem)}\">"
            f"<figcaption><b>{_e(png.stem)}</b> {_e(caption)}</figcaption></figure>")


def _attribution_section(content: ReportContent) -> list[str]:
    """Which intervention explains the jump (a batch with ``interventions:``)."""
    table = content.attribution
    if table is None or table.empty:
        return []
    parts = ["<h2>Who gets the credit for the jump</h2>",
             "<p class=\"note\">Each intervention's Shapley share of the jump from the scenario with "
             "none to the baseline with all: its effect averaged over every order in which they could "
             "have come, per replication over common random numbers, with a 95 % CI. The shares add "
             "up to the whole jump.</p>", _table(table)]
    if content.attribution_figure is not None:
        parts.append(_embedded(content.attribution_figure, "Shares of the jump. Bars: mean share; "
                               "whiskers: 95 % CI; label: percent of the jump."))
    return parts


def _sensitivity_section(content: ReportContent) -> list[str]:
    """Which estimates move the answer most (``slagsim sensitivity``): measure those first."""
    table = content.sensitivity
    if table is None or table.empty:
        return []
    parts = ["<h2>Which estimates to measure first</h2>",
             "<p class=\"note\">Every value marked <code># estimate</code> varied over its plausible "
             "range (<code>estimates.yaml</code>). Morris: <i>mu*</i> is the mean absolute change of the "
             "KPI over an estimate's range, with a 95 % CI; <i>sigma</i> shows interaction. Sobol: the "
             "share of the KPI's variance an estimate explains alone (first order) and with others "
             "(total).</p>"]
    for (method, kpi), rows in table.groupby(["method", "kpi"], sort=False):
        shown = rows.sort_values("rank").head(10)
        wanted = ("rank", "group", "mu_star", "mu_star_ci95_low", "mu_star_ci95_high", "sigma",
                  "first_order", "total", "range", "why")
        columns = [c for c in wanted if c in shown and shown[c].notna().any()]
        parts += [f"<h3>{_e(method)}: {_e(label_of(kpi))}</h3>", _table(shown[columns])]
    parts += [_embedded(png) for png in content.sensitivity_figures]
    return parts


def _assumption_section(table: pd.DataFrame) -> str:
    intro = ("<p class=\"note\">Every number below is marked <code># estimate</code> in the scenario files: "
             "it was not found in a source. Replace it with a measured figure where you can.</p>")
    return intro + _table(table)
