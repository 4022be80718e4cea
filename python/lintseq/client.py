"""A client for ``lintseq serve``, and reward functions for RL trainers.

Only the standard library is used. Every call retries a ``429`` (the
server's queue is full) after its ``Retry-After``, up to ``retries`` times.

    from lintseq.client import Client
    client = Client("http://127.0.0.1:8080")
    client.reward(["    return 2 * x\\n"], labels=["HumanEval/0"])  # [1.0] or [0.0]

Reward functions for trainers:

- :func:`trl_reward` makes a function for ``trl.GRPOTrainer(reward_funcs=...)``;
- :func:`verl_reward` makes a ``compute_score`` for verl's
  ``custom_reward_function``;
- OpenRLHF needs no code: ``--remote_rm_url http://HOST:8080/v1/reward``.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Iterator, Mapping, Sequence

__all__ = ["Client", "ServerError", "trl_reward", "verl_reward"]


class ServerError(RuntimeError):
    """The server refused a request: ``status`` is the HTTP status and
    ``detail`` its explanation (for a 400, it names the field)."""

    def __init__(self, status: int, detail: str, field: str | None = None):
        super().__init__(f"lintseq serve answered {status}: {detail}")
        self.status = status
        self.detail = detail
        self.field = field


class Client:
    """Talks to one ``lintseq serve``.

    ``token`` is the bearer token (needed when the server listens outside
    loopback); ``timeout`` bounds each HTTP request, in seconds.
    """

    def __init__(
        self,
        url: str = "http://127.0.0.1:8080",
        *,
        token: str | None = None,
        timeout: float = 600.0,
        retries: int = 8,
    ):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries

    # -- plumbing ---------------------------------------------------------

    def _open(self, path: str, body: Any | None = None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(
                self.url + path, data=data, headers=headers, method="GET" if body is None else "POST"
            )
            try:
                return urllib.request.urlopen(request, timeout=self.timeout)
            except urllib.error.HTTPError as error:
                text = error.read().decode("utf-8", "replace")
                if error.code == 429 and attempt < self.retries:
                    time.sleep(float(error.headers.get("Retry-After") or 1))
                    continue
                try:
                    parsed = json.loads(text)
                    raise ServerError(error.code, parsed.get("detail", text), parsed.get("field")) from None
                except ValueError:
                    raise ServerError(error.code, text) from None
        raise AssertionError("unreachable")

    def _json(self, path: str, body: Any | None = None) -> Any:
        with self._open(path, body) as reply:
            return json.loads(reply.read())

    # -- endpoints --------------------------------------------------------

    def health(self) -> dict:
        """``GET /healthz``: workers, queue capacity, queued and in-flight work."""
        return self._json("/healthz")

    def run_code(
        self,
        code: str,
        language: str = "python",
        *,
        stdin: str = "",
        compile_timeout: float = 10,
        run_timeout: float = 10,
        memory_limit_mb: int | None = None,
        files: Mapping[str, bytes] | None = None,
    ) -> dict:
        """``POST /run_code`` (SandboxFusion's request and answer)."""
        body: dict[str, Any] = {
            "code": code,
            "language": language,
            "stdin": stdin,
            "compile_timeout": compile_timeout,
            "run_timeout": run_timeout,
        }
        if memory_limit_mb is not None:
            body["memory_limit_MB"] = memory_limit_mb
        if files:
            body["files"] = {name: base64.b64encode(data).decode() for name, data in files.items()}
        return self._json("/run_code", body)

    def iter_evaluate(self, items: Sequence[Mapping[str, Any]]) -> Iterator[dict]:
        """``POST /v1/evaluate``: yields ``lintseq eval`` result rows as they
        finish, each with the ``index`` of its item. An item is
        ``{"sample": {...}}`` plus ``"problem": {...}`` unless the server
        holds the sample's ``task_id`` (``lintseq serve --problems``)."""
        with self._open("/v1/evaluate", {"items": list(items)}) as reply:
            for line in reply:
                if line.strip():
                    yield json.loads(line)

    def evaluate(self, items: Sequence[Mapping[str, Any]]) -> list[dict]:
        """Like :meth:`iter_evaluate`, but waits for all and returns the rows
        in item order."""
        rows = list(self.iter_evaluate(items))
        rows.sort(key=lambda row: row["index"])
        if [row["index"] for row in rows] != list(range(len(items))):
            raise ServerError(200, f"{len(rows)} results for {len(items)} items")
        return rows

    def reward(
        self,
        queries: Sequence[str],
        labels: Sequence[Any],
        prompts: Sequence[str] | None = None,
        *,
        partial: bool = False,
    ) -> list[float]:
        """``POST /v1/reward`` (OpenRLHF's shape): one reward per query.

        A label is a ``task_id`` the server holds, a problem row (dict), or
        ``{"tests": [{"input": ..., "output": ...}], "language": "python"}``.
        ``partial`` gives the fraction of test cases passed instead of 1.0/0.0.
        """
        body: dict[str, Any] = {"query": list(queries), "labels": list(labels)}
        if prompts is not None:
            body["prompts"] = list(prompts)
        path = "/v1/reward?partial=1" if partial else "/v1/reward"
        return [float(r) for r in self._json(path, body)["rewards"]]

    # -- async variants (the blocking calls, on a thread) ------------------

    async def arun_code(self, code: str, language: str = "python", **options: Any) -> dict:
        return await asyncio.to_thread(self.run_code, code, language, **options)

    async def aevaluate(self, items: Sequence[Mapping[str, Any]]) -> list[dict]:
        return await asyncio.to_thread(self.evaluate, items)

    async def areward(
        self,
        queries: Sequence[str],
        labels: Sequence[Any],
        prompts: Sequence[str] | None = None,
        *,
        partial: bool = False,
    ) -> list[float]:
        return await asyncio.to_thread(self.reward, queries, labels, prompts, partial=partial)


def _text(completion: Any) -> str:
    """A completion as text: TRL passes strings, or chat messages."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Sequence) and completion and isinstance(completion[-1], Mapping):
        return str(completion[-1].get("content", ""))
    return str(completion)


def trl_reward(
    url: str = "http://127.0.0.1:8080",
    *,
    label_column: str = "task_id",
    partial: bool = False,
    client: Client | None = None,
) -> Callable[..., list[float]]:
    """A reward function for ``trl.GRPOTrainer(reward_funcs=[...])``.

    TRL calls it with ``prompts``, ``completions`` and the dataset's columns
    as keyword arguments; ``label_column`` names the column holding each
    row's label (a ``task_id``, a problem row, or test cases; see
    :meth:`Client.reward`). Completions are the model's answers alone, so
    no prompt is stripped.
    """
    client = client or Client(url)

    def lintseq_reward(prompts: Sequence[Any], completions: Sequence[Any], **columns: Any) -> list[float]:
        if label_column not in columns:
            raise KeyError(f"the dataset has no column {label_column!r} (label_column) to judge completions by")
        labels = [json.loads(label) if isinstance(label, str) and label.lstrip().startswith("{") else label
                  for label in columns[label_column]]
        return client.reward([_text(c) for c in completions], labels, partial=partial)

    return lintseq_reward


def verl_reward(
    url: str = "http://127.0.0.1:8080",
    *,
    partial: bool = False,
    client: Client | None = None,
) -> Callable[..., float]:
    """A ``compute_score(data_source, solution_str, ground_truth,
    extra_info=None)`` for verl's ``custom_reward_function``; the ground
    truth is the label (see :meth:`Client.reward`).

    verl loads the function by name from a file, so give it one, for
    example a ``reward.py`` holding
    ``compute_score = lintseq.client.verl_reward("http://127.0.0.1:8080")``.
    """
    client = client or Client(url)

    def compute_score(data_source: Any, solution_str: str, ground_truth: Any, extra_info: Any = None,
                      **_: Any) -> float:
        label = ground_truth
        if isinstance(label, str) and label.lstrip().startswith("{"):
            label = json.loads(label)
        return client.reward([solution_str], [label], partial=partial)[0]

    return compute_score
