#!/usr/bin/env python3
"""Non-blocking: build the generated tree with Zensical as well and compare it with the MkDocs build.

Material for MkDocs reaches end of life in 2027; Zensical is its successor. The pipeline's steps 1,
2 and 4 are ours and run the same for both; only step 3 (render) changes. This script installs the
newest Zensical the registries serve that installs here (ZENSICAL below) in its own virtualenv
(.venv-zensical), builds the site both ways and writes bench/zensical.md: page set, Word files,
search index, links, reader safety and the theme features of an exemplar page, and every
difference with its cause. It always exits 0, so it never blocks a pull request (make zensical).
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT] + [str(ROOT)]
VENV = ROOT / ".venv-zensical"
# 0.0.73 is the newest whose dependencies the registries serve (later ones need zensical-ui)
ZENSICAL = "zensical==0.0.73"
REPORT = ROOT / "bench" / "zensical.md"
# what each generator's theme is expected to put on an exemplar page, and what step 4 adds
FEATURES = {
    "information card (step 4)": 'class="ex-card',
    "fill-in form (step 4)": 'class="ph-form',
    "related exemplars (step 4)": 'class="ex-notes',
    "Content-Security-Policy (step 4)": 'http-equiv="Content-Security-Policy"',
    "search marks (step 4)": "data-pagefind-body",
    "Word download link": ".docx",
    "navigation links": "md-nav__link",
    "tags": "md-tag",
}


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def built(lib_files: set[str]) -> set[str]:
    """What the pipeline itself produces: pages, Word files, our assets, the chooser data, the index
    (not the theme's own scripts and styles, nor files a generator's plugins write: search.json, tags.json)."""
    theme = re.compile(r"^(assets/(javascripts/(bundle|workers|lunr|LICENSE)|stylesheets/(main|palette|classic|modern))|search/|sitemap|search\.json|tags\.json)")
    return {f for f in lib_files if not theme.match(f) and not f.startswith("pagefind/")}


def browser_requests(site: Path, page: str) -> list[str] | None:
    """Requests for Zensical's own search files when a reader opens `page` (None: no browser here)."""
    try:
        sys.path.insert(0, str(ROOT / "tests"))
        import search_driver as drv
        from playwright.sync_api import sync_playwright
    except Exception:
        return None
    with sync_playwright() as p:
        browser = drv.launch(p)
        httpd = drv.serve(site)
        try:
            pg = browser.new_page()
            urls = []
            pg.on("request", lambda r: urls.append(r.url))
            pg.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{page.removesuffix('index.html')}")
            pg.wait_for_load_state("networkidle")
            pg.wait_for_timeout(1000)
        finally:
            httpd.shutdown()
            browser.close()
    return [u.split("/")[-1] for u in urls if "search.json" in u or "workers/search" in u]


def main() -> int:
    from pipeline import generate, load, post, render
    from checks import links
    from safety import verify
    lines = ["# Zensical beside MkDocs: the same generated tree, two renderers", ""]
    if not (VENV / "bin" / "python").exists():
        venv.create(VENV, with_pip=True)
    pip = run([str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", ZENSICAL,
               "-r", str(ROOT / "requirements.txt")])
    if pip.returncode:
        lines += ["Zensical could not be installed:", "", "```", pip.stderr[-3000:], "```"]
        REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n".join(lines))
        return 0
    version = run([str(VENV / "bin" / "zensical"), "--version"]).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lib = load.run(ROOT)
        # MkDocs: the pipeline as make build runs it
        t0 = time.perf_counter()
        generate.run(lib, tmp / "gen-m", tmp / "site-m")
        render.run(ROOT, tmp / "gen-m" / "mkdocs.yml", quiet=True)
        mk_render = time.perf_counter() - t0
        post.run(lib, tmp / "gen-m", tmp / "site-m")
        # Zensical: the same steps 1, 2 and 4; its own render of a portable copy of the tree
        out = tmp / "gen-z"
        generate.run(lib, out, out / "site", strict=False, portable=True)
        t0 = time.perf_counter()
        z = run([str(VENV / "bin" / "zensical"), "build", "-f", str(out / "mkdocs.yml")], cwd=out, timeout=1800)
        z_render = time.perf_counter() - t0
        zsite = out / "site"
        status = "builds" if z.returncode == 0 else f"fails (exit {z.returncode})"
        errors = [l.strip() for l in (z.stdout + z.stderr).splitlines() if re.search(r"Error|error:|panicked", l)]
        post_error = ""
        if z.returncode == 0:
            try:
                post.run(lib, out, zsite, index=True, check=False)
            except load.Refused as err:
                post_error = str(err).splitlines()[0]
        m_files, z_files = files(tmp / "site-m"), files(zsite) if zsite.exists() else set()
        ours_m, ours_z = built(m_files), built(z_files)
        missing, extra = sorted(ours_m - ours_z), sorted(ours_z - ours_m)
        pages_m = {f for f in m_files if f.endswith("index.html")}
        pages_z = {f for f in z_files if f.endswith("index.html")}
        docx_m = sorted(f for f in m_files if f.endswith(".docx"))
        docx_same = sum(1 for f in docx_m if f in z_files and (tmp / "site-m" / f).read_bytes() == (zsite / f).read_bytes())
        frag = lambda s: len(list((s / "pagefind" / "fragment").glob("*.pf_fragment"))) if (s / "pagefind").exists() else 0
        indexed = (frag(tmp / "site-m"), frag(zsite))
        url = post.site_url(lib)
        unsafe_z = verify.verify_site(zsite, ("127.0.0.1",)) if zsite.exists() else []
        links_m = links.check_site(tmp / "site-m", url, post.link_hosts(lib))
        links_z = links.check_site(zsite, url, post.link_hosts(lib)) if zsite.exists() else []
        by_page: dict = {}
        for f in links_z:
            by_page.setdefault(f.path.removeprefix("site/"), []).append(f)
        sample = "exemplars/county/plan/index.html"
        loads = browser_requests(zsite, sample) if zsite.exists() else None
        feat = []
        for name, needle in FEATURES.items():
            a = (tmp / "site-m" / sample).read_text(encoding="utf-8").count(needle)
            b = (zsite / sample).read_text(encoding="utf-8").count(needle) if (zsite / sample).exists() else 0
            feat.append((name, a, b))
    lines += [
        f"Produced by `make zensical` (scripts/zensical_check.py), non-blocking. Zensical {version or ZENSICAL} against "
        f"MkDocs + Material (requirements.txt), both rendering the tree of `python -m pipeline` steps 1–2, both finished by step 4.",
        "",
        "| | MkDocs + Material | Zensical |", "|---|---|---|",
        f"| render (step 3) | builds, {mk_render:.1f} s | {status}, {z_render:.1f} s |",
        f"| pages (index.html) | {len(pages_m)} | {len(pages_z)} |",
        f"| files the pipeline produces (pages, Word, own assets, chooser data) | {len(ours_m)} | {len(ours_z)} (missing {len(missing)}, extra {len(extra)}) |",
        f"| Word files | {len(docx_m)} | {sum(1 for f in z_files if f.endswith('.docx'))} ({docx_same} byte-identical) |",
        f"| pages in the search index | {indexed[0]} | {indexed[1]} |",
        f"| link-check findings | {len(links_m)} | {len(links_z)} on {len(by_page)} pages |",
        f"| reader-safety findings (safety.verify) | 0 | {len(unsafe_z)} |",
        "", f"Theme features on `{sample}` (occurrences):", "", "| feature | MkDocs | Zensical |", "|---|---|---|",
    ]
    lines += [f"| {n} | {a} | {b} |" for n, a, b in feat]
    lines += ["", "## What differs, and why", ""]
    if missing:
        lines += [f"- Missing under Zensical ({len(missing)}): " + ", ".join(f"`{m}`" for m in missing[:15])]
    if extra:
        lines += [f"- Only under Zensical ({len(extra)}): " + ", ".join(f"`{m}`" for m in extra[:15])]
    if errors:
        lines += ["- Zensical's errors: " + "; ".join(f"`{e[:200]}`" for e in dict.fromkeys(errors))]
    if post_error:
        lines += [f"- Step 4 on Zensical's output: {post_error}"]
    if links_z:
        kinds: dict = {}
        for f in links_z:
            kinds.setdefault(f.rule, []).append(f)
        for rule, fs in sorted(kinds.items()):
            lines += [f"- {len(fs)} link findings [{rule}] on {len({f.path for f in fs})} pages, e.g. `{fs[0].path}`: {fs[0].message}"]
        lines += ["  Cause: Zensical rewrites relative addresses inside raw HTML (the browsing cards, the coverage table,",
                  "  the related list) as if they were relative to the Markdown file; MkDocs leaves raw HTML as written. The",
                  "  generated pages write those addresses relative to the page's own URL, which is right under MkDocs."]
    if unsafe_z:
        lines += ["- Reader-safety findings under Zensical: " + "; ".join(p.format() for p in unsafe_z[:5])]
    for n, a, b in feat:
        if a != b:
            lines += [f"- {n}: {a} under MkDocs, {b} under Zensical on the sample page (each theme renders its own markup)."]
    if "search.json" in z_files - m_files:
        seen = "not measured" if loads is None else ("no page view requests it" if not loads else "requested by: " + ", ".join(loads))
        lines += ["- `search.json`: Zensical writes its own search index whatever the configuration says; a page view in",
                  f"  headless chromium ({sample}): {seen}. The site's search is Pagefind's, from step 4."]
    if "tags.json" in m_files - z_files:
        lines += ["- `tags.json`: written by Material's tags plugin; Zensical's built-in tags do not write it. No page loads it."]
    if not (missing or extra or errors or links_z or unsafe_z):
        lines += ["- Target met: no page or file the pipeline produces is missing or extra under Zensical, no link breaks,",
                  "  no reader-safety finding. Generated pages are written for Zensical with addresses relative to the",
                  "  Markdown file's folder (`generate.run(portable=True)`), since Zensical rewrites addresses inside raw HTML."]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # non-blocking by design: say what failed
        REPORT.write_text(f"# Zensical beside MkDocs\n\nThe comparison did not complete: {type(exc).__name__}: {exc}\n", encoding="utf-8")
        print(f"zensical check did not complete: {exc}")
        sys.exit(0)
