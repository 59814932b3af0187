"""The same weights give the same embeddings in tfjs (wasm) and PyTorch (CPU) for 8 real CXRs, 8 ECGs and 8
texts of the demo library, and the same batch gives the same TMCL and EMCL values in both languages and in
a float64 oracle written from the paper's equations."""
import json
import math
import os
import unittest

import numpy as np
import torch

from .common import PARITY
from training.medbind.losses import emcl, text_ids_of, tmcl
from training.medbind.model import cxr_forward, ecg_forward, pad_token_ids, text_forward
from training.medbind.weights import load_weights


def oracle_tmcl_dir(a, b, keys, tau):
    n = len(a)
    total = 0.0
    for i in range(n):
        logits = [float(np.dot(a[i], b[l])) / tau for l in range(n)]
        mx = max(logits)
        lse = mx + math.log(sum(math.exp(x - mx) for x in logits))
        pos = [p for p in range(n) if keys[p] == keys[i]]
        total += -sum(logits[p] - lse for p in pos) / len(pos)
    return total / n


def oracle_emcl(zc, ze, n, tau):
    m = len(zc)
    out = 0.0
    for a, b in ((zc, ze), (ze, zc)):
        for u in range(m):
            logits = [float(np.dot(a[u], b[q])) / tau for q in range(m)]
            mx = max(logits)
            lse = mx + math.log(sum(math.exp(x - mx) for x in logits))
            out += -(logits[u] - lse - math.log(n / m)) / m
    return out


class ParityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(os.path.join(PARITY, "fixture.json")):
            raise unittest.SkipTest(f"no parity fixtures in {PARITY}: run training/tests/run.sh (npm run test:scale)")
        with open(os.path.join(PARITY, "fixture.json"), encoding="utf-8") as f:
            cls.fx = json.load(f)
        cls.load = staticmethod(lambda name: np.load(os.path.join(PARITY, name)))
        manifest, cls.params, _, _ = load_weights(cls.fx["weights"])
        cls.config = manifest["config"]
        torch.set_num_threads(1)

    def assert_close(self, got, want, tol, what):
        diff = float(np.max(np.abs(got - want)))
        self.assertLessEqual(diff, tol, f"{what}: max |PyTorch - tfjs| = {diff:.2e} > {tol}")

    def test_cxr_embeddings(self):
        with torch.no_grad():
            got = cxr_forward(self.params, self.config, torch.from_numpy(self.load("cxr-input.npy"))).numpy()
        self.assertEqual(got.shape, (8, self.config["embedDim"]))
        self.assert_close(got, self.load("cxr-emb.npy"), 1e-3, "CXR embeddings")

    def test_ecg_embeddings(self):
        with torch.no_grad():
            got = ecg_forward(self.params, self.config, torch.from_numpy(self.load("ecg-input.npy"))).numpy()
        self.assert_close(got, self.load("ecg-emb.npy"), 1e-3, "ECG embeddings")

    def test_text_embeddings(self):
        ids = pad_token_ids(self.fx["textTokenIds"], self.config["text"]["lengthBucket"], self.config["text"]["maxTokens"])
        with torch.no_grad():
            got = text_forward(self.params, self.config, ids).numpy()
        self.assert_close(got, self.load("text-emb.npy"), 1e-3, "text embeddings")

    def test_losses_match_typescript_and_the_oracle(self):
        tau, n, m = self.config["tau"], self.fx["batchRows"], self.fx["paired"]
        zc, ze = self.load("cxr-emb.npy").astype(np.float64), self.load("ecg-emb.npy").astype(np.float64)
        tc, te = self.load("cxr-text-emb.npy").astype(np.float64), self.load("ecg-text-emb.npy").astype(np.float64)
        kc, ke = self.fx["cxrTexts"], self.fx["ecgTexts"]
        t32 = lambda a: torch.from_numpy(a.astype(np.float32))
        ours = {
            "tmclCxr": float(tmcl(t32(tc), t32(zc), text_ids_of(kc), tau)),
            "tmclEcg": float(tmcl(t32(te), t32(ze), text_ids_of(ke), tau)),
            "emcl": float(emcl(t32(zc[:m]), t32(ze[:m]), n, tau)),
        }
        oracle = {
            "tmclCxr": oracle_tmcl_dir(tc, zc, kc, tau) + oracle_tmcl_dir(zc, tc, kc, tau),
            "tmclEcg": oracle_tmcl_dir(te, ze, ke, tau) + oracle_tmcl_dir(ze, te, ke, tau),
            "emcl": oracle_emcl(zc[:m], ze[:m], n, tau),
        }
        for k, ts_value in self.fx["losses"].items():
            self.assertAlmostEqual(ours[k], oracle[k], delta=1e-5 * max(1, abs(oracle[k])), msg=f"{k}: PyTorch vs oracle")
            self.assertAlmostEqual(ts_value, oracle[k], delta=1e-5 * max(1, abs(oracle[k])), msg=f"{k}: TypeScript vs oracle")
        self.assertGreater(oracle["emcl"], 2 * math.log(n / m) - 1e-9)  # the n/m factor is in


if __name__ == "__main__":
    unittest.main()
