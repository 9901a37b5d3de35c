#!/usr/bin/env python3
"""PyTorch's side of packages/torch/test/pytorch-interop.test.ts. Prints one JSON object on stdout.

    interop.py load <file> <weights_only: 1|0>     what torch.load(file) returns, described (describe.py)
    interop.py forward <state.pt> <input.pt>       loads a state dict (weights_only=True) into
                                                   nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)) and
                                                   runs it on the tensor "x" of input.pt
    interop.py write <dir>                         writes checkpoints for Descent to load (see write())
    interop.py dtypes <dir>                        writes dtypes.pt (and dtypes.safetensors with the safetensors
                                                   package): a state dict with a tensor of every dtype Descent holds
    interop.py same <original> <copy>              loads both (.pt with weights_only=True, .safetensors with
                                                   safetensors.torch.load_file) and compares them: keys in order,
                                                   and per tensor dtype, shape and bytes
"""

import collections
import json
import os
import sys

import torch
import torch.nn as nn

from describe import describe


def sequential():
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def load(path, weights_only):
    value = torch.load(path, weights_only=weights_only)
    return {"torch": torch.__version__, "value": describe(value)}


def forward(state_path, input_path):
    model = sequential()
    model.load_state_dict(torch.load(state_path, weights_only=True))
    x = torch.load(input_path, weights_only=True)["x"]
    with torch.no_grad():
        return {"output": describe(model(x))}


def write(out):
    """model.pt (zip), model.pth (legacy format), pytorch_model.bin (zip, as Hugging Face names it) and, when the
    safetensors package is installed, model.safetensors: the same trained nn.Sequential state dict. input.pt holds
    "x"; everything.pt / everything.pth hold tensors of every dtype, views sharing storage, an Adam state dict and
    plain values."""
    torch.manual_seed(3)
    model = sequential()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    x = torch.randn(6, 3)
    for _ in range(3):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    state = model.state_dict()
    torch.save(state, os.path.join(out, "model.pt"))
    torch.save(state, os.path.join(out, "model.pth"), _use_new_zipfile_serialization=False)
    torch.save(state, os.path.join(out, "pytorch_model.bin"))
    files = ["model.pt", "model.pth", "pytorch_model.bin"]
    try:
        from safetensors.torch import save_file
        save_file(state, os.path.join(out, "model.safetensors"))
        files.append("model.safetensors")
    except ImportError:
        pass
    torch.save({"x": x}, os.path.join(out, "input.pt"))
    with torch.no_grad():
        output = model(x)

    grid = torch.arange(12, dtype=torch.float64).reshape(3, 4) / 7
    everything = {
        "f64": grid, "f16": grid.half(), "bf16": grid.bfloat16(), "i64": torch.tensor([[-5, 2**31 - 1]]),
        "i16": torch.tensor([-300, 300], dtype=torch.int16), "u8": torch.tensor([0, 200], dtype=torch.uint8),
        "i8": torch.tensor([-100, 100], dtype=torch.int8), "mask": torch.tensor([True, False, True]),
        "transposed": grid.t(), "corner": grid[1:, 2:], "column": grid[:, 1], "scalar": torch.tensor(3.5),
        "empty": torch.zeros(0, 2), "optimizer": opt.state_dict(), "parameters": list(model.parameters()),
        "plain": [1, -2**40, 0.25, "text", None, True, (1, 2)],
    }
    torch.save(everything, os.path.join(out, "everything.pt"))
    torch.save(everything, os.path.join(out, "everything.pth"), _use_new_zipfile_serialization=False)
    return {"torch": torch.__version__, "files": files, "state": describe(state), "input": describe(x),
            "output": describe(output), "everything": describe(everything)}


def every_dtype():
    """One tensor of each dtype Descent holds, with the values that a lossy conversion would change."""
    return collections.OrderedDict([
        ("f32", torch.tensor([[0.1, -0.0], [float("inf"), 1e-45]])),
        ("f64", torch.tensor([1.0 / 3.0, 5e-324, -1.7976931348623157e308, float("nan")], dtype=torch.float64)),
        ("i64", torch.tensor([2**63 - 1, -(2**63), 2**53 + 1, -1], dtype=torch.int64)),
        ("i32", torch.tensor([[2**31 - 1], [-(2**31)]], dtype=torch.int32)),
        ("i16", torch.tensor([-32768, 32767, 7], dtype=torch.int16)),
        ("i8", torch.tensor([-128, 127], dtype=torch.int8)),
        ("u8", torch.tensor(255, dtype=torch.uint8)),
        ("mask", torch.tensor([True, False, True])),
        ("steps", torch.zeros(0, 3, dtype=torch.int64)),
    ])


def dtypes(out):
    state = every_dtype()
    torch.save(state, os.path.join(out, "dtypes.pt"))
    files = ["dtypes.pt"]
    try:
        from safetensors.torch import save_file
        save_file(state, os.path.join(out, "dtypes.safetensors"))
        files.append("dtypes.safetensors")
    except ImportError:
        pass
    return {"torch": torch.__version__, "files": files, "state": describe(state)}


def read_state(path):
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        return load_file(path)
    return torch.load(path, weights_only=True)


def same(original_path, copy_path):
    """Whether copy holds what original holds: the same keys in order, and tensors of equal dtype, shape and bytes."""
    original, copy = read_state(original_path), read_state(copy_path)
    tensors = {}
    for key, a in original.items():
        b = copy.get(key)
        if not isinstance(b, torch.Tensor):
            tensors[key] = {"dtype": str(a.dtype), "copy": repr(type(b))}
            continue
        # bytes, so -0.0 and NaN compare exactly too
        equal = a.dtype == b.dtype and a.shape == b.shape and a.contiguous().numpy().tobytes() == b.contiguous().numpy().tobytes()
        tensors[key] = {"dtype": str(a.dtype), "copy_dtype": str(b.dtype), "shape": list(a.shape),
                        "copy_shape": list(b.shape), "same_bytes": equal}
    return {"keys": list(original.keys()), "copy_keys": list(copy.keys()), "tensors": tensors}


def main():
    command, *args = sys.argv[1:]
    if command == "load":
        result = load(args[0], args[1] == "1")
    elif command == "forward":
        result = forward(*args)
    elif command == "write":
        result = write(args[0])
    elif command == "dtypes":
        result = dtypes(args[0])
    elif command == "same":
        result = same(*args)
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(result, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
