"""deploy/litellm/config.yaml: the guide's models, keys from the environment, an EU model."""

from __future__ import annotations

from typing import Any

from deploy.tests.helpers import COMPOSE_PROD, DEPLOY_DIR, environment, load_yaml, services

CONFIG = DEPLOY_DIR / "litellm" / "config.yaml"


def _models() -> list[dict[str, Any]]:
    return list(load_yaml(CONFIG)["model_list"])


def test_config_lists_the_guides_models() -> None:
    names = {model["model_name"] for model in _models()}
    assert {"deepseek-chat", "deepseek-reasoner", "mistral-large", "gpt-4o"} <= names


def test_every_provider_key_comes_from_the_environment_of_the_container() -> None:
    """api_key is os.environ/NAME, and compose passes NAME to the litellm service."""
    litellm_env = environment(services(COMPOSE_PROD)["litellm"])
    for model in _models():
        key = model["litellm_params"]["api_key"]
        assert key.startswith("os.environ/"), model["model_name"]
        assert key.removeprefix("os.environ/") in litellm_env, key


def test_master_key_and_database_come_from_the_environment() -> None:
    general = load_yaml(CONFIG)["general_settings"]
    assert general["master_key"] == "os.environ/LITELLM_MASTER_KEY"
    assert general["database_url"] == "os.environ/DATABASE_URL"


def test_there_is_an_eu_model_for_data_residency_tenants() -> None:
    eu = [m["model_name"] for m in _models() if m.get("model_info", {}).get("data_region") == "eu"]
    assert "mistral-large" in eu
    for model in _models():
        info = model.get("model_info", {})
        assert info.get("data_region"), f"{model['model_name']} has no data_region"
        assert ("eu" in info.get("tags", [])) == (info["data_region"] == "eu")
