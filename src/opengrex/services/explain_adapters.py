"""TEMPORARY adapters: today's explain outputs of each kind wrapped into the one
:class:`~opengrex.engine.explain.Explanation` type, so CLI, REST API and pages can present every kind the same way
now.

TO BE REPLACED (issue #9 item 6): each kind's service gets its own ``explain(result, kengetal) -> Explanation``
built from ``@rule`` metadata on the engine functions; the coordinator then points the registry entries in
:mod:`opengrex.services.kinds` at those functions and deletes this module. Until then:

- grex: wraps :meth:`opengrex.services.grex.GrexResult.explain` (a dict with a function path as text);
- programma: wraps :meth:`opengrex.services.programma.ProgrammeResult.explain`;
- kostenverhaal: wraps ``CaseResult.explain_cap()`` and ``CaseResult.volgordelijkheid()`` (text and rows);
- eindafrekening: wraps ``EindafrekeningResult.uitleg`` (text);
- bijdrage: the totals of tabel 1 and 2 and the rates of tabel 5.

The rule of each explanation names a real engine function (resolvable); a cited path that does not resolve (the
programme's ``calculate(zero_rates=True)``) is cut to the function it names.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opengrex.engine import bijdrage as bijdrage_rules
from opengrex.engine import eindafrekening as eind_rules
from opengrex.engine import kostenverhaal as kv_rules
from opengrex.engine.explain import RULE_ATTR, Explanation, Input, ParameterUse, RuleInfo, resolve
from opengrex.errors import InputError
from opengrex.formatting import eur

GREX_KENGETALLEN = ("ncw", "eindwaarde", "contante_waarde", "badkuip", "irr", "boekwaarde:JAAR", "rente:JAAR", "saldo:JAAR")
PROGRAMMA_KENGETALLEN = ("ncw", "rentedeel", "fonds", "badkuip")
KOSTENVERHAAL_KENGETALLEN = ("exploitatiebijdrage", "maximum", "niet_verhaalbaar", "volgordelijkheid")
EINDAFREKENING_KENGETALLEN = ("verschuldigd", "terugbetaling", "rente", "totaal_terug", "planschade")
BIJDRAGE_KENGETALLEN = ("netto_investeringen", "bedrag_nieuwe_plannen", "tarief:GEBIED:SEGMENT")


def _unknown(kengetal: str, allowed: tuple[str, ...]) -> InputError:
    return InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed=", ".join(allowed))


def _rule(fn: Callable[..., Any] | str, label: str, formule: str, bron: str) -> RuleInfo:
    """The rule metadata of ``fn``: its ``@rule`` when it has one, else built here (adapter only)."""
    if isinstance(fn, str):
        path = fn.split("(", 1)[0]
        try:
            fn = resolve(path)
        except (ImportError, AttributeError):
            return RuleInfo(path, label, formule, bron)
    info = getattr(fn, RULE_ATTR, None)
    if isinstance(info, RuleInfo):
        return info
    return RuleInfo(f"{fn.__module__}.{fn.__qualname__}", label, formule, bron)


def _unit_of(name: str, value: Any, money: str) -> str:
    n = name.lower()
    if isinstance(value, (list, dict)) and value and isinstance(value[0] if isinstance(value, list) else next(iter(value.values())), dict):
        return "-"
    if any(k in n for k in ("rente", "voet", "percentage", "aandeel")) and not any(k in n for k in ("bedrag", "deel")):
        return "%"
    if n in ("t_end", "t_y") or n.startswith("jaar"):
        return "jaar"
    if "datum" in n or "prijspeil" in n or n == "timing":
        return "-"
    if "index" in n or "factor" in n:
        return "-"
    return money


def _from_dict(kengetal: str, label: str, eenheid: str, d: dict[str, Any], money: str) -> Explanation:
    """An :class:`Explanation` from a current explain dict ``{waarde, regel, functie, bron, invoer, parameters}``."""
    regel = _rule(d.get("functie", ""), label, str(d.get("regel", "")), str(d.get("bron", "")))
    inv = d.get("invoer", {})
    if isinstance(inv, dict):
        invoer = tuple(Input(str(k), v, _unit_of(str(k), v, money)) for k, v in inv.items())
    else:
        invoer = (Input("tabel", inv, "-"),)
    waarde = d.get("waarde")
    if isinstance(waarde, dict) and "diepste_boekwaarde" in waarde:  # badkuip: the depth, with its years as inputs
        invoer = (Input("jaar van de diepste boekwaarde", waarde.get("jaar"), "jaar"),
                  Input("terugverdienjaar", waarde.get("terugverdienjaar"), "jaar"), *invoer)
        waarde = waarde["diepste_boekwaarde"]
    params = tuple(ParameterUse(str(k), v, "-", bron="invoer van het document") for k, v in (d.get("parameters") or {}).items())
    return Explanation(kengetal, label, waarde, eenheid, regel, invoer, params)


# ---------------------------------------------------------------------------------------------- grex
def explain_grex(result: Any, kengetal: str) -> Explanation:
    """Grex: ``ncw``, ``eindwaarde``, ``contante_waarde``, ``badkuip``, ``irr``, or ``boekwaarde|rente|saldo:JAAR``."""
    g = result.grex
    figure, _, year_text = kengetal.partition(":")
    year = None
    if year_text:
        try:
            year = int(year_text)
        except ValueError:
            raise InputError("jaar is geen geheel getal", field="kengetal", value=kengetal, allowed="bijv. boekwaarde:2027") from None
        if year not in result.years:
            raise InputError("jaar buiten de looptijd", field="kengetal", value=kengetal, allowed=f"{result.years[0]}–{result.years[-1]}")
    try:
        d = result.explain(figure, year)
    except ValueError as exc:
        raise InputError(str(exc), field="kengetal", value=kengetal, allowed=", ".join(GREX_KENGETALLEN)) from None
    contant = f"EUR contant per {g.ncw_date.isoformat()}"
    labels = {
        "ncw": ("Netto contante waarde (BBV)", contant),
        "eindwaarde": ("Eindwaarde", f"EUR nominaal per 31-12-{g.end_year}"),
        "contante_waarde": ("Contante waarde van de kasstromen", contant),
        "badkuip": ("Badkuip: diepste boekwaarde", "EUR nominaal"),
        "irr": ("Interne rentevoet (IRR)", "%"),
        "boekwaarde": (f"Boekwaarde per 31-12-{year}", "EUR nominaal"),
        "rente": (f"Rente {year}", "EUR nominaal"),
        "saldo": (f"Saldo {year}", "EUR nominaal"),
    }
    label, unit = labels[figure]
    return _from_dict(kengetal, label, unit, d, "EUR")


# ---------------------------------------------------------------------------------------------- programma
def explain_programma(result: Any, kengetal: str) -> Explanation:
    """Programme: ``ncw``, ``rentedeel``, ``fonds``, ``badkuip``."""
    try:
        d = result.explain(kengetal)
    except InputError as exc:
        raise _unknown(kengetal, PROGRAMMA_KENGETALLEN) from exc
    contant = f"EUR contant per {result.programme.ncw_date.isoformat()}"
    label, unit = {
        "ncw": ("Netto contante waarde van het programma", contant),
        "rentedeel": ("Rentedeel van de NCW", contant),
        "fonds": ("Saldo van het fonds aan het eind", "EUR nominaal"),
        "badkuip": ("Badkuip van het programma", "EUR nominaal"),
    }[kengetal]
    return _from_dict(kengetal, label, unit, d, "EUR")


# ---------------------------------------------------------------------------------------------- kostenverhaal
KV_BRON = "art. 13.14 Omgevingswet / art. 6.16 Wro; Nota Kostenverhaal Soest 2023 §2.1.3, bijlage A2.3 en A5"


def explain_kostenverhaal(result: Any, kengetal: str) -> Explanation:
    """Kostenverhaal: ``exploitatiebijdrage``, ``maximum`` (macroaftopping or waardevermeerdering), ``niet_verhaalbaar``,
    ``volgordelijkheid`` (per category: verhaald and why)."""
    o, ini = result.outcome, result.inputs.partijen["initiatiefnemer"]
    zonder = result.case.tijdvak == "zonder"
    te_verhalen = float(o.demands[0].sum())
    invoer_cap = (
        (Input("opbrengsten initiatiefnemer", ini["totaal_opbrengsten"], "EUR"), Input("subsidies en bijdrages initiatiefnemer", ini["totaal_subsidies"], "EUR"),
         Input("kosten initiatiefnemer", ini["totaal_kosten"], "EUR"))
        if not zonder else
        (Input("kostenplafond", float(result.case.kostenplafond or 0.0), "EUR"), *[Input(f"waardevermeerdering {k['naam']}", k["waarde_na"] - k["waarde_voor"], "EUR") for k in result.inputs.kavels])
    )
    maximum = Explanation(
        "maximum", "Ten hoogste verhaalbaar" if not zonder else "Totale waardevermeerdering (zonder tijdvak)", result.cap, "EUR",
        _rule(kv_rules.macroaftopping if not zonder else kv_rules.zonder_tijdvak_kavels, "Macroaftopping",
              "max(0, opbrengsten + subsidies − kosten initiatiefnemer)" if not zonder else "per kavel: min(aandeel × begrensde kosten, waarde na − waarde voor)",
              KV_BRON if not zonder else "art. 13.14 lid 2 Omgevingswet; art. 8.18 Omgevingsbesluit"),
        invoer_cap, toelichting=tuple(result.explain_cap()[:2]))
    volg = result.volgordelijkheid()
    steps = tuple(
        Explanation(f"volgordelijkheid:{v['categorie']}", v["omschrijving"], v["verhaald"], "EUR",
                    _rule(kv_rules.volgordelijkheid, "Volgordelijkheid", "verhaald = min(te verhalen, ruimte onder de aftopping vóór deze categorie)", KV_BRON),
                    (Input("te verhalen", v["te_verhalen"], "EUR"), Input("ruimte vóór deze categorie", v["ruimte_voor"], "EUR"),
                     Input("niet verhaald", v["niet_verhaald"], "EUR")), toelichting=(v["reden"],))
        for v in volg
    )
    if kengetal == "maximum":
        return maximum
    if kengetal == "volgordelijkheid":
        return Explanation(kengetal, "Volgordelijkheid: verhaald per categorie", sum(v["verhaald"] for v in volg), "EUR",
                           _rule(kv_rules.volgordelijkheid, "Volgordelijkheid", "categorieën in volgorde, elk uit wat de aftopping na de vorige overlaat", KV_BRON),
                           (Input("ruimte onder de aftopping", result.cap, "EUR"), Input("te verhalen", te_verhalen, "EUR")),
                           toelichting=(result.explain_cap()[-1],), onderdelen=steps)
    if kengetal == "exploitatiebijdrage":
        return Explanation(kengetal, "Exploitatiebijdrage", result.exploitatiebijdrage, "EUR",
                           _rule(kv_rules.calculate, "Exploitatiebijdrage", "min(ten hoogste verhaalbaar, te verhalen), in de volgorde van de categorieën", KV_BRON),
                           (Input("ten hoogste verhaalbaar", result.cap, "EUR"), Input("te verhalen door de gemeente", te_verhalen, "EUR")),
                           toelichting=tuple(result.explain_cap()), onderdelen=(maximum, *steps))
    if kengetal == "niet_verhaalbaar":
        return Explanation(kengetal, "Niet verhaalbaar (ten laste van de algemene middelen)", result.macroaftopping, "EUR",
                           _rule(kv_rules.calculate, "Macroaftopping (niet verhaalbaar)", "te verhalen − exploitatiebijdrage", KV_BRON),
                           (Input("te verhalen door de gemeente", te_verhalen, "EUR"), Input("exploitatiebijdrage", result.exploitatiebijdrage, "EUR")),
                           toelichting=(f"{eur(te_verhalen)} − {eur(result.exploitatiebijdrage)} = {eur(result.macroaftopping)}",), onderdelen=(maximum,))
    raise _unknown(kengetal, KOSTENVERHAAL_KENGETALLEN)


# ---------------------------------------------------------------------------------------------- eindafrekening
EA_BRON = "Nota Kostenverhaal Soest 2023 bijlage A4; shared/spec/kostenverhaal.md regel 6 en 7"


def explain_eindafrekening(result: Any, kengetal: str) -> Explanation:
    """Eindafrekening: ``verschuldigd``, ``terugbetaling``, ``rente``, ``totaal_terug``; planschade: ``planschade``."""
    uitleg = tuple(result.uitleg)
    inv = result.invoer
    if result.soort == "planschade":
        if kengetal not in ("planschade", "totaal_terug"):
            raise _unknown(kengetal, ("planschade", "totaal_terug"))
        p = inv.planschade
        return Explanation(kengetal, "Planschade: saldo geraamd − werkelijk", result.planschade_saldo, "EUR",
                           _rule(eind_rules.planschade_afrekening, "Afrekening planschade", "geraamd − werkelijk (> 0: terugbetaling, < 0: naheffing)", EA_BRON),
                           (Input("geraamde planschade", p.geraamd, "EUR"), Input("werkelijke planschade", p.werkelijk, "EUR")), toelichting=uitleg)
    verschuldigd = Explanation(
        "verschuldigd", "Verschuldigde bijdrage na herberekening", result.verschuldigd, "EUR",
        _rule(eind_rules.contante_waarde_op_betaaldatum, "Kosten contant op de betaaldatum", "verschuldigd = aandeel × Σ kosten × (1 + d) ^ −(dagen / 365,25)", EA_BRON),
        (Input("aandeel van het plan", result.aandeel, "%"), Input("kosten contant op de betaaldatum", result.kosten_cw, "EUR"),
         Input("disconteringsvoet", inv.disconteringsvoet, "%")), toelichting=uitleg[:1])
    terug = Explanation(
        "terugbetaling", "Terugbetaling", result.terugbetaling, "EUR",
        _rule(eind_rules.terugbetaling, "Terugbetaling boven de drempel", "betaald − verschuldigd − drempel × betaald, als het verschil de drempel overschrijdt", EA_BRON),
        (Input("betaald", result.betaald, "EUR"), Input("verschuldigd", result.verschuldigd, "EUR")),
        (ParameterUse("drempel eindafrekening", result.drempel, "%", bron=f"parameterset {result.parameterset}"),),
        toelichting=uitleg[1:2], onderdelen=(verschuldigd,))
    rente = Explanation(
        "rente", "Rente over de terugbetaling", result.rente, "EUR",
        _rule(eind_rules.wettelijke_rente, "Wettelijke rente", "samengesteld per jaar over de terugbetaling, van betaaldatum tot eindafrekening", "art. 6:119 lid 2 BW; " + EA_BRON),
        (Input("terugbetaling", result.terugbetaling, "EUR"),),
        (ParameterUse("rentetabel", inv.rente, "%" if isinstance(inv.rente, (int, float)) else "-", bron=result.rente_bron),) if result.rente_bron else (),
        toelichting=uitleg[2:])
    table = {"verschuldigd": verschuldigd, "terugbetaling": terug, "rente": rente}
    if kengetal in table:
        return table[kengetal]
    if kengetal == "totaal_terug":
        return Explanation(kengetal, "Totaal terug (terugbetaling + rente)", result.totaal_terug, "EUR",
                           _rule(eind_rules.terugbetaling, "Terugbetaling boven de drempel", "terugbetaling + rente", EA_BRON),
                           (Input("terugbetaling", result.terugbetaling, "EUR"), Input("rente", result.rente, "EUR")),
                           onderdelen=(terug, rente))
    raise _unknown(kengetal, EINDAFREKENING_KENGETALLEN)


# ---------------------------------------------------------------------------------------------- bijdrage
BIJDRAGE_BRON = "Nota Kostenverhaal Soest 2023 §4.1 stap 1–6; shared/spec/kostenverhaal.md regel 4"


def explain_bijdrage(result: Any, kengetal: str) -> Explanation:
    """Financiële bijdrage: ``netto_investeringen`` (Σ meetellend, tabel 1), ``bedrag_nieuwe_plannen`` (Σ tabel 2),
    ``tarief:GEBIED:SEGMENT`` (tabel 5)."""
    unit = result.eenheid
    if kengetal == "netto_investeringen":
        t1 = result.tabel1()
        return Explanation(kengetal, "Meetellende netto investeringen", float(t1["meetellend"].sum()), unit,
                           _rule(bijdrage_rules.meetellende_investering, "Meetellend deel van de netto investering", "(bruto − aftrekposten) × weging naar hardheid", BIJDRAGE_BRON),
                           tuple(Input(str(r["investering"]), float(r["meetellend"]), unit) for _, r in t1.iterrows()))
    if kengetal == "bedrag_nieuwe_plannen":
        t2 = result.tabel2()
        return Explanation(kengetal, "Bedrag voor nieuwe plannen", float(t2["bedrag_nieuw"].sum()), unit,
                           _rule(bijdrage_rules.aandeel_nieuw, "Aandeel nieuw", "netto investering per gebied × nieuwe / (bestaande + nieuwe woningen)", BIJDRAGE_BRON),
                           tuple(Input(str(r["gebied"]), float(r["bedrag_nieuw"]), unit) for _, r in t2.iterrows()))
    head, _, rest = kengetal.partition(":")
    if head == "tarief":
        area, _, seg = rest.partition(":")
        t5 = result.tabel5()
        if area not in result.gebieden or seg not in result.segmenten:
            raise InputError("onbekend gebied of segment", field="kengetal", value=kengetal,
                             allowed=f"tarief:GEBIED:SEGMENT met GEBIED uit {', '.join(result.gebieden)} en SEGMENT uit {', '.join(result.segmenten)}")
        row = t5[t5["gebied"] == area].iloc[0]
        t3 = result.tabel3().set_index("segment")
        t4 = result.tabel4().set_index("gebied")
        return Explanation(kengetal, f"Tarief per woning ({seg}) in {area}", float(row[seg]), f"{unit} per woning",
                           _rule(bijdrage_rules.tarief_per_woning, "Tarief per woning", "prijs per gewogen eenheid × wegingsfactor", BIJDRAGE_BRON),
                           (Input("prijs per gewogen eenheid", float(t4.loc[area, "prijs_per_eenheid"]), unit), Input("wegingsfactor", float(t3.loc[seg, "wegingsfactor"]), "-")))
    raise _unknown(kengetal, BIJDRAGE_KENGETALLEN)
