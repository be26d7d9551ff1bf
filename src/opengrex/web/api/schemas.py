"""Request and response schemas of the REST API (the ``Create``/``Update``/``Public`` family)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from opengrex.model.base import StrictModel


class DocumentCreate(StrictModel):
    """A new document: its data (the same keys as the YAML/JSON file) and an optional comment."""

    data: dict[str, Any] = Field(description="Het document, met dezelfde sleutels als het YAML/JSON-bestand")
    comment: str = Field(default="", max_length=2000, description="Toelichting bij deze versie")


class DocumentUpdate(DocumentCreate):
    """A new version of a document. ``base_version``: the version you edited; 409 if it is no longer current."""

    base_version: int | None = Field(default=None, ge=1, description="Versie waarop de wijziging is gebaseerd")


class DocumentPublic(BaseModel):
    id: int
    kind: str
    name: str
    current_version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str
    headline: dict[str, float] = Field(description="Kerncijfers van de huidige versie [EUR; eenheden: zie /calculate]")


class DocumentDetail(DocumentPublic):
    data: dict[str, Any]


class VersionPublic(BaseModel):
    document_id: int
    number: int
    created_at: dt.datetime
    author: str
    comment: str
    headline: dict[str, float]


class VersionDetail(VersionPublic):
    data: dict[str, Any]


class Comparison(BaseModel):
    document_id: int
    a: int
    b: int
    velden: list[dict[str, Any]] = Field(description="Gewijzigde velden buiten de regels: pad, soort, oud, nieuw")
    regels: dict[str, list[dict[str, Any]]] = Field(description="Toegevoegde, verwijderde en gewijzigde regels")
    resultaten: dict[str, dict[str, float | None]] = Field(description="Kerncijfers in a en b en het verschil b - a")
    aantal_wijzigingen: int


class LoginIn(StrictModel):
    name: str
    password: str


class Me(BaseModel):
    name: str
    role: str
    authenticated: bool
    csrf_token: str
