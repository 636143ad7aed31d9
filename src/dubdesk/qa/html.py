"""The HTML report: one self-contained file (inline CSS, JS and SVG, no network).

Summary, a findings table with severity/rule filters (rendered by a small
script from the embedded JSON report), a timeline of cues with problem cues
coloured by their worst severity, and a reading-speed chart against the limit.
Timeline and chart are SVG drawn here, so they show even with scripts off.
"""

from __future__ import annotations

import html
import json
from typing import Any

from .model import Report, Severity

_COLORS = {Severity.ERROR: "#d62728", Severity.WARNING: "#e6a700", Severity.INFO: "#1f8fd6"}
_OK = "#9aa5b1"
#: above this many cues, the timeline and chart draw only cues with findings (keeps the file small)
MAX_DRAWN = 4000

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
header{background:#1d232a;color:#fff;padding:14px 24px}
header h1{font-size:18px;margin:0 0 4px}
header .meta{color:#c5ccd4;font-size:13px}
main{padding:16px 24px;max-width:1400px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px 16px;margin-bottom:16px}
h2{font-size:15px;margin:0 0 10px}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{border-radius:6px;padding:8px 14px;color:#fff;min-width:110px}
.card b{display:block;font-size:22px}
.card.error{background:#d62728}.card.warning{background:#e6a700}.card.info{background:#1f8fd6}.card.cues{background:#4a5560}
.verdict{font-weight:600;margin-left:8px}
.verdict.fail{color:#d62728}.verdict.ok{color:#2e8540}
.filters{display:flex;gap:16px;align-items:center;margin-bottom:8px;flex-wrap:wrap}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff2;vertical-align:top}
th{background:#f0f2f5;position:sticky;top:0}
td.sev{font-weight:600;text-transform:uppercase;font-size:12px}
tr.error td.sev{color:#d62728}tr.warning td.sev{color:#b58400}tr.info td.sev{color:#1f8fd6}
tr.hl{background:#fff6d6}
.svgwrap{overflow-x:auto}
svg text{font:11px system-ui,sans-serif;fill:#4a5560}
.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border-radius:2px}
#count{color:#4a5560}
"""

_JS = """
(function(){
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var body = document.getElementById('findings-body');
  var ruleSel = document.getElementById('rule-filter');
  var rules = {};
  report.findings.forEach(function(f){ rules[f.rule] = (rules[f.rule]||0) + 1; });
  Object.keys(rules).sort().forEach(function(r){
    var o = document.createElement('option'); o.value = r; o.textContent = r + ' (' + rules[r] + ')'; ruleSel.appendChild(o);
  });
  function tc(ms){
    if (ms === null || ms === undefined) return '';
    var h = Math.floor(ms/3600000), m = Math.floor(ms/60000)%60, s = Math.floor(ms/1000)%60, x = ms%1000;
    function p(n,w){ n = String(n); while (n.length < w) n = '0' + n; return n; }
    return p(h,2)+':'+p(m,2)+':'+p(s,2)+','+p(x,3);
  }
  function render(){
    var sev = {};
    document.querySelectorAll('input[name=sev]').forEach(function(c){ sev[c.value] = c.checked; });
    var rule = ruleSel.value, cue = document.getElementById('cue-filter').value;
    body.textContent = '';
    var shown = 0;
    report.findings.forEach(function(f){
      if (!sev[f.severity]) return;
      if (rule && f.rule !== rule) return;
      if (cue && String(f.cue) !== cue) return;
      var tr = document.createElement('tr');
      tr.className = 'finding ' + f.severity; tr.dataset.cue = f.cue; tr.dataset.rule = f.rule;
      [f.severity, f.rule, f.cue === null ? '' : f.cue, tc(f.start_ms), tc(f.end_ms), f.message].forEach(function(v, i){
        var td = document.createElement('td'); td.textContent = v; if (i === 0) td.className = 'sev'; tr.appendChild(td);
      });
      body.appendChild(tr); shown++;
    });
    document.getElementById('count').textContent = shown + ' of ' + report.findings.length + ' findings shown';
  }
  document.querySelectorAll('input[name=sev]').forEach(function(c){ c.addEventListener('change', render); });
  ruleSel.addEventListener('change', render);
  document.getElementById('cue-filter').addEventListener('input', render);
  document.querySelectorAll('[data-cue-link]').forEach(function(el){
    el.addEventListener('click', function(){
      document.getElementById('cue-filter').value = el.getAttribute('data-cue-link'); render();
      document.getElementById('findings').scrollIntoView();
    });
  });
  document.getElementById('clear').addEventListener('click', function(){
    document.getElementById('cue-filter').value = ''; ruleSel.value = '';
    document.querySelectorAll('input[name=sev]').forEach(function(c){ c.checked = true; }); render();
  });
  render();
})();
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _worst_by_cue(report: Report) -> dict[int, Severity]:
    out: dict[int, Severity] = {}
    for f in report.findings:
        if f.cue is not None and f.severity > out.get(f.cue, Severity.INFO - 1):
            out[f.cue] = f.severity
    return out


def _timeline(report: Report, worst: dict[int, Severity], rules_by_cue: dict[int, list[str]]) -> str:
    cues = report.cue_facts
    total = max(report.duration_ms, max(report.shot_changes_ms or [0]), 1)
    row_ms = max(60_000, -(-total // 40))  # at most ~40 rows
    rows = -(-total // row_ms)
    width, left, row_h = 1200, 50, 44
    scale = (width - left - 10) / row_ms
    drawn = cues if len(cues) <= MAX_DRAWN else [c for c in cues if c.number in worst]
    parts = [f'<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="100%" '
             f'viewBox="0 0 {width} {rows * row_h + 20}" role="img" aria-label="cue timeline">']  # fmt: skip
    for r in range(rows):
        y = r * row_h + 4
        parts.append(f'<text x="2" y="{y + 16}">{r * row_ms // 60000}:{(r * row_ms // 1000) % 60:02d}</text>')
        parts.append(f'<line x1="{left}" y1="{y + 24}" x2="{width - 10}" y2="{y + 24}" stroke="#dde1e6"/>')
        for s in range(0, row_ms // 1000 + 1, 5 if row_ms <= 120_000 else 60):
            x = left + s * 1000 * scale
            parts.append(f'<line x1="{x:.1f}" y1="{y + 24}" x2="{x:.1f}" y2="{y + 28}" stroke="#b8c0c8"/>')
            if s and s % (10 if row_ms <= 120_000 else 300) == 0:
                t = r * row_ms // 1000 + s
                parts.append(f'<text x="{x - 10:.1f}" y="{y + 38}">{t // 60}:{t % 60:02d}</text>')
    for t in report.shot_changes_ms or []:
        # shot changes: a thin dark mark through the cue band of their row
        r = min(max(t, 0) // row_ms, rows - 1)
        y = r * row_h + 4
        x = left + (t - r * row_ms) * scale
        parts.append(f'<line class="shot-change" x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 26}" stroke="#1d232a" '
                     f'stroke-width="1"><title>shot change {t / 1000:.3f} s</title></line>')  # fmt: skip
    for c in drawn:
        start, end = max(c.start, 0), max(c.end, c.start + 1)
        r = min(start // row_ms, rows - 1)
        y = r * row_h + 4
        x = left + (start - r * row_ms) * scale
        w = max(2.0, (min(end, (r + 1) * row_ms) - start) * scale)
        sev = worst.get(c.number)
        color = _COLORS[sev] if sev else _OK
        cls = f"cue {sev}" if sev else "cue ok"
        lane_off = 0 if c.lane == 0 else -6
        title = f"cue {c.number} {c.start / 1000:.3f}–{c.end / 1000:.3f} s"
        if sev:
            title += ": " + ", ".join(rules_by_cue.get(c.number, []))
        title += "\n" + c.visible.replace("\n", " / ")
        parts.append(
            f'<rect class="{cls}" data-cue-link="{c.number}" x="{x:.1f}" y="{y + 6 + lane_off}" width="{w:.1f}" '
            f'height="16" rx="2" fill="{color}" style="cursor:pointer"><title>{_esc(title)}</title></rect>'
        )
        if w > 14:
            parts.append(f'<text x="{x + 2:.1f}" y="{y + 18 + lane_off}" style="fill:#fff;pointer-events:none">'
                         f"{c.number}</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _speed_chart(report: Report, worst: dict[int, Severity]) -> str:
    cues = report.cue_facts
    drawn = cues if len(cues) <= MAX_DRAWN else [c for c in cues if c.number in worst]
    limit = report.max_cps or 1.0
    top = max([limit * 1.5, *(c.cps for c in drawn)]) if drawn else limit * 1.5
    width, height, left, bottom = 1200, 220, 50, 24
    plot_w, plot_h = width - left - 10, height - bottom - 10
    n = max(len(drawn), 1)
    bar = plot_w / n
    parts = [f'<svg id="speed-chart" xmlns="http://www.w3.org/2000/svg" width="100%" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="reading speed per cue">']  # fmt: skip
    for k in range(0, 5):
        v = top * k / 4
        y = 10 + plot_h - v / top * plot_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#eceff2"/>'
                     f'<text x="4" y="{y + 4:.1f}">{v:.0f}</text>')  # fmt: skip
    for i, c in enumerate(drawn):
        h = min(c.cps, top) / top * plot_h
        x = left + i * bar
        over = c.cps > limit
        color = _COLORS[Severity.WARNING] if over else "#6c8ebf"
        parts.append(
            f'<rect class="{"over" if over else "bar"}" data-cue-link="{c.number}" x="{x + bar * 0.1:.1f}" '
            f'y="{10 + plot_h - h:.1f}" width="{max(bar * 0.8, 0.5):.1f}" height="{h:.1f}" fill="{color}" '
            f'style="cursor:pointer"><title>cue {c.number}: {c.cps:.1f} characters/s</title></rect>'
        )
        if n <= 60:
            parts.append(f'<text x="{x + bar / 2 - 4:.1f}" y="{height - 8}">{c.number}</text>')
    y = 10 + plot_h - limit / top * plot_h
    parts.append(f'<line id="cps-limit" x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#d62728" '
                 f'stroke-dasharray="6 4"/><text x="{width - 120}" y="{y - 4:.1f}" style="fill:#d62728">'
                 f"limit {limit:g} cps</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _measured(report: Report) -> str:
    """Dub audio QA: what was measured (loudness, durations), whether or not a rule fired."""
    if not report.measurements:
        return ""
    items = "".join(f"<li>{_esc(k.replace('_', ' '))}: <b>{_esc(v)}</b></li>"
                    for k, v in report.measurements.items() if v is not None)  # fmt: skip
    return f'<ul id="measurements">{items}</ul>'


def render_html(report: Report, fail_on: Severity) -> str:
    data: dict[str, Any] = report.to_dict()
    data["fail_on"] = str(fail_on)
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    worst = _worst_by_cue(report)
    rules_by_cue: dict[int, list[str]] = {}
    for f in report.findings:
        if f.cue is not None:
            rules_by_cue.setdefault(f.cue, []).append(f.rule)
    counts = report.counts()
    failed = bool(report.at_or_above(fail_on))
    title = f"dubdesk QA: {report.path or 'track'}"
    note = ""
    if len(report.cue_facts) > MAX_DRAWN:
        note = f"<p>{len(report.cue_facts)} cues: only the {len(worst)} cues with findings are drawn.</p>"
    legend = "".join(f'<span><i style="background:{_COLORS[s]}"></i>{s}</span>' for s in sorted(Severity, reverse=True))
    legend += f'<span><i style="background:{_OK}"></i>no findings</span>'
    if report.shot_changes_ms is not None:
        legend += f'<span><i style="background:#1d232a;width:2px"></i>shot change ({len(report.shot_changes_ms)})</span>'
    checks = "".join(
        f'<label><input type="checkbox" name="sev" value="{s}" checked> {s} ({counts[str(s)]})</label>'
        for s in sorted(Severity, reverse=True)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)}</title>
<style>{_CSS}</style></head>
<body>
<header><h1>{_esc(title)}</h1>
<div class="meta">profile <b>{_esc(report.profile)}</b> · language {_esc(report.language)} · {report.cue_count} cues ·
{report.duration_ms / 1000:.1f} s · fps {_esc(report.fps if report.fps is not None else f"{report.gap_fps:g} (default)")}
{f"· against {_esc(report.against)}" if report.against else ""} · schema {_esc(data["schema"])} v{data["schema_version"]}</div></header>
<main>
<section id="summary"><h2>Summary <span class="verdict {"fail" if failed else "ok"}">{"FAIL" if failed else "OK"}
(fail on {fail_on})</span></h2>
<div class="cards">
<div class="card error"><b id="n-error">{counts["error"]}</b>errors</div>
<div class="card warning"><b id="n-warning">{counts["warning"]}</b>warnings</div>
<div class="card info"><b id="n-info">{counts["info"]}</b>info</div>
<div class="card cues"><b>{len(worst)}/{report.cue_count}</b>cues with findings</div>
</div>{_measured(report)}<p>Rules run: {_esc(", ".join(report.rules))}</p></section>
<section id="timeline-section"><h2>Timeline</h2><div class="legend">{legend}</div>{note}
<div class="svgwrap">{_timeline(report, worst, rules_by_cue)}</div>
<p>Click a cue to list its findings.</p></section>
<section id="speed-section"><h2>Reading speed (characters per second)</h2>
<div class="svgwrap">{_speed_chart(report, worst)}</div></section>
<section id="findings"><h2>Findings</h2>
<div class="filters">{checks}
<label>rule <select id="rule-filter"><option value="">all rules</option></select></label>
<label>cue <input id="cue-filter" size="5" placeholder="any"></label>
<button id="clear" type="button">show all</button> <span id="count"></span></div>
<table><thead><tr><th>severity</th><th>rule</th><th>cue</th><th>start</th><th>end</th><th>what to do</th></tr></thead>
<tbody id="findings-body"></tbody></table>
<noscript><p>Scripts are off: the findings are in the JSON below.</p></noscript>
</section>
</main>
<script id="report-data" type="application/json">{payload}</script>
<script>{_JS}</script>
</body></html>
"""
