"""The agents' side: accounts, sessions, the login guard, the console, the queue, presence and evidence."""
