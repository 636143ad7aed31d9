"""Rebuild the common-word lists the glossary's near-miss check ships
(src/dubdesk/glossary/data/words/{en,ru,zh-Hans}.txt) from the wordfreq wheel.

Source: wordfreq 3.1.1 (PyPI), its "small" cBpack lists (data/small_{en,ru,zh}.msgpack.gz).
wordfreq's code is Apache-2.0; its word-frequency data is CC BY-SA 4.0 (Robyn Speer and the
corpora named in wordfreq's README), so the derived lists are CC BY-SA 4.0 as well (see
src/dubdesk/glossary/data/words/README.md). kk.txt has no such source (wordfreq has no Kazakh)
and is written by hand; this script leaves it alone.

Usage (offline, nothing installed: the wheel is read as a zip):
    pip download --no-deps wordfreq==3.1.1 -d /tmp/wf
    python scripts/make_wordlists.py /tmp/wf/wordfreq-3.1.1-py3-none-any.whl
"""

from __future__ import annotations

import gzip
import io
import sys
import unicodedata
import zipfile
from pathlib import Path

import msgpack  # type: ignore[import-untyped]

OUT = Path(__file__).resolve().parent.parent / "src" / "dubdesk" / "glossary" / "data" / "words"
#: (our tag, wordfreq code, how many words, shortest word kept)
#: the most frequent Chinese entries of which single characters are kept
SINGLE_ZH = 60
LISTS = (("en", "en", 6000, 4), ("ru", "ru", 12000, 4), ("zh-Hans", "zh", 8000, 2))


def words(wheel: zipfile.ZipFile, code: str) -> list[str]:
    with wheel.open(f"wordfreq/data/small_{code}.msgpack.gz") as f:
        data = msgpack.load(gzip.GzipFile(fileobj=io.BytesIO(f.read())), raw=False)
    return [w for bucket in data[1:] for w in bucket]  # most frequent first


def main() -> None:
    wheel = zipfile.ZipFile(sys.argv[1])
    for tag, code, count, shortest in LISTS:
        kept: list[str] = []
        for rank, w in enumerate(words(wheel, code)):
            w = unicodedata.normalize("NFC", w).lower().replace("ё", "е")
            # whole words of letters only; short ones can never be near-misses (6+ letters, 3+ characters),
            # except the few hundred most frequent Chinese characters (的 了 是 …): a name is not slipped into a particle
            if (len(w) < shortest and not (code == "zh" and rank < SINGLE_ZH)) or not w.isalpha():
                continue
            kept.append(w)
            if len(kept) == count:
                break
        head = f"# {len(kept)} most frequent {tag} words, wordfreq 3.1.1 small_{code} (CC BY-SA 4.0); scripts/make_wordlists.py\n"
        (OUT / f"{tag}.txt").write_text(head + "\n".join(kept) + "\n", encoding="utf-8")
        print(f"{tag}: {len(kept)} words")


if __name__ == "__main__":
    main()
