"""The HTML reader through the real import path: the article (trafilatura), or the page's
visible text (``--html page``), with the page's metadata as document variables.

Every page is written here, at test time. The first tests rebuild the failures of the
old reader (longest ``<article>``, else ``<main>``, else the whole page) measured on real
pages (issue 18): each failed on it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from annotator.core.errors import FormatError
from annotator.demo import sample_text
from annotator.formats.registry import Options, import_paths
from annotator.store import Project

PARAGRAPHS = sample_text().strip().split("\n")
NOISE = "NOISE-must-not-appear"

# A story long enough to be an article; each paragraph differs.
STORY = [
    "The city council voted on Tuesday to build the new bridge over the river, after a "
    "debate that lasted six hours and filled the public gallery.",
    "“We need it now,” said the mayor, who had demanded the vote since January. The "
    "opposition said the plan costs too much and that the money should go to schools.",
    "The bridge will link the two halves of the old town, divided since the flood of "
    "1950, and it will carry trams as well as bicycles and people on foot.",
    "Tenders open in May. Work is to start next year and to end before the elections, "
    "the council's planning office said in a statement published after the vote.",
    "Residents of the east bank, who have waited for a crossing for decades, welcomed "
    "the decision; shop owners on the west bank fear two years of building works.",
]


def story_html(paragraphs: list[str] = STORY) -> str:
    return "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)


def page(body: str, head: str = "<title>Council votes for the bridge</title>") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"{head}</head><body>{body}</body></html>"
    )


def import_page(
    project: Project, path: Path, data: str | bytes, html: str = "article"
) -> tuple[str, list[str], int]:
    """Import one page; its stored text, the report's warnings, its document id."""
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    report = import_paths(project, [path], options=Options(html=html))
    assert report.documents == 1
    doc_id = report.document_ids[0]
    return project.text(doc_id), report.warnings, doc_id


def assert_story(text: str) -> None:
    for paragraph in STORY:
        assert paragraph in text
    assert NOISE not in text


# -- the old reader's failures -----------------------------------------------------


def test_teaser_article_cards_beside_the_main_story(tmp_project: Project, tmp_path: Path) -> None:
    cards = "".join(
        f'<article class="teaser"><a href="/story-{n}"><img src="/img/{n}.jpg" alt="">'
        f"<h3>{NOISE} related story number {n} with a headline</h3></a>"
        f"<p>{NOISE} a teaser of the story {n}.</p></article>"
        for n in range(8)
    )
    body = (
        f"<header><nav>{NOISE} Home News Sport</nav></header>"
        f"<main><h1>Council votes for the bridge</h1>{story_html()}</main>"
        f'<section class="related"><h2>{NOISE} You may also like</h2>{cards}</section>'
        f"<footer>{NOISE} © The Daily · Imprint · Cookies</footer>"
    )
    text, warnings, _ = import_page(tmp_project, tmp_path / "teasers.html", page(body))
    assert_story(text)
    assert warnings == []


def test_body_inside_an_asp_net_form(tmp_project: Project, tmp_path: Path) -> None:
    body = (
        '<form method="post" action="./story.aspx" id="aspnetForm">'
        '<input type="hidden" name="__VIEWSTATE" value="dDwtMTA4NzA">'
        f'<div id="menu">{NOISE} Home | News</div>'
        f'<div id="content"><h1>Council votes for the bridge</h1>{story_html()}</div>'
        "</form>"
    )
    text, _, _ = import_page(tmp_project, tmp_path / "story.aspx.html", page(body))
    assert_story(text)


def test_unclosed_header(tmp_project: Project, tmp_path: Path) -> None:
    body = (
        f'<header><div class="logo">{NOISE} The Daily</div>'  # never closed
        f"<div class='story'><h1>Council votes for the bridge</h1>{story_html()}</div>"
    )
    text, _, _ = import_page(tmp_project, tmp_path / "unclosed.html", page(body))
    assert_story(text)


def test_end_of_header_closing_head(tmp_project: Project, tmp_path: Path) -> None:
    markup = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Council</title></header>'
        f"<body><article><h1>Council votes for the bridge</h1>{story_html()}</article>"
        "</body></html>"
    )
    text, _, _ = import_page(tmp_project, tmp_path / "head.html", markup)
    assert_story(text)


def test_script_with_a_broken_end_tag(tmp_project: Project, tmp_path: Path) -> None:
    # browsers (and lxml) end the script at "</script foo>"; the old reader read the
    # whole page after it as script
    body = (
        '<script src="/js/analytics.js"></script async>'
        f"<article><h1>Council votes for the bridge</h1>{story_html()}</article>"
        "<script>window.done = true;</script>"
    )
    text, _, _ = import_page(tmp_project, tmp_path / "script.html", page(body))
    assert_story(text)


def test_declared_utf8_with_stray_bytes_stays_utf8(tmp_project: Project, tmp_path: Path) -> None:
    # a Polish story in UTF-8, and an advert pasted in as Latin-1 (bytes that are not
    # UTF-8): the page is read as UTF-8, not guessed to be another code page (the old
    # reader read it as windows-1250: "sprzeciwiajÄ… siÄ™")
    polish = [
        "Posłowie sprzeciwiają się zmianom w ustawie o mediach publicznych i zapowiadają, "
        "że złożą wniosek do Trybunału, jeśli Sejm przyjmie projekt w tym tygodniu.",
        "Według opozycji projekt narusza konstytucję; rząd twierdzi, że chodzi o "
        "przejrzystość finansowania i o ochronę pluralizmu na rynku mediów w Polsce.",
        "Głosowanie zaplanowano na piątek. Marszałek zapowiedział, że debata potrwa "
        "dwa dni, a posłowie z każdego klubu zabiorą głos co najmniej dwa razy.",
    ]
    advert = "Café crème, pâtisserie, déjà vu: réservez à l'hôtel ".encode("latin-1") * 4
    menu = "".join(f'<li><a href="/kategoria/{n}">Kategoria {n}</a></li>' for n in range(150))
    data = (
        b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sejm</title></head><body>'
        + f"<nav><ul>{menu}</ul></nav><article><h1>Sejm</h1>{story_html(polish)}</article>".encode()
        + b"<aside>"
        + advert
        + b"</aside></body></html>"
    )
    path = tmp_path / "sejm.html"
    text, warnings, _ = import_page(tmp_project, path, data)
    for paragraph in polish:
        assert paragraph in text
    assert any(w.startswith("sejm.html: 32 bytes are not valid UTF-8") for w in warnings)


def test_a_few_nul_bytes_are_dropped_with_a_warning(tmp_project: Project, tmp_path: Path) -> None:
    markup = page(f"<article><h1>Council votes</h1>{story_html()}</article>").encode()
    data = markup.replace(b"<h1>", b"\x00<h1>").replace(b"</article>", b"\x00\x00</article>")
    text, warnings, _ = import_page(tmp_project, tmp_path / "nul.html", data)
    assert_story(text)
    assert "\x00" not in text
    assert "nul.html: 3 NUL bytes left out" in warnings


# -- the article -------------------------------------------------------------------

ARTICLE_PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>Council votes for the new bridge | The Daily</title>
<meta name="author" content="Jane Roe"><meta property="og:site_name" content="The Daily">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://daily.example/council-votes"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="cookie-banner">We use cookies. <button>Accept all</button></div>
<main><article><h1>Council votes for the new bridge</h1>
<p class="lead">The city council voted on Tuesday to build the bridge, after a debate of
 six hours.</p>
<p>"We need it," said the mayor, who had <b>demanded</b> the vote since January. The
 opposition said the plan costs too much and the money should go to schools instead.</p>
<h2>What happens next</h2>
<ul><li>Tenders open in May.</li><li>Work starts in 2025.</li></ul>
<p>The bridge will link the two halves of the old town, divided by the river since the
 flood of 1950, and it will carry trams as well as bicycles.<br>It is to open in 2027.</p>
<table><tr><th>Party</th><th>Votes</th></tr><tr><td>Greens</td><td>12</td></tr>
<tr><td>Liberals</td><td>9</td></tr></table>
<blockquote><p>A good day for the city.</p></blockquote>
<p>The vote was 21 to 14.</p>
</article></main>
<footer>© The Daily 2024 · Imprint</footer></body></html>
"""

ARTICLE_TEXT = (
    "Council votes for the new bridge\n\n"
    "The city council voted on Tuesday to build the bridge, after a debate of six hours.\n\n"
    '"We need it," said the mayor, who had demanded the vote since January. The opposition '
    "said the plan costs too much and the money should go to schools instead.\n\n"
    "What happens next\n\n"
    "Tenders open in May.\nWork starts in 2025.\n\n"
    "The bridge will link the two halves of the old town, divided by the river since the "
    "flood of 1950, and it will carry trams as well as bicycles.\nIt is to open in 2027.\n\n"
    "Party\tVotes\nGreens\t12\nLiberals\t9\n\n"
    "A good day for the city.\n\n"
    "The vote was 21 to 14."
)


def test_article_paragraphs_lists_tables_headline_and_lead(
    tmp_project: Project, tmp_path: Path
) -> None:
    text, warnings, doc_id = import_page(tmp_project, tmp_path / "bridge.html", ARTICLE_PAGE)
    assert text == ARTICLE_TEXT
    assert warnings == []
    assert tmp_project.document(doc_id).title == "Council votes for the new bridge | The Daily"


def test_metadata_become_typed_document_variables(tmp_project: Project, tmp_path: Path) -> None:
    _, _, doc_id = import_page(tmp_project, tmp_path / "bridge.html", ARTICLE_PAGE)
    assert tmp_project.variables.of(doc_id) == {
        "title": "Council votes for the new bridge",
        "author": "Jane Roe",
        "site_name": "The Daily",
        "url": "https://daily.example/council-votes",
        "date": "2024-03-05",
        "language": "en-GB",
    }
    assert tmp_project.variables.types()["date"] == "date"
    assert tmp_project.document_info(doc_id).url is None  # a saved page was not fetched


def test_page_mode_keeps_all_the_visible_text(tmp_project: Project, tmp_path: Path) -> None:
    text, _, doc_id = import_page(tmp_project, tmp_path / "bridge.html", ARTICLE_PAGE, "page")
    assert text.startswith("Home News\nWe use cookies. Accept all\n\nCouncil votes")
    assert text.endswith("The vote was 21 to 14.\n\n© The Daily 2024 · Imprint")
    assert tmp_project.variables.of(doc_id)["author"] == "Jane Roe"  # metadata too


def test_a_teaser_taken_for_the_article_is_reported(tmp_project: Project, tmp_path: Path) -> None:
    comments = "".join(
        f'<div class="comment"><p>Reader {n} wrote: I have lived by the river for forty '
        "years and I have never seen the council agree on anything this quickly.</p></div>"
        for n in range(40)
    )
    body = (
        "<article><h1>Council votes</h1><p>The council voted for the bridge. More soon.</p>"
        f"</article><section>{comments}</section>"
    )
    _, warnings, _ = import_page(tmp_project, tmp_path / "teaser.html", page(body))
    assert len(warnings) == 1
    assert warnings[0].startswith("teaser.html: the article found is short (")
    assert warnings[0].endswith("if it is a teaser, import the page with --html page")


def test_a_page_without_text_is_refused_with_the_way_out(
    tmp_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "empty-shell.html"
    path.write_text(page("<script>render()</script><div id='app'></div>"), "utf-8")
    with pytest.raises(FormatError) as caught:
        import_paths(tmp_project, [path])
    assert str(caught.value) == (
        "empty-shell.html holds no article text (only markup, scripts or navigation); "
        "--html page imports all its visible text"
    )
    assert tmp_project.documents() == []


def test_sample_article_from_a_news_page(tmp_project: Project, tmp_path: Path) -> None:
    body = "\n".join(
        # entities for the apostrophes, and a paragraph wrapped over lines as HTML is
        "<p>\n    "
        + escape(p, quote=False).replace("’", "&rsquo;").replace(", ", ",\n   ", 1)
        + "\n</p>"
        for p in PARAGRAPHS
    )
    markup = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>France–Armenia resolution | News</title>
<style>p {{ color: red }} /* {NOISE} */</style>
<script>document.write("<p>{NOISE}</p>");</script>
</head>
<body>
<header><h1>The Site</h1><nav><a href="/">{NOISE} home</a></nav></header>
<main><article>{body}</article></main>
<noscript>{NOISE} enable JavaScript</noscript>
<template><p>{NOISE}</p></template>
<div hidden>{NOISE} hidden</div>
<footer>{NOISE} © the site</footer>
</body></html>
"""
    text, warnings, doc_id = import_page(tmp_project, tmp_path / "article.html", markup)
    assert text == "\n\n".join(PARAGRAPHS)
    assert tmp_project.document(doc_id).title == "France–Armenia resolution | News"
    assert warnings == []


# -- what the page mode keeps (the text of the whole page) ------------------------------


def test_page_blocks_lines_and_whitespace(tmp_project: Project, tmp_path: Path) -> None:
    markup = (
        "<html><body>"
        "<h2>Heading\n  two</h2>"
        "<p>one &amp; <b>two</b>&nbsp;three\t\tfour<br>next line<br><br>after a blank</p>"
        "<div>div one</div><div>div two</div>"
        "<ul><li>first</li><li>second <i>item</i></li></ul>"
        "<blockquote>quoted</blockquote>"
        "<table><tr><th>Name</th><th>Votes</th></tr>"
        "<tr><td>Senate</td><td><p>183</p><p>for</p></td></tr></table>"
        "<pre>\n  code  kept\n\n    indented</pre>"
        "<p>Հայաստան 👍🏽 e\u0301 \ufeffZ soft\u00adhyphen</p>"
        "</body></html>"
    )
    text, _, doc_id = import_page(tmp_project, tmp_path / "blocks.htm", markup, "page")
    assert text == (
        "Heading two\n\n"
        "one & two\u00a0three four\nnext line\n\nafter a blank\n\n"
        "div one\ndiv two\n\n"
        "first\nsecond item\n\n"
        "quoted\n\n"
        "Name\tVotes\nSenate\t183 for\n\n"
        "  code  kept\n\n    indented\n\n"
        "Հայաստան 👍🏽 e\u0301 \ufeffZ softhyphen"
    )
    assert tmp_project.document(doc_id).title == "blocks"  # no <title>, no <h1>: the stem


def test_page_title_from_h1_then_file_stem(tmp_project: Project, tmp_path: Path) -> None:
    markup = "<body><h1>The  <em>headline</em></h1><p>Text.</p></body>"
    text, _, doc_id = import_page(tmp_project, tmp_path / "page-one.html", markup, "page")
    assert (tmp_project.document(doc_id).title, text) == ("The headline", "The headline\n\nText.")
    text, _, doc_id = import_page(
        tmp_project, tmp_path / "page-two.html", "<body><p>Only text.</p></body>", "page"
    )
    assert (tmp_project.document(doc_id).title, text) == ("page-two", "Only text.")


def test_page_mode_reads_messy_markup(tmp_project: Project, tmp_path: Path) -> None:
    # unclosed elements, stray end tags and an unclosed <article> still read sensibly
    markup = "<div>menu</div></span><article><p>One<p>Two</div><li>Three"
    text, _, _ = import_page(tmp_project, tmp_path / "messy.html", markup, "page")
    assert text == "menu\n\nOne\n\nTwo\nThree"


# -- encodings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("charset", "meta"),
    [
        ("windows-1252", '<meta charset="windows-1252">'),
        ("cp1252", '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'),
        ("iso-8859-7", "<meta charset='iso-8859-7'>"),
        ("koi8-r", '<META HTTP-EQUIV="content-type" CONTENT="text/html;charset=koi8-r">'),
    ],
)
@pytest.mark.parametrize("mode", ["article", "page"])
def test_non_utf8_with_meta_charset(
    tmp_project: Project, tmp_path: Path, charset: str, meta: str, mode: str
) -> None:
    words = {
        "windows-1252": "France’s “Senate” — résumé, naïve",
        "cp1252": "France’s “Senate” — résumé, naïve",  # ISO-8859-1 is read as windows-1252
        "iso-8859-7": "Η Γαλλία και η Αρμενία",
        "koi8-r": "Франция и Армения",
    }[charset]
    markup = f"<html><head>{meta}<title>{words}</title></head><body><p>{words}</p></body></html>"
    text, _, doc_id = import_page(
        tmp_project, tmp_path / "legacy.html", markup.encode(charset), mode
    )
    assert (tmp_project.document(doc_id).title, text) == (words, words)


def test_without_charset_is_detected(tmp_project: Project, tmp_path: Path) -> None:
    paragraphs = [*STORY, "Le Sénat a adopté la résolution à l’unanimité."]
    markup = page(f"<article>{story_html(paragraphs)}</article>").replace(
        '<meta charset="utf-8">', ""
    )
    text, _, _ = import_page(tmp_project, tmp_path / "undeclared.html", markup.encode("cp1252"))
    assert text == "\n\n".join(paragraphs)


def test_utf16_with_bom(tmp_project: Project, tmp_path: Path) -> None:
    data = b"\xff\xfe" + page(f"<article>{story_html()}</article>").encode("utf-16-le")
    text, _, _ = import_page(tmp_project, tmp_path / "utf16.html", data)
    assert text == "\n\n".join(STORY)


# -- hostile pages -----------------------------------------------------------------------


def test_nothing_the_page_refers_to_is_fetched(tmp_project: Project, tmp_path: Path) -> None:
    from tests.formats.test_web_fetch import Server

    server = Server()
    try:
        base = server.base
        body = (
            f'<link rel="stylesheet" href="{base}/a.css"><script src="{base}/a.js"></script>'
            f"<article><h1>Council votes for the bridge</h1>{story_html()}"
            f'<img src="{base}/photo.jpg"><iframe src="{base}/frame"></iframe>'
            f'<object data="{base}/x.svg"></object></article>'
        )
        markup = page(body).replace("<html", f'<?xml-stylesheet href="{base}/x.xsl"?><html', 1)
        text, _, _ = import_page(tmp_project, tmp_path / "refs.html", markup)
        _, _, _ = import_page(tmp_project, tmp_path / "refs-page.html", markup, "page")
    finally:
        server.close()
    assert_story(text)
    assert server.requests == []


def test_entities_are_not_expanded(tmp_project: Project, tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "lol"}">' for n in range(10))
    markup = (
        f'<?xml version="1.0"?><!DOCTYPE html [{lol}<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
        f"<html><head><title>Bomb</title></head><body><article>{story_html()}"
        "<p>&l9; &ext;</p></article></body></html>"
    )
    text, _, _ = import_page(tmp_project, tmp_path / "bomb.xhtml", markup)
    assert_story(text)
    assert len(text) < 2 * len("\n\n".join(STORY)) + 100
    assert "root:" not in text


def test_deep_nesting_reads_without_a_traceback(tmp_project: Project, tmp_path: Path) -> None:
    deep = "<div>" * 50_000 + "<p>Deep inside.</p>" + "</div>" * 50_000
    markup = page(f"<article>{story_html()}</article>{deep}")
    text, _, _ = import_page(tmp_project, tmp_path / "deep.html", markup)
    assert_story(text)


def test_markup_too_large_for_a_tree_is_refused_with_the_way_out(
    tmp_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.formats import html_reader

    monkeypatch.setattr(html_reader, "MAX_ARTICLE_CHARS", 2**20)
    markup = page(f"<article>{story_html()}</article>" + "<p>filler</p>" * 100_000)
    path = tmp_path / "huge.html"
    path.write_text(markup, "utf-8")
    with pytest.raises(FormatError) as caught:
        import_paths(tmp_project, [path])
    assert str(caught.value) == (
        "huge.html is 1 MB of markup, more than the article reader takes (1 MB); "
        "import it with --html page"
    )
    assert tmp_project.documents() == []
    report = import_paths(tmp_project, [path], options=Options(html="page"))
    assert report.documents == 1


def test_article_keeps_every_character(tmp_project: Project, tmp_path: Path) -> None:
    # emoji with skin tones and joiners, Persian's zero-width non-joiner, Hebrew and
    # Arabic, Armenian, combining marks, no-break spaces (French «\u00a0»), CRLF lines
    pieces = [
        "Ազգային ժողովը 👍🏽 👩\u200d👩\u200d👧 می\u200cخواهم",
        "שלום עולם, مرحبا بالعالم, e\u0301te\u0301 and ñ",
        "Il a dit\u00a0: «\u00a0non\u00a0». \U000f0000 stays too",
    ]
    story = [f"{p} {line}" for p, line in zip(pieces, STORY, strict=False)] + STORY[3:]
    markup = page(f"<article><h1>Council votes</h1>{story_html(story)}</article>")
    text, _, _ = import_page(tmp_project, tmp_path / "scripts.html", markup.replace("\n", "\r\n"))
    for paragraph in story:
        assert paragraph in text
