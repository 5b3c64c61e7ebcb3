"""PySpark's Python worker daemon, with the archive's executor code loaded before it forks.

Every Python worker an executor starts is forked from this daemon. Stock PySpark forks them
from a bare interpreter, so each worker imports wireingest, numpy and the numba kernels on
its first task (seconds per worker, and PySpark retires workers idle for a minute). Here the
daemon loads them once, and signs and verifies one article, so every fork starts warm.
Enabled by ``spark_session`` through ``spark.python.daemon.module``.
"""

from __future__ import annotations

from pyspark import daemon


def preload() -> None:
    """Import the executor code and load the kernels (a failure leaves workers cold: they
    import on their first task as usual, and report any real error there)."""
    try:
        from wireingest._archive import facts as FA
        from wireingest._archive.verify import verify_rows
        from wireingest._dedup import DedupConfig
        from wireingest._kernels import verifier
        from wireingest.types import Article

        body = "The daemon signs one article so that every worker it forks starts warm."
        (f,) = FA.sign_articles(FA.engine(DedupConfig()), [(0, Article(id="w", body=body))])
        names = ["a", "b", *("o_" + c for c in FA.HELD), *("n_" + c for c in FA.SIGNED)]
        row = (1, 0, *(FA.column(f, c) for c in FA.HELD), *(FA.column(f, c) for c in FA.SIGNED))
        verify_rows([row], names, DedupConfig(), verifier())
    except Exception:  # pragma: no cover - a broken install surfaces in the task itself
        return


if __name__ == "__main__":
    preload()
    daemon.manager()
