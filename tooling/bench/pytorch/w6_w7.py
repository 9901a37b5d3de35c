"""PyTorch's side of W6 and W7 on this machine, for scale beside `pnpm bench` (not part of it: the bench needs no
Python). Run with a PyTorch that has torch (Debian's: /usr/bin/python3 after tooling/scripts/install-python-torch.sh):

    /usr/bin/python3 tooling/bench/pytorch/w6_w7.py [threads]

Same workload definitions as tooling/bench/src/workloads (uniform inputs, random classes, SGD, cross-entropy),
steps/s over the median of 5 timed epochs after one warm-up epoch.
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)


def steps_per_second(model, lr, x, y, batch):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    steps = x.shape[0] // batch

    def epoch():
        for i in range(steps):
            optimizer.zero_grad()
            F.cross_entropy(model(x[i * batch:(i + 1) * batch]), y[i * batch:(i + 1) * batch]).backward()
            optimizer.step()

    epoch()
    times = []
    for _ in range(5):
        start = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - start)
    return steps / sorted(times)[2]


torch.manual_seed(0)
w6 = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
w6_rate = steps_per_second(w6, 0.1, torch.rand(8192, 784), torch.randint(0, 10, (8192,)), 128)
w7 = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
w7_rate = steps_per_second(w7, 0.01, torch.rand(32 * 64, 1, 28, 28), torch.randint(0, 10, (32 * 64,)), 64)
print(f'PyTorch {torch.__version__}, {torch.get_num_threads()} threads: W6 {w6_rate:.0f} steps/s, W7 {w7_rate:.1f} steps/s')
