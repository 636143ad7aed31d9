"""Cue text <-> translation units: tags out and back, dialogue, continuations, splits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dubdesk.markup import is_closing_tag
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


def test_closing_tags_are_told_by_the_tag_itself() -> None:
    closing = ["</i>", "< / font >", r"{\i0}", r"{\b0\u0}", r"{\r}", r"{\rAlt}", r"{\c}", r"{\i}"]
    opening = ["<i>", '<font color="red">', r"{\i1}", r"{\b700}", r"{\fs20}", r"{\an8}", r"{\i0\fs20}", "{note}"]
    assert [is_closing_tag(t) for t in closing] == [True] * len(closing)
    assert [is_closing_tag(t) for t in opening] == [False] * len(opening)


def test_closing_tag_of_a_chinese_span_ends_where_that_span_went() -> None:
    # cue 5 of the Chinese sample: Chinese has no spaces, so the closing tag used to be
    # taken for one that opens the next span and landed after the space, inside the italics
    (unit,) = decode(r"{\i1}作曲家拜卡达莫夫{\i0}\N在剧院里认识了他。").units
    assert unit.text == "作曲家拜卡达莫夫在剧院里认识了他。" and [a.offset for a in unit.anchors] == [8]
    translated = "Композитор Байқадамов онымен театрда танысты."
    spans = {(0, 8): "Композитор Байқадамов", (8, 17): "онымен театрда танысты."}
    expected = r"{\i1}Композитор Байқадамов{\i0} онымен театрда танысты."
    assert unit.rebuild(translated, place_anchors(unit, translated, spans, cjk_target=False)) == expected
    # only the span after it found: the closer goes just before it, outside the space
    only_after = {(8, 17): "онымен театрда танысты."}
    assert unit.rebuild(translated, place_anchors(unit, translated, only_after, cjk_target=False)) == expected
    # nothing found: relative position, at the end of a word
    assert unit.rebuild(translated, place_anchors(unit, translated, {}, cjk_target=False)) == expected


def test_no_whitespace_inside_inline_tags() -> None:
    (unit,) = decode(r"Он {\i1}пришёл {\i0}домой.").units
    translated = "Ол келді үйге."
    for spans in ({(3, 10): "келді"}, {}):
        assert unit.rebuild(translated, place_anchors(unit, translated, spans, cjk_target=False)) == (
            r"Ол {\i1}келді{\i0} үйге."
        )
    # a span's own translation with its punctuation: the tag keeps the punctuation inside
    (unit,) = decode(r"{\b1}Hello,{\b0} world").units
    translated = "Сәлем, әлем"
    assert unit.rebuild(translated, place_anchors(unit, translated, {(0, 6): "Сәлем,"}, cjk_target=False)) == (
        r"{\b1}Сәлем,{\b0} әлем"
    )


def test_closing_and_opening_tags_at_one_offset_go_to_their_own_spans() -> None:
    (unit,) = decode(r"{\i1}Text{\i0}{\b1}word{\b0} more").units
    assert [(a.offset, a.raw) for a in unit.anchors] == [(4, r"{\i0}"), (4, r"{\b1}"), (8, r"{\b0}")]
    translated = "Текст, слово ещё"
    spans = {(0, 4): "Текст", (4, 8): "слово", (8, 13): "ещё"}
    assert unit.rebuild(translated, place_anchors(unit, translated, spans, cjk_target=False)) == (
        r"{\i1}Текст{\i0}, {\b1}слово{\b0} ещё"
    )


_src_piece = st.sampled_from(["слово", "冼星海", " ", ",", "{\\i1}", "{\\i0}", "<b>", "</b>", "{\\fs20}", "{\\r}"])
_tr_piece = st.sampled_from(["сөз", "әлем", " ", "  ", ",", "."])


@given(st.lists(_src_piece, min_size=1, max_size=14).map("".join), st.lists(_tr_piece, max_size=10).map("".join),
       st.booleans())
def test_placed_tags_never_hold_whitespace_at_their_edges(raw: str, translated: str, with_spans: bool) -> None:
    (unit,) = decode(raw).units
    translated = translated.strip()
    spans = {span: translated[: span[1] - span[0]] for span in unit.spans()} if with_spans else {}
    positions = place_anchors(unit, translated, spans, cjk_target=False)
    assert positions == sorted(positions) and all(0 <= p <= len(translated) for p in positions)
    out = unit.rebuild(translated, positions)
    tokens = segments.tokenize(out)
    assert [t.raw for t in tokens if t.kind is segments.Kind.TAG] == [
        t.raw for t in segments.tokenize(raw) if t.kind is segments.Kind.TAG
    ]
    for k, tok in enumerate(tokens):
        if tok.kind is not segments.Kind.TAG:
            continue
        if is_closing_tag(tok.raw) and k > 0:
            assert not tokens[k - 1].raw[-1].isspace(), out
        if not is_closing_tag(tok.raw) and k + 1 < len(tokens):
            assert not tokens[k + 1].raw[0].isspace(), out


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
