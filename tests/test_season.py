"""Seasons: a generated season of 6 episodes × (ru source, kk and en translated) built with a local
process pool and on a 2-worker Dask LocalCluster, with the same outputs; a failing episode; a
killed build resumed; the job plan; the shared translation memory under concurrency."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.season import build_season, load_season, plan_jobs
from media_helpers import needs_ffmpeg
from season_helpers import install_demo_models, make_season

ROOT = Path(__file__).resolve().parent.parent


def stream_hashes(path: Path) -> list[str]:
    """ffmpeg's per-stream packet hashes (stream copy) of every stream of ``path``."""
    out = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(path), "-map", "0",
         "-c", "copy", "-f", "streamhash", "-hash", "md5", "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [line for line in out.splitlines() if line and not line.startswith("#")]


def outputs(season_file: Path) -> dict[str, bytes | list[str]]:
    """Every delivered subtitle file's bytes and every delivery's stream hashes, by relative path."""
    out = season_file.parent / "out"
    found: dict[str, bytes | list[str]] = {}
    for path in sorted(out.glob("*/subtitles/*")):
        found[str(path.relative_to(out))] = path.read_bytes()
    for path in sorted(out.glob("*/*.mkv")):
        found[str(path.relative_to(out))] = stream_hashes(path)
    return found


# ------------------------------------------------------------------------------------ pure


def test_plan_has_every_episode_language_with_dependencies(tmp_path: Path) -> None:
    season = load_season(make_season(tmp_path / "s", 2))
    jobs = plan_jobs(season)
    ids = [j.id for j in jobs]
    assert ids[:6] == ["ep01:qa:ru", "ep01:translate:kk", "ep01:qa:kk", "ep01:translate:en", "ep01:qa:en", "ep01:mux"] or \
        ids[:6] == ["ep01:qa:ru", "ep01:translate:en", "ep01:qa:en", "ep01:translate:kk", "ep01:qa:kk", "ep01:mux"]
    by_id = {j.id: j for j in jobs}
    assert by_id["ep02:qa:kk"].deps == ("ep02:translate:kk",)
    assert set(by_id["ep02:mux"].deps) == {"ep02:qa:ru", "ep02:qa:kk", "ep02:qa:en"}
    for j in jobs:  # topological: every dependency comes first
        assert all(ids.index(d) < ids.index(j.id) for d in j.deps)


def test_season_defaults_fill_what_episodes_do_not_set(tmp_path: Path) -> None:
    season_file = make_season(tmp_path / "s", 2)
    manifest = tmp_path / "s" / "ep02" / "dubdesk.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + '\n[qa]\nfail_on = "never"\n', encoding="utf-8")
    season = load_season(season_file)
    ep1, ep2 = season.episodes
    assert [t.language for t in ep1.targets] == ["en", "kk"]  # en from the season, kk from the episode
    assert ep1.glossary == ROOT / "glossaries" / "composer.toml"
    assert (ep1.fail_on, ep2.fail_on) == ("error", "never")  # the episode's own value wins
    assert ep1.output_folder == tmp_path / "s" / "out" / "ep01"
    assert season.pairs == [("ru", "en"), ("ru", "kk")]
    # a list of manifests and a folder of episodes are seasons too
    assert [m.name for m in load_season([str(p) for p in sorted((tmp_path / "s").glob("ep*/dubdesk.toml"))]).episodes] \
        == ["ep01", "ep02"]


def test_import_dubdesk_and_season_import_no_dask() -> None:
    code = ("import sys, dubdesk, dubdesk.season, dubdesk.season.model; "
            "bad = [m for m in ('dask', 'distributed', 'ctranslate2') if m in sys.modules]; print(bad)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------------ memory under concurrency


def _writer(path: str, worker: int, count: int) -> None:
    from dubdesk.translate.memory import TranslationMemory

    with TranslationMemory(path) as mem:
        for i in range(count):
            # the same shared lines from both workers, and lines of each worker's own
            mem.put_many("eng", "ru", "kk", {f"shared {i}": f"общий {i}", f"own {worker} {i}": f"свой {worker} {i}"})


def test_two_processes_write_one_memory_without_loss(tmp_path: Path) -> None:
    from dubdesk.translate.memory import TranslationMemory

    path = str(tmp_path / "memory.sqlite")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 150)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with TranslationMemory(path) as mem:
        assert len(mem) == 150 + 2 * 150
        assert mem.get_many("eng", "ru", "kk", [f"own 2 {i}" for i in range(150)]) == {
            f"own 2 {i}": f"свой 2 {i}" for i in range(150)
        }


def test_relay_memory_returns_what_a_worker_added(tmp_path: Path) -> None:
    from dubdesk.season.worker import RelayMemory
    from dubdesk.translate.memory import TranslationMemory

    with TranslationMemory(tmp_path / "m.sqlite") as coordinator:
        coordinator.put_many("eng", "ru", "kk", {"old": "ескі"})
        workers = [RelayMemory(coordinator.rows("ru", "kk")) for _ in range(2)]
        for n, w in enumerate(workers):
            assert w.get_many("eng", "ru", "kk", ["old"]) == {"old": "ескі"}
            w.put_many("eng", "ru", "kk", {"same line": "бір жол", f"line {n}": f"жол {n}"})
        for w in workers:  # both translated "same line" at once: the coordinator keeps it once
            coordinator.put_rows(w.added)
            assert len(w.added) == 2
        assert len(coordinator) == 4


# ------------------------------------------------------------------------ end to end


@needs_ffmpeg
def test_season_on_a_pool_and_on_a_local_cluster_gives_the_same_outputs(tmp_path: Path) -> None:
    import distributed  # the dev extra installs it: this test never skips
    install_demo_models()
    pool_season = make_season(tmp_path / "pool", 6, missing_audio="ep03")
    cluster_season = make_season(tmp_path / "cluster", 6, missing_audio="ep03")

    # -j 2, from the command line: ep03 fails, the others are delivered, the exit code says so
    result = CliRunner().invoke(cli, ["build", str(pool_season), "-j", "2", "--progress", "none",
                                      "--json"], env={"DUBDESK_MEMORY": str(tmp_path / "pool.sqlite")})  # fmt: skip
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["failed"] == ["ep03"]
    ep03 = [r for r in report["rows"] if r["episode"] == "ep03"]
    assert {r["state"] for r in ep03} == {"failed"} and "kk dub audio not found" in ep03[0]["error"]
    done = [r for r in report["rows"] if r["episode"] != "ep03"]
    assert len(done) == 5 * 3 and all(r["state"] == "done" and r["mux_verified"] for r in done)
    assert all(r["translated"] == r["cues"] for r in done if r["role"] == "target")
    assert len(report["workers"]) == 2 and report["model_loads"] <= 2 * 2  # per worker, not per job
    for name in ("season-report.txt", "season-report.json", "index.html"):
        assert (pool_season.parent / "out" / name).is_file()
    index = (pool_season.parent / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="ep01/qa/ep01.kk.html"' in index and 'href="ep01/ep01.mkv"' in index

    # the same season on a 2-worker LocalCluster, through --scheduler
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:  # fmt: skip
        result = CliRunner().invoke(
            cli, ["build", str(cluster_season), "--scheduler", cluster.scheduler_address, "--progress", "none", "--json"],
            env={"DUBDESK_MEMORY": str(tmp_path / "cluster.sqlite")},
        )
    assert result.exit_code == 1, result.output
    on_cluster = json.loads(result.stdout)
    assert on_cluster["failed"] == ["ep03"]
    assert [(r["episode"], r["language"], r["state"], r["cues"], r["glossary_fixes"], r["qa_errors"],
             r["qa_warnings"]) for r in on_cluster["rows"]] == [
        (r["episode"], r["language"], r["state"], r["cues"], r["glossary_fixes"], r["qa_errors"], r["qa_warnings"])
        for r in report["rows"]
    ]  # fmt: skip
    assert all(len(w["loads"]) <= 2 for w in on_cluster["workers"])

    pool_out, cluster_out = outputs(pool_season), outputs(cluster_season)
    assert len([k for k in pool_out if k.endswith(".mkv")]) == 5
    assert len([k for k in pool_out if "/subtitles/" in k]) == 15
    assert pool_out == cluster_out
    # the coordinator wrote the memory rows the cluster's workers sent back
    from dubdesk.translate.memory import TranslationMemory

    with TranslationMemory(tmp_path / "cluster.sqlite") as a, TranslationMemory(tmp_path / "pool.sqlite") as b:
        assert len(a) == len(b) > 0


def _events(lines: list[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in lines if line.startswith("{")]


@needs_ffmpeg
def test_a_killed_season_build_resumes_with_only_the_rest(tmp_path: Path) -> None:
    install_demo_models()
    season = make_season(tmp_path / "s", 6)
    env = {**os.environ, "DUBDESK_MEMORY": str(tmp_path / "m.sqlite")}
    cmd = [sys.executable, "-m", "dubdesk", "build", str(season), "-j", "2", "--progress", "json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, start_new_session=True)
    seen: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    for line in proc.stdout:
        event = json.loads(line)
        seen.append(line)
        if event.get("job") == "ep02:mux" and event.get("state") == "done":
            os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and its pool, mid-season
            break
        assert time.monotonic() < deadline
    proc.wait(30)
    first = _events(seen)
    done_before = {str(e["job"]) for e in first if e.get("state") == "done"}
    assert "ep02:mux" in done_before and "ep06:mux" not in done_before

    status = CliRunner().invoke(cli, ["status", str(season), "--json"], env={"DUBDESK_MEMORY": env["DUBDESK_MEMORY"]})
    grid = json.loads(status.stdout)
    assert grid["delivery"]["ep02"] == "up to date" and grid["delivery"]["ep06"] == "not built"
    assert grid["grid"]["ep02"] == {"ru": "done", "en": "done", "kk": "done"}
    assert not grid["complete"]

    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0, again.stderr
    second = _events(again.stdout.splitlines())
    skipped = {str(e["job"]) for e in second if e.get("state") == "skipped"}
    ran = {str(e["job"]) for e in second if e.get("state") == "done"}
    # every language whose QA had finished, and every delivered episode, is skipped; only the rest runs
    assert {j for j in done_before if ":qa:" in j or j.endswith(":mux")} <= skipped
    assert not ran & skipped and "ep06:mux" in ran and "ep02:mux" not in ran
    assert len(ran | skipped) == len(plan_jobs(load_season(season)))
    assert second[-1]["event"] == "season" and second[-1]["ok"] is True
    final = CliRunner().invoke(cli, ["status", str(season), "--json"], env={"DUBDESK_MEMORY": env["DUBDESK_MEMORY"]})
    assert json.loads(final.stdout)["complete"] is True


@needs_ffmpeg
def test_fail_fast_stops_submitting_after_the_first_failure(tmp_path: Path) -> None:
    install_demo_models()
    season = make_season(tmp_path / "s", 3, missing_audio="ep01")
    report = build_season(season, jobs=1, keep_going=False, memory=tmp_path / "m.sqlite")
    assert not report.ok
    assert report.jobs["ep01:qa:ru"] == "failed"
    assert report.jobs["ep03:mux"] == "cancelled"
    # only ep01 failed; what had not started was cancelled, not run
    assert report.failed_episodes == ["ep01", "ep02", "ep03"]
    later = {state for job, state in report.jobs.items() if not job.startswith("ep01")}
    assert later <= {"done", "cancelled"} and "cancelled" in later
    assert {r.state for r in report.rows if r.episode == "ep01"} <= {"failed", "cancelled"}
    assert "kk dub audio not found" in (report.episodes[0].error or "")


@needs_ffmpeg
def test_any_executor_works_a_thread_pool_too(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    install_demo_models()
    season = make_season(tmp_path / "s", 2)
    with ThreadPoolExecutor(2) as pool:
        report = build_season(season, executor=pool, memory=tmp_path / "m.sqlite")
    assert report.ok, report.to_text()
    assert [r.state for r in report.rows] == ["done"] * 6
    assert (tmp_path / "s" / "out" / "ep02" / "ep02.mkv").is_file()
    text = (tmp_path / "s" / "out" / "season-report.txt").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "Season The Composer: 2 episodes, 6 tracks" and "2/2 episodes delivered" in text
