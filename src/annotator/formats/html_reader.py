"""Web pages saved as ``.html`` / ``.htm``: the article, or the whole page's text.

Two readers over one decoding (:func:`annotator.formats._html_text.decode_html`):

- ``html`` (the default, ``--html article``): the article, as trafilatura finds it
  (headings and lead included; menus, cookie banners, "read more" blocks, comments and
  footers left out), with the page's metadata (title, author, date, site name, URL,
  language). The text is built from trafilatura's element tree, not its plain-text
  rendering: one blank line between paragraphs, list items and table rows as lines,
  table cells separated by a tab. When the article is much shorter than the page's text
  (a teaser taken for the article?), the import report says so; a page with no article
  text is refused, naming ``--html page``. The choices around the extractor (teaser
  cards set aside, the headline put back, no-break spaces kept, its flattened fallback)
  are measured by ``benchmarks/web_eval.py`` (docs/formats-documents.md).
- ``html-page`` (``--html page``): all the visible text of the page
  (:mod:`annotator.formats._html_text`), for users who code comments or navigation.

Nothing referenced by the page is fetched: trafilatura is given the parsed tree, lxml
parses with its network access off and XML entities are not expanded.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget, normalise
from annotator.formats._html_text import PAGE_SKIPPED, decode_html, html_to_text
from annotator.formats.registry import DocumentText, reader

if TYPE_CHECKING:
    from lxml.etree import _Element
    from trafilatura.settings import Document

MAX_BYTES = 200 * 1024 * 1024
"""The largest page file read (the page mode reads it in pieces)."""
MAX_ARTICLE_CHARS = 50 * 1024 * 1024
"""The largest markup the article reader parses into a tree (news pages are a few MB)."""
TEASER_SHARE = 0.1
"""An article with fewer than this share of the page's letters is reported (a teaser?)."""
TEASER_PAGE_CHARS = 2_000
"""...when the page holds at least this many letters of text (a short page is no hint);
and so is an article of fewer than this many letters, whatever the page:"""
SHORT_ARTICLE = 400

MODES = ("article", "page")
HEADLINE = True
PRUNE_CARDS = True
CARD_LETTERS = 400
FLAT_SAME = (0.8, 1.25)
"""trafilatura's flattened text and ours are the same text when their letters are
within these ratios."""
CARD_LINK_SHARE = 0.5
"""An <article> with fewer letters, this share of them in links, is a related story's
card (when the page has several)."""

for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    # their "discarding data" messages are not the user's business; the report says it
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False

_SPACE = re.compile("[ \t\n\r\f]+")
SOFT_HYPHEN = "\u00ad"  # a hyphenation hint, not text: left out
_NOT_SPACE = re.compile(r"\S")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


@dataclass(frozen=True)
class Article:
    """What the article reader found in one page."""

    title: str  # the page's <title>, else the headline trafilatura found, else ""
    text: str  # normalised; "" when no article was found
    page_chars: int  # letters (non-space characters) of the page's visible text
    flat: bool = False  # trafilatura's fallback: one element of lines, no structure
    metadata: dict[str, object] = field(default_factory=dict)  # see :func:`extract_article`


@reader("html", (".html", ".htm", ".xhtml"), "Web page: the article's text and metadata")
def read_html(path: Path, budget: TextBudget) -> DocumentText:
    return page_document(_read_bytes(path), path.name, budget, "article", path.stem)


@reader(  # after "html" (formats/_catalogue.py): the article is the default
    "html-page",
    (".html", ".htm", ".xhtml"),
    "Web page: all its visible text (menus and comments too)",
)
def read_html_page(path: Path, budget: TextBudget) -> DocumentText:
    return page_document(_read_bytes(path), path.name, budget, "page", path.stem)


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise FormatError(
            f"{path.name} is {size // 2**20} MB; Annotator imports pages up to 200 MB"
        )
    return path.read_bytes()


def page_document(
    data: bytes,
    name: str,
    budget: TextBudget,
    mode: str = "article",
    fallback_title: str = "",
    url: str | None = None,
    charset: str | None = None,
) -> DocumentText:
    """The document of one page's bytes: its article (*mode* "article") or all its
    visible text ("page"); *url*: where it was fetched from (else the page's own);
    *charset*: the server's declared character set, if any."""
    warnings: list[str] = []
    markup = decode_html(data, name, warnings, charset)
    metadata: dict[str, object] = {}
    if mode == "page":
        page = html_to_text(markup, budget)
        title, text = page.title, page.text
        metadata = page_metadata(markup)
    else:
        article = extract_article(markup, name, budget)
        title, text, metadata = article.title, article.text, article.metadata
        letters = _letters(text)
        if article.flat:
            text, letters = _unflattened(markup, text, letters)
        if text and _short(letters, article.page_chars):
            warnings.append(
                f"{name}: the article found is short ({letters:,} of the page's "
                f"{article.page_chars:,} letters): if it is a teaser, import the page with "
                "--html page"
            )
    if not text.strip():
        raise FormatError(
            f"{name} holds no article text (only markup, scripts or navigation)"
            + ("; --html page imports all its visible text" if mode == "article" else "")
        )
    if url:
        metadata.setdefault("url", url)
    return DocumentText(
        title=title or fallback_title or name,
        text=text,
        source_name=name,
        warnings=tuple(warnings),
        variables=metadata,
        url=url,
    )


FLAT_SKIPPED = PAGE_SKIPPED | {"nav", "header", "footer", "aside"}


def _unflattened(markup: str, flat: str, letters: int) -> tuple[str, int]:
    """When trafilatura found no article structure it gives the page's text flattened
    (one line per block, some characters dropped). When that is the page's text without
    its menus, headers and footers, that text is kept as the page has it (paragraphs,
    lists, every character); a page with no text but those is no article ("", 0)."""
    ours = html_to_text(markup, None, FLAT_SKIPPED).text
    ours_letters = _letters(ours)
    if not ours_letters and letters < SHORT_ARTICLE:
        return "", 0  # only navigation
    if FLAT_SAME[0] * letters <= ours_letters <= FLAT_SAME[1] * letters:
        return ours, ours_letters
    return flat, letters


def _short(letters: int, page_letters: int) -> bool:
    """An article that may be a teaser: a small share of a long page, or short while the
    page holds half as much again."""
    if page_letters >= TEASER_PAGE_CHARS and letters < TEASER_SHARE * page_letters:
        return True
    return letters < SHORT_ARTICLE and page_letters >= 1.5 * letters


def _letters(text: str) -> int:
    return len(_NOT_SPACE.findall(text))


def extract_article(markup: str, name: str, budget: TextBudget | None = None) -> Article:
    """The article of an HTML page (see the module docstring). ``metadata`` holds what the
    page says of itself: ``title``, ``author``, ``date`` (a :class:`datetime.date`),
    ``site_name``, ``url`` and ``language``, each only when found."""
    from trafilatura.utils import load_html

    if len(markup) > MAX_ARTICLE_CHARS:
        raise FormatError(
            f"{name} is {len(markup) // 2**20} MB of markup, more than the article reader "
            f"takes ({MAX_ARTICLE_CHARS // 2**20} MB); import it with --html page"
        )
    tree = load_html(markup)
    if budget is not None:
        budget.tick()
    if tree is None:
        return Article("", "", 0)
    page_chars = _page_letters(tree)
    protected = _protect_spaces(tree)
    found = None
    if PRUNE_CARDS:
        cards = _teaser_cards(tree)
        if cards:
            pruned = copy.deepcopy(tree)
            for card in _teaser_cards(pruned):
                card.drop_tree()
            found = _extract(pruned)
            if budget is not None:
                budget.tick()
            if found is None or not _letters(found.text or ""):
                found = None  # the story was a short <article> after all
    if found is None:
        found = _extract(tree)
    if budget is not None:
        budget.tick()
    if found is None:
        language = _language(tree)
        return Article(
            _page_title(tree), "", page_chars, metadata={"language": language} if language else {}
        )
    body = found.body
    # trafilatura's fallback when it finds no article structure: the page's text
    # flattened into one element, one line per block; each line is a paragraph
    flat = body is not None and (len(body) == 0 or (len(body) == 1 and len(body[0]) == 0))
    if flat:
        assert body is not None
        lines = (_collapse(line) for line in "".join(body.itertext()).split("\n"))
        text = normalise("\n\n".join(line for line in lines if line))
    else:
        text = normalise(render(body)) if body is not None else ""
    headline = _headline(tree) if text and HEADLINE else ""
    if headline and headline not in text:
        text = f"{headline}\n\n{text}"  # the story's <h1>, left outside its body
    if protected:
        text = text.replace(_NBSP_STANDIN, "\u00a0")
    if budget is not None:
        budget.take(text)
    metadata = _metadata(found, tree)
    title = _page_title(tree) or str(metadata.get("title", ""))
    return Article(title, text, page_chars, flat=flat, metadata=metadata)


_NBSP_STANDIN = "\ufdd0"  # a noncharacter: never in a page's text, not a space to lxml


def _protect_spaces(tree: _Element) -> bool:
    """Replace the no-break spaces of the page's text by a stand-in that trafilatura
    keeps as it is (it would make them plain spaces, or drop them); False when the page
    holds the stand-in itself (then nothing is replaced)."""
    nodes = [el for el in tree.iter() if isinstance(el.tag, str)]
    if any(_NBSP_STANDIN in (el.text or "") + (el.tail or "") for el in nodes):
        return False
    for el in nodes:
        if el.text and "\u00a0" in el.text:
            el.text = el.text.replace("\u00a0", _NBSP_STANDIN)
        if el.tail and "\u00a0" in el.tail:
            el.tail = el.tail.replace("\u00a0", _NBSP_STANDIN)
    return True


def _extract(tree: _Element) -> Document | None:
    from trafilatura import bare_extraction

    found = bare_extraction(tree, with_metadata=True, include_comments=False, include_tables=True)
    return None if found is None or isinstance(found, dict) else found


def _teaser_cards(tree: _Element) -> list[_Element]:
    """``<article>`` elements that are cards of other stories, when the page has two or
    more: short (under :data:`CARD_LETTERS` letters) and mostly the text of links (a
    headline linking to the story). An extractor looking for ``<article>`` takes the
    first card for the story; a forum's posts, short but not links, stay."""
    cards = []
    for el in tree.iter("article"):
        letters = _letters(el.text_content())
        if letters >= CARD_LETTERS:
            continue
        linked = sum(_letters(a.text_content()) for a in el.iter("a"))
        if linked >= CARD_LINK_SHARE * letters:
            cards.append(el)
    return cards if len(cards) >= 2 else []


def page_metadata(markup: str) -> dict[str, object]:
    """What the page says of itself (as :func:`extract_article` finds it), without
    looking for its article; {} for markup too large for a tree."""
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    if len(markup) > MAX_ARTICLE_CHARS:
        return {}
    tree = load_html(markup)
    if tree is None:
        return {}
    return _metadata(extract_metadata(tree), tree)


def _page_letters(tree: _Element) -> int:
    """Non-space characters of the page's visible text (scripts and styles left out)."""
    texts = tree.xpath(
        "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
        " or ancestor::template)]"
    )
    return sum(_letters(str(t)) for t in texts)


def _metadata(found: Document, tree: _Element) -> dict[str, object]:
    metadata: dict[str, object] = {}
    for key, value in (
        ("title", found.title),
        ("author", found.author),
        ("site_name", found.sitename),
        ("url", found.url),
    ):
        if isinstance(value, str) and value.strip():
            metadata[key] = _collapse(value)
    if isinstance(found.date, str):
        with contextlib.suppress(ValueError):  # a date htmldate found but not a date
            metadata["date"] = date.fromisoformat(found.date[:10])
    language = _language(tree)
    if language:
        metadata["language"] = language
    return metadata


def _headline(tree: _Element) -> str:
    """The page's first ``<h1>`` when it is the story's headline: the page's ``<title>``
    or its ``og:title`` contains it (a site's name in an ``<h1>`` is not)."""
    first = tree.xpath("(//body//h1)[1]")
    if not first:
        return ""
    headline = _collapse("".join(str(t) for t in first[0].xpath(".//text()")))
    titles = [_page_title(tree)] + [
        str(v) for v in tree.xpath("//meta[@property='og:title' or @name='twitter:title']/@content")
    ]
    folded = headline.casefold()
    if len(headline) >= 10 and any(folded in _collapse(t).casefold() for t in titles):
        return headline
    return ""


def _page_title(tree: _Element) -> str:
    """The page's ``<title>`` (what a browser's tab and bookmarks show), or ""."""
    titles = tree.xpath("//head/title//text() | /html/title//text()")
    return _collapse("".join(str(t) for t in titles))


def _language(tree: _Element) -> str:
    """The page's language (``<html lang>``, else its Content-Language or og:locale)."""
    candidates = tree.xpath(
        "(/html/@lang | /html/@xml:lang"
        " | //meta[translate(@http-equiv,'CONTENTLAGU','contentlagu')='content-language']/@content"
        " | //meta[@property='og:locale']/@content)",
        namespaces={"xml": "http://www.w3.org/XML/1998/namespace"},
    )
    for value in candidates:
        found = _LANG.fullmatch(str(value).strip())
        if found:
            return found.group(0).replace("_", "-")
    return ""


# -- the article's element tree to text ----------------------------------------------

_LINES = frozenset({"list", "table"})  # blocks whose items or rows are lines
_INLINE_BREAK = "lb"


def render(body: _Element) -> str:
    """The text of trafilatura's output tree: paragraphs (``p``, ``head``, ``quote``,
    ``code``...) separated by one blank line; a list's items and a table's rows are
    lines (cells separated by a tab); ``lb`` is a line break. Whitespace inside a line
    collapses to one space, but in ``code``."""
    blocks: list[str] = []
    _blocks(body, blocks)
    return "\n\n".join(b for b in blocks if b)


def _blocks(element: _Element, out: list[str]) -> None:
    loose = _collapse(element.text or "")  # text directly inside a container
    if loose:
        out.append(loose)
    for child in element:
        tag = child.tag
        if tag == "list":
            out.append("\n".join(_items(child)))
        elif tag == "table":
            out.append("\n".join(_rows(child)))
        elif tag in ("quote", "div") and any(c.tag in _BLOCK_TAGS for c in child):
            _blocks(child, out)
        elif tag == "code":
            out.append("".join(_code_text(child)).strip("\n"))
        elif tag == "graphic":
            pass
        else:
            out.append(_inline(child))
        tail = _collapse(child.tail or "")
        if tail:
            out.append(tail)


_BLOCK_TAGS = frozenset({"p", "head", "list", "table", "quote", "code", "div"})


def _items(lst: _Element) -> list[str]:
    lines: list[str] = []
    for item in lst:
        nested = [c for c in item if c.tag == "list"]
        text = _inline(item, skip=frozenset({"list"}))
        if text:
            lines.append(text)
        for sub in nested:
            lines.extend(_items(sub))
    return lines


def _rows(table: _Element) -> list[str]:
    rows: list[str] = []
    for row in table.iter("row"):
        cells = [_inline(cell, skip=frozenset({"row"})) for cell in row if cell.tag == "cell"]
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def _inline(element: _Element, skip: frozenset[str] = frozenset()) -> str:
    """The text of *element* and its descendants as lines (``lb`` breaks them)."""
    parts: list[str] = [_SPACE.sub(" ", element.text or "")]
    stack: list[tuple[_Element, bool]] = [(c, False) for c in reversed(element)]
    while stack:
        node, done = stack.pop()
        if done:
            parts.append(_SPACE.sub(" ", node.tail or ""))
            continue
        if node.tag == _INLINE_BREAK:
            parts.append("\n")
            parts.append(_SPACE.sub(" ", node.tail or ""))
            continue
        if node.tag in skip or node.tag == "graphic":
            parts.append(_SPACE.sub(" ", node.tail or ""))
            continue
        if node.tag in ("p", "head", "item", "list", "quote"):
            parts.append("\n")  # a block inside a paragraph starts a line
        parts.append(_SPACE.sub(" ", node.text or ""))
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(node))
    lines = (_collapse(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _code_text(element: _Element) -> list[str]:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == _INLINE_BREAK else "".join(_code_text(child)))
        parts.append(child.tail or "")
    return parts


def _collapse(text: str) -> str:
    text = text.replace(SOFT_HYPHEN, "").replace(_NBSP_STANDIN, "\u00a0")
    return _SPACE.sub(" ", text).strip(" ")
