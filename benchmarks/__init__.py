"""Benchmarks: ``make bench`` (``python -m benchmarks``) runs ``run()`` of every ``bench_*.py`` module here.

Contract of a benchmark module: ``run() -> list[dict]``, one dict per figure with keys ``meting`` (what was measured),
``waarde`` (a number or text), ``eenheid`` (unit) and optionally ``toelichting``. Timings are printed, never asserted:
the tests prove correctness, the benchmarks only measure.

``python -m benchmarks grex`` runs only the modules whose name contains ``grex``.
"""
