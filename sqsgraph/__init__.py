"""sqsgraph: HMI Probation Short Quality Screening reports as a linked-data knowledge graph."""

__version__ = "0.1.0"
