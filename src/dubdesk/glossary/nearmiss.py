"""Near-misses: spellings of approved terms that nobody listed as variants.

A draft's slip (``Baikadamow``, ``Байкадомов``, ``冼星梅`` for 冼星海) is no listed
variant, so the matcher passes it. This module finds words of a text that are
within a small edit distance of an approved or accepted form of the track's
language, after the matcher's folding (``norm``) and inflection handling
(``inflect``), and suggests the approved spelling with the text's ending and case.

False positives are the enemy, so a near-miss must

- be long enough: thresholds per script are data (``data/nearmiss.toml``:
  6+ letters distance 1, 10+ letters distance 2, Chinese 3+ characters with
  exactly one character different in the same position);
- look like a name: capitalised, in scripts with case;
- not be a known word: no form of the glossary in any language (those are the
  matcher's business), no entry of the glossary's ``ignore`` list, no common
  word of the language (``data/words/LANG.txt``).

Speed: the text's distinct capitalised words (one regex pass) are screened
once each: set look-ups first (matched, common, approved words), then a
SymSpell-style one-deletion index of the term words, for two edits an index of
their halves, a Damerau distance last; only the cues of the few words that are
near-misses are tokenised. Chinese candidates come from an index of
the terms' first two and last two characters and are compared with numpy over
the code points.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from itertools import compress, count
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from .. import languages
from ..runtime import gc_paused
from .han_nearmiss import HanIndex
from .inflect import ALL_ENDINGS, DEFAULT_RULE, INFLECTIONS
from .matcher import WORD_RE, Match, split_form
from .model import Glossary, is_cjk_form, norm
from .spelling import (
    NearMiss,
    capitalised,
    common_words,
    deletions,
    frozen_endings,
    osa_distance,
    script_of,
    thresholds,
)
from .suggest import Form, Hit, Word, near_miss

if TYPE_CHECKING:
    from .model import Entry

KIND = "near-miss"


# --- the index -----------------------------------------------------------------------------------


class NearMissIndex:
    """Approved and accepted forms of one language, indexed for near-miss look-ups."""

    def __init__(self, glossary: Glossary, lang: str) -> None:
        self.lang = lang
        self.limits = thresholds()
        self._common = common_words(lang)
        #: one-deletion neighbourhoods of every indexed term word (stem and word as written)
        self._deletes: dict[str, list[Word]] = {}
        #: for words of distance 2: one-deletion neighbourhoods of their first and second halves
        #: (two edits leave one half within one edit: a pigeonhole index of about 2n keys, not n²/2)
        self._prefix: dict[str, list[Word]] = {}
        self._suffix: dict[str, list[Word]] = {}
        self._halves: set[tuple[int, int]] = set()  #: (length of the first half, of the second half)
        self._lens: set[int] = set()  #: lengths a text stem may have to be near some term word
        self._words: list[Word] = []  #: term words with a distance (6+ letters)
        self._two = False  #: some word may be two edits away
        self._indexed = self._halves_indexed = False
        self._cuts: dict[int, tuple[set[int], set[int]]] = {}
        self._known_words: set[str] = set()  #: every word of every approved form, as written (folded)
        self._known: dict[str, set[str]] = {}  #: folded stem -> endings of the ignore list
        self._ignored: set[str] = set()  #: the ignore list, folded (Chinese windows are looked up whole)
        self._han = HanIndex(self.limits.han_min_chars)  #: Chinese forms
        self._endings: frozenset[str] = frozenset()
        self._max_ending = 0
        with gc_paused():
            self._build(glossary)

    def _build(self, glossary: Glossary) -> None:
        rules: set[str] = set()
        # only approved and accepted forms are indexed; every other form of the glossary is the
        # matcher's, and words inside the matcher's matches are never screened (``_screen_all``)
        cjk_lang = languages.is_cjk(self.lang)
        for e in glossary.entries:
            lf = e.langs.get(self.lang)
            if lf is None:
                continue
            for form in lf.approved_forms:
                if cjk_lang and is_cjk_form(form):  # elsewhere a Chinese form has no words: skipped below
                    self._han.add(e, form)
                else:
                    rules.add(lf.rule)
                    self._add_words(e, form, lf.rule, lf.case_sensitive)
        default_rule = DEFAULT_RULE.get(self.lang, "none")
        for word in glossary.ignore:
            rules.add(default_rule)
            self._ignored.add(norm(word).strip())
            for t in WORD_RE.finditer(norm(word)):
                stem, endings = INFLECTIONS[default_rule](t.group())
                self._known.setdefault(stem, set()).update(endings)
        self._endings = frozenset().union(*(ALL_ENDINGS[r] for r in rules)) if rules else frozenset()
        self._max_ending = max((len(x) for x in self._endings), default=0)
        self._min_len = max(1, self.limits.shortest() - 2)

    def _add_words(self, e: Entry, form: str, rule: str, cs: bool) -> None:
        nf = norm(form)
        toks = list(WORD_RE.finditer(nf))
        if not toks:
            return
        if len(toks) == 1 and len(toks[0].group()) == len(nf):  # one plain word: the common case
            lead = trail = ""
            gaps: list[str] = []
        else:
            split = split_form(form, rule, nf if len(nf) == len(form) else None)
            if split is None:
                return
            lead, trail, _words, gaps = split
        f = Form(e, form, rule, cs, lead, trail, [], gaps)
        fn = INFLECTIONS[rule]
        for k, tok in enumerate(toks):
            base = tok.group()
            stem, endings = fn(base)
            cased = form[tok.start() : tok.start() + len(stem)]
            limit = self.limits.distance(script_of(base), len(base))
            w = Word(f, k, cased, stem, base, form[tok.start() : tok.end()], frozen_endings(endings), limit)
            f.words.append(w)
            self._known_words.add(base)
            if limit:
                self._words.append(w)
                self._two = self._two or limit >= 2
                self._lens.update(range(len(stem) - limit, len(base) + limit + 1))

    def build(self) -> None:
        """Build the parts built on first need now (``prepare_glossary``)."""
        with gc_paused():
            if not self._indexed:
                self._index_words()
            if not self._halves_indexed:
                self._index_halves()
            if self._han:
                self._han.prepare(self._common)

    def _index_words(self) -> None:
        """The one-deletion index of the term words (built on the first word that needs it: a
        file without candidates never pays for it)."""
        self._indexed = True
        deletes = self._deletes
        for w in self._words:
            for key in {w.stem, w.base}:
                for d in deletions(key):
                    deletes.setdefault(d, []).append(w)

    def _index_halves(self) -> None:
        """The half-word index of the words of distance 2 (built on first need: most slips are one edit)."""
        self._halves_indexed = True
        for w in self._words:
            if w.limit < 2:
                continue
            for key in {w.stem, w.base}:
                h = len(key) // 2
                self._halves.add((h, len(key) - h))
                for d in deletions(key[:h]):
                    self._prefix.setdefault(d, []).append(w)
                for d in deletions(key[h:]):
                    self._suffix.setdefault(d, []).append(w)

    # -- words ------------------------------------------------------------------------------------
    def _cands(self, w: str) -> list[tuple[str, str]]:
        out = [(w, "")]
        for k in range(1, min(self._max_ending, len(w) - 1) + 1):
            if w[-k:] in self._endings:
                out.append((w[:-k], w[-k:]))
        return out

    def screen(self, word: str) -> Hit | None:
        """The closest term word to one text word (as written), None when it is no near-miss."""
        key = norm(word)
        if key in self._common:
            return None
        if key in self._known_words:
            return None
        cands = self._cands(key)
        for stem, tail in cands:
            known = self._known.get(stem)
            if (known is not None and tail in known) or stem in self._common:
                return None
        best: Hit | None = None
        ambiguous = False
        ties: list[Word] = []
        if not self._indexed:
            with gc_paused():
                self._index_words()
        for halves in (False, True):
            if halves and (not self._two or (best is not None and best.distance == 1)):
                break  # two edits never beat one
            if halves and not self._halves_indexed:
                with gc_paused():
                    self._index_halves()
            for stem, tail in cands:
                if len(stem) not in self._lens or (halves and len(stem) < 8):
                    continue
                for w in self._near(stem, halves):
                    dist, whole = self._distance(word, stem, tail, w)
                    if dist == 0 and not whole:
                        return None  # a term word with one of its endings: the matcher's business
                    if dist > w.limit or dist == 0:
                        continue
                    if best is None or dist < best.distance:
                        best, ambiguous, ties = Hit((w,), dist, len(tail), whole), False, [w]
                    elif dist == best.distance and w.form.entry is not best.words[0].form.entry:
                        ambiguous = True  # as close to two concepts: no suggestion is safe
                    elif dist == best.distance and best.tail == len(tail) and w not in ties:
                        ties.append(w)
        if best is None or ambiguous:
            return None
        ties.sort(key=lambda w: -len(w.form.words))
        return Hit(tuple(ties), best.distance, best.tail, best.whole)

    def _near(self, stem: str, halves: bool) -> list[Word]:
        """Term words that may be within their distance of ``stem`` (a superset; verified after):
        one deletion from both sides, or (``halves``) one half within one edit."""
        out: dict[int, Word] = {}
        if not halves:
            for d in deletions(stem):
                for w in self._deletes.get(d, ()):
                    out[id(w)] = w
            return list(out.values())
        n = len(stem)
        cuts = self._cuts.get(n)
        if cuts is None:
            # the half within one edit is cut at most one letter off its own length
            firsts: set[int] = set()
            seconds: set[int] = set()
            for h1, h2 in self._halves:
                if abs(h1 + h2 - n) <= 2:
                    firsts.update(range(max(1, h1 - 1), min(n, h1 + 2)))
                    seconds.update(range(max(1, h2 - 1), min(n, h2 + 2)))
            cuts = self._cuts[n] = (firsts, seconds)
        firsts, seconds = cuts
        keys = {d for cut in firsts for d in deletions(stem[:cut])}
        for d in keys:
            for w in self._prefix.get(d, ()):
                out[id(w)] = w
        keys = {d for cut in seconds for d in deletions(stem[n - cut :])}
        for d in keys:
            for w in self._suffix.get(d, ()):
                out[id(w)] = w
        return list(out.values())

    @staticmethod
    def _distance(word: str, stem: str, tail: str, w: Word) -> tuple[int, bool]:
        """Distance of a text word (split as stem + tail) to a term word: stem to stem when the
        tail is one of the word's endings, and the whole word to the word as written."""
        cs = w.form.case_sensitive
        best = w.limit + 1
        if tail in w.endings:
            best = osa_distance(word[: len(word) - len(tail)], w.cased, w.limit) if cs else osa_distance(stem, w.stem, w.limit)
        if not tail and (w.base != w.stem or "" not in w.endings):  # else the same comparison again
            whole = osa_distance(word, w.cased_base, w.limit) if cs else osa_distance(stem, w.base, w.limit)
            if whole < best:
                return whole, True
        return best, False

    def _screen_all(self, words: set[str], texts: list[str], matches: dict[int, list[Match]]) -> dict[str, Hit]:
        """Screen each distinct capitalised word once: surface -> hit. Words the matcher matched
        somewhere (any form of any entry, in any language) are known words."""
        for i, ms in matches.items():
            text = texts[i]
            for m in ms:
                words.difference_update([text[a:c] for a, _b, c in m.parts])
        shortest = self._min_len
        hits: dict[str, Hit] = {}
        for w in words:
            if len(w) < shortest:
                continue
            hit = self.screen(w)
            if hit is not None:
                hits[w] = hit
        return hits

    def find_sparse(self, texts: list[str], matches: dict[int, list[Match]] | None = None) -> dict[int, list[NearMiss]]:
        """Near-misses in many visible texts: index -> near-misses, left to right.

        ``matches`` (the matcher's ``find_sparse`` of the same texts) keeps
        near-misses off spans the matcher already reported.
        """
        with gc_paused():
            out: dict[int, list[NearMiss]] = {}
            if self._words:
                for i, nm in self._find_words(texts, matches or {}):
                    out.setdefault(i, []).append(nm)
            worded = list(out)  # sorted below: a Chinese form's near-misses come in order
            if self._han:
                han = self._han.find(texts, self._common, self._ignored)
                if out:
                    for i, items in han.items():
                        out.setdefault(i, []).extend(items)
                else:
                    out = han
            for i in worded:
                if len(out[i]) > 1:
                    out[i].sort(key=attrgetter("start"))
            matches = matches or {}
            for i in matches.keys() & out.keys():
                ms = matches[i]
                kept = [nm for nm in out[i] if not _clashes(nm, ms)]
                if kept:
                    out[i] = kept
                else:
                    del out[i]
            return out

    def _find_words(self, texts: list[str], matches: dict[int, list[Match]]) -> Iterable[tuple[int, NearMiss]]:
        # C-level: one regex pass lists the capitalised words with a NUL between cues, a set drops
        # repeats; Python sees each distinct word once, and the cues of the few near-misses are
        # found in the same list (the NULs before a word count its cue)
        joined = "\x00".join(texts)
        if joined.count("\x00") != len(texts) - 1:  # a cue with a NUL of its own (a damaged file)
            joined = "\x00".join(t.replace("\x00", " ") for t in texts)
        seq = _words_by_cue().findall(joined)
        words = set(seq)
        words.discard("\x00")
        hits = self._screen_all(words, texts, matches)
        if not hits:
            return
        nuls = list(compress(count(), map("\x00".__eq__, seq)))
        last = -1
        for k in compress(count(), map(hits.__contains__, seq)):
            i = bisect.bisect_left(nuls, k)
            if i == last:
                continue
            last = i
            text = texts[i]
            tokens = list(WORD_RE.finditer(text))
            for idx, tok in enumerate(tokens):
                hit = hits.get(tok.group())
                if hit is not None:
                    nm = near_miss(text, tokens, idx, hit)
                    if nm is not None:
                        yield i, nm


@functools.cache
def _words_by_cue() -> re.Pattern[str]:
    """A capitalised word (``spelling.capitalised``) or the NUL between two cues."""
    return re.compile("\x00|" + capitalised().pattern)


def _clashes(nm: NearMiss, matches: list[Match]) -> bool:
    """Whether a match overlaps the near-miss (a match of the same entry inside it is the rest of the
    name: the accepted short name Tonurdar inside the slip Duagegemar Tonurdar)."""
    return any(
        m.start < nm.end
        and nm.start < m.end
        and not (m.entry is nm.entry and nm.start <= m.start and m.end <= nm.end and m.end - m.start < nm.end - nm.start)
        for m in matches
    )


def index(glossary: Glossary, lang: str) -> NearMissIndex:
    """The near-miss index of ``lang`` for a glossary (built once, cached on the glossary)."""
    lang = languages.normalize(lang)
    cache: dict[str, Any] = glossary._nearmiss
    idx = cache.get(lang)
    if idx is None:
        idx = cache[lang] = NearMissIndex(glossary, lang)
    return idx


def find_near_misses(
    glossary: Glossary, lang: str, texts: list[str], matches: dict[int, list[Match]] | None = None
) -> dict[int, list[NearMiss]]:
    """Near-misses of ``lang``'s approved forms in visible texts: index -> near-misses."""
    return index(glossary, lang).find_sparse(texts, matches)
