"""Distributed data parallel equals one process: 2 CPU processes (gloo, launched by torchrun) on a global
batch give the same losses and parameters after 3 steps as one process on that batch, with the EMCL pairs
split across the ranks (6 paired rows of 8: rank 0 holds 4, rank 1 holds 2). In float64: AdamW turns the
float32 rounding noise of gradients that are zero in exact arithmetic (attention key biases) into updates
of lr size, which would hide a real difference or fake one."""
import os
import shutil
import subprocess
import tempfile
import unittest

import torch

from .common import DEMO_PREPARED, REPO, TINY_CONFIG

PRETRAIN = os.path.join(REPO, "training", "pretrain.py")
COMMON = ["--data", DEMO_PREPARED, "--steps", "3", "--config", TINY_CONFIG, "--batch", "8", "--paired", "6", "--ckpt-every", "1", "--val-every", "2", "--float64", "--quiet"]


class DdpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(os.path.join(DEMO_PREPARED, "index.json")):
            raise unittest.SkipTest(f"no prepared demo data in {DEMO_PREPARED}: run training/tests/run.sh (npm run test:scale)")
        cls.tmp = tempfile.mkdtemp(prefix="medbind-ddp-")
        env = dict(os.environ, OMP_NUM_THREADS="1")
        one, two = os.path.join(cls.tmp, "one"), os.path.join(cls.tmp, "two")
        subprocess.run(["/usr/bin/python3", PRETRAIN, *COMMON, "--out", one], check=True, env=env, cwd=REPO)
        subprocess.run(["/usr/bin/torchrun", "--standalone", "--nproc_per_node=2", PRETRAIN, *COMMON, "--out", two], check=True, env=env, cwd=REPO)
        cls.one = torch.load(os.path.join(one, "checkpoint.pt"))
        cls.two = torch.load(os.path.join(two, "checkpoint.pt"))
        cls.out_one = one

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_batch_has_pairs_on_both_ranks(self):
        self.assertEqual(self.one["step"], 3)
        self.assertGreater(self.one["curve"][0]["emcl"], 0)

    def test_same_losses(self):
        for a, b in zip(self.one["curve"], self.two["curve"]):
            for k in ("total", "tmclCxr", "tmclEcg", "emcl"):
                self.assertAlmostEqual(a[k], b[k], delta=1e-5 * max(1, abs(a[k])), msg=f"step {a['step']} {k}")
        self.assertAlmostEqual(self.one["curve"][1]["val"], self.two["curve"][1]["val"], delta=1e-5 * abs(self.one["curve"][1]["val"]))

    def test_same_parameters_after_three_steps(self):
        worst = max(float((self.one["params"][k] - self.two["params"][k]).abs().max()) for k in self.one["params"])
        self.assertLessEqual(worst, 1e-5, f"max parameter difference {worst:.2e}")
        moved = max(float((self.one["params"][k] - self.two["params"][k]).abs().max()) for k in ["text/head/w"])
        self.assertLessEqual(moved, 1e-5)

    def test_training_moved_the_parameters(self):
        from training.medbind.model import init_params

        cfg = self.one["config"]
        init = init_params(cfg, 1)
        self.assertGreater(float((init["ecg/head/w"] - self.one["params"]["ecg/head/w"]).abs().max()), 1e-4)


if __name__ == "__main__":
    unittest.main()
