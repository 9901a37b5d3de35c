import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader

# region data
# Input (temp, rainfall, humidity) and targets (apples, oranges) for five regions
inputs = torch.tensor([[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70]], dtype=torch.float32)
targets = torch.tensor([[56, 70], [81, 101], [119, 133], [22, 37], [103, 119]], dtype=torch.float32)
# endregion data

# region init
torch.manual_seed(42)  # the notebook draws unseeded weights; a seed makes the run repeatable
weights = torch.randn(2, 3, requires_grad=True)
biases = torch.randn(2, requires_grad=True)
print(weights)
print(biases)
# endregion init

# region model
def model(x):
    return x @ weights.t() + biases

def mse(preds, targets):
    diff = preds - targets
    return torch.sum(diff * diff) / diff.numel()
# endregion model

# region step
preds = model(inputs)
loss = mse(preds, targets)
print(loss)
loss.backward()
print(weights.grad)

with torch.no_grad():
    weights -= weights.grad * 1e-5
    biases -= biases.grad * 1e-5
    weights.grad.zero_()
    biases.grad.zero_()
print(mse(model(inputs), targets))
# endregion step

# region train
def train_model(epochs):
    global weights, biases
    for i in range(epochs):
        preds = model(inputs)
        loss = mse(preds, targets)
        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * 1e-5
            biases -= biases.grad * 1e-5
            weights.grad.zero_()
            biases.grad.zero_()

train_model(10000)
print(mse(model(inputs), targets))
# endregion train

# region builtins
# Fifteen regions: the five above, each three times with small changes.
inputs = torch.tensor([[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70],
                       [74, 66, 43], [91, 87, 65], [88, 134, 59], [101, 44, 37], [68, 96, 71],
                       [73, 66, 44], [92, 87, 64], [87, 135, 57], [103, 43, 36], [68, 97, 70]], dtype=torch.float32)
targets = torch.tensor([[56, 70], [81, 101], [119, 133], [22, 37], [103, 119],
                        [57, 69], [80, 102], [118, 132], [21, 38], [104, 118],
                        [57, 69], [82, 100], [118, 134], [20, 38], [102, 120]], dtype=torch.float32)

train_ds = TensorDataset(inputs, targets)
xs, ys = train_ds[0:3]
print(xs)
print(ys)
train_dl = DataLoader(train_ds, 5, shuffle=True)

model = nn.Linear(3, 2)
print(model.weight)
print(model.bias)
loss_fn = F.mse_loss
opt = torch.optim.SGD(model.parameters(), lr=1e-5)
# endregion builtins

# region fit
def fit(epochs, model, loss_fn, opt, train_dl):
    for epoch in range(epochs):
        for xb, yb in train_dl:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        if (epoch + 1) % 20 == 0:
            print('Epoch [{}/{}], Loss: {:.4f}'.format(epoch + 1, epochs, loss.item()))

fit(100, model, loss_fn, opt, train_dl)
print(model(torch.tensor([[75, 63, 44.]])))
# endregion fit
