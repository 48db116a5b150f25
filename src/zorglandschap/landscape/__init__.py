"""The embedded Netherlands: load and validate ``regions/`` into a typed :class:`Landscape`.

One call, :func:`load_landscape`, reads the committed data files (built from public CBS and
RIVM sources by ``regions/build.py``; provenance in ``regions/PROVENANCE.md``), checks them and
returns GeoDataFrames. Every problem found is reported at once, naming the file, the line and
the fix.

The package has one module per job:

- :mod:`.model`: the :class:`Landscape` dataclass and its views (services per site, region
  layers, extracts, population scaling, the summary);
- :mod:`.schema`: the files, their columns, ids and numeric columns, and :data:`REGION_LAYERS`;
- :mod:`.reading`: finding the folder and reading the files (:func:`load_landscape`);
- :mod:`.validation`: the checks, each naming file, line, column and fix;
- :mod:`.state`: the site state an analysis runs on.

Examples
--------
>>> from zorglandschap.landscape import load_landscape
>>> nl = load_landscape()
>>> len(nl.municipalities), nl.municipalities["roaz"].nunique(), nl.municipalities["iza"].nunique()
(342, 11, 38)
>>> int((nl.sites["seh_2019"] == "24/7").sum())
83
"""

from __future__ import annotations

from zorglandschap.landscape.model import Landscape
from zorglandschap.landscape.reading import default_regions_dir, load_landscape
from zorglandschap.landscape.schema import AGE_BANDS, FILES, NL_BOUNDS, REGION_LAYERS, FileSpec
from zorglandschap.vocab import POST_AVAILABILITY, SEH_STATES, SITE_YEARS, RegionLayer

__all__ = [
    "AGE_BANDS",
    "FILES",
    "NL_BOUNDS",
    "POST_AVAILABILITY",
    "REGION_LAYERS",
    "SEH_STATES",
    "SITE_YEARS",
    "FileSpec",
    "Landscape",
    "RegionLayer",
    "default_regions_dir",
    "load_landscape",
]
