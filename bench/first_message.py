"""The escalation path measured through the engine: every labelled message of a split is sent as a new
customer's first message to ``POST /api/messages`` of a real server on loopback, exactly as a shop's backend
would, and the status the conversation is left in is counted.

    python -m bench.first_message [FILE.jsonl ...]     (default: the held-out and the independent split)

- complaints escalated: of the messages labelled complaint_*, the share left ``waiting_agent`` (queued for
  a person, with an apology) — the one-question check ("是订单出了问题吗？") does not count as escalated;
- asked first: complaints that got the check question instead;
- pre-sale kept: of the pre-sale questions (product_inquiry, shipping_inquiry, ask_recommendation, bargain,
  doubt, buy), the share the bot kept (``status`` still ``bot``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from pathlib import Path

import aiohttp

from bench.__main__ import serving

ROOT = Path(__file__).resolve().parent.parent
DISPUTES = ("complaint_product", "complaint_logistics", "complaint_payment", "complaint_service")
PRE_SALE = ("product_inquiry", "shipping_inquiry", "ask_recommendation", "bargain", "doubt", "buy")
CHECK = ("是订单出了问题", "遇到问题了吗", "出了什么问题需要处理")


def _split(path: Path) -> list[tuple[str, str]]:
    if path.suffix == ".jsonl":
        return [(o["text"], o["label"]) for o in map(json.loads, path.read_text("utf-8").splitlines()) if o]
    label = path.stem
    return [(line.strip(), label) for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def default_splits() -> dict[str, list[tuple[str, str]]]:
    data = ROOT / "intents" / "data"
    return {
        "held-out": [pair for path in sorted((data / "test").glob("*.txt")) for pair in _split(path)],
        "independent": [pair for path in sorted((data / "independent").glob("labelled_*.jsonl")) for pair in _split(path)],
    }


async def _first_messages(base: str, name: str, examples: list[tuple[str, str]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    misses: list[str] = []
    sem = asyncio.Semaphore(8)

    async with aiohttp.ClientSession() as http:

        async def one(i: int, text: str, label: str) -> None:
            async with sem, http.post(f"{base}/api/messages", json={"customer": f"{name}-{i}", "text": text}) as r:
                body = await r.json()
                if r.status != 200:
                    raise RuntimeError(f"{r.status}: {body}")
            asked = any(c in reply["text"] for reply in body["replies"] for c in CHECK)
            if label in DISPUTES:
                counts["disputes"] += 1
                if body["status"] == "waiting_agent":
                    counts["escalated"] += 1
                else:
                    counts["asked"] += asked
                    misses.append(f"  missed ({'asked' if asked else body['intent']}): {text}")
            elif label in PRE_SALE:
                counts["pre_sale"] += 1
                if body["status"] == "bot":
                    counts["kept"] += 1
                else:
                    misses.append(f"  pre-sale escalated ({label} → {body['intent']}): {text}")
                counts["pre_sale_asked"] += asked

        await asyncio.gather(*(one(i, text, label) for i, (text, label) in enumerate(examples)))
    if "-v" in sys.argv:
        print("\n".join(sorted(misses)))
    return counts


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a"


async def run(splits: dict[str, list[tuple[str, str]]]) -> None:
    async with serving() as (base, _process, _cold):
        for name, examples in splits.items():
            c = await _first_messages(base, name.replace(" ", "_"), examples)
            print(f"{name}: {len(examples)} first messages through POST /api/messages")
            print(f"  complaints escalated   {_ratio(c['escalated'], c['disputes'])}; asked first {c['asked']}")
            print(f"  pre-sale kept by bot   {_ratio(c['kept'], c['pre_sale'])}; asked \"是订单出了问题吗\" {c['pre_sale_asked']}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.first_message")
    parser.add_argument("files", nargs="*", type=Path, help="JSONL {text, label} files (default: built-in splits)")
    parser.add_argument("-v", action="store_true", help="list every miss")
    args = parser.parse_args()
    splits = {str(f): _split(f) for f in args.files} if args.files else default_splits()
    asyncio.run(run(splits))


if __name__ == "__main__":
    main()
