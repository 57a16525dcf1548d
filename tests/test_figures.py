"""Every comparison figure, drawn from small batches: the data behind it, and valid PNG/SVG files."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from slagsim.batch.compare import compare_results
from slagsim.figures.catalogue import make_figures, save_plots
from slagsim.figures.machines import STATES
from slagsim.results.read import load_results
from tests.common import BASELINE, BATCH_DATA, invoke

SMALL_SCENARIOS = {"baseline", "add-press", "calendar.shifts_per_day=1", "calendar.shifts_per_day=2"}


@pytest.fixture(scope="module")
def small_plots(serial_small, tmp_path_factory):
    results = load_results([serial_small])
    plots = make_figures(results, compare_results(results).table)
    return {plot.stem: plot for plot in save_plots(plots, tmp_path_factory.mktemp("figures"))}


@pytest.mark.slow
def test_every_figure_is_a_valid_png_and_svg(small_plots):
    assert set(small_plots) == {"throughput", "gain", "spread", "cumulative", "machine-states", "firm-waits",
                                "store-and-yard", "sweep", "margin-waterfall", "plant-flow"}  # no "yearly"
    for plot in small_plots.values():
        png, svg = sorted(plot.files, key=lambda p: p.suffix)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert ElementTree.parse(svg).getroot().tag.endswith("svg")


def test_scenario_figures_hold_every_scenario(small_plots):
    assert set(small_plots["throughput"].data.scenario) == SMALL_SCENARIOS
    assert set(small_plots["gain"].data.scenario) == SMALL_SCENARIOS - {"baseline"}
    spread = small_plots["spread"].data
    assert set(spread.scenario) == SMALL_SCENARIOS and len(spread) == 4 * 3
    assert set(small_plots["cumulative"].data.scenario) == SMALL_SCENARIOS
    levels = small_plots["store-and-yard"].data
    assert set(levels.measure) == {"b3_store_t", "curing_yard_pallets"}
    assert set(levels.scenario) == SMALL_SCENARIOS


def test_cumulative_output_band_surrounds_its_median(small_plots):
    data = small_plots["cumulative"].data
    assert ((data.low <= data["median"]) & (data["median"] <= data.high)).all()
    for _, rows in data.groupby("scenario"):
        assert rows["median"].is_monotonic_increasing


def test_machine_states_add_up_to_all_calendar_time(small_plots):
    data = small_plots["machine-states"].data
    assert set(data.scenario) == SMALL_SCENARIOS
    assert data[list(STATES)].sum(axis=1).round(9).eq(1).all()
    press = data[(data.machine == "press") & (data.scenario == "baseline")].iloc[0]
    assert press.offshift > 0.5  # one 7-hour shift, six days a week


def test_firm_waits_name_every_firm_on_one_colour_scale_with_the_baseline_first(small_plots):
    """One panel per machine, firms by name down and scenarios across; one colour scale for all
    (a short wait never looks like a long one), with its bar."""
    plot = small_plots["firm-waits"]
    data = plot.data
    assert set(data.scenario) <= SMALL_SCENARIOS
    assert data.firm.nunique() == 25 and "press" in set(data.machine) and "IKM 01" in set(data.firm)
    assert (data.wait_h >= 0).all()
    *panels, _bar = plot.figure.axes
    assert len(panels) == data.machine.nunique()
    limits = {panel.images[0].get_clim() for panel in panels}
    assert limits == {(0, data.wait_h.max())}
    assert panels[0].get_xticklabels()[0].get_text() == "baseline"
    assert [t.get_text() for t in panels[0].get_yticklabels()][:2] == ["IKM 01", "IKM 02"]


def test_one_parameter_sweep_is_a_line(small_plots):
    data = small_plots["sweep"].data
    tons = data[data.kpi == "product_output_t_per_year"]
    assert sorted(tons["calendar.shifts_per_day"]) == [1, 2]
    assert set(data.kpi) == {"product_output_t_per_year", "gross_margin_rp_per_year"}  # money beside tons
    figure = small_plots["sweep"].figure
    assert [len(axis.lines) for axis in figure.axes] == [1, 1]
    assert "Rp" in figure.axes[1].get_ylabel()


@pytest.mark.slow
def test_two_parameter_sweep_is_a_heatmap(tmp_path):
    out = tmp_path / "sweep2"
    args = ["batch", str(BATCH_DATA / "sweep2.yaml"), "--jobs", "1", "--out", str(out), "--quiet"]
    assert invoke(args).exit_code == 0
    results = load_results([out])
    (plot,) = make_figures(results, compare_results(results).table, only=("sweep",))
    assert len(plot.data) == 8  # 4 points x (tons, margin)
    assert {(r["machines.press.count"], r["curing_yard.pallets"]) for _, r in plot.data.iterrows()} == {
        (1, 40), (1, 80), (2, 40), (2, 80)}
    panels = [axis for axis in plot.figure.axes if axis.images]
    assert len(panels) == 2  # one heatmap for tons, one for the margin (+ their colour bars)
    texts = [text.get_text() for text in panels[1].texts]
    assert len(texts) == 4 and all("±" in text for text in texts)


@pytest.mark.slow
def test_multi_year_runs_get_an_output_per_year_figure(tmp_path):
    out = tmp_path / "two-years"
    args = ["run", str(BASELINE), "--reps", "2", "--years", "2", "--warmup-days", "5", "--out", str(out),
            "--quiet"]
    assert invoke(args).exit_code == 0
    results = load_results([out])
    (plot,) = make_figures(results, compare_results(results).table, only=("yearly",))
    assert list(plot.data.year) == [1, 2]


def test_the_margin_waterfall_adds_up_from_todays_margin_to_the_options(small_plots, serial_small):
    """Turnover change less every cost line's change is the change in gross margin."""
    table = compare_results(load_results([serial_small])).table
    data = small_plots["margin-waterfall"].data
    for option, steps in data.groupby("option"):
        changes = steps.change_rp_per_year.to_numpy()
        assert changes[0] + changes[1:-1].sum() == pytest.approx(changes[-1], rel=1e-9, abs=1.0)
        margin = table[(table.scenario == option) & (table.kpi == "gross_margin_rp_per_year")]
        assert changes[-1] == pytest.approx(float(margin["mean"].iloc[0]))
    panels = small_plots["margin-waterfall"].figure.axes
    assert len({panel.get_ylim() for panel in panels}) == 1  # one scale: panels compare
    for panel, (_option, steps) in zip(panels, data.groupby("option", sort=False), strict=True):
        assert len(panel.texts) == len(steps)  # every step carries its value


def test_the_sweep_figure_uses_the_batchs_own_labels():
    from slagsim.figures.sweep import sweep_labels_of

    meta = {"scenarios": [{"name": "baseline", "role": "baseline"},
                          {"name": "presses=2,shifts=1", "role": "sweep"}]}
    assert sweep_labels_of(meta, ["machines.press.count", "calendar.shifts_per_day"]) == {
        "machines.press.count": "presses", "calendar.shifts_per_day": "shifts"}
    assert sweep_labels_of(meta, ["machines.press.count"]) == {}  # names that do not match: keys stay


def test_the_plant_flow_conserves_the_tons(small_plots, serial_small):
    """The flow picture is the mass balance: what enters a stage leaves it, and the slag received
    is the measured window's in.slag flow."""
    flows = small_plots["plant-flow"].data

    def total(source=None, target=None):
        rows = flows[(flows.source == source) if source else (flows.target == target)]
        return float(rows.tons.sum())
    assert total(source="processed") == pytest.approx(total(target="processed"), rel=1e-9)
    assert total(source="slag received") == pytest.approx(total(target="slag received"), rel=1e-9)
    base = next(run for run in load_results([serial_small]).runs if run.name == "baseline").means()
    assert total(target="slag received") == pytest.approx(base["slag_received_t_per_year"], rel=1e-9)
    assert base["flow_t_per_year.in.slag"] == pytest.approx(base["slag_received_t_per_year"], rel=1e-9)
    assert "bottleneck:" in small_plots["plant-flow"].figure.texts[0].get_text()


def test_every_cost_category_has_words_in_the_waterfall():
    from slagsim.figures.waterfall import COST_WORDS
    from slagsim.model.vocabulary import Cost

    assert set(COST_WORDS) == set(Cost)


def clipped_texts(figure) -> list[str]:
    """Every drawn text of ``figure`` reaching outside its canvas (a title or label cut off); empty
    when everything drawn (matplotlib's tight box of the figure) is inside it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    renderer = FigureCanvasAgg(figure).get_renderer()  # a saved figure is closed: draw it afresh
    figure.draw(renderer)
    drawn, canvas = figure.get_tightbbox(renderer), figure.bbox_inches
    if (drawn.x0 >= canvas.x0 - 0.01 and drawn.y0 >= canvas.y0 - 0.01 and drawn.x1 <= canvas.x1 + 0.01
            and drawn.y1 <= canvas.y1 + 0.01):
        return []
    outside = []
    for text in figure.findobj(Text):
        box = text.get_window_extent(renderer) if text.get_text().strip() else None
        page = figure.bbox
        if box is not None and not (page.contains(box.x0, box.y0) and page.contains(box.x1, box.y1)):
            outside.append(text.get_text())
    return outside or [f"something drawn at {drawn} outside {canvas}"]


@pytest.mark.slow
def test_no_figure_cuts_its_words(small_plots):
    for stem, plot in small_plots.items():
        assert clipped_texts(plot.figure) == [], stem


def test_the_flow_joins_stages_that_pass_everything_on_and_calls_out_the_disposal():
    """Slag offered, all received, all processed is one column, not three of the same width; the
    residue paid to send away is said in words."""
    from slagsim.figures.flow import merge_passes, plant_flow_figure, plant_flows

    means = {"slag_offered_t_per_year": 305.0, "slag_received_t_per_year": 305.0,
             "slag_processed_t_per_year": 305.0, "ingot_t_per_year": 60.0,
             "flow_t_per_year.out.iron": 10.0, "flow_t_per_year.out.fume": 0.0,
             "output_from_slag_t_per_year": 127.0, "residue_disposed_t_per_year": 168.0,
             "output_t_per_year.paving": 400.0, "flow_t_per_year.in.cement": 300.0,
             "cost_rp_per_year.residue_disposal": 84e6}
    flows, chains, columns = merge_passes(plant_flows(means, ["paving"]))
    assert chains["processed"] == ["slag offered", "slag received", "processed"]
    assert len(columns) == 3 and not [f for f in flows if f.source in ("slag offered", "slag received")]
    figure, data = plant_flow_figure(means, ["paving"], "baseline")
    assert "slag offered" in set(data.source)  # the data keep every stage
    words = " ".join(t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")))
    assert "168 of the 235 t of residue a year goes to paid B3 disposal (Rp 84.0 million a year)" in words
    assert "slag offered = slag received = processed" in words
    assert clipped_texts(figure) == []
