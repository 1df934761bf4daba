#!/usr/bin/env python3
"""Write data/seed-runs.bin: hashes of every 15-character run of the reference corpus (no corpus text).

Run where the corpus is present (../shared/seeds beside the checkout, or SEEDS_DIR=...):
    .venv/bin/python scripts/seed_hashes.py [--check]
--check exits 1 if the committed file does not match the corpus.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after site-packages: a stray module in the checkout cannot shadow one

from checks import corpus  # noqa: E402


def main(argv) -> int:
    folder = corpus.corpus_dir()
    if folder is None:
        print("seed_hashes: reference corpus not found (set SEEDS_DIR)", file=sys.stderr)
        return 2
    made = corpus.build(corpus.seed_files(folder))
    if "--check" in argv:
        same = corpus.HASHES.exists() and corpus.HASHES.read_bytes() == made
        print(f"seed_hashes: {corpus.HASHES.relative_to(ROOT)} {'matches' if same else 'does not match'} {folder}")
        return 0 if same else 1
    corpus.HASHES.write_bytes(made)
    print(f"seed_hashes: {(len(made) - 10) // corpus.DIGEST} runs from {len(corpus.seed_files(folder))} files -> {corpus.HASHES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
