"""Model archives checked before anything is extracted: member names, sizes, counts, links and the
package layout (:func:`validate_zip`); extraction into a staging folder (:func:`extract`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ModelError


@dataclass(frozen=True)
class ZipLimits:
    """What a model archive may contain. The defaults fit every real model (NLLB-3.3B included)."""

    max_members: int = 10_000
    max_total_bytes: int = 32 * 1024**3
    #: a model (float or int8 weights) compresses a few times at most; only
    #: small archives (toy and test models full of zeros) may exceed this ratio
    max_ratio: float = 200.0
    ratio_applies_above: int = 256 * 1024**2


#: the limits an archive is checked against unless the caller passes others
DEFAULT_LIMITS = ZipLimits()


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if "\x00" in name:
        return "a member name contains a NUL byte"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return f"member {name!r} has an absolute path"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        return f"member {name!r} escapes the target folder"
    # Unix mode in the high 16 bits; many tools store permissions only (no type)
    kind = stat.S_IFMT((info.external_attr >> 16) & 0xFFFF)
    if kind == stat.S_IFLNK:
        return f"member {name!r} is a symlink"
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return f"member {name!r} is not a regular file"
    return None


def validate_zip(zf: zipfile.ZipFile, path: Path, limits: ZipLimits = ZipLimits()) -> tuple[str, str]:
    """Check every member of a model archive before extracting anything.

    Returns ``(root, kind)``: the folder holding the model inside the zip
    ('' when flat) and ``"argos"`` or ``"multilingual"``. Raises
    :class:`ModelError` naming the first problem.
    """
    infos = zf.infolist()
    where = str(path)
    if len(infos) > limits.max_members:
        raise ModelError(f"refused: {len(infos)} members (limit {limits.max_members}), a zip bomb?", path=where)
    seen: set[str] = set()
    total = compressed = 0
    for info in infos:
        problem = _member_problem(info)
        if problem:
            raise ModelError(f"refused: {problem}", path=where, hint="the archive is unsafe; nothing was installed")
        key = info.filename.rstrip("/")
        if key in seen:
            raise ModelError(f"refused: member {info.filename!r} appears twice", path=where)
        seen.add(key)
        total += info.file_size
        compressed += info.compress_size
    if total > limits.max_total_bytes:
        raise ModelError(
            f"refused: {total / 1024**3:.1f} GiB uncompressed (limit {limits.max_total_bytes / 1024**3:.0f} GiB),"
            " a zip bomb?",
            path=where,
        )
    if total > limits.ratio_applies_above and total > limits.max_ratio * max(compressed, 1):
        raise ModelError(
            f"refused: compression ratio {total / max(compressed, 1):.0f}:1 (limit {limits.max_ratio:.0f}:1),"
            " a zip bomb?",
            path=where,
        )
    names = [i.filename for i in infos if not i.is_dir()]
    root, kind = layout(names)
    if root is None:
        if any(n.endswith("model.bin") for n in names):
            raise ModelError(
                "refused: no metadata.json in the archive",
                path=where,
                hint="an Argos package needs metadata.json; a multilingual model needs shared_vocabulary.*",
            )
        raise ModelError("refused: no metadata.json in the archive", path=where, hint="not a model package")
    prefix = f"{root}/" if root else ""
    if kind == "argos" and f"{prefix}model/model.bin" not in names:
        raise ModelError("refused: the package has no model (model/model.bin)", path=where)
    if kind == "argos":
        try:
            meta = json.loads(zf.read(f"{prefix}metadata.json").decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ModelError(f"refused: metadata.json is not valid JSON: {exc}", path=where) from exc
        if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
            raise ModelError("refused: metadata.json has no from_code/to_code", path=where)
        if not any(f"{prefix}{sp}" in names for sp in ("sentencepiece.model", "spm.model", "bpe.model")):
            raise ModelError("refused: the package has no tokenizer (sentencepiece.model or bpe.model)", path=where)
    try:
        free = shutil.disk_usage(path.parent if path.parent.exists() else Path.cwd()).free
    except OSError:
        free = None
    if free is not None and total > free:
        raise ModelError(f"refused: needs {total / 1024**2:.0f} MiB, {free / 1024**2:.0f} MiB free", path=where)
    return root, kind


def layout(names: list[str]) -> tuple[str | None, str]:
    """Root folder and kind of a model archive's file list (root None: not a model)."""
    tops = {PurePosixPath(n).parts[0] for n in names}
    candidates = [""] + ([next(iter(tops))] if len(tops) == 1 else [])
    for root in candidates:
        prefix = f"{root}/" if root else ""
        if f"{prefix}metadata.json" in names:
            return root, "argos"
        if f"{prefix}model.bin" in names and any(
            f"{prefix}{v}" in names for v in ("shared_vocabulary.json", "shared_vocabulary.txt")
        ):
            return root, "multilingual"
    return None, ""


def extract(zf: zipfile.ZipFile, root: str, dest: Path, limits: ZipLimits) -> None:
    """Extract the members under ``root`` into ``dest``; sizes enforced while writing."""
    prefix = f"{root}/" if root else ""
    written = 0
    dest_resolved = dest.resolve()
    for info in zf.infolist():
        if not info.filename.startswith(prefix) or info.is_dir():
            continue
        rel = info.filename[len(prefix) :]
        target = (dest / rel).resolve()
        if dest_resolved not in target.parents:
            raise ModelError(f"refused: member {info.filename!r} escapes the target folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(target, "wb") as out:
            while True:
                chunk = src.read(1 << 20)
                if not chunk:
                    break
                written += len(chunk)
                if written > limits.max_total_bytes:
                    raise ModelError("refused: the archive inflates past its declared size, a zip bomb?")
                out.write(chunk)


def check_tree(folder: Path) -> None:
    """Refuse symlinks and special files anywhere in a folder to install."""
    for dirpath, dirnames, filenames in os.walk(folder):
        for entry in [*dirnames, *filenames]:
            p = Path(dirpath) / entry
            st = p.lstat()
            if stat.S_ISLNK(st.st_mode):
                raise ModelError(f"refused: {p.relative_to(folder)} is a symlink", path=str(folder))
            if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
                raise ModelError(f"refused: {p.relative_to(folder)} is not a regular file", path=str(folder))
