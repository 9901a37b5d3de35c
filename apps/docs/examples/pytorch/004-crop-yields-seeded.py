import torch
from torch import tensor

# region data
# One row of features per sample (region): temperature, rainfall, humidity
x = tensor([[73, 67, 43],
            [91, 88, 64],
            [87, 134, 58],
            [102, 43, 37],
            [69, 96, 70]], dtype=torch.float32)

# One row per sample (region): apples, oranges
y = tensor([[56, 70],
            [81, 101],
            [119, 133],
            [22, 37],
            [103, 119]], dtype=torch.float32)
# endregion data

# region model
def model(x):
    # We matrix-multiply x by the transpose of weights and add the biases
    return x @ weights.t() + biases

def mse_loss(preds, targets):
    return ((preds - targets) ** 2).mean()
# endregion model

# region train
torch.manual_seed(1337)
weights = torch.randn(2, 3, requires_grad=True)
biases = torch.rand(2, requires_grad=True)
print(weights)
print(biases)
lr = 1e-4
for i in range(100):
    preds = model(x)
    loss = mse_loss(preds, y)
    loss.backward()
    with torch.no_grad():
        weights -= weights.grad * lr
        biases -= biases.grad * lr
        weights.grad.zero_()
        biases.grad.zero_()
    if i == 0 or (i + 1) % 20 == 0:
        print(f'epoch {i + 1:3d}  loss {loss.item():.4f}')
# endregion train

# region result
print(loss.sqrt())
print(weights)
print(biases)
# endregion result
