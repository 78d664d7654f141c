"""Write one feature's catalogs for the three languages from a Python table.

    python tools/write_po.py locales/src/core.py

The table module defines FEATURE (the .po file name) and MESSAGES: a list of
(msgid, zh_Hans, zh_Hant) or, for plurals, ((singular, plural), zh_Hans, zh_Hant). English
uses the msgid itself (the plural form for counts other than one). Chinese has one form.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"


def main(table: str) -> None:
    data = runpy.run_path(table)
    feature, messages = data["FEATURE"], data["MESSAGES"]
    for locale in ("zh_Hans", "zh_Hant", "en"):
        catalog = Catalog(locale=locale, project="crewbot", domain=feature)
        for msgid, hans, hant in messages:
            if isinstance(msgid, tuple):
                string = {"zh_Hans": (hans,), "zh_Hant": (hant,), "en": msgid}[locale]
            else:
                string = {"zh_Hans": hans, "zh_Hant": hant, "en": msgid}[locale]
            catalog.add(msgid, string)
        path = LOCALES / locale / "LC_MESSAGES" / f"{feature}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        main(arg)
