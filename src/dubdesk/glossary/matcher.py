"""Script-aware term matching: one pass over all cues, not a regex per term.

One Aho-Corasick automaton (``ahocorasick_rs``, native code, leftmost-longest)
runs over one normalised copy of the visible text of every cue (joined with
NUL, so no term can run from one cue into the next) and finds the few places
where a term can start; Python looks only there:

- **words** (Latin, Cyrillic, any cased script): the automaton holds the
  terms' first-word *stems*, kept where a word starts with one. A token trie
  keyed by stems walks forward from such a word. A word may carry an ending
  its language's rule allows (Байкадамов-ым, Байқадамов-қа), so each word is
  tried as itself and with each known ending stripped: a few dict look-ups per
  candidate. Word boundaries are checked (``WORD_RE``: a stem found inside a
  word is skipped), case folds (``norm``), and gaps between the words of a
  term must match after folding spaces and line breaks, so ``\\N`` or a tag
  inside a name does not break it.
- **Chinese** (CJK runs): the automaton holds the forms themselves (a form
  with Latin letters or digits in it gets an automaton of its own, so it
  cannot hide the start of a word). No word boundaries: 冼星海 is found inside
  a sentence, and 星海 is never matched inside 冼星海 because the longer term
  wins and the scan continues after it.

Matching runs on *visible* text (``markup.visible``); callers map visible
spans back to raw ones with ``markup.visible_map``/``raw_span``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

import ahocorasick_rs

from ..languages.scripts import CJK_CHAR_RE, CJK_CLASS
from ..runtime import gc_paused
from .inflect import ALL_ENDINGS, INFLECTIONS
from .normalize import is_cjk_form, norm

if TYPE_CHECKING:
    from .model import Entry, Glossary

WORD_RE = re.compile(rf"[^\W_{CJK_CLASS}]+")
_SPACES = re.compile(" {2,}")

_LATIN = re.compile("[a-z]")
_OTHER_LETTER = re.compile(rf"[^\W\d_a-z{CJK_CLASS}]")

#: statuses of a pattern, best first when two patterns match the same span
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
        self._automata: list[_Automaton] = []  #: first words' stems and Chinese forms (``compile``)
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
            # Aho-Corasick (native code, leftmost-longest): the first words' stems, kept where a
            # word starts (a stem is word characters only, so no hit hides one that starts a
            # word), and the Chinese forms (冼星海, never 星海 inside it). One automaton, one pass,
            # unless a Chinese form holds word characters (号2) and could hide a word's start.
            stems = {stem for (_gap, stem) in self._root.children}
            cjk = set(self._cjk)
            groups = [stems, cjk] if any(WORD_RE.search(k) for k in cjk) else [stems | cjk]
            self._automata = [_Automaton(keys) for keys in groups if keys - {""}]
            rules = {p.rule for p in self.patterns if not p.cjk}
            self._endings = frozenset().union(*(ALL_ENDINGS[r] for r in rules)) if rules else frozenset()
            self._max_ending = max((len(x) for x in self._endings), default=0)

    def _add_cjk(self, key: str, p: Pattern) -> None:
        self._cjk[key] = p
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
        if not self._automata:
            return {}
        encoded = s.encode("utf-8", "surrogatepass")
        hits = self._automata[0].find(encoded)
        if len(self._automata) > 1:
            hits = sorted(hits + self._automata[1].find(encoded), key=lambda h: (h[1], -len(h[0])))
        # where each text starts in the joined string (lengths + 1 for each NUL), C-level
        starts = [0, *accumulate(map((1).__add__, map(len, texts)))]
        return self._scan(s, orig, hits, starts)

    def _cands(self, w: str) -> list[tuple[str, str]]:
        out = [(w, "")]
        endings = self._endings
        for k in range(1, min(self._max_ending, len(w) - 1) + 1):
            tail = w[-k:]
            if tail in endings:
                out.append((w[:-k], tail))
        return out

    def _scan(self, s: str, orig: str, hits: list[tuple[str, int]], starts: list[int]) -> dict[int, list[Match]]:
        """The terms at the automata's hits, left to right, no overlaps, by text (``starts``: where
        each text starts in ``s``), with offsets in their text."""
        out: dict[int, list[Match]] = {}
        root = self._root.children
        cjk = self._cjk
        last_end = -1
        word_at = WORD_RE.match
        where = bisect.bisect_right
        for key, pos in hits:
            if pos < last_end:
                continue  # inside a term already found
            p = cjk.get(key)
            if p is not None:
                i = where(starts, pos) - 1
                a = pos - starts[i]
                b = a + len(key)
                out.setdefault(i, []).append(Match(a, b, p, ((a, b, b),)))
                last_end = pos + len(key)
                continue
            if pos and word_at(s, pos - 1, pos) is not None:
                continue  # a stem inside a word
            m = word_at(s, pos)
            if m is None:  # pragma: no cover - a stem is word characters
                continue
            best: Match | None = None
            for stem, tail in self._cands(m.group()):
                child = root.get(("", stem))
                if child is not None and tail in child.tails:
                    best = self._walk(s, orig, child, [(pos, pos + len(stem), m.end())], tail, best)
            if best is not None:
                last_end = best.end
                i = where(starts, pos) - 1
                base = starts[i]
                parts = tuple((x - base, y - base, z - base) for x, y, z in best.parts)
                out.setdefault(i, []).append(Match(best.start - base, best.end - base, best.pattern, parts))
        return out

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


class _Automaton:
    """A leftmost-longest Aho-Corasick automaton of some keys (``ahocorasick_rs``), run over UTF-8:
    its byte offsets are turned into character offsets by decoding only the stretches between
    hits (searching a ``str`` directly costs a third more)."""

    __slots__ = ("_ac", "keys")

    def __init__(self, keys: set[str]) -> None:
        self.keys = sorted(keys - {""})  # an empty key would match everywhere
        self._ac = ahocorasick_rs.BytesAhoCorasick(
            [k.encode("utf-8", "surrogatepass") for k in self.keys], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )

    def find(self, encoded: bytes) -> list[tuple[str, int]]:
        """``(key, start)`` of every hit in a text encoded with ``encode("utf-8", "surrogatepass")``,
        ``start`` in characters. A key starts with a lead byte, so every hit starts a character."""
        keys = self.keys
        out: list[tuple[str, int]] = []
        char = byte = 0
        for n, i, _j in self._ac.find_matches_as_indexes(encoded):
            char += len(encoded[byte:i].decode("utf-8", "surrogatepass"))
            byte = i
            out.append((keys[n], char))
        return out
