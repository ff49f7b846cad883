"""``python -m intents predict | train | eval [FILE.jsonl] | export-test`` — see ``--help``."""

import sys

from intents._cli import run

if __name__ == "__main__":
    sys.exit(run())
