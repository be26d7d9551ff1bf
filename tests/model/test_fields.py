"""Field names and values as users read them, from the model (defect: the version compare showed
``kosten[0].amount 9500000.0 → 11000000.0`` and ``rente 0.02 → 0.03``)."""
from __future__ import annotations

from pathlib import Path

from opengrex.model.diff import diff
from opengrex.model.fields import describe_changes, field_meta, parse_path
from opengrex.model.grex import Grex
from opengrex.services.documents import compare_data
from opengrex.services.kinds import get_kind

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-grex.yaml"


def demo_data():
    k = get_kind("grex")
    return k.to_data(k.load(DEMO))


def test_parse_path():
    assert parse_path("kosten[0].amount") == ["kosten", 0, "amount"]
    assert parse_path("investeringen[Herinrichting centrumas].bruto") == ["investeringen", "Herinrichting centrumas", "bruto"]


def test_line_amount_and_rate_read_as_money_and_percent():
    a = demo_data()
    b = demo_data()
    amount_key = "bedrag" if "bedrag" in b["kosten"][0] else "amount"
    b["kosten"][0][amount_key] = 11_000_000.0
    a["kosten"][0][amount_key] = 9_500_000.0
    a["rente"], b["rente"] = 0.02, 0.03
    changes = {c["pad"]: c for c in describe_changes(Grex, diff(a, b))}
    rente = changes["rente"]
    assert (rente["veld"], rente["oud_tekst"], rente["nieuw_tekst"]) == ("Rente", "2,00%", "3,00%")
    line = changes[f"kosten[0].{amount_key}"]
    name = a["kosten"][0].get("naam", a["kosten"][0].get("name"))
    assert line["veld"] == f"Kosten › {name} › Bedrag" or line["veld"].startswith(f"Kosten › {name} › Bedrag")
    assert (line["oud_tekst"], line["nieuw_tekst"]) == ("€ 9.500.000", "€ 11.000.000")
    assert "0.02" not in str(rente["oud_tekst"]) and "9500000" not in line["oud_tekst"]


def test_compare_data_describes_every_change_and_whole_lines():
    a, b = demo_data(), demo_data()
    added = dict(b["kosten"][0])
    for key in ("naam", "name"):
        if key in added:
            added[key] = "Extra post"
    b["kosten"].append(added)
    cmp = compare_data(a, b, model=Grex)
    new = cmp["regels"]["toegevoegd"][0]
    assert new["nieuw_tekst"].startswith("Extra post (€ ") and new["veld"].startswith("Kosten")


def test_index_series_by_name_and_year():
    meta = field_meta(Grex, "indices.kostenstijging.2026") if "indices" in Grex.model_fields else None
    assert meta is not None and meta.eenheid == "%" and meta.labels[1:] == ("kostenstijging", "2026")
    assert meta.text(0.035) == "3,50%"


def test_one_walk_for_nested_lines_years_and_embedded_documents():
    """The walk the comparison page, the upload preview, the REST API and the Excel sheets share: a line by its name
    in the document (else by the diff's line, else its number), a year by its key, a document embedded in another by
    its own model's labels and units."""
    data = demo_data()
    name = data["kosten"][0].get("naam", data["kosten"][0].get("name"))
    assert field_meta(Grex, "kosten[0].fasering[2026]", data).labels == ("Kosten", name, "Fasering", "2026")
    assert field_meta(Grex, "kosten[0].bedrag", None, "kosten: Sloop").labels == ("Kosten", "Sloop", "Bedrag")
    assert field_meta(Grex, "kosten[3].bedrag").labels == ("Kosten", "regel 4", "Bedrag")
    assert parse_path("kosten[2].fasering[2027]") == ["kosten", 2, "fasering", 2027]
    k = get_kind("kostenverhaal")
    meta = field_meta(k.model, "initiatiefnemer.grex.inline.rente")
    assert meta.labels[-1] == "Rente" and meta.eenheid == "%" and meta.text(0.02) == "2,00%"
