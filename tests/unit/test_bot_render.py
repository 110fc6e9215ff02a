"""bot.render: escaping, human numbers, and splitting HTML under Telegram's limit without breaking tags."""

from __future__ import annotations

import pytest

from bot import render
from bot.app import file_url
from tests.fakes.telegram_server import html_to_text


def test_escaping_keeps_user_text_literal():
    assert render.esc('<b>"Eve"</b> & co') == '&lt;b&gt;"Eve"&lt;/b&gt; &amp; co'
    assert html_to_text(render.bold("<i>x</i>")) == "<i>x</i>"


def test_links_are_made_only_for_http_urls_and_escape_both_parts():
    assert render.link("A & B", "https://x.org/?a=1&b=2") == '<a href="https://x.org/?a=1&amp;b=2">A &amp; B</a>'
    assert render.link("<script>", "javascript:alert(1)") == "&lt;script&gt;"


@pytest.mark.parametrize(("value", "text"), [(950, "$950"), (144_754, "$145k"), (1_250_000, "$1.2M")])
def test_money_reads_like_a_person_wrote_it(value, text):
    assert render.money(value) == text


@pytest.mark.parametrize(("value", "text"), [(45.83, "46%"), (7.46, "7.5%"), (100.0, "100%")])
def test_percentages_keep_a_decimal_only_below_ten(value, text):
    assert render.pct(value) == text


def test_counts_and_changes_are_grouped_and_signed():
    assert render.number(1234567) == "1,234,567" and render.points(3.21) == "+3.2 pp" and render.points(-0.5) == "-0.5 pp"


def test_short_text_stays_one_message():
    assert render.split_messages("a\nb") == ["a\nb"]


def test_long_text_is_split_at_line_boundaries():
    lines = [f"<b>line {i}</b> " + "x" * 90 for i in range(200)]
    parts = render.split_messages("\n".join(lines))
    assert len(parts) > 1 and all(len(part) <= render.MAX_MESSAGE for part in parts)
    assert "\n".join(parts).split("\n") == lines


def test_an_overlong_line_is_cut_at_spaces_with_tags_closed_and_reopened():
    line = "<b>" + " ".join(f"w{i}&amp;" for i in range(3000)) + "</b>"
    parts = render.split_messages(line)
    assert len(parts) > 1 and all(len(part) <= render.MAX_MESSAGE for part in parts)
    texts = [html_to_text(part) for part in parts]  # each part is valid Telegram HTML on its own
    assert " ".join(texts).split() == [f"w{i}&" for i in range(3000)]


def test_an_endless_word_is_cut_anywhere_but_inside_an_entity():
    parts = render.split_messages("&lt;" * 3000)
    assert all(len(part) <= render.MAX_MESSAGE for part in parts)
    assert "".join(html_to_text(part) for part in parts) == "<" * 3000


def test_the_file_url_follows_the_bot_api_url():
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert file_url("https://api.example.org/tg/bot") == "https://api.example.org/tg/file/bot"
