#!/usr/bin/env python3
"""Continues training a Descent checkpoint under DistributedDataParallel (run by torchrun, gloo backend, CPU).

    torchrun --nproc_per_node=2 ddp_train.py <checkpoint.pt> <out.pt> <steps> <lr>

checkpoint.pt (written by Descent's torch.save) holds {"model": state dict of nn.Sequential(nn.Linear(3, 4),
nn.ReLU(), nn.Linear(4, 2)), "x": inputs, "y": targets}. Each rank trains on its half of the rows with full-batch
SGD on the MSE loss: with equal halves DDP's averaged gradient is the full-batch gradient, so the result is what a
single process would get. Rank 0 saves the state dict to out.pt and the losses (averaged over ranks) to out.pt.json.
"""

import json
import sys

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel


def main():
    checkpoint, out, steps, lr = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    saved = torch.load(checkpoint, weights_only=True)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    model.load_state_dict(saved["model"])
    ddp = DistributedDataParallel(model)
    n = saved["x"].shape[0]
    rows = slice(rank * n // world, (rank + 1) * n // world)
    x, y = saved["x"][rows], saved["y"][rows]
    optimizer = torch.optim.SGD(ddp.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.mse_loss(ddp(x), y)
        loss.backward()
        optimizer.step()
        total = loss.detach().clone()
        dist.all_reduce(total)
        losses.append(total.item() / world)
    if rank == 0:
        torch.save(model.state_dict(), out)
        with open(out + ".json", "w") as f:
            json.dump({"world_size": world, "losses": losses}, f)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
