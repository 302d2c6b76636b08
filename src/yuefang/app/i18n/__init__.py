"""Languages of the yuefang user interface: message catalogues (Babel) and the user's choice.

The web pages speak Simplified Chinese (``zh_CN``) and English (``en``). Strings live in
the gettext catalogue beside this module (``<locale>/LC_MESSAGES/messages.po`` and the
compiled ``messages.mo``), never scattered through templates. The source strings (msgids)
are English, so English needs no translation.

The language a request is served in is, in order: the user's pick (a cookie), else the
best match of the browser's ``Accept-Language`` header, else :data:`DEFAULT_LOCALE`.

Updating the catalogue (from the repository root)::

    .venv/bin/pybabel extract -F src/yuefang/app/i18n/babel.cfg -o src/yuefang/app/i18n/messages.pot src/yuefang
    .venv/bin/pybabel update -i src/yuefang/app/i18n/messages.pot -d src/yuefang/app/i18n
    # translate the new entries in zh_CN/LC_MESSAGES/messages.po, then
    .venv/bin/pybabel compile -d src/yuefang/app/i18n
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

__all__ = [
    "CATALOGUE_DIR",
    "DEFAULT_LOCALE",
    "LOCALE_NAMES",
    "SUPPORTED_LOCALES",
    "Gettext",
    "N_",
    "get_translations",
    "make_gettext",
    "negotiate_locale",
    "normalize_locale",
    "parse_accept_language",
]

#: Folder holding ``messages.pot`` and one ``<locale>/LC_MESSAGES`` folder per language.
CATALOGUE_DIR = Path(__file__).resolve().parent

#: Languages the interface is offered in; the first is the default.
SUPPORTED_LOCALES: tuple[str, ...] = ("zh_CN", "en")

#: Served when neither the user's pick nor the browser's languages match a supported one.
DEFAULT_LOCALE = "zh_CN"

#: Each language's name, in that language (shown in the language switcher).
LOCALE_NAMES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}

Gettext = Callable[..., str]


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction into the catalogue without translating it now.

    Examples
    --------
    >>> N_("Chest girth")
    'Chest girth'
    """
    return message


def normalize_locale(value: str | None) -> str | None:
    """Map a language tag (``zh-CN``, ``zh_Hans``, ``en-GB``, ``EN``) to a supported locale.

    Returns
    -------
    str or None
        ``"zh_CN"`` for any Chinese tag (the interface is in Simplified Chinese only),
        ``"en"`` for any English tag, ``None`` for anything else.

    Examples
    --------
    >>> normalize_locale("zh-CN"), normalize_locale("en_GB"), normalize_locale("fr"), normalize_locale(None)
    ('zh_CN', 'en', None, None)
    """
    if not value:
        return None
    primary = value.strip().replace("-", "_").split("_", 1)[0].lower()
    if primary == "zh":
        return "zh_CN"
    if primary == "en":
        return "en"
    return None


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags of an ``Accept-Language`` header, most preferred first.

    Tags with ``q=0`` are dropped; equal weights keep the header's order.

    Examples
    --------
    >>> parse_accept_language("en-US,en;q=0.9,zh-CN;q=0.95")
    ['en-US', 'zh-CN', 'en']
    >>> parse_accept_language("fr;q=0, *;q=0.1")
    ['*']
    >>> parse_accept_language(None)
    []
    """
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if not tag:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            weighted.append((-weight, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate_locale(chosen: str | None = None, accept_language: str | None = None) -> str:
    """The locale to serve: the user's pick, else the browser's best match, else the default.

    Parameters
    ----------
    chosen
        The locale the user picked (cookie value); ignored when not supported.
    accept_language
        The browser's ``Accept-Language`` header.

    Examples
    --------
    >>> negotiate_locale("en", "zh-CN,zh;q=0.9")
    'en'
    >>> negotiate_locale(None, "de-DE,de;q=0.9,en;q=0.8")
    'en'
    >>> negotiate_locale("xx", None)
    'zh_CN'
    """
    picked = normalize_locale(chosen)
    if picked is not None:
        return picked
    for tag in parse_accept_language(accept_language):
        match = normalize_locale(tag)
        if match is not None:
            return match
    return DEFAULT_LOCALE


@cache
def get_translations(locale: str) -> NullTranslations:
    """The compiled catalogue (``messages.mo``) of ``locale``; identity for English.

    Raises
    ------
    ValueError
        When ``locale`` is not one of :data:`SUPPORTED_LOCALES`.
    """
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"locale: {locale!r} is not supported; allowed: {', '.join(SUPPORTED_LOCALES)}")
    return Translations.load(str(CATALOGUE_DIR), [locale], domain="messages")


def make_gettext(locale: str) -> tuple[Gettext, Gettext]:
    """``(gettext, ngettext)`` for ``locale`` with new-style ``%(name)s`` variables.

    ``gettext("Order %(number)s", number="A1")`` translates first, then substitutes, so
    translators see one whole sentence.

    Examples
    --------
    >>> _, ngettext = make_gettext("en")
    >>> _("Order %(number)s", number="A-1")
    'Order A-1'
    >>> ngettext("%(num)d line", "%(num)d lines", 3)
    '3 lines'
    """
    translations = get_translations(locale)

    def gettext(message: str, **variables: Any) -> str:
        text = translations.gettext(message)
        return text % variables if variables else text

    def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
        variables.setdefault("num", n)
        return translations.ngettext(singular, plural, n) % variables

    return gettext, ngettext
