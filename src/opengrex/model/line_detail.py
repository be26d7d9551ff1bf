"""Optional detail of a grex line (:class:`opengrex.model.grex.Line`): quantity × unit price, and the group labels
the form and the result tables subtotal by.

- ``hoeveelheid`` × ``eenheidsprijs`` (``eenheid`` says of what: m², woning, stuk) gives the line's amount: when
  both are given and the amount is not, the amount is their product; when all three are given they must agree
  (to the cent). Either alone is information only.
- ``fase`` and ``deelgebied`` are free labels; the engine is unchanged — the result tables sum the lines per label.

The relations are declared once, here (:data:`LineDetail.relaties`), and the web form derives from them the live
product, the year grid's totals in euros and the subtotals per group.
"""
from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from opengrex.formatting import number
from opengrex.model.base import Groepering, Product, StrictModel, Verdeling, veld


def _absent(value: Any) -> bool:
    """Not written when not given, so documents without these fields stay exactly as they were."""
    return value is None


PRODUCT_TOLERANCE = 0.005
"""An amount agrees with hoeveelheid × eenheidsprijs within half a cent (or a relative 1e-12 for huge amounts)."""


class LineDetail(StrictModel):
    """Mixin of :class:`opengrex.model.grex.Line`: quantity × unit price and the group labels (all optional)."""

    fase: str | None = veld(None, label="Fase", help="Groep voor subtotalen, bijv. 'Fase 1' (vrij te kiezen)", exclude_if=_absent)
    deelgebied: str | None = veld(None, label="Deelgebied", help="Groep voor subtotalen, bijv. 'Noord' (vrij te kiezen)", exclude_if=_absent)
    hoeveelheid: float | None = veld(None, label="Hoeveelheid", help="Aantal eenheden, bijv. 12.500 (m²) of 80 (woningen)", ge=0, exclude_if=_absent)
    eenheid: str | None = veld(None, label="Eenheid", help="Eenheid van de hoeveelheid: m², woning, stuk, …", exclude_if=_absent)
    eenheidsprijs: float | None = veld(None, label="Eenheidsprijs", eenheid="EUR prijspeil", help="Prijs per eenheid; bedrag = hoeveelheid × eenheidsprijs", ge=0, exclude_if=_absent)

    relaties: ClassVar[tuple[Any, ...]] = (
        Product("amount", ("hoeveelheid", "eenheidsprijs")),
        Verdeling("phasing", "amount"),
        Groepering(("fase", "deelgebied"), "amount"),
    )
    """Declared relations between the line's fields (see :mod:`opengrex.model.base`)."""

    @model_validator(mode="before")
    @classmethod
    def _amount_from_quantity(cls, data: Any) -> Any:
        """No amount given, but hoeveelheid and eenheidsprijs: the amount is their product."""
        if not isinstance(data, dict):
            return data
        info = cls.model_fields.get("amount")
        if info is None:
            return data
        keys = {"amount", info.alias or "amount"}
        if any(k in data for k in keys):
            return data
        q, p = data.get("hoeveelheid"), data.get("eenheidsprijs")
        if isinstance(q, (int, float)) and isinstance(p, (int, float)) and not isinstance(q, bool) and not isinstance(p, bool):
            return {**data, info.alias or "amount": float(q) * float(p)}
        return data

    @field_validator("amount", check_fields=False)
    @classmethod
    def _amount_is_the_product(cls, value: float, info: ValidationInfo) -> float:
        q, p = info.data.get("hoeveelheid"), info.data.get("eenheidsprijs")
        if q is None or p is None:
            return value
        product = float(q) * float(p)
        if abs(value - product) > max(PRODUCT_TOLERANCE, 1e-12 * abs(product)):
            raise PydanticCustomError(
                "bedrag_product",
                "bedrag {bedrag} is niet gelijk aan hoeveelheid × eenheidsprijs = {product}; laat het bedrag leeg om het te laten uitrekenen",
                {"bedrag": number(value, 2), "product": number(product, 2)},
            )
        return value


__all__ = ["LineDetail", "PRODUCT_TOLERANCE"]
