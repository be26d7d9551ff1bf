"""Governance beslisboom (seed 001, "Een stappenplan voor de gebiedssamenwerking – Beslisboom"): the tree is data
(``parameters/gebied/beslisboom.yaml``, every question and outcome citing the seed), this module only walks it.

The tree has three parts walked one after the other: infrastructuur, collectieve afspraken, ontwikkelorganisatie.
An answer leads to the next question and/or records an outcome; a part ends where an answer has no next question.
The CLI (``opengrex governance``), the REST API and the step-by-step page call :func:`loop`::

    >>> boom = load_beslisboom()
    >>> advies = loop(boom, {"infra_nodig": "nee", "collectief_nodig": "nee", "gemeente_eigenaar": "ja"})
    >>> advies.klaar, advies.aanbeveling.label
    (True, 'Publieke tender(s)')

Unknown question ids and answers that are not allowed are errors naming the question and the allowed answers.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from opengrex.errors import InputError
from opengrex.io.documents import Locator, build_model, parse_text, read_document
from opengrex.model.base import StrictModel

BOOM = Path(__file__).resolve().parent.parent / "parameters" / "gebied" / "beslisboom.yaml"
ONTWIKKELVORMEN = ("publieke_tender", "sok_jv_light", "gem_pps", "publiek_kader_deelgebieden", "publiek_kader_organisch")
"""The five forms of the physical development organisation (seed 001 regel 1584–1626)."""


class Bron(StrictModel):
    sectie: str = Field(min_length=1)
    regels: str = Field(min_length=1)


class Antwoord(StrictModel):
    waarde: str = Field(min_length=1)
    label: str = Field(min_length=1)
    volgende: str | None = None
    uitkomst: str | None = None


class Vraag(StrictModel):
    vraag: str = Field(min_length=1)
    toelichting: str = ""
    bron: Bron
    antwoorden: list[Antwoord] = Field(min_length=2)

    def waarden(self) -> list[str]:
        return [a.waarde for a in self.antwoorden]


class Uitkomst(StrictModel):
    label: str = Field(min_length=1)
    soort: Literal["coalitie", "infrastructuur", "collectief", "bijdrage", "ontwikkelorganisatie"]
    samenvatting: str = Field(min_length=1)
    advies: list[str] = Field(min_length=1)
    voorbeelden: str = ""
    spelregels: list[str] = Field(default_factory=list)
    gebied: str = ""
    bron: Bron


class Onderdeel(StrictModel):
    id: str
    titel: str
    start: str


class BoomBron(StrictModel):
    document: str
    bestand: str
    sectie: str
    regels: str


class Beslisboom(StrictModel):
    """The decision tree: parts (each with a first question), questions, outcomes, and the outcomes that always apply."""

    titel: str
    bron: BoomBron
    altijd: list[str] = Field(default_factory=list)
    onderdelen: list[Onderdeel] = Field(min_length=1)
    vragen: dict[str, Vraag]
    uitkomsten: dict[str, Uitkomst]

    def check(self) -> list[InputError]:
        """Structural checks: every reference exists, every answer leads somewhere, no cycles, nothing unreachable."""
        errs: list[InputError] = []
        for u in self.altijd:
            if u not in self.uitkomsten:
                errs.append(InputError("onbekende uitkomst", field="altijd", value=u, allowed=", ".join(self.uitkomsten)))
        seen: set[str] = set()
        for i, o in enumerate(self.onderdelen):
            if o.start not in self.vragen:
                errs.append(InputError("onbekende vraag", field=f"onderdelen[{i}].start", value=o.start, allowed=", ".join(self.vragen)))
                continue
            stack: list[tuple[str, tuple[str, ...]]] = [(o.start, (o.start,))]
            while stack:
                q, trail = stack.pop()
                seen.add(q)
                for a in self.vragen[q].antwoorden:
                    where = f"vragen.{q}.{a.waarde}"
                    if a.volgende is None and a.uitkomst is None:
                        errs.append(InputError("antwoord leidt nergens heen", field=where, allowed="'volgende' en/of 'uitkomst'"))
                    if a.uitkomst is not None and a.uitkomst not in self.uitkomsten:
                        errs.append(InputError("onbekende uitkomst", field=where, value=a.uitkomst, allowed=", ".join(self.uitkomsten)))
                    if a.volgende is not None:
                        if a.volgende not in self.vragen:
                            errs.append(InputError("onbekende vraag", field=where, value=a.volgende, allowed=", ".join(self.vragen)))
                        elif a.volgende in trail:
                            errs.append(InputError("de boom bevat een kring", field=where, value=a.volgende, allowed="een boom zonder kringen"))
                        else:
                            stack.append((a.volgende, trail + (a.volgende,)))
            for q, v in self.vragen.items():
                if len(set(v.waarden())) != len(v.waarden()):
                    errs.append(InputError("antwoord komt twee keer voor", field=f"vragen.{q}", value=v.waarden()))
        for q in self.vragen:
            if q not in seen:
                errs.append(InputError("vraag is onbereikbaar", field=f"vragen.{q}", value=q, allowed="een vraag die vanuit een onderdeel bereikbaar is"))
        return errs


@lru_cache(maxsize=4)
def load_beslisboom(path: str | Path = BOOM) -> Beslisboom:
    """The decision tree (validated: structure and references)."""
    data, locator = read_document(path)
    return build_model(Beslisboom, data, locator, Beslisboom.check)


# ------------------------------------------------------------------------------------------------ walking
@dataclass(frozen=True)
class Stap:
    """One answered question on the path."""

    onderdeel: str
    vraag_id: str
    vraag: str
    antwoord: str
    label: str
    bron: Bron


@dataclass
class Advies:
    """Where a walk ends: the path of answers, the outcomes reached (with their guidance), and — when answers are
    missing — the next question to ask."""

    boom: Beslisboom
    pad: list[Stap] = field(default_factory=list)
    uitkomsten: list[tuple[str, str]] = field(default_factory=list)
    """(onderdeel, uitkomst-id) in the order reached; the ``altijd`` outcomes first."""
    volgende: str | None = None
    volgende_onderdeel: str | None = None
    niet_gebruikt: list[str] = field(default_factory=list)

    @property
    def klaar(self) -> bool:
        return self.volgende is None

    @property
    def aanbeveling(self) -> Uitkomst | None:
        """The recommended form of the development organisation (one of :data:`ONTWIKKELVORMEN`)."""
        ids = [u for _, u in self.uitkomsten if u in ONTWIKKELVORMEN]
        return self.boom.uitkomsten[ids[0]] if ids else None

    def antwoorden(self) -> dict[str, str]:
        return {s.vraag_id: s.antwoord for s in self.pad}

    def to_dict(self) -> dict[str, Any]:
        b = self.boom
        titles = {o.id: o.titel for o in b.onderdelen} | {"altijd": "Altijd"}
        out: dict[str, Any] = {
            "klaar": self.klaar,
            "aanbeveling": self.aanbeveling.label if self.aanbeveling else None,
            "pad": [{"onderdeel": titles[s.onderdeel], "vraag_id": s.vraag_id, "vraag": s.vraag, "antwoord": s.antwoord, "label": s.label,
                     "bron": s.bron.model_dump()} for s in self.pad],
            "uitkomsten": [{"id": u, "onderdeel": titles[o], **b.uitkomsten[u].model_dump()} for o, u in self.uitkomsten],
            "bron": b.bron.model_dump(),
        }
        if self.volgende is not None:
            v = b.vragen[self.volgende]
            out["volgende"] = {"id": self.volgende, "onderdeel": titles[self.volgende_onderdeel or ""], "vraag": v.vraag, "toelichting": v.toelichting,
                               "antwoorden": [{"waarde": a.waarde, "label": a.label} for a in v.antwoorden], "bron": v.bron.model_dump()}
        if self.niet_gebruikt:
            out["niet_gebruikt"] = list(self.niet_gebruikt)
        return out


def _antwoord_tekst(v: Any) -> str:
    if v is True:
        return "ja"
    if v is False:
        return "nee"
    return str(v).strip().lower()


def loop(boom: Beslisboom, antwoorden: Mapping[str, Any]) -> Advies:
    """Walk the tree with the given answers (question id -> answer value). Stops at the first question without an
    answer (``Advies.volgende``). Answers to questions off the path are listed in ``niet_gebruikt``."""
    for gevraagd in antwoorden:
        if gevraagd not in boom.vragen:
            raise InputError("onbekende vraag", field="antwoorden", value=gevraagd, allowed=", ".join(boom.vragen))
    advies = Advies(boom, uitkomsten=[("altijd", u) for u in boom.altijd])
    for o in boom.onderdelen:
        q: str | None = o.start
        while q is not None:
            vraag = boom.vragen[q]
            if q not in antwoorden:
                advies.volgende, advies.volgende_onderdeel = q, o.id
                advies.niet_gebruikt = [k for k in antwoorden if k not in advies.antwoorden()]
                return advies
            value = _antwoord_tekst(antwoorden[q])
            a = next((x for x in vraag.antwoorden if x.waarde == value), None)
            if a is None:
                raise InputError(f"ongeldig antwoord op '{vraag.vraag}'", field=q, value=antwoorden[q], allowed=", ".join(vraag.waarden()))
            advies.pad.append(Stap(o.id, q, vraag.vraag, a.waarde, a.label, vraag.bron))
            if a.uitkomst is not None and (o.id, a.uitkomst) not in advies.uitkomsten:
                advies.uitkomsten.append((o.id, a.uitkomst))
            q = a.volgende
    advies.niet_gebruikt = [k for k in antwoorden if k not in advies.antwoorden()]
    return advies


def governance_advice(antwoorden: Mapping[str, Any]) -> Advies:
    """The advice for these answers on the bundled beslisboom (the documented Python API)."""
    return loop(load_beslisboom(), antwoorden)


def load_antwoorden(path: str | Path) -> dict[str, Any]:
    """Answers from a YAML/JSON file: a mapping ``vraag-id: antwoord`` (e.g. ``infra_nodig: ja``)."""
    data, locator = read_document(path)
    return _antwoorden(data, locator)


def antwoorden_from_text(text: str, source: str = "<antwoorden>.yaml") -> dict[str, Any]:
    data, locator = parse_text(text, source)
    return _antwoorden(data, locator)


def _antwoorden(data: Any, locator: Locator) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("antwoorden moeten een mapping zijn (vraag: antwoord)", location=locator.source, value=type(data).__name__, allowed="bv. infra_nodig: ja")
    return {str(k): v for k, v in data.items()}


def paden(boom: Beslisboom) -> Iterator[dict[str, str]]:
    """Every complete set of answers along a path through all parts (the answer space, for the exhaustive test)."""

    def part(q: str | None) -> Iterator[dict[str, str]]:
        if q is None:
            yield {}
            return
        for a in boom.vragen[q].antwoorden:
            for rest in part(a.volgende):
                yield {q: a.waarde, **rest}

    for combo in itertools.product(*[list(part(o.start)) for o in boom.onderdelen]):
        out: dict[str, str] = {}
        for c in combo:
            out.update(c)
        yield out
