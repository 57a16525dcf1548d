"""Counting the English words left in an Indonesian page (issue 25, item 8).

English is what the catalogue's msgids say and its msgstrs do not: words of three letters or more of
every English message, minus the words an Indonesian translation also uses ("NPV", "Rp", "batch"
where Indonesian keeps it). The visible text is the page without <head>, <style>, <script> and
images, tags removed. Tokens that hold a digit or one of ``_ . / = + -`` are keys, file names or
candidate names (``rotary-furnace``, ``machines.press.count``) and are skipped, as are the names a
user gave: scenario names, menu items, firms. ``python -m tests.english REPORT.html`` prints the count
and the most frequent words, to find what is left.
"""

from __future__ import annotations

import html
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "slagsim" / "locale" / "id" / "LC_MESSAGES" / "slagsim.po"
WORD = re.compile(r"[A-Za-z]{3,}")
SKIPPED = re.compile(r"[\d_./=+\-]")


def english_vocabulary() -> set[str]:
    """Lower-case words of the English messages that no Indonesian message uses."""
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="id")
    english: set[str] = set()
    indonesian: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strs = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for text in ids:
            english |= {w.lower() for w in WORD.findall(text)}
        for text in strs:
            indonesian |= {w.lower() for w in WORD.findall(text or "")}
    return english - indonesian


def visible_text(page: str) -> str:
    """What a reader sees of an html page: no head, styles, scripts, images or tags."""
    for tag in ("head", "style", "script"):
        page = re.sub(rf"<{tag}\b.*?</{tag}>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<img\b[^>]*>", " ", page, flags=re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def english_words(text: str, names: Iterable[str] = ()) -> Counter[str]:
    """The English words in ``text``, user-given ``names`` (whole, then word by word) left out."""
    vocabulary = english_vocabulary()
    for name in sorted(names, key=len, reverse=True):
        if name:
            text = text.replace(name, " ")
    count: Counter[str] = Counter()
    for token in text.split():
        if SKIPPED.search(token):
            continue
        for word in WORD.findall(token):
            if word.lower() in vocabulary:
                count[word.lower()] += 1
    return count


def user_names(folder: Path) -> set[str]:
    """The names a user gave in a result folder: scenarios, menu items, firms."""
    import json

    names: set[str] = set()
    meta = folder / "batch-meta.json"
    if meta.is_file():
        data = json.loads(meta.read_text(encoding="utf-8"))
        names |= {s["name"] for s in data.get("scenarios", [])}
        names.add(str(data.get("batch", "")))
    for table in ("candidates.csv", "bundles.csv", "fairness.csv"):
        path = folder / "appraisal" / table
        if path.is_file():
            import pandas as pd

            frame = pd.read_csv(path)
            for column in ("candidate", "bundle", "items", "firm", "name"):
                if column in frame:
                    names |= {str(v) for v in frame[column].dropna()}
    return names


def main(argv: list[str]) -> int:
    page = Path(argv[0])
    count = english_words(visible_text(page.read_text(encoding="utf-8")), user_names(page.parent))
    print(sum(count.values()), "English words")
    for word, n in count.most_common(80):
        print(f"{n:5d} {word}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
