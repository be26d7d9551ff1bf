"""One form engine for every document kind: the model is the form (spec style.md §14, "declare once, derive the
rest").

- :mod:`~opengrex.web.forms.schema`: the model -> a tree of widgets (labels, units, help, confidentiality, defaults
  and relations from :func:`opengrex.model.base.veld` and the model's ``relaties``);
- :mod:`~opengrex.web.forms.fields`: a document -> the fields a browser posts -> the document (nl-NL numbers,
  exact); the input names encode the document path;
- :mod:`~opengrex.web.forms.errors`: the model's errors (by document path) -> next to their input, in Dutch;
- :mod:`~opengrex.web.forms.render` and ``templates/_formulier.html``: the tree and the posted values as HTML
  (Jinja macros); behaviour (rows, year grid, paste, drafts) in ``static/forms.js``;
- :mod:`~opengrex.web.forms.values`: nl-NL numbers and percentages, ambiguous input refused with a question.

The pages are :mod:`opengrex.web.pages.formulier` (every kind) and :mod:`opengrex.web.pages.grex` (the grex edit
table with its results, built on the same engine).
"""
from opengrex.web.forms.errors import FieldErrors, field_errors
from opengrex.web.forms.fields import FormData, Posted, form_items, read_form
from opengrex.web.forms.render import FormView
from opengrex.web.forms.schema import Node, form_tree, schema_paths

__all__ = ["FieldErrors", "FormData", "FormView", "Node", "Posted", "field_errors", "form_items", "form_tree", "read_form", "schema_paths"]
