"""reflow: line breaking for a language's profile (the translation pipeline relies on it)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from dubdesk import markup
from dubdesk.text.reflow import line_width, reflow


def tags(text: str) -> list[str]:
    return [t.raw for t in markup.tokenize(text) if t.kind is markup.Kind.TAG]


def squeezed(text: str) -> str:
    return "".join(ch for ch in markup.visible(text) if not ch.isspace())


def test_chinese_breaks_after_punctuation_within_16() -> None:
    out = reflow("音乐传遍了阿拉木图的大街小巷，人们在寒冷的冬夜里静静地听着。", "zh-Hans")
    assert out == "音乐传遍了阿拉木图的大街小巷，\\N人们在寒冷的冬夜里静静地听着。"


def test_chinese_prefers_punctuation_even_if_unbalanced() -> None:
    out = reflow("他没有家，也没有工作，只有音乐，还有一架旧钢琴。", "zh-Hans")
    lines = markup.lines(out)
    assert len(lines) == 2 and all(len(ln) <= 16 for ln in lines)
    assert lines[0].endswith("，")


def test_chinese_fits_on_one_line_drops_old_breaks() -> None:
    assert reflow("他没有家，\\N也没有工作，\\N只有音乐。", "zh-Hans") == "他没有家，也没有工作，只有音乐。"


def test_chinese_halfwidth_counts_half() -> None:
    # 26 Latin letters (13) + 2 CJK = 15 <= 16: one line
    text = "ABCDEFGHIJKLMNOPQRSTUVWXYZ我们"
    assert reflow(text, "zh-Hans") == text
    assert line_width(text, 0.5) == 15.0


def test_chinese_never_breaks_inside_number_or_before_closing_punctuation() -> None:
    out = reflow("阿拉木图1942年的冬天非常寒冷，我们在ABC剧院里演奏到天亮。", "zh-Hans")
    first, second = markup.lines(out)
    assert "1942" in first and "ABC" in second
    for ln in (first, second):
        assert ln[0] not in "，。！？、；：）》」"


def test_russian_bottom_heavy_and_after_punctuation() -> None:
    out = reflow("Спустя годы о них сняли фильм, его смотрели и в Китае, и в Казахстане.", "ru")
    first, second = markup.lines(out)
    assert first.endswith(",") and len(second) >= len(first)
    assert len(second) <= 42


def test_russian_bottom_heavy_without_punctuation() -> None:
    out = reflow("Рядом с ним все забывали о войне и пели старые песни до утра", "ru")
    first, second = markup.lines(out)
    assert len(first) <= len(second) <= 42


def test_one_letter_preposition_never_ends_a_line() -> None:
    out = reflow("Они долго шли по заснеженной улице в сторону старого театра", "ru")
    first, _ = markup.lines(out)
    assert not first.endswith((" в", " с", " к", " и"))


def test_kazakh_line_of_46_is_split() -> None:
    out = reflow("Музыка бүкіл Алматы көшелерінде естіліп тұрды.", "kk")
    assert out == "Музыка бүкіл Алматы\\Nкөшелерінде естіліп тұрды."


def test_short_text_stays_one_line() -> None:
    assert reflow("Кто\\Nон?", "ru") == "Кто он?"


def test_tags_preserved_and_not_split() -> None:
    text = "{\\i1}Бахытжан Байқадамов{\\i0} встретил его в театре и привёл его домой к себе."
    out = reflow(text, "ru")
    assert tags(out) == tags(text)
    assert squeezed(out) == squeezed(text)
    assert "{\\i1}Бахытжан" in out and "Байқадамов{\\i0}" in out


def test_closing_tag_ends_the_line_before_a_break() -> None:
    text = "{\\i1}Композитор Байқадамов {\\i0}онымен театрда танысты."
    assert reflow(text, "kk") == "{\\i1}Композитор Байқадамов{\\i0}\\Nонымен театрда танысты."


def test_opening_tag_starts_the_line_after_a_break() -> None:
    text = "Музыка бүкіл Алматы<b> көшелерінде</b> естіліп тұрды."
    assert reflow(text, "kk") == "Музыка бүкіл Алматы\\N<b>көшелерінде</b> естіліп тұрды."
    # closers and openers between the same two words: split between them, order kept
    text = "Музыка бүкіл Алматы{\\i0} <b>көшелерінде</b> естіліп тұрды."
    assert reflow(text, "kk") == "Музыка бүкіл Алматы{\\i0}\\N<b>көшелерінде</b> естіліп тұрды."


def test_chinese_break_between_a_closing_and_an_opening_tag() -> None:
    text = "{\\i1}音乐传遍了阿拉木图的大街小巷，{\\i0}{\\b1}人们在寒冷的冬夜里静静地听着。{\\b0}"
    assert reflow(text, "zh-Hans") == (
        "{\\i1}音乐传遍了阿拉木图的大街小巷，{\\i0}\\N{\\b1}人们在寒冷的冬夜里静静地听着。{\\b0}"
    )


def test_joined_break_goes_outside_the_tags() -> None:
    assert reflow("{\\i1}Кто\\N{\\i0}он?", "ru") == "{\\i1}Кто{\\i0} он?"


def test_html_tags_kept_verbatim() -> None:
    text = '<font color="#ffff00">Музыка звучала по всему Алматы, и люди слушали её до утра.</font>'
    out = reflow(text, "ru")
    assert out.startswith('<font color="#ffff00">') and out.endswith("</font>")
    assert out.count("\\N") == 1


def test_dialogue_lines_keep_their_breaks() -> None:
    text = "— Как называется эта мелодия?\\N— «Амангельды»."
    assert reflow(text, "ru") == text


def test_best_effort_never_drops_text() -> None:
    text = "Этоточеньдлинныйсоставнойзаголовокбезпробелов " * 3
    out = reflow(text.strip(), "ru")
    assert squeezed(out) == squeezed(text)
    assert len(markup.lines(out)) <= 2


def test_max_chars_and_max_lines_arguments() -> None:
    out = reflow("one two three four five six seven eight nine ten", "en", max_chars=12, max_lines=5)
    lines = markup.lines(out)
    assert 2 < len(lines) <= 5
    assert squeezed(out) == squeezed("one two three four five six seven eight nine ten")


_word = st.text(alphabet="абвгдежзийклмнопрстуфхцчшщыэюяәқңү", min_size=1, max_size=12)
_tag = st.sampled_from(["{\\i1}", "{\\i0}", "{\\b1}", '<font color="red">', "</font>"])
_piece = st.one_of(_word, _word, _word, _tag.map(lambda t: t), st.just("\\N"), st.just(", "))


@settings(max_examples=200, deadline=None)
@given(st.lists(_piece, min_size=1, max_size=30).map(" ".join), st.sampled_from(["ru", "kk", "en", "zh-Hans"]))
def test_reflow_keeps_every_visible_character_and_every_tag(text: str, language: str) -> None:
    out = reflow(text, language)
    assert squeezed(out) == squeezed(text)
    assert tags(out) == tags(text)
    assert len(markup.lines(out)) <= 2 or len(markup.lines(text)) > 2
    # idempotent: re-breaking a re-broken cue changes nothing
    assert reflow(out, language) == out


_han = st.text(alphabet="音乐传遍了阿拉木图的大街小巷人们在寒冷冬夜里静地听着，。！？AB12", min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(_han)
def test_chinese_reflow_fits_when_possible(text: str) -> None:
    out = reflow(text, "zh-Hans")
    assert squeezed(out) == squeezed(text)
    lines = markup.lines(out)
    assert len(lines) <= 2
    if line_width(text, 0.5) <= 16:
        assert lines == [text]


def skeleton(text: str) -> list[str]:
    """Tags and visible characters in order, whitespace left out."""
    out: list[str] = []
    for tok in markup.tokenize(text):
        if tok.kind is markup.Kind.TAG:
            out.append(tok.raw)
        else:
            out.extend(ch for ch in tok.visible if not ch.isspace())
    return out


_any_tag = st.sampled_from(["{\\i1}", "{\\i0}", "{\\b1}", "{\\b0}", "<i>", "</i>", '<font color="red">', "</font>",
                            "{\\r}", "{\\fs20}", "{\\an8}"])
_mixed_word = st.text(alphabet="абвгдежзийклмнәқңү音乐传遍阿拉木图，。", min_size=1, max_size=10)
_mixed_piece = st.one_of(_mixed_word, _mixed_word, _any_tag, st.just("\\N"), st.just(" "), st.just(", "))


@settings(max_examples=300, deadline=None)
@given(st.lists(_mixed_piece, min_size=1, max_size=40).map("".join), st.sampled_from(["ru", "kk", "zh-Hans"]),
       st.integers(4, 42))
def test_reflow_keeps_tag_order_and_tags_stick_to_their_words(text: str, language: str, width: int) -> None:
    out = reflow(text, language, max_chars=width)
    assert skeleton(out) == skeleton(text)
    lines = out.split("\\N")
    for upper, lower in itertools.pairwise(lines):
        first = markup.tokenize(lower)[0]
        last = markup.tokenize(upper)[-1]
        assert not (first.kind is markup.Kind.TAG and markup.is_closing_tag(first.raw)), out
        assert not (last.kind is markup.Kind.TAG and not markup.is_closing_tag(last.raw)), out

