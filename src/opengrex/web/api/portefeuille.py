"""``/api/portefeuille/{id}/jaarovergang``: the jaarovergang of a stored portfolio (multipart: ``grootboek`` CSV/xlsx,
optional ``jaar``, ``restant``, ``rente``, ``indices`` as YAML, ``toelichting``) — new versions of the portfolio and
of the stored grexes it refers to, in one transaction with the audit trail (:func:`opengrex.services.portefeuille.roll_stored`).
The stateless BBV routes stay under ``/api/bbv``."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile

from opengrex.errors import InputError
from opengrex.services.kinds import jsonable
from opengrex.services.portefeuille import roll_stored
from opengrex.web.deps import DbDep, EditorDep

router = APIRouter()


async def roll_from_form(request: Request, db: Any, document_id: int, actor: str) -> tuple[Any, dict[str, Any]]:
    """Read the jaarovergang form and run it on the stored portfolio (shared by the API and the page)."""
    import yaml

    from opengrex.web.api.bbv import read_upload

    limit = int(request.app.state.settings.max_upload)
    form = await request.form(max_files=1, max_fields=20)
    jaar = str(form.get("jaar") or "").strip()
    indices = str(form.get("indices") or "").strip()
    rente = str(form.get("rente") or "").strip().replace(",", ".")
    try:
        kw: dict[str, Any] = {"restant": str(form.get("restant") or "vervalt"), "actor": actor, "comment": str(form.get("toelichting") or "")[:2000]}
        if indices:
            kw["nieuwe_indices"] = yaml.safe_load(indices)
        if rente:
            kw["nieuwe_rente"] = float(rente)
        kw["jaar"] = int(jaar) if jaar else None
    except (ValueError, yaml.YAMLError) as exc:
        raise InputError(f"ongeldige invoer: {exc}", field="jaar/rente/indices", allowed="jaar als geheel getal, rente als fractie, indices als YAML") from None
    ledger = form.get("grootboek")
    with tempfile.TemporaryDirectory() as tmp:
        path = None
        if isinstance(ledger, UploadFile) and ledger.filename:
            lname, lcontent = await read_upload(ledger, "grootboek", (".csv", ".xlsx"), limit)
            path = Path(tmp) / lname
            path.write_bytes(lcontent)
        with db.transaction() as s:
            return roll_stored(s, document_id=document_id, grootboek=path, **kw)


@router.post("/{document_id}/jaarovergang", summary="Jaarovergang van een opgeslagen portefeuille (multipart: grootboek, jaar, restant, rente, indices)")
async def jaarovergang(document_id: int, request: Request, db: DbDep, user: EditorDep) -> dict[str, Any]:
    jo, written = await roll_from_form(request, db, document_id, user.name)
    return jsonable(jo.to_dict() | {"opgeslagen": written})


__all__ = ["roll_from_form", "router"]
