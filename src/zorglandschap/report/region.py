"""Regional views of national results: a region's PC4 areas, and the sites that serve them.

A regional map or figure is cut from a result computed on the whole country, never recomputed
on an extract: a region's people may be served by an SEH across its border, and the RIVM
composite time starts at the nearest ambulance post, wherever it stands. So the figures of a
regional view are the national run's figures for the same PC4 areas.

>>> from zorglandschap.landscape import load_landscape
>>> nl = load_landscape()
>>> view = parse_region("iza:Zuid-Limburg", nl)
>>> view.label, len(view.municipalities)
('IZA region Zuid-Limburg', 16)
>>> parse_region("gemeente:sluis", nl).municipalities
('GM1714',)
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import pandas as pd

from zorglandschap.errors import ScenarioError
from zorglandschap.landscape import REGION_LAYERS
from zorglandschap.vocab import LAYER_ALIASES, REGION_LAYER_NAMES, RegionLayer

if TYPE_CHECKING:
    import geopandas as gpd

    from zorglandschap.access import Reach
    from zorglandschap.landscape import Landscape
    from zorglandschap.landscape.state import SiteState

__all__ = [
    "RegionView",
    "parse_region",
    "region_plan_layers",
    "region_reach",
    "serving_sites",
    "view_site_ids",
]

#: How a region layer is named in titles.
LAYER_TITLES: dict[str, str] = {
    "municipality": "municipality",
    "province": "province",
    "vr": "veiligheidsregio",
    "zorgkantoor": "zorgkantoor region",
    "roaz": "ROAZ region",
    "iza": "IZA region",
    "iza42": "IZA region",
}


@dataclass(frozen=True)
class RegionView:
    """A region to view: its layer, name, title and municipalities (``gemeentecode``)."""

    layer: RegionLayer
    name: str
    label: str
    municipalities: tuple[str, ...]

    def pc4(self, landscape: Landscape) -> pd.Index:
        """The region's PC4 areas (sorted)."""
        inside = landscape.pc4["gemeentecode"].isin(self.municipalities)
        return landscape.pc4.index[inside].sort_values()

    def bounds(self, landscape: Landscape) -> tuple[float, float, float, float]:
        """The region's bounding box (lon/lat: west, south, east, north)."""
        frame = landscape.municipalities.loc[list(self.municipalities)]
        west, south, east, north = (float(v) for v in frame.total_bounds)
        return west, south, east, north


def parse_region(text: str, landscape: Landscape) -> RegionView:
    """A ``--region`` selector, ``LAYER:NAME``: ``roaz:ROAZ08`` (code or name),
    ``iza:Zuid-Limburg``, ``province:Zeeland``, ``gemeente:Sluis`` (name or GM code).

    Names match without regard to case. Raises :class:`ScenarioError` naming the valid layers,
    or the closest valid names of the layer.
    """
    layer_text, sep, name = text.partition(":")
    layer_key = layer_text.strip().lower()
    layer = LAYER_ALIASES.get(layer_key, layer_key)
    valid_layers = [*REGION_LAYER_NAMES, *LAYER_ALIASES]
    if not sep or layer not in REGION_LAYER_NAMES or not name.strip():
        raise ScenarioError(
            f"--region {text!r}: give LAYER:NAME with LAYER one of {', '.join(valid_layers)}, "
            'e.g. --region iza:"Zuid-Limburg" or --region gemeente:Sluis.'
        )
    layer = cast(RegionLayer, layer)
    municipalities = landscape.municipalities
    column = municipalities[REGION_LAYERS[layer]].astype(str)
    names = {value.lower(): value for value in column.unique()}
    if layer == "roaz":
        names |= {str(v).lower(): str(k) for k, v in landscape.roaz_regions["roaz_name"].items()}
    if layer == "municipality":
        names |= {str(code).lower(): str(n) for code, n in column.items()}
    wanted = names.get(name.strip().lower())
    if wanted is None:
        close = difflib.get_close_matches(name.strip(), sorted(set(names.values())), n=5)
        hint = f"did you mean: {', '.join(close)}?" if close else "see `zorglandschap data`."
        raise ScenarioError(f"--region {text!r}: no {layer} named {name.strip()!r}; {hint}")
    codes = tuple(sorted(municipalities.index[column == wanted]))
    title = wanted
    if layer == "roaz":
        title = f"{wanted} {landscape.roaz_regions['roaz_name'].get(wanted, '')}".strip()
    return RegionView(layer, wanted, f"{LAYER_TITLES[layer]} {title}", codes)


def region_reach(result: Reach, view: RegionView) -> Reach:
    """The national ``result`` cut to the region's PC4 areas (nothing recomputed).

    The returned :class:`~zorglandschap.access.Reach` keeps the national landscape and open
    sites, so a site across the border that serves the region stays known; its ``points``
    are the region's rows of the national points, so ``summary()`` gives the region's figures.
    """
    points = result.points.loc[view.pc4(result.landscape)]
    return dataclasses.replace(result, points=points)


def serving_sites(result: Reach) -> list[str]:
    """The open sites nearest or second-nearest to any PC4 area of ``result`` (sorted)."""
    p = result.points
    used = pd.concat([p["site_id"], p["second_site_id"]])
    return sorted({str(s) for s in used if s})


def view_site_ids(view: Reach, state: SiteState, region: RegionView | None) -> list[str]:
    """The sites a map of ``view`` draws: all of the state's; for a region, those in it and
    the open sites that serve its PC4 areas (in the landscape's order)."""
    sites = view.landscape.sites
    known = [s for s in sites.index if s in state.services.index]
    if region is None:
        return known
    inside = set(sites.index[sites["gemeentecode"].isin(region.municipalities)])
    wanted = inside | set(serving_sites(view))
    return [s for s in known if s in wanted]


def region_plan_layers(
    layers: dict[str, gpd.GeoDataFrame], view: RegionView, landscape: Landscape
) -> dict[str, gpd.GeoDataFrame]:
    """A plan's GIS layers (:func:`~zorglandschap.report.layers.concentration_layers`) cut to a
    region: its municipalities, the flows from them, and the sites in it or that receive its
    patients (nothing recomputed: the plan is the national one).
    """
    inside = set(view.municipalities)
    municipalities = layers["municipalities"]
    flows = layers["flows"][layers["flows"]["gemeentecode"].isin(inside)]
    sites = layers["sites"]
    in_region = sites["site_id"].map(landscape.sites["gemeentecode"]).isin(inside)
    served = set(zip(flows["intervention"], flows["site_id"], strict=True))
    receiving = pd.Series(
        [(p, s) in served for p, s in zip(sites["intervention"], sites["site_id"], strict=True)],
        index=sites.index,
    )
    return {
        "municipalities": municipalities[municipalities["gemeentecode"].isin(inside)],
        "flows": flows,
        "sites": sites[in_region | receiving],
    }
