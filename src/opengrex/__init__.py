"""opengrex — financial steering of Dutch area development (gebiedsontwikkeling).

The documented Python API (the CLI and the web app call the same functions)::

    import opengrex
    grex = opengrex.load_grex("examples/demo-grex.yaml")      # validate (errors name file, line, field)
    result = opengrex.calculate_grex(grex)                     # numpy engine
    result.ncw, result.eindwaarde, result.contante_waarde      # floats [EUR]
    result.yearly_frame()                                      # pandas DataFrame per year
    result.explain("ncw")                                      # inputs, rule, source of a figure
    opengrex.export_grex_xlsx(grex, "grex.xlsx")               # workbook with live formulas

Kostenverhaal (``load_case``, ``calculate_case``), financiële bijdrage (``load_bijdrage_input``,
``calculate_bijdrage``), eindafrekening and programmes (``load_programme``, ``calculate_programme``,
``run_scenarios``, ``run_risk``) and the BBV portfolio (``load_portfolio``, ``value_portfolio``, ``roll_portfolio``,
``close_grex``, ``calculate_renteschema``, ``portfolio_risk``) and the plankostenscan (``load_plankosten``,
``calculate_plankosten``, ``toets_plankostenscan``) follow the same pattern; spatial screening (``screen``,
``load_regelset``, ``location_map_png``), the target monitor (``doelen_register``, ``controle``, ``voortgang``) and
the regional profile (``regio_profiel``) too, and gebiedsbegrotingen (``load_gebied``, ``calculate_gebied``,
``compare_rule_sets``, ``governance_advice``); see README.md.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # errors
    "OpengrexError": "opengrex.errors",
    "InputError": "opengrex.errors",
    "InputErrors": "opengrex.errors",
    # grondexploitatie
    "Grex": "opengrex.model.grex",
    "load_grex": "opengrex.services.grex",
    "grex_from_dict": "opengrex.services.grex",
    "grex_from_text": "opengrex.services.grex",
    "grex_to_dict": "opengrex.services.grex",
    "calculate_grex": "opengrex.services.grex",
    "boekwaarde_op": "opengrex.services.grex",
    "GrexResult": "opengrex.services.grex",
    "export_grex_xlsx": "opengrex.io.xlsx_export",
    "write_grex_template": "opengrex.io.xlsx_template",
    "import_grex_xlsx": "opengrex.io.xlsx_template",
    # code lists and parameters
    "kostensoorten": "opengrex.codes",
    "get_kostensoort": "opengrex.codes",
    "load_parameter_set": "opengrex.parameters",
    # kostenverhaal
    "load_case": "opengrex.services.kostenverhaal",
    "case_from_dict": "opengrex.services.kostenverhaal",
    "calculate_case": "opengrex.services.kostenverhaal",
    "load_bijdrage_input": "opengrex.services.bijdrage",
    "calculate_bijdrage": "opengrex.services.bijdrage",
    "plan_contribution": "opengrex.services.bijdrage",
    "case_from_text": "opengrex.services.kostenverhaal",
    "case_to_dict": "opengrex.services.kostenverhaal",
    "load_eindafrekening": "opengrex.services.eindafrekening",
    "calculate_eindafrekening": "opengrex.services.eindafrekening",
    # plankosten (Omgevingsregeling hoofdstuk 13)
    "load_plankosten": "opengrex.services.plankosten",
    "plankosten_from_dict": "opengrex.services.plankosten",
    "plankosten_to_dict": "opengrex.services.plankosten",
    "calculate_plankosten": "opengrex.services.plankosten",
    "calculate_plankosten_batch": "opengrex.services.plankosten",
    "toets_plankostenscan": "opengrex.services.plankosten",
    "plankosten_tabellen": "opengrex.services.plankosten",
    "load_plankosten_parameters": "opengrex.parameters.plankosten",
    "export_plankosten_xlsx": "opengrex.io.xlsx_plankosten",
    "write_plankosten_template": "opengrex.io.xlsx_plankosten",
    # programmes
    "load_programme": "opengrex.services.programma",
    "calculate_programme": "opengrex.services.programma",
    "compare_versions": "opengrex.services.programma",
    "run_scenarios": "opengrex.services.programma",
    "run_risk": "opengrex.services.programma",
    # BBV: jaarrekening and portfolio (MPG)
    "Portefeuille": "opengrex.model.bbv",
    "load_portfolio": "opengrex.services.bbv",
    "portfolio_from_dict": "opengrex.services.bbv",
    "save_portfolio": "opengrex.services.bbv",
    "value_portfolio": "opengrex.services.bbv",
    "value_grex": "opengrex.services.bbv",
    "roll_portfolio": "opengrex.services.bbv",
    "roll_grex": "opengrex.services.bbv",
    "close_grex": "opengrex.services.bbv",
    "reopen_grex": "opengrex.services.bbv",
    "portfolio_risk": "opengrex.services.bbv",
    "load_renteschema": "opengrex.services.bbv",
    "calculate_renteschema": "opengrex.services.bbv",
    "read_ledger": "opengrex.io.ledger",
    "export_portfolio_xlsx": "opengrex.io.xlsx_bbv",
    # ruimte: Water en bodem sturend (screening), monitor, regio
    "screen": "opengrex.services.ruimte",
    "prepare_rules": "opengrex.services.ruimte",
    "load_regelset": "opengrex.services.ruimte",
    "regelset_versies": "opengrex.services.ruimte",
    "keuze_teksten": "opengrex.services.ruimte",
    "location_map_png": "opengrex.services.ruimte",
    "ScreeningResult": "opengrex.services.ruimte",
    "doelen_register": "opengrex.services.monitor",
    "doel_historie": "opengrex.services.monitor",
    "controle": "opengrex.services.monitor",
    "load_pijplijn": "opengrex.services.monitor",
    "voortgang": "opengrex.services.monitor",
    "regio_profiel": "opengrex.services.monitor",
    # gebiedsbegroting, gebiedsfonds, spelregels (seed 001 pijler 5) and the governance beslisboom
    "Gebied": "opengrex.model.gebied",
    "load_gebied": "opengrex.services.gebied",
    "gebied_from_dict": "opengrex.services.gebied",
    "gebied_from_text": "opengrex.services.gebied",
    "gebied_to_dict": "opengrex.services.gebied",
    "calculate_gebied": "opengrex.services.gebied",
    "compare_rule_sets": "opengrex.services.gebied",
    "GebiedResult": "opengrex.services.gebied",
    "write_gebied_xlsx": "opengrex.io.xlsx_gebied",
    "load_beslisboom": "opengrex.services.governance",
    "governance_advice": "opengrex.services.governance",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import public names lazily, so ``import opengrex`` stays fast and light."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'opengrex' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
