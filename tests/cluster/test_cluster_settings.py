"""Cluster settings, checked without any Ray: the address forms, and what each deployment asks of Serve."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mynah.cluster.replicas import deployment_options
from mynah.config import ClusterSettings, DeploymentSettings, Settings


@pytest.mark.parametrize("address", ["local", "auto", "ray://head:10001", "10.0.0.5:6379"])
def test_known_addresses(address: str) -> None:
    assert ClusterSettings(address=address).address == address


@pytest.mark.parametrize("address", ["", "   "])
def test_an_empty_address_is_in_process(address: str) -> None:
    assert ClusterSettings(address=address).address is None


def test_an_unknown_address_is_refused_with_the_forms_it_takes() -> None:
    with pytest.raises(ValidationError, match="local, auto, ray://host:port"):
        ClusterSettings(address="somewhere")


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYNAH_CLUSTER__ADDRESS", "auto")
    monkeypatch.setenv("MYNAH_CLUSTER__TRANSCRIPTION__NUM_CPUS", "0.5")
    monkeypatch.setenv("MYNAH_CLUSTER__TRANSCRIPTION__MAX_REPLICAS", "12")
    cluster = Settings().cluster
    assert cluster.address == "auto"
    assert cluster.transcription.num_cpus == 0.5 and cluster.transcription.max_replicas == 12


def test_deployment_options_size_replicas_and_bound_the_autoscaler() -> None:
    options = deployment_options(
        "transcription",
        DeploymentSettings(
            num_cpus=0.25, num_gpus=0.5, min_replicas=2, max_replicas=6, target_ongoing_requests=3
        ),
    )
    assert options["name"] == "transcription"
    assert options["ray_actor_options"] == {"num_cpus": 0.25, "num_gpus": 0.5}
    assert options["autoscaling_config"] == {
        "min_replicas": 2,
        "initial_replicas": 2,
        "max_replicas": 6,
        "target_ongoing_requests": 3.0,
    }
    assert "num_gpus" not in deployment_options("speech", DeploymentSettings())["ray_actor_options"]
