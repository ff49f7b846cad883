"""The engine: one message in, its replies out, in one database transaction; and the services around it."""
