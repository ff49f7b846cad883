"""The conversation: pure decisions from (state, message) to (new state, actions, replies).

Nothing here does IO or imports aiohttp, telegram or SQLAlchemy (``tests/bot/test_layout.py`` checks it), so the
whole sale can be exercised without a server or a database.
"""
