"""The contributor loop (make serve) and the MkDocs hook events that run the steps inside MkDocs.

`python -m pipeline serve` runs steps 1 and 2, then `mkdocs serve --dirty` on the generated
configuration, whose only hook (hooks/site.py) calls the functions below. On every edit:
step 1 checks the pages that changed and prints what is wrong, step 2 rewrites only the files
whose bytes change, MkDocs re-renders only those pages, and step 4 finishes each page as it is
written; Word files follow for the changed exemplars, the search index in the background.
A page the checks refuse is not published: the server keeps the last good version.

The same events let a plain `mkdocs build` of the project's mkdocs.yml run the whole pipeline.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from safety import csp

from . import BUILD, ROOT, generate, load, post
from .load import Refused

WATCHED = ("docs", "data", "snippets")
STATE: dict = {}


def snapshot(root: Path) -> dict:
    found = {}
    for top in WATCHED:
        for base, _, files in os.walk(root / top):
            for f in files:
                p = os.path.join(base, f)
                try:
                    st = os.lstat(p)
                except OSError:
                    continue
                found[p] = (st.st_mtime_ns, st.st_size)
    return found


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def refresh(root: Path = ROOT, strict: bool = False) -> load.Library:
    """Steps 1 and 2 for what changed since the last call; the last good library if the checks refuse."""
    out = root / BUILD
    snap = snapshot(root)
    prev = STATE.get("snap")
    if prev is not None and snap == prev and "lib" in STATE:
        return STATE["lib"]
    changed = [p for p in snap if prev is None or prev.get(p) != snap[p]] + [p for p in (prev or {}) if p not in snap]
    pages_only = prev is not None and all(p.endswith(".md") and p.startswith(str(root / "docs")) for p in changed)
    started = time.monotonic()
    try:
        lib = load.run(root, strict=strict, only=[Path(p) for p in changed if p.endswith(".md")] if pages_only else None)
    except Refused as err:
        STATE["snap"] = snap
        say(f"\n{err}\n")
        if "lib" in STATE:
            say("（网站保持上一次检查通过的内容；改正后保存，会自动重新生成。）")
            return STATE["lib"]
        raise
    for f in lib.warnings:
        say(f.format())
    files = generate.run(lib, out, root / "site", strict=False, hooks=[str(root / "hooks" / "site.py")])
    STATE.update(lib=lib, snap=snap)
    if prev is not None:
        say(f"已重新生成{len(files)}个文件（{time.monotonic() - started:.1f}秒）：" + "、".join(files[:8]) + ("…" if len(files) > 8 else ""))
    return lib


# ---- MkDocs hook events (hooks/site.py) ---------------------------------------------------------

def on_startup(command: str) -> None:
    STATE["command"] = command


def on_config(config):
    root = ROOT
    lib = refresh(root, strict=bool(config.get("strict")) and STATE.get("command") != "serve")
    out = root / BUILD
    config["docs_dir"] = str(out / "docs")
    config["nav"] = generate.build_nav(lib)
    tags = config["plugins"].get("material/tags")
    if tags is not None:
        from material.plugins.tags.structure.tag import Tag
        tags.config.tags_allowed = {Tag(t) for t in generate.tag_labels()}
    for top in WATCHED:
        if str(root / top) not in config["watch"]:
            config["watch"].append(str(root / top))
    STATE["manifest"] = generate.manifest(out)
    STATE["exemplars"] = {e.src: e for e in lib.items}
    STATE["built"] = set()
    STATE["t0"] = time.time()
    return config


def on_post_page(output: str, page, config) -> str:
    src = page.file.src_uri
    m = STATE["manifest"]
    STATE["built"].add(src)
    return post.finish_page(output, src, m["pages"].get(src, ""), m["nonce"], STATE["lib"], STATE["exemplars"],
                            post.searchable(STATE["lib"]))


def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    lib = STATE["lib"]
    for path in site.rglob("*.html"):  # theme pages (404.html) written by this build
        if path.stat().st_mtime >= STATE["t0"] - 1:
            text = path.read_text(encoding="utf-8")
            if csp.PLACEHOLDER in text:
                path.write_text(post.with_policy(text), encoding="utf-8")
    first = "indexed" not in STATE
    built = STATE["built"]
    post.write_docx(lib, site, None if first else built)
    if STATE.get("command") != "serve":
        for f in post.finish_site(lib, site, strict=bool(config.get("strict")))["links"]:  # as in step 4
            say(f.format())
        return
    if first:
        post.make_index(site)
        STATE["indexed"] = True
    elif built:
        threading.Thread(target=_reindex, args=(site,), daemon=True).start()
    say(f"页面已更新：{len(built)}个")


_LOCK = threading.Lock()


def _reindex(site: Path) -> None:
    if not _LOCK.acquire(blocking=False):
        return
    try:
        started = time.monotonic()
        post.make_index(site)
        say(f"搜索索引已更新（{time.monotonic() - started:.1f}秒）")
    except Refused as err:
        say(str(err))
    finally:
        _LOCK.release()


def main(dev_addr: str = "127.0.0.1:8000") -> int:
    """Steps 1 and 2, then MkDocs' own server on the generated tree with the hook adapter."""
    try:
        refresh(ROOT)
    except Refused as err:
        say(str(err))
        return 1
    cmd = [sys.executable, "-P", "-m", "mkdocs", "serve", "--dirty", "-f", str(ROOT / BUILD / "mkdocs.yml"), "-a", dev_addr]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        return subprocess.call(cmd, cwd=ROOT, env=env)
    except KeyboardInterrupt:
        return 0
