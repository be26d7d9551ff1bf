"""Suite-wide settings: Starlette's TestClient sends ``Host: testserver``; the app answers only to allowed hosts
(:mod:`opengrex.web.security`), so the test name is allowed here, for the tests only."""
import os

os.environ.setdefault("OPENGREX_ALLOWED_HOSTS", "testserver")

