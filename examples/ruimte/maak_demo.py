"""Maak de demolagen en demolocaties van 'De Brede Waard' (fictief) opnieuw: ``python examples/ruimte/maak_demo.py``.

Deterministisch (vaste coördinaten, geen toeval): de geometrieën zijn bij elke run gelijk. Schrijft
``lagen/<naam>.gpkg`` (EPSG:28992), ``locaties.gpkg`` (EPSG:28992) en ``locaties.geojson`` (EPSG:4326).
"""
from pathlib import Path

from opengrex.io.ruimte_demo import write_demo

if __name__ == "__main__":
    for p in write_demo(Path(__file__).resolve().parent):
        print(p)
