"""Reports: results as tables and GIS layers (:mod:`~zorglandschap.report.layers`), and the
writers that put them in files (:mod:`~zorglandschap.report.writers`)."""

from zorglandschap.report.layers import concentration_layers, patient_centres, reach_municipalities
from zorglandschap.report.writers import save_layers

__all__ = ["concentration_layers", "patient_centres", "reach_municipalities", "save_layers"]
