"""Plain-text digests of parsed reports, for people reading a terminal."""

from __future__ import annotations

from pathlib import Path

from .model import Report


def report_summary(report: Report) -> str:
    """A few lines saying what the reader found in one report."""
    body = report.body
    body_text = f"{body.name} ({body.abbreviation})" if body and body.abbreviation else (body.name if body else "no body named")
    inspection = report.inspection
    when = f"inspected {inspection.start} to {inspection.end}" if inspection else "inspection dates unknown"
    lead = report.lead_inspector.name if report.lead_inspector else "unknown"
    holders = sum(len(e.holders) for e in report.copy_list)
    lines = [
        f"{Path(report.source.path).name}: {report.area or 'area unknown'} - {body_text}",
        f"  published {report.publication_date or 'unknown'}; {when}; "
        f"{report.cases_examined if report.cases_examined is not None else 'unknown number of'} cases; lead inspector {lead}",
        f"  {len(report.sections)} themes, {len(report.findings)} findings, {len(report.key_strengths)} key strengths, "
        f"{len(report.areas_for_improvement)} areas for improvement; copy list: {len(report.copy_list)} posts, {holders} names",
    ]
    r = report.reoffending
    if r is not None:
        comparator = f" against {r.comparator} {r.comparator_rate}%" if r.comparator_rate is not None else ""
        lines.append(f"  reoffending rate {r.rate}%{comparator}")
    lines.append("  warnings: " + ("; ".join(report.warnings) if report.warnings else "none"))
    return "\n".join(lines)
