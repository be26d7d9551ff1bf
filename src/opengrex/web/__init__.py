"""The opengrex web app (FastAPI): REST API under ``/api/`` (:mod:`opengrex.web.api`), server-rendered pages
(:mod:`opengrex.web.pages`), static files. Build it with :func:`opengrex.web.app.create_app`."""
