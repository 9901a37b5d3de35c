"""JSON descriptions of what torch.load returned, for the Descent tests to compare with (exact values)."""

import math

import torch


def describe(value):
    """A tensor is {"__tensor__": {dtype, shape, data}} (floats as doubles: float32 values are exact); a float JSON
    cannot hold is {"__float__": "nan"|"inf"|"-inf"}; an int beyond 2**53 {"__int__": digits}; tuples and lists are
    arrays; dict keys are strings; {"__type__": name} marks dicts that are not plain (OrderedDict)."""
    if isinstance(value, torch.Tensor):
        data = value.detach()
        data = data.double() if data.is_floating_point() else data
        return {"__tensor__": {"dtype": str(value.dtype).replace("torch.", ""), "shape": list(value.shape),
                               "data": [describe(v) for v in data.flatten().tolist()]}}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else {"__int__": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"__float__": "nan"}
        if math.isinf(value):
            return {"__float__": "inf" if value > 0 else "-inf"}
        return value
    if isinstance(value, (list, tuple)):
        return [describe(v) for v in value]
    if isinstance(value, dict):
        out = {str(k): describe(v) for k, v in value.items()}
        if type(value) is not dict:
            out["__type__"] = type(value).__name__
        return out
    raise TypeError(f"cannot describe {type(value)}")
