"""The default travel network of the whole embedded Netherlands (slow: national build)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from zorglandschap.landscape import Landscape, default_regions_dir
from zorglandschap.travel import (
    TravelNetwork,
    build_network,
    demand_site_minutes,
    load_fixed_links,
)
from zorglandschap.travel.sources import NetworkSource

pytestmark = pytest.mark.slow

#: PC4 ranges of the five inhabited Wadden islands.
ISLANDS = {
    "Texel": {f"179{d}" for d in range(1, 8)},
    "Vlieland": {"8899"},
    "Terschelling": {f"88{d}" for d in range(81, 98)},
    "Ameland": {"9161", "9162", "9163", "9164"},
    "Schiermonnikoog": {"9166"},
}
PROXIMITY = {"land", "hub", "express"}


@pytest.fixture(scope="module")
def network(netherlands: Landscape) -> TravelNetwork:
    return build_network(netherlands)


def _path_kinds(network: TravelNetwork, a: str, b: str, profile: str = "car") -> list[str]:
    graph = network.graph
    path = nx.shortest_path(graph, a, b, weight=f"minutes_{profile}")
    return [
        graph.edges[u, v]["link_id"] or graph.edges[u, v]["kind"]
        for u, v in zip(path[:-1], path[1:], strict=True)
    ]


def test_national_network_is_connected_and_keeps_every_link(network: TravelNetwork) -> None:
    assert len(network.components()) == 1
    assert network.dropped_links == ()


def test_without_ferries_only_the_five_wadden_islands_are_cut_off(netherlands: Landscape) -> None:
    links = load_fixed_links(default_regions_dir() / "fixed_links.csv")
    network = build_network(netherlands, links=links[links["kind"] != "ferry"], strict=False)
    components = network.components()
    assert len(components) == 6
    islands = []
    for group in components[1:]:
        pc4 = {n[4:] for n in group if n.startswith("pc4:")}
        names = [name for name, codes in ISLANDS.items() if pc4 and pc4 <= codes]
        assert len(names) == 1, f"unexpected cut-off group {sorted(group)[:6]}"
        islands.append(names[0])
    assert sorted(islands) == sorted(ISLANDS)
    # every island PC4 is on its island, not on the mainland
    main = set(components[0])
    assert not any(f"pc4:{p}" in main for codes in ISLANDS.values() for p in codes)


def test_without_any_fixed_link_the_delta_and_flevoland_are_cut_off(netherlands: Landscape) -> None:
    links = load_fixed_links(default_regions_dir() / "fixed_links.csv")
    network = build_network(netherlands, links=links.iloc[:0], strict=False)
    cut = {n for group in network.components()[1:] for n in group}
    # Almere, Lelystad, Zierikzee, Terneuzen, Middelharnis. (The Noordoostpolder and Urk stay
    # connected: the polder borders Friesland and Overijssel on land.)
    for pc4 in ("1315", "8232", "4301", "4531", "3241"):
        assert f"pc4:{pc4}" in cut, pc4
    for pc4 in ("8301", "8321"):
        assert f"pc4:{pc4}" not in cut, pc4


def test_texel_reaches_den_helder_by_ferry(network: TravelNetwork, netherlands: Landscape) -> None:
    kinds = _path_kinds(network, "pc4:1791", "site:noordwest-zhgroep-den-helder")
    assert "ferry-texel" in kinds
    m = demand_site_minutes(netherlands, "car", sites=["noordwest-zhgroep-den-helder"], cache=False)
    assert m.loc["1791"].iloc[0] >= 20 + 30  # crossing + waiting


def test_terneuzen_reaches_goes_through_the_westerschelde_tunnel(network: TravelNetwork) -> None:
    kinds = _path_kinds(network, "pc4:4531", "site:admiraal-de-ruyter-zh-goes")
    assert "westerscheldetunnel" in kinds


def test_no_proximity_edge_crosses_the_ijsselmeer_or_the_wadden_sea(
    network: TravelNetwork, netherlands: Landscape
) -> None:
    province = netherlands.municipalities["province"]
    island_municipalities = {"GM0448", "GM0096", "GM0093", "GM0060", "GM0088"}
    tables = {
        "pc4": netherlands.pc4, "site": netherlands.sites, "post": netherlands.posts,
        "clinic": netherlands.clinics,
    }  # fmt: skip

    def where(node: str) -> str:
        node = node.removeprefix("express:")  # an express copy lies where its node lies
        kind, key = node.split(":", 1)
        if kind not in tables:
            return "link"
        code = tables[kind].at[key, "gemeentecode"]
        return f"island {code}" if code in island_municipalities else str(province[code])

    # PC4 points whose representative point lies on the Afsluitdijk or the Houtribdijk: the
    # dikes are land, so edges between them run along the dike.
    on_dike = {"pc4:1779", "pc4:8766", "pc4:8752", "pc4:8242"}
    on_dike |= {f"express:{n}" for n in on_dike}
    ids = network.node_ids
    assert "express" in set(network.kind)
    for (u, v), kind in zip(network.edges, network.kind, strict=True):
        if kind not in PROXIMITY or {ids[u], ids[v]} <= on_dike:
            continue
        a, b = where(ids[u]), where(ids[v])
        pair = {a, b}
        # Noord-Holland borders Friesland and Flevoland only across the IJsselmeer/Markermeer
        assert pair not in ({"Noord-Holland", "Friesland"}, {"Noord-Holland", "Flevoland"}), (
            ids[u],
            ids[v],
        )
        if "link" in pair:
            continue  # express edges to link ends: the ferry-less test above catches a crossing
        if a.startswith("island") or b.startswith("island"):
            assert a == b, (ids[u], ids[v])


def test_car_times_are_symmetric_and_obey_the_triangle_inequality(network: TravelNetwork) -> None:
    rng = np.random.default_rng(0)
    nodes = [n for n in network.node_ids if n.startswith(("pc4:", "site:"))]
    sample = [nodes[i] for i in sorted(rng.choice(len(nodes), 150, replace=False))]
    t = NetworkSource(network).minutes(sample, sample, profile="car")
    np.testing.assert_allclose(t, t.T, rtol=1e-9)
    assert np.all(t[:, None, :] <= t[:, :, None] + t[None, :, :] + 1e-6)


def test_national_matrices_have_every_pc4_and_site(
    netherlands: Landscape, tmp_path: object
) -> None:
    m = demand_site_minutes(netherlands, "ambulance", cache=False)
    assert m.shape == (len(netherlands.pc4), len(netherlands.sites))
    assert np.isfinite(m.to_numpy()).all()
    nearest = m.min(axis=1)
    # the mainland is within an hour of some hospital; only the islands are farther
    far = set(nearest.index[nearest > 60])
    assert far <= {p for codes in ISLANDS.values() for p in codes}


def _minutes(network: TravelNetwork, a: str, b: str, profile: str) -> float:
    return float(NetworkSource(network).minutes([a], [b], profile=profile)[0, 0])


def test_long_trips_are_plausible(network: TravelNetwork) -> None:
    """Long trips against route-planner times.

    ASSUMPTION (anchors, not measured data): a public route planner gives about 1 h by car from
    Amsterdam centre to the Den Helder hospital (~80 km) and about 35 min by car from Emmeloord
    to Isala Zwolle (~50 km); the siren is not slower than a car. The bounds are wide on purpose.
    """
    assert 55 <= _minutes(network, "pc4:1012", "site:noordwest-zhgroep-den-helder", "car") <= 80
    car = _minutes(network, "pc4:8301", "site:isala-zwolle", "car")
    ambulance = _minutes(network, "pc4:8301", "site:isala-zwolle", "ambulance")
    assert 30 <= car <= 50
    assert 20 <= ambulance <= car


def test_travel_time_grows_concavely_with_trip_length(network: TravelNetwork) -> None:
    """Long trips are driven faster (straight-line km per minute) than short ones.

    Stated against the calibrated model's own short-trip speed, no outside figure: PC4 pairs
    80-150 km apart must be covered at least 1.5 times as fast as pairs 5-10 km apart.
    """
    rng = np.random.default_rng(1)
    nodes = [n for n in network.node_ids if n.startswith("pc4:")]
    sample = [nodes[i] for i in sorted(rng.choice(len(nodes), 300, replace=False))]
    index = network.index()
    xy = network.xy[[index[n] for n in sample]]
    km = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) / 1000
    for profile in ("car", "ambulance"):
        t = NetworkSource(network).minutes(sample, sample, profile=profile)
        short = (km >= 5) & (km <= 10)
        long = (km >= 80) & (km <= 150)
        speed_short = np.median(km[short] / t[short])
        speed_long = np.median(km[long] / t[long])
        assert speed_long >= 1.5 * speed_short, (profile, speed_short, speed_long)
