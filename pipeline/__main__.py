"""python -m pipeline build | serve | generate — see pipeline/__init__.py for the steps."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pipeline
from pipeline import Refused


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description=pipeline.__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="检查、生成、渲染、后处理，网站写进 site/")
    b.add_argument("--site", type=Path, default=None, help="网站目录（默认 site/）")
    b.add_argument("--no-strict", action="store_true", help="检查发现的非安全问题只提示，不停止构建")
    b.add_argument("--generator", choices=["mkdocs", "zensical"], default="mkdocs")
    b.add_argument("--python", default=None, help="运行网站生成器的 Python（另一个虚拟环境）")
    b.add_argument("--no-index", action="store_true", help="不建搜索索引")
    b.add_argument("--out", type=Path, default=None, help="生成目录（默认 build/）")
    g = sub.add_parser("generate", help="只做第1、2步：检查并生成 build/")
    g.add_argument("--out", type=Path, default=None)
    s = sub.add_parser("serve", help="本地预览：改动页面后只重新生成改动的部分")
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    args = ap.parse_args(argv)
    start = time.monotonic()
    try:
        if args.command == "build":
            result = pipeline.build(pipeline.ROOT, args.site, not args.no_strict, args.generator, args.python,
                                    not args.no_index, args.out)
            for w in result.pop("warnings"):
                print(w.format(), file=sys.stderr)
            print(f"网站已生成：{result['pages']}个页面，{result['docx']}个Word文件"
                  + (f"，搜索索引{result['search']['pages']}页" if "search" in result else "")
                  + f"（用时{time.monotonic() - start:.1f}秒）")
        elif args.command == "generate":
            lib = pipeline.load.run(pipeline.ROOT, strict=False)
            out = (args.out or pipeline.ROOT / pipeline.BUILD).resolve()
            changed = pipeline.generate.run(lib, out, pipeline.ROOT / "site")
            print(f"已生成 {out}：{len(changed)}个文件有变化")
        else:
            from pipeline import serve
            return serve.main(args.dev_addr)
    except Refused as err:
        print(str(err), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
