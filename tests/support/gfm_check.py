"""Renders Markdown with GitHub's own renderer (cmark-gfm, GFM extensions
on) and checks that no text outside code forms an @-mention, an issue
reference or a link GitHub would follow.

Input: a JSON file, a list of {"what": ..., "text": ..., "plain": bool,
"links": [allowed URL prefixes]}. "plain" texts (PR titles, commit
messages) are checked as they are, without rendering. Prints one line per
problem and exits 1 if there is any; prints "ok N" otherwise.
"""

import json
import re
import sys
from html.parser import HTMLParser

import cmarkgfm

# GitHub's patterns (html-pipeline's MentionFilter and its issue
# references), case-insensitive: a mention is `@` after a non-word
# character, then a login or org/team; a reference is `#N`, `GH-N` or
# `owner/repo#N`.
MENTION = re.compile(r"(?:^|[^\w`])@[a-z0-9][a-z0-9-]*", re.I)
REFERENCE = re.compile(r"(?:^|[^\w&])#\d+|\bgh-\d+|[\w.-]+/[\w.-]+#\d+", re.I)
BARE_LINK = re.compile(r"https?://|\bwww\.", re.I)


class Text(HTMLParser):
    """Text outside <code> and <pre>, and every link's href."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts = []
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag in ("code", "pre"):
            self.depth += 1
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))
        if tag in ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "br", "blockquote"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("code", "pre"):
            self.depth -= 1

    def handle_data(self, data):
        if self.depth == 0:
            self.parts.append(data)


def problems(item):
    text = item["text"]
    allowed = item.get("links", [])
    if item.get("plain"):
        outside, hrefs = text, []
    else:
        html = cmarkgfm.github_flavored_markdown_to_html(text)
        parser = Text()
        parser.feed(html)
        outside, hrefs = "".join(parser.parts), parser.hrefs
    found = []
    for name, pattern in (("mention", MENTION), ("reference", REFERENCE)):
        for m in pattern.finditer(outside):
            found.append(f"{name} {m.group(0).strip()!r}")
    if item.get("plain"):
        for m in BARE_LINK.finditer(outside):
            found.append(f"bare link {m.group(0)!r}")
    for href in hrefs:
        if not any(href.startswith(a) for a in allowed):
            found.append(f"link {href!r}")
    return found


def main():
    items = json.load(open(sys.argv[1], encoding="utf-8"))
    bad = 0
    for item in items:
        for p in problems(item):
            bad += 1
            print(f"{item['what']}: {p}")
    if bad:
        sys.exit(1)
    print(f"ok {len(items)}")


if __name__ == "__main__":
    main()
