"""Every transcript in examples/ replays through the console with all its expectations met."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.offline.console import main

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))


# A transcript that needs the demo team says so in its opening comments.
DEMO_MARK = "# replay with --demo"


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
async def test_transcript(script: Path, settings: Settings, capsys) -> None:
    opening = script.read_text(encoding="utf-8").splitlines()[:5]
    status = await main(settings, demo=DEMO_MARK in opening, script=script)
    output = capsys.readouterr().out
    assert "!! expected" not in output, output
    assert status == 0, output


async def test_demo_data_loads(settings: Settings, tmp_path: Path, capsys) -> None:
    script = tmp_path / "help.txt"
    script.write_text("/help\n< /grant\n", encoding="utf-8")
    status = await main(settings, demo=True, script=script)
    output = capsys.readouterr().out
    assert status == 0, output
    assert "Demo data loaded" in output
