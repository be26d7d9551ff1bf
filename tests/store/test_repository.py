"""Store: versions kept, compare, validation before writing, one transaction per unit of work, no lost update.
Every test runs on SQLite and on PostgreSQL (fixture ``db`` in conftest)."""
from __future__ import annotations

import copy
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from opengrex.errors import InputError
from opengrex.model.diff import diff
from opengrex.services import documents
from opengrex.services.documents import load_demo
from opengrex.services.grex import calculate_grex, grex_from_dict, load_grex
from opengrex.store import repository as repo
from opengrex.store.db import current_revision
from opengrex.store.models import Document, Version

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-grex.yaml"


def demo_data() -> dict:
    from opengrex.services.grex import grex_to_dict

    return grex_to_dict(load_grex(DEMO))


def ncw_of(data: dict) -> float:
    return calculate_grex(grex_from_dict(copy.deepcopy(data))).ncw


def test_migrations_create_schema(db):
    assert current_revision(db.engine) == "0003_lifecycle"
    with db.engine.connect() as conn:
        tables = set(db.engine.dialect.get_table_names(conn))
    assert {"documents", "versions", "users", "alembic_version"} <= tables
    db.upgrade()  # idempotent
    assert current_revision(db.engine) == "0003_lifecycle"


def test_create_and_versions_kept(db):
    data = demo_data()
    with db.transaction() as s:
        doc = documents.create(s, kind="grex", data=data, author="ans", comment="eerste")
        doc_id = doc.id
    changed = copy.deepcopy(data)
    changed["rente"] = 0.035
    changed2 = copy.deepcopy(changed)
    changed2["kosten"][0]["bedrag"] = 10_000_000
    with db.transaction() as s:
        assert documents.save_version(s, document_id=doc_id, data=changed, author="bob", comment="rente").number == 2
    with db.transaction() as s:
        assert documents.save_version(s, document_id=doc_id, data=changed2, author="bob", comment="verwerving").number == 3
    with db.transaction() as s:
        versions = repo.list_versions(s, document_id=doc_id)
        assert [v.number for v in versions] == [1, 2, 3]
        assert [v.author for v in versions] == ["ans", "bob", "bob"]
        assert versions[0].data["rente"] == data["rente"] and versions[1].data["rente"] == 0.035
        assert versions[2].data["kosten"][0]["bedrag"] == 10_000_000
        doc = repo.get_document(s, document_id=doc_id, kind="grex")
        assert doc.current_version == 3 and doc.data == versions[2].data
        # headline figures are the engine's, for each version
        assert doc.ncw == pytest.approx(ncw_of(changed2), abs=1e-6)
        assert versions[0].headline["ncw"] == pytest.approx(ncw_of(data), abs=1e-6)
        assert versions[0].headline["ncw"] != versions[1].headline["ncw"]


def test_compare_versions(db):
    data = demo_data()
    b = copy.deepcopy(data)
    b["rente"] = 0.03
    removed = b["kosten"].pop(3)
    b["kosten"][0]["bedrag"] += 100_000
    b["opbrengsten"].append({"naam": "Extra kavel", "opbrengstsoort": "overig", "bedrag": 250_000, "indexreeks": "geen", "fasering": {"2030": 1.0}})
    with db.transaction() as s:
        doc_id = documents.create(s, kind="grex", data=data).id
        documents.save_version(s, document_id=doc_id, data=b)
    with db.transaction() as s:
        cmp = documents.compare_versions(s, document_id=doc_id, a=1, b=2)
    assert [(c["pad"], c["oud"], c["nieuw"]) for c in cmp["velden"]] == [("rente", 0.02, 0.03)]
    assert [c["regel"] for c in cmp["regels"]["verwijderd"]] == [f"kosten: {removed['naam']}"]
    assert [c["regel"] for c in cmp["regels"]["toegevoegd"]] == ["opbrengsten: Extra kavel"]
    assert [(c["pad"], c["nieuw"] - c["oud"]) for c in cmp["regels"]["gewijzigd"]] == [("kosten[0].bedrag", 100_000)]
    # change in the headline = engine(b) - engine(a)
    expected = ncw_of(b) - ncw_of(data)
    assert cmp["resultaten"]["ncw"]["verschil"] == pytest.approx(expected, abs=1e-6)
    assert cmp["aantal_wijzigingen"] == 4


def test_invalid_input_writes_nothing(db):
    data = demo_data()
    with db.transaction() as s:
        doc_id = documents.create(s, kind="grex", data=data).id
    bad = copy.deepcopy(data)
    bad["kosten"][1]["fasering"] = {"2025": 0.5}
    with pytest.raises(InputError) as info:
        with db.transaction() as s:
            documents.save_version(s, document_id=doc_id, data=bad)
    assert info.value.field == "kosten[1].fasering"
    with pytest.raises(InputError):
        with db.transaction() as s:
            documents.create(s, kind="grex", data={"name": "x", "onbekend": 1})
    with db.transaction() as s:
        assert repo.count_rows(s) == {"documents": 1, "versions": 1}
        assert repo.get_document(s, document_id=doc_id).current_version == 1


def test_failure_in_unit_of_work_rolls_back_everything(db):
    data = demo_data()
    with db.transaction() as s:
        doc_id = documents.create(s, kind="grex", data=data).id

    class Boom(Exception):
        pass

    changed = copy.deepcopy(data)
    changed["rente"] = 0.04
    with pytest.raises(Boom):
        with db.transaction() as s:
            documents.save_version(s, document_id=doc_id, data=changed)  # flushed ...
            documents.create(s, kind="grex", data=data)
            raise Boom  # ... but the unit of work fails afterwards
    with db.transaction() as s:
        assert repo.count_rows(s) == {"documents": 1, "versions": 1}
        doc = repo.get_document(s, document_id=doc_id)
        assert doc.current_version == 1 and doc.data["rente"] == data["rente"]


def test_conflict_on_stale_base_version(db):
    data = demo_data()
    with db.transaction() as s:
        doc_id = documents.create(s, kind="grex", data=data).id
        documents.save_version(s, document_id=doc_id, data=data, base_version=1)
    with pytest.raises(repo.ConflictError) as info:
        with db.transaction() as s:
            documents.save_version(s, document_id=doc_id, data=data, base_version=1)
    assert info.value.current_version == 2
    with db.transaction() as s:
        assert repo.count_rows(s)["versions"] == 2


def test_not_found_and_delete_cascades(db):
    with db.transaction() as s:
        doc_id = documents.create(s, kind="grex", data=demo_data()).id
        documents.save_version(s, document_id=doc_id, data=demo_data())
    with db.transaction() as s:
        with pytest.raises(repo.NotFoundError) as info:
            repo.get_document(s, document_id=doc_id + 1)
        assert info.value.ident == doc_id + 1
        with pytest.raises(repo.NotFoundError):
            repo.get_document(s, document_id=doc_id, kind="kostenverhaal")
        with pytest.raises(repo.NotFoundError) as info:
            repo.get_version(s, document_id=doc_id, number=9)
        assert info.value.field == "version"
    with db.transaction() as s:
        repo.delete_document(s, document_id=doc_id)
    with db.transaction() as s:
        assert repo.count_rows(s) == {"documents": 0, "versions": 0}


def test_list_and_search(db):
    a = demo_data()
    b = copy.deepcopy(a)
    b["naam"] = "Stationsgebied Noord"
    with db.transaction() as s:
        documents.create(s, kind="grex", data=a)
        documents.create(s, kind="grex", data=b)
    with db.transaction() as s:
        assert {d.name for d in repo.list_documents(s)} == {a["naam"], "Stationsgebied Noord"}
        assert [d.name for d in repo.list_documents(s, kind="grex", q="station")] == ["Stationsgebied Noord"]
        assert repo.list_documents(s, kind="programma") == []
        with pytest.raises(InputError) as info:
            documents.list_documents(s, kind="onzin")
        assert info.value.field == "kind"


def test_demo_loads_once(db):
    with db.transaction() as s:
        first = load_demo(s)
    with db.transaction() as s:
        second = load_demo(s)
        names = [d.name for d in repo.list_documents(s, kind="grex")]
    assert any(item.startswith("grex:") for item in first.loaded)
    assert second.loaded == [] and len(second.present) == len(first.loaded)
    assert names == [yaml.safe_load(DEMO.read_text())["naam"]]


def test_concurrent_saves_lose_nothing(db):
    """Eight threads each save five versions of the same document: 1 + 40 versions, numbered 1..41."""
    data = demo_data()
    with db.transaction() as s:
        doc_id = documents.create(s, kind="grex", data=data).id
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for j in range(5):
                d = copy.deepcopy(data)
                d["kosten"][0]["bedrag"] = 9_000_000 + 1000 * k + j
                with db.transaction() as s:
                    documents.save_version(s, document_id=doc_id, data=d, author=f"w{k}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.transaction() as s:
        numbers = list(s.scalars(select(Version.number).where(Version.document_id == doc_id).order_by(Version.number)))
        doc = s.get(Document, doc_id)
        assert numbers == list(range(1, 42))
        assert doc.current_version == 41
        assert doc.data == s.scalars(select(Version.data).where(Version.document_id == doc_id, Version.number == 41)).one()


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=3))
json_trees = st.recursive(json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)), max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(json_trees, json_trees)
def test_diff_empty_iff_equal(a, b):
    """Invariant of the comparison: no changes exactly when the two documents are equal."""
    assert (diff(a, b) == []) == (a == b)
    assert diff(a, a) == []


def test_diff_lines_matched_by_name():
    a = {"kosten": [{"name": "x", "amount": 1}, {"name": "y", "amount": 2}]}
    b = {"kosten": [{"name": "new", "amount": 5}, {"name": "y", "amount": 2}, {"name": "x", "amount": 1}]}
    changes = diff(a, b)
    assert [(c["soort"], c["regel"]) for c in changes] == [("toegevoegd", "kosten: new"), ("volgorde", None)]
    assert changes[1]["oud"] == ["x", "y"] and changes[1]["nieuw"] == ["y", "x"]


def test_stored_case_embeds_its_grex_and_recalculates_elsewhere(tmp_path, monkeypatch):
    """A kostenverhaal case that refers to a grex file is stored with that grex inline: it does not depend on a
    path on this machine (recalculated from another working folder, with the example files gone from view)."""
    from opengrex.services.kostenverhaal import calculate_case, load_case

    src = Path(__file__).resolve().parents[2] / "examples" / "kostenverhaal" / "met-grex.yaml"
    case = load_case(src)
    p = documents.prepare(kind="kostenverhaal", model=case)
    text = yaml.safe_dump(p.data)
    assert "demo-grex.yaml" not in text and "inline" in text
    monkeypatch.chdir(tmp_path)
    again = documents.prepare(kind="kostenverhaal", data=p.data)
    assert again.summary["exploitatiebijdrage"] == pytest.approx(calculate_case(case).to_dict()["exploitatiebijdrage"], abs=0.005)


def test_bijdrage_headline_sums_its_tables():
    """List figures of a financiële-bijdrage document: Σ counted net investments (tabel 1) and Σ amount for new plans
    (tabel 2), computed from the tables themselves."""
    from opengrex.services.bijdrage import calculate_bijdrage, load_bijdrage_input

    src = Path(__file__).resolve().parents[2] / "examples" / "kostenverhaal" / "soest-bijdrage-illustratief.yaml"
    p = documents.prepare(kind="bijdrage", model=load_bijdrage_input(src))
    tables = calculate_bijdrage(load_bijdrage_input(src)).to_dict()
    assert p.headline["netto_investeringen"] == pytest.approx(sum(r["meetellend"] for r in tables["tabel1"]))
    assert p.headline["bedrag_nieuwe_plannen"] == pytest.approx(sum(r["bedrag_nieuw"] for r in tables["tabel2"]))
    assert p.headline["bedrag_nieuwe_plannen"] > 0


def test_refresh_headlines_recomputes_list_figures_without_a_new_version(db):
    """`opengrex db herbereken`: figures derived from stored inputs are recomputed; inputs and versions stay."""
    with db.transaction() as s:
        doc = documents.create(s, kind="grex", data=demo_data())
        doc_id, true_ncw = doc.id, doc.ncw
        doc.headline = {"ncw": 1.0}  # as stored by an older engine
        doc.ncw = 1.0
    with db.transaction() as s:
        report = documents.refresh_headlines(s)
    assert len(report["bijgewerkt"]) == 1 and report["fout"] == []
    with db.transaction() as s:
        doc = repo.get_document(s, document_id=doc_id)
        assert doc.ncw == pytest.approx(true_ncw) and doc.headline["ncw"] == pytest.approx(true_ncw)
        assert doc.current_version == 1 and len(repo.list_versions(s, document_id=doc_id)) == 1
    with db.transaction() as s:
        assert documents.refresh_headlines(s)["bijgewerkt"] == []
