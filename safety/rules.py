"""Rules of reader safety (group H): what the build and the built-site check refuse.

Same shape as the checker's registry (checks/rules.py); the style page lists them after it.
"""
from __future__ import annotations

from checks.rules import Rule

GROUP = ("H", "网页安全")

RULES: list[Rule] = [
    Rule("H01", "H", "文件名不合规", "docs/ 下的页面文件名只能由小写字母、数字和连字符组成，以 .md 结尾；文件夹名也一样。其他字符（引号、空格、汉字、大写字母）会被拼进网址，可能打断网页代码。",
         "把文件改名，例如 county-annual-summary.md。", "x\"onfocus=\"alert(1)\".md", "county-annual-summary.md"),
    Rule("H02", "H", "文件类型不允许", "docs/ 里只能放 Markdown 页面（.md）和图片（.png、.jpg、.jpeg、.gif、.webp，放在 assets/images/ 下；.svg 须通过 H04 检查）；.html、.js、.css 等文件会原样发布给读者，只允许网站自己登记过的脚本和样式。",
         "删除这个文件；需要的内容写进 Markdown 页面。", "docs/guides/extra.html", "docs/guides/extra.md"),
    Rule("H03", "H", "符号链接", "docs/ 里不能有符号链接，它可能把仓库外的文件发布出去。", "换成文件本身的副本，或删除。",
         "docs/exemplars/county/a.md -> /etc/passwd", "docs/exemplars/county/a.md（普通文件）"),
    Rule("H04", "H", "SVG 图片含有不安全的内容", "SVG 是可以带脚本的代码。只允许由基本图形（path、rect、circle 等）组成的 SVG，不能有 script、事件属性、外部链接、style 或 foreignObject。", "用绘图软件导出为不含脚本的纯图形，或改用 PNG。",
         "<svg><script>alert(1)</script></svg>", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"8\" height=\"8\"/></svg>"),
    Rule("H05", "H", "网页里有事件属性", "构建出的网页里出现了 onload、onclick、onerror 等事件属性，它们会在读者的浏览器里执行脚本。", "删掉页面里的属性列表 {: … } 或 HTML 里的事件属性。",
         "![图](a.png){: onload=\"alert(1)\" }", "![图](a.png)"),
    Rule("H06", "H", "网页里有脚本网址", "javascript:、vbscript: 或 data: 网址（图片除外）会在读者点击或加载时执行代码。", "改成普通的站内链接。",
         "[点这里](javascript:alert(1))", "[点这里](../index.md)"),
    Rule("H07", "H", "内容安全策略缺失或未覆盖内联脚本", "每个网页开头都要有 Content-Security-Policy，内联脚本只能是主题自带、按哈希放行的那几段。", "不要在页面里写 `<script>`；脚本放进 docs/assets/javascripts/ 并在 mkdocs.yml 登记。",
         "<script>alert(1)</script>", "（不写脚本）"),
    Rule("H08", "H", "网页里嵌入了外部内容或改了基准地址", "iframe、frame、object、embed、base、自动跳转（meta refresh）会让页面加载或跳到别的地方。", "删掉这些元素。",
         "<iframe src=\"…\"></iframe>", "（不嵌入外部内容）"),
    Rule("H09", "H", "头部信息用了主题专用字段", "template、icon、status、subtitle 等字段会改变主题的模板或把文字印进导航，投稿页面不能使用。", "删除这个字段。",
         "template: redirect.html", "（不写这个字段）"),
]

BY_ID = {r.id: r for r in RULES}


def get(rule_id: str) -> Rule:
    return BY_ID[rule_id]


def style_section() -> str:
    """Markdown of this group for the style page (appended to checks.rules.style_page())."""
    from checks.rules import _cell
    out = [f"## {GROUP[0]}类：{GROUP[1]}\n",
           "这一组规则由构建和网站检查（`python -m safety verify site/`）执行，保护读者：网页里不能有能执行的脚本，也不能从别的网站加载任何东西。\n"]
    for r in RULES:
        out.append(f"### {r.id} {r.title}\n\n{r.explain}\n\n**怎么改**：{r.fix}\n")
        out.append("| 错误示例 | 正确示例 |\n|---|---|\n| " + _cell(r.bad) + " | " + _cell(r.good) + " |\n")
    return "\n".join(out)
