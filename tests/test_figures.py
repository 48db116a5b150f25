"""Print figures: A4 at 300 dpi, not blank, the same bytes twice, national, regional and
before/after; the ``figure`` command and its errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox
from PIL import Image

from zorglandschap.access import Reach, reach
from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import Landscape
from zorglandschap.landscape.state import SiteState
from zorglandschap.maps._labels import LabelRequest, label_priority, place_labels
from zorglandschap.maps.plan_figure import PLAN_SOURCE_LINE, plan_figure
from zorglandschap.maps.static import (
    PRINT_DPI,
    before_after_figure,
    reach_figure,
    save_figure,
    source_line,
)
from zorglandschap.maps.style import SEH_COLOURS
from zorglandschap.optimise import ConcentrationResult, landscape_model
from zorglandschap.report.region import parse_region
from zorglandschap.scenario import load_scenario, site_state
from zorglandschap.settings import DEFAULT_SETTINGS

REPO = Path(__file__).resolve().parents[1]
#: A4 at 300 dpi in pixels (297 × 210 mm).
A4_LANDSCAPE = (3507, 2480)


def _check_print(path: Path, size: tuple[int, int]) -> np.ndarray:
    """The PNG is A4 at 300 dpi and shows a map, not a blank page; its pixels."""
    image = Image.open(path)
    assert image.size == size
    assert image.info["dpi"] == pytest.approx((PRINT_DPI, PRINT_DPI), abs=0.01)
    pixels = np.asarray(image.convert("RGB")).astype(int)
    inked = (np.abs(pixels - 255).max(axis=2) > 24).mean()
    assert inked > 0.08, f"only {inked:.1%} of the page is drawn on"
    return pixels


def _shows(pixels: np.ndarray, colour: str) -> int:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels - rgb).max(axis=2) < 10).sum())


@pytest.fixture(scope="module")
def national_night(netherlands: Landscape) -> tuple[Reach, SiteState]:
    state = site_state(netherlands, "2025")
    return reach(netherlands, state, block="night"), state


@pytest.mark.slow
def test_national_figure_is_a4_landscape_at_300_dpi(
    national_night: tuple[Reach, SiteState], tmp_path: Path
) -> None:
    result, state = national_night
    path = save_figure(reach_figure(result, state), tmp_path / "national.png")
    pixels = _check_print(path, A4_LANDSCAPE)
    assert _shows(pixels, SEH_COLOURS["24/7"]) > 2000  # the 76 open 24/7 SEHs are drawn


@pytest.mark.slow
def test_regional_iza_figure_is_a4_portrait(
    netherlands: Landscape, national_night: tuple[Reach, SiteState], tmp_path: Path
) -> None:
    result, state = national_night
    view = parse_region("iza:Zuid-Limburg", netherlands)
    figure = reach_figure(result, state, region=view, orientation="portrait")
    texts = [t.get_text() for t in figure.findobj(match=lambda a: hasattr(a, "get_text"))]
    assert "SEH within 45 minutes — night, sites 2025 — IZA region Zuid-Limburg" in texts
    assert any("mean 24.6 min, P90 33.2 min" in t for t in texts)  # the national figures
    assert {"UMC Maastricht", "Zuyderland MC Heerlen", "Laurentius Roermond"} <= set(texts)
    assert source_line("calibration regime rivm2022") in texts  # the source line names it
    assert "N" in texts and "5 km" in texts  # source, north, scale
    _check_print(save_figure(figure, tmp_path / "zuid-limburg.png"), A4_LANDSCAPE[::-1])


@pytest.mark.slow
def test_before_after_figure_has_two_panels(
    netherlands: Landscape, national_night: tuple[Reach, SiteState], tmp_path: Path
) -> None:
    before, baseline = national_night
    scenario = load_scenario(REPO / "scenarios" / "spoedpost-dirksland.toml", netherlands)
    after = reach(netherlands, scenario.state, block="night", settings=scenario.settings)
    view = parse_region("roaz:ROAZ04", netherlands)
    figure = before_after_figure(before, after, baseline, scenario.state, region=view)
    titles = [ax.get_title(loc="left") for ax in figure.axes if ax.get_title(loc="left")]
    assert titles[0].startswith("Before: sites 2025\n4,915 beyond 45 min")  # ROAZ04, rivm2022
    assert titles[1].startswith("After: sites Dirksland becomes a spoedpost\n42,490 beyond")
    _check_print(save_figure(figure, tmp_path / "before-after.png"), A4_LANDSCAPE)


def _texts(figure: object) -> list[str]:
    found = figure.findobj(match=lambda a: hasattr(a, "get_text"))  # type: ignore[attr-defined]
    return [t.get_text() for t in found]


def test_figures_name_the_calibration_regime_and_both_when_they_differ(
    utrecht: Landscape,
) -> None:
    state = site_state(utrecht, "2025")
    old = DEFAULT_SETTINGS.replace(travel={"regime": "rivm2019"})
    now = reach(utrecht, state, block="night")
    then = reach(utrecht, state, block="night", settings=old)
    sources = [t for t in _texts(reach_figure(then, state)) if t.startswith("Bron: CBS")]
    assert len(sources) == 1 and "RIVM composite time in calibration regime rivm2019:" in sources[0]
    assert not any("rivm2022" in t for t in _texts(reach_figure(then, state)))
    both = before_after_figure(then, now, state, state)
    texts = _texts(both)
    assert any("calibration regimes: before rivm2019, after rivm2022:" in t for t in texts)
    titles = [ax.get_title(loc="left") for ax in both.axes if ax.get_title(loc="left")]
    assert titles[0].startswith("Before: sites 2025 (rivm2019)\n")
    assert titles[1].startswith("After: sites 2025 (rivm2022)\n")
    same = _texts(before_after_figure(now, now, state, state))
    assert any("RIVM composite time in calibration regime rivm2022:" in t for t in same)
    assert not any("(rivm2022)" in t for t in same)  # one regime: the panels need not say it


def test_figures_as_pdf_and_svg_give_the_same_bytes_twice(
    utrecht: Landscape, tmp_path: Path
) -> None:
    state = site_state(utrecht, "2025")
    result = reach(utrecht, state, block="night")
    for suffix, magic in ((".pdf", b"%PDF"), (".svg", b"<?xml")):
        one = save_figure(reach_figure(result, state), tmp_path / f"one{suffix}").read_bytes()
        two = save_figure(reach_figure(result, state), tmp_path / f"two{suffix}").read_bytes()
        assert one.startswith(magic) and one == two


def test_unknown_format_or_orientation_is_refused(utrecht: Landscape, tmp_path: Path) -> None:
    state = site_state(utrecht, "2025")
    result = reach(utrecht, state, block="night")
    with pytest.raises(ScenarioError, match=r"cannot write a figure as \.jpg; use one of \.png"):
        save_figure(reach_figure(result, state), tmp_path / "x.jpg")
    with pytest.raises(ScenarioError, match="--orientation 'square': use one of landscape"):
        reach_figure(result, state, orientation="square")  # type: ignore[arg-type]
    assert not (tmp_path / "x.jpg").exists()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zorglandschap.cli", *args],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip


def test_figure_command_errors_are_one_line_with_exit_codes(tmp_path: Path) -> None:
    done = _cli("figure", "--out", str(tmp_path / "x.gif"))
    assert done.returncode == 2 and "use one of .png, .pdf, .svg" in done.stderr
    done = _cli("figure", "--out", "/proc/no/such/x.png", "--region", "gemeente:Sluis")
    assert done.returncode == 3 and "Cannot write /proc/no/such/x.png" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_figure_command_writes_a_regional_png_and_refuses_bad_selections(tmp_path: Path) -> None:
    done = _cli("figure", "--out", str(tmp_path / "x.png"), "--region", "iza:Zuid Limburg")
    assert done.returncode == 2 and "did you mean: Zuid-Limburg" in done.stderr
    done = _cli("figure", "--out", str(tmp_path / "x.png"), "--before-after")
    assert done.returncode == 2 and "is not a scenario file" in done.stderr
    out = tmp_path / "sluis.png"
    done = _cli("figure", "--sites", "2025", "--block", "night", "--region", "gemeente:Sluis",
                "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    _check_print(out, A4_LANDSCAPE)


# -- labels that never overlap (issue 16's Rotterdam) --------------------------------------


def _drawn_labels(figure: Figure) -> list[tuple[Axes, str, Bbox]]:
    """The site labels as printed (axes, text, box in pixels), measured after a full draw (the
    text's own box: an annotation's extent would include its leader line)."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [
        (ax, text.get_text(), Text.get_window_extent(text, renderer))
        for ax in figure.axes
        for text in ax.texts
        if isinstance(text, Annotation) and text.get_text() != "N"  # N: the north arrow
    ]


def _assert_labels_apart(figure: Figure) -> list[str]:
    """No two labels' boxes overlap, none covers a site marker, all stay inside their map."""
    labels = _drawn_labels(figure)
    for i, (ax, text, box) in enumerate(labels):
        frame = ax.get_window_extent()
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, f"{text} leaves the map"
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, f"{text} leaves the map"
        for other_ax, other, other_box in labels[i + 1 :]:
            if other_ax is ax:
                overlap = (min(box.x1, other_box.x1) > max(box.x0, other_box.x0)) and (
                    min(box.y1, other_box.y1) > max(box.y0, other_box.y0)
                )
                assert not overlap, f"labels {text!r} and {other!r} overlap"
        for line in ax.lines:
            if line.get_marker() == "o" and line.get_markersize() <= 6:  # a site's own marker
                x, y = ax.transData.transform(line.get_xydata()[0])
                assert not (box.x0 < x < box.x1 and box.y0 < y < box.y1), f"{text} covers a site"
    return [text for _, text, _ in labels]


def test_labels_placed_by_hand_never_overlap_and_the_crowd_is_named() -> None:
    # twelve sites 300 m apart on a 60 km map: at 6 pt a label is ~2 km wide, so they crowd
    figure = Figure(figsize=(6, 4), dpi=PRINT_DPI)
    ax = figure.add_axes((0.05, 0.05, 0.9, 0.9))
    ax.set_xlim(0, 60_000)
    ax.set_ylim(0, 40_000)
    requests = []
    for k in range(12):
        x, y = 30_000 + 300 * (k % 4), 20_000 + 300 * (k // 4)
        ax.plot(x, y, marker="o", markersize=5.5, linestyle="")
        priority = label_priority(sensitive=k == 11, changed=False, seh="24/7", is_open=True,
                                  serves=1000 - k, text=f"Site {k}")  # fmt: skip
        requests.append(LabelRequest(x, y, f"Site {k} hospital", 3.0, priority))
    placement = place_labels(ax, requests)
    drawn = _assert_labels_apart(figure)
    assert sorted(drawn + placement.dropped) == sorted(r.text for r in requests)
    assert drawn[0] == "Site 11 hospital"  # the sensitive site is placed first
    # the same inputs give the same positions
    again = Figure(figsize=(6, 4), dpi=PRINT_DPI)
    ax2 = again.add_axes((0.05, 0.05, 0.9, 0.9))
    ax2.set_xlim(0, 60_000)
    ax2.set_ylim(0, 40_000)
    second = place_labels(ax2, requests)
    assert [a.xyann for a in second.drawn] == [a.xyann for a in placement.drawn]


def test_regional_figure_labels_do_not_overlap(utrecht: Landscape) -> None:
    state = site_state(utrecht, "2025")
    result = reach(utrecht, state, block="night")
    figure = reach_figure(result, state, region=parse_region("roaz:ROAZ08", utrecht))
    drawn = _assert_labels_apart(figure)
    assert {"UMC Utrecht", "Diakonessenhuis Utrecht"} <= set(drawn)


@pytest.mark.slow
def test_rotterdam_labels_do_not_overlap_in_the_roaz04_figures(
    netherlands: Landscape, national_night: tuple[Reach, SiteState]
) -> None:
    result, state = national_night
    view = parse_region("roaz:ROAZ04", netherlands)
    drawn = _assert_labels_apart(reach_figure(result, state, region=view))
    rotterdam = {"Erasmus MC Rotterdam", "Ikazia Rotterdam", "Maasstad Rotterdam",
                 "Franciscus Gasthuis", "Franciscus Vlietland"}  # fmt: skip
    assert rotterdam <= set(drawn)  # the dense cluster: every one placed, none dropped
    scenario = load_scenario(REPO / "scenarios" / "spoedpost-dirksland.toml", netherlands)
    after = reach(netherlands, scenario.state, block="night", settings=scenario.settings)
    both = before_after_figure(result, after, state, scenario.state, region=view)
    drawn = _assert_labels_apart(both)
    assert drawn.count("Erasmus MC Rotterdam") == 2  # once in each panel


# -- plan figures (concentrate --figure) --------------------------------------------------


@pytest.fixture(scope="module")
def utrecht_plan(utrecht: Landscape) -> ConcentrationResult:
    # the travel-only plan on every site: today's teams stop, others start (all on the figure)
    return landscape_model(utrecht, "pancreas", norms=10, objective="travel").solve()


def test_plan_figure_is_a4_with_the_frame_and_labels_apart(
    utrecht: Landscape, utrecht_plan: ConcentrationResult, tmp_path: Path
) -> None:
    figure = plan_figure(utrecht_plan, utrecht)
    texts = _texts(figure)
    offering = utrecht_plan.sites[utrecht_plan.sites["offers"]]
    heading = (
        f"Pancreatoduodenectomy (Whipple/PPPD) — {len(offering)} site offer(s), norm 10 a year"
    )
    assert heading in texts
    assert PLAN_SOURCE_LINE in texts and "N" in texts and any(t.endswith(" km") for t in texts)
    assert any(t.startswith("optimal, gap 0.00 %; patients' mean ") for t in texts)
    drawn = _assert_labels_apart(figure)
    stops = utrecht_plan.sites[utrecht_plan.sites["change"] == "stops"]
    assert set(offering["name"]) | set(stops["name"]) == set(drawn)  # every plan site labelled
    _check_print(save_figure(figure, tmp_path / "plan.png"), A4_LANDSCAPE)
    for suffix in (".pdf", ".svg"):
        one = save_figure(plan_figure(utrecht_plan, utrecht), tmp_path / f"a{suffix}")
        two = save_figure(plan_figure(utrecht_plan, utrecht), tmp_path / f"b{suffix}")
        assert one.read_bytes() == two.read_bytes()


def test_regional_plan_figure_names_the_region_and_its_patients(
    utrecht: Landscape, utrecht_plan: ConcentrationResult
) -> None:
    view = parse_region("gemeente:Amersfoort", utrecht)
    figure = plan_figure(utrecht_plan, utrecht, region=view, orientation="portrait")
    texts = _texts(figure)
    assert any(t.endswith(" — municipality Amersfoort") for t in texts)
    flows = utrecht_plan.flows
    patients = flows.loc[flows["demand_id"].isin(view.municipalities), "patients"].sum()
    assert any(f"the region's {patients:.1f} patients a year: mean " in t for t in texts)
    receiving = set(flows.loc[flows["demand_id"].isin(view.municipalities), "site_id"])
    names = set(utrecht.sites.loc[sorted(receiving), "name"])
    assert names <= set(_assert_labels_apart(figure))  # the sites its patients go to


def test_concentrate_refuses_a_bad_figure_or_a_region_with_nothing_to_show(
    tmp_path: Path,
) -> None:
    done = _cli("concentrate", "--intervention", "pancreas", "--figure", str(tmp_path / "x.gif"))
    assert done.returncode == 2 and "--figure " in done.stderr and ".png, .pdf, .svg" in done.stderr
    done = _cli("concentrate", "--intervention", "pancreas", "--region", "roaz:ROAZ04")
    assert done.returncode == 2 and "give --map FILE.html or --figure FILE.png" in done.stderr
    done = _cli("concentrate", "--intervention", "pancreas", "--region", "iza:Rotterdam",
                "--figure", str(tmp_path / "x.png"))  # fmt: skip
    assert done.returncode == 2 and "did you mean: Rotterdam Rijnmond" in done.stderr
    done = _cli("concentrate", "--intervention", "pancreas", "--figure", "/proc/no/x.png")
    assert done.returncode == 3 and "--figure: cannot write" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x.png").exists()


@pytest.mark.slow
def test_concentrate_writes_a_regional_plan_figure_and_map(tmp_path: Path) -> None:
    figure, page = tmp_path / "plan.png", tmp_path / "plan.html"
    done = _cli("concentrate", "--intervention", "pancreas", "--norm", "20", "--per-roaz", "1",
                "--region", "roaz:ROAZ04", "--figure", str(figure), "--map", str(page))  # fmt: skip
    assert done.returncode == 0, done.stderr
    _check_print(figure, A4_LANDSCAPE)
    html = page.read_text(encoding="utf-8")
    assert "The region shown: ROAZ region ROAZ04 Zuidwest" in html
    assert "Erasmus Medisch Centrum Rotterdam" in html
