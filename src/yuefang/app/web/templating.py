"""Jinja2 rendering of the web pages, in the request's language and length unit.

One :class:`jinja2.Environment` serves every page; the language is per request, so the
gettext callables (``_``, ``gettext``, ``ngettext``) are passed in each page's context rather
than installed on the environment. The language comes from the ``yuefang_lang`` cookie (the
user's pick) or the browser's ``Accept-Language``; the unit from the ``yuefang_unit`` cookie.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from yuefang.app.i18n import LOCALE_NAMES, SUPPORTED_LOCALES, Gettext, make_gettext, negotiate_locale
from yuefang.app.web import labels
from yuefang.app.web.units import LENGTH_UNITS, format_length, normalize_unit

__all__ = [
    "DISPLAY_TZ",
    "LANG_COOKIE",
    "STATIC_DIR",
    "TEMPLATES_DIR",
    "UNIT_COOKIE",
    "PageContext",
    "environment",
    "page_context",
    "render",
    "static_url",
]

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

#: Times are shown on Guangdong's clock, China Standard Time (UTC+8, no daylight saving).
DISPLAY_TZ = dt.timezone(dt.timedelta(hours=8), "CST")

#: Cookie holding the language the user picked (``zh_CN`` or ``en``).
LANG_COOKIE = "yuefang_lang"
#: Cookie holding the length unit the user picked (``cm`` or ``mm``).
UNIT_COOKIE = "yuefang_unit"

def static_url(name: str) -> str:
    """The URL of a file under ``app/web/static`` (served by the web router).

    Examples
    --------
    >>> static_url("yuefang.css")
    '/static/web/yuefang.css'
    """
    return f"/static/web/{name}"


environment = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(["html", "xml", "svg"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals["static_url"] = static_url


@dataclass(frozen=True)
class PageContext:
    """What every page needs to know about the request: language, unit, translators."""

    locale: str
    unit: str
    gettext: Gettext = field(repr=False)
    ngettext: Gettext = field(repr=False)

    @property
    def html_lang(self) -> str:
        """The ``lang`` attribute of the page (BCP 47: ``zh-CN``, ``en``)."""
        return self.locale.replace("_", "-")

    def length(self, value_mm: float | None, *, with_unit: bool = True) -> str:
        """A length stored in mm, in the user's unit (``88.0 cm``)."""
        text = format_length(value_mm, self.unit)
        return f"{text} {self.unit}" if text and with_unit else text

    def measurement(self, name: str) -> str:
        """A body measurement's name in the page's language, always with its Chinese name."""
        return labels.measurement_label(name, self.locale)

    def step(self, code: Any) -> str:
        """An order step's name (``in_production`` → 生产中)."""
        return labels.label(labels.STEP_LABELS, code, self.gettext)

    def status(self, code: Any) -> str:
        """A step status's name (``running`` → 进行中)."""
        return labels.label(labels.STEP_STATUS_LABELS, code, self.gettext)

    def role(self, code: Any) -> str:
        """A role's name (``order_desk`` → 接单员)."""
        return labels.label(labels.ROLE_LABELS, code, self.gettext)

    def datetime(self, value: dt.datetime | dt.date | None) -> str:
        """A date, or a time in China Standard Time (UTC+8, Guangdong's clock), for the page.

        Examples
        --------
        >>> page = PageContext("en", "cm", str, str)
        >>> page.datetime(dt.datetime(2025, 3, 1, 17, 30, tzinfo=dt.UTC)), page.datetime(dt.date(2025, 3, 2))
        ('2025-03-02 01:30', '2025-03-02')
        """
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
            return aware.astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M")
        return value.isoformat()


def page_context(request: Request) -> PageContext:
    """The language and unit of ``request`` (cookies first, then ``Accept-Language``)."""
    locale = negotiate_locale(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
    gettext, ngettext = make_gettext(locale)
    return PageContext(
        locale=locale,
        unit=normalize_unit(request.cookies.get(UNIT_COOKIE)),
        gettext=gettext,
        ngettext=ngettext,
    )


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    page: PageContext | None = None,
) -> HTMLResponse:
    """Render ``template`` for ``request`` with the page's language, unit and helpers.

    The context always holds ``page`` (a :class:`PageContext`), ``_``/``gettext``/``ngettext``,
    ``locales`` and ``units`` (for the switchers), ``request`` and ``url`` (the current path and
    query, for "back here" links).
    """
    page = page or page_context(request)
    query = request.url.query
    values: dict[str, Any] = {
        "request": request,
        "page": page,
        "_": page.gettext,
        "gettext": page.gettext,
        "ngettext": page.ngettext,
        "locales": [(code, LOCALE_NAMES[code]) for code in SUPPORTED_LOCALES],
        "units": LENGTH_UNITS,
        "here": request.url.path + (f"?{query}" if query else ""),
    }
    values.update(context or {})
    html = environment.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Language"] = page.html_lang
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response
