"""The vocabulary: every enumerated word the package uses, spelled once.

Each term is a ``Literal`` (for type checkers) and a tuple of its values (for validation and
loops), and nothing else in the package spells these values out as lists of its own.

>>> TIME_BLOCKS
('day', 'evening', 'night', 'weekend')
>>> "spoedpost" in SCENARIO_SEH_STATES and "spoedpost" not in SEH_STATES
True
>>> unalias("Nacht", BLOCK_ALIASES), unalias("gemeente", LAYER_ALIASES), unalias("roaz", LAYER_ALIASES)
('night', 'municipality', 'roaz')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

#: Time blocks of the access analysis and the spreading model. ANW = avond, nacht, weekend.
TimeBlock = Literal["day", "evening", "night", "weekend"]
TIME_BLOCKS: tuple[TimeBlock, ...] = get_args(TimeBlock)

#: Dutch names of the time blocks, accepted wherever a block is given (``--block nacht``,
#: ``blocks = ["avond"]``): dag, avond, nacht, weekend.
BLOCK_ALIASES: dict[str, TimeBlock] = {
    "dag": "day",
    "avond": "evening",
    "nacht": "night",
    "weekend": "weekend",
}

#: SEH state of a hospital location in the data (RIVM lists): open 24/7, limited hours, none.
SehState = Literal["24/7", "limited", "none"]
SEH_STATES: tuple[SehState, ...] = get_args(SehState)

#: SEH state a scenario can give a site: the data's states plus a poliklinische
#: spoedzorglocatie ("spoedpost": self-referrals only, no ambulance intake).
ScenarioSehState = Literal["24/7", "limited", "spoedpost", "none"]
SCENARIO_SEH_STATES: tuple[ScenarioSehState, ...] = get_args(ScenarioSehState)

#: The SEH states that take ambulances (in the blocks they are open).
AMBULANCE_SEH_STATES: tuple[ScenarioSehState, ...] = ("24/7", "limited")

#: Acute services whose reach the access analysis measures: SEH and acute obstetrics (AV).
Service = Literal["seh", "av"]
SERVICES: tuple[Service, ...] = get_args(Service)

#: Availability of an ambulance post (RIVM labels mapped in regions/build.py).
PostAvailability = Literal["24/7", "day_evening", "night", "turnout"]
POST_AVAILABILITY: tuple[PostAvailability, ...] = get_args(PostAvailability)

#: Region layers (each a column of the municipalities table, see ``landscape.REGION_LAYERS``).
RegionLayer = Literal["municipality", "province", "vr", "zorgkantoor", "roaz", "iza", "iza42"]
REGION_LAYER_NAMES: tuple[RegionLayer, ...] = get_args(RegionLayer)

#: Dutch names of region layers, accepted wherever a layer is given (``--by gemeente``,
#: ``--region provincie:Zeeland``).
LAYER_ALIASES: dict[str, RegionLayer] = {"gemeente": "municipality", "provincie": "province"}

#: Region layers a reach or sensitivity table can be grouped by.
BY_CHOICES: tuple[RegionLayer, ...] = ("roaz", "iza", "iza42", "province", "municipality")

#: Region layers a concentration plan can guarantee sites per.
GuaranteeLayer = Literal["roaz", "iza"]
GUARANTEE_LAYERS: tuple[GuaranteeLayer, ...] = get_args(GuaranteeLayer)

#: Demand levels a concentration model is solved on.
DemandLevel = Literal["municipality", "pc4"]
DEMAND_LEVELS: tuple[DemandLevel, ...] = get_args(DemandLevel)

#: Objectives of a concentration question: ``disruption`` (the round table's: disruption
#: first — teams that stop or start, patients who change hospital — then travel) or ``travel``.
ConcentrationObjective = Literal["disruption", "travel"]
CONCENTRATION_OBJECTIVES: tuple[ConcentrationObjective, ...] = get_args(ConcentrationObjective)

#: Named candidate-site rules of a concentration model (or an explicit list of site ids).
EligibleRule = Literal["all", "seh_24_7", "seh"]
ELIGIBLE_RULES: tuple[EligibleRule, ...] = get_args(EligibleRule)

#: Travel-time profiles of the network.
Profile = Literal["ambulance", "car"]
PROFILES: tuple[Profile, ...] = get_args(Profile)

#: Units a user travel-time matrix can be given in (converted to minutes on reading).
MatrixUnit = Literal["minutes", "seconds", "hours"]
MATRIX_UNITS: tuple[MatrixUnit, ...] = get_args(MatrixUnit)

#: Named calibration regimes of the RIVM 45-minute composite (``settings.REGIMES``): RIVM's
#: reach model before its 2021 update of the ambulance speeds, and after it.
RegimeName = Literal["rivm2019", "rivm2022"]
REGIME_NAMES: tuple[RegimeName, ...] = get_args(RegimeName)

#: The figures RIVM publishes about its reach analysis: inhabitants beyond 45 minutes of an SEH
#: or acute obstetrics (AV), and the number of sensitive SEH and AV locations.
RivmMeasure = Literal["beyond_seh", "beyond_av", "sensitive_seh", "sensitive_av"]
RIVM_MEASURES: tuple[RivmMeasure, ...] = get_args(RivmMeasure)

#: Honest solve statuses (see ``optimise.solver``), best first.
Status = Literal["optimal", "feasible", "infeasible", "no_solution"]
STATUSES: tuple[Status, ...] = get_args(Status)

#: Solvers behind PuLP.
SolverName = Literal["highs", "cbc"]
SOLVER_NAMES: tuple[SolverName, ...] = get_args(SolverName)

#: Years for which the landscape holds a site state (services per site).
SITE_YEARS: tuple[int, ...] = (2019, 2025)


def unalias(value: str, aliases: Mapping[str, str]) -> str:
    """``value`` in the vocabulary's own words: a Dutch alias is replaced by its English term
    (case ignored); anything else is returned as it is, to be checked by the caller."""
    return aliases.get(value.strip().lower(), value)
