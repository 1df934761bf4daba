"""C08: text copied from the reference corpus is caught from data/seed-runs.bin, without corpus text in the repo."""
from __future__ import annotations

import subprocess
import sys

import pytest

from checks import corpus, cli
from conftest import ROOT
from helpers import BASE, docs_with, insert_paragraph

# Invented sentences standing in for a reference corpus: the mechanism is tested without the real one.
SYNTHETIC = "本厂职工书屋新添置图书三百册，青年职工借阅踊跃，车间读书角每周开放两次。\n工会小组长带头撰写读书心得，评选优秀读书笔记十篇。\n"


@pytest.fixture
def synthetic(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "simplified").mkdir(parents=True)
    (seeds / "a.txt").write_text(SYNTHETIC, encoding="utf-8")
    path = tmp_path / "runs.bin"
    path.write_bytes(corpus.build(corpus.seed_files(seeds)))
    return path


def c07(tmp_path, hashes, text):
    docs = docs_with(tmp_path, {"exemplars/branch/test-page.md": text})
    from macros import library
    return corpus.check(library.load(docs), hashes_path=hashes, cache=None)


def test_copied_run_of_15_is_found_and_14_is_not(tmp_path, synthetic):
    copied = "本厂职工书屋新添置图书三百册，青年职工"  # 16 kept characters of the corpus
    found = c07(tmp_path, synthetic, insert_paragraph(BASE, copied + "参与踊跃。"))
    assert [f.rule for f in found] == ["C08"] and "连续" in found[0].message
    page = insert_paragraph(BASE, copied + "参与踊跃。").split("\n")
    assert page[found[0].line - 1].startswith(copied)  # the line of the page where the copy starts
    short = "本厂职工书屋新添置图书三百"  # 13 characters
    assert c07(tmp_path, synthetic, insert_paragraph(BASE, short + "册。")) == []
    assert c07(tmp_path, synthetic, BASE) == []


def test_invisible_and_full_width_characters_do_not_hide_a_copy(tmp_path, synthetic):
    sneaky = "\u200b".join("本厂职工书屋新添置图书三百册") + "，青\u202e年\u2060职工"
    assert [f.rule for f in c07(tmp_path, synthetic, insert_paragraph(BASE, sneaky))] == ["C08"]


def test_hash_file_is_well_formed_and_holds_no_text():
    raw = corpus.HASHES.read_bytes()
    assert raw[:8] == corpus.MAGIC and raw[8] == corpus.RUN and (len(raw) - 10) % corpus.DIGEST == 0
    assert len(corpus.load()) > 10_000
    with pytest.raises(UnicodeDecodeError):
        raw[10:].decode("utf-8")  # digests, not text


def test_real_library_has_no_copied_runs():
    from macros import library
    assert corpus.check(library.load(ROOT / "docs"), cache=None) == []


SEEDS = corpus.corpus_dir()
needs_corpus = pytest.mark.skipif(SEEDS is None, reason="reference corpus (../shared/seeds) not present, as on GitHub")


@needs_corpus
def test_hash_file_matches_the_corpus():
    result = subprocess.run([sys.executable, "scripts/seed_hashes.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_corpus
def test_text_taken_from_the_corpus_is_caught_in_a_page(tmp_path):
    """The fixture is made now from the corpus, so no corpus text is ever committed."""
    seed = corpus.seed_files(SEEDS)[-1].read_text(encoding="utf-8", errors="replace")
    runs = [l.strip() for l in seed.splitlines() if len(corpus.kept(l)[0]) >= 30 and not any(c in l for c in "<>{}【】#|*")]
    assert runs, "no usable line in the corpus"
    page = insert_paragraph(BASE, runs[len(runs) // 2][:60])
    docs = docs_with(tmp_path, {"exemplars/branch/test-page.md": page})
    assert "C08" in {f.rule for f in cli.check_docs(docs)}
