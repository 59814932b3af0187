#!/usr/bin/env bash
# Installs what training/ needs on Debian bookworm (root): python3-torch 1.13 (CPU, gloo, /usr/bin/torchrun)
# with OpenMP OpenBLAS (reference BLAS is ~25x slower; pthread OpenBLAS oversubscribes small machines),
# and mends torchrun on Python 3.11: Debian's torch 1.13 looks up its redirect setting by iterating an
# enum.Flag, which on Python 3.11 no longer yields the zero member, so every `torchrun` run fails with
# "'NoneType' object has no attribute 'get'". The one-line fix (as in later PyTorch) is applied in place.
set -euo pipefail
PY=/usr/bin/python3
if ! "$PY" -c 'import torch, numpy' 2>/dev/null || ! dpkg -s libopenblas0-openmp >/dev/null 2>&1; then
  [[ $(id -u) -eq 0 ]] || { echo "training/setup.sh: run as root to apt-get install python3-torch libopenblas0-openmp" >&2; exit 1; }
  apt-get update </dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch libopenblas0-openmp </dev/null
fi
API=$("$PY" -c 'import torch.distributed.elastic.multiprocessing.api as m; print(m.__file__)')
if "$PY" -c 'from torch.distributed.elastic.multiprocessing.api import Std; import sys; sys.exit(0 if Std.from_str("0") is None else 1)'; then
  if [[ -w "$API" ]]; then
    sed -i 's/^\(\s*\)for s in Std:$/\1for s in (Std.NONE, Std.OUT, Std.ERR, Std.ALL):/' "$API"
    echo "training/setup.sh: mended torchrun's redirect parsing for Python 3.11 in $API"
  else
    echo "training/setup.sh: torchrun on this Python needs '--redirects 1 --tee 1' (cannot write $API)" >&2
  fi
fi
"$PY" -c 'from torch.distributed.elastic.multiprocessing.api import Std; assert Std.from_str("0") == Std.NONE'
echo "training/setup.sh: $("$PY" -c 'import torch; print("torch", torch.__version__, "gloo", torch.distributed.is_gloo_available())')"
