"""Cue text <-> translation units: tags out and back, dialogue, continuations, splits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dubdesk.translate import segments
from dubdesk.translate.segments import decode, group_continuations, place_anchors, split_proportionally


def test_whole_line_tags_are_lead_and_trail_not_text() -> None:
    (unit,) = decode(r"{\i1}Конец.{\i0}").units
    assert (unit.lead, unit.text, unit.trail, unit.anchors) == (r"{\i1}", "Конец.", r"{\i0}", [])
    (unit,) = decode('<font color="#ffff00">Музыка звучала.</font>').units
    assert (unit.lead, unit.text, unit.trail) == ('<font color="#ffff00">', "Музыка звучала.", "</font>")


def test_breaks_become_spaces_or_nothing_between_cjk() -> None:
    assert decode(r"Сянь Синхай приехал сюда\Nиз далёкой Москвы.").units[0].text == (
        "Сянь Синхай приехал сюда из далёкой Москвы."
    )
    assert decode(r"冼星海从遥远的莫斯科\N来到这里。").units[0].text == "冼星海从遥远的莫斯科来到这里。"
    assert decode(r"a\hb").units[0].text == "a b"


def test_inline_tag_is_an_anchor_at_its_visible_offset() -> None:
    (unit,) = decode(r"{\i1}Бақытжан Байқадамов{\i0}\Nонымен театрда танысты.").units
    assert unit.lead == r"{\i1}"
    assert unit.text == "Бақытжан Байқадамов онымен театрда танысты."
    assert [(a.offset, a.raw) for a in unit.anchors] == [(19, r"{\i0}")]
    assert unit.spans() == [(0, 19), (19, len(unit.text))]


def test_dialogue_lines_are_separate_units_without_their_dash() -> None:
    cue = decode(r"— Бұл әуен қалай аталады?\N— «Амангелді».")
    assert cue.dialogue
    assert [(u.dash, u.text) for u in cue.units] == [("— ", "Бұл әуен қалай аталады?"), ("— ", "«Амангелді».")]
    assert segments.target_dash("——", cjk_target=False) == "— "
    assert segments.target_dash("— ", cjk_target=True) == "——"


def test_anchor_goes_where_its_span_went() -> None:
    (unit,) = decode(r"Text {\i1}word{\i0} more").units
    spans = {(0, 5): "Текст", (5, 9): "слово", (9, 14): "ещё"}
    moved = "ещё слово текст"
    assert unit.rebuild(moved, place_anchors(unit, moved, spans, cjk_target=False)) == (
        r"ещё {\i1}слово{\i0} текст"
    )
    # nothing located: keeps its relative place, on word edges
    same = "Текст слово ещё"
    assert unit.rebuild(same, place_anchors(unit, same, {}, cjk_target=False)) == r"Текст {\i1}слово{\i0} ещё"


def test_continuations_are_grouped_only_when_the_sentence_runs_on() -> None:
    texts = ["He went home", "and slept.", "Then he woke.", "and yes", "Yes...", "No."]
    starts = [0, 1000, 2000, 9000, 10000, 11000]
    ends = [900, 1900, 2900, 9900, 10900, 11900]
    keys = [1, 1, 1, 1, 1, 1]
    groups = group_continuations(texts, starts, ends, keys, cjk_source=False)
    assert groups == [[0, 1], [2], [3], [4], [5]]
    # a long gap or another speaker breaks the sentence
    assert group_continuations(texts[:2], [0, 5000], [900, 5900], [1, 1], cjk_source=False) == [[0], [1]]
    assert group_continuations(texts[:2], starts[:2], ends[:2], [1, 2], cjk_source=False) == [[0], [1]]
    # Chinese: an open clause (comma) continues
    zh = ["他没有家，", "也没有工作。"]
    assert group_continuations(zh, starts[:2], ends[:2], [1, 1], cjk_source=True) == [[0, 1]]


def test_split_in_proportion_at_word_boundaries() -> None:
    assert split_proportionally(
        "он пошёл домой и уснул", ["He went home", "and slept"], cjk_source=False, cjk_target=False
    ) == ["он пошёл домой", "и уснул"]
    assert split_proportionally(
        "他没有家也没有工作", ["no home", "no work"], cjk_source=False, cjk_target=True
    ) == ["他没有家", "也没有工作"]
    # a restored term is never cut
    text = "а б Сянь Синхай в"
    parts = split_proportionally(text, ["x y z", "w v"], cjk_source=False, cjk_target=False, keep_together=[(4, 15)])
    assert parts[0] in ("а б", "а б Сянь Синхай") and any("Сянь Синхай" in p for p in parts)
    assert split_proportionally(text, ["x y z", "w v"], cjk_source=False, cjk_target=False) == ["а б Сянь", "Синхай в"]


@given(st.lists(st.sampled_from(["аб", "в", "где", "ёж,", "зи."]), min_size=2, max_size=12), st.integers(2, 4))
def test_split_never_loses_words(words: list[str], n: int) -> None:
    text = " ".join(words)
    parts = split_proportionally(text, ["a b"] * n, cjk_source=False, cjk_target=False)
    assert len(parts) == n
    assert " ".join(p for p in parts if p).split() == words
    if len(words) >= n:
        assert all(parts)


@given(
    st.lists(
        st.sampled_from(["слово", " ", "{\\i1}", "{\\i0}", "\\N", "<font color=\"red\">", "</font>", "冼星海", "."]),
        max_size=12,
    )
)
def test_rebuild_with_identity_translation_keeps_every_tag(pieces: list[str]) -> None:
    raw = "".join(pieces)
    cue = decode(raw)
    rebuilt = []
    for unit in cue.units:
        rebuilt.append(unit.rebuild(unit.text, place_anchors(unit, unit.text, {}, cjk_target=False)))
    out = "".join(rebuilt)
    tags = [t.raw for t in segments.tokenize(raw) if t.kind is segments.Kind.TAG]
    assert [t.raw for t in segments.tokenize(out) if t.kind is segments.Kind.TAG] == tags
