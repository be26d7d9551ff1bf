"""The REST API under ``/api/`` (OpenAPI at ``/docs``): one router per resource."""
from __future__ import annotations

from fastapi import APIRouter

from opengrex.web.api import auth, documents, gebied, grex, kostenverhaal, programma

api_router = APIRouter(prefix="/api")
api_router.include_router(documents.router)
api_router.include_router(auth.router)
api_router.include_router(grex.router)
api_router.include_router(kostenverhaal.router)
api_router.include_router(kostenverhaal.bijdrage_router)
api_router.include_router(kostenverhaal.eindafrekening_router)
api_router.include_router(programma.router)
api_router.include_router(gebied.router)

__all__ = ["api_router"]
