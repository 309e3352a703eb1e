"""English and Italian: the catalog is complete, its compiled .mo is current, and pages follow
the user's profile language, then the browser's.

When a test here fails after new strings were added: `make messages`, translate the new entries
in locale/it/LC_MESSAGES/django.po, `make messages` again (it recompiles), commit both files.
docs/i18n.md has the glossary.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template import loader
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


# --- A small reader of .po files (polib is not a dependency) -------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str:
        """The entry's key in a compiled catalog (context and id joined by EOT)."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text.strip()[1:-1])


def po_entries(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") first."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, target = Entry(), None
        seen = False
        for raw in block.splitlines():
            line = raw
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].lstrip()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if not line or line.startswith("#"):
                continue
            match = re.match(
                r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line
            )
            if match:
                keyword, number, value = match.groups()
                index = int(number or 0)
                seen = True
                target = (keyword, index)
                text = _unquote(value)
            elif line.startswith('"') and target:
                keyword, index = target
                text = _unquote(line)
                if keyword == "msgstr":
                    entry.msgstr[index] += text
                else:
                    setattr(entry, keyword, (getattr(entry, keyword) or "") + text)
                continue
            else:
                raise AssertionError(f"{path}: cannot read the line {raw!r}")
            if keyword == "msgstr":
                entry.msgstr[index] = text
            else:
                setattr(entry, keyword, text)
        if seen:
            entries.append(entry)
    return entries


def _catalog(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


# --- The catalog ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_of_the_catalog_is_translated(language):
    entries = po_entries(_catalog(language))
    header, messages = entries[0], entries[1:]
    assert header.msgid == "", "the .po should start with its header"
    assert f"Language: {language}\n" in header.msgstr[0]
    assert len(messages) > 100, "the catalog looks truncated"
    untranslated = [e.msgid for e in messages if not e.obsolete and not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in messages if not e.obsolete and "fuzzy" in e.flags]
    plural_short = [e.msgid for e in messages if e.msgid_plural is not None and len(e.msgstr) < 2]
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy (check, then drop the flag) in {language}: {fuzzy}"
    assert not plural_short, f"plural entries missing a form in {language}: {plural_short}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language):
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    broken = []
    for entry in po_entries(_catalog(language))[1:]:
        expected = sorted(placeholder.findall(entry.msgid_plural or entry.msgid))
        for form in entry.msgstr.values():
            found = sorted(placeholder.findall(form))
            # A singular form may spell out "one" instead of the count; nothing else may go.
            if found != expected and not (entry.msgid_plural and set(found) <= set(expected)):
                broken.append((entry.msgid, form))
    assert not broken, broken


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_not_stale(language):
    """The committed .mo holds every entry of the .po, as translated there."""
    po = _catalog(language)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages` and commit it"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in po_entries(po)[1:]:
        if entry.obsolete:
            continue
        if entry.msgid_plural is None:
            if compiled.get(entry.key) != entry.msgstr[0]:
                stale.append(entry.msgid)
        else:
            forms = [compiled.get((entry.key, index)) for index in sorted(entry.msgstr)]
            if forms != [entry.msgstr[index] for index in sorted(entry.msgstr)]:
                stale.append(entry.msgid)
    assert not stale, f"{mo} is older than the .po (run `make messages`): {stale[:10]}"


# --- Pages follow the profile, then the browser --------------------------------------------------


def test_the_profile_language_wins_over_the_browser(client, tenant, owner):
    owner.language = "it"
    owner.save(update_fields=["language"])
    client.force_login(owner)
    response = client.get("/t/acme/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="it">' in page
    assert "Membri per ruolo" in page  # the dashboard
    assert "Members by role" not in page
    assert "Registro attività" in page  # the sidebar (the owner may read the audit log)
    assert "Audit log" not in page
    assert 'data-error-text="La richiesta non è andata a buon fine"' in page  # for static/js/app.js


def test_an_english_profile_stays_english_with_an_italian_browser(client, tenant, owner):
    owner.language = "en"
    owner.save(update_fields=["language"])
    client.force_login(owner)
    page = client.get("/t/acme/", headers={"Accept-Language": "it"}).content.decode()
    assert "Members by role" in page
    assert "Membri per ruolo" not in page


def test_an_anonymous_visitor_gets_the_browser_language(client, db):
    page = client.get("/", headers={"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"})
    assert page["Content-Language"] == "it"
    text = page.content.decode()
    assert "Inizia la prova gratuita" in text
    assert "Start free trial" not in text

    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Start free trial" in page.content.decode()


def test_the_plural_forms_are_used(db):
    from django.template import Context, Template

    template = Template(
        "{% load i18n %}{% blocktranslate count days=n %}Trial: {{ days }} day left."
        "{% plural %}Trial: {{ days }} days left.{% endblocktranslate %}"
    )
    with translation.override("it"):
        assert template.render(Context({"n": 1})) == "Prova: manca 1 giorno."
        assert template.render(Context({"n": 5})) == "Prova: mancano 5 giorni."


def test_the_500_page_is_translated_without_a_request():
    with translation.override("it"):
        page = loader.get_template("errors/500.html").render()
    assert '<html lang="it">' in page
    assert "Si è verificato un errore da parte nostra." in page


# --- No English left in templates ----------------------------------------------------------------

# Text that is the same in every language.
ALLOWED_TEXT = {"TenantHawk", "IP"}
CHECKED_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "label"}
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates")), *ROOT.glob("*/*/templates")]


class _TextNodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in CHECKED_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._check(data)

    def _check(self, text: str) -> None:
        words = [word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in ALLOWED_TEXT]
        if words:
            self.found.append(" ".join(text.split()))


def _untranslated_text(source: str) -> list[str]:
    """Literal words outside {% translate %}/{% blocktranslate %}, template tags and comments."""
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.S)
    source = re.sub(r"{#.*?#}", "", source, flags=re.S)
    source = re.sub(
        r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}", "", source, flags=re.S
    )
    # Blocks that fill an attribute (body_class, main_class) hold CSS classes, not text.
    source = re.sub(r"{%\s*block \w+_class\s*%}.*?{%\s*endblock[^%]*%}", "", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", "", source, flags=re.S)
    parser = _TextNodes()
    parser.feed(source)
    parser.close()
    return parser.found


def _templates() -> list[Path]:
    skip = {".venv", ".data", "_templates", "node_modules"}
    paths = {
        path
        for directory in TEMPLATE_DIRS
        for path in directory.rglob("*.html")
        if not skip & set(path.relative_to(ROOT).parts)
    }
    return sorted(paths)


def test_the_template_scanner_finds_english():
    assert _untranslated_text("<p>Hello there</p>") == ["Hello there"]
    assert _untranslated_text('<input placeholder="Search">') == ["Search"]
    assert _untranslated_text('<p>{% translate "Hello" %} {{ user.email }}</p>') == []
    assert _untranslated_text("{% blocktranslate %}Hi {{ a }}{% endblocktranslate %}") == []
    assert _untranslated_text("<title>TenantHawk</title><th>IP</th>") == []


@pytest.mark.parametrize("path", _templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_have_no_untranslated_text(path):
    found = _untranslated_text(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)}: wrap in {{% translate %}}: {found}"
