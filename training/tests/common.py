"""Paths shared by the scale-out tests (made by training/tests/run.sh before unittest starts)."""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, REPO)
SCALE = os.environ.get("MEDBIND_SCALE_DIR", os.path.join(REPO, ".cache", "scale"))
PARITY = os.path.join(SCALE, "parity")
DEMO_PREPARED = os.path.join(SCALE, "demo-prepared")
TINY_CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny-config.json")
