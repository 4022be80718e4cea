"""`lintseq.client` against a running `lintseq serve`: the blocking and
async calls, and the reward functions in the loops that call them (a stub
of TRL's GRPO reward step, and of verl's custom reward manager).

Needs root and Linux namespaces (the sandbox)."""

from __future__ import annotations

import asyncio
import json

import pytest

from conftest import serving
from lintseq.client import Client, ServerError, trl_reward, verl_reward

PROBLEM = {
    "task_id": "T/0",
    "prompt": "def double(x):\n",
    "test": "def check(candidate):\n    assert candidate(2) == 4\n    assert candidate(0) == 0\n",
    "entry_point": "double",
}
CASES = {"tests": [{"input": "3\n", "output": "6"}, {"input": "1\n", "output": "3"}]}


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    problems = tmp_path_factory.mktemp("serve") / "problems.jsonl"
    problems.write_text(json.dumps(PROBLEM) + "\n")
    with serving("-j", "2", "--problems", problems) as url:
        yield url


def test_blocking_calls(url):
    client = Client(url)
    ran = client.run_code("print(input())", stdin="hi")
    assert ran["status"] == "Success" and ran["run_result"]["stdout"] == "hi\n"
    rows = client.evaluate([
        {"sample": {"task_id": "T/0", "completion": "    return 2 * x\n", "n": 0}},
        {"sample": {"task_id": "T/0", "completion": "    return x\n", "n": 1}},
    ])
    assert [row["status"] for row in rows] == ["passed", "failed"]
    assert [row["n"] for row in rows] == [0, 1]
    assert client.reward(["    return x + x\n", "    return 1\n"], ["T/0", "T/0"]) == [1.0, 0.0]
    program = "```python\nprint(2 * int(input()))\n```"
    assert client.reward([program], [CASES]) == [0.0]
    assert client.reward([program], [CASES], partial=True) == [0.5]
    with pytest.raises(ServerError) as refused:
        client.reward(["x"], ["U/1"])
    assert refused.value.status == 400 and refused.value.field == "labels[0]"


def test_async_calls_run_side_by_side(url):
    client = Client(url)

    async def main():
        return await asyncio.gather(
            client.areward(["    return 2 * x\n"] * 4, ["T/0"] * 4),
            client.aevaluate([{"sample": {"task_id": "T/0", "solution": "def double(x):\n    return 2 * x\n"}}]),
            client.arun_code("echo $((6 * 7))", "bash"),
        )

    rewards, rows, ran = asyncio.run(main())
    assert rewards == [1.0] * 4
    assert rows[0]["passed"] is True
    assert ran["run_result"]["stdout"] == "42\n"


def test_trl_reward_in_a_grpo_step(url):
    """What GRPOTrainer does with reward_funcs: call each with the prompts,
    the completions (here conversational) and the batch's other columns,
    and weigh the rewards; its name labels the logged reward."""
    reward_func = trl_reward(url, label_column="label")
    assert reward_func.__name__ == "lintseq_reward"
    batch = {
        "prompt": [[{"role": "user", "content": "Write double."}]] * 3,
        "label": ["T/0", json.dumps(PROBLEM), json.dumps(CASES)],
    }
    completions = [
        [{"role": "assistant", "content": "```python\ndef double(x):\n    return 2 * x\n```"}],
        [{"role": "assistant", "content": "```python\ndef double(x):\n    return x\n```"}],
        [{"role": "assistant", "content": "```python\nprint(2 * int(input()))\n```"}],
    ]
    columns = {key: value for key, value in batch.items() if key != "prompt"}
    rewards = reward_func(prompts=batch["prompt"], completions=completions, **columns)
    assert rewards == [1.0, 0.0, 0.0]
    partial = trl_reward(url, label_column="label", partial=True)
    assert partial(prompts=batch["prompt"], completions=completions, **columns) == [1.0, 0.0, 0.5]
    with pytest.raises(KeyError, match="label_column"):
        reward_func(prompts=[], completions=[], task=[])


def test_verl_reward_in_its_reward_manager(url):
    """verl's naive reward manager calls compute_score(data_source=...,
    solution_str=..., ground_truth=..., extra_info=...) once per response."""
    compute_score = verl_reward(url)
    batch = [
        ("lintseq", "```python\ndef double(x):\n    return 2 * x\n```", "T/0"),
        ("lintseq", "def double(x):\n    return -x\n", json.dumps(PROBLEM)),
    ]
    scores = [
        compute_score(data_source=source, solution_str=solution, ground_truth=truth, extra_info={"index": i})
        for i, (source, solution, truth) in enumerate(batch)
    ]
    assert scores == [1.0, 0.0]
