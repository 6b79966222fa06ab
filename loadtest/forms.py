"""What both load scenarios read from the pages: the assessment form as a browser would post it."""

import html
import re
from html.parser import HTMLParser

# The only markup a form's values come from: the forms' own tags, their controls and options, and a
# textarea's text. A textarea is RCDATA and Django escapes every "<" in it, so the lazy match ends
# at its own close; Django escapes ">" in attribute values too, so "[^>]*" ends each tag.
_CONTROLS = re.compile(
    r"<(?:(textarea)\b([^>]*)>(.*?)</textarea\s*>|(/?)(form|input|select|option)\b([^>]*)>)",
    re.IGNORECASE | re.DOTALL,
)
# An attribute as HTML reads it: a name, then a value quoted either way, unquoted, or none at all.
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


def _attributes(text: str) -> list[tuple[str, str | None]]:
    # Of the three ways to write a value only one matched; the others read "" (as does the one that
    # matched, when it is empty). An attribute with no "=" has no value at all: None, as HTMLParser.
    return [
        (name.lower(), html.unescape(d or s or u) if equals else None)
        for name, equals, d, s, u in _ATTRIBUTE.findall(text)
    ]


class FormFields(HTMLParser):
    """The successful controls of the page's assessment form, as a browser would post them.

    `feed` reads only the controls' markup (`_CONTROLS`), not every tag of the page: the load
    generator shares the two cores with the server it measures, and reading each 80 kB form with
    the whole HTML parser cost it about as much CPU as the server spent drawing the page. The
    tests hold it to the whole parser's fields (`HTMLParser.feed`, which still works here)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select = self._textarea = None
        self._in_form = False
        self._textarea_opened = False

    def feed(self, data: str) -> None:
        for textarea, textarea_attrs, text, closing, tag, attrs in _CONTROLS.findall(data):
            if textarea:
                self.handle_starttag("textarea", _attributes(textarea_attrs))
                self.handle_data(html.unescape(text))
                self.handle_endtag("textarea")
            elif closing:
                self.handle_endtag(tag.lower())
            else:
                self.handle_starttag(tag.lower(), _attributes(attrs))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "assess-form" in (a.get("class") or ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in {"submit", "button"}:
            if a.get("type") in {"checkbox", "radio"}:
                if "checked" not in a:
                    return
                # A checked box without a value attribute is posted as "on", as browsers do
                # (posted empty, Django reads it unchecked: the yearly "ước" flags were lost).
                self.fields[a["name"]] = a["value"] if a.get("value") is not None else "on"
                return
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.fields):
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._textarea_opened = True
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            if self._textarea_opened:
                # A newline right after <textarea> is not part of its value (the HTML parsing
                # rules): browsers drop it, so a note is posted back as it was stored.
                data = data.removeprefix("\n")
                self._textarea_opened = False
            self.fields[self._textarea] += data
