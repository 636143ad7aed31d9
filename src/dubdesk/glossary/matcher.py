"""Script-aware term matching: one pass over all cues, not a regex per term.

Two scanners share one normalised copy of the visible text of every cue
(joined with NUL, so no term can run from one cue into the next):

- **words** (Latin, Cyrillic, any cased script): the text is cut into word
  tokens once (``WORD_RE``); a token trie keyed by *stems* walks forward from
  each word. A word may carry an ending its language's rule allows
  (Байкадамов-ым, Байқадамов-қа), so each word is tried as itself and with
  each known ending stripped: a few dict look-ups per word, and words whose
  first letters start no term are skipped with one set look-up. Word
  boundaries come for free (tokens are maximal), case folds (``norm``), and
  gaps between the words of a term must match after folding spaces and line
  breaks, so ``\\N`` or a tag inside a name does not break it.
- **Chinese** (CJK runs): longest match first from each position, via a
  first-character index into a dict of forms. No word boundaries: 冼星海 is
  found inside a sentence, and 星海 is never matched inside 冼星海 because the
  longer term wins and the scan continues after it.

Matching runs on *visible* text (``markup.visible``); callers map visible
spans back to raw ones with ``markup.visible_map``/``raw_span``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, compress, count, pairwise
from operator import itemgetter, not_
from typing import TYPE_CHECKING

from ..languages.scripts import CJK_CHAR_RE, CJK_CLASS
from ..runtime import gc_paused
from .cjk_pairs import codes_of, pair, pair_hits
from .inflect import ALL_ENDINGS, INFLECTIONS
from .normalize import is_cjk_form, norm

if TYPE_CHECKING:
    from .model import Entry, Glossary

WORD_RE = re.compile(rf"[^\W_{CJK_CLASS}]+")
_SPACES = re.compile(" {2,}")

#: statuses of a pattern, best first when two patterns match the same span
_K = 5
_LATIN = re.compile("[a-z]")
_OTHER_LETTER = re.compile(rf"[^\W\d_a-z{CJK_CLASS}]")

#: texts at least this long find their Chinese candidates with numpy (importing it costs more than a short text)
NUMPY_FROM = 100_000

_PRIORITY = {"approved": 0, "accepted": 0, "form": 0, "variant": 1, "forbidden": 1, "foreign": 2}
OK_STATUSES = frozenset({"approved", "accepted", "form"})


@dataclass(eq=False, slots=True)
class Pattern:
    """One searchable form of an entry."""

    entry: Entry
    lang: str  #: language the form belongs to (may differ from the text's: status "foreign")
    form: str
    status: str  #: approved, accepted, form, variant, forbidden, foreign
    rule: str
    case_sensitive: bool
    cjk: bool
    lead: str = ""  #: punctuation the form starts with (« of «Композитор»), normalised
    trail: str = ""
    stems: tuple[str, ...] = ()  #: the words' stems as written in the glossary (case kept)
    gaps: tuple[str, ...] = ()  #: normalised text between words

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in a visible text: ``[start, end)`` includes endings and quotes."""

    start: int
    end: int
    pattern: Pattern
    #: per word: (start, end of stem, end); one part for a Chinese match
    parts: tuple[tuple[int, int, int], ...]

    @property
    def entry(self) -> Entry:
        return self.pattern.entry

    @property
    def core(self) -> tuple[int, int]:
        """The span of the words themselves (without the quotes of a title)."""
        return self.parts[0][0], self.parts[-1][2]


class _Node:
    __slots__ = ("children", "tails", "terminals")

    def __init__(self) -> None:
        self.children: dict[tuple[str, str], _Node] = {}
        self.tails: set[str] = set()
        self.terminals: list[tuple[Pattern, frozenset[str]]] = []


_FROZEN: dict[tuple[str, ...], frozenset[str]] = {}


def _frozen(endings: tuple[str, ...]) -> frozenset[str]:
    fs = _FROZEN.get(endings)
    if fs is None:
        fs = _FROZEN[endings] = frozenset(endings)
    return fs


def split_form(
    form: str, rule: str, nf: str | None = None
) -> tuple[str, str, list[tuple[str, str, frozenset[str]]], list[str]] | None:
    """Lead, trail, words as (cased stem, normalised stem, endings) and gaps of a word form."""
    if nf is None:
        nf = norm(form)
    fn = INFLECTIONS[rule]
    if WORD_RE.fullmatch(nf):  # one plain word: the common case
        stem, endings = fn(nf)
        return "", "", [(form[: len(stem)], stem, _frozen(endings))], []
    toks = list(WORD_RE.finditer(nf))
    if not toks:
        return None
    words: list[tuple[str, str, frozenset[str]]] = []
    gaps: list[str] = []
    for k, t in enumerate(toks):
        stem, endings = fn(t.group())
        words.append((form[t.start() : t.start() + len(stem)], stem, _frozen(endings)))
        if k:
            gaps.append(_SPACES.sub(" ", nf[toks[k - 1].end() : t.start()]))
    return nf[: toks[0].start()].strip(), nf[toks[-1].end() :].strip(), words, gaps


class Matcher:
    """Every form that matters for texts in one language, compiled for one-pass scanning."""

    def __init__(self, glossary: Glossary, lang: str) -> None:
        self.lang = lang
        self.patterns: list[Pattern] = []
        self._root = _Node()
        self._cjk: dict[str, Pattern] = {}
        self._cjk_first: dict[str, list[int]] = {}
        with gc_paused():
            self._build(glossary)

    # -- building --------------------------------------------------------------------------------
    def _build(self, glossary: Glossary) -> None:
        own: dict[str, tuple[str, str, Entry, str, bool, str]] = {}
        foreign: dict[str, tuple[str, str, Entry, str, bool, str] | None] = {}
        for e in glossary.entries:
            lf = e.langs.get(self.lang)
            if lf is not None:
                for form, status in lf.all_forms():
                    rule = "none" if status == "form" else lf.rule
                    own.setdefault(norm(form).strip(), (form, status, e, rule, lf.case_sensitive, self.lang))
        for e in glossary.entries:
            for lang, lf in e.langs.items():
                if lang == self.lang:
                    continue
                wrong = [(f, "foreign") for f in lf.approved_forms + lf.variants] + [(f, "forbidden") for f in lf.forbidden]
                for form, status in wrong:
                    key = norm(form).strip()
                    if key in own:
                        continue
                    if key not in foreign:
                        foreign[key] = (form, status, e, lf.rule, lf.case_sensitive, lang)
                        continue
                    prev = foreign[key]
                    if prev is not None and prev[2] is not e:
                        foreign[key] = None  # two entries share this spelling elsewhere: ambiguous, skip
        items = list(own.items()) + [(k, v) for k, v in foreign.items() if v is not None]
        # compiled per script on first need: a Russian file without Latin letters never pays for the English forms
        self._pending: dict[str, list[tuple[str, tuple[str, str, Entry, str, bool, str]]]] = {"cjk": [], "latin": [], "other": []}
        for key, item in items:
            if CJK_CHAR_RE.search(key) is not None and is_cjk_form(item[0]):
                self._pending["cjk"].append((key, item))
            elif _LATIN.search(key) is not None and _OTHER_LETTER.search(key) is None:
                self._pending["latin"].append((key, item))
            else:
                self._pending["other"].append((key, item))
        self._k = _K
        self._prefixes: set[str] = set()
        self._cjk_bigrams: set[tuple[str, str]] = set()
        self._cjk_single: set[str] = set()
        self._cjk_pairs: dict[int, int] | None = None  #: the bigrams as ``cjk_pairs.pair`` keys (long texts)
        self._endings: frozenset[str] = frozenset()
        self._max_ending = 0

    def compile(self, scripts: tuple[str, ...] = ("cjk", "latin", "other")) -> None:
        """Compile the forms of these scripts now (``find`` does it on first need)."""
        todo = [b for b in scripts if self._pending.get(b)]
        if not todo:
            return
        with gc_paused():
            for bucket in todo:
                for key, (form, status, e, rule, cs, lang) in self._pending.pop(bucket):
                    if bucket == "cjk":
                        self._add_cjk(key, Pattern(e, lang, form, status, rule, cs, True))
                    else:
                        self._add_words(key, form, e, lang, status, rule, cs)
                self._pending[bucket] = []
            firsts = [stem for (_gap, stem) in self._root.children]
            # a word is looked at only if its first k letters start some term (k: up to 5, the shortest stem)
            self._k = min([_K, *(len(x) for x in firsts)]) if firsts else _K
            self._prefixes = {x[: self._k] for x in firsts}
            self._cjk_bigrams = {(k[0], k[1]) for k in self._cjk if len(k) > 1}
            self._cjk_single = {k for k in self._cjk if len(k) == 1}
            self._cjk_pairs = None
            rules = {p.rule for p in self.patterns if not p.cjk}
            self._endings = frozenset().union(*(ALL_ENDINGS[r] for r in rules)) if rules else frozenset()
            self._max_ending = max((len(x) for x in self._endings), default=0)
            for first in self._cjk_first.values():
                first.sort(reverse=True)

    def _add_cjk(self, key: str, p: Pattern) -> None:
        self._cjk[key] = p
        lens = self._cjk_first.setdefault(key[0], [])
        if len(key) not in lens:
            lens.append(len(key))
        self.patterns.append(p)

    def _add_words(self, key: str, form: str, e: Entry, lang: str, status: str, rule: str, cs: bool) -> None:
        split = split_form(form, rule, key if len(key) == len(form) else None)
        if split is None:
            return
        lead, trail, words, gaps = split
        p = Pattern(e, lang, form, status, rule, cs, False, lead, trail, tuple(w[0] for w in words), tuple(gaps))
        node = self._root
        for k, (_cased, stem, endings) in enumerate(words):
            edge = (gaps[k - 1] if k else "", stem)
            child = node.children.get(edge)
            if child is None:
                child = node.children[edge] = _Node()
            child.tails |= endings
            node = child
        node.terminals.append((p, words[-1][2]))
        self.patterns.append(p)

    # -- scanning --------------------------------------------------------------------------------
    def find(self, text: str) -> list[Match]:
        """Terms in one visible text, left to right, longest first, no overlaps."""
        return self.find_all([text])[0]

    def find_all(self, texts: list[str]) -> list[list[Match]]:
        """Terms in many visible texts in one pass (the texts must not contain NUL)."""
        found = self.find_sparse(texts)
        return [found.get(i, []) for i in range(len(texts))]

    def find_sparse(self, texts: list[str]) -> dict[int, list[Match]]:
        """Like :meth:`find_all`, only the texts with matches: index -> matches."""
        orig = "\x00".join(texts)
        s = norm(orig)
        if len(s) != len(orig):  # pragma: no cover - norm keeps lengths
            raise AssertionError("norm changed the text length")
        need = tuple(
            b
            for b, rx in (("cjk", CJK_CHAR_RE), ("latin", _LATIN), ("other", _OTHER_LETTER))
            if self._pending.get(b) and rx.search(s) is not None
        )
        self.compile(need)
        with gc_paused():
            return self._find(texts, s, orig)

    def _find(self, texts: list[str], s: str, orig: str) -> dict[int, list[Match]]:
        # where each text starts in the joined string (lengths + 1 for each NUL), C-level
        starts = [0, *accumulate(map((1).__add__, map(len, texts)))]
        found: list[Match] = []
        if self._root.children:
            found += self._scan_words(s, orig)
        if self._cjk and CJK_CHAR_RE.search(s) is not None:
            cjk = self._scan_cjk(s)
            found = _merge(found, cjk) if found else cjk
        out: dict[int, list[Match]] = {}
        for m in found:
            i = bisect.bisect_right(starts, m.start) - 1
            base = starts[i]
            out.setdefault(i, []).append(
                Match(m.start - base, m.end - base, m.pattern, tuple((a - base, b - base, c - base) for a, b, c in m.parts))
            )
        return out

    def _cands(self, w: str) -> list[tuple[str, str]]:
        out = [(w, "")]
        endings = self._endings
        for k in range(1, min(self._max_ending, len(w) - 1) + 1):
            tail = w[-k:]
            if tail in endings:
                out.append((w[:-k], tail))
        return out

    def _word_starts(self, s: str) -> list[int]:
        """Offsets of the words whose first k letters start some term.

        ``str.split`` cuts the text at spaces, line breaks and cue boundaries;
        each *distinct* piece is looked at once in Python (a subtitle file
        repeats the same few thousand words), and one C-level set look-up per
        piece finds the pieces that hold a candidate.
        """
        k = self._k
        prefixes = self._prefixes
        # same length: cue boundaries and line breaks split like spaces
        parts = s.replace("\x00", " ").replace("\n", " ").split(" ")
        uniq = list(set(parts))
        heads = set(compress(uniq, map(prefixes.__contains__, map(itemgetter(slice(0, k)), uniq))))
        rel: dict[str, tuple[int, ...]] = dict.fromkeys(heads, (0,))
        # pieces that are not one word (maybe with one mark after it): tokenised in Python
        for part in compress(uniq, map(not_, map(str.isalpha, map(itemgetter(slice(0, -1)), uniq)))):
            head = part in heads
            starts = [0] if head else []
            if len(part) >= k:
                for m in WORD_RE.finditer(part):
                    if m.group()[:k] in prefixes and (m.start() or not head):
                        starts.append(m.start())
            if starts:
                rel[part] = tuple(starts)
        if not rel:
            return []
        out: list[int] = []
        base = prev = 0  # offset of parts[prev]: the lengths in between summed at C speed
        for i in compress(count(), map(rel.__contains__, parts)):
            base += sum(map(len, parts[prev:i])) + i - prev
            prev = i
            out.extend([base + r for r in rel[parts[i]]])
        return out

    def _scan_words(self, s: str, orig: str) -> list[Match]:
        found: list[Match] = []
        root = self._root.children
        last_end = -1
        for pos in self._word_starts(s):
            if pos < last_end:
                continue
            m = WORD_RE.match(s, pos)
            if m is None:
                continue
            best: Match | None = None
            for stem, tail in self._cands(m.group()):
                child = root.get(("", stem))
                if child is not None and tail in child.tails:
                    best = self._walk(s, orig, child, [(pos, pos + len(stem), m.end())], tail, best)
            if best is not None:
                found.append(best)
                last_end = best.end
        return found

    def _walk(
        self, s: str, orig: str, node: _Node, spans: list[tuple[int, int, int]], tail: str, best: Match | None
    ) -> Match | None:
        start, end = spans[0][0], spans[-1][2]
        for p, tails in node.terminals:
            if tail not in tails:
                continue
            if p.lead and s[start - len(p.lead) : start] != p.lead:
                continue
            if p.trail and s[end : end + len(p.trail)] != p.trail:
                continue
            if p.case_sensitive and any(orig[a:b] != stem for (a, b, _c), stem in zip(spans, p.stems, strict=True)):
                continue
            cand = Match(start - len(p.lead), end + len(p.trail), p, tuple(spans))
            if best is None or (cand.end, -_PRIORITY[p.status]) > (best.end, -_PRIORITY[best.pattern.status]):
                best = cand
        if node.children:
            nm = WORD_RE.search(s, end, end + 64)
            if nm is not None and nm.start() - end < 8:
                gap = s[end : nm.start()]
                if "  " in gap:
                    gap = _SPACES.sub(" ", gap)
                nstart = nm.start()
                for stem, ntail in self._cands(nm.group()):
                    child = node.children.get((gap, stem))
                    if child is not None and ntail in child.tails:
                        span = (nstart, nstart + len(stem), nm.end())
                        best = self._walk(s, orig, child, [*spans, span], ntail, best)
        return best

    def _scan_cjk(self, s: str) -> list[Match]:
        # candidate positions: where the two characters there begin some form (C-level zip/map/compress)
        firsts = self._cjk_first
        forms = self._cjk
        cands: Iterable[int]
        if len(s) >= NUMPY_FROM and self._cjk_bigrams:  # numpy: a table look-up per position, no tuple per pair
            if self._cjk_pairs is None:
                self._cjk_pairs = dict.fromkeys((pair(a, b) for a, b in self._cjk_bigrams), 0)
            cands = pair_hits(codes_of(s), 1, self._cjk_pairs)[0].tolist()
        else:
            cands = compress(count(), map(self._cjk_bigrams.__contains__, pairwise(s)))
        if self._cjk_single:
            singles = compress(count(), map(self._cjk_single.__contains__, s))
            cands = sorted(set(cands) | set(singles))
        found: list[Match] = []
        last_end = -1
        for i in cands:
            if i < last_end:
                continue
            n = len(s) - i
            for length in firsts[s[i]]:
                p = forms.get(s[i : i + length]) if length <= n else None
                if p is not None:
                    found.append(Match(i, i + length, p, ((i, i + length, i + length),)))
                    last_end = i + length
                    break
        return found


def _merge(a: list[Match], b: list[Match]) -> list[Match]:
    out: list[Match] = []
    last = -1
    for m in sorted(a + b, key=lambda m: (m.start, -m.end)):
        if m.start >= last:
            out.append(m)
            last = m.end
    return out
