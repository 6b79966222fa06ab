"""What both load scenarios read from the pages: the assessment form as a browser would post it."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The successful controls of the page's assessment form, as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select = self._textarea = None
        self._in_form = False
        self._textarea_opened = False

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
