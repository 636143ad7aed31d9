"""Format readers and writers that dubdesk implements itself.

pysubs2 is the in-memory model and handles most formats; dubdesk brings its
own SRT and WebVTT readers/writers (tolerant reading with line numbers, strict
writing, speed) and a pre-pass for ASS/SSA that keeps what pysubs2 drops
(script-info comments, unknown sections) and skips unparsable events.
"""
