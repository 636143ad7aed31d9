"""What dubdesk's CTranslate2 engines share (Argos packages, multilingual models).

:class:`CTranslate2Engine` holds the decoding settings and threads, makes ONE
batched ``Translator.translate_batch`` call over all texts of a call, gives
n-best lists, aligned translations (``return_attention=True``: see
:mod:`.alignment`) and cuts texts longer than the model's position limit
(:mod:`.limits`) into parts that are translated together and rejoined.
Subclasses provide the tokenizer and the language tokens.
"""

from __future__ import annotations

import os
from typing import Any, TypedDict

from ..errors import TranslationError
from . import limits
from .alignment import Aligned, Link, links_from_attention, piece_spans, shift
from .engines import distinct
from .segments import join_with_offsets

__all__ = [
    "DEFAULT_BEAM_SIZE",
    "DEFAULT_MAX_BATCH_SIZE",
    "DEFAULT_MAX_DECODING_LENGTH",
    "CTranslate2Engine",
    "EngineOptions",
    "batch_size",
    "decoding_limit",
    "default_threads",
]

#: examples per CTranslate2 batch: fills both translator replicas on 2 cores
DEFAULT_MAX_BATCH_SIZE = 64
#: beam 2 keeps nearly all of beam 4's quality at about half its cost on CPU
DEFAULT_BEAM_SIZE = 2
#: the decoding limit when none is given: CTranslate2's own default, raised for very long inputs
DEFAULT_MAX_DECODING_LENGTH = 256


class EngineOptions(TypedDict, total=False):
    """The keyword arguments every CTranslate2 engine takes (see :class:`CTranslate2Engine`)."""

    device: str
    inter_threads: int | None
    intra_threads: int | None
    beam_size: int
    max_batch_size: int
    max_decoding_length: int | None
    compute_type: str


def default_threads(cores: int | None = None) -> tuple[int, int]:
    """``(inter_threads, intra_threads)``: one translator replica per core (up to 4), the rest as threads.

    On 2 cores, 2 replicas of 1 thread translate a file 1.7x faster than 1
    replica of 2 threads (DESIGN.md, benchmarks/bench_translate.py); small
    per-call work does not feed two threads of one replica. ``cores`` defaults to
    ``$DUBDESK_CORES`` (set by a batch's workers to their share), else every core.
    """
    if cores is None:  # DUBDESK_CORES: this process's share (a batch's worker sets it), else every core
        share = os.environ.get("DUBDESK_CORES", "")
        cores = int(share) if share.isdigit() and int(share) > 0 else (os.cpu_count() or 1)
    n = max(1, cores)
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
        device: str = "cpu",
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        beam_size: int = DEFAULT_BEAM_SIZE,
        max_batch_size: int = DEFAULT_MAX_BATCH_SIZE,
        max_decoding_length: int | None = None,
        compute_type: str = "default",
        position_limit: int | None = None,
    ) -> None:
        self.device = device
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.max_decoding_length = max_decoding_length
        #: the longest input/output in tokens: from the model's config, else learnt on the first failure
        self.position_limit = position_limit
        inter, intra = default_threads()
        self.inter_threads = inter if inter_threads is None else inter_threads
        self.intra_threads = intra if intra_threads is None else intra_threads

    def _load_translator(self, model_path: str, files: dict[str, bytes] | None = None) -> Any:
        """A ``ctranslate2.Translator`` with this engine's device, compute type and threads."""
        import ctranslate2

        return ctranslate2.Translator(
            model_path,
            device=self.device,
            compute_type=self.compute_type,
            inter_threads=self.inter_threads,
            intra_threads=self.intra_threads,
            files=files,
        )

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
        all_hyps: list[list[list[str]]] = []
        skips: list[int] = []
        for result in results:
            hyps = [list(h) for h in result.hypotheses]
            skip = 1 if prefix and hyps and hyps[0] and hyps[0][0] == prefix else 0
            skips.append(skip)
            all_hyps.append([h[skip:] if prefix and h and h[0] == prefix else h for h in hyps])
        # one tokenizer call for every hypothesis of the batch, not one per text (300 calls cost
        # 35 ms of a 3 s, 300-cue translation)
        every = [h for hyps in all_hyps for h in hyps]
        flat = self._detokenize(every) if every else []
        start = 0
        for text, src_pieces, result, hyps, skip in zip(texts, pieces, results, all_hyps, skips, strict=True):
            decoded = flat[start : start + len(hyps)]
            start += len(hyps)
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
