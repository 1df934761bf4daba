"""The library's content: counts and coverage measured from front matter, originality."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from conftest import ROOT
from macros import browse, data, library

ITEMS = browse.valid(library.load(ROOT / "docs"))
TAX = data.taxonomy()
SEED_TOOL = ROOT.parent / "shared" / "tools" / "seed_overlap.py"

# Cells of the level x doctype matrix that the seed catalogue asks for (its sections 2 and 5.4).
REQUIRED_CELLS = [
    ("hospital", "annual-summary"), ("county", "annual-summary"), ("county", "half-year-summary"),
    ("township", "annual-summary"), ("township", "half-year-summary"), ("township", "summary-and-plan"),
    ("township", "plan"), ("township", "campaign-summary"), ("high-risk", "annual-summary"),
    ("soe", "annual-summary"), ("soe", "congress-report"), ("school", "campaign-summary"), ("school", "notice"),
    ("private", "annual-summary"), ("private", "plan"), ("private", "campaign-summary"), ("organ", "annual-summary"),
    ("organ", "plan"), ("prefecture", "annual-summary"), ("prefecture", "plan"), ("prefecture", "election-report"),
    ("county", "plan"), ("county", "progress-report"), ("township", "progress-report"), ("soe", "half-year-summary"),
    ("soe", "plan"), ("school", "annual-summary"), ("school", "congress-report"), ("industry", "annual-summary"),
    ("new-forms", "annual-summary"), ("new-forms", "campaign-summary"), ("branch", "annual-summary"),
]


def test_at_least_sixty_exemplars():
    assert len(ITEMS) >= 60


@pytest.mark.parametrize("vocab,key,minimum", [("levels", "level", 3), ("doctypes", "doctype", 3)])
def test_every_level_and_doctype_has_three(vocab, key, minimum):
    """No browse page is empty or a single model: a writer wants models to compare."""
    count = Counter(e.meta[key] for e in ITEMS)
    short = {t.slug: count[t.slug] for t in TAX.terms(vocab) if count[t.slug] < minimum}
    assert short == {}


def test_every_theme_has_a_model_and_no_quota():
    """Themes are what a unit really does: every theme has at least one model, none is padded to a quota."""
    count = Counter(t for e in ITEMS for t in e.meta["themes"])
    assert {t.slug for t in TAX.terms("themes") if count[t.slug] < 1} == set()


def test_required_cells_are_filled():
    cells = {(e.meta["level"], e.meta["doctype"]) for e in ITEMS}
    assert [c for c in REQUIRED_CELLS if c not in cells] == []
    bodies = Counter(e.meta.get("reporting_body") for e in ITEMS)
    assert bodies["women-committee"] >= 1 and bodies["audit-committee"] >= 2 and bodies["chair"] >= 3


def test_genre_lengths():
    """Each page within the range data/genres.yml gives for its doctype and level."""
    wrong = {e.src: (e.han_count, data.length_range(e.meta)) for e in ITEMS
             if not data.length_range(e.meta)[0] <= e.han_count <= data.length_range(e.meta)[1]}
    assert wrong == {}


def test_upper_level_reports_run_to_their_real_length():
    assert data.length_range({"doctype": "annual-summary", "level": "provincial"})[0] >= 5000
    assert data.length_range({"doctype": "congress-report", "level": "prefecture", "period": "term"})[0] >= 8000


def test_exemplars_use_the_phrase_bank_and_the_era_macro():
    """Most exemplars show the phrase bank at work, but no page is made to carry a block that does
    not fit it (rule S10 checks every use): a short 请示 may have none."""
    uses_phrase = sum("{{ phrase(" in e.body for e in ITEMS)
    assert uses_phrase >= len(ITEMS) * 0.8
    uses_guiding = sum("{{ guiding(" in e.body for e in ITEMS)
    assert uses_guiding >= len(ITEMS) * 0.6


def test_exemplars_have_structure_parts():
    """Section headings, except where the genre numbers its points inline (请示) or has none (开幕词, 闭幕词)."""
    for e in ITEMS:
        heads = [t for _, t in e.outline()]
        assert len(heads) >= 2 or e.meta["doctype"] in ("request", "speech"), e.src
        assert e.used_placeholders, e.src


@pytest.mark.skipif(not SEED_TOOL.exists(), reason="../shared/tools/seed_overlap.py is not beside this checkout")
def test_no_text_copied_from_the_reference_corpus():
    data_files = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "data").iterdir()) if p.name != "era.yml"]
    result = subprocess.run([sys.executable, str(SEED_TOOL), "docs", "snippets", "macros", "scaffold", "tests/fixtures", *data_files],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 copied run" in result.stdout


@pytest.mark.skipif(not SEED_TOOL.exists(), reason="../shared/tools/seed_overlap.py is not beside this checkout")
def test_era_file_shares_only_official_formulations_with_the_corpus():
    """data/era.yml holds the official fixed wording (the name of the guiding thought, of congresses),
    which every union document shares; anything else it shares with the corpus is a copy."""
    from macros import data
    official = data.official_wording()
    result = subprocess.run([sys.executable, str(SEED_TOOL), "data/era.yml"], cwd=ROOT, capture_output=True, text=True)
    runs = [line.rsplit(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("data/era.yml:")]
    keep = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
    flat = ["".join(keep.findall(text)) for text in official]
    assert all(any(run in f for f in flat) for run in runs), runs


def test_no_invented_number_repeats_across_the_library():
    """A distinctive figure (three or more digits, not a round number or a year) reused across many
    exemplars is an invented-number tell; real units report their own figures."""
    limit = 5
    count = Counter()
    for e in ITEMS:
        nums = set(re.findall(r"(?<![\d.])(\d{3,})(?![\d.])", e.text))
        count.update(n for n in nums if not n.endswith("0") and not (len(n) == 4 and n[:2] in ("19", "20")))
    assert {n: k for n, k in count.items() if k > limit} == {}


def test_comprehensive_documents_carry_the_current_framing():
    """Annual summaries, plans, half-year summaries and congress and election reports of every level above
    a 分工会 or 工会小组 state the current guiding wording, through the era macro (data/era.yml)."""
    kinds = ("annual-summary", "half-year-summary", "plan", "congress-report", "election-report")
    missing = [e.src for e in ITEMS if e.meta["doctype"] in kinds and e.meta["level"] != "branch" and "{{ guiding(" not in e.body]
    assert missing == []


def test_no_heading_skeleton_is_shared_across_the_library():
    """The "在……上有新作为" heading frame was stitched into six pages; headings are each page's own."""
    frames = [e.src for e in ITEMS if re.search(r"^#{2,4} .*上有新作为", e.text, re.M)]
    assert len(frames) <= 1, frames
