"""Charts of a portfolio valuation as SVG (matplotlib): the expected cash flow per year (realised vs expected) and the
book value over time. The PDF report framework (later) embeds these; the CLI writes them with ``--grafiek``."""
from __future__ import annotations

from pathlib import Path
from typing import Any


def _eur_axis(ax) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from opengrex.formatting import eur

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: eur(v / 1e6, 1) + " mln"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def portfolio_chart_svg(w: Any, path: str | Path) -> Path:
    """Write the two portfolio charts of valuation ``w`` (:class:`opengrex.services.bbv.Waardering`) as one SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    jf = w.jaren_frame()
    years = [int(y) for y in jf.index]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    a1.bar(years, jf["kasstroom_gerealiseerd"], color="#546e7a", label="gerealiseerd")
    a1.bar(years, jf["kasstroom_verwacht"], color="#90caf9", label="verwacht")
    a1.axhline(0, color="#333", linewidth=0.8)
    a1.set_title(f"Kasstroom portefeuille (€ nominaal), balansjaar {w.balansjaar}", fontsize=10)
    a1.legend(fontsize=8)
    a2.fill_between(years, jf["boekwaarde"], color="#1f77b4", alpha=0.4)
    a2.plot(years, jf["boekwaarde"], color="#1f77b4", marker="o", markersize=3)
    a2.axvline(w.balansjaar + 0.5, color="#999", linestyle="--", linewidth=0.8)
    a2.set_title("Boekwaarde portefeuille (balans, positief = voorraad)", fontsize=10)
    for ax in (a1, a2):
        _eur_axis(ax)
        ax.tick_params(labelsize=8)
    fig.tight_layout()
    p = Path(path)
    fig.savefig(p, format="svg")
    plt.close(fig)
    return p
