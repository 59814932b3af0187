"""AdamW with decoupled weight decay and the warmup + cosine schedule of src/model/optimizer.ts, written out
(not torch.optim) so that its update and its checkpointed state match the TypeScript trainer's."""
import math

import torch


def lr_at(step, t):
    """Learning rate at a 0-based step: linear warmup to peakLr, then cosine decay to minLrFrac * peakLr."""
    if t["warmupSteps"] > 0 and step < t["warmupSteps"]:
        return t["peakLr"] * (step + 1) / t["warmupSteps"]
    span = max(1, t["totalSteps"] - t["warmupSteps"])
    progress = min(1.0, max(0.0, (step - t["warmupSteps"]) / span))
    min_lr = t["peakLr"] * t["minLrFrac"]
    return min_lr + 0.5 * (t["peakLr"] - min_lr) * (1 + math.cos(math.pi * progress))


class AdamW:
    def __init__(self, params, decay, t):
        """params: name -> tensor; decay: name -> bool (matrices and embeddings decay); t: config.train."""
        self.params, self.decay, self.c = params, decay, t
        self.m = {k: torch.zeros_like(v) for k, v in params.items()}
        self.v = {k: torch.zeros_like(v) for k, v in params.items()}
        self.t = 0

    @torch.no_grad()
    def apply(self, grads, lr):
        self.t += 1
        b1, b2, eps, wd = self.c["beta1"], self.c["beta2"], self.c["epsilon"], self.c["weightDecay"]
        bc1, bc2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        for name, g in grads.items():
            if g is None:
                continue
            p, m, v = self.params[name], self.m[name], self.v[name]
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).add_(g * g, alpha=1 - b2)
            update = (m / bc1) / ((v / bc2).sqrt() + eps)
            if self.decay.get(name) and wd > 0:
                update = update + p * wd
            p.sub_(update * lr)

    def state_dict(self):
        return {"t": self.t, "m": self.m, "v": self.v}

    def load_state_dict(self, s):
        self.t = s["t"]
        for k in self.m:
            if k in s["m"]:
                self.m[k].copy_(s["m"][k])
                self.v[k].copy_(s["v"][k])
