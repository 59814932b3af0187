"""The archive embedder writes the same vectors as the app's tfjs encoders, with an index the app can import."""
import json
import os
import shutil
import tempfile
import unittest

import numpy as np

from .common import DEMO_PREPARED, PARITY, REPO
from training.embed import embed_folder


class EmbedTest(unittest.TestCase):
    def test_embeddings_match_tfjs_and_are_indexed(self):
        if not os.path.exists(os.path.join(DEMO_PREPARED, "index.json")) or not os.path.exists(os.path.join(PARITY, "fixture.json")):
            self.skipTest("run training/tests/run.sh (npm run test:scale) to make the fixtures")
        tmp = tempfile.mkdtemp(prefix="medbind-embed-")
        try:
            index = embed_folder(DEMO_PREPARED, os.path.join(REPO, "public", "weights"), tmp, batch=32, log=lambda s: None)
            with open(os.path.join(PARITY, "fixture.json"), encoding="utf-8") as f:
                fx = json.load(f)
            self.assertEqual(index["model"]["version"], fx["version"])
            by_id = {it["id"]: it for it in index["items"]}
            for modality, ids, ref in (("cxr", fx["cxrIds"], "cxr-emb.npy"), ("ecg", fx["ecgIds"], "ecg-emb.npy")):
                want = np.load(os.path.join(PARITY, ref))
                for k, item_id in enumerate(ids):
                    it = by_id[item_id]
                    self.assertEqual(it["modality"], modality)
                    self.assertTrue(it["files"], "source files are listed")
                    self.assertRegex(it.get("contentHash", ""), "^[0-9a-f]{64}$", "the app's content hash is carried")
                    got = np.load(os.path.join(tmp, index["shards"][it["shard"]]["file"]))[it["row"]]
                    self.assertLessEqual(float(np.abs(got - want[k]).max()), 1e-3, item_id)
            with open(os.path.join(tmp, "embeddings.json"), encoding="utf-8") as f:
                self.assertEqual(json.load(f)["format"], "medbind-embeddings")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
