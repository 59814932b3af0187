#!/usr/bin/env bash
# npm run test:scale: makes the fixtures the PyTorch tests compare against with the TypeScript pipeline
# (parity embeddings and losses of demo items; the demo library exported as prepared shards), then runs
# the parity, DDP and round-trip tests with Debian's python3-torch (/usr/bin/python3, /usr/bin/torchrun).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3
if ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
  echo "test:scale needs Debian's python3-torch under $PY (apt-get install python3-torch libopenblas0-openmp)" >&2
  exit 1
fi
SCALE="${MEDBIND_SCALE_DIR:-.cache/scale}"
node --import tsx tools/scale/parity-fixtures.ts --out "$SCALE/parity" --weights public/weights
[[ -f "$SCALE/demo-prepared/index.json" && "$SCALE/demo-prepared/index.json" -nt public/weights/vocab.json ]] \
  || node --import tsx tools/export-prepared.ts --data public/demo --weights public/weights --out "$SCALE/demo-prepared"
MEDBIND_SCALE_DIR="$SCALE" OMP_NUM_THREADS=1 "$PY" -m unittest discover -s training/tests -t . -v
