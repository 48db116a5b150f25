"""The report pages: what the HTML report of a scenario run and of a comparison show.

:func:`run_report` fills ``templates/run.html.j2`` from a
:class:`~zorglandschap.report.run.ScenarioRun` (its tables, the names of the map and figure
files beside the report), :func:`compare_report` fills ``templates/compare.html.j2`` from a
:class:`~zorglandschap.report.compare.Comparison`. The formatting rules live in
:mod:`zorglandschap.report.html`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from zorglandschap.report.export import export_frame
from zorglandschap.report.html import (
    Cell,
    Column,
    HtmlTable,
    format_cell,
    html_table,
    provenance_context,
    render,
)
from zorglandschap.report.provenance import settings_changes
from zorglandschap.report.spreading import spreading_cards, spreading_section

if TYPE_CHECKING:
    from zorglandschap.report.compare import Comparison
    from zorglandschap.report.run_result import ReachPair, ScenarioRun

__all__ = ["compare_report", "run_report"]

#: Indicator columns of the summary table, and their headings.
_INDICATOR_COLUMNS = {
    "service": "service",
    "block": "block",
    "area": "area",
    "open_sites": "open sites",
    "open_sites_change": "Δ open",
    "beyond": "beyond norm",
    "beyond_baseline": "baseline",
    "beyond_change": "Δ beyond",
    "share_within": "share within",
    "mean_minutes": "mean min",
    "mean_minutes_change": "Δ mean",
    "p90_minutes": "P90 min",
    "p90_minutes_change": "Δ P90",
}
#: Columns of a per-region table.
_REGION_COLUMNS = {
    "name": "name",
    "population": "inhabitants",
    "beyond": "beyond norm",
    "beyond_baseline": "baseline",
    "beyond_change": "Δ beyond",
    "mean_minutes": "mean min",
    "mean_minutes_change": "Δ mean",
    "p90_minutes": "P90 min",
    "p90_minutes_change": "Δ P90",
}
_SERVICE = {"seh": "SEH", "av": "Acute obstetrics"}
_LAYER = {
    "roaz": "ROAZ region",
    "iza": "IZA region",
    "iza42": "IZA region (42)",
    "province": "province",
    "municipality": "municipality",
}


def _title(service: str, block: str) -> str:
    return f"{_SERVICE.get(service, service)}, {block}"


def _cards(run: ScenarioRun) -> list[dict[str, str]]:
    summary = run.summary()
    year = run.scenario.baseline
    cards = []
    for row in summary["reach"]:
        norm = run.settings.access.norm_minutes
        cards.append(
            {
                "label": f"{_title(row['service'], row['block'])}: beyond {norm:g} min",
                "value": f"{row['beyond']:,}",
                "detail": f"{row['beyond_change']:+,} against {year}; mean {row['mean_minutes']} "
                f"min, P90 {row['p90_minutes']} min",
            }
        )
    for row in summary["sensitivity"]:
        cards.append(
            {
                "label": f"Sensitive {_SERVICE.get(row['service'], row['service'])}s, "
                f"{row['block']}",
                "value": str(row["sensitive"]),
                "detail": f"{row['sensitive_baseline']} in {year}; most sensitive: "
                f"{row['most_sensitive'] or '–'} ({row['max_extra_beyond']:,} more beyond)",
            }
        )
    plan = summary["concentration"]
    if plan is not None:
        cards.append(
            {
                "label": f"Concentration: {', '.join(plan['interventions'])}",
                "value": f"{plan['sites']} sites",
                "detail": f"{plan['status']}; {plan['sites_today']} offer it today; "
                f"{plan['stops']} stop, {plan['starts']} start; mean {plan['mean_minutes']} "
                f"min, P90 {plan['p90_minutes']} min",
            }
        )
    if run.spreading is not None:
        cards += spreading_cards(run.spreading)
    return cards


def _changed_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with people beyond the norm or any change, the largest change first."""
    keep = (frame["beyond"] > 0) | (frame["beyond_change"].fillna(0) != 0)
    keep |= frame["mean_minutes_change"].fillna(0) != 0
    out = frame[keep].copy()
    out["_order"] = -out["beyond_change"].fillna(0).abs()
    return out.sort_values(["_order", "beyond"], ascending=[True, False]).drop(columns="_order")


def _reach_section(
    run: ScenarioRun,
    pair: ReachPair,
    *,
    tables: Mapping[str, pd.DataFrame],
    maps: Mapping[str, str],
    figures: Mapping[str, str],
) -> dict[str, Any]:
    s = pair.after.summary()
    b = pair.before.summary()
    line = (
        f"Sites {pair.after.state_name}: {s['open_sites']} open; {s['beyond']:,} of "
        f"{s['population']:,} inhabitants beyond {s['minutes']:g} minutes "
        f"({s['beyond'] - b['beyond']:+,} against {pair.before.state_name}); mean "
        f"{s['mean_minutes']} min, P90 {s['p90_minutes']} min."
    )
    if run.region is not None:
        line += f" Maps and figures show {run.region.label} (the national run's figures)."
    shown: list[HtmlTable] = []
    for layer in [] if run.reach_question is None else run.reach_question.by:
        frame = tables[f"{pair.key}_{layer}"]
        label = _LAYER.get(layer, layer)
        columns: dict[str, str] = {str(layer): "region" if layer != "municipality" else layer}
        columns |= {k: v for k, v in _REGION_COLUMNS.items() if k != layer}
        if layer == "municipality":
            shown.append(
                html_table(
                    _changed_rows(frame),
                    title=f"By {label}: with people beyond the norm or a change",
                    columns=columns,
                    empty="No municipality has people beyond the norm or a change.",
                )
            )
        else:
            shown.append(html_table(frame, title=f"By {label}", columns=columns))
    return {
        "anchor": pair.key,
        "title": _title(pair.after.service, pair.after.block),
        "line": line,
        "map": maps.get(pair.key),
        "figure": figures.get(pair.key),
        "tables": shown,
    }


def _sensitive_tables(run: ScenarioRun, tables: Mapping[str, pd.DataFrame]) -> list[HtmlTable]:
    shown = []
    for pair in run.sensitivities:
        frame = tables[f"sensitive_{pair.key}"]
        frame = frame[(frame["extra_beyond"] > 0) | (frame["extra_beyond_baseline"].fillna(0) > 0)]
        reach = pair.after.reach
        shown.append(
            html_table(
                frame,
                title=f"{_title(reach.service, reach.block)}: extra people beyond "
                f"{reach.minutes_norm:g} minutes if one site alone closes",
                columns={
                    "site_id": "site",
                    "name": "name",
                    "extra_beyond": "extra beyond",
                    "extra_beyond_baseline": "baseline",
                    "where": "where they live",
                },
                empty="No open site is sensitive.",
            )
        )
    return shown


def _plan_section(run: ScenarioRun, maps: Mapping[str, str]) -> dict[str, Any] | None:
    plan = run.concentration
    if plan is None:
        return None
    d = run.summary()["concentration"]
    gap = "n/a" if d["gap"] is None else f"{100 * d['gap']:.3f} %"
    line = (
        f"{d['status']} (gap {gap}); {d['sites']} offering sites ({d['sites_today']} offer it "
        f"today): {d['stops']} stop, {d['starts']} start, {d['below_norm']} below the norm; "
        f"patients travel {d['mean_minutes']} minutes on average, P90 {d['p90_minutes']}, "
        f"at most {d['max_minutes']} (by car)."
    )
    sites = plan.sites.sort_values(
        ["intervention", "offers", "volume"], ascending=[True, False, False]
    )
    offer = sites[sites["offers"].astype(bool)]
    stops = sites[sites["change"] == "stops"]
    columns = {
        "intervention": "intervention",
        "name": "site",
        "region": "region",
        "volume": "patients a year",
        "norm": "norm",
        "change": "change",
        "baseline_volume": "today",
    }
    indicators = (
        plan.indicators[plan.indicators["region"] != "all"]
        if len(plan.indicators)
        else plan.indicators
    )
    return {
        "title": f"Concentration: {', '.join(plan.interventions)}",
        "line": line,
        "diagnosis": list(plan.diagnosis),
        "map": maps.get("plan"),
        "tables": [
            html_table(offer, title="Offering sites", columns=columns, limit=None),
            html_table(
                stops, title="Sites that stop", columns=columns, limit=None, empty="None stop."
            ),
            html_table(
                indicators,
                title="Travel by region of residence",
                columns={
                    "intervention": "intervention",
                    "region": "region",
                    "patients": "patients",
                    "mean_minutes": "mean min",
                    "p90_minutes": "P90 min",
                    "max_minutes": "max min",
                },
                limit=None,
            ),
        ],
    }


def run_report(
    run: ScenarioRun,
    *,
    maps: Mapping[str, str],
    figures: Mapping[str, str],
    files: Sequence[tuple[str, str]],
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> str:
    """The HTML report of a scenario run.

    ``maps`` and ``figures`` name the files (relative to the report) per reach (its key,
    ``seh_night``) and for the plan (``plan``); ``files`` lists every file of the folder with
    what it holds; ``tables`` are the run's tables when already built.
    """
    tables = run.tables() if tables is None else tables
    spec = run.scenario
    people = f"{run.population.total:,.0f}"
    subtitle = [spec.description] if spec.description else []
    subtitle.append(
        f"Scenario file {run.file}; baseline {spec.baseline}; population {people} "
        f"({run.population.year}{'' if run.population.growth is None else f' × {run.population.growth:g}'})."
    )
    reaches = [
        _reach_section(run, pair, tables=tables, maps=maps, figures=figures) for pair in run.reaches
    ]
    plan = _plan_section(run, maps)
    spreading = None if run.spreading is None else spreading_section(run.spreading)
    nav = [("summary", "Summary"), ("changes", "Site changes")]
    nav += [(section["anchor"], section["title"]) for section in reaches]
    nav += [("sensitive", "Sensitive SEHs")] if run.sensitivities else []
    nav += [("plan", "Concentration")] if plan else []
    nav += [("spreading", "Spreading")] if spreading else []
    nav += [("assumptions", "Assumptions"), ("data", "Data"), ("files", "Files")]
    indicators = tables.get("indicators")
    return render(
        "run.html.j2",
        title=spec.name,
        subtitle=subtitle,
        software=run.software,
        nav=nav,
        cards=_cards(run),
        indicators=html_table(
            indicators if indicators is not None else pd.DataFrame(),
            title="Reach against the baseline",
            columns=_INDICATOR_COLUMNS,
            limit=None,
            empty="No reach asked.",
        ),
        site_changes=html_table(
            tables["site_changes"],
            columns={
                "site_id": "site",
                "name": "name",
                "roaz": "ROAZ",
                "seh_baseline": "SEH before",
                "seh": "SEH after",
                "av_baseline": "AV before",
                "av": "AV after",
                "note": "note",
            },
            limit=None,
            empty=f"No site changes: the sites of {spec.baseline}.",
        ),
        reaches=reaches,
        sensitive=_sensitive_tables(run, tables),
        plan=plan,
        spreading=spreading,
        provenance=provenance_context(
            run.assumptions(),
            run.settings,
            changed=settings_changes(run.settings),
            data=run.data,
            software=run.software,
        ),
        files=list(files),
    )


def _side_by_side(
    frame: pd.DataFrame,
    keys: Sequence[str],
    title: str,
    *,
    note: str = "",
    indicators: Sequence[str] | None = None,
) -> HtmlTable:
    """A comparison table: its key columns, the indicator, the baseline, then each scenario's
    value with its difference in brackets (coloured by the difference)."""
    if "name" in frame.columns and "name" not in keys:
        keys = [*keys, "name"]
    if indicators is not None:
        frame = frame[frame["indicator"].isin(indicators)]
    values = [c for c in frame.columns if c not in (*keys, "indicator") and not c.startswith("Δ")]
    baseline, scenarios = values[0], values[1:]
    columns = [Column(k) for k in (*keys, "indicator")] + [Column(baseline, "num")]
    columns += [Column(f"{label} (Δ)", "num") for label in scenarios]
    rows = []
    for record in export_frame(frame).to_dict(orient="records"):
        indicator = str(record["indicator"])
        cells = [Cell(str(record[k]) if record[k] is not None else "") for k in keys]
        cells.append(Cell(indicator.replace("_", " ")))
        cells.append(Cell(*format_cell(indicator, record[baseline])))
        for label in scenarios:
            text, _ = format_cell(indicator, record[label])
            change, css = format_cell(f"{indicator}_change", record[f"Δ {label}"])
            cells.append(Cell(f"{text} ({change})", css))
        rows.append(tuple(cells))
    return HtmlTable(title, tuple(columns), tuple(rows), note=note)


def _changed_regions(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """The rows of regions where any scenario differs from the baseline."""
    deltas = [c for c in frame.columns if c.startswith("Δ")]
    moved = frame[deltas].fillna(0).ne(0).any(axis=1)
    wanted = frame.loc[moved, list(keys)].drop_duplicates()
    return frame.merge(wanted, on=list(keys))


def compare_report(comparison: Comparison, *, files: Sequence[tuple[str, str]]) -> str:
    """The HTML report of a comparison (see :mod:`zorglandschap.report.compare`)."""
    tables = comparison.tables()
    shown = []
    if "blocks" in tables:
        shown.append(_side_by_side(tables["blocks"], ["service", "block"], "Reach per time block"))
    for layer in comparison.by:
        if f"regions_{layer}" not in tables:
            continue  # no reach asked (e.g. scenarios asking [spreading] alone)
        frame = tables[f"regions_{layer}"]
        keys = ["service", "block", layer]
        note = ""
        if layer == "municipality":
            frame = _changed_regions(frame, keys)
            note = "Municipalities where a scenario differs from the baseline; all in the files."
        label = _LAYER.get(layer, layer)
        note = " ".join([note, "P90 minutes in the files."]).strip()
        shown.append(
            _side_by_side(
                frame, keys, f"By {label}", note=note, indicators=("beyond", "mean_minutes")
            )
        )
    if "interventions" in tables:
        shown.append(
            _side_by_side(
                tables["interventions"],
                ["intervention"],
                "Concentration per intervention",
                note="Against the baseline's plan, or (without one) today's providers: sites only.",
            )
        )
    if "spreading" in tables:
        shown.append(
            _side_by_side(
                tables["spreading"],
                ["scope", "block"],
                "Spreading plans per block",
                note="SEHs taking ambulances in the scope (at night: the 24/7 SEHs), staff-hours "
                "a week on the scope's SEHs, people beyond the norm in the scope; against the "
                "baseline's plan when it decides the same scope, else its SEHs as they are.",
            )
        )
    base = comparison.baseline
    scenarios = pd.DataFrame(
        [
            {
                "label": label,
                "scenario": run.scenario.name,
                "file": run.file,
                "population": int(round(run.population.total)),
                "settings changed": ", ".join(
                    f"{k} = {v}" for k, v in settings_changes(run.settings).items()
                ),
            }
            for run, label in zip(
                (base, *comparison.runs),
                (comparison.baseline_label, *comparison.labels),
                strict=True,
            )
        ]
    )
    assumptions = list(
        dict.fromkeys(line for run in (base, *comparison.runs) for line in run.assumptions())
    )
    return render(
        "compare.html.j2",
        title=f"Comparison: {', '.join(comparison.labels)}",
        subtitle=[f"Against the baseline {comparison.baseline_label}; Δ = scenario − baseline."],
        software=base.software,
        scenarios=html_table(scenarios, title="", limit=None),
        tables=shown,
        provenance=provenance_context(
            assumptions,
            base.settings,
            changed=settings_changes(base.settings),
            data=base.data,
            software=base.software,
        ),
        files=list(files),
    )
