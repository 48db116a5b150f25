"""Travel network, matrices, sources and composite on small hand-made landscapes (fast)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import box

from zorglandschap.errors import DataError, ScenarioError, TravelError
from zorglandschap.settings import DEFAULT_SETTINGS, composite_parameters
from zorglandschap.travel import (
    MatrixFileSource,
    NetworkSource,
    RoadGraphSource,
    build_network,
    composite_minutes,
    demand_site_minutes,
    edge_minutes,
    load_fixed_links,
    post_demand_minutes,
)
from zorglandschap.travel.sources import DefaultNetworkSource

TO_LONLAT = Transformer.from_crs(28992, 4326, always_xy=True)
LINK_HEADER = (
    "link_id,name,kind,road,lon_a,lat_a,lon_b,lat_b,length_km,speed_kmh,crossing_minutes,"
    "waiting_minutes,source\n"
)


def _points(ids: list[str], xy: list[tuple[float, float]], **columns: list[float]) -> pd.DataFrame:
    frame = pd.DataFrame({"x_rd": [p[0] for p in xy], "y_rd": [p[1] for p in xy], **columns})
    frame.index = pd.Index(ids)
    return frame


def two_islands(tmp_path: Path, *, bridge: bool = True, ferry: bool = False) -> SimpleNamespace:
    """Two 10 km land squares 3 km apart (RD New, near Utrecht), PC4 points on a 2 km grid.

    West holds site W and post P; east holds site E. A bridge (and/or a ferry) may join them.
    """
    x0, y0 = 140_000.0, 450_000.0
    west = box(x0, y0, x0 + 10_000, y0 + 10_000)
    east = box(x0 + 13_000, y0, x0 + 23_000, y0 + 10_000)
    municipalities = gpd.GeoDataFrame(
        {"gemeentecode": ["GM9001", "GM9002"]}, geometry=[west, east], crs=28992
    ).set_index("gemeentecode")
    pc4_ids, pc4_xy = [], []
    for k, (dx, part) in enumerate([(0.0, "1"), (13_000.0, "2")]):
        for i in range(5):
            for j in range(5):
                pc4_ids.append(f"{part}{i}{j}{k}")
                pc4_xy.append((x0 + dx + 1_000 + 2_000 * i, y0 + 1_000 + 2_000 * j))
    n = len(pc4_ids)
    pc4 = _points(pc4_ids, pc4_xy, population=[1000.0] * n, area_km2=[4.0] * n)
    sites = _points(["W", "E"], [(x0 + 5_100, y0 + 5_100), (x0 + 18_100, y0 + 5_100)])
    posts = _points(["P"], [(x0 + 2_100, y0 + 2_100)])
    clinics = _points([], [])
    rows = []
    if bridge:
        (lon_a, lon_b), (lat_a, lat_b) = TO_LONLAT.transform(
            [x0 + 9_900, x0 + 13_100], [y0 + 5_000, y0 + 5_000]
        )
        rows.append(f"bridge,Test bridge,bridge,,{lon_a},{lat_a},{lon_b},{lat_b},,60,,,assumption")
    if ferry:
        (lon_a, lon_b), (lat_a, lat_b) = TO_LONLAT.transform(
            [x0 + 9_900, x0 + 13_100], [y0 + 9_000, y0 + 9_000]
        )
        rows.append(f"ferry,Test ferry,ferry,,{lon_a},{lat_a},{lon_b},{lat_b},,,20,30,assumption")
    links_path = tmp_path / "fixed_links.csv"
    links_path.write_text(LINK_HEADER + "".join(r + "\n" for r in rows))
    return SimpleNamespace(
        municipalities=municipalities, pc4=pc4, sites=sites, posts=posts, clinics=clinics,
        source=tmp_path,
    )  # fmt: skip


def test_edge_minutes_grow_with_length_and_fall_with_speed() -> None:
    travel = DEFAULT_SETTINGS.travel
    length = np.array([500.0, 2_000.0, 10_000.0, 30_000.0])
    car = edge_minutes(length, np.zeros(4), "car", travel)
    ambulance = edge_minutes(length, np.zeros(4), "ambulance", travel)
    assert np.all(np.diff(car) > 0)
    assert np.all(ambulance < car)  # the siren is faster than a car
    # long edges are faster per km than short ones (motorways)
    assert car[3] / 30 < car[0] / 0.5


def test_unknown_profile_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TravelError, match="Unknown travel profile 'bike'.*ambulance, car"):
        edge_minutes(np.array([1.0]), np.array([0.0]), "bike", DEFAULT_SETTINGS.travel)


def test_water_without_a_link_cuts_the_network_with_a_clear_error(tmp_path: Path) -> None:
    land = two_islands(tmp_path, bridge=False)
    with pytest.raises(
        TravelError, match=r"not connected: 26 node\(s\).*pc4:2001.*fixed_links\.csv"
    ):
        build_network(land)
    network = build_network(land, strict=False)
    components = network.components()
    assert len(components) == 2
    assert "site:W" in components[0] or "site:W" in components[1]


def test_no_proximity_edge_crosses_the_water(tmp_path: Path) -> None:
    network = build_network(two_islands(tmp_path))
    side = network.xy[:, 0] > 140_000 + 11_500
    crossing = side[network.edges[:, 0]] != side[network.edges[:, 1]]
    assert set(network.kind[crossing]) <= {"bridge", "snap"}
    assert "bridge" in set(network.kind[crossing])


def test_the_route_across_uses_the_bridge_at_its_speed(tmp_path: Path) -> None:
    network = build_network(two_islands(tmp_path))
    path = nx.shortest_path(network.graph, "site:W", "site:E", weight="minutes_car")
    kinds = [network.graph.edges[u, v]["kind"] for u, v in zip(path[:-1], path[1:], strict=True)]
    assert "bridge" in kinds
    bridge = network.graph.edges["link:bridge:a", "link:bridge:b"]
    assert bridge["minutes_car"] == pytest.approx(bridge["length_m"] / 1000 / 60 * 60)


def test_a_disconnected_node_in_a_matrix_request_names_it(tmp_path: Path) -> None:
    network = build_network(two_islands(tmp_path, bridge=False), strict=False)
    source = NetworkSource(network)
    with pytest.raises(TravelError, match="site:E cannot be reached from site:W"):
        source.minutes(["site:W"], ["site:E"], profile="car")
    with pytest.raises(TravelError, match="not in the travel network.*pc4:9999"):
        source.minutes(["pc4:9999"], ["site:E"], profile="car")


def test_ferry_minutes_are_crossing_plus_waiting(tmp_path: Path) -> None:
    land = two_islands(tmp_path, bridge=False, ferry=True)
    network = build_network(land)
    ferry = network.graph.edges["link:ferry:a", "link:ferry:b"]
    assert ferry["minutes_car"] == ferry["minutes_ambulance"] == 50.0
    longer = build_network(land, DEFAULT_SETTINGS.replace(travel={"ferry_waiting_minutes": 60.0}))
    assert longer.graph.edges["link:ferry:a", "link:ferry:b"]["minutes_car"] == 80.0
    m = demand_site_minutes(land, "car", cache=False)
    assert m.loc["2221", "W"] > 50.0  # every trip across takes the ferry


def test_matrices_are_symmetric_and_obey_the_triangle_inequality(tmp_path: Path) -> None:
    land = two_islands(tmp_path)
    source = NetworkSource(build_network(land))
    nodes = [f"pc4:{p}" for p in land.pc4.index] + ["site:W", "site:E", "post:P"]
    for profile in ("car", "ambulance"):
        t = source.minutes(nodes, nodes, profile=profile)
        np.testing.assert_allclose(t, t.T, rtol=1e-9)
        assert np.all(np.diag(t) == 0)
        # t[a, c] <= t[a, b] + t[b, c] for all a, b, c
        assert np.all(t[:, None, :] <= t[:, :, None] + t[None, :, :] + 1e-9)


def test_demand_and_post_matrices_have_sorted_ids(tmp_path: Path) -> None:
    land = two_islands(tmp_path)
    m = demand_site_minutes(land, "ambulance", cache=False)
    assert list(m.columns) == ["E", "W"] and m.index.name == "pc4"
    assert list(m.index) == sorted(land.pc4.index)
    p = post_demand_minutes(land, "ambulance", cache=False)
    assert p.shape == (1, 50) and p.index.name == "post_id"
    # the site's own square is nearer than the other square
    assert m.loc["1220", "W"] < m.loc["1220", "E"]
    with pytest.raises(ScenarioError, match="Unknown site id.*NOPE"):
        demand_site_minutes(land, sites=["NOPE"], cache=False)


def test_cache_is_used_and_keyed_by_the_constants(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    land = two_islands(tmp_path)
    cache = tmp_path / "cache"
    first = demand_site_minutes(land, "car", cache_dir=cache)
    assert len(list(cache.glob("travel-*.matrix"))) == 1

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("computed again although cached")

    monkeypatch.setattr(DefaultNetworkSource, "minutes", fail)
    again = demand_site_minutes(land, "car", cache_dir=cache)
    pd.testing.assert_frame_equal(first, again)
    monkeypatch.undo()
    faster = DEFAULT_SETTINGS.replace(travel={"car_speed_short_kmh": 60.0})
    changed = demand_site_minutes(land, "car", settings=faster, cache_dir=cache)
    assert len(list(cache.glob("travel-*.matrix"))) == 2
    assert (changed.to_numpy() <= first.to_numpy() + 1e-9).all()
    assert (changed.to_numpy() < first.to_numpy()).any()


def test_composite_is_nearest_post_plus_fixed_plus_drive(tmp_path: Path) -> None:
    land = two_islands(tmp_path)
    settings = DEFAULT_SETTINGS.replace(travel={"regime": "rivm2019"})  # speed factor 1
    comp = composite_minutes(
        land, site_ids=["E", "W"], post_ids=["P"], settings=settings, cache=False
    )
    to_site = demand_site_minutes(land, "ambulance", cache=False)
    from_post = post_demand_minutes(land, "ambulance", cache=False)
    fixed, _ = composite_parameters(settings.travel)
    expected = to_site.add(from_post.loc["P"] + fixed, axis=0)
    pd.testing.assert_frame_equal(comp, expected)
    with pytest.raises(ScenarioError, match="at least one ambulance post"):
        composite_minutes(land, site_ids=["W"], post_ids=[], cache=False)


def test_a_user_matrix_file_replaces_the_network(tmp_path: Path) -> None:
    land = two_islands(tmp_path)
    pc4 = sorted(land.pc4.index)
    table = pd.DataFrame(
        {"pc4": pc4, "W": np.arange(len(pc4), dtype=float), "E": 100.0 + np.arange(len(pc4))}
    )
    path = tmp_path / "minutes.csv"
    table.to_csv(path, index=False)
    m = demand_site_minutes(land, "car", source=MatrixFileSource(path), cache=False)
    assert m.loc[pc4[3], "W"] == 3.0 and m.loc[pc4[3], "E"] == 103.0
    with pytest.raises(TravelError, match="lacks 1 post id.*post:P"):
        post_demand_minutes(land, "car", source=MatrixFileSource(path), cache=False)
    table.loc[2, "E"] = -1
    table.to_csv(path, index=False)
    with pytest.raises(DataError, match="column site:E.*minutes"):
        demand_site_minutes(land, "car", source=MatrixFileSource(path), cache=False)


def test_a_road_graph_replaces_the_network(tmp_path: Path) -> None:
    """A hand-made directed road graph: one-way streets are respected."""
    land = two_islands(tmp_path)
    x0, y0 = 140_000.0, 450_000.0
    graph = nx.DiGraph(crs="EPSG:28992")
    graph.add_node("w", x=x0 + 5_000, y=y0 + 5_000)
    graph.add_node("e", x=x0 + 18_000, y=y0 + 5_000)
    graph.add_node("s", x=x0 + 2_000, y=y0 + 2_000)
    graph.add_edge("w", "e", travel_time=600.0)  # 10 min
    graph.add_edge("e", "w", travel_time=900.0)  # 15 min back (one-way detour)
    graph.add_edge("s", "w", travel_time=120.0)
    graph.add_edge("w", "s", travel_time=120.0)
    source = RoadGraphSource(graph, land)
    minutes = source.minutes(["site:W", "site:E", "post:P"], ["site:E", "site:W"], profile="car")
    np.testing.assert_allclose(minutes, [[10.0, 0.0], [0.0, 15.0], [12.0, 2.0]])
    m = demand_site_minutes(land, "car", source=source, cache=False)
    assert m.loc["1000", "E"] == pytest.approx(12.0)  # pc4 1000 joins node s


def test_fixed_links_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "fixed_links.csv"
    path.write_text(LINK_HEADER + "x,X,ferry,,5,52,5.1,52.1,,,20,,\n")
    with pytest.raises(DataError, match=r"needs waiting_minutes.*\n.*source is empty"):
        load_fixed_links(path)
    with pytest.raises(DataError, match="is missing"):
        load_fixed_links(tmp_path / "nope.csv")


def test_embedded_fixed_links_all_have_a_source() -> None:
    from zorglandschap.landscape import default_regions_dir

    links = load_fixed_links(default_regions_dir() / "fixed_links.csv")
    ferries = links[links["kind"] == "ferry"]
    assert len(ferries) == 5
    assert ferries["source"].str.contains("timetable").all()
    assert ferries["source"].str.contains("waiting: assumption").all()
    assert {"westerscheldetunnel", "zeelandbrug", "moerdijkbrug"} <= set(links.index)


def test_utrecht_extract_builds_and_matrices_are_plausible(utrecht: object) -> None:
    m = demand_site_minutes(utrecht, "car", cache=False)
    nearest = m.min(axis=1)
    assert nearest.median() < 15  # most of ROAZ Utrecht lives near a hospital
    assert nearest.max() < 45


def test_express_layer_is_optional_and_never_slower(tmp_path: Path) -> None:
    land = two_islands(tmp_path)
    network = build_network(land)
    assert {"express", "ramp"} <= set(network.kind)
    local = build_network(land, DEFAULT_SETTINGS.replace(travel={"express_max_km": 0.0}))
    assert not any(n.startswith("express:") for n in local.node_ids)
    nodes = [f"pc4:{p}" for p in land.pc4.index]
    for profile in ("car", "ambulance"):
        with_express = NetworkSource(network).minutes(nodes, nodes, profile=profile)
        without = NetworkSource(local).minutes(nodes, nodes, profile=profile)
        assert np.all(with_express <= without + 1e-9)  # a layer only adds routes


def test_the_rural_factor_slows_cars_on_rural_edges_only() -> None:
    travel = DEFAULT_SETTINGS.travel.__class__(car_rural_speed_factor=0.5)
    plain = DEFAULT_SETTINGS.travel.__class__(car_rural_speed_factor=1.0)
    length = np.array([5_000.0, 5_000.0, 5_000.0])
    density = np.array([100.0, 1_000.0, 3_000.0])  # rural, in between, urban
    ratio = edge_minutes(length, density, "car", travel) / edge_minutes(
        length, density, "car", plain
    )
    np.testing.assert_allclose(ratio, [2.0, 1.0, 1.0])
    np.testing.assert_array_equal(
        edge_minutes(length, density, "ambulance", travel),
        edge_minutes(length, density, "ambulance", plain),
    )
