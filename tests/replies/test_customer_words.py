"""Every sentence a customer can receive comes from the phrase bank: no sentence is written in ``bot/``'s code.

The scan reads ``bot/`` with ``ast``: a string literal (an f-string read with ``{}`` for its values) that holds Chinese
text with sentence punctuation or a placeholder (``，。！？～{``) is a sentence, or the frame of one, unless it is a
docstring, a regex (the pattern given to ``re.*``), a log line, or listed in ``ALLOWED`` below with the reason.
Words for customers go into ``replies/phrases.yaml`` (whole sentences, or ``part.*`` fragments filled in by the
renderer); a text only agents read, or one the bot only reads, goes into ``ALLOWED``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE = re.compile(r"[，。！？～{]")
_REGEX_CALLS = frozenset({"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"})
_LOG_CALLS = frozenset({"debug", "info", "warning", "error", "exception", "critical"})

#: (file, text) pairs that may stay in code, the text as the scan reads it (an f-string's values as ``{}``).
ALLOWED: dict[str, frozenset[str]] = {
    # -- read, not said: word forms built to match what the customer wrote
    "bot/conversation/intake.py": frozenset({"不{}", "不要{}"}),
    "bot/conversation/focus.py": frozenset({"{}的", "{}款", "{}生", "{}士", "老{}", "我{}"}),
    # -- buttons: the flow matches a click by its label, so the label stays beside the code that reads it
    #    (left for the issue that gives buttons ids; "贺卡写：{}" below is a note the read-back shows)
    "bot/conversation/buttons.py": frozenset({"好的，我要了", "好的，我再等等", "是的，有问题要处理", "不是，我想问别的"}),
    "bot/conversation/sales.py": frozenset({"好的，我要了"}),
    "bot/conversation/orders.py": frozenset({"要{}件"}),
    "bot/conversation/readings.py": frozenset({"换成{}"}),
    "bot/conversation/placed.py": frozenset({
        "{}（从订单{}去掉：{}）",  # agents only: the opening line of the chat handed to a person
        "改成{}",  # a button: the size offered for the order just placed
        "{}尺码改成{}",  # never sent: the change agreed to, as the order's handler reads a change
    }),
    "bot/conversation/disputes.py": frozenset({
        "好的，我再等等",
        "包裹延迟：订单 {}，客户接受优惠券并继续等待",  # agents only: the note on the dispute the bot settled
    }),
    # -- agents and the warehouse only: task notes on an order
    "bot/engine/store.py": frozenset({"【加急】顾客催发货，请优先发出", "赠品：{}"}),
    # -- customers read these, but they are in files other people own this round: to move into part.* next
    "bot/conversation/slots.py": frozenset({
        "贺卡写：{}",  # a card's words kept as the order's note, read back as {notes}
        "{}子", "{}色",  # (read, not said: a product's short names, a colour's full name)
    }),
    # -- the developer's terminal chat: its own banner and prompt around the bank's replies
    "bot/channels/terminal.py": frozenset({"{} 客服 — 输入消息回车发送，输入 /quit 退出。", "客服: {}"}),
    # -- agents only: the Telegram group's notices, the desk's and admin pages' own words
    "bot/channels/telegram/channel.py": frozenset({"有顾客转人工时，我会在这个群里通知大家。接入会话请打开客服工作台：/agent"}),
    "bot/channels/telegram/notices.py": frozenset({
        "类型：{}", "原因：{}", "🔔 新的转人工会话 #{}", "渠道：{}", "顾客说：{}", "情绪：{}",
    }),
    "bot/desk/console.py": frozenset({"{} 已接手这个会话", "没有名为 {} 的在职客服"}),
    "bot/desk/guard.py": frozenset({
        "页面已过期或登录已失效（缺少有效的安全令牌）。请重新打开页面后再试。", "此页面仅限管理员访问。",
        "页面已过期，请重新输入并登录。",
    }),
    "bot/desk/pages.py": frozenset({
        "这个网络的登录尝试太频繁了，请在 {}后再试。", "登录失败次数过多，账号已暂时锁定，请在 {} 分钟后再试。",
        "纠纷复盘：按类型汇总纠纷的数量、主要原因、补救方式和结果，并看每周趋势，找到该改进的地方。",
        "现在登录的人有点多，请稍等几秒再试。", "{} 秒", "{} 分钟", "请输入用户名和密码。",
        "密码太长了（最多 {} 个字符），请检查后重新输入。",
    }),
    "bot/admin/report.py": frozenset({
        "纠纷复盘 · {}", "纠纷复盘 · 最近 {} 天（{} 至 {}，{}）", "{}（{} 人评分）",
        '<tr><td colspan="8" class="muted">这段时间没有纠纷。</td></tr>',
        '<strong aria-current="page">最近 {} 天</strong>', '<a href="?days={}">最近 {} 天</a>',
    }),
}
#: Prefixes of long agents-only texts (an admin page's HTML head), allowed in the file named.
ALLOWED_PREFIXES: dict[str, tuple[str, ...]] = {
    "bot/admin/report.py": ('<!doctype html><html lang="zh-CN">',),
}


def sentences(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every literal in ``source`` that reads as a sentence, or a sentence's frame."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            skip.add(id(node.body[0].value))  # a docstring
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _REGEX_CALLS and getattr(node.func.value, "id", None) == "re":
                skip |= {id(sub) for arg in node.args[:1] for sub in ast.walk(arg)}  # a pattern
            elif node.func.attr in _LOG_CALLS:
                skip |= {id(sub) for arg in node.args for sub in ast.walk(arg)}  # a log line
        if isinstance(node, ast.JoinedStr):
            skip |= {id(value) for value in node.values}  # read as a whole below
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        else:
            continue
        if CJK.search(text) and SENTENCE.search(text):
            yield node.lineno, text


def found() -> dict[str, list[tuple[int, str]]]:
    return {str(path.relative_to(ROOT)): list(sentences(path.read_text(encoding="utf-8")))
            for path in sorted((ROOT / "bot").rglob("*.py"))}


def test_no_sentence_for_customers_is_written_in_code() -> None:
    unexpected = [
        f"{path}:{line}: {text!r}" for path, hits in found().items() for line, text in hits
        if text not in ALLOWED.get(path, ()) and not text.startswith(ALLOWED_PREFIXES.get(path, ("\0",)))
    ]
    assert not unexpected, "sentences in code — put them in replies/phrases.yaml (a part.* fragment if they fill a " \
        "placeholder), or list an agents-only text in ALLOWED:\n" + "\n".join(unexpected)


def test_the_allow_list_names_only_texts_still_there() -> None:
    texts = {path: {text for _, text in hits} for path, hits in found().items()}
    stale = [f"{path}: {text!r}" for path, allowed in ALLOWED.items() for text in allowed
             if text not in texts.get(path, set())]
    assert not stale, "moved or gone — take them off ALLOWED:\n" + "\n".join(stale)


def test_the_scan_sees_a_sentence_and_not_a_docstring_pattern_or_log_line() -> None:
    source = '''
"""模块说明，不是回复。"""
import re
_NO = re.compile("有没有|吗？")
log.info("顾客说：%s", text)
fee = f"含运费{fee}元"
plain = "包邮"
'''
    assert [text for _, text in sentences(source)] == ["含运费{}元"]
