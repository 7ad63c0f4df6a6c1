"""Data Docs that work offline, for oversight bodies on intranets without internet.

As GX renders them, Data Docs pull Bootstrap, jQuery, bootstrap-table, Font Awesome and vega
from CDNs and a logo from a remote bucket. This site keeps GX's renderers and content templates
but renders every page through this project's views: its own head, bar and footer
(`site/page.html`) linking assets under the site's own `static/vendor/`, GX's JavaScript-built
tables rendered on the server (`site/table.html`), and no link leaving the site. The assets are
copied from maintained Python packages (XStatic-Bootstrap, -jQuery, -Font-Awesome) when the
site is published, with the findings and the dbt docs beside it.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import xstatic.pkg.bootstrap
import xstatic.pkg.font_awesome
import xstatic.pkg.jquery
from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import ChoiceLoader, Environment, FunctionLoader

from xxgk.template.rules import FAMILIES

SITE_FILES = resources.files("xxgk.checks.site")
# the index lists the validations of the last runs only: GX reads every result it lists (each
# the whole result of a suite), so an unbounded index grows slower with every nightly run
INDEX_RUNS = 30
# GX templates this site replaces, by the name GX asks for
OVERRIDES = {
    "page.j2": "page.html",
    "index_page.j2": "page.html",
    "ge_info.j2": "info.html",
    "bootstrap_table.j2": "table.html",
}
# files each package ships that the pages use, copied to static/vendor/<name>/
VENDOR: dict[str, tuple[ModuleType, tuple[str, ...]]] = {
    "bootstrap": (xstatic.pkg.bootstrap, ("css/bootstrap.min.css", "js/bootstrap.bundle.min.js")),
    "jquery": (xstatic.pkg.jquery, ("jquery.min.js",)),
    "font-awesome": (xstatic.pkg.font_awesome, ("css/all.min.css", "webfonts", "LICENSE.txt")),
}


def _override(name: str) -> str | None:
    own = OVERRIDES.get(name)
    return SITE_FILES.joinpath(own).read_text("utf-8") if own else None


def site_root(document: Any) -> str:
    """The relative path from a page to the site's root, from where GX's store puts the page:
    expectations/<suite>.html, validations/<suite>/<run>/<time>/<batch>.html, index.html."""
    kind = getattr(document, "renderer_type", "") or ""
    dots = (getattr(document, "expectation_suite_name", "") or "").count(".")
    if "ValidationResults" in kind:
        return "../" * (dots + 4)
    if "ExpectationSuite" in kind:
        return "../" * (dots + 1)
    return "./"


class _Offline:
    """Puts this site's templates before GX's and tells each page where the site's root is."""

    env: Any

    def __init__(
        self,
        custom_styles_directory: str | None = None,
        custom_views_directory: str | None = None,
        dbt_docs: bool = False,
    ) -> None:
        super().__init__(custom_styles_directory, custom_views_directory)  # type: ignore[call-arg]
        self.env.loader = ChoiceLoader([FunctionLoader(_override), self.env.loader])
        self.env.globals["xxgk_dbt_docs"] = dbt_docs

    def render(self, document: Any, template: str | None = None, **kwargs: Any) -> str:
        return super().render(document, template, site_root=site_root(document), **kwargs)  # type: ignore[misc]


class OfflinePageView(_Offline, DefaultJinjaPageView):
    """Expectation suite and validation result pages."""


class OfflineIndexPageView(_Offline, DefaultJinjaIndexPageView):
    """The site's index."""


def site_config(site_dir: str, dbt_docs: bool) -> dict[str, Any]:
    """GX's data_docs_sites entry for this site; `site_dir` relative to the GX context root."""
    view = {"module_name": __name__, "dbt_docs": dbt_docs}
    return {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": site_dir},
        "site_index_builder": {
            "class_name": "DefaultSiteIndexBuilder",
            "validation_results_limit": INDEX_RUNS * len(FAMILIES),  # a validation per suite
            "view": {**view, "class_name": OfflineIndexPageView.__name__},
        },
        "site_section_builders": {
            "expectations": {"view": {**view, "class_name": OfflinePageView.__name__}},
            "validations": {"view": {**view, "class_name": OfflinePageView.__name__}},
            "profiling": "False",
        },
    }


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dst, dirs_exist_ok=True)
    else:
        shutil.copy2(src, dst)


def _findings_page(findings_json: Path, page: Path) -> None:
    """An HTML table of the findings, report text escaped by Jinja's autoescape."""
    env = Environment(autoescape=True)
    template = env.from_string(SITE_FILES.joinpath("findings.html").read_text("utf-8"))
    data = json.loads(findings_json.read_text("utf-8"))
    page.write_text(template.render(totals=data["totals"], findings=data["findings"]), "utf-8")


def publish(
    site: Path, findings: tuple[Path, ...] = (), dbt_static_index: Path | None = None
) -> None:
    """Make the built site self-contained: vendored assets, the site's stylesheet, the findings
    and, when given, dbt's self-contained docs page (`dbt docs generate --static`)."""
    for name, (package, files) in VENDOR.items():
        for rel in files:
            _copy(Path(package.BASE_DIR) / rel, site / "static" / "vendor" / name / rel)
    css = site / "static" / "xxgk" / "site.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(SITE_FILES.joinpath("site.css").read_text("utf-8"), "utf-8")
    for path in findings:
        _copy(path, site / "findings" / path.name)
        if path.name == "findings.json":
            _findings_page(path, site / "findings" / "index.html")
    if dbt_static_index is not None:
        _copy(dbt_static_index, site / "dbt" / "index.html")
