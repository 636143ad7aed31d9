"""What a season worker keeps for all its jobs: the allocator settings CTranslate2 runs fastest
with, and each video's probe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dubdesk.season import worker


def test_keep_large_buffers_sets_the_mmap_and_trim_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []

    class FakeLibc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr(worker.sys, "platform", "linux")
    monkeypatch.setattr(worker, "libc", FakeLibc)
    assert worker.keep_large_buffers() is True
    # M_MMAP_THRESHOLD (-3) 32 MB, M_TRIM_THRESHOLD (-1) 64 MB; with or without Dask's variable
    assert calls == [(-3, 32 * 1024 * 1024), (-1, 64 * 1024 * 1024)]
    monkeypatch.setattr(worker, "libc", lambda: None)  # musl, or no C library found
    assert worker.keep_large_buffers() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_keep_large_buffers_is_accepted_by_the_real_c_library() -> None:
    # a fresh process: this one's allocator is left as it was
    code = "from dubdesk.season.worker import keep_large_buffers; print(keep_large_buffers())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


def test_a_worker_probes_a_file_once_while_it_is_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    probes: list[str] = []

    def fake_probe(path: Any) -> str:
        probes.append(str(path))
        return f"probe {len(probes)}"

    monkeypatch.setattr(worker, "probe", fake_probe)
    monkeypatch.setattr(worker, "_PROBES", {})
    video = tmp_path / "ep01.mp4"
    video.write_bytes(b"one")
    assert worker.probed(video) == worker.probed(video) == "probe 1"
    assert probes == [str(video)]
    video.write_bytes(b"other")  # replaced: another size
    assert worker.probed(video) == "probe 2"
    st = video.stat()
    os.utime(video, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # touched: another time
    assert worker.probed(video) == "probe 3"
    assert worker.probed(video) == "probe 3"
