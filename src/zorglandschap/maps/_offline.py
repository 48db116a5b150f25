"""Self-contained maps: Leaflet and jQuery inlined into the page instead of loaded from CDNs.

folium's :class:`folium.Map` links ten CDN resources (``folium.folium._default_js`` and
``_default_css``). :class:`OfflineMap` links none and :func:`inline_assets` puts the two the
maps need into the page header, from the copies vendored in ``maps/assets/`` (versions,
licences and checksums in ``maps/assets/README.md``). The rest serve ``folium.Marker`` icons,
which these maps do not draw (:data:`UNUSED`). Tiles still come from the tile server when the
browser is online; offline the map draws its own layers on the plain background of
:data:`BACKGROUND`.

>>> css, js = asset_text("leaflet.css"), asset_text("leaflet.js")
>>> "url(data:image/png;base64," in css and "sourceMappingURL" not in js
True
"""

from __future__ import annotations

import base64
import functools
import re
from importlib import resources

import branca
import folium

#: folium's default resources that the maps do not use (they serve ``folium.Marker`` icons).
UNUSED: tuple[str, ...] = (
    "bootstrap",
    "awesome_markers",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers_font_css",
    "awesome_markers_css",
    "awesome_rotate_css",
)
#: folium's default resources inlined from ``maps/assets/`` (name → vendored file).
INLINED: dict[str, str] = {
    "leaflet": "leaflet.js",
    "jquery": "jquery.min.js",
    "leaflet_css": "leaflet.css",
}
#: The map's background where no tile is drawn (offline): a light grey-blue, so that the land
#: drawn by the map's own layers stands out.
BACKGROUND = "#e4ecf1"

_SOURCE_MAP = re.compile(r"\n?/[/*]# sourceMappingURL=[^\n]*")
_CSS_IMAGE = re.compile(r"url\(images/([a-z0-9-]+\.png)\)")


class OfflineMap(folium.Map):
    """A :class:`folium.Map` that links no CDN resource (see :func:`inline_assets`)."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []


@functools.cache
def asset_text(name: str) -> str:
    """A vendored asset as text, ready to inline: no source-map comment; images referenced by a
    stylesheet become data URIs."""
    text = resources.files("zorglandschap.maps").joinpath("assets", name).read_text("utf-8")
    text = _SOURCE_MAP.sub("", text)
    if name.endswith(".css"):
        text = _CSS_IMAGE.sub(lambda match: f"url({_data_uri(match.group(1))})", text)
    return text


def _data_uri(image: str) -> str:
    data = resources.files("zorglandschap.maps").joinpath("assets", image).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def inline_assets(m: folium.Map) -> None:
    """Put Leaflet, its stylesheet and jQuery into the page header, before everything else.

    Checks that every resource folium would link is either inlined or known to be unused, so
    that a folium upgrade adding a resource fails loudly instead of silently needing the
    network.
    """
    wanted = [name for name, _ in (*folium.Map.default_js, *folium.Map.default_css)]
    unknown = [name for name in wanted if name not in INLINED and name not in UNUSED]
    if unknown:
        raise RuntimeError(
            f"folium links resources the offline map does not know: {', '.join(unknown)}; "
            "vendor them into maps/assets/ (make browser-assets) or list them as unused."
        )
    scripts = "".join(
        f"<script>{asset_text(INLINED[name])}</script>\n"
        for name, _ in folium.Map.default_js
        if name in INLINED
    )
    styles = "".join(
        f"<style>{asset_text(INLINED[name])}</style>\n"
        for name, _ in folium.Map.default_css
        if name in INLINED
    )
    background = f"<style>.leaflet-container {{ background: {BACKGROUND}; }}</style>\n"
    page = m.get_root()
    assert isinstance(page, branca.element.Figure)
    page.header.add_child(
        branca.element.Element(scripts + styles + background), name="inlined_assets", index=1
    )
