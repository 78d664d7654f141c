"""The offline console: typos answered in one line, everything the bot sends shown, who and
where in the prompt, and replies to someone's message (`:reply`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.config import Settings
from bot.offline.console import Console, main
from bot.offline.driver import Driver
from tests.e2e.conftest import MANAGERS_CHAT


async def replay(settings: Settings, tmp_path: Path, capsys, text: str) -> tuple[int, str]:
    script = tmp_path / "script.txt"
    script.write_text(text, encoding="utf-8")
    status = await main(settings, demo=False, script=script)
    return status, capsys.readouterr().out


SETUP = """\
:as ada
:in bd
/setup bd
/grant 2 bd
:as bob
/creator_add lily S douyin 120万 beauty
/sample lily "Hydra Mask 50ml" SF1001
/signed #1
"""


async def test_typos_answer_one_line_and_the_session_goes_on(
    settings: Settings, tmp_path: Path, capsys
) -> None:
    status, out = await replay(
        settings,
        tmp_path,
        capsys,
        ":press Approve\n:wait abc\n:upload /no/such/file.csv /import\n:frobnicate\n"
        ":in nowhere\n:as\n:reply\n:reply nobody hi\n:reply bob hi\n/start\n< Ada\n",
    )
    assert status == 0, out
    assert "Traceback" not in out
    for line in (
        "  (no button [Approve] in dm; no message here has buttons)",
        "  ('abc' is not a duration like 2d, 3h or 30m)",
        "  (no file '/no/such/file.csv')",
        "  (unknown directive :frobnicate — try :help)",
        "  (unknown chat 'nowhere': dm, bd, ads, sharers, managers, other)",
        "  (say who: :as <name>, e.g. :as bob)",
        "  (say whom and what: :reply <person|bot> <text>, e.g. :reply bob /grant bd)",
        "  (unknown person 'nobody': ada, bob, cai, dan, eve, fay, gus or bot)",
        "  (bob has written nothing in dm yet)",
    ):
        assert line in out.splitlines(), out


async def test_press_of_a_missing_button_lists_the_buttons_there(
    settings: Settings, tmp_path: Path, capsys
) -> None:
    status, out = await replay(settings, tmp_path, capsys, SETUP + ":wait 2d\n:press Nope\n")
    assert status == 0, out
    assert "(no button [Nope] in bd; buttons here: [已催，已回复] [已催，未回复]" in out


async def test_directives_confirm_and_transcripts_show_who_and_where(
    settings: Settings, tmp_path: Path, capsys
) -> None:
    status, out = await replay(
        settings, tmp_path, capsys, SETUP + ":wait 2d\n:press 已催，已回复\n"
    )
    assert status == 0, out
    lines = out.splitlines()
    assert "  (you are bob (Bob, BD rep))" in lines
    assert "  (in bd (BD team))" in lines
    assert "bob @ bd> /signed #1" in lines
    assert "  (bob pressed [已催，已回复])" in lines


async def test_a_refused_press_shows_its_alert(settings: Settings, tmp_path: Path, capsys) -> None:
    status, out = await replay(
        settings, tmp_path, capsys, SETUP + ":wait 2d\n:as zed\n:press 已催，已回复\n"
    )
    assert status == 0, out
    assert "  [alert] 只有" in out, out


async def test_reply_lets_grant_name_the_person_by_their_message(
    settings: Settings, tmp_path: Path, capsys
) -> None:
    status, out = await replay(
        settings,
        tmp_path,
        capsys,
        ":as ada\n:in bd\n/setup bd\n:as cai\nhello\n"
        ":as ada\n:reply cai /grant bd\n< 蔡小明 现在是商务\n:reply bot /help\n",
    )
    assert status == 0, out
    assert "!! expected" not in out


async def test_messages_sent_between_lines_are_shown(bot: Driver) -> None:
    out = io.StringIO()
    console = Console(bot, out)
    # What the scheduler would send while the person is typing: nobody asked for it.
    await bot.app.bot.send_message(MANAGERS_CHAT, "a reminder from the scheduler")
    await console.handle("/start")
    lines = out.getvalue().splitlines()
    assert "[managers] crewbot: a reminder from the scheduler" in lines
    assert lines.index("[managers] crewbot: a reminder from the scheduler") == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("terminal", [True, False], ids=["prompt", "piped"])
async def test_stdin_shows_who_and_where(
    settings: Settings, capsys, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    lines = ":as bob\n:in bd\n/start\n"
    monkeypatch.setattr("sys.stdin", _Terminal(lines) if terminal else io.StringIO(lines))
    assert await main(settings, demo=False, script=None) == 0
    out = capsys.readouterr().out
    if terminal:
        assert "ada @ dm> " in out and "bob @ bd> " in out, out
    else:
        assert "bob @ bd> /start" in out.splitlines(), out
