"""Sphinx extension of the course site: formulas become MathML when the site is built.

Browsers draw MathML themselves, so a page shows its math with no script, no font download and nothing from
another host. LaTeX is converted by latex2mathml; a formula it cannot convert is a build warning naming the page
(the site builds with warnings as errors), shown meanwhile as its LaTeX source.
"""

from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _mathml(self, node, display: str) -> str:
    latex = node.astext()
    try:
        return convert(latex, display=display)
    except Exception as err:  # latex2mathml raises several kinds for what it does not know
        logger.warning("formula not converted to MathML (%s): %s", err, latex, location=node)
        return f"<code>{self.encode(latex)}</code>"


def visit_math(self, node):
    self.body.append(_mathml(self, node, "inline"))
    raise nodes.SkipNode


def visit_displaymath(self, node):
    self.body.append(f'<div class="math-display">{_mathml(self, node, "block")}</div>')
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
