"""A reference from one stored document to another (a kostenverhaal party's grex, a portfolio's grex): the
``grex_document`` field proposal of the lifecycle branch.

In a document::

    initiatiefnemer:
      grex:
        grex_document: {id: 7, volgt: true}     # follows the current version of stored grex 7
        basis: contante_waarde
    gemeente:
      grex:
        grex_document: {id: 9, versie: 3}       # frozen at version 3 of stored grex 9

The store resolves the reference when the document is saved (:mod:`opengrex.services.references`): the referenced
version is embedded next to it (``inline`` / ``grex``), so a stored document stays complete and calculates on its
own, and ``versie`` records which version that is. A document that ``volgt`` gets a new version whenever the grex
does; a frozen one says which version it froze and offers to update.
"""
from __future__ import annotations

from opengrex.model.base import StrictModel, veld


class DocumentVerwijzing(StrictModel):
    """A stored document by id: frozen at ``versie``, or following its current version (``volgt``)."""

    id: int = veld(label="Document-id", ge=1, le=2**62, help="het nummer van het opgeslagen document")
    versie: int | None = veld(None, label="Versie", ge=1, le=2**62,
                              help="de overgenomen versie; leeg: de huidige versie bij het opslaan")
    volgt: bool = veld(False, label="Volgt de huidige versie",
                       help="ja: elke nieuwe versie van het document wordt overgenomen; nee: bevroren op 'versie'")


__all__ = ["DocumentVerwijzing"]
