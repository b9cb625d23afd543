"""List + watch of one resource kind into a cache (the official client's `watch.Watch`), relisting
when the server answers 410 Gone (the resourceVersion expired). `on_change` is called after every
event and every relist, from the informer's thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

Key = tuple[str, str]


def _key(obj: dict[str, Any]) -> Key:
    meta = obj.get("metadata") or {}
    return (str(meta.get("namespace") or ""), str(meta.get("name") or ""))


class Informer:
    def __init__(
        self,
        list_fn: Callable[..., Any],
        kind: str,
        api_version: str,
        on_change: Callable[[str], None],
        timeout_seconds: int = 60,
        on_error: Callable[[str], None] | None = None,
    ):
        self.list_fn, self.kind, self.api_version = list_fn, kind, api_version
        self.on_change = on_change
        self.on_error = on_error
        self.timeout_seconds = timeout_seconds
        self.cache: dict[Key, dict[str, Any]] = {}
        self.resource_version: str | None = None
        self.relists = 0
        self.events: list[tuple[str, Key]] = []  # what happened, for the log and the tests
        self.lock = threading.Lock()
        self.error: str | None = None
        self._watch: Any = None

    def _typed(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"kind": self.kind, "apiVersion": self.api_version, **obj}

    def relist(self) -> None:
        listed = json.loads(self.list_fn(_preload_content=False).data)
        items = {_key(o): self._typed(o) for o in listed.get("items", []) if isinstance(o, dict)}
        with self.lock:
            self.cache = items
            self.resource_version = (listed.get("metadata") or {}).get("resourceVersion")
            self.relists += 1
            self.events.append(("RELIST", ("", str(len(items)))))
        self.on_change("RELIST")

    def apply(self, event: dict[str, Any]) -> None:
        kind, obj = event.get("type"), event.get("object")
        if not isinstance(obj, dict) or kind not in ("ADDED", "MODIFIED", "DELETED", "BOOKMARK"):
            return
        key = _key(obj)
        with self.lock:
            version = (obj.get("metadata") or {}).get("resourceVersion")
            if version:
                self.resource_version = version
            if kind == "BOOKMARK":
                return
            if kind == "DELETED":
                self.cache.pop(key, None)
            else:
                self.cache[key] = self._typed(obj)
            self.events.append((str(kind), key))
        self.on_change(str(kind))

    def objects(self) -> list[dict[str, Any]]:
        with self.lock:
            return [self.cache[k] for k in sorted(self.cache)]

    def run(self, stop: threading.Event, retry_seconds: float = 5.0) -> None:
        from kubernetes import watch
        from kubernetes.client import ApiException

        while not stop.is_set():
            try:
                if self.resource_version is None:
                    self.relist()
                self._watch = watch.Watch()
                kwargs: dict[str, Any] = {"timeout_seconds": self.timeout_seconds, "deserialize": False, "allow_watch_bookmarks": True}
                if self.resource_version:
                    kwargs["resource_version"] = self.resource_version
                for event in self._watch.stream(self.list_fn, **kwargs):
                    self.apply(event)
                    if stop.is_set():
                        break
                self.error = None
            except ApiException as exc:
                if exc.status == 410:  # Gone: our resourceVersion is too old; start over from a fresh list
                    self.resource_version = None
                    continue
                self._failed(f"watching {self.kind}: {exc.status} {exc.reason}")
                stop.wait(retry_seconds)
            except Exception as exc:  # connection dropped, server restarted: list again after a pause
                self._failed(f"watching {self.kind}: {exc}")
                self.resource_version = None
                stop.wait(retry_seconds)

    def _failed(self, message: str) -> None:
        if message != self.error and self.on_error is not None:
            self.on_error(message + " (retrying)")
        self.error = message

    def stop(self) -> None:
        if self._watch is not None:
            self._watch.stop()
