"""``zorglandschap data``: what the embedded Netherlands holds."""

from __future__ import annotations

from rich.table import Table

from zorglandschap.cli.app import JsonOption, RegionsOption, app, console, print_json
from zorglandschap.landscape import load_landscape


@app.command()
def data(regions: RegionsOption = None, as_json: JsonOption = False) -> None:
    """Summarise the embedded Netherlands: counts per layer, population, sites per year."""
    summary = load_landscape(regions).summary()
    if as_json:
        print_json(summary)
        return
    table = Table(title=f"Embedded Netherlands ({summary['source']})", show_header=True)
    table.add_column("layer")
    table.add_column("count", justify="right")
    rows = [
        ("municipalities (CBS 2024)", summary["municipalities"]),
        ("PC4 demand points", summary["pc4"]),
        (f"population ({summary['population_year']})", f"{summary['population']:,}"),
        ("provinces", summary["provinces"]),
        ("veiligheidsregio's (RAV)", summary["veiligheidsregios"]),
        ("zorgkantoorregio's", summary["zorgkantoorregios"]),
        ("ROAZ regions", summary["roaz_regions"]),
        ("IZA regions (38; 42 SPUK)", f"{summary['iza_regions']} ({summary['iza42_regions']})"),
        ("hospital locations (RIVM 2019 list)", summary["hospital_locations"]),
        ("outpatient clinics (2016)", summary["outpatient_clinics"]),
        ("ambulance posts (2019)", sum(summary["ambulance_posts"].values())),
        ("interventions with a volume norm", summary["interventions_with_norm"]),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    services = Table(title="Sites by service", show_header=True)
    services.add_column("service")
    for year in summary["seh_24_7"]:
        services.add_column(year, justify="right")
    for key, label in [
        ("seh_24_7", "SEH 24/7"),
        ("seh_limited", "SEH limited hours"),
        ("acute_obstetrics", "acute obstetrics (AV)"),
        ("nicu", "NICU"),
    ]:
        services.add_row(label, *(str(v) for v in summary[key].values()))
    console.print(services)
