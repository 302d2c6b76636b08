"""The message catalogues are complete and current, and pages follow the user's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from yuefang.app.i18n import CATALOGUE_DIR, SUPPORTED_LOCALES, make_gettext, negotiate_locale
from yuefang.app.web.templating import TEMPLATES_DIR

from .conftest import login

APP_DIR = CATALOGUE_DIR.parent


def _po(locale: str):
    with open(CATALOGUE_DIR / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def _msgids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def _done(message) -> bool:
    return all(message.string) if isinstance(message.string, list | tuple) else bool(message.string)


def test_every_message_is_translated_into_chinese() -> None:
    catalog = _po("zh_CN")
    with open(CATALOGUE_DIR / "messages.pot", "rb") as f:
        template = read_po(f)
    assert _msgids(template), "the catalogue template is empty"
    assert _msgids(template) <= _msgids(catalog), "zh_CN lacks entries of messages.pot: run pybabel update"
    untranslated = [m.id for m in catalog if m.id and (not _done(m) or m.fuzzy)]
    assert untranslated == []


def test_compiled_catalogues_match_their_sources() -> None:
    for locale in SUPPORTED_LOCALES:
        po = _po(locale)
        with open(CATALOGUE_DIR / locale / "LC_MESSAGES" / "messages.mo", "rb") as f:
            mo = read_mo(f)
        po_pairs = {_key(m.id): _key(m.string) for m in po if m.id and _done(m) and not m.fuzzy}
        mo_pairs = {_key(m.id): _key(m.string) for m in mo if m.id and _done(m) and _key(m.string) != _key(m.id)}
        assert po_pairs == mo_pairs, f"{locale}: messages.mo is stale: run pybabel compile"


def test_catalogue_template_is_current(tmp_path: Path) -> None:
    """Every string the pages show is in messages.pot (extract again and compare)."""
    out = tmp_path / "fresh.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(CATALOGUE_DIR / "babel.cfg"), "-k", "N_", "-o", str(out), str(APP_DIR)]
    )
    with open(out, "rb") as f:
        fresh = _msgids(read_po(f))
    with open(CATALOGUE_DIR / "messages.pot", "rb") as f:
        committed = _msgids(read_po(f))
    assert fresh - committed == set(), "new strings are missing from messages.pot"
    assert committed - fresh == set(), "messages.pot holds strings no page uses any more"


_TEXT_ALLOWED = {"粤纺", "yuefang", "cm", "mm", "SVG"}


# Every page's template: the order pages' and the cluster office's (under cluster/).
TEMPLATES = sorted(p.relative_to(TEMPLATES_DIR).as_posix() for p in TEMPLATES_DIR.rglob("*.html"))


def test_the_cluster_templates_are_checked_too() -> None:
    assert {"cluster/dashboard.html", "cluster/figures.html", "cluster/import.html"} <= set(TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
def test_templates_hold_no_untranslated_text(template: str) -> None:
    """Words in templates go through the catalogue: after removing tags and Jinja, no words remain."""
    source = (TEMPLATES_DIR / template).read_text(encoding="utf-8")
    stripped = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    stripped = re.sub(r"<(script|style)\b.*?</\1>", " ", stripped, flags=re.S)
    stripped = re.sub(r"<[^>]*>", " ", stripped, flags=re.S)
    words = re.findall(r"[A-Za-z\u4e00-\u9fff][\w\u4e00-\u9fff'-]*", stripped)
    assert [w for w in words if w not in _TEXT_ALLOWED] == []


def test_locale_negotiation_prefers_the_users_pick() -> None:
    assert negotiate_locale(None, "zh-CN,zh;q=0.9,en;q=0.8") == "zh_CN"
    assert negotiate_locale(None, "en-GB,en;q=0.9") == "en"
    assert negotiate_locale("en", "zh-CN") == "en"
    assert negotiate_locale("zh_CN", "en") == "zh_CN"
    assert negotiate_locale(None, "fr-FR,de;q=0.5") == "zh_CN"
    gettext, _ = make_gettext("zh_CN")
    assert gettext("Log in") == "登录"


def test_login_page_follows_the_browser_language(client) -> None:
    zh = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    en = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert zh.status_code == en.status_code == 200
    assert '<html lang="zh-CN">' in zh.text and "密码" in zh.text and "Password" not in zh.text
    assert '<html lang="en">' in en.text and "Password" in en.text and "密码" not in en.text
    assert zh.headers["content-language"] == "zh-CN"


def test_language_pick_is_kept_in_a_cookie_and_beats_the_browser(client) -> None:
    response = client.post("/preferences", data={"lang": "en", "next": "/login"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "zh-CN"})
    assert "Password" in page.text
    client.post("/preferences", data={"lang": "zh_CN", "next": "/login"})
    assert "密码" in client.get("/login", headers={"Accept-Language": "en"}).text


def test_preferences_refuse_unknown_values_and_foreign_redirects(client) -> None:
    response = client.post(
        "/preferences", data={"lang": "fr", "unit": "inch", "next": "https://evil.example/"}, follow_redirects=False
    )
    assert response.headers["location"] == "/"
    assert "yuefang_lang" not in response.cookies and "yuefang_unit" not in response.cookies


def test_wrong_password_is_refused_in_the_users_language(client, web_env) -> None:
    zh = client.post(
        "/login", data={"email": web_env.users["desk"], "password": "wrong"}, headers={"Accept-Language": "zh-CN"}
    )
    assert zh.status_code == 401 and "电子邮箱或密码错误" in zh.text
    en = client.post("/login", data={"email": "", "password": ""}, headers={"Accept-Language": "en"})
    assert en.status_code == 422 and "Enter your email and password." in en.text


def test_login_and_logout(client, web_env) -> None:
    login(client, web_env.users["desk"])
    assert client.get("/", follow_redirects=False).headers["location"] == "/orders"
    page = client.get("/login", follow_redirects=False)
    assert page.status_code == 303
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/orders").text)
    assert token, "the layout's logout form carries a CSRF token"
    response = client.post("/logout", data={"csrf_token": token.group(1)}, follow_redirects=False)
    assert response.headers["location"].startswith("/login")
    assert client.get("/orders", follow_redirects=False).status_code == 303
