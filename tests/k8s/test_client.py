"""The Kubernetes client is an optional extra: a clear error when it is missing or not configured."""

from __future__ import annotations

import sys

import yaml
from sync_kit import binding

from ingress2cfn.cli import EXIT_INVALID, main


def test_missing_client_names_the_extra(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "kubernetes", None)  # import kubernetes → ImportError
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(binding("tg")))
    assert main(["sync", "--bindings", str(tmp_path / "b.yaml")]) == EXIT_INVALID
    assert "pip install 'ingress2cfn[k8s]'" in capsys.readouterr().err


def test_no_kubeconfig_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(binding("tg")))
    assert main(["sync", "--bindings", str(tmp_path / "b.yaml")]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "no Kubernetes configuration" in err and "Traceback" not in err
