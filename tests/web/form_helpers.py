"""Test helpers for the form engine (:mod:`opengrex.web.forms`): the fields a browser posts for a document, edited by
document path, and the fields a rendered page would post (its inputs in page order, like a browser)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

from opengrex.services.kinds import get_kind
from opengrex.web.forms import form_items, form_tree, read_form
from opengrex.web.forms.errors import canonical_path
from opengrex.web.forms.fields import ROWS, YEARS


def doc_key(model: Any, name: str) -> str:
    """The document key of a model field (its Dutch alias, or its name)."""
    info = model.model_fields[name]
    return info.alias if isinstance(info.alias, str) else name


class FormFields:
    """The (name, value) pairs of a document's form, editable by document path (Python names or document keys)."""

    def __init__(self, kind: str, data: dict[str, Any], *, sees_confidential: bool = True) -> None:
        self.kind = get_kind(kind)
        self.tree = form_tree(self.kind.model)
        self.items: list[tuple[str, str]] = form_items(self.tree, data, sees_confidential=sees_confidential)

    @classmethod
    def of(cls, kind: str, model: Any) -> FormFields:
        k = get_kind(kind)
        return cls(kind, k.to_data(model))

    def name(self, *path: Any) -> str:
        """The input name of a document path (``("kosten", 0, "amount")``)."""
        return read_form(self.tree, self.items).names[canonical_path(self.tree, path)]

    def get(self, *path: Any) -> str:
        name = self.name(*path)
        return next(v for k, v in reversed(self.items) if k == name)

    def set(self, path: tuple[Any, ...], text: str) -> str:
        name = self.name(*path)
        self.items = [(k, text if k == name else v) for k, v in self.items]
        return name

    def set_years(self, path: tuple[Any, ...], cells: dict[int, str]) -> str:
        """Replace every cell of the year grid at ``path``."""
        grid = self.name(*path)
        keep = [(k, v) for k, v in self.items if not re.fullmatch(re.escape(grid) + r"\.-?\d+", k)]
        at = next(i for i, (k, _) in enumerate(keep) if k == grid + YEARS) + 1
        self.items = keep[:at] + [(f"{grid}.{y}", t) for y, t in cells.items()] + keep[at:]
        return grid

    def rows(self, *path: Any) -> list[str]:
        """The row ids of the list at ``path``, in order."""
        name = self.name(*path)
        return [v for k, v in self.items if k == name + ROWS and v]

    def remove_row(self, path: tuple[Any, ...], index: int) -> None:
        name = self.name(*path)
        uid = self.rows(*path)[index]
        row = f"{name}.{uid}"
        self.items = [(k, v) for k, v in self.items if not (k == name + ROWS and v == uid) and not k.startswith((row + ".", row + "~")) and k != row]

    def append_rows_from(self, path: tuple[Any, ...], other: FormFields, index: int, uid: str = "nieuw1") -> str:
        """Copy row ``index`` of the same list in ``other`` to the end of this list (as a new row ``uid``)."""
        name, src = self.name(*path), other.name(*path)
        old = other.rows(*path)[index]
        prefix = f"{src}.{old}"
        new = [(name + ROWS, uid)] + [(f"{name}.{uid}" + k[len(prefix):], v) for k, v in other.items if k.startswith((prefix + ".", prefix + "~"))]
        last = max(i for i, (k, _) in enumerate(self.items) if k == name + ROWS or k.startswith(name + "."))
        self.items = self.items[: last + 1] + new + self.items[last + 1 :]
        return f"{name}.{uid}"

    def data(self) -> dict[str, Any]:
        return read_form(self.tree, self.items).data

    def model(self) -> Any:
        return self.kind.validate(self.data(), "formulier")

    def __add__(self, extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return self.items + extra


def post_form(client, url: str, items: list[tuple[str, str]], **kw):
    """POST form fields in order, repeated names kept (as a browser does)."""
    return client.post(url, content=urlencode(items), headers={"content-type": "application/x-www-form-urlencoded", **kw.pop("headers", {})}, **kw)


class _Inputs(HTMLParser):
    """The successful controls of a form in document order, as a browser submits them (text inputs, hidden inputs,
    checked checkboxes, the selected option of each select, textareas); disabled controls are left out."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.depth, self.inside = form_id, 0, False
        self.items: list[tuple[str, str]] = []
        self._select: str | None = None
        self._selected: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.items.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._selected, self._first = a["name"], None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first is None:
                self._first = value
            if "selected" in a:
                self._selected = value
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            self.items.append((self._select, self._selected if self._selected is not None else (self._first or "")))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.items.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def page_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser would post for the form ``form_id`` of a page, unchanged."""
    p = _Inputs(form_id)
    p.feed(html)
    return p.items


def confirm_upload(client, url: str, preview) -> Any:
    """Save an upload shown on its preview page (``POST <url>/nieuwe-versie`` answers the preview; its 'Opslaan als
    versie N' form posts the validated data, the version it was compared with and the comment, like a browser)."""
    import html

    assert preview.status_code == 200 and 'id="bevestig-form"' in preview.text, preview.text[:2000]
    form = re.search(r'<form[^>]*id="bevestig-form".*?</form>', preview.text, re.S).group(0)
    data = {name: html.unescape(value) for name, value in re.findall(r'<input type="(?:hidden|text)" name="(\w+)" value="([^"]*)"', form)}
    if 'enctype="multipart/form-data"' in form:  # every field a form-data part without a file name, as a browser posts it
        return client.post(f"{url}/nieuwe-versie/bevestig", files={name: (None, value) for name, value in data.items()}, follow_redirects=False)
    return client.post(f"{url}/nieuwe-versie/bevestig", data=data, follow_redirects=False)
