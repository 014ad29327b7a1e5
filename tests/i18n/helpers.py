"""Reading a page as a Spanish reader does: its visible text, and any common English word left in it."""

import re
from html.parser import HTMLParser

# Common English words that are not also Spanish words (so "no", "a", "me", "es" are not here).
ENGLISH = {
    "the", "and", "you", "your", "with", "this", "that", "what", "have", "will", "from", "when", "here",
    "please", "save", "send", "back", "next", "sign", "answer", "answers", "question", "questions", "page",
    "help", "home", "week", "today", "yes", "not", "are", "was", "were", "been", "they", "their", "there",
    "which", "would", "could", "should", "about", "only", "each", "every", "other", "more", "than", "then",
    "into", "our", "out", "can", "may", "must", "do", "does", "did", "how", "why", "who", "any", "all",
    "for", "of", "to", "in", "on", "at", "by", "is", "it", "be", "or", "if", "so", "we", "us", "an",
    "saved", "choose", "enter", "write", "field", "required", "valid", "account", "password",
}  # fmt: skip
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # whole words, accented letters included


class VisibleText(HTMLParser):
    """The text a person reads: not scripts, styles or the words inside an element marked with another language."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.root_lang = ""

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "html":
            self.root_lang = attrs.get("lang") or ""
        # What a person also reads without it being text: labels for screen readers, placeholders, titles.
        for name in ("aria-label", "placeholder", "title", "alt"):
            if attrs.get(name) and not self._hidden():
                self.parts.append(attrs[name])
        if tag in self.VOID:
            return
        other_language = tag != "html" and bool(attrs.get("lang")) and not attrs["lang"].startswith("es")
        self.stack.append((tag, tag in ("script", "style", "template") or other_language))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            opened, _ = self.stack.pop()
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.parts.append(data)


def english_left(html: str, typed: list[str]) -> tuple[str, dict[str, str]]:
    """The page's language, and each English word left with the words around it (to find where it comes from)."""
    page = VisibleText()
    page.feed(html)
    text = " ".join(" ".join(page.parts).split())
    for value in typed:
        if len(value) > 2:
            text = text.replace(" ".join(value.split()), " ")
    found = {}
    for match in WORD.finditer(text):
        word = match.group().lower()
        if word in ENGLISH and word not in found:
            found[word] = text[max(0, match.start() - 30) : match.end() + 30]
    return page.root_lang, found
