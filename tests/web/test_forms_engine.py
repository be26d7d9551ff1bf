"""The form engine (:mod:`opengrex.web.forms`) covers every field of every registered document kind, and a document
survives the trip data -> form (the HTML a browser gets) -> posted fields -> data unchanged.

- coverage: each kind's model is walked independently of the engine (``schema_paths``: every field at every depth,
  list items, dict values, each union member, embedded documents); each must have a widget, and a document that
  fills every one of them, rendered as a page, must post a value for each (a toy kind registered here is covered
  the same way: new kinds need nothing);
- round trip: every demo document (``examples/``, the store's demo data) and random grexes, through the rendered
  HTML read as a browser submits it;
- errors: the model's errors (by document path) land next to their input, for every kind;
- viewers: no input for a confidential field.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any, Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import Field
from tests.web.fixtures_pages import *  # noqa: F401,F403 - the page fixtures (client, demo_client, page_app)
from tests.web.fixtures_pages import DEMO
from tests.web.form_helpers import FormFields, page_fields

from opengrex.errors import InputError
from opengrex.model.base import Embeds, StrictModel, veld
from opengrex.model.grex import CostLine, Grex
from opengrex.services.documents import demo_files
from opengrex.services.grex import grex_to_dict, load_grex
from opengrex.services.kinds import DocumentKind, Headline, get_kind, kinds, register, unregister
from opengrex.testing import random_grex
from opengrex.web.forms import FormView, Posted, field_errors, form_items, form_tree, read_form, schema_paths
from opengrex.web.forms.errors import label_of
from opengrex.web.forms.fields import MAX_ROWS, ROWS, YEARS
from opengrex.web.forms.schema import Node, find
from opengrex.web.pages.render import templates

MACROS = templates.env.get_template("_formulier.html").module


def render(kind: DocumentKind[Any, Any], data: Any, *, sees: bool = True) -> str:
    """The form as the page renders it (the engine's macros), wrapped in a form element."""
    tree = form_tree(kind.model)
    fv = FormView(tree, Posted(form_items(tree, data, sees_confidential=sees)), sees_confidential=sees)
    return f'<form id="f">{MACROS.formulier(fv)}</form>'


def browser_round_trip(kind: DocumentKind[Any, Any], data: Any) -> dict[str, Any]:
    """data -> HTML -> what a browser posts -> data -> the kind's validation -> its canonical data."""
    posted = page_fields(render(kind, data), "f")
    form = read_form(form_tree(kind.model), posted)
    assert not form.errors, [str(e) for e in form.errors]
    return kind.to_data(kind.validate(form.data, "formulier"))


# ---------------------------------------------------------------------------------------------- coverage
def example(node: Node, variant: int, base: int = 2, depth: int = 0) -> Any:
    """A value for ``node`` that fills every field below it; a union at union-depth ``depth`` takes member
    ``(variant // base**depth) % n``, so the variants 0 … base**max_depth - 1 show every member of every union."""
    w = node.widget
    if w in ("group", "document"):
        return {f.key: example(f, variant, base, depth) for f in node.fields}
    if w in ("table", "list"):
        return [example(node.item, variant, base, depth)]  # type: ignore[arg-type]
    if w == "mapping":
        key: Any = node.fixed_keys[-1] if node.fixed_keys else (2030 if node.key_node.widget == "integer" else "sleutel")  # type: ignore[union-attr]
        return {key: example(node.item, variant, base, depth)}  # type: ignore[arg-type]
    if w == "years":
        return {"2026": 0.25, "2027": 0.75}
    if w == "union":
        return example(node.members[choice(node, variant, base, depth)], variant, base, depth + 1)
    if w == "select":
        return node.options[-1][0]
    return {"text": "tekst", "number": 1234.5, "integer": 7, "percentage": 0.025, "date": "2026-03-01", "checkbox": True, "free": {"a": 1}}[w]


def choice(node: Node, variant: int, base: int, depth: int) -> int:
    return (variant // base**depth) % len(node.members)


def max_members(tree: Node) -> int:
    return max([len(n.members) for _, n in tree.walk() if n.widget == "union"] + [1])


def union_depth(tree: Node) -> int:
    return max([sum(1 for seg in path if isinstance(seg, str) and seg.startswith("<")) for path, n in tree.walk() if n.widget == "union"] + [0]) + 1


def assert_covered(kind: DocumentKind[Any, Any]) -> int:
    """Every schema path of the kind's model has a widget, and a document filling each one posts a value for each
    field from the rendered page. Returns the number of fields checked."""
    tree = form_tree(kind.model)
    paths = schema_paths(kind.model)
    assert paths, kind.name
    missing = [p for p in paths if find(tree, p) is None or find(tree, p).widget == "unsupported"]  # type: ignore[union-attr]
    assert not missing, f"{kind.name}: velden zonder formulierelement: {missing}"
    checked = 0
    seen_members: set[tuple[int, int]] = set()
    base = max_members(tree)
    for variant in range(base ** union_depth(tree)):
        data = example(tree, variant, base)
        html = render(kind, data)
        posted = page_fields(html, "f")
        names = {k for k, _ in posted}
        form = read_form(tree, posted)
        assert not form.errors, [str(e) for e in form.errors]
        for path, node, i in _walk_example(tree, data, variant, base):
            if node.widget == "union":
                seen_members.add((id(node), i))
            name = form.names.get(path)
            assert name is not None, f"{kind.name}: geen invoer voor {path}"
            if node.is_scalar or node.widget == "free":
                assert name in names and f'name="{name}"' in html, f"{kind.name}: geen invoerelement {name} voor {path}"
            elif node.widget == "years":
                assert name + YEARS in names and all(f"{name}.{y}" in names for y in (2026, 2027)), f"{kind.name}: jaarraster {name}"
            elif node.widget in ("table", "list", "mapping"):
                assert name + ROWS in names, f"{kind.name}: lijst {name}"
            checked += 1
        # what was read back is the document that was rendered (every field, every depth)
        assert _plain(form.data) == _plain(data), kind.name
    unions = {id(n): len(n.members) for _, n in tree.walk() if n.widget == "union"}
    assert seen_members >= {(u, i) for u, k in unions.items() for i in range(k)}, f"{kind.name}: niet elk lid van een keuze getoond"
    return checked


def _walk_example(tree: Node, data: Any, variant: int, base: int) -> list[tuple[tuple[Any, ...], Node, int]]:
    """(data path, node, chosen member or -1) of every value of an :func:`example` document."""
    out: list[tuple[tuple[Any, ...], Node, int]] = []

    def walk(node: Node, value: Any, path: tuple[Any, ...], depth: int) -> None:
        w = node.widget
        i = choice(node, variant, base, depth) if w == "union" else -1
        out.append((path, node, i))
        if w in ("group", "document"):
            for f in node.fields:
                walk(f, value[f.key], path + (f.key,), depth)
        elif w in ("table", "list"):
            walk(node.item, value[0], path + (0,), depth)  # type: ignore[arg-type]
        elif w == "mapping":
            (k, v), = value.items()
            walk(node.item, v, path + (k,), depth)  # type: ignore[arg-type]
        elif w == "union":
            walk(node.members[i], value, path, depth + 1)

    walk(tree, data, (), 0)
    return out


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


@pytest.mark.parametrize("kind", [k.name for k in kinds()])
def test_every_field_of_every_kind_has_a_form_control(kind):
    checked = assert_covered(get_kind(kind))
    assert checked >= len(schema_paths(get_kind(kind).model))


# a kind registered later, with every kind of field the engine knows: covered without a line of form code
class Deel(StrictModel):
    naam: str = veld(label="Naam", min_length=1)
    bedrag: float = veld(0.0, label="Bedrag", eenheid="EUR")


class Verschuiving(StrictModel):
    soort: Literal["verschuiving"] = veld("verschuiving", label="Soort")
    jaren: int = veld(1, label="Jaren")


class Korting(StrictModel):
    soort: Literal["korting"] = veld("korting", label="Soort")
    percentage: float = veld(0.1, label="Percentage", eenheid="%")


class Status(enum.Enum):
    OPEN = "open"
    GESLOTEN = "gesloten"


class Proefdoc(StrictModel):
    naam: str = veld(label="Naam", min_length=1)
    status: Status = veld(Status.OPEN, label="Status")
    datum: dt.date = veld(label="Datum")
    actief: bool = veld(False, label="Actief")
    klasse: Literal["a", "b"] = veld("a", label="Klasse")
    delen: list[Deel] = veld(label="Delen", default_factory=list)
    labels: list[str] = veld(label="Labels", default_factory=list)
    per_jaar: dict[int, float] = veld(label="Per jaar", default_factory=dict)
    per_segment: dict[Literal["x", "y"], int] = veld(label="Per segment", default_factory=dict)
    per_naam: dict[str, Deel] = veld(label="Per naam", default_factory=dict)
    wijziging: Annotated[Verschuiving | Korting, Field(discriminator="soort")] | None = veld(None, label="Wijziging")
    wijzigingen: list[Annotated[Verschuiving | Korting, Field(discriminator="soort")]] = veld(label="Wijzigingen", default_factory=list)
    onderdeel: Deel | None = veld(None, label="Onderdeel")
    grex: Annotated[dict[str, Any] | None, Embeds(Grex)] = veld(None, label="Ingebedde grex")
    vrij: dict[str, Any] | None = veld(None, label="Vrije gegevens")
    geheim: str = veld("", label="Geheim", vertrouwelijk=True)


@pytest.fixture
def proef_kind():
    kind = DocumentKind[Proefdoc, Proefdoc](
        name="proefdoc", label="Proefdocument", model=Proefdoc, load=lambda p: Proefdoc(), from_data=lambda d, s: Proefdoc.model_validate(d),
        to_data=lambda m: m.model_dump(mode="json"), calculate=lambda m: m, summary=lambda r: {}, explain=lambda r, k: None,  # type: ignore[arg-type,return-value]
        kengetallen=(), headlines=(Headline("delen", "Delen", "EUR", lambda r: sum(d.bedrag for d in r.delen)),),
    )
    register(kind)
    yield kind
    unregister("proefdoc")


def test_a_kind_registered_later_is_covered_and_round_trips(proef_kind):
    assert proef_kind.name in [k.name for k in kinds()]
    widgets = {n.widget for _, n in form_tree(Proefdoc).walk()}
    assert widgets >= {"text", "date", "checkbox", "select", "table", "list", "years", "mapping", "union", "group", "document", "free", "number", "percentage", "integer"}
    assert assert_covered(proef_kind) > 40
    doc = Proefdoc(naam="p", datum=dt.date(2026, 1, 2), status=Status.GESLOTEN, delen=[Deel(naam="a", bedrag=1.5)], per_jaar={2026: 3.25}, per_segment={"y": 4},
                   wijziging=Korting(percentage=0.125), wijzigingen=[Verschuiving(jaren=2), Korting()], labels=["x", "y"],
                   grex=grex_to_dict(load_grex(DEMO)), vrij={"a": [1, 2]})
    assert browser_round_trip(proef_kind, proef_kind.to_data(doc)) == proef_kind.to_data(doc)


def test_choices_have_dutch_labels_and_code_lists_sort_naturally():
    tree = form_tree(get_kind("grex").model)
    timing = tree.child("timing")
    assert [label for _, label, _ in timing.options] == ["einde jaar (31 december)", "midden jaar (1 juli)", "begin jaar (1 januari)"]
    codes = tree.child("kosten").item.child("kostensoort").options
    a_codes = [c for c, _, _ in codes if c.startswith("A")]
    assert a_codes == [f"A{i}" for i in range(1, 15)]  # A1, A2, … A10, not A1, A10, A11, A2
    a1 = next(o for o in codes if o[0] == "A1")
    assert a1[1].startswith("A1 – Omgevingsplan") and "omgevingsplan" in a1[2].lower()  # the description, in full as title
    assert [c for c, _, _ in codes].index("B1") > [c for c, _, _ in codes].index("A14")
    status = form_tree(Proefdoc).child("status")
    assert [(v, label) for v, label, _ in status.options] == [("open", "open"), ("gesloten", "gesloten")]


# ---------------------------------------------------------------------------------------------- round trips
DEMOS = demo_files()


@pytest.mark.parametrize(("kind", "path"), DEMOS, ids=[f"{k}:{p.name}" for k, p in DEMOS])
def test_every_demo_document_round_trips_through_the_form(kind, path):
    """Through the fields (and through the rendered page, as a browser posts it): identity, so saving an
    unchanged form never shows up as a change."""
    k = get_kind(kind)
    data = k.to_data(k.load(path))
    tree = form_tree(k.model)
    assert k.to_data(k.validate(read_form(tree, form_items(tree, data)).data)) == data
    assert browser_round_trip(k, data) == data


def test_the_store_demo_round_trips(demo_client, page_app):
    """The demo data as stored (the store's canonical data) through each document's edit page, unchanged."""
    from opengrex.store import repository as repo

    with page_app.state.db.transaction() as s:
        stored = [(d.kind, d.id, d.data) for d in repo.list_documents(s)]
    assert {k for k, _, _ in stored} == {k.name for k in kinds()}
    for kind, doc_id, data in stored:
        page = demo_client.get(f"/{kind}/{doc_id}" if kind == "grex" else f"/{kind}/{doc_id}/bewerken").text
        form_id = "grex-form" if kind == "grex" else "documentformulier"
        posted = page_fields(page, form_id)
        k = get_kind(kind)
        back = k.to_data(k.validate(read_form(form_tree(k.model), posted).data))
        assert back == data, (kind, doc_id)


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=20, deadline=None)
def test_random_grexes_round_trip_through_the_form(seed):
    """Every field of a grex survives grex -> form page (nl-NL text) -> grex exactly (decimal, no float drift)."""
    grex = random_grex(np.random.default_rng(seed), n_lines=8, n_years=8)
    k = get_kind("grex")
    assert browser_round_trip(k, grex_to_dict(grex)) == grex_to_dict(grex)


def test_quantity_price_and_groups_round_trip():
    data = grex_to_dict(load_grex(DEMO))
    data["kosten"][0].update(hoeveelheid=12500.0, eenheid="m²", eenheidsprijs=760.0, fase="Fase 1", deelgebied="Noord")
    data["kosten"][0][CostLine.model_fields["amount"].alias or "amount"] = 12500.0 * 760.0
    k = get_kind("grex")
    assert browser_round_trip(k, data) == data


# ---------------------------------------------------------------------------------------------- reading errors
def test_unreadable_values_name_their_form_field():
    form = FormFields.of("grex", load_grex(DEMO))
    amount = form.set(("kosten", 0, "amount"), "veel")
    rente = form.set(("rente",), "3")
    cell = form.set(("indices", "kostenstijging", 2025), "x")
    read = read_form(form.tree, form.items)
    assert {e.field for e in read.errors} == {amount, rente, cell}


def test_model_errors_are_mapped_back_to_form_fields():
    """A phasing not summing to 1 and an unknown kostensoort are found by the model (path kosten[i].…) and shown
    next to the inputs of the i-th cost row."""
    form = FormFields.of("grex", load_grex(DEMO))
    grid = form.set_years(("kosten", 2, "phasing"), {2026: "50%"})
    code = form.set(("kosten", 3, "kostensoort"), "Z9")
    index = form.set(("opbrengsten", 1, "index"), "bestaat_niet")
    read = read_form(form.tree, form.items)
    with pytest.raises(InputError) as info:
        form.kind.validate(read.data)
    errors = field_errors(form.tree, read, info.value)
    assert set(errors.fields) == {grid, code, index}
    assert "fasering telt op tot 0,5" in errors.fields[grid]
    assert "onbekende kostensoort" in errors.fields[code]
    assert label_of(form.tree, dict(form.items), code).startswith("Kosten 'Bodemsanering'")


@pytest.mark.parametrize(("kind", "edit", "path", "text"), [
    ("bijdrage", lambda d: d["gebieden"][1].update(ligt_in="Nergens"), ("gebieden", 1, "ligt_in"), "ligt_in alleen met"),
    ("bijdrage", lambda d: d["investeringen"][0].update(bruto=-5.0), ("investeringen", 0, "bruto"), "negatief"),
    ("kostenverhaal", lambda d: d["bovenwijkse_voorzieningen"][0].update(aandeel=1.5, woningen_totaal=None, woningen_plan=None), ("bovenwijkse_voorzieningen", 0, "aandeel"), "PTP-aandeel"),
    ("kostenverhaal", lambda d: d["programma"]["woningen"].update(sociaal=-3), ("programma", "woningen", "sociaal"), "negatief"),
    ("eindafrekening", lambda d: d["kosten"][0].update(categorie="Onbekend"), ("kosten", 0, "categorie"), "categorie hoort niet bij de betaling"),
    ("programma", lambda d: d["projecten"][0]["grex"]["kosten"][0].update(kostensoort="Q7"), ("projecten", 0, "grex", "kosten", 0, "kostensoort"), "onbekende kostensoort"),
])
def test_model_errors_of_every_kind_land_next_to_their_input(kind, edit, path, text):
    k = get_kind(kind)
    file = next(p for kk, p in DEMOS if kk == kind and (kind != "kostenverhaal" or "voorbeeld-3" in p.name))
    data = k.to_data(k.load(file))
    edit(data)
    tree = form_tree(k.model)
    read = read_form(tree, form_items(tree, data))
    with pytest.raises(InputError) as info:
        k.validate(read.data)
    errors = field_errors(tree, read, info.value)
    name = FormFields(kind, data).name(*path)
    assert name in errors.fields and text in errors.fields[name], errors.fields


def test_too_many_rows_is_an_input_error():
    tree = form_tree(get_kind("grex").model)
    items = [("kosten~rij", f"r{i}") for i in range(MAX_ROWS + 1)]
    read = read_form(tree, items)
    assert any(e.field == "kosten" and "te veel regels" in e.message for e in read.errors)


# ---------------------------------------------------------------------------------------------- viewers
@pytest.mark.parametrize("kind", [k.name for k in kinds() if k.confidential])
def test_viewers_get_no_input_for_a_confidential_field(kind):
    from opengrex.model.redact import map_confidential

    k = get_kind(kind)
    secret = "GEHEIM-onderhandelingsruimte"

    def fill(path, info, value):
        return secret if isinstance(info.get_default(call_default_factory=True), str) else value

    documents = [map_confidential(k.model, k.to_data(k.load(p)), fill, insert=True) for kk, p in DEMOS if kk == kind]
    data = next(d for d in documents if secret in render(k, d, sees=True))  # a demo with a confidential text field
    html = render(k, k.redact(data), sees=False)
    assert secret not in html
    tree = form_tree(k.model)
    confidential_keys = {n.key for _, n in tree.walk() if n.vertrouwelijk}
    posted = page_fields(html, "f")
    assert not any(name.rpartition(".")[2] in confidential_keys for name, _ in posted), [n for n, _ in posted if n.rpartition(".")[2] in confidential_keys][:3]
