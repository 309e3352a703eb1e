"""`manage.py startmodule <name>`: a tenant module, written like `startapp` writes an app.

A TemplateCommand over modules/_templates/module/ (.py-tpl files rendered with Django's template
engine; HTML templates copied, then their __APP__-style placeholders filled, so their own template
tags stay untouched). Then the module is added to modules/installed.py, which settings read: no
settings or URLconf is edited by hand. Conventions are in docs/modules.md.
"""

from __future__ import annotations

import keyword
import re
import shutil
import subprocess
import sys
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.templates import TemplateCommand

from accounts.roles.definitions import BUILT_IN_ROLES, MEMBER, OWNER
from modules.installed import INSTALLED_MODULES
from modules.registry import registry

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "_templates" / "module"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_ROLES = "owner,moderator,collaborator"
RESERVED_FIELDS = {"id", "pk", "created_at", "objects"}

# kind -> (model field, migration field, form widget, model sample, form value)
FIELD_KINDS: dict[str, tuple[str, str, str, str, str]] = {
    "str": (
        'models.CharField(_("{label}"), max_length=200)',
        'models.CharField(max_length=200, verbose_name="{label}")',
        "",
        '"Sample {label}"',
        '"Sample {label}"',
    ),
    "text": (
        'models.TextField(_("{label}"), blank=True)',
        'models.TextField(blank=True, verbose_name="{label}")',
        "",
        '"Some text"',
        '"Some text"',
    ),
    "int": (
        'models.IntegerField(_("{label}"), default=0)',
        'models.IntegerField(default=0, verbose_name="{label}")',
        "",
        "3",
        '"3"',
    ),
    "decimal": (
        'models.DecimalField(_("{label}"), max_digits=12, decimal_places=2, default=0)',
        'models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="{label}")',
        "",
        '"12.50"',
        '"12.50"',
    ),
    "date": (
        'models.DateField(_("{label}"), null=True, blank=True)',
        'models.DateField(blank=True, null=True, verbose_name="{label}")',
        'forms.DateInput(attrs={{"type": "date"}})',
        '"2026-01-31"',
        '"2026-01-31"',
    ),
    "datetime": (
        'models.DateTimeField(_("{label}"), null=True, blank=True)',
        'models.DateTimeField(blank=True, null=True, verbose_name="{label}")',
        'forms.DateTimeInput(attrs={{"type": "datetime-local"}})',
        "",
        '"2026-01-31T10:00"',
    ),
    "bool": (
        'models.BooleanField(_("{label}"), default=False)',
        'models.BooleanField(default=False, verbose_name="{label}")',
        "",
        "True",
        '"on"',
    ),
    "fk": (
        'models.ForeignKey("{target}", verbose_name=_("{label}"), on_delete=models.PROTECT, '
        "null=True, blank=True)",
        "models.ForeignKey(blank=True, null=True, "
        'on_delete=django.db.models.deletion.PROTECT, to="{target_lower}", verbose_name="{label}")',
        "",
        "",
        "",
    ),
}


def model_name_for(module: str) -> str:
    """customers -> Customer, ordini_vendite -> OrdiniVendite: CamelCase, one trailing s dropped."""
    camel = "".join(part.title() for part in module.split("_"))
    if camel.endswith("s") and not camel.endswith("ss") and len(camel) > 3:
        camel = camel[:-1]
    return camel


def fk_target(field_name: str) -> str:
    """`customer:fk` points at the main model of the module `customer` or `customers`."""
    for candidate in (field_name, f"{field_name}s"):
        module = registry.get(candidate)
        if module is not None and module.main_model:
            return module.main_model
    raise CommandError(
        f"--fields: {field_name}:fk needs an installed module named {field_name!r} or "
        f"{field_name + 's'!r} with a main model (Module.main_model in its hooks.py)."
    )


def parse_fields(spec: str) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, _, kind = item.partition(":")
        name, kind = name.strip(), (kind.strip() or "str")
        if not NAME_PATTERN.match(name) or keyword.iskeyword(name) or name in RESERVED_FIELDS:
            raise CommandError(
                f"--fields: {name!r} is not a usable field name (lowercase identifier, not a "
                f"Python keyword, not one of {sorted(RESERVED_FIELDS)})."
            )
        if kind not in FIELD_KINDS:
            raise CommandError(
                f"--fields: {name}:{kind} has an unknown type; use one of {', '.join(FIELD_KINDS)}."
            )
        if any(existing["name"] == name for existing in fields):
            raise CommandError(f"--fields: {name!r} is given twice.")
        label = name.replace("_", " ")
        target = fk_target(name) if kind == "fk" else ""
        values = {"label": label, "target": target, "target_lower": target.lower()}
        model_code, migration_code, widget, sample, form_value = (
            template.format(**values) for template in FIELD_KINDS[kind]
        )
        fields.append(
            {
                "name": name,
                "kind": kind,
                "label": label,
                "target": target,
                "model_code": model_code,
                "migration_code": migration_code,
                "widget": widget,
                "sample": sample,
                "form_value": form_value,
            }
        )
    return fields


class Command(TemplateCommand):
    help = (
        "Create a tenant module in modules/<name>/ (model, migration, HTMX views, templates, "
        "permissions, optional API, tests) and add it to modules/installed.py."
    )
    missing_args_message = "Give the module a name: manage.py startmodule <name>."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name", help="Lowercase Python identifier, e.g. invoices")
        parser.add_argument("--label", default="", help='Shown in the sidebar: "Sales orders"')
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--roles",
            default=DEFAULT_ROLES,
            help=f"Built-in roles that get the module's permissions (default {DEFAULT_ROLES})",
        )
        group.add_argument("--owner-only", action="store_true", help="Only owners get them")
        parser.add_argument("--with-model", action="store_true", help="A model with list/CRUD")
        parser.add_argument(
            "--fields",
            default="",
            help='With --with-model: "title:str,amount:decimal,due:date,customer:fk"; types: '
            + ", ".join(FIELD_KINDS),
        )
        parser.add_argument("--model", default="", help="Model class name (default: from name)")
        parser.add_argument("--with-api", action="store_true", help="A django-ninja router")
        parser.add_argument("--dry-run", action="store_true", help="Print files, write nothing")

    # --- validation ------------------------------------------------------------------------------

    def modules_dir(self) -> Path:
        return Path(settings.BASE_DIR) / "modules"

    def validate_module_name(self, name: str) -> None:
        if not NAME_PATTERN.match(name) or not name.isidentifier():
            raise CommandError(
                f"{name!r} is not a valid module name: use a lowercase Python identifier "
                "(letters, digits, underscores, starting with a letter), e.g. invoices."
            )
        if keyword.iskeyword(name):
            raise CommandError(f"{name!r} is a Python keyword: pick another module name.")
        if name in INSTALLED_MODULES:
            raise CommandError(
                f"A module named {name!r} is already installed (modules/installed.py)."
            )
        labels = {config.label: config.name for config in apps.get_app_configs()}
        if name in labels:
            raise CommandError(
                f"{name!r} clashes with the app label of the installed app {labels[name]!r}: "
                "app labels must be unique, pick another module name."
            )
        if (self.modules_dir() / name).exists():
            raise CommandError(
                f"modules/{name}/ already exists: remove it or pick another module name."
            )

    def roles_from(self, options: dict[str, Any]) -> list[str]:
        if options["owner_only"]:
            return [OWNER]
        roles = [role.strip() for role in options["roles"].split(",") if role.strip()]
        unknown = [role for role in roles if role not in BUILT_IN_ROLES]
        if unknown or not roles:
            raise CommandError(
                f"--roles: unknown role(s) {unknown or roles}; use built-in roles from "
                f"{', '.join(BUILT_IN_ROLES)}."
            )
        return roles

    # --- the command -----------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        name = options.pop("name")
        self.validate_module_name(name)
        if options["fields"] and not options["with_model"]:
            raise CommandError("--fields describes the model: add --with-model.")
        if options["with_api"] and not options["with_model"]:
            raise CommandError("--with-api serves the model: add --with-model.")
        context = self.context_for(name, options)
        if options["dry_run"]:
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / name
                files = self.render(name, target, context, options)
                self.stdout.write(f"startmodule {name} would write (dry run, nothing written):")
                for path in files:
                    self.stdout.write(f"  modules/{name}/{path}")
                self.stdout.write(f"  modules/installed.py (adds {name!r})")
            return
        target = self.modules_dir() / name
        try:
            files = self.render(name, target, context, options)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self.install(name)
        self.format(target)
        for path in files:
            self.stdout.write(f"  created modules/{name}/{path}")
        self.stdout.write(self.style.SUCCESS(f"Module {name!r} added to modules/installed.py."))
        self.stdout.write(
            "Next: python manage.py migrate_schemas   (creates its tables in the template schema "
            "and every tenant, and grants its permissions to the roles)"
        )

    def context_for(self, name: str, options: dict[str, Any]) -> dict[str, Any]:
        label = options["label"] or name.replace("_", " ").title()
        roles = self.roles_from(options)
        with_model = bool(options["with_model"])
        fields = parse_fields(options["fields"] or "name:str") if with_model else []
        model = options["model"] or model_name_for(name)
        if not model.isidentifier() or not model[0].isupper():
            raise CommandError(f"--model: {model!r} must be a CamelCase class name.")
        model_lower = model.lower()
        if with_model:
            permissions = [
                f"{name}.{verb}_{model_lower}" for verb in ("view", "add", "change", "delete")
            ]
        else:
            permissions = [f"{name}.access_{name}"]
        denied = [role for role in (MEMBER, *BUILT_IN_ROLES) if role not in roles]
        model_verbose = re.sub(r"(?<!^)(?=[A-Z])", " ", model).lower()
        return {
            "label": label,
            "label_lower": label.lower(),
            "roles": roles,
            "first_role": roles[0],
            "denied_role": denied[0] if denied else "",
            "with_model": with_model,
            "with_api": bool(options["with_api"]),
            "fields": fields,
            "fk_names": [f["name"] for f in fields if f["kind"] == "fk"],
            "fk_apps": sorted({f["target"].split(".")[0] for f in fields if f["kind"] == "fk"}),
            "search_fields": [f["name"] for f in fields if f["kind"] in ("str", "text")],
            "display_field": next((f["name"] for f in fields if f["kind"] == "str"), ""),
            "needs_decimal": False,
            "model": model,
            "model_lower": model_lower,
            "model_verbose": model_verbose,
            "permissions": permissions,
            "permission": permissions[0],
        }

    def render(
        self, name: str, target: Path, context: dict[str, Any], options: dict[str, Any]
    ) -> list[str]:
        """Render the template into `target`; return the written paths relative to it."""
        target.mkdir(parents=True)
        super().handle(
            "app",
            name,
            str(target),
            template=str(TEMPLATE_DIR),
            extensions=["py"],
            files=[],
            verbosity=options.get("verbosity", 1),
            **context,
        )
        self.prune(target, context)
        self.fill_html(target, name, context)
        return sorted(str(path.relative_to(target)) for path in target.rglob("*") if path.is_file())

    def prune(self, target: Path, context: dict[str, Any]) -> None:
        """Drop what this variant does not use (as startapp's template would not have it)."""
        unused: list[str] = []
        if not context["with_api"]:
            unused.append("api.py")
        if context["with_model"]:
            unused.append(f"templates/{target.name}/index.html")
        else:
            unused += ["forms.py"] + [
                f"templates/{target.name}/{page}"
                for page in ("list.html", "_table.html", "form.html", "confirm_delete.html")
            ]
        for relative in unused:
            (target / relative).unlink(missing_ok=True)

    def fill_html(self, target: Path, name: str, context: dict[str, Any]) -> None:
        fields = context["fields"][:5]
        head = "".join(f'<th>{{% translate "{f["label"].capitalize()}" %}}</th>' for f in fields)
        cells = []
        for index, f in enumerate(fields):
            value = f"{{{{ row.{f['name']}|default_if_none:'' }}}}"
            if f["kind"] == "bool":
                value = f"{{{{ row.{f['name']}|yesno }}}}"
            if index == 0 and f["kind"] == "str":
                value = (
                    f"{{% if perms.{name}.change_{context['model_lower']} %}}"
                    f"<a href=\"{{% url '{name}:edit' row.pk %}}\">{value}</a>"
                    f"{{% else %}}{value}{{% endif %}}"
                )
            cells.append(f"\n      <td>{value}</td>")
        replacements = {
            "__APP__": name,
            "__LABEL__": context["label"],
            "__MODEL__": context["model_lower"],
            "__TH__": head,
            "__TD__": "".join(cells),
        }
        for path in (target / "templates").rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            for placeholder, value in replacements.items():
                text = text.replace(placeholder, value)
            path.write_text(text, encoding="utf-8")

    def install(self, name: str) -> None:
        """Append `name` to INSTALLED_MODULES in modules/installed.py."""
        path = self.modules_dir() / "installed.py"
        text = path.read_text(encoding="utf-8")
        match = re.search(r"INSTALLED_MODULES(?:: list\[str\])? = \[(.*?)\]", text, re.DOTALL)
        if match is None:
            raise CommandError(f"{path} has no INSTALLED_MODULES = [...] list to add to.")
        names = [*INSTALLED_MODULES, name]
        body = "".join(f'    "{item}",\n' for item in names)
        path.write_text(
            text[: match.start()] + f"INSTALLED_MODULES = [\n{body}]" + text[match.end() :],
            encoding="utf-8",
        )

    def format(self, target: Path) -> None:
        """Run ruff (format, then the safe fixes) over the new module, when it is installed."""
        ruff = Path(sys.executable).parent / "ruff"
        if not ruff.exists():
            return
        for command in (["check", "--fix-only", "--quiet"], ["format", "--quiet"]):
            subprocess.run(  # noqa: S603 - our own ruff on our own new files
                [str(ruff), *command, str(target)], check=False, cwd=settings.BASE_DIR
            )
