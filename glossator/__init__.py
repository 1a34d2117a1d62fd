"""Glossator: a static site generator for annotated reader editions."""

import functools
import os
import re
import sys

__version__ = "0.1.0"


def worker_count(jobs: int | None = None) -> int:
    """How many processes may work side by side: `jobs` (`--jobs`) when given, else one per
    core. Each worker adds its own memory (see README, "Speed"), so `--jobs` is also how to
    bound a build's memory on a machine with many cores."""
    return jobs or os.cpu_count() or 1


def installed_version(distribution: str) -> str:
    """The version of an installed distribution ("-" when none is), for cache keys."""
    return _installed().get(_normalized(distribution), "-")


@functools.cache
def _installed() -> dict[str, str]:
    """Version by distribution, from the names of the `.dist-info` and `.egg-info` folders on
    sys.path, the first one found winning, as for imports. These are the folders
    importlib.metadata reads, without the cost of importing it at every start (README, Speed)."""
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for name in names:
            stem, _, kind = name.rpartition(".")
            project, _, version = stem.partition("-")
            if kind in ("dist-info", "egg-info") and version:
                versions.setdefault(_normalized(project), version)
    return versions


def _normalized(project: str) -> str:
    return re.sub(r"[-_.]+", "-", project).lower()
