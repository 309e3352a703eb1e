"""loadtest/run_load.py and the Locust file, without starting a server or Locust.

The Locust file is read, not imported: importing locust monkey-patches the process with gevent,
which the Django test run must not inherit.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import pytest

from loadtest import run_load

LOCUSTFILE = Path(run_load.__file__).with_name("locustfile.py")
STATS_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def _write_stats(folder: Path) -> Path:
    prefix = folder / "locust"
    rows = [
        STATS_HEADER,
        "GET,GET /t/acme/,200,0,8,12,3,400,900,10.0,0,8,9,10,11,20,40,60,90,300,400,400",
        "POST,POST /accounts/login/,20,1,900,950,300,2000,900,1.0,0,900,950,1000,1100,1500,1800,"
        "1900,2000,2000,2000,2000",
        ",Aggregated,220,1,9,100,3,2000,900,11.0,0,9,10,11,12,30,900,1500,1900,2000,2000,2000",
    ]
    (folder / "locust_stats.csv").write_text("\n".join(rows) + "\n")
    return prefix


def test_aggregated_reads_locusts_csv(tmp_path: Path) -> None:
    total, endpoints = run_load.aggregated(_write_stats(tmp_path))
    assert total["requests"] == 220
    assert total["p95_ms"] == 900
    assert total["failure_rate"] == pytest.approx(1 / 220)
    assert [row["name"] for row in endpoints] == ["GET /t/acme/", "POST /accounts/login/"]


def test_dashboard_scenario_is_judged_on_the_dashboard_request(tmp_path: Path) -> None:
    """Its one-off logins are set-up: the thresholds apply to GET /t/acme/."""
    total, endpoints = run_load.aggregated(_write_stats(tmp_path))
    judged = run_load.measured("dashboard", total, endpoints)
    assert judged["name"] == "GET /t/acme/"
    assert all(run_load.verdict(judged).values())
    assert run_load.measured("login", total, endpoints) is total
    assert not run_load.verdict(total)["p95<300ms"]


def test_verdict_uses_the_guides_thresholds() -> None:
    base = {"requests": 100, "p95_ms": 299.0, "p99_ms": 999.0, "failure_rate": 0.009}
    assert all(run_load.verdict(base).values())
    assert not run_load.verdict({**base, "p95_ms": 300.0})["p95<300ms"]
    assert not run_load.verdict({**base, "p99_ms": 1000.0})["p99<1000ms"]
    assert not run_load.verdict({**base, "failure_rate": 0.01})["failures<1%"]


def test_run_time_and_users_are_bounded() -> None:
    assert run_load.run_seconds("20s") == 20
    assert run_load.run_seconds("2m") == 120
    for bad in ("0s", "11m", "soon"):
        with pytest.raises(argparse.ArgumentTypeError):
            run_load.run_seconds(bad)
    with pytest.raises(argparse.ArgumentTypeError):
        run_load.bounded_users(str(run_load.MAX_USERS + 1))


def test_no_command_line_option_chooses_the_target_host() -> None:
    """The runner builds http://127.0.0.1:<port> itself; there is no --host to point elsewhere."""
    with pytest.raises(SystemExit):
        run_load.parse_args(["--host", "https://example.com"])
    source = Path(run_load.__file__).read_text()
    assert 'url = f"http://127.0.0.1:{port}"' in source


def test_locust_users_see_redirects_and_refuse_remote_hosts() -> None:
    """max_redirects = 0 (Locust 2.46+ ignores allow_redirects=False) and a loopback guard."""
    tree = ast.parse(LOCUSTFILE.read_text())
    assignments = {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    max_redirects = assignments["max_redirects"]
    assert isinstance(max_redirects, ast.Constant)
    assert max_redirects.value == 0
    assert "LOOPBACK_HOSTS" in assignments
    classes = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    assert set(run_load.SCENARIOS.values()) <= classes
