"""Build src/dubdesk/data/codepage_trigrams.json: which letter trigrams real text of each language has.

    python benchmarks/train_codepage_trigrams.py   (needs Debian's gettext catalogues in /usr/share/locale)

For every word with a non-ASCII letter in the translations of the system's
gettext catalogues (coreutils, glib, gtk…), each trigram centred on a
non-ASCII letter, with a space for the word's edges (``" è "`` is Italian's
"is"; Slovak has no one-letter word ``" č "``). Trigrams seen at least 3 times
(6 for languages written wholly in non-ASCII letters) are kept. The sentences
of the encoding test set (tests/data/encodings/sentences.json) are held out.
"""

from __future__ import annotations

import gettext
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[^\W\d_]+")
NON_LATIN = {"ru", "bg", "sr", "mk", "be", "uk", "el", "kk"}


def main() -> None:
    held_out = json.loads((ROOT / "tests/data/encodings/sentences.json").read_text(encoding="utf-8"))
    out = {}
    for lang, sentences in held_out.items():
        if lang in ("en", "zh_CN", "zh_TW", "ja", "ko"):
            continue
        held = set(sentences)
        counts: Counter[str] = Counter()
        for mo in sorted((Path("/usr/share/locale") / lang / "LC_MESSAGES").glob("*.mo")):
            try:
                with mo.open("rb") as fh:
                    catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
            except Exception:
                continue
            for value in catalog.values():
                if not isinstance(value, str) or value.strip() in held:
                    continue
                for word in WORD.findall(value.lower()):
                    if word.isascii():
                        continue
                    padded = f" {word} "
                    for i in range(1, len(padded) - 1):
                        if ord(padded[i]) > 127:
                            counts[padded[i - 1 : i + 2]] += 1
        least = 6 if lang in NON_LATIN else 3
        out[lang] = "".join(sorted(t for t, n in counts.items() if n >= least))
    target = ROOT / "src/dubdesk/data/codepage_trigrams.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {target} ({sum(len(v) // 3 for v in out.values())} trigrams)")


if __name__ == "__main__":
    main()
