"""The texts of a file reach the engine in one order whatever the process's hash seed: which
texts share a CTranslate2 batch can tip a near tie in beam search, and every worker of a season
has its own seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

CODE = """
import json
from dubdesk.translate.batching import translate_all

class Recorder:
    id = "recorder"
    calls = []
    def translate_batch(self, texts, source, target):
        self.calls.append(list(texts))
        return [t.upper() for t in texts]

texts = [f"cue {i:03d}" for i in range(60)] + ["a longer cue", "cue 007", "another long cue"]
eng = Recorder()
done = translate_all(eng, texts, [], "ru", "kk", progress=None, total_cues=len(texts), cue_of={}, chunk_size=16)
assert done.texts["cue 007"] == "CUE 007"
print(json.dumps(eng.calls))
"""


def _batches(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True, check=True).stdout


def test_batches_do_not_depend_on_the_hash_seed() -> None:
    first = _batches("1")
    assert first == _batches("2") == _batches("3")
    calls = json.loads(first)
    # longest first, then the file's order; each text once, in chunks of 16
    assert calls[0][:2] == ["another long cue", "a longer cue"]
    assert calls[0][2:4] == ["cue 000", "cue 001"]
    assert [len(c) for c in calls] == [16, 16, 16, 14]
