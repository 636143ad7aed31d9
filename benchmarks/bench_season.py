"""A season, four ways, side by side in one run.

    python benchmarks/bench_season.py [--episodes 8] [--cues 300] [--skip-cluster] [--runs 2,4] [--timeline]

Season: EPISODES episodes of CUES distinct Russian cues each (4-10 words, as bench_translate.py
makes them), each translated into Kazakh and English by base-sized models
(:func:`dubdesk.translate.toymodel.build_base_model`: 6+6 layers, d_model 512, int8, random
weights; one model per pair), QA'd (safe fixes, ``fail_on = "never"``: random weights make
nonsense that QA would stop) and muxed with the sample video and two dub audio tracks.
Every run starts from an empty translation memory and empty output folders.

Runs:
  1. today's way: ``dubdesk build epNN/dubdesk.toml`` for each episode, one after another (a shell loop);
  2. the season: ``build_season(jobs=2)``, a process pool of 2 workers, 1 CTranslate2 thread each;
  3. the season on a 2-worker ``distributed.LocalCluster`` (started before the clock; its start
     is printed apart);
  4. the limit: one bare ``translate_batch`` per language over all the season's cues
     (pre-tokenised, models loaded before the clock) plus the bare ffmpeg mux commands of every
     episode (the argument lists ``plan_mux`` makes), back to back.
Targets: 2 within 1.15x of 4 and faster than 1; 3 within 1.15x of 2; model loads = workers × models.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

MEDIA = ROOT / "samples" / "media"
TARGETS = ("kk", "en")


def write_season(folder: Path, episodes: list[list[str]]) -> Path:
    """``folder/season.toml`` and one folder per episode with its manifest and SRT."""
    import pysubs2

    folder.mkdir(parents=True)
    for n, cues in enumerate(episodes, 1):
        name = f"ep{n:02d}"
        (folder / name).mkdir()
        subs = pysubs2.SSAFile()
        for i, text in enumerate(cues):
            subs.events.append(pysubs2.SSAEvent(start=i * 3000, end=i * 3000 + 2500, text=text))
        subs.save(str(folder / name / f"{name}.ru.srt"))
        (folder / name / "dubdesk.toml").write_text(
            f'[episode]\nname = "{name}"\nvideo = "{MEDIA / "composer.mp4"}"\noriginal_language = "zh-Hans"\n'
            f'[source]\nlanguage = "ru"\nsubtitles = "{name}.ru.srt"\naudio = "{MEDIA / "composer.dub.ru.m4a"}"\n'
            f'[targets.kk]\ntranslate = true\naudio = "{MEDIA / "composer.dub.kk.m4a"}"\n'
            '[targets.en]\ntranslate = true\n[qa]\nfix = true\nfail_on = "never"\n'
            '[output]\nfolder = "out"\ncontainer = "mkv"\n',
            encoding="utf-8",
        )
    (folder / "season.toml").write_text('[season]\nname = "bench"\noutput = "out"\n', encoding="utf-8")
    return folder / "season.toml"


def timed(label: str, func: Any) -> tuple[float, Any]:
    print(f"running {label} …", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    value = func()
    return time.perf_counter() - t0, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=8)
    parser.add_argument("--cues", type=int, default=300)
    parser.add_argument("--skip-cluster", action="store_true", help="no Dask run (without dubdesk[cluster])")
    parser.add_argument("--runs", default="1,2,3,4", help="which runs (comma-separated), e.g. 2,3")
    parser.add_argument("--repeat", type=int, default=2, help="rounds of the runs; each run's best is compared")
    parser.add_argument("--timeline", action="store_true",
                        help="after each season -j 2 run, where its time went (worker seconds by job kind, "
                             "first job start, tail after the last translation)")  # fmt: skip
    args = parser.parse_args()
    runs = {int(r) for r in args.runs.split(",")}
    if args.skip_cluster:
        runs.discard(3)

    from bench_translate import make_cues, piece_words

    with tempfile.TemporaryDirectory(prefix="dubdesk-bench-season-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["DUBDESK_HOME"] = str(tmp / "home")
        from dubdesk.translate import models
        from dubdesk.translate.argos import ArgosEngine
        from dubdesk.translate.toymodel import build_base_model

        t0 = time.perf_counter()
        packages = {t: build_base_model(tmp / f"bench-ru-{t}", source="ru", target=t, seed=i)
                    for i, t in enumerate(TARGETS)}  # fmt: skip
        for pkg in packages.values():
            models.install(pkg)
        print(f"built and installed {len(packages)} base models in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        probe_engine = ArgosEngine(packages["kk"])
        words = piece_words(probe_engine.sp)
        episodes = [make_cues(args.cues, words, seed=n) for n in range(args.episodes)]
        total = args.episodes * args.cues * len(TARGETS)

        # the environment before LocalCluster adds MALLOC_TRIM_THRESHOLD_, OMP_NUM_THREADS… to it
        clean = dict(os.environ)

        def env(memory: str) -> dict[str, str]:
            return {**clean, "DUBDESK_MEMORY": str(tmp / memory), "PYTHONPATH": str(ROOT / "src")}

        from dubdesk.markup import visible
        from dubdesk.media import plan_mux, probe
        from dubdesk.media.tools import ffmpeg_path
        from dubdesk.project import load_manifest
        from dubdesk.season import build_season

        engines = {t: ArgosEngine(pkg) for t, pkg in packages.items()}  # run 4's, loaded before its clock
        texts = [" ".join(visible(c).split()) for cues in episodes for c in cues]
        tokens = {t: e.tokenize(texts) for t, e in engines.items()}
        times: dict[int, list[float]] = {1: [], 2: [], 3: [], 4: []}
        report2: Any = None
        report3: Any = None
        cluster_start = 0.0
        stack = contextlib.ExitStack()
        client: Any = None
        if 3 in runs:
            import distributed

            c0 = time.perf_counter()
            cluster = stack.enter_context(distributed.LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None))  # fmt: skip
            client = stack.enter_context(distributed.Client(cluster))  # type: ignore[no-untyped-call]
            cluster_start = time.perf_counter() - c0
        with stack:
            # rounds of 1, 2, 3, 4 side by side: on a shared machine the load moves between runs
            for r in range(args.repeat):
                # 1. dubdesk build per episode, one after another, as a shell loop does
                loop = write_season(tmp / f"loop{r}", episodes)

                def shell_loop(loop: Path = loop, r: int = r) -> None:
                    for manifest in sorted(loop.parent.glob("ep*/dubdesk.toml")):
                        subprocess.run([sys.executable, "-m", "dubdesk", "build", str(manifest), "--json"],
                                       env=env(f"m1-{r}.sqlite"), check=True, capture_output=True)  # fmt: skip

                if 1 in runs:
                    times[1].append(timed(f"round {r + 1}: 1 per-episode dubdesk build", shell_loop)[0])

                # 2. the season on a process pool of 2 (always: its outputs feed run 4)
                pool = write_season(tmp / f"pool{r}", episodes)
                os.environ["DUBDESK_MEMORY"] = str(tmp / f"m2-{r}.sqlite")
                events: list[tuple[float, dict[str, Any]]] = []
                t_start = time.perf_counter()

                def note(event: dict[str, Any], events: list[tuple[float, dict[str, Any]]] = events) -> None:
                    events.append((time.perf_counter(), event))

                t, report2 = timed(f"round {r + 1}: 2 season -j 2",
                                   lambda pool=pool: build_season(pool, jobs=2, progress=note))  # fmt: skip
                if args.timeline:
                    print(timeline(events, t_start, t), file=sys.stderr)
                assert report2.ok, report2.to_text()
                times[2].append(t)

                # 3. the season on the 2-worker LocalCluster
                if client is not None:
                    os.environ["DUBDESK_MEMORY"] = str(tmp / f"m3-{r}.sqlite")
                    cluster_season = write_season(tmp / f"cluster{r}", episodes)
                    t, report3 = timed(f"round {r + 1}: 3 season on LocalCluster",
                                       lambda cs=cluster_season: build_season(cs, executor=client.get_executor()))  # fmt: skip
                    assert report3.ok, report3.to_text()
                    times[3].append(t)

                # 4. the limit: bare translate_batch per language + the bare ffmpeg mux commands
                commands = []
                for manifest in sorted(pool.parent.glob("ep*/dubdesk.toml")):
                    m = load_manifest(manifest)
                    m.output_folder = tmp / f"bare{r}" / m.name
                    m.output_folder.mkdir(parents=True)
                    delivered = manifest.parent / "out" / "subtitles"
                    plan = plan_mux(m.video, m.output, audio=[(s.language, s.audio) for s in m.languages if s.audio],
                                    subtitles=[(s.language, delivered / f"{m.name}.{s.language}.srt")
                                               for s in m.languages],
                                    original_language=m.original_language, container="mkv",
                                    probes={str(m.video): probe(m.video)})  # fmt: skip
                    commands.append(plan.to_args(str(m.output), ffmpeg=ffmpeg_path()))

                def bare(commands: list[list[str]] = commands) -> None:
                    for t, e in engines.items():
                        e.translator.translate_batch(tokens[t], max_batch_size=e.max_batch_size,
                                                     beam_size=e.beam_size, max_decoding_length=256)  # fmt: skip
                    for cmd in commands:
                        subprocess.run(cmd, check=True, capture_output=True)

                if 4 in runs:
                    times[4].append(timed(f"round {r + 1}: 4 the limit", bare)[0])

        best = {k: (min(v) if v else None) for k, v in times.items()}
        t1, t3, t4 = best[1], best[3], best[4]
        t2 = min(times[2])

    print(f"\nseason: {args.episodes} episodes × {len(TARGETS)} languages × {args.cues} cues = {total} cues "
          f"translated, {args.episodes} muxes; {os.cpu_count()} cores")  # fmt: skip
    rows = [("1 dubdesk build per episode, sequential", t1, 2 * args.episodes, "-"),
            ("2 season -j 2 (process pool)", t2, report2.model_loads, _peak(report2)),
            ("3 season on 2-worker LocalCluster", t3, None if report3 is None else report3.model_loads,
             _peak(report3)),
            ("4 limit: bare translate_batch + ffmpeg", t4, len(TARGETS), "-")]  # fmt: skip
    print(f"{'run (best of ' + str(args.repeat) + ' rounds)':<42} {'seconds':>8} {'cues/s':>8} {'model loads':>12}"
          "  peak RSS per worker  (every round)")  # fmt: skip
    for n, (name, secs, loads, peak) in enumerate(rows, 1):
        if secs is None:
            print(f"{name:<42} {'skipped':>8}")
            continue
        every = ", ".join(f"{x:.1f}" for x in times[n])
        print(f"{name:<42} {secs:8.2f} {total / secs:8.1f} {loads!s:>12}  {peak}  ({every})")
    if cluster_start:
        print(f"(LocalCluster start, not counted: {cluster_start:.2f} s)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if t4 is not None:
        print(f"\n2 / 4 = {t2 / t4:5.2f}x  (target <= 1.15)")
    if t1 is not None:
        print(f"1 / 2 = {t1 / t2:5.2f}x  (target > 1)")
    if t3 is not None:
        print(f"3 / 2 = {t3 / t2:5.2f}x  (target <= 1.15)")


def timeline(events: list[tuple[float, dict[str, Any]]], started: float, total: float) -> str:
    """Where a season's time went, from its progress events: worker seconds by job kind (a job's
    ``seconds`` are measured on its worker), when the first job began on a worker, and how long
    the season ran after its last translation (QA and mux of the last episode)."""
    done = [(at - started, e) for at, e in events if e.get("event") == "job" and e.get("state") == "done"]
    by_kind: dict[str, float] = {}
    for _, e in done:
        kind = e["job"].split(":")[1]
        by_kind[kind] = by_kind.get(kind, 0.0) + e["seconds"]
    first = min(at - e["seconds"] for at, e in done)
    last_translation = max(at for at, e in done if ":translate:" in e["job"])
    kinds = ", ".join(f"{k} {v:.2f}" for k, v in sorted(by_kind.items()))
    return (f"  season {total:.2f} s; worker seconds: {kinds} (sum {sum(by_kind.values()):.2f}); first job began "
            f"{first:.2f} s in; after the last translation {total - last_translation:.2f} s")


def _peak(report: Any) -> str:
    if report is None:
        return "-"
    return ", ".join(f"{w['peak_rss_mb']:.0f} MB" for w in report.workers)


if __name__ == "__main__":
    main()
