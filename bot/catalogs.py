"""Keeping the catalogs complete: which message ids the code uses, and which a language lacks.

    python -m bot.catalogs missing            # every id without a translation, per language
    python -m bot.catalogs add FEATURE        # append the missing ids to <lang>/FEATURE.po

The test suite runs the same check, so a string without its three translations fails CI.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from tokenize import TokenError

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from bot.i18n import LANGUAGES, LOCALES_DIR, read_catalogs

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "handlers", "storage")
# t("…"), t.n("one", "many", n), N_("…") marks, and refusals raised with a message id.
KEYWORDS = {"t": None, "N_": None, "Refuse": None, "BadUsage": None, "n": (1, 2)}


@dataclass(frozen=True)
class Msg:
    id: str
    plural: str | None
    where: str


def extract() -> dict[str, Msg]:
    found: dict[str, Msg] = {}
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            where = path.relative_to(ROOT)
            try:
                messages = extract_from_file("python", path, keywords=KEYWORDS)
            except (SyntaxError, TokenError) as exc:
                raise SyntaxError(f"{where}: cannot read messages: {exc}") from exc
            for lineno, message, _comments, _context in messages:
                msgid, plural = message if isinstance(message, tuple) else (message, None)
                if msgid and (plural or not isinstance(message, tuple)):
                    found.setdefault(msgid, Msg(msgid, plural, f"{where}:{lineno}"))
    return found


def missing(locale: str) -> list[Msg]:
    """Ids the code uses that this language lacks, has empty, or marks fuzzy."""
    have: dict[str, object] = {}
    for catalog in read_catalogs(locale):
        for message in catalog:
            if message.id and not message.fuzzy:
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if all(strings):
                    have[key] = message
    return [msg for msg in extract().values() if msg.id not in have]


def add(feature: str) -> None:
    for locale in LANGUAGES:
        lacking = missing(locale)
        if not lacking:
            continue
        path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{feature}.po"
        catalog = Catalog(locale=locale)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        for msg in lacking:
            catalog.add((msg.id, msg.plural) if msg.plural else msg.id, locations=[(msg.where, 0)])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, include_lineno=False)
        print(f"{path}: {len(lacking)} to translate")


def main(argv: list[str]) -> int:
    if argv[:1] == ["add"] and len(argv) == 2:
        add(argv[1])
        return 0
    status = 0
    for locale in LANGUAGES:
        for msg in missing(locale):
            status = 1
            print(f"{locale}: {msg.where}: {msg.id!r}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
