"""Loading the deploy files for the tests: plain YAML, no Docker engine, no network."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

DEPLOY_DIR = Path(__file__).resolve().parent.parent
ROOT = DEPLOY_DIR.parent
COMPOSE_PROD = DEPLOY_DIR / "compose.yaml"
COMPOSE_DEV = DEPLOY_DIR / "compose.dev.yaml"
COMPOSE_FILES = [COMPOSE_PROD, COMPOSE_DEV]

# ${NAME}, ${NAME:-default}, ${NAME:?message}, ... (Compose interpolation; $$ is a literal $).
INTERPOLATION = re.compile(r"(?<!\$)\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?")


def uncommented(path: Path) -> str:
    """The file without its comment lines (which may quote ${VAR:?message} as an example)."""
    lines = path.read_text().splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("#"))


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text())


def services(path: Path) -> dict[str, dict[str, Any]]:
    return dict(load_yaml(path)["services"])


def command_list(service: dict[str, Any]) -> list[str]:
    command = service.get("command", [])
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def labels(service: dict[str, Any]) -> dict[str, str]:
    """Labels as a dict, whichever of the two Compose forms the file uses."""
    raw = service.get("labels", {})
    if isinstance(raw, dict):
        return {str(k): str(v) for k, v in raw.items()}
    pairs = (str(item).split("=", 1) for item in raw)
    return dict(pairs)


def environment(service: dict[str, Any]) -> dict[str, str]:
    raw = service.get("environment", {})
    if isinstance(raw, dict):
        return {str(k): str(v) for k, v in raw.items()}
    pairs = (str(item).split("=", 1) for item in raw)
    return dict(pairs)
