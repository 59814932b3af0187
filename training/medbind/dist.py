"""Data-parallel helpers: each rank encodes its rows of the global batch; embeddings are gathered from every
rank WITH gradients (the way open_clip's gather_features does: all_gather, then the rank's own slot replaced
by its local tensor), so every rank computes the loss over the global batch exactly as one process would;
summing the ranks' gradients then gives the single-process gradient."""
import os

import torch
import torch.distributed as dist


def setup():
    """Initialises the process group under torchrun (gloo on CPU, nccl on GPU); -> (rank, world, device)."""
    if "RANK" not in os.environ:
        dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        return 0, 1, dev
    use_cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if use_cuda else "gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    if use_cuda:
        local = int(os.environ.get("LOCAL_RANK", 0))
        torch.cuda.set_device(local)
        return rank, world, torch.device("cuda", local)
    return rank, world, torch.device("cpu")


def world():
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1


def rank():
    return dist.get_rank() if dist.is_available() and dist.is_initialized() else 0


def shard(rows, r, w):
    """The contiguous slice of a global list of rows that rank r encodes (equal sizes required)."""
    if len(rows) % w:
        raise ValueError(f"a global batch of {len(rows)} rows does not split over {w} ranks; pick a batch divisible by the number of processes")
    k = len(rows) // w
    return rows[r * k : (r + 1) * k]


def gather_with_grad(x):
    """[k, d] local rows -> [k * world, d] in rank order; gradients flow into this rank's rows."""
    w = world()
    if w == 1:
        return x
    parts = [torch.zeros_like(x) for _ in range(w)]
    dist.all_gather(parts, x.detach().contiguous())
    parts[rank()] = x
    return torch.cat(parts, 0)


def sum_gradients(params):
    """All-reduces (sums) every parameter's gradient over the ranks, as one flat buffer."""
    w = world()
    if w == 1:
        return
    grads = [p.grad for p in params if p.grad is not None]
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat, op=dist.ReduceOp.SUM)
    off = 0
    for g in grads:
        g.copy_(flat[off : off + g.numel()].view_as(g))
        off += g.numel()
