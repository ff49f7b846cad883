"""The agents' side: accounts, login sessions, the login guard, the pages, the console, presence and evidence."""
