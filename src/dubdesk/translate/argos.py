"""Argos Translate packages, read and run directly on CTranslate2 + SentencePiece.

A ``.argosmodel`` file is a zip holding one folder (``translate-en_de-1_9/``)
with ``metadata.json`` (``from_code``, ``to_code``, ``package_version``,
``argos_version``…), ``model/`` (a CTranslate2 model), ``sentencepiece.model``
and optional extras (``stanza/``, ``README.md``) that dubdesk ignores. The
same layout extracted to a folder is what argostranslate installs into its
package folder; :func:`read_package` accepts the zip, the folder or its
parent. Official packages work unchanged.

:class:`ArgosEngine` tokenises all texts of a call with SentencePiece and
makes ONE ``Translator.translate_batch`` call over them (``max_batch_size``
64), instead of argostranslate's one call per sentence.

:class:`ArgosTranslateEngine` is the optional engine that calls the
argostranslate library itself (``pip install 'dubdesk[argos]'``).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .. import languages
from ..errors import ModelError, TranslationError, UnknownLanguageError
from . import limits
from .alignment import Aligned, Link, links_from_attention, piece_spans, shift
from .bpe import BPE_NAME, MosesBPE
from .engines import distinct
from .segments import join_with_offsets

__all__ = [
    "DEFAULT_BEAM_SIZE",
    "DEFAULT_MAX_BATCH_SIZE",
    "ArgosEngine",
    "ArgosPackage",
    "ArgosTranslateEngine",
    "CTranslate2Engine",
    "argos_language",
    "argostranslate_packages_dir",
    "batch_size",
    "decoding_limit",
    "default_threads",
    "read_package",
]

#: examples per CTranslate2 batch: fills both translator replicas on 2 cores
DEFAULT_MAX_BATCH_SIZE = 64
#: beam 2 keeps nearly all of beam 4's quality at about half its cost on CPU
DEFAULT_BEAM_SIZE = 2
#: the decoding limit when none is given: CTranslate2's own default, raised for very long inputs
DEFAULT_MAX_DECODING_LENGTH = 256


def default_threads(cores: int | None = None) -> tuple[int, int]:
    """``(inter_threads, intra_threads)``: one translator replica per core (up to 4), the rest as threads.

    On 2 cores, 2 replicas of 1 thread translate a file 1.7x faster than 1
    replica of 2 threads (DESIGN.md, benchmarks/bench_translate.py); small
    per-call work does not feed two threads of one replica.
    """
    n = max(1, cores if cores is not None else (os.cpu_count() or 1))
    inter = min(n, 4)
    return inter, max(1, n // inter)


def batch_size(count: int, max_batch_size: int, replicas: int) -> int:
    """Examples per CTranslate2 batch: ``max_batch_size``, smaller when there are too few texts to
    give every translator replica a batch (a re-run's 10 edited cues: 2 batches of 5 on 2 cores,
    not one batch of 10 on one core while the other idles)."""
    return max(1, min(max_batch_size, -(-count // max(1, replicas))))


def decoding_limit(longest_input: int, max_decoding_length: int | None) -> int:
    """Tokens a hypothesis may have: the engine's cap, else 256 (twice the input + 8 when longer)."""
    if max_decoding_length is not None:
        return max_decoding_length
    return max(DEFAULT_MAX_DECODING_LENGTH, 2 * longest_input + 8)

_SP_NAMES = ("sentencepiece.model", "spm.model", "sentencepiece.bpe.model", "source.spm")


def argos_language(code: str) -> str:
    """BCP 47 tag for an Argos language code (``zh`` → ``zh-Hans``, ``zt`` → ``zh-Hant``).

    Codes dubdesk does not know are kept as they are (lower case).
    """
    try:
        return languages.normalize(code)
    except UnknownLanguageError:
        return code.strip().lower()


def argostranslate_packages_dir() -> Path:
    """argostranslate's package folder: ``$ARGOS_PACKAGES_DIR`` or its default under the XDG data home."""
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


@dataclass
class ArgosPackage:
    """An Argos package found on disk (a folder or a ``.argosmodel`` zip)."""

    path: Path  #: the zip or the package folder
    root: str  #: folder inside the zip ('' for flat), or '' for a folder
    metadata: dict[str, Any]
    source: str  #: BCP 47
    target: str  #: BCP 47
    is_zip: bool = False
    sp_name: str = "sentencepiece.model"  #: the tokenizer file: a SentencePiece model or ``bpe.model``
    files: list[str] = field(default_factory=list)

    @property
    def version(self) -> str:
        return str(self.metadata.get("package_version", ""))

    @property
    def name(self) -> str:
        name = self.metadata.get("name")
        if isinstance(name, str) and name:
            return name
        stem = self.path.name
        return stem[: -len(".argosmodel")] if stem.endswith(".argosmodel") else stem

    @property
    def tokenizer(self) -> str:
        """``"sentencepiece"`` or ``"bpe"`` (Moses + BPE, argos-translate PR #369)."""
        return "bpe" if self.sp_name == BPE_NAME else "sentencepiece"

    @property
    def demo(self) -> bool:
        return bool(self.metadata.get("demo", False))

    @property
    def description(self) -> str:
        return str(self.metadata.get("description") or self.metadata.get("name") or "")

    @property
    def target_prefix(self) -> str:
        return str(self.metadata.get("target_prefix") or "")

    def fingerprint(self) -> str:
        """A short hash of metadata, vocabulary and model weights (size and first MiB).

        The same for the zip and its extracted folder, cheap for large models
        (a zip member cannot be read from its end without inflating it all).
        """
        h = hashlib.sha256(json.dumps(self.metadata, sort_keys=True).encode())
        for name in sorted(self.model_file_names()):
            data = self.read_bytes(f"model/{name}", head_tail=1 << 20)
            h.update(name.encode())
            h.update(data)
        return h.hexdigest()[:12]

    # -- file access (zip or folder) -----------------------------------------

    def _member(self, rel: str) -> str:
        return f"{self.root}/{rel}" if self.root else rel

    def model_file_names(self) -> list[str]:
        prefix = "model/"
        return sorted(f[len(prefix) :] for f in self.files if f.startswith(prefix) and not f.endswith("/"))

    def read_bytes(self, rel: str, head_tail: int | None = None) -> bytes:
        """A file of the package; with ``head_tail`` only its size and first ``head_tail`` bytes."""
        if self.is_zip:
            with zipfile.ZipFile(self.path) as zf:
                info = zf.getinfo(self._member(rel))
                if head_tail is not None and info.file_size > head_tail:
                    with zf.open(info) as fh:
                        return str(info.file_size).encode() + fh.read(head_tail)
                return zf.read(info)
        path = self.path / rel
        size = path.stat().st_size
        if head_tail is not None and size > head_tail:
            with open(path, "rb") as fh:
                return str(size).encode() + fh.read(head_tail)
        return path.read_bytes()

    def json(self, rel: str) -> dict[str, Any]:
        """A JSON file of the package as a dict ({} when missing or not an object)."""
        if rel not in self.files:
            return {}
        try:
            data = json.loads(self.read_bytes(rel).decode("utf-8-sig"))
        except (OSError, KeyError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def model_dir(self) -> str | None:
        """The CTranslate2 model folder when the package is a folder."""
        return None if self.is_zip else str(self.path / "model")


def _find_root(names: list[str]) -> str | None:
    """The folder holding metadata.json: '' (flat) or the single top folder."""
    if "metadata.json" in names:
        return ""
    tops = {PurePosixPath(n).parts[0] for n in names if n.strip("/")}
    if len(tops) == 1:
        top = next(iter(tops))
        if f"{top}/metadata.json" in names:
            return top
    return None


def _parse_metadata(raw: bytes, where: Path) -> dict[str, Any]:
    try:
        meta = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"metadata.json is not valid JSON: {exc}", path=str(where)) from exc
    if not isinstance(meta, dict):
        raise ModelError("metadata.json is not a JSON object", path=str(where))
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise ModelError(f"metadata.json has no {key}", path=str(where), hint="not an Argos translate package")
    return meta


def read_package(path: str | os.PathLike[str]) -> ArgosPackage:
    """Read an Argos package: a ``.argosmodel`` zip, its extracted folder, or that folder's parent.

    Raises :class:`ModelError` when metadata, model or SentencePiece model are missing.
    """
    p = Path(path)
    if p.is_file():
        try:
            with zipfile.ZipFile(p) as zf:
                names = zf.namelist()
                root = _find_root(names)
                if root is None:
                    raise ModelError("no metadata.json in the package", path=str(p), hint="not an Argos package")
                meta = _parse_metadata(zf.read(f"{root}/metadata.json" if root else "metadata.json"), p)
        except zipfile.BadZipFile as exc:
            raise ModelError(f"not a zip archive: {exc}", path=str(p)) from exc
        prefix = f"{root}/" if root else ""
        files = [n[len(prefix) :] for n in names if n.startswith(prefix)]
        pkg = ArgosPackage(p, root, meta, argos_language(meta["from_code"]), argos_language(meta["to_code"]), True)
        pkg.files = files
    elif p.is_dir():
        folder = p
        if not (p / "metadata.json").is_file():
            subs = [c for c in p.iterdir() if c.is_dir() and (c / "metadata.json").is_file()]
            if len(subs) != 1:
                raise ModelError("no metadata.json in the package folder", path=str(p), hint="not an Argos package")
            folder = subs[0]
        meta = _parse_metadata((folder / "metadata.json").read_bytes(), folder)
        files = [c.relative_to(folder).as_posix() for c in folder.rglob("*") if c.is_file()]
        pkg = ArgosPackage(
            folder, "", meta, argos_language(meta["from_code"]), argos_language(meta["to_code"]), False
        )
        pkg.files = files
    else:
        raise ModelError("model package not found", path=str(p))
    if "model/model.bin" not in pkg.files:
        raise ModelError("the package has no CTranslate2 model (model/model.bin)", path=str(p))
    # argostranslate's order: SentencePiece if the package has it, else Moses + BPE
    sp = next((n for n in (*_SP_NAMES, BPE_NAME) if n in pkg.files), None)
    if sp is None:
        raise ModelError(
            "the package has no tokenizer (sentencepiece.model or bpe.model)",
            path=str(p),
            hint="not an Argos translate package",
        )
    pkg.sp_name = sp
    return pkg


class CTranslate2Engine:
    """What dubdesk's CTranslate2 engines share: decoding settings, threads, the batched call, the
    n-best interface, alignment from attention and splitting texts longer than the model's position
    limit. Subclasses set ``translator`` and ``name`` and implement the tokenizer hooks."""

    translator: Any
    name: str = "model"
    #: tokens the model input has before the text's pieces (a language token)
    source_lead: int = 0
    #: tokens the model input has besides the pieces (language token, ``</s>``): count toward the limit
    source_extra: int = 1

    def __init__(
        self,
        *,
        inter_threads: int | None,
        intra_threads: int | None,
        beam_size: int,
        max_batch_size: int,
        max_decoding_length: int | None,
        position_limit: int | None = None,
    ) -> None:
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.max_decoding_length = max_decoding_length
        #: the longest input/output in tokens: from the model's config, else learnt on the first failure
        self.position_limit = position_limit
        inter, intra = default_threads()
        self.inter_threads = inter if inter_threads is None else inter_threads
        self.intra_threads = intra if intra_threads is None else intra_threads

    # -- hooks ---------------------------------------------------------------

    def _check_pair(self, source: str, target: str) -> None:
        raise NotImplementedError

    def _pieces(self, texts: list[str]) -> list[list[str]]:
        """The tokenizer's pieces of each text."""
        raise NotImplementedError

    def _detokenize(self, tokens: list[list[str]]) -> list[str]:
        raise NotImplementedError

    def _model_input(self, pieces: list[str], source: str) -> list[str]:
        return pieces

    def _target_prefix(self, target: str) -> str:
        return ""

    def _prefix_texts(self, pieces: list[str]) -> list[str]:
        """The detokenised text of the first 1, 2, … pieces (for character offsets)."""
        return self._detokenize([pieces[: k + 1] for k in range(len(pieces))])

    # -- the interface -------------------------------------------------------

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        return [hyps[0] for hyps in self._translate(texts, source, target, 1)]

    def translate_alternatives(self, texts: list[str], source: str, target: str, n: int) -> list[list[str]]:
        """Up to ``n`` distinct translations of each text, best first (beam search's n-best)."""
        return self._translate(texts, source, target, max(1, n))

    def translate_aligned(self, texts: list[str], source: str, target: str) -> list[Aligned]:
        """The best translation of each text with its alignment to the text (from the attention)."""
        self._check_pair(source, target)
        return [results[0] for results in self._run(list(texts), source, target, 1, attention=True)]

    def _translate(self, texts: list[str], source: str, target: str, n: int) -> list[list[str]]:
        self._check_pair(source, target)
        return [distinct(a.text for a in results) for results in self._run(list(texts), source, target, n)]

    # -- running -------------------------------------------------------------

    def _run(
        self, texts: list[str], source: str, target: str, n: int, *, attention: bool = False
    ) -> list[list[Aligned]]:
        """``n`` hypotheses per text (links only with ``attention``); long texts go in parts."""
        if not texts:
            return []
        learnt = False
        while True:
            parts = self._plan_parts(texts)
            try:
                done = self._decode_parts([p for _, _, p in parts], source, target, n, attention)
                break
            except (RuntimeError, ValueError) as exc:
                limit = limits.limit_from_error(str(exc))
                if limit is not None and not learnt and (self.position_limit is None or limit < self.position_limit):
                    # learnt once, remembered by the engine for every later call
                    self.position_limit, learnt = limit, True
                    continue
                raise TranslationError(f"model {self.name} failed: {exc}") from exc
        out: list[list[Aligned]] = [[] for _ in texts]
        per_text: list[list[tuple[int, list[Aligned]]]] = [[] for _ in texts]
        for (index, offset, _), hyps in zip(parts, done, strict=True):
            per_text[index].append((offset, hyps))
        for index, pieces in enumerate(per_text):
            out[index] = _rejoin(pieces, n)
        return out

    def _plan_parts(self, texts: list[str]) -> list[tuple[int, int, str]]:
        """``(text index, offset, part)``: every text, cut where it exceeds the position limit."""
        limit = self.position_limit
        if limit is None:
            return [(i, 0, t) for i, t in enumerate(texts)]
        # room for the added tokens and a little slack: output is often a few pieces longer
        budget = max(8, limit - self.source_extra - 2)
        lengths = [len(p) for p in self._pieces(texts)]
        parts: list[tuple[int, int, str]] = []
        for i, (text, length) in enumerate(zip(texts, lengths, strict=True)):
            if length <= budget:
                parts.append((i, 0, text))
                continue
            offset = 0
            for part in limits.split_to_fit(text, lambda s: len(self._pieces([s])[0]), budget):
                parts.append((i, offset, part))
                offset += len(part)
        return parts

    def _decode_parts(
        self, texts: list[str], source: str, target: str, n: int, attention: bool
    ) -> list[list[Aligned]]:
        pieces = self._pieces(texts)
        batch = [self._model_input(p, source) for p in pieces]
        prefix = self._target_prefix(target)
        max_length = decoding_limit(max((len(t) for t in batch), default=0), self.max_decoding_length)
        if self.position_limit is not None:
            max_length = min(max_length, self.position_limit - 1)
        results = self.translator.translate_batch(
            batch,
            target_prefix=[[prefix]] * len(batch) if prefix else None,
            # the n-best list comes from the beam: it must be at least n wide
            beam_size=max(n, self.beam_size),
            num_hypotheses=n,
            max_batch_size=batch_size(len(batch), self.max_batch_size, self.inter_threads),
            max_decoding_length=max_length,
            return_attention=attention,
        )
        out: list[list[Aligned]] = []
        for text, src_pieces, result in zip(texts, pieces, results, strict=True):
            hyps = [list(h) for h in result.hypotheses]
            skip = 1 if prefix and hyps and hyps[0] and hyps[0][0] == prefix else 0
            hyps = [h[skip:] if prefix and h and h[0] == prefix else h for h in hyps]
            decoded = self._detokenize(hyps)
            aligned = [Aligned(t.strip()) for t in decoded]
            if attention and hyps and aligned:
                rows = list(result.attention[0])[skip:]
                aligned[0].links = self._links(text, src_pieces, hyps[0], aligned[0].text, rows)
            out.append(aligned)
        return out

    def _links(
        self, text: str, src_pieces: list[str], tgt_pieces: list[str], translated: str, rows: list[Any]
    ) -> list[Link]:
        return links_from_attention(
            rows,
            piece_spans(self._prefix_texts(tgt_pieces), translated),
            piece_spans(self._prefix_texts(src_pieces), text),
            source_offset=self.source_lead,
        )


def _rejoin(parts: list[tuple[int, list[Aligned]]], n: int) -> list[Aligned]:
    """The hypotheses of a text from those of its parts (one part: as they are)."""
    if len(parts) == 1:
        return parts[0][1]
    out: list[Aligned] = []
    for rank in range(n):
        texts: list[str] = []
        links: list[Link] = []
        for offset, hyps in parts:
            if not hyps:
                continue
            hyp = hyps[min(rank, len(hyps) - 1)]
            _, starts = join_with_offsets([*texts, hyp.text])
            links.extend(shift(hyp.links, starts[-1], offset))
            texts.append(hyp.text)
        out.append(Aligned(join_with_offsets(texts)[0], links))
    return out


class ArgosEngine(CTranslate2Engine):
    """Run an Argos package with CTranslate2: every text of a call in one batched call."""

    def __init__(
        self,
        package: ArgosPackage | str | os.PathLike[str],
        *,
        device: str = "cpu",
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        beam_size: int = DEFAULT_BEAM_SIZE,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
        max_decoding_length: int | None = None,
        compute_type: str = "default",
    ) -> None:
        super().__init__(
            inter_threads=inter_threads,
            intra_threads=intra_threads,
            beam_size=beam_size,
            max_batch_size=max_batch_size,
            max_decoding_length=max_decoding_length,
        )
        self.package = package if isinstance(package, ArgosPackage) else read_package(package)
        self.name = self.package.name
        self.position_limit = limits.position_limit([self.package.metadata, self.package.json("model/config.json")])
        self.id = f"argos:{self.package.source}-{self.package.target}:{self.package.version}:{self.package.fingerprint()}"
        import ctranslate2
        import sentencepiece

        pkg = self.package
        try:
            model_dir = pkg.model_dir()
            # a zip is read straight from memory, nothing extracted
            files = None if model_dir else {name: pkg.read_bytes(f"model/{name}") for name in pkg.model_file_names()}
            self.translator = ctranslate2.Translator(
                model_dir or str(pkg.path),
                device=device,
                compute_type=compute_type,
                inter_threads=self.inter_threads,
                intra_threads=self.intra_threads,
                files=files,
            )
            self.bpe = (
                MosesBPE(pkg.read_bytes(BPE_NAME), pkg.metadata["from_code"], pkg.metadata["to_code"])
                if pkg.tokenizer == "bpe"
                else None
            )
            if self.bpe is None:
                self.sp = sentencepiece.SentencePieceProcessor(model_proto=pkg.read_bytes(pkg.sp_name))
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"cannot load the model: {exc}", path=str(pkg.path)) from exc

    def __repr__(self) -> str:
        return f"ArgosEngine({self.package.name!r}, {self.package.source}→{self.package.target})"

    def tokenize(self, texts: list[str]) -> list[list[str]]:
        if self.bpe is not None:
            return [self.bpe.encode(t) for t in texts]
        return [list(t) for t in self.sp.encode(texts, out_type=str)]

    def detokenize(self, tokens: list[list[str]]) -> list[str]:
        if self.bpe is not None:
            return [self.bpe.decode(t) for t in tokens]
        return [str(t) for t in self.sp.decode(tokens)]

    def _prefix_texts(self, pieces: list[str]) -> list[str]:
        if self.bpe is not None:
            return [self.bpe.decode_prefix(pieces[: k + 1]) for k in range(len(pieces))]
        return super()._prefix_texts(pieces)

    _pieces = tokenize
    _detokenize = detokenize

    def _target_prefix(self, target: str) -> str:
        return self.package.target_prefix

    def _check_pair(self, source: str, target: str) -> None:
        pkg = self.package
        if languages.normalize(source) != pkg.source or languages.normalize(target) != pkg.target:
            raise TranslationError(
                f"model {pkg.name} translates {pkg.source}→{pkg.target}, not {source}→{target}"
            )


class ArgosTranslateEngine:
    """Call the argostranslate library itself (optional: ``pip install 'dubdesk[argos]'``).

    Slower (one call per sentence) and heavy to install; dubdesk's own
    :class:`ArgosEngine` reads the same packages.
    """

    def __init__(self, package: Any = None, **_: Any) -> None:
        try:
            import argostranslate.translate  # noqa: F401
        except ImportError as exc:
            raise ModelError(
                "the argostranslate engine needs the argostranslate library",
                hint="pip install 'dubdesk[argos]', or use the default engine",
            ) from exc
        self.package = package
        version = getattr(package, "version", "")
        self.id = f"argostranslate:{getattr(package, 'source', '')}-{getattr(package, 'target', '')}:{version}"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        import argostranslate.translate as at

        src, tgt = languages.get(source).argos, languages.get(target).argos
        translation = at.get_translation_from_codes(src, tgt)
        if translation is None:
            raise TranslationError(f"argostranslate has no {src}→{tgt} package installed")
        return [str(translation.translate(t)) for t in texts]
