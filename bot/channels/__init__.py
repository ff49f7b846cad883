"""How messages reach the engine and replies leave it: REST, the web chat, Telegram, the terminal, and the
shop's back-office APIs (warehouse, invoices)."""
