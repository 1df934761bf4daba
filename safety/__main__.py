"""python -m safety verify SITE [--site-url URL]: check a built site folder (see safety.verify)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

from . import verify


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m safety", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="检查构建好的网站目录：没有可执行的脚本，也不访问外部网站")
    v.add_argument("site", type=Path)
    v.add_argument("--site-url", default="", help="网站的正式地址（其主机不算外部网站）")
    args = ap.parse_args(argv)
    if not args.site.is_dir():
        print(f"没有这个目录：{args.site}", file=sys.stderr)
        return 2
    host = urlsplit(args.site_url).hostname
    problems = verify.verify_site(args.site, (host,) if host else ())
    for p in problems:
        print(p.format())
    if problems:
        print(f"\n发现{len(problems)}个问题。规则说明见网站“文风规范”页面的H类规则。")
        return 1
    print("网站检查通过：没有可执行的内嵌脚本，也没有访问外部网站的地址。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
