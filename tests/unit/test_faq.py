"""The FAQ's pure parts: normal form, question detection, entry parsing, Markdown, search
and the grouping of unanswered questions."""

from __future__ import annotations

import pytest

from bot.domain.faq import (
    FaqEntry,
    FaqError,
    FaqIndex,
    group_gaps,
    parse_entry,
    parse_markdown,
    same_question,
)
from bot.domain.faq_text import looks_like_question, normalise


def test_traditional_and_full_width_text_take_the_simplified_normal_form() -> None:
    assert normalise("請問傭金怎麼提現？ＡＢＣ") == "请问佣金怎么提现?abc"


@pytest.mark.parametrize(
    "text",
    ["佣金怎么提现", "多少钱", "可以开发票吗", "你們幾點開播", "how do I bind?", "Is it free",
     "直播间在哪", "能不能退", "发货了吗"],
)  # fmt: skip
def test_questions_are_recognised(text: str) -> None:
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text", ["收到", "好的，谢谢！", "今天卖了十单", "/faq 佣金", "ok", "Thanks everyone!", "吗"]
)
def test_statements_commands_and_scraps_are_not_questions(text: str) -> None:
    assert not looks_like_question(text)


def test_an_entry_is_question_bar_answer() -> None:
    assert parse_entry(" 问题？ | 答案 | 含竖线 ") == ("问题？", "答案 | 含竖线")
    assert parse_entry("问题｜答案") == ("问题", "答案")


@pytest.mark.parametrize(
    ("text", "code"),
    [("没有竖线", "no_separator"), ("| 答案", "empty_question"), ("问题 |  ", "empty_answer"),
     ("问" * 301 + "|a", "question_too_long"), ("q|" + "a" * 3001, "answer_too_long")],
)  # fmt: skip
def test_a_bad_entry_is_refused_with_its_reason(text: str, code: str) -> None:
    with pytest.raises(FaqError) as caught:
        parse_entry(text)
    assert caught.value.code == code


def test_same_question_ignores_script_case_and_punctuation() -> None:
    assert same_question("佣金怎么提现？", "傭金怎麼提現")
    assert not same_question("佣金怎么提现", "佣金什么时候发")


def test_markdown_sections_are_entries_with_their_lines() -> None:
    text = "# FAQ\nintro\n## 问题一\n答案\n第二行\n\n## 问题二\n\n## 问题三\n答三\n"
    assert parse_markdown(text) == [(3, "问题一", "答案\n第二行"), (7, "问题二", ""),
                                    (9, "问题三", "答三")]  # fmt: skip


def test_search_ranks_the_best_entry_first_and_an_empty_index_finds_nothing() -> None:
    index = FaqIndex([FaqEntry(1, "佣金怎么提现？", "a"), FaqEntry(2, "佣金什么时候发放？", "b"),
                      FaqEntry(3, "多久发货？/ How long does shipping take?", "c")])  # fmt: skip
    assert [m.entry.id for m in index.search("傭金啥時候發")][:1] == [2]
    assert index.search("shiping take how long")[0].entry.id == 3
    assert index.answer("今天天气怎么样") is None
    assert index.search("？？？") == []
    assert FaqIndex([]).search("佣金") == []


def test_unanswered_questions_are_grouped_the_most_asked_first() -> None:
    asked = [(1, "直播几点开始？"), (2, "样品怎么申请"), (3, "请问样品怎么申请呀？"),
             (4, "樣品怎麼申請"), (5, "直播几点开始呀")]  # fmt: skip
    gaps = group_gaps(asked)
    assert [(g.ids, g.question) for g in gaps] == [
        ((2, 3, 4), "樣品怎麼申請"),
        ((1, 5), "直播几点开始呀"),
    ]
