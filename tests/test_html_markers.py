"""The HTML reader's boundary markers and zero-width characters, however a page writes them.

The rendered page marks lines, tables, rows and cells with Unicode noncharacters; a page that
holds one itself (literally or as a character reference) must not split a cell, and zero-width
characters leave the text wherever they are. Expected values are those of the reader before the
stylesheet stopped filtering every text node.
"""

from __future__ import annotations

from xxgk.ingest.readers.html import decode_html, read_html, read_html_bytes


def _tokens(page: str) -> list[tuple[str, int, str, bool]]:
    doc = read_html(page)
    assert read_html_bytes(page.encode()) == doc
    assert read_html(decode_html(page.encode("gb18030"))) == doc
    return [(t.text, t.row, t.where, t.in_table) for t in doc.tokens]


def test_marker_characters_in_the_page_are_dropped() -> None:
    page = (
        "<html><head><title>标\ufdd1题\u200b</title></head><body><p>a\ufdd0b</p><table><tr>"
        "<td>x\ufdd2y</td><td>1&#xFDD3;2</td><td>&#64976;</td></tr></table></body></html>"
    )
    assert _tokens(page) == [
        ("ab", 1, "paragraph 1", False),
        ("xy", 2, "table 1, row 1, cell 1", True),
        ("12", 2, "table 1, row 1, cell 2", True),
        ("", 2, "table 1, row 1, cell 3", True),
    ]
    assert read_html(page).title == "标\ufdd1题"  # the title is read from the page as it is
    tail = "<table><tr><td>&#xfdd4;</td><td> \ufdd0 </td></tr></table>after&#64980;x"
    assert _tokens(tail) == [
        ("", 1, "table 1, row 1, cell 1", True),
        ("", 1, "table 1, row 1, cell 2", True),
        ("afterx", 2, "paragraph 1", False),
    ]


def test_zero_width_characters_are_dropped_and_lines_kept() -> None:
    page = (
        "<p>零&#8203;宽</p><table><tr><td>a&#x200B;b</td><td>\u00ad3</td>"
        "<td><p>商业</p>\n<p>企\n业</p></td><td><br><br>a<br> <br>b<br></td></tr></table>"
    )
    assert _tokens(page) == [
        ("零宽", 1, "paragraph 1", False),
        ("ab", 2, "table 1, row 1, cell 1", True),
        ("3", 2, "table 1, row 1, cell 2", True),
        ("商业\n企业", 2, "table 1, row 1, cell 3", True),
        ("a\nb", 2, "table 1, row 1, cell 4", True),
    ]
