"""The Kubernetes side of the tests: kmock's KubernetesEmulator served over HTTP on 127.0.0.1 (in a
background thread with its own event loop), and the official `kubernetes` client pointed at it.
kmock ignores label and field selectors: tests filter client-side (as the code does) and assert on
`emulator.requests` that the selector was sent."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest


class Emulator:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.stop = asyncio.Event()
        self.url = ""
        self.handler: Any = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._serve())

    async def _serve(self) -> None:
        from kmock import KubernetesEmulator, Server

        async with KubernetesEmulator() as handler, Server(handler) as server:
            self.handler = handler
            self.url = str(server.url).rstrip("/")
            self.stop = asyncio.Event()
            self.ready.set()
            await self.stop.wait()

    def start(self) -> Emulator:
        self.thread.start()
        assert self.ready.wait(30), "kmock did not start"
        return self

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(10)

    @property
    def requests(self) -> list[Any]:
        return list(self.handler._requests)  # every request kmock served (url, params, body)


@pytest.fixture
def kube() -> Iterator[Emulator]:
    emulator = Emulator().start()
    try:
        yield emulator
    finally:
        emulator.close()


@pytest.fixture
def api(kube):
    """An official-client ApiClient talking to the emulator."""
    from kubernetes import client

    config = client.Configuration()
    config.host = kube.url
    with client.ApiClient(config) as api_client:
        yield api_client
