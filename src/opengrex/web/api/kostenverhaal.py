"""``/api/kostenverhaal`` (kostenverhaal cases), ``/api/bijdrage`` (financiële bijdrage, six steps) and
``/api/eindafrekening``: the common document routes, plus the bijdrage workbook export (tabel 1–5)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import Query, Response

from opengrex.store.kinds import get_kind
from opengrex.web.api.common import _attachment, kind_router, stored_model
from opengrex.web.deps import DbDep, UserDep

router = kind_router("kostenverhaal")
bijdrage_router = kind_router("bijdrage")
eindafrekening_router = kind_router("eindafrekening")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bijdrage_router.get("/{document_id}/export.xlsx", summary="Download tabel 1–5 als Excel", response_class=Response, responses={200: {"content": {XLSX: {}}}})
def export_bijdrage_xlsx(document_id: int, db: DbDep, user: UserDep, version: Annotated[int | None, Query(ge=1)] = None) -> Response:
    from opengrex.api.bijdrage import write_bijdrage_xlsx

    model, name = stored_model(db, "bijdrage", document_id, version, user)
    result = get_kind("bijdrage").run(model)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bijdrage.xlsx"
        write_bijdrage_xlsx(result, path)
        content = path.read_bytes()
    return Response(content, media_type=XLSX, headers={"Content-Disposition": _attachment(name, "xlsx")})
