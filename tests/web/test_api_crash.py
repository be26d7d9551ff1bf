"""Killing the server (a real ``opengrex serve`` / uvicorn process on 127.0.0.1, SIGKILL) in the middle of uploads
leaves the database consistent: integrity check passes, every document has exactly its versions 1..n, its data is
that of version n, and every write the server acknowledged before the kill is there."""
from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import sys
import threading
import time
from pathlib import Path

import httpx

from opengrex.testing import free_port, start_server

ROOT = Path(__file__).resolve().parents[2]
OPENGREX = Path(sys.executable).with_name("opengrex")


def check_consistent(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        docs = conn.execute("SELECT id, current_version, data FROM documents").fetchall()
        for doc_id, current, data in docs:
            numbers = [n for (n,) in conn.execute("SELECT number FROM versions WHERE document_id = ? ORDER BY number", (doc_id,))]
            assert numbers == list(range(1, current + 1)), (doc_id, current, numbers)
            (latest,) = conn.execute("SELECT data FROM versions WHERE document_id = ? AND number = ?", (doc_id, current)).fetchone()
            assert json.loads(latest) == json.loads(data)
        orphans = conn.execute("SELECT count(*) FROM versions WHERE document_id NOT IN (SELECT id FROM documents)").fetchone()[0]
        assert orphans == 0
        return {
            "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "versions": conn.execute("SELECT count(*) FROM versions").fetchone()[0],
        }
    finally:
        conn.close()


def test_sigkill_during_uploads_leaves_database_consistent(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(tmp_path, port)
    demo = (ROOT / "examples" / "demo-grex.yaml").read_bytes()
    acknowledged = {"created": 0, "versions": 0}
    lock = threading.Lock()
    stop = threading.Event()

    def uploader(k: int) -> None:
        with httpx.Client(base_url=base, timeout=10) as c:
            i = 0
            while not stop.is_set():
                i += 1
                body = demo.replace(b"rente: 0.02", f"rente: 0.0{2 + (i % 5)}".encode())
                try:
                    if k == 0:
                        r = c.post("/api/grex/upload", files={"file": (f"n{i}.yaml", body.replace(b"De Hoge Akker (demo)", f"Kopie {k}-{i}".encode()), "application/yaml")})
                        key = "created" if r.status_code == 201 else None
                    else:
                        r = c.post("/api/grex/1/upload", files={"file": (f"v{i}.yaml", body, "application/yaml")})
                        key = "versions" if r.status_code == 200 else None
                except httpx.HTTPError:
                    return  # the server is gone
                if key:
                    with lock:
                        acknowledged[key] += 1

    # an upload that is still being sent when the server dies
    half = socket.create_connection(("127.0.0.1", port))
    boundary = "grens"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.yaml\"\r\nContent-Type: application/yaml\r\n\r\n").encode()
    half.sendall(f"POST /api/grex/1/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(head) + len(demo) * 4}\r\n\r\n".encode() + head + demo[: len(demo) // 2])

    threads = [threading.Thread(target=uploader, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (acknowledged["versions"] < 10 or acknowledged["created"] < 3):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # mid-traffic: uploads in flight
    proc.wait(timeout=10)
    printed = proc.stdout.read()
    assert f"http://127.0.0.1:{port}" in printed and "demo geladen: grex: examples/demo-grex.yaml" in printed
    stop.set()
    for t in threads:
        t.join(timeout=15)
    half.close()

    counts = check_consistent(tmp_path / "opengrex.db")
    assert acknowledged["versions"] >= 10 and acknowledged["created"] >= 3
    # every acknowledged write survived: 1 demo grex (+ bijdrage demo) + created; versions of doc 1 >= 1 + acknowledged
    conn = sqlite3.connect(tmp_path / "opengrex.db")
    (v1,) = conn.execute("SELECT current_version FROM documents WHERE id = 1").fetchone()
    conn.close()
    assert v1 >= 1 + acknowledged["versions"]
    assert counts["documents"] >= 1 + acknowledged["created"]

    # the app starts again on the same database and sees the same rows (demo not loaded twice)
    proc2 = start_server(tmp_path, port)
    try:
        health = httpx.get(f"{base}/api/health").json()
        assert (health["documents"], health["versions"]) == (counts["documents"], counts["versions"])
    finally:
        proc2.send_signal(signal.SIGTERM)
        proc2.wait(timeout=20)
