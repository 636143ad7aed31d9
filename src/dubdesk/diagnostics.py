"""``doctor`` as a library function: what is installed and what is missing.

The CLI's ``dubdesk doctor`` prints this report; a pipeline or a CI job can
call :func:`doctor_report` and read the same facts as data.
"""

from __future__ import annotations

import shutil
from importlib import metadata
from typing import Any

from .errors import DubdeskError
from .media.tools import tool_info
from .translate.models import list_models

#: Python packages the doctor reports; the optional ones are not "missing" when absent
PYTHON_PACKAGES = ("ctranslate2", "sentencepiece", "pysubs2", "argostranslate")
OPTIONAL_PACKAGES = frozenset({"argostranslate"})
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def doctor_report() -> dict[str, Any]:
    """What is installed and what is missing: ffmpeg, ffprobe, Python packages, translation models, Chromium.

    ``ok`` is False when ffmpeg or ffprobe is missing (nothing can be muxed then).
    """
    report: dict[str, Any] = {"tools": {}, "python": {}, "models": [], "missing": []}
    for name in ("ffmpeg", "ffprobe"):
        try:
            report["tools"][name] = tool_info(name).to_dict()
        except DubdeskError as exc:
            report["tools"][name] = {"name": name, "path": None, "version": None, "error": exc.one_line()}
            report["missing"].append(f"{name}: {exc.one_line()}")
    for pkg in PYTHON_PACKAGES:
        try:
            report["python"][pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            report["python"][pkg] = None
            if pkg not in OPTIONAL_PACKAGES:
                report["missing"].append(f"python package {pkg}: pip install {pkg}")
    chromium = next((p for n in CHROMIUM_NAMES if (p := shutil.which(n))), None)
    report["tools"]["chromium"] = {"name": "chromium", "path": chromium, "version": None}
    if chromium is None:
        report["missing"].append("chromium (only for the HTML report test): apt-get install chromium")
    models, note = _installed_models()
    report["models"] = models
    if note:
        report["models_note"] = note
    if not models:
        report["missing"].append("translation models: none installed (see `dubdesk models --help`)")
    report["ok"] = all(report["tools"][n].get("path") for n in ("ffmpeg", "ffprobe"))
    return report


def _installed_models() -> tuple[list[dict[str, Any]], str | None]:
    """Installed translation models; a broken model folder is reported, it does not break the doctor."""
    try:
        return [m.to_dict() for m in list_models()], None
    except (DubdeskError, OSError) as exc:
        return [], f"listing models failed: {exc}"
