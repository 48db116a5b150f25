"""Open a map in headless Chromium with no network: its screenshot, JavaScript errors and layers.

The page is a copy of the map with a probe: a script at the top of the head records every
JavaScript error (and any script or stylesheet that fails to load), and one at the end of the
body writes, once the page has loaded, what Leaflet drew (markers by fill colour, GeoJSON
features, permanent labels, the layer control's entries) into a ``<pre id="zl-probe">``.
Chromium runs with its proxy at 127.0.0.1:9 (nothing listens there), so any request for the
network fails: the map must work from its own bytes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

_ERRORS = """<script>
window.__zlErrors = [];
window.addEventListener("error", function (e) {
  var t = e.target;
  if (t && t !== window && (t.tagName === "SCRIPT" || t.tagName === "LINK")) {
    window.__zlErrors.push("failed to load " + (t.src || t.href));
  } else if (!t || t === window) {
    window.__zlErrors.push(String(e.message));
  }
}, true);
window.addEventListener("unhandledrejection", function (e) {
  window.__zlErrors.push("unhandled rejection " + String(e.reason));
});
</script>"""

_PROBE = """<script>
window.addEventListener("load", function () { setTimeout(function () {
  var out = {errors: window.__zlErrors, maps: 0, markers: {}, labels: [], features: 0,
             overlays: [], bases: [], zoom: null, bounds: null, leaflet: typeof L};
  Object.keys(window).forEach(function (k) {
    var m = window[k];
    if (typeof L === "undefined" || !(m instanceof L.Map)) { return; }
    out.maps += 1; out.zoom = m.getZoom(); out.bounds = m.getBounds().toBBoxString();
    out.labels_hidden = m.getContainer().classList.contains("zl-far");
    m.eachLayer(function (layer) {
      if (layer instanceof L.CircleMarker) {
        var c = layer.options.fillColor || layer.options.color;
        out.markers[c] = (out.markers[c] || 0) + 1;
      }
      if (layer.feature) { out.features += 1; }
      var tip = layer.getTooltip && layer.getTooltip();
      if (tip && tip.options.permanent) {
        var d = document.createElement("div"); d.innerHTML = String(tip.getContent());
        out.labels.push(d.textContent.trim());
      }
    });
  });
  document.querySelectorAll(".leaflet-control-layers-overlays label span span, " +
      ".leaflet-control-layers-overlays label > span").forEach(function (e) {
    if (e.children.length === 0) { out.overlays.push(e.textContent.trim()); } });
  document.querySelectorAll(".leaflet-control-layers-base label span span, " +
      ".leaflet-control-layers-base label > span").forEach(function (e) {
    if (e.children.length === 0) { out.bases.push(e.textContent.trim()); } });
  // the site labels on screen, and those hidden where they collide: [text, l, t, r, b]
  out.label_boxes = []; out.labels_collided = [];
  document.querySelectorAll(".zl-label").forEach(function (e) {
    var r = e.getBoundingClientRect(), box = [e.textContent.trim(), r.left, r.top, r.right, r.bottom];
    if (r.width === 0) { return; }
    (getComputedStyle(e).visibility === "hidden" ? out.labels_collided : out.label_boxes).push(box);
  });
  var pre = document.createElement("pre"); pre.id = "zl-probe";
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
}, 600); });  // after Leaflet's first zoom animation (250 ms): labels settled
</script>"""


@dataclass(frozen=True)
class Opened:
    """What the browser showed: pixels (H x W x 3), the probe's findings, the page's DOM."""

    pixels: np.ndarray
    probe: dict[str, Any]
    dom: str

    def shows(self, colour: str, *, box: tuple[int, int, int, int] | None = None) -> int:
        """How many pixels (inside ``box`` = left, top, right, bottom) are close to ``colour``."""
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        pixels = self.pixels if box is None else self.pixels[box[1] : box[3], box[0] : box[2]]
        return int((np.abs(pixels.astype(int) - rgb).max(axis=2) < 12).sum())

    def non_background(self, background: str, box: tuple[int, int, int, int]) -> float:
        """Share of the pixels inside ``box`` that differ from ``background``."""
        inside = self.pixels[box[1] : box[3], box[0] : box[2]].reshape(-1, 3).astype(int)
        rgb = np.array([int(background[i : i + 2], 16) for i in (1, 3, 5)])
        return float((np.abs(inside - rgb).max(axis=1) >= 12).mean())


def chromium() -> str:
    """The headless browser, or skip the test saying how to get it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("needs Debian's chromium (.ci/run installs it: apt-get install chromium)")
    return found


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-quic", f"--user-data-dir={profile}", "--virtual-time-budget=10000",
            *args,
        ],
        capture_output=True, text=True, timeout=180, check=True,
    )  # fmt: skip


def open_offline(html: str, folder: Path, *, size: tuple[int, int] = (1400, 1000)) -> Opened:
    """Open ``html`` (a whole page) offline at ``size``: screenshot, probe and DOM."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    head = html.index("<head>") + len("<head>")
    probed = html[:head] + _ERRORS + html[head:]
    end = probed.rindex("</body>") if "</body>" in probed else len(probed)
    probed = probed[:end] + _PROBE + probed[end:]
    page = folder / "page.html"
    page.write_text(probed, encoding="utf-8")
    shot = folder / "shot.png"
    window = f"--window-size={size[0]},{size[1]}"
    _run([window, f"--screenshot={shot}", page.as_uri()], folder / "profile-shot")
    dom = _run([window, "--dump-dom", page.as_uri()], folder / "profile-dom").stdout
    start = dom.index('<pre id="zl-probe">') + len('<pre id="zl-probe">')
    text = dom[start : dom.index("</pre>", start)]
    text = text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
    probe = json.loads(text.replace("&amp;", "&"))
    image = Image.open(shot).convert("RGB")
    assert image.size == size
    return Opened(pixels=np.asarray(image), probe=probe, dom=dom)
