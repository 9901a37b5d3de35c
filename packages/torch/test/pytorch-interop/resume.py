#!/usr/bin/env python3
"""PyTorch's side of the "general checkpoint" tests in packages/torch/test/pytorch-interop.test.ts: a training run
saved with its optimizer (PyTorch's tutorial "Saving and loading a general checkpoint") and resumed on the other
side. Prints one JSON object on stdout.

    resume.py write <dir> <sgd|adam>    trains 3 steps, saves <dir>/<optimizer>-checkpoint.pt (epoch, model and
                                        optimizer state dicts, loss, x, y), trains 3 more; prints the final weights
    resume.py resume <checkpoint.pt> <sgd|adam>
                                        loads a checkpoint Descent wrote, restores model and optimizer with
                                        load_state_dict, trains 3 steps; prints the final weights
"""

import os
import sys
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

from describe import describe


def sequential():
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def optimizer(name, params):
    if name == "sgd":
        return torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=0.01)
    return torch.optim.Adam(params, lr=0.05, betas=(0.8, 0.95), amsgrad=True)


def train(model, opt, x, y, steps):
    for _ in range(steps):
        opt.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        opt.step()
    return loss.item()


def write(out, name):
    torch.manual_seed(5)
    model = sequential()
    opt = optimizer(name, model.parameters())
    x, y = torch.randn(6, 3), torch.randn(6, 2)
    loss = train(model, opt, x, y, 3)
    path = os.path.join(out, f"{name}-checkpoint.pt")
    torch.save({"epoch": 3, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "loss": loss, "x": x, "y": y}, path)
    train(model, opt, x, y, 3)
    return {"path": path, "final": describe(model.state_dict())}


def resume(path, name):
    checkpoint = torch.load(path, weights_only=False)  # 1.13's weights-only loader cannot read the lr (a float)
    model = sequential()
    model.load_state_dict(checkpoint["model_state_dict"])
    opt = optimizer(name, model.parameters())
    opt.load_state_dict(checkpoint["optimizer_state_dict"])
    train(model, opt, checkpoint["x"], checkpoint["y"], 3)
    return {"epoch": checkpoint["epoch"], "final": describe(model.state_dict())}


def main():
    command, *args = sys.argv[1:]
    if command == "write":
        result = write(*args)
    elif command == "resume":
        result = resume(*args)
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(result, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
