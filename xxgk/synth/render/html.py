"""The report as a government website serves it: a CMS page (navigation, an information-disclosure
index table, footer) around the report, its tables exported from Word (MsoNormal paragraphs, labels
split over styled spans, &nbsp; in empty cells, rowspan/colspan), in UTF-8 or in GBK."""

from __future__ import annotations

from html import escape

from xxgk.synth.grid import Table, slots
from xxgk.synth.model import SynthReport
from xxgk.synth.render import outline

NAV = ("首页", "政务动态", "信息公开", "政务服务", "互动交流", "专题专栏", "数据开放", "走进本地")
_CELL = (
    '<td{span} valign="top" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt">'
    '<p class="MsoNormal" align="center" style="text-align:center">{text}</p></td>'
)
_RUN = '<span style="font-size:10.5pt;font-family:宋体;mso-bidi-font-family:宋体">{}</span>'


def _runs(text: str) -> str:
    """Word splits a long label over runs; an empty cell holds a no-break space."""
    if not text:
        return '<span lang="EN-US">&nbsp;</span>'
    cut = len(text) // 2 if len(text) > 6 else len(text)
    return "".join(_RUN.format(escape(part)) for part in (text[:cut], text[cut:]) if part)


def _table(table: Table) -> str:
    rows = []
    for row in slots(table):
        cells = []
        for cell, cont in row:
            if cont:
                continue
            span = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            span += f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            cells.append(_CELL.format(span=span, text=_runs(cell.text)))
        rows.append('<tr style="height:18.0pt">' + "".join(cells) + "</tr>")
    return (
        '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
        'style="border-collapse:collapse;border:none"><tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table>"
    )


def _content(report: SynthReport) -> str:
    parts = []
    for block in outline(report):
        if block.kind == "title":
            parts.append(f'<h1 class="article-title">{escape(block.text)}</h1>')
        elif block.kind == "heading":
            parts.append(
                '<p class="MsoNormal" style="text-indent:32.0pt"><b><span style="font-family:'
                f'黑体">{escape(block.text)}</span></b></p>'
            )
        elif block.table is not None:
            parts.append(_table(block.table))
        else:
            parts.append(
                '<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt"><span '
                f'style="font-size:16.0pt;font-family:仿宋_GB2312">{escape(block.text)}</span></p>'
            )
    return "\n".join(parts)


def page(report: SynthReport) -> bytes:
    site = report.body.name
    charset = "gbk" if report.style.gbk else "utf-8"
    date = f"{report.year + 1}-01-{10 + report.body.index % 18:02d}"
    nav = "".join(f'<li><a href="/col/{i}/index.html">{n}</a></li>' for i, n in enumerate(NAV))
    index_no = f"{report.body.index:08d}/{report.year + 1}-{report.edition:05d}"
    text = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{escape(report.title)}_{escape(site)}</title>
<meta name="SiteName" content="{escape(site)}">
<meta name="ArticleTitle" content="{escape(report.title)}">
<meta name="PubDate" content="{date} 09:30">
<link rel="stylesheet" type="text/css" href="/static/css/common.css">
<script type="text/javascript" src="/static/js/jquery.min.js"></script>
<script type="text/javascript">var siteId = "{report.body.index}"; var columnId = "xxgknb";</script>
</head>
<body>
<div class="top"><div class="wrap">您好，欢迎访问{escape(site)}网站！
<a href="javascript:void(0)">无障碍浏览</a> <a href="javascript:void(0)">长者模式</a></div></div>
<div class="header"><div class="logo"><img src="/static/images/logo.png" alt=""></div>
<ul class="nav">{nav}</ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt;
<a href="/xxgk/nb/">政府信息公开年报</a></div>
<table class="xxgk-index">
<tr><td>索引号：</td><td>{index_no}</td><td>分类：</td><td>政府信息公开年报</td></tr>
<tr><td>发布机构：</td><td>{escape(site)}</td><td>发文日期：</td><td>{date}</td></tr>
</table>
<div class="article"><div class="TRS_Editor">
{_content(report)}
</div></div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a>
<a href="javascript:window.print()">打印本页</a> <a href="#">关闭窗口</a></div>
<div class="footer">主办单位：{escape(site)} 网站标识码：{3200000000 + report.body.index}
<br>ICP备案号：苏ICP备{10000000 + report.body.index}号 <br>建议使用1920×1080分辨率浏览</div>
</body>
</html>
"""
    return text.encode("gb18030" if report.style.gbk else "utf-8")
