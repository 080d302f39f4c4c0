"""Reglament's engine: everything a workstation does, without a window.

The version is written once, in pyproject.toml, and read here from the installed package's
metadata (a wheel, an editable install, a frozen bundle that carries the metadata). A bare
checkout run without installing falls back on pyproject.toml itself.
"""

from importlib import metadata as _metadata


def _version() -> str:
    try:
        return _metadata.version("reglament")
    except _metadata.PackageNotFoundError:
        import tomllib
        from pathlib import Path

        project = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            return str(tomllib.loads(project.read_text(encoding="utf-8"))["project"]["version"])
        except (OSError, KeyError, ValueError):
            return "0+unknown"


__version__ = _version()
