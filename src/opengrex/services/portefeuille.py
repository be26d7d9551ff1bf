"""The BBV portfolio (MPG) as a stored document kind: the registry's read / write / calculate / summarise / explain /
export functions around :mod:`opengrex.services.bbv`, and the jaarovergang of a stored portfolio.

A stored portfolio is complete: every grex is embedded (``grex: {...}``); a grex that is also a stored document is
referred to by ``grex_document: {id, versie|volgt}`` and embedded by the store when the portfolio is saved
(:mod:`opengrex.services.references`), its BBV status copied into the entry (:func:`sync_entry`). File references
(``bestand``) are read once, when a portfolio file is loaded (:func:`load_portefeuille`), and embedded.

>>> from opengrex.services.kinds import get_kind
>>> k = get_kind("portefeuille")
>>> pf = k.load("examples/bbv/portefeuille-2023.yaml")      # grex files embedded
>>> w = k.calculate(pf)                                       # the BBV valuation at 31-12-2023
>>> k.headline(w)["ncw"]                                      # -3.736.768 (README)
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from opengrex.engine.explain import Explanation
from opengrex.errors import InputError
from opengrex.model.bbv import Portefeuille
from opengrex.services import bbv

KENGETALLEN = ("weerstand", "boekwaarde:GREX", "ncw:GREX", "voorziening:GREX", "poc:GREX", "winstneming:GREX", "rente_toegerekend:GREX")
"""What :func:`explain` knows: the weerstandsvermogen of the portfolio, and each figure per grex (``ncw:Havenfront``)."""

BBV_STATUS = {"in_voorbereiding": "voorbereiding", "in_exploitatie": "in_exploitatie", "afgesloten": "afgesloten"}
"""A stored grex's BBV status (lifecycle) -> the status of its portfolio entry (model.bbv.STATUSSEN)."""


# ---------------------------------------------------------------------------------------------- read / write
def _embedded(lp: bbv.LoadedPortfolio) -> Portefeuille:
    """The portfolio with every grex embedded (no file references)."""
    items = [e.model_copy(update={"grex": g, "bestand": None}) for e, g in zip(lp.portefeuille.grexen, lp.grexes)]
    return lp.portefeuille.model_copy(update={"grexen": items})


def loaded(pf: Portefeuille) -> bbv.LoadedPortfolio:
    """The :class:`~opengrex.services.bbv.LoadedPortfolio` of an embedded portfolio (what the BBV functions take)."""
    missing = [i for i, e in enumerate(pf.grexen) if e.grex is None]
    if missing:
        raise InputError("een opgeslagen portefeuille bevat elke grex ingebed", field=f"grexen[{missing[0]}].grex", value=pf.grexen[missing[0]].bestand,
                         allowed="grex: {...} of grex_document: {id: …} (bestandsverwijzingen worden alleen bij het inlezen van een bestand gevolgd)")
    return bbv.LoadedPortfolio(pf, [e.grex for e in pf.grexen if e.grex is not None], None)  # none missing (above)


def load_portefeuille(path: str | Path) -> Portefeuille:
    """A portfolio file (or folder of grexes) with every grex file read and embedded."""
    return _embedded(bbv.load_portfolio(path))


def portefeuille_from_dict(data: dict[str, Any], source: str = "<invoer>") -> Portefeuille:
    """Validate portfolio data; grexes must be embedded (a stored document names no server file)."""
    for i, e in enumerate((data.get("grexen") or []) if isinstance(data, dict) else []):
        if isinstance(e, dict) and e.get("bestand") and not e.get("grex"):
            raise InputError("bestandsverwijzingen worden hier niet gelezen; geef de grex ingebed of als opgeslagen document", location=source,
                             field=f"grexen[{i}].bestand", value=e["bestand"], allowed="grex: {...} of grex_document: {id: …}")
    return _embedded(bbv.portfolio_from_dict(data, source))


def portefeuille_from_text(text: str, source: str = "<invoer>.yaml") -> Portefeuille:
    from opengrex.io.documents import parse_text

    data, _ = parse_text(text, source)
    if not isinstance(data, dict):
        raise InputError("de portefeuille moet een mapping zijn", location=source, value=type(data).__name__, allowed="naam, balansjaar, grexen")
    return portefeuille_from_dict(data, source)


def portefeuille_to_dict(pf: Portefeuille) -> dict[str, Any]:
    """Canonical stored data: Dutch keys, every grex embedded, empty optional fields left out."""
    return pf.model_dump(mode="json", exclude_none=True, by_alias=True)


# ---------------------------------------------------------------------------------------------- calculate
def calculate_portefeuille(pf: Portefeuille) -> bbv.Waardering:
    """The BBV valuation at 31-12-balansjaar (deterministic: risk registers by their expected value)."""
    return bbv.value_portfolio(loaded(pf))


def summary(w: bbv.Waardering) -> dict[str, Any]:
    from opengrex.services.kinds import jsonable

    return jsonable(w.to_dict())


def explain(w: bbv.Waardering, kengetal: str) -> Explanation:
    """``weerstand``, or a figure of one grex: ``ncw:<grex>``, ``voorziening:<grex>``, … (see :data:`KENGETALLEN`)."""
    figure, _, grex = kengetal.partition(":")
    figures = [k.split(":")[0] for k in KENGETALLEN]
    allowed = ["weerstand"] + [f"{f}:{n}" for f in figures[1:] for n in w.names]
    if figure not in figures or (figure == "weerstand") != (not grex) or (grex and grex not in w.names):
        raise InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed=", ".join(allowed[:40]) + (" …" if len(allowed) > 40 else ""))
    return w.explain(figure, grex or None)


def workbook(pf: Portefeuille, openbaar: bool, herkomst: Any = None) -> bytes:
    """The council workbook (live formulas): confidential, or public (no lines, plot prices or notes). The
    confidential one also holds the portfolio's input sheets, stamped with ``herkomst``: it can be uploaded back as a
    new version."""
    from opengrex.io.xlsx_bbv import export_portfolio_xlsx
    from opengrex.services.kinds import xlsx_bytes

    data = None if openbaar else portefeuille_to_dict(pf)
    return xlsx_bytes(lambda w, p: export_portfolio_xlsx(w, p, openbaar=openbaar, data=data, herkomst=herkomst), calculate_portefeuille(pf), "mpg")


# ---------------------------------------------------------------------------------------------- references
def sync_entry(entry: dict[str, Any], target: dict[str, Any]) -> None:
    """A portfolio entry that refers to a stored grex takes that grex's BBV status (and its booked final result when
    it is afgesloten); the file reference goes."""
    entry.pop("bestand", None)
    status = BBV_STATUS.get(target.get("bbv_status") or "")
    if status is not None:
        entry["status"] = status
    closing = target.get("closing") or {}
    if status == "afgesloten" and "eindresultaat" in closing:
        entry["eindresultaat"] = closing["eindresultaat"]
    elif status != "afgesloten":
        entry.pop("eindresultaat", None)




# ---------------------------------------------------------------------------------------------- jaarovergang (stored)
def roll_stored(
    session: Any, *, document_id: int, grootboek: str | Path | None, jaar: int | None = None, nieuwe_indices: dict[str, Any] | None = None,
    nieuwe_rente: Any = None, restant: str = "vervalt", actor: str = "", comment: str = "",
) -> tuple[bbv.Jaarovergang, dict[str, Any]]:
    """The jaarovergang of a stored portfolio, written in the caller's transaction: a new version of every stored grex
    the portfolio refers to (``grex_document``; based on the version the portfolio holds — 409 if that grex changed
    since), then a new version of the portfolio (rolled grexes embedded, references at the new versions), each with
    its audit entry; documents that follow those grexes get the new versions. Anything refused (a jaarovergang applied
    twice, a ledger row for an unknown project, an archived grex) writes nothing."""
    from opengrex.services import documents, lifecycle, references
    from opengrex.store import repository as repo

    doc = repo.get_document(session, document_id=document_id, kind="portefeuille", for_update=True)
    lifecycle.check_editable(doc)
    pf = portefeuille_from_dict(doc.data, f"portefeuille {document_id}")
    jo = bbv.roll_portfolio(loaded(pf), grootboek, jaar, nieuwe_indices=nieuwe_indices, nieuwe_rente=nieuwe_rente, restant=restant, door=actor or "opengrex")
    new = _embedded(jo.portefeuille())
    items = list(new.grexen)
    written: list[dict[str, Any]] = []
    text = f"jaarovergang {jo.jaar} → {jo.jaar + 1} (restant: {jo.restant})" + (f"; {comment}" if comment else "")
    for i in jo.rolled:
        e = items[i]
        ref = e.grex_document
        if ref is None:
            continue
        v = documents.save_version(session, document_id=ref.id, kind="grex", model=e.grex, author=actor, base_version=ref.versie,
                                   comment=f"{text}; vanuit portefeuille '{doc.name}' (document {doc.id})", action="jaarovergang",
                                   details={"jaar": jo.jaar, "portefeuille": doc.id}, propagate_to_followers=False)
        target = repo.get_document(session, document_id=ref.id, kind="grex")
        references.propagate(session, target, actor=actor, reason=f"jaarovergang {jo.jaar}", skip={doc.id})
        items[i] = e.model_copy(update={"grex_document": ref.model_copy(update={"versie": v.number})})
        written.append({"id": ref.id, "naam": e.label, "versie": v.number})
    totals = jo.totals()["ncw"]
    pv = documents.save_version(session, document_id=doc.id, kind="portefeuille", data=portefeuille_to_dict(new.model_copy(update={"grexen": items})),
                                author=actor, comment=text, base_version=doc.current_version, action="jaarovergang",
                                details={"jaar": jo.jaar, "restant": jo.restant, "grexen": written, "ncw": totals})
    return jo, {"portefeuille": {"id": doc.id, "versie": pv.number}, "grexen": written}


__all__ = [
    "KENGETALLEN", "calculate_portefeuille", "explain", "load_portefeuille", "loaded", "portefeuille_from_dict", "portefeuille_from_text",
    "portefeuille_to_dict", "roll_stored", "summary", "sync_entry", "workbook",
]
