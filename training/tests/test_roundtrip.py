"""Round trips between the app's weights folder and PyTorch: import -> export reproduces the shipped files bit
for bit; a folder written by training/pretrain.py loads in tfjs and `npm run eval` runs on it unchanged."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from .common import DEMO_PREPARED, REPO, TINY_CONFIG
from training.export import export_checkpoint
from training.import_weights import import_weights
from training.medbind import jsjson

SHIPPED = os.path.join(REPO, "public", "weights")


class RoundTripTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="medbind-rt-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_import_then_export_reproduces_the_shipped_files(self):
        ckpt = os.path.join(self.tmp, "imported.pt")
        manifest = import_weights(SHIPPED, ckpt)
        out = os.path.join(self.tmp, "out")
        files = export_checkpoint(ckpt, out)
        self.assertEqual(sorted(files), sorted([f["name"] for f in manifest["files"]] + ["manifest.json"]))
        for name in files:
            with open(os.path.join(SHIPPED, name), "rb") as a, open(os.path.join(out, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), f"{name} differs after import -> export")

    def test_js_number_formatting(self):
        cases = {0.07: "0.07", 1e-8: "1e-8", 4e-4: "0.0004", 1e-5: "0.00001", 1e-7: "1e-7", 256: "256", 1e21: "1e+21", 123456.5: "123456.5", -2.5e-9: "-2.5e-9", 100.0: "100"}
        for x, want in cases.items():
            self.assertEqual(jsjson.js_number(x), want, repr(x))
        self.assertEqual(jsjson.stringify({"a": [1, 2.5], "b": {"c": "é\n"}}), '{"a":[1,2.5],"b":{"c":"é\\n"}}')
        self.assertEqual(jsjson.stringify({"a": []}, 2), '{\n  "a": []\n}')

    def test_trained_weights_load_in_tfjs_and_evaluate(self):
        if not os.path.exists(os.path.join(DEMO_PREPARED, "index.json")):
            self.skipTest(f"no prepared demo data in {DEMO_PREPARED}: run training/tests/run.sh")
        out = os.path.join(self.tmp, "trained")
        env = dict(os.environ, OMP_NUM_THREADS="1")
        subprocess.run(["/usr/bin/python3", os.path.join(REPO, "training", "pretrain.py"), "--data", DEMO_PREPARED, "--steps", "2",
                        "--config", TINY_CONFIG, "--batch", "8", "--paired", "4", "--out", out, "--quiet"], check=True, env=env, cwd=REPO)
        report = os.path.join(self.tmp, "eval.json")
        subprocess.run(["node", "--import", "tsx", "tools/eval.ts", "--data", "public/demo", "--weights", out, "--repeats", "2", "--json", report],
                       check=True, cwd=REPO, stdout=subprocess.DEVNULL)
        with open(report, encoding="utf-8") as f:
            r = json.load(f)
        with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
            version = json.load(f)["version"]
        self.assertIn(version, json.dumps(r))
        ptb = r["datasets"]["ptb-xl"]
        self.assertGreater(ptb["n"], 0)
        self.assertIn("R@10", ptb["toText"])
        self.assertTrue(0 <= ptb["zeroShot"]["balancedAccuracy"] <= 1)


if __name__ == "__main__":
    unittest.main()
