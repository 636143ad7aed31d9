"""The season report: one row per episode × language, as text, JSON and an HTML index that
links each episode's delivery and each language's QA report."""

from __future__ import annotations

import html
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..files import atomic_write_bytes

REPORT_NAMES = {"text": "season-report.txt", "json": "season-report.json", "html": "index.html"}


@dataclass
class LanguageRow:
    episode: str
    language: str
    role: str  #: source, target
    state: str  #: done, skipped (up to date), failed, cancelled
    cues: int | None
    translated: int | None  #: cues translated now (None: from a file; 0: reused)
    glossary_fixes: int | None
    qa_errors: int
    qa_warnings: int
    mux_verified: bool
    seconds: float
    subtitles: str | None
    qa_report: str | None
    error: str | None = None


@dataclass
class EpisodeRow:
    episode: str
    manifest: str
    output: str
    state: str  #: of its mux job
    mux_seconds: float
    error: str | None = None  #: the first failure of the episode


@dataclass
class SeasonReport:
    name: str
    rows: list[LanguageRow]
    episodes: list[EpisodeRow]
    workers: list[dict[str, Any]]
    elapsed_s: float
    jobs: dict[str, str] = field(default_factory=dict)  #: job id -> final state

    @property
    def failed_episodes(self) -> list[str]:
        return [e.episode for e in self.episodes if e.state not in ("done", "skipped")]

    @property
    def ok(self) -> bool:
        return not self.failed_episodes

    @property
    def model_loads(self) -> int:
        return sum(len(w.get("loads") or []) for w in self.workers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "season": self.name,
            "ok": self.ok,
            "failed": self.failed_episodes,
            "elapsed_s": round(self.elapsed_s, 3),
            "model_loads": self.model_loads,
            "workers": self.workers,
            "episodes": [asdict(e) for e in self.episodes],
            "rows": [{**asdict(r), "seconds": round(r.seconds, 3)} for r in self.rows],
            "jobs": self.jobs,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        head = ("episode", "lang", "state", "cues", "translated", "glossary", "QA err", "QA warn", "muxed", "time")
        table = [head]
        for r in self.rows:
            table.append((
                r.episode, r.language + ("*" if r.role == "source" else ""), r.state, _n(r.cues),
                "file" if r.translated is None else str(r.translated), _n(r.glossary_fixes), str(r.qa_errors),
                str(r.qa_warnings), "yes" if r.mux_verified else "no", f"{r.seconds:.2f}s",
            ))  # fmt: skip
        widths = [max(len(row[i]) for row in table) for i in range(len(head))]
        lines = [f"Season {self.name}: {len(self.episodes)} episodes, {len(self.rows)} tracks"]
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table]
        for e in self.episodes:
            if e.error:
                lines.append(f"{e.episode}: FAILED: {e.error}")
        loads = self.model_loads
        lines.append(f"* source language. {len(self.episodes) - len(self.failed_episodes)}/{len(self.episodes)} episodes "
                     f"delivered in {self.elapsed_s:.1f} s; {len(self.workers)} workers, {loads} model loads")  # fmt: skip
        return "\n".join(lines) + "\n"

    def to_html(self, folder: Path) -> str:
        def link(path: str | None, text: str) -> str:
            if not path or not Path(path).exists():
                return html.escape(text)
            return f'<a href="{html.escape(_rel(path, folder))}">{html.escape(text)}</a>'

        out = [
            "<!doctype html><html><head><meta charset='utf-8'>",
            f"<title>{html.escape(self.name)}: season report</title>",
            "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{padding:2px 8px;"
            "border-bottom:1px solid #ddd;text-align:left}.failed{color:#b00}.ok{color:#070}</style></head><body>",
            f"<h1>{html.escape(self.name)}</h1>",
            f"<p>{len(self.episodes) - len(self.failed_episodes)}/{len(self.episodes)} episodes delivered in "
            f"{self.elapsed_s:.1f} s</p>",
            "<table><tr><th>episode</th><th>language</th><th>state</th><th>cues</th><th>translated</th>"
            "<th>glossary fixes</th><th>QA errors</th><th>QA warnings</th><th>mux verified</th><th>time</th>"
            "<th>QA report</th></tr>",
        ]
        outputs = {e.episode: e for e in self.episodes}
        for r in self.rows:
            cls = "failed" if r.state in ("failed", "cancelled") else "ok"
            ep = outputs[r.episode]
            out.append(
                f"<tr class='{cls}'><td>{link(ep.output, r.episode)}</td><td>{html.escape(r.language)}</td>"
                f"<td title='{html.escape(r.error or '')}'>{html.escape(r.state)}</td><td>{_n(r.cues)}</td>"
                f"<td>{'file' if r.translated is None else r.translated}</td><td>{_n(r.glossary_fixes)}</td>"
                f"<td>{r.qa_errors}</td><td>{r.qa_warnings}</td><td>{'✓' if r.mux_verified else '✗'}</td>"
                f"<td>{r.seconds:.2f} s</td><td>{link(r.qa_report, 'QA')}</td></tr>"
            )
        out.append("</table>")
        failures = [e for e in self.episodes if e.error]
        if failures:
            out.append("<h2>Failures</h2><ul>")
            out += [f"<li class='failed'>{html.escape(e.episode)}: {html.escape(e.error or '')}</li>" for e in failures]
            out.append("</ul>")
        out.append("</body></html>\n")
        return "\n".join(out)

    def write(self, folder: str | os.PathLike[str]) -> dict[str, Path]:
        """Write the text, JSON and HTML forms into ``folder``; returns their paths."""
        root = Path(folder)
        root.mkdir(parents=True, exist_ok=True)
        paths = {kind: root / name for kind, name in REPORT_NAMES.items()}
        atomic_write_bytes(paths["text"], self.to_text().encode())
        atomic_write_bytes(paths["json"], self.to_json().encode())
        atomic_write_bytes(paths["html"], self.to_html(root).encode())
        return paths


def _n(value: int | None) -> str:
    return "—" if value is None else str(value)


def _rel(path: str, folder: Path) -> str:
    try:
        return os.path.relpath(path, folder)
    except ValueError:
        return Path(path).as_uri()
