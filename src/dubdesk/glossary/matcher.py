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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .inflect import ALL_ENDINGS, RULES
from .model import is_cjk_form, norm

if TYPE_CHECKING:
    from .model import Entry, Glossary

_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
WORD_RE = re.compile(rf"[^\W_{_CJK}]+")
CJK_RUN_RE = re.compile(rf"[{_CJK}]+")
_SPACES = re.compile(" {2,}")

#: statuses of a pattern, best first when two patterns match the same span
_PRIORITY = {"approved": 0, "accepted": 0, "form": 0, "variant": 1, "forbidden": 1, "foreign": 2}
OK_STATUSES = frozenset({"approved", "accepted", "form"})


@dataclass(frozen=True, eq=False)
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


def split_form(form: str, rule: str) -> tuple[str, str, list[tuple[str, str, frozenset[str]]], list[str]] | None:
    """Lead, trail, words as (cased stem, normalised stem, endings) and gaps of a word form."""
    nf = norm(form)
    toks = list(WORD_RE.finditer(nf))
    if not toks:
        return None
    fn = RULES[rule]
    words: list[tuple[str, str, frozenset[str]]] = []
    gaps: list[str] = []
    for k, t in enumerate(toks):
        stem, endings = fn(t.group())
        words.append((form[t.start() : t.start() + len(stem)], stem, frozenset(endings)))
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
                for form in lf.approved_forms:
                    key = norm(form).strip()
                    if key in own:
                        continue
                    if key not in foreign:
                        foreign[key] = (form, "foreign", e, lf.rule, lf.case_sensitive, lang)
                        continue
                    prev = foreign[key]
                    if prev is not None and prev[2] is not e:
                        foreign[key] = None  # two entries share this spelling elsewhere: ambiguous, skip
        items = list(own.values()) + [v for v in foreign.values() if v is not None]
        for form, status, e, rule, cs, lang in items:
            self._add(Pattern(entry=e, lang=lang, form=form, status=status, rule=rule, case_sensitive=cs, cjk=is_cjk_form(form)))
        firsts = [stem for (_gap, stem) in self._root.children]
        self._k = max(1, min([3, *(len(s) for s in firsts)])) if firsts else 3
        self._prefixes = {s[: self._k] for s in firsts}
        rules = {p.rule for p in self.patterns if not p.cjk}
        self._endings = frozenset().union(*(ALL_ENDINGS[r] for r in rules)) if rules else frozenset()
        self._max_ending = max((len(x) for x in self._endings), default=0)
        for first in self._cjk_first.values():
            first.sort(reverse=True)

    def _add(self, p: Pattern) -> None:
        if p.cjk:
            key = norm(p.form).strip()
            if key in self._cjk:
                return
            self._cjk[key] = p
            lens = self._cjk_first.setdefault(key[0], [])
            if len(key) not in lens:
                lens.append(len(key))
            self.patterns.append(p)
            return
        split = split_form(p.form, p.rule)
        if split is None:
            return
        lead, trail, words, gaps = split
        p = Pattern(
            entry=p.entry, lang=p.lang, form=p.form, status=p.status, rule=p.rule, case_sensitive=p.case_sensitive,
            cjk=False, lead=lead, trail=trail, stems=tuple(w[0] for w in words), gaps=tuple(gaps),
        )
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
        orig = "\x00".join(texts)
        s = norm(orig)
        starts: list[int] = []
        pos = 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        found: list[Match] = []
        if self._root.children:
            found += self._scan_words(s, orig)
        if self._cjk:
            cjk = self._scan_cjk(s)
            found = _merge(found, cjk) if found else cjk
        out: list[list[Match]] = [[] for _ in texts]
        for m in found:
            i = bisect.bisect_right(starts, m.start) - 1
            base = starts[i]
            out[i].append(
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

    def _scan_words(self, s: str, orig: str) -> list[Match]:
        found: list[Match] = []
        prefixes = self._prefixes
        k = self._k
        root = self._root.children
        last_end = -1
        for m in WORD_RE.finditer(s):
            w = m.group()
            if w[:k] not in prefixes or m.start() < last_end:
                continue
            best: Match | None = None
            for stem, tail in self._cands(w):
                child = root.get(("", stem))
                if child is not None and tail in child.tails:
                    part = (m.start(), m.start() + len(stem), m.end())
                    best = self._walk(s, orig, child, [part], tail, best)
            if best is not None:
                found.append(best)
                last_end = best.end
        return found

    def _walk(
        self, s: str, orig: str, node: _Node, parts: list[tuple[int, int, int]], tail: str, best: Match | None
    ) -> Match | None:
        start, end = parts[0][0], parts[-1][2]
        for p, tails in node.terminals:
            if tail not in tails:
                continue
            if p.lead and s[start - len(p.lead) : start] != p.lead:
                continue
            if p.trail and s[end : end + len(p.trail)] != p.trail:
                continue
            if p.case_sensitive and any(orig[a:b] != stem for (a, b, _c), stem in zip(parts, p.stems, strict=True)):
                continue
            cand = Match(start - len(p.lead), end + len(p.trail), p, tuple(parts))
            if best is None or (cand.end, -_PRIORITY[p.status]) > (best.end, -_PRIORITY[best.pattern.status]):
                best = cand
        if node.children:
            nm = WORD_RE.search(s, end)
            if nm is not None and nm.start() - end < 8:
                gap = s[end : nm.start()]
                if "  " in gap:
                    gap = _SPACES.sub(" ", gap)
                w = nm.group()
                for stem, ntail in self._cands(w):
                    child = node.children.get((gap, stem))
                    if child is not None and ntail in child.tails:
                        part = (nm.start(), nm.start() + len(stem), nm.end())
                        best = self._walk(s, orig, child, [*parts, part], ntail, best)
        return best

    def _scan_cjk(self, s: str) -> list[Match]:
        found: list[Match] = []
        first = self._cjk_first
        forms = self._cjk
        for run in CJK_RUN_RE.finditer(s):
            r = run.group()
            base = run.start()
            n = len(r)
            i = 0
            while i < n:
                lens = first.get(r[i])
                if lens is not None:
                    for length in lens:
                        if i + length <= n:
                            p = forms.get(r[i : i + length])
                            if p is not None:
                                a = base + i
                                found.append(Match(a, a + length, p, ((a, a + length, a + length),)))
                                i += length
                                break
                    else:
                        i += 1
                else:
                    i += 1
        return found


def _merge(a: list[Match], b: list[Match]) -> list[Match]:
    out: list[Match] = []
    last = -1
    for m in sorted(a + b, key=lambda m: (m.start, -m.end)):
        if m.start >= last:
            out.append(m)
            last = m.end
    return out
