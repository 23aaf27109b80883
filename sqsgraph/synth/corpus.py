"""A synthetic corpus of SQS-like reports, for benchmarks and scale tests.

Reports have the structure, sentence variety and both renderings of real ones (light markup with
tab-separated copy lists, or PDF-extracted text: hard-wrapped, curly quotes, "•" bullets, glued
footnote marks, space-aligned copy lists), with invented areas, people, dates and counts. A pool
of national officials is shared by all reports so that identities recur across the corpus, as
they do in the real one. All wording here is written for the generator; none comes from a real
report. The same seed gives the same corpus.
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_SYLLABLES_A = "Ash Bram Cal Dun Elm Fern Glen Hart Ivy Kes Lang Mar Nor Oak Pen Ral Stan Thorn Ux Wel Yar".split()
_SYLLABLES_B = "bury ford vale ton wick dale mouth field shire borough ley combe stead minster".split()
_FIRST = (
    "Amara Ben Chloe Dev Elena Farid Grace Hamza Isla Jonah Keira Liam Maya Noel Orla Priya Quentin Rosa Sami "
    "Tara Umar Vera Wes Xena Yusuf Zara Alfie Bea Cormac Dina Ezra Fleur Gideon Hana Idris Jude"
).split()
_LAST = (
    "Achebe Brennan Castell Dowd Ellery Fairbairn Gallo Hollis Iqbal Jessop Kowalski Lindqvist Mbeki Nakamura "
    "Okafor Pemberton Quayle Rahman Sandoval Thackeray Underhill Varga Whitlock Yeoh Zielinski Abernathy Birch "
    "Cordell Dunmore Eastwood"
).split()
#: surnames: the list above and place-like ones ("Ashford", "Glenbury")
_SURNAMES = _LAST + [a + b for a in _SYLLABLES_A for b in _SYLLABLES_B if not b.endswith(("shire", "borough", "minster"))]
_INITIALS = [None] + list("ABCDEFGHJKLMNPRSTW")
_CHILD_NAMES = "Kai Ellie Reece Jodie Tyler Leah Connor Shannon Jamal Demi".split()

_NATIONAL_POSTS = (
    ("YJB link staff", 3),
    ("YJB Business Area Manager", 1),
    ("Ofsted – Social Care", 2),
    ("Ofsted – Further Education and Skills", 1),
    ("Care Quality Commission", 1),
    ("HM Inspectorate of Constabulary", 1),
)
_LOCAL_POSTS = (
    "{abbr} Manager",
    "Local Authority Chief Executive",
    "Director of Children's Services",
    "Lead Elected Member for Children's Services",
    "Police and Crime Commissioner for {area}",
    "Chair of Local Safeguarding Children Board",
    "Chair of Youth Court Bench",
)
_THEMES = (
    "Reducing reoffending",
    "Protecting the public",
    "Protecting the child or young person",
    "Ensuring that the sentence is served",
)
_TOPICS = (
    "the assessment of the likelihood of reoffending",
    "planning to manage the risk of harm to others",
    "reviews of vulnerability assessments",
    "management oversight of safeguarding work",
    "the quality of pre-sentence reports",
    "engagement with parents and carers",
    "responses to non-compliance",
    "attention to diversity and barriers to engagement",
)
_COUNT_FORMS = (
    "{n} of the {m} relevant cases",
    "{n} out of {m} cases",
    "{nw} out of the {mw} cases we looked at",
    "{pct}% of cases",
    "three-quarters of cases",
    "almost two-thirds of the sample",
    "all but {kw} cases",
    "just over half of relevant cases",
)
_JUDGEMENTS = ("was sufficient in", "was done well in", "met our expectations in", "was timely and thorough in", "fell short in")
_SENTENCES = (
    "Case managers knew their cases well and could explain the reasons for their decisions.",
    "Records did not always show the work that staff described to us.",
    "Where gaps arose, these were usually because reviews had not followed a significant change.",
    "We saw some creative use of community resources to keep young people engaged.",
    "Managers had begun to address this through a revised supervision policy.",
    "Information from partner agencies was used effectively to inform the assessment.",
    "Written plans were too long and did not set clear priorities.",
    "Joint work with children's social care was a clear strength in several cases.",
)
_QUOTE_TEMPLATES = (
    "{child} had been excluded from school, and the case manager arranged a tutor within a week so that the order could continue",
    "The case manager visited {child} at home when appointments were missed, and this persistence paid off",
    "Planning recognised the risks {child} faced from older peers and set out clear actions for each agency",
)
_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


@dataclass(frozen=True)
class Official:
    honorific: str | None
    name: str


@dataclass(frozen=True)
class SynthReport:
    file_name: str
    text: str


def _letters(n: int) -> str:
    """n in base 26 written with letters (1 -> "B", 25 -> "Z", 26 -> "BA"): letters only, since
    digits after a word read as a footnote mark in the PDF rendering."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = chr(65 + r) + out
        if n == 0:
            return out


def _word(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


def _ordinal(d: int) -> str:
    suffix = "th" if 11 <= d % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{d}{suffix}"


@dataclass(frozen=True)
class _Visit:
    """What a synthetic report is about: the service, the inspection's dates, who wrote it."""

    area: str
    kind: str  # "Youth Offending Team" or "... Service"
    abbr: str
    year: int
    month: int  # the publication's month, an index into _MONTH_NAMES; the inspection was the month before
    day: int  # the inspection's first day
    pub_day: int
    cases: int
    author: Official
    lead: Official
    chair: Official


class CorpusGenerator:
    """Deterministic generator: ``CorpusGenerator(seed).reports(n)``."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        pool_rng = random.Random(seed)
        self.national = {post: [self._person(pool_rng) for _ in range(count + 2)] for post, count in _NATIONAL_POSTS}
        self.inspectors = [self._person(pool_rng) for _ in range(12)]
        self.areas = sorted({a + b for a in _SYLLABLES_A for b in _SYLLABLES_B})
        pool_rng.shuffle(self.areas)

    @staticmethod
    def _person(rng: random.Random) -> Official:
        """An invented official. Names come from a pool of about 180,000 (first name, middle
        initial, surname), so that same-named strangers are as rare as in a national corpus."""
        honorific = rng.choice([None] * 8 + ["Councillor", "Dr"])
        initial = rng.choice(_INITIALS)
        middle = f" {initial}." if initial else ""
        return Official(honorific, f"{rng.choice(_FIRST)}{middle} {rng.choice(_SURNAMES)}")

    def reports(self, n: int, renderings: tuple[str, ...] = ("markup", "pdf")) -> Iterator[SynthReport]:
        for i in range(n):
            rng = random.Random(f"{self.seed}:{i}")
            round_ = i // len(self.areas)  # past the first round of names: "Ashford B", ..., "Ashford BA"
            area = self.areas[i % len(self.areas)] + (f" {_letters(round_)}" if round_ else "")
            rendering = renderings[i % len(renderings)]
            text = self._report(rng, area.strip())
            if rendering == "pdf":
                text = to_pdf_rendering(text)
            yield SynthReport(f"{i:05d}-{area.strip().lower().replace(' ', '-')}.txt", text)

    def _report(self, rng: random.Random, area: str) -> str:
        visit = self._visit(rng, area)
        head, footnote = self._head(rng, visit)
        body_lines = self._commentary(rng, footnote)
        tail = self._tail(rng, visit)
        return "\n".join(head + body_lines + tail) + "\n"

    def _visit(self, rng: random.Random, area: str) -> _Visit:
        kind, abbr = rng.choice([("Youth Offending Team", "YOT"), ("Youth Offending Service", "YOS")])
        year = rng.randint(2012, 2017)
        month = rng.randint(1, 11)
        day = rng.randint(1, 24)
        pub_day = rng.randint(1, 28)
        cases = rng.randint(12, 48)
        author = rng.choice(self.inspectors[:3])
        lead = rng.choice(self.inspectors[3:])
        chair = self._person(rng)
        return _Visit(area, kind, abbr, year, month, day, pub_day, cases, author, lead, chair)

    @staticmethod
    def _head(rng: random.Random, visit: _Visit) -> tuple[list[str], str | None]:
        """The header, title, context and summary, up to the commentary's heading; and the
        footnote on the reoffending rate, when the summary gives one."""
        area, abbr, year, month, months = visit.area, visit.abbr, visit.year, visit.month, _MONTH_NAMES
        head = [
            "",
            f"<i>To:</i>\t{visit.chair.name}, Chair of {area} {abbr} Management Board",
            "<i>Copy to:</i>\tSee copy list at end",
            f"<i>From:</i>\t{visit.author.name}, Assistant Chief Inspector (Youth Justice)",
            f"<i>Publication date:</i>\t{_ordinal(visit.pub_day)} {months[month]} {year}",
            "",
            f"Report of Short Quality Screening (SQS) of youth offending work in {area}",
            "",
            f"The inspection took place from {_ordinal(visit.day)}-{_ordinal(visit.day + 2)} {months[month - 1]} {year} "
            "as part of our programme of inspection of youth offending work. The report will be published on our website.",
            "",
            "Context",
            "",
            f"We examined {visit.cases} cases of children and young people supervised by {area} {visit.kind} ({abbr}), "
            "working with the case manager wherever we could.",
            "",
            "Summary",
            "",
        ]
        rate = round(rng.uniform(25, 45), 1)
        national = round(rng.uniform(33, 38), 1)
        footnote = None
        if rng.random() < 0.7:
            head.append(
                f"The published reoffending rate¹ for {area} was {rate}%, "
                f"compared with the England and Wales average of {national}%."
            )
            head.append("")
            c_year = year - 3
            footnote = (
                f"¹ Published in {months[rng.randint(0, 11)]} {year - 1} "
                "based on binary reoffending rates after 12 months for the "
                f"{months[3]} {c_year} – {months[2]} {c_year + 1} cohort. Source: Ministry of Justice"
            )
        head.append(
            f"Overall we found {rng.choice(['good', 'mixed', 'improving', 'inconsistent'])} practice in {area}, "
            f"and the work had {rng.choice(['improved', 'changed little'])} "
            f"since our last inspection in {year - rng.randint(2, 4)}."
        )
        head += ["", f"Commentary on the inspection in {area}:", ""]
        return head, footnote

    def _commentary(self, rng: random.Random, footnote: str | None) -> list[str]:
        """The themes and their numbered findings; the footnote after the first finding."""
        body_lines: list[str] = []
        children = rng.sample(_CHILD_NAMES, 2)
        for t, theme in enumerate(_THEMES, start=1):
            body_lines += [f"{t}. {theme}", ""]
            for f in range(1, rng.randint(3, 6) + 1):
                body_lines.append(f"- {t}.{f}. " + self._finding(rng, children))
                if footnote and t == 1 and f == 1:
                    body_lines += ["", footnote]
                body_lines.append("")
        return body_lines

    def _tail(self, rng: random.Random, visit: _Visit) -> list[str]:
        """Operational management, strengths, improvements, the closing paragraph and the copy list."""
        tail = [
            "Operational management",
            "",
            " ".join(rng.sample(_SENTENCES, 3)),
            "",
            "Key strengths",
            "",
        ]
        tail += [f"- {s}" for s in rng.sample(_SENTENCES, 2)] + ["", "Areas requiring improvement", ""]
        tail += [f"- {s}" for s in rng.sample(_SENTENCES, 2)]
        lead = visit.lead
        first = lead.name.split()[0].lower()
        last = lead.name.split()[-1].lower()
        tail += [
            "",
            "If you have any further questions about the inspection please contact the lead inspector, who was "
            f"{lead.name}. They can be contacted at {first}.{last}@inspectorate.example "
            f"or on 0700 {rng.randint(100000, 999999)}.",
            "",
            "Copy to:",
            "",
        ]
        tail += self._copy_list(rng, visit)
        tail += ["", "Note: paper copies of this report can be requested from the publications team."]
        return tail

    def _copy_list(self, rng: random.Random, visit: _Visit) -> list[str]:
        """The local posts with a new holder each, then the national posts held by the shared pool."""
        rows = []
        for template in _LOCAL_POSTS:
            post = template.format(abbr=visit.abbr, area=visit.area)
            person = self._person(rng)
            holder = f"{person.honorific} {person.name}" if person.honorific else person.name
            rows.append(f"{post}\t<i>{holder}</i>")
        for post, count in _NATIONAL_POSTS:
            holders = rng.sample(self.national[post], count)
            rows.append(f"{post}\t<i>{', '.join(h.name for h in holders)}</i>")
        return rows

    def _finding(self, rng: random.Random, children: list[str]) -> str:
        m = rng.randint(6, 30)
        n = rng.randint(1, m)
        form = rng.choice(_COUNT_FORMS).format(
            n=n,
            m=m,
            nw=_word(min(n, 12)),
            mw=_word(max(min(m, 12), min(n, 12))),
            pct=rng.choice([50, 60, 75, 80]),
            kw=_word(rng.randint(1, 4)),
        )
        sentence = f"{rng.choice(_TOPICS).capitalize()} {rng.choice(_JUDGEMENTS)} {form}."
        extra = " ".join(rng.sample(_SENTENCES, rng.randint(1, 3)))
        if rng.random() < 0.2:
            quote = rng.choice(_QUOTE_TEMPLATES).format(child=rng.choice(children))
            extra += f' One inspector commented: *"{quote}"*.'
        return f"{sentence} {extra}"


def to_pdf_rendering(text: str, width: int = 95) -> str:
    """The same report as text extracted from a PDF: no markup, wrapped lines, curly quotes,
    "•" bullets, glued footnote marks on a bare line, space-aligned copy list."""
    out: list[str] = ["Short Quality Screening - youth offending work", ""]
    in_copy = False
    for line in text.replace("<i>", "").replace("</i>", "").replace("*", "").split("\n"):
        if line.startswith("Copy to:") and not line.startswith("Copy to:\tSee"):
            in_copy = True
        if in_copy and "\t" in line:
            post, names = line.split("\t", 1)
            out.append(post.ljust(52) + names if len(post) < 50 else post + "   " + names)
            continue
        if line.startswith("¹ "):
            out += ["1"] + textwrap.wrap(line[2:], width)
            continue
        line = line.replace("rate¹", "rate1")
        line = _curly(line)
        if line.startswith("- "):
            line = ("• " if not line[2:3].isdigit() else "") + line[2:]
        if "\t" in line:
            label, value = line.split("\t", 1)
            out.append(label.ljust(19) + value)
        elif len(line) > width:
            out += textwrap.wrap(line, width)
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _curly(line: str) -> str:
    chars = list(line)
    open_quote = True
    for i, c in enumerate(chars):
        if c == '"':
            chars[i] = "“" if open_quote else "”"
            open_quote = not open_quote
        elif c == "'":
            chars[i] = "’"
    return "".join(chars)


def write_corpus(n: int, out_dir: str | Path, seed: int = 0) -> list[Path]:
    """Write ``n`` synthetic reports into ``out_dir``; returns their paths."""
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for report in CorpusGenerator(seed).reports(n):
        path = target / report.file_name
        path.write_text(report.text, encoding="utf-8")
        paths.append(path)
    return paths


def write_pdf_corpus(n: int, out_dir: str | Path, seed: int = 0) -> list[Path]:
    """Write ``n`` synthetic reports into ``out_dir`` as PDFs laid out by reportlab (see
    :func:`sqsgraph.synth.pdf.make_reportlab_pdf`), named as :func:`write_corpus` names the text
    files but ending ``.pdf``. Every PDF is made from the light-markup rendering (extracting
    text from the PDF is what gives the PDF rendering); layout variants rotate by report."""
    from .pdf import VARIANTS, make_reportlab_pdf

    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, report in enumerate(CorpusGenerator(seed).reports(n, renderings=("markup",))):
        path = target / (Path(report.file_name).stem + ".pdf")
        paths.append(make_reportlab_pdf(report.text, path, variant=i % len(VARIANTS)))
    return paths
