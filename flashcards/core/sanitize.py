"""Allow-list HTML sanitiser for rendered cards, built on the stdlib `html.parser`.

Card text is written by people and imported from other apps, so its raw HTML is not
trusted: scripts, frames, event handlers, `javascript:` URLs and anything that would
load from the network are removed. Images may only be files inside the library
(`media_files.local_media`: no `file:` URL, no absolute path, no `../` out of it). What
is left is the small subset a `QTextBrowser` understands, nested at most
`MAX_HTML_DEPTH` deep (Qt lays out deeper nesting very slowly). The output is
re-serialised from the parse (quoted attributes, escaped text, every open tag closed),
so later passes can match it with simple patterns.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from flashcards.core.image_size import image_size
from flashcards.core.media_files import local_media


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ALLOWED_TAGS = _names(
    "a abbr b big blockquote br caption center cite code col colgroup dd del dfn div dl dt "
    "em font h1 h2 h3 h4 h5 h6 hr i img ins kbd li nobr ol p pre q s samp small span strike "
    "strong sub sup table tbody td tfoot th thead tr tt u ul var"
)
_VOID_TAGS = _names("br hr img col")
# Dropped together with everything inside them: their content is code, a nested
# document, or form furniture that means nothing in a card.
_DROP_WITH_CONTENT = _names(
    "script style iframe object applet template noscript noembed noframes frameset "
    "textarea select title head svg math audio video canvas xmp button"
)
_COMMON_ATTRS = _names(
    "style title align valign dir width height colspan rowspan cellpadding cellspacing "
    "border bgcolor"
)
_TAG_ATTRS: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href", "name"}),
    "img": frozenset({"src", "alt"}),
    "font": frozenset({"color", "face", "size"}),
    "ol": frozenset({"start", "type"}),
    "ul": frozenset({"type"}),
    "code": frozenset({"class"}),  # only `language-*`, read by the code highlighter
}
# No `file:`: a card links to a local file by a relative path, checked like an image's.
_LINK_SCHEMES = frozenset({"card", "http", "https", "mailto"})
MAX_HTML_DEPTH = 48
"""Elements open at once; tags deeper than this are dropped (their text kept)."""
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
_LANGUAGE_CLASS = re.compile(r"language-[\w+#.\-]+")
_SAFE_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp|bmp);", re.IGNORECASE)
_COLOUR = re.compile(r"#?[0-9A-Za-z]{1,20}")
# CSS that can load a resource or run code; a style holding any of it is dropped whole.
_UNSAFE_CSS = re.compile(r"url\(|expression|@import|javascript:|behavior|\\|/\*", re.IGNORECASE)


def url_scheme(url: str) -> str | None:
    """The lower-case scheme of `url` as a browser would read it, or None if relative."""
    cleaned = _IGNORED_IN_URL.sub("", html.unescape(url))
    if cleaned.startswith("//"):
        return "http"  # protocol-relative: a network load
    m = _SCHEME.match(cleaned)
    return m.group(1).lower() if m else None


def resolve_image(src: str, *, base_dir: Path | None, root: Path | None = None) -> str | None:
    """The `file:` URL of a relative `src` resolved against `base_dir`, or a safe `data:`
    image; None for anything else: remote, a `file:` URL, an absolute path, a path that
    leaves `root` (the library folder; `base_dir` itself without one), or a relative path
    with no `base_dir` to resolve it against."""
    scheme = url_scheme(src)
    if scheme is None:
        if base_dir is None:
            return None
        path = local_media(src, base_dir=base_dir, root=root)
        return None if path is None else path.as_uri()
    if scheme == "data" and _SAFE_DATA_IMAGE.match(src.strip()):
        return src.strip()
    return None


@dataclass(frozen=True)
class TagLook:
    """How kept tags are dressed: QTextBrowser ignores style sheets with classes,
    so looks must be inline on every tag.

    `styles`: CSS put in front of a tag's own style; `attrs`: attributes a tag gets
    unless it has them; `rename`: tags written as another (Qt ignores `font-size`
    on headings, so they become styled paragraphs).
    """

    styles: Mapping[str, str] = field(default_factory=dict)
    attrs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    rename: Mapping[str, str] = field(default_factory=dict)
    image_max_width: int | None = None  # px; wider local images are scaled down


_PLAIN = TagLook()


def _plain_value_ok(name: str, value: str) -> bool:
    if name == "class":
        return _LANGUAGE_CLASS.fullmatch(value) is not None
    if name in ("bgcolor", "color"):
        return _COLOUR.fullmatch(value) is not None
    return True


def _fit_width(attrs: list[tuple[str, str | None]], parts: list[str], max_width: int) -> list[str]:
    """`width`/`height` attributes that shrink a wide local image to `max_width`."""
    if any(name in ("width", "height") for name, _ in attrs):
        return []  # the author chose a size
    src = next((p for p in parts if p.startswith(' src="file:')), None)
    if src is None:
        return []
    path = Path(url2pathname(urlparse(html.unescape(src[6:-1])).path))
    size = image_size(path)
    if size is None or size[0] <= max_width or size[0] <= 0:
        return []
    height = round(size[1] * max_width / size[0])
    return [f' width="{max_width}"', f' height="{height}"']


class _Sanitizer(HTMLParser):
    def __init__(self, *, base_dir: Path | None, root: Path | None, look: TagLook) -> None:
        super().__init__(convert_charrefs=True)
        self.base_dir = base_dir
        self.root = root
        self.look = look
        self.out: list[str] = []
        self.open: list[str] = []
        self.too_deep: dict[str, int] = {}  # tags dropped for depth whose end is to come
        self.skip_tag: str | None = None
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag and not closed:
                self.skip_depth += 1
            return
        if tag in _DROP_WITH_CONTENT:
            if not closed:
                self.skip_tag, self.skip_depth = tag, 1
            return
        if tag not in _ALLOWED_TAGS:
            return  # unknown tag: drop it, keep its text
        if len(self.open) >= MAX_HTML_DEPTH and tag not in _VOID_TAGS:
            if not closed:
                self.too_deep[tag] = self.too_deep.get(tag, 0) + 1
            return
        kept = self._attrs(tag, attrs)
        if kept is None:
            return
        name = self.look.rename.get(tag, tag)
        self.out.append(f"<{name}{kept}>")
        if tag not in _VOID_TAGS:
            self.open.append(tag)

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str | None:
        """Serialised safe attributes, or None when the whole tag must go."""
        allowed = _TAG_ATTRS.get(tag, frozenset())
        parts: list[str] = []
        style = self.look.styles.get(tag, "")
        alt = ""
        src_ok = tag != "img"
        for name, value in attrs:
            if value is None:
                value = ""
            if name == "style":
                if not _UNSAFE_CSS.search(value):
                    style = f"{style}; {value}" if style else value
                continue
            if name not in _COMMON_ATTRS and name not in allowed:
                continue  # on* handlers, class, background=, srcset=, ...
            if name == "href":
                scheme = url_scheme(value)
                if scheme is not None and scheme not in _LINK_SCHEMES:
                    continue
            elif name == "src":
                resolved = resolve_image(value, base_dir=self.base_dir, root=self.root)
                if resolved is None:
                    continue
                value, src_ok = resolved, True
            elif name == "alt":
                alt = value
            elif not _plain_value_ok(name, value):
                continue
            parts.append(f' {name}="{html.escape(value)}"')
        if not src_ok:
            # A remote or unsafe image is replaced by its alt text.
            if alt:
                self.out.append(html.escape(alt, quote=False))
            return None
        if tag == "img" and self.look.image_max_width is not None:
            parts.extend(_fit_width(attrs, parts, self.look.image_max_width))
        if style:
            parts.insert(0, f' style="{html.escape(style)}"')
        defaults = self.look.attrs.get(tag)
        if defaults:
            given = {name for name, _ in attrs}
            parts.extend(f' {k}="{html.escape(v)}"' for k, v in defaults.items() if k not in given)
        return "".join(parts)

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skip_tag = None
            return
        if self.too_deep.get(tag):
            self.too_deep[tag] -= 1
            return
        if tag not in self.open:
            return  # a stray end tag
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{self.look.rename.get(top, top)}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip_tag is None:
            self.out.append(html.escape(data, quote=False))

    # Comments, declarations and processing instructions are dropped: the default
    # HTMLParser handlers for them do nothing.

    def result(self) -> str:
        self.close()
        self.out.extend(f"</{self.look.rename.get(t, t)}>" for t in reversed(self.open))
        self.open.clear()
        return "".join(self.out)


def sanitize_html(
    fragment: str,
    *,
    base_dir: Path | None = None,
    root: Path | None = None,
    look: TagLook = _PLAIN,
) -> str:
    """`fragment` with only safe tags and attributes, local images made absolute.

    `base_dir` is the deck file's folder, `root` the library folder images must stay in
    (without one, `base_dir`)."""
    parser = _Sanitizer(base_dir=base_dir, root=root, look=look)
    parser.feed(fragment)
    return parser.result()
