"""The annotated test set: 100% precision and recall, exact protect -> restore round trips."""

from __future__ import annotations

import pytest

from dubdesk import markup
from dubdesk.glossary import PLACEHOLDER_RE, protect, restore
from glossary_helpers import Sentence, build_test_set, glossary, visible_surface

SET = build_test_set()


def test_the_set_is_big_and_covers_every_language() -> None:
    assert len(SET) >= 200
    assert {s.lang for s in SET} == {"ru", "kk", "zh-Hans", "en"}
    assert sum(1 for s in SET if "{" in s.text or "<" in s.text) > 50
    assert sum(1 for s in SET if "\\N" in s.text) > 5


def test_precision_and_recall_are_100_percent() -> None:
    g = glossary()
    tp = fp = fn = 0
    wrong: list[str] = []
    for s in SET:
        vis = markup.visible(s.text)
        got = [(m.entry.id, visible_surface(vis[m.start : m.end])) for m in g.matcher(s.lang).find(vis)]
        expected = list(s.expected)
        for item in got:
            if item in expected:
                expected.remove(item)
                tp += 1
            else:
                fp += 1
                wrong.append(f"false positive {item} in {s.text!r}")
        fn += len(expected)
        wrong += [f"missed {item} in {s.text!r}" for item in expected]
    assert not wrong, "\n".join(wrong[:20])
    assert tp == sum(len(s.expected) for s in SET) and fp == 0 and fn == 0


@pytest.mark.parametrize("s", SET, ids=lambda s: s.lang)
def test_protect_restore_round_trip(s: Sentence) -> None:
    g = glossary()
    p = protect(s.text, g, s.lang, s.lang)
    assert len(p.terms) == len(s.expected)
    for term, (entry, _surface) in zip(p.terms, s.expected, strict=True):
        assert term.entry == entry
    assert g.matcher(s.lang).find(markup.visible(p.text)) == []  # no term left for the model to translate
    assert len(PLACEHOLDER_RE.findall(p.text)) == len(s.expected)
    assert restore(p.text, p) == s.text


@pytest.mark.parametrize("tgt", ["ru", "kk", "zh-Hans", "en"])
def test_protect_restore_into_other_languages(tgt: str) -> None:
    g = glossary()
    for s in SET:
        if s.lang == tgt:
            continue
        p = protect(s.text, g, s.lang, tgt)
        expected = p.text
        for t in p.terms:
            expected = expected.replace(t.placeholder, t.target)
        assert restore(p.text, p) == expected
        for t in p.terms:
            assert t.target in g.entry(t.entry).langs[tgt].approved_forms
        missing = {e for e, _ in s.expected} - {t.entry for t in p.terms}
        assert all(tgt not in g.entry(e).langs for e in missing), (s.text, missing)
