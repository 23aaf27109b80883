"""Synth: made-up corpora of SQS-like reports (text, and PDFs laid out by real engines) for
benchmarks and tests. Knows the text renderings only, no facts of real reports."""
