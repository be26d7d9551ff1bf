"""The document lifecycle on SQLite and PostgreSQL (issue #11 item 8, #14 item 6): status, archive, the bin with a
30-day purge (frozen clock), restore, duplicate, the BBV states of a grex (openen, afsluiten with its booking,
heropenen with a reason), a closed grex refusing edits, references that follow or freeze a grex, the jaarovergang of a
stored portfolio, the audit trail of each action — and every refused action changing nothing."""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

from opengrex.errors import InputError
from opengrex.services import documents, lifecycle, references
from opengrex.services.kinds import get_kind
from opengrex.services.portefeuille import roll_stored
from opengrex.store import models
from opengrex.store import repository as repo

ROOT = Path(__file__).resolve().parents[2]
BBV = ROOT / "examples" / "bbv"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def demo_grex() -> dict:
    k = get_kind("grex")
    return k.to_data(k.load(ROOT / "examples" / "demo-grex.yaml"))


def finished_grex(profit: bool = True) -> dict:
    """Fully realised in 2024 (rente 0): costs 1000, revenues 1500 (or 600): final result +500 (or -400)."""
    return {
        "naam": "Kerkpad (afgerond)", "prijspeil": "2024-01-01", "startjaar": 2024, "eindjaar": 2024, "timing": "end", "rente": 0.0,
        "disconteringsvoet": 0.02, "gerealiseerd_tot_en_met": 2024, "indexreeksen": {"geen": 0.0},
        "kosten": [{"naam": "Alles", "kostensoort": "A2", "bedrag": 0.0, "indexreeks": "geen", "fasering": {2024: 1.0}, "gerealiseerd": {2024: 1000.0}}],
        "opbrengsten": [{"naam": "Kavels", "opbrengstsoort": "gronduitgifte_woningbouw", "bedrag": 0.0, "indexreeks": "geen", "fasering": {2024: 1.0},
                         "gerealiseerd": {2024: 1500.0 if profit else 600.0}}],
    }


def kostenverhaal_with(grex_id: int, **ref) -> dict:
    """The kostenverhaal example 'met-grex' whose initiatiefnemer's grex is stored document ``grex_id``."""
    k = get_kind("kostenverhaal")
    data = k.to_data(k.load(ROOT / "examples" / "kostenverhaal" / "met-grex.yaml"))
    data["initiatiefnemer"]["grex"] = {"grex_document": {"id": grex_id, **ref}, "basis": "contante_waarde"}
    return data


@pytest.fixture
def clock(monkeypatch):
    """The store's clock, frozen at ``clock.now`` (advance it with ``clock.now += timedelta``)."""

    class Clock:
        now = T0

    c = Clock()
    monkeypatch.setattr(models, "utcnow", lambda: c.now)
    return c


def actions(s, doc_id: int) -> list[str]:
    return [e.action for e in repo.list_audit(s, document_id=doc_id)]


def audit_count(s) -> int:
    from sqlalchemy import func, select

    return s.scalar(select(func.count()).select_from(models.AuditEntry))


# ---------------------------------------------------------------------------------------------- status, archive
def test_new_documents_start_actief_and_a_grex_in_voorbereiding(db):
    with db.transaction() as s:
        g = documents.create(s, kind="grex", data=demo_grex(), author="ans", comment="eerste opzet")
        p = documents.create(s, kind="portefeuille", model=get_kind("portefeuille").load(BBV / "portefeuille-2023.yaml"), author="ans")
        gid, pid = g.id, p.id
    with db.transaction() as s:
        g, p = repo.get_document(s, document_id=gid), repo.get_document(s, document_id=pid)
        assert (g.status, g.bbv_status, p.status, p.bbv_status) == ("actief", "in_voorbereiding", "actief", None)
        e = repo.list_audit(s, document_id=gid)[0]
        assert (e.action, e.version, e.actor, e.comment, e.details) == ("aanmaken", 1, "ans", "eerste opzet", {"bbv_status": "in_voorbereiding"})
        with pytest.raises(InputError, match="BBV-status"):
            documents.create(s, kind="grex", data=demo_grex(), bbv_status="afgesloten")
        with pytest.raises(InputError, match="geen BBV-status"):
            documents.create(s, kind="portefeuille", model=get_kind("portefeuille").load(BBV / "portefeuille-2023.yaml"), bbv_status="in_exploitatie")


def test_archive_refuses_edits_until_unarchived(db, clock):
    with db.transaction() as s:
        gid = documents.create(s, kind="grex", data=demo_grex(), author="ans").id
    with db.transaction() as s:
        lifecycle.archive(s, document_id=gid, actor="bert", comment="oude variant")
    with db.transaction() as s:
        n = audit_count(s)
        with pytest.raises(lifecycle.StatusError) as info:
            documents.save_version(s, document_id=gid, data=demo_grex(), author="bert")
        assert info.value.status == "gearchiveerd" and "dearchiveren" in info.value.allowed
        assert info.value.as_dict()["field"] == "status" and info.value.as_dict()["value"] == "gearchiveerd"
        with pytest.raises(lifecycle.StatusError, match="al gearchiveerd"):
            lifecycle.archive(s, document_id=gid)
        assert audit_count(s) == n
    with db.transaction() as s:
        assert repo.get_document(s, document_id=gid).current_version == 1
        assert [d.id for d in documents.list_documents(s, status="gearchiveerd")] == [gid]
        assert documents.list_documents(s, status="actief") == []
        lifecycle.unarchive(s, document_id=gid, actor="bert")
        assert documents.save_version(s, document_id=gid, data=demo_grex(), author="bert", comment="weer actief").number == 2
    with db.transaction() as s:
        trail = lifecycle.audit_trail(s, document_id=gid)
        assert [(e["actie"], e["door"], e["versie"]) for e in trail] == [
            ("aanmaken", "ans", 1), ("archiveren", "bert", 1), ("dearchiveren", "bert", 1), ("nieuwe_versie", "bert", 2)]
        assert trail[1]["toelichting"] == "oude variant" and trail[1]["details"] == {"status": {"van": "actief", "naar": "gearchiveerd"}}
        assert trail[3]["toelichting"] == "weer actief"


# ---------------------------------------------------------------------------------------------- the bin
def test_delete_to_the_bin_restore_and_purge_after_30_days(db, clock):
    with db.transaction() as s:
        keep = documents.create(s, kind="grex", data=demo_grex(), author="ans").id
        gone = documents.create(s, kind="grex", data=demo_grex() | {"naam": "Weg ermee"}, author="ans").id
        documents.save_version(s, document_id=gone, data=demo_grex() | {"naam": "Weg ermee"}, author="ans")
    with db.transaction() as s:
        lifecycle.delete(s, document_id=gone, kind="grex", actor="bert", comment="dubbel")
    with db.transaction() as s:
        with pytest.raises(repo.NotFoundError, match="prullenbak"):
            repo.get_document(s, document_id=gone)
        assert [d.id for d in documents.list_documents(s)] == [keep]
        (row,) = lifecycle.bin_contents(s)
        assert (row["id"], row["verwijderd_door"], row["dagen_over"]) == (gone, "bert", 30)
        assert row["definitief_verwijderd_op"] == T0 + dt.timedelta(days=30)
        with pytest.raises(lifecycle.StatusError, match="staat niet in de prullenbak"):
            lifecycle.restore(s, document_id=keep)
    # restore, delete again
    clock.now = T0 + dt.timedelta(days=3)
    with db.transaction() as s:
        lifecycle.restore(s, document_id=gone, actor="bert")
        assert repo.get_document(s, document_id=gone).current_version == 2
        lifecycle.delete(s, document_id=gone, actor="bert")
    # 29 days later: still recoverable
    clock.now = T0 + dt.timedelta(days=3 + 29, hours=23)
    with db.transaction() as s:
        assert lifecycle.purge_expired(s) == []
        assert lifecycle.bin_contents(s)[0]["dagen_over"] == 1
    # after 30 days: purged, versions and references gone, the audit trail stays and records it
    clock.now = T0 + dt.timedelta(days=3 + 30, seconds=1)
    with db.transaction() as s:
        assert lifecycle.purge_expired(s, actor="opengrex db opschonen") == [f"grex {gone} (Weg ermee)"]
    with db.transaction() as s:
        assert repo.count_rows(s) == {"documents": 1, "versions": 1}
        with pytest.raises(repo.NotFoundError):
            repo.get_document(s, document_id=gone, include_deleted=True)
        trail = lifecycle.audit_trail(s, document_id=gone)
        assert [e["actie"] for e in trail] == ["aanmaken", "nieuwe_versie", "verwijderen", "herstellen", "verwijderen", "opschonen"]
        assert trail[2]["toelichting"] == "dubbel" and trail[-1]["door"] == "opengrex db opschonen"
        assert trail[-1]["details"]["versies"] == 2
        assert lifecycle.bin_contents(s) == []


def test_duplicate_is_a_new_document_at_version_1(db, clock):
    with db.transaction() as s:
        gid = documents.create(s, kind="grex", data=demo_grex(), author="ans").id
        documents.save_version(s, document_id=gid, data=demo_grex(), author="ans")
        lifecycle.open_grex(s, document_id=gid, actor="ans")
    with db.transaction() as s:
        copy_id = lifecycle.duplicate(s, document_id=gid, kind="grex", actor="bert", comment="variant B").id
    with db.transaction() as s:
        src, dup = repo.get_document(s, document_id=gid), repo.get_document(s, document_id=copy_id)
        assert dup.name == "Kopie van De Hoge Akker (demo)" and dup.data["naam"] == dup.name and dup.current_version == 1
        assert (dup.bbv_status, dup.status) == ("in_voorbereiding", "actief")
        assert dup.headline == src.headline and {k: v for k, v in dup.data.items() if k != "naam"} == {k: v for k, v in src.data.items() if k != "naam"}
        assert actions(s, gid)[-1] == "dupliceren" and repo.list_audit(s, document_id=gid)[-1].details == {"kopie": {"id": copy_id, "naam": dup.name}}
        first = repo.list_audit(s, document_id=copy_id)[0]
        assert (first.action, first.comment, first.details["kopie_van"]) == ("aanmaken", "variant B", {"id": gid, "versie": 2, "naam": src.name})


# ---------------------------------------------------------------------------------------------- BBV: afsluiten, heropenen
def test_closed_grex_books_its_result_refuses_edits_and_reopens_with_a_reason(db, clock):
    with db.transaction() as s:
        gid = documents.create(s, kind="grex", data=finished_grex(), author="ans", bbv_status="in_exploitatie").id
    with db.transaction() as s:  # refused actions write nothing
        n = audit_count(s)
        with pytest.raises(lifecycle.StatusError, match="alleen een afgesloten"):
            lifecycle.reopen(s, document_id=gid, reden="x")
        assert audit_count(s) == n
    with db.transaction() as s:
        booking = lifecycle.close(s, document_id=gid, actor="controller", toelichting="project gereed", winst_vorig=200.0, datum=dt.date(2025, 2, 1))
    # hand-computed: result 1500 - 1000 = 500; 200 taken before, 300 now; no voorziening
    assert (booking["eindresultaat"], booking["winst_slot"], booking["vrijval_voorziening"]) == (500.0, 300.0, 0.0)
    assert (booking["balansjaar"], booking["datum"], booking["bron"]) == (2024, "2025-02-01", "opgegeven")
    with db.transaction() as s:
        doc = repo.get_document(s, document_id=gid)
        assert doc.bbv_status == "afgesloten" and doc.closing["eindresultaat"] == 500.0
        n = audit_count(s)
        with pytest.raises(lifecycle.StatusError) as info:
            documents.save_version(s, document_id=gid, data=finished_grex(), author="bert")
        assert info.value.status == "afgesloten" and "heropen" in info.value.allowed and "afgesloten" in info.value.message
        with pytest.raises(lifecycle.StatusError, match="jaarrekening"):
            lifecycle.delete(s, document_id=gid)
        with pytest.raises(lifecycle.StatusError, match="in exploitatie"):
            lifecycle.close(s, document_id=gid)
        with pytest.raises(InputError, match="reden") as missing:
            lifecycle.reopen(s, document_id=gid, actor="wethouder", reden="   ")
        assert missing.value.field == "reden"
        assert audit_count(s) == n and repo.get_document(s, document_id=gid).current_version == 1
    with db.transaction() as s:
        lifecycle.reopen(s, document_id=gid, actor="wethouder", reden="nagekomen saneringskosten")
    with db.transaction() as s:
        doc = repo.get_document(s, document_id=gid)
        assert (doc.bbv_status, doc.closing) == ("in_exploitatie", None)
        assert documents.save_version(s, document_id=gid, data=finished_grex(), author="bert", comment="sanering").number == 2
        trail = lifecycle.audit_trail(s, document_id=gid)
        assert [(e["actie"], e["door"]) for e in trail] == [("aanmaken", "ans"), ("afsluiten", "controller"), ("heropenen", "wethouder"), ("nieuwe_versie", "bert")]
        assert trail[1]["toelichting"] == "project gereed" and trail[1]["details"]["boeking"]["winst_slot"] == 300.0
        assert trail[1]["details"]["bbv_status"] == {"van": "in_exploitatie", "naar": "afgesloten"}
        assert trail[2]["toelichting"] == "nagekomen saneringskosten" and trail[2]["details"]["eindresultaat_vervallen"] == 500.0


def test_close_a_loss_uses_the_voorziening_of_the_stored_portfolio(db, clock):
    """Last year's voorziening comes from the one stored portfolio that holds the grex (by reference)."""
    with db.transaction() as s:
        gid = documents.create(s, kind="grex", data=finished_grex(profit=False), author="ans", bbv_status="in_exploitatie").id
        pf = {"naam": "Gemeente Test", "balansjaar": 2024, "grexen": [{"grex_document": {"id": gid, "volgt": True}, "voorziening_vorig": 300.0},
                                                                      {"grex": demo_grex()}]}
        pid = documents.create(s, kind="portefeuille", data=pf, author="ans").id
    with db.transaction() as s:
        booking = lifecycle.close(s, document_id=gid, actor="controller")
    # loss 400: 300 from the voorziening, 100 charged to this year
    assert (booking["eindresultaat"], booking["aanwending_voorziening"], booking["verlies_ten_laste_van_dit_jaar"]) == (-400.0, 300.0, 100.0)
    assert booking["bron"].startswith("portefeuille 'Gemeente Test'")
    with db.transaction() as s:  # the following portfolio took the status and the booked result
        p = repo.get_document(s, document_id=pid)
        entry = p.data["grexen"][0]
        assert p.current_version == 2 and (entry["status"], entry["eindresultaat"]) == ("afgesloten", -400.0)
        assert actions(s, pid) == ["aanmaken", "koppeling_volgen"]


def test_close_refused_while_not_realised_writes_nothing(db):
    with db.transaction() as s:
        gid = documents.create(s, kind="grex", data=demo_grex(), author="ans").id
    with db.transaction() as s:
        with pytest.raises(lifecycle.StatusError, match="open haar eerst"):
            lifecycle.close(s, document_id=gid)
        lifecycle.open_grex(s, document_id=gid, actor="ans", comment="raadsbesluit 12-3")
    with db.transaction() as s:
        n = audit_count(s)
        with pytest.raises(InputError, match="niet gerealiseerd") as info:
            lifecycle.close(s, document_id=gid, actor="ans")
        assert info.value.field == "gerealiseerd_tot_en_met"
    with db.transaction() as s:
        assert audit_count(s) == n and repo.get_document(s, document_id=gid).bbv_status == "in_exploitatie"


# ---------------------------------------------------------------------------------------------- references
def test_kostenverhaal_follows_the_grex_or_states_the_version_it_froze(db, clock):
    with db.transaction() as s:
        gid = documents.create(s, kind="grex", data=demo_grex(), author="ans").id
        follows = documents.create(s, kind="kostenverhaal", data=kostenverhaal_with(gid, volgt=True), author="ans").id
        frozen = documents.create(s, kind="kostenverhaal", data=kostenverhaal_with(gid, versie=1), author="ans").id
        archived = documents.create(s, kind="kostenverhaal", data=kostenverhaal_with(gid, volgt=True), author="ans").id
        lifecycle.archive(s, document_id=archived)
    with db.transaction() as s:
        kv = repo.get_document(s, document_id=follows)
        assert kv.data["initiatiefnemer"]["grex"]["grex_document"] == {"id": gid, "versie": 1, "volgt": True}
        assert kv.data["initiatiefnemer"]["grex"]["inline"] == repo.get_document(s, document_id=gid).data  # embedded: complete
        before = kv.headline
    cheaper = demo_grex()
    cheaper["kosten"][0]["bedrag"] = 1_000_000.0
    with db.transaction() as s:
        documents.save_version(s, document_id=gid, data=cheaper, author="bert", comment="goedkoper verwerven")
    with db.transaction() as s:
        kv = repo.get_document(s, document_id=follows)
        assert kv.current_version == 2 and kv.data["initiatiefnemer"]["grex"]["inline"]["kosten"][0]["bedrag"] == 1_000_000.0
        assert kv.headline != before
        (link,) = references.link_status(s, kv)
        assert (link["versie"], link["huidige_versie"], link["volgt"], link["actueel"]) == (2, 2, True, True)
        e = repo.list_audit(s, document_id=follows)[-1]
        assert (e.action, e.actor, e.details) == ("koppeling_volgen", "bert", {"bron": {"id": gid, "versie": 2}})
        grex_entry = repo.list_audit(s, document_id=gid)[-1]
        assert grex_entry.details["volgers"]["bijgewerkt"] == [follows]
        assert grex_entry.details["volgers"]["niet_bijgewerkt"][0]["id"] == archived
        # the frozen one still uses version 1 and says so
        fz = repo.get_document(s, document_id=frozen)
        (link,) = references.link_status(s, fz)
        assert (fz.current_version, link["versie"], link["huidige_versie"], link["actueel"]) == (1, 1, 2, False)
        assert "Bevroren op versie 1" in link["melding"] and "de huidige is versie 2" in link["melding"]
        assert repo.get_document(s, document_id=archived).current_version == 1
    with db.transaction() as s:
        v = references.update_links(s, kind="kostenverhaal", document_id=frozen, actor="ans")
    with db.transaction() as s:
        fz = repo.get_document(s, document_id=frozen)
        (link,) = references.link_status(s, fz)
        assert (v.number, link["versie"], link["actueel"], link["volgt"]) == (2, 2, True, False)
        assert fz.data["initiatiefnemer"]["grex"]["grex_document"] == {"id": gid, "versie": 2, "volgt": False}
        assert actions(s, frozen)[-1] == "koppeling_bijwerken"
        with pytest.raises(InputError, match="al de huidige versie"):
            references.update_links(s, kind="kostenverhaal", document_id=frozen)


def test_a_reference_to_a_missing_or_wrong_document_names_the_field(db):
    with db.transaction() as s:
        gid = documents.create(s, kind="grex", data=demo_grex()).id
        kid = documents.create(s, kind="kostenverhaal", data=kostenverhaal_with(gid, volgt=True)).id
    with db.transaction() as s:
        for bad, field, message in ((kostenverhaal_with(999), "initiatiefnemer.grex.grex_document.id", "bestaat niet"),
                                    (kostenverhaal_with(gid, versie=7), "initiatiefnemer.grex.grex_document.versie", "versie 7"),
                                    (kostenverhaal_with(kid), "initiatiefnemer.grex.grex_document.id", "bestaat niet")):
            with pytest.raises(InputError) as info:
                documents.create(s, kind="kostenverhaal", data=bad)
            assert info.value.field == field and message in info.value.message


# ---------------------------------------------------------------------------------------------- stored portfolio
def stored_portfolio(s) -> tuple[int, list[int]]:
    """The demo portfolio at 31-12-2023 with its first two grexes stored as grex documents (in exploitatie) and
    referred to: one followed, one frozen at version 1."""
    pf = get_kind("portefeuille").to_data(get_kind("portefeuille").load(BBV / "portefeuille-2023.yaml"))
    ids = []
    for i, how in ((0, {"volgt": True}), (1, {"versie": 1})):
        entry = pf["grexen"][i]
        ids.append(documents.create(s, kind="grex", data=entry.pop("grex"), author="controller", bbv_status="in_exploitatie").id)
        entry["grex_document"] = {"id": ids[-1], **how}
    return documents.create(s, kind="portefeuille", data=pf, author="controller").id, ids


def test_jaarovergang_of_a_stored_portfolio_writes_new_versions_in_one_transaction(db, clock):
    from opengrex.services.bbv import load_portfolio, roll_portfolio

    with db.transaction() as s:
        pid, ids = stored_portfolio(s)
        assert repo.get_document(s, document_id=pid).headline["ncw"] == pytest.approx(-3_736_768.35, abs=0.01)  # README
    with db.transaction() as s:
        jo, written = roll_stored(s, document_id=pid, grootboek=BBV / "grootboek-2024.csv", actor="controller", comment="jaarrekening 2024")
    expected = roll_portfolio(load_portfolio(BBV / "portefeuille-2023.yaml"), BBV / "grootboek-2024.csv", 2024).totals()["ncw"]
    assert jo.totals()["ncw"]["na"] == pytest.approx(expected["na"], abs=1e-6)
    assert written == {"portefeuille": {"id": pid, "versie": 2}, "grexen": [{"id": ids[0], "naam": "De Hoge Akker", "versie": 2},
                                                                          {"id": ids[1], "naam": "Stationskwartier", "versie": 2}]}
    with db.transaction() as s:
        p = repo.get_document(s, document_id=pid)
        assert p.current_version == 2 and p.data["balansjaar"] == 2024
        assert [e["grex_document"] for e in p.data["grexen"][:2]] == [{"id": ids[0], "versie": 2, "volgt": True}, {"id": ids[1], "versie": 2, "volgt": False}]
        for gid in ids:
            g = repo.get_document(s, document_id=gid)
            assert g.current_version == 2 and g.data["prijspeil"] == "2025-01-01" and g.data["gerealiseerd_tot_en_met"] == 2024
            assert actions(s, gid) == ["aanmaken", "jaarovergang"]
        assert actions(s, pid) == ["aanmaken", "jaarovergang"]
        last = repo.list_audit(s, document_id=pid)[-1]
        assert last.comment.startswith("jaarovergang 2024 → 2025") and last.comment.endswith("jaarrekening 2024")
        assert last.details["ncw"]["na"] == pytest.approx(expected["na"], abs=1e-6)
        n = audit_count(s)
    # applied twice: refused, nothing written
    with db.transaction() as s:
        with pytest.raises(InputError, match="al toegepast"):
            roll_stored(s, document_id=pid, grootboek=BBV / "grootboek-2024.csv", jaar=2024, actor="controller")
    with db.transaction() as s:
        assert audit_count(s) == n and repo.get_document(s, document_id=pid).current_version == 2


def test_jaarovergang_refused_midway_changes_nothing(db, clock):
    """The second stored grex is archived: its new version is refused after the first grex's was written — the
    whole transaction rolls back."""
    with db.transaction() as s:
        pid, ids = stored_portfolio(s)
        lifecycle.archive(s, document_id=ids[1])
        n = audit_count(s)
    with pytest.raises(lifecycle.StatusError, match="gearchiveerd"):
        with db.transaction() as s:
            roll_stored(s, document_id=pid, grootboek=BBV / "grootboek-2024.csv", actor="controller")
    with db.transaction() as s:
        assert audit_count(s) == n
        assert [repo.get_document(s, document_id=i).current_version for i in (pid, *ids)] == [1, 1, 1]
        assert repo.count_rows(s)["versions"] == 3


def test_a_changed_frozen_grex_stops_the_jaarovergang(db, clock):
    """The portfolio holds version 1 of the frozen grex; someone saved version 2 since: 409, nothing written."""
    with db.transaction() as s:
        pid, ids = stored_portfolio(s)
        data = copy.deepcopy(repo.get_document(s, document_id=ids[1]).data)
        documents.save_version(s, document_id=ids[1], data=data | {"omschrijving": "herzien"}, author="bert")
    with pytest.raises(repo.ConflictError):
        with db.transaction() as s:
            roll_stored(s, document_id=pid, grootboek=BBV / "grootboek-2024.csv", actor="controller")
    with db.transaction() as s:
        assert [repo.get_document(s, document_id=i).current_version for i in (pid, *ids)] == [1, 1, 2]
