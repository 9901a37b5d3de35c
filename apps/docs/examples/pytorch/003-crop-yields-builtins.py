import torch
from torch.utils.data import TensorDataset, DataLoader

# region data
# The five regions, three times over: fifteen rows
inputs = torch.tensor([[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70]] * 3, dtype=torch.float32)
targets = torch.tensor([[56, 70], [81, 101], [119, 133], [22, 37], [103, 119]] * 3, dtype=torch.float32)
print(inputs.shape, targets.shape)
# endregion data

# region model
torch.manual_seed(7)
w = torch.randn(2, 3, requires_grad=True)
b = torch.randn(2, requires_grad=True)

def model(x):
    return torch.add(torch.mm(x, w.t()), b)

def mse(t1, t2):
    diff = torch.sub(t1, t2)
    return torch.sum(torch.mul(diff, diff)) / diff.numel()
# endregion model

# region fit
train_dl = DataLoader(TensorDataset(inputs, targets), batch_size=5, shuffle=True)
opt = torch.optim.SGD([w, b], lr=1e-5)

def fit(num_epochs):
    for epoch in range(num_epochs):
        for xb, yb in train_dl:
            loss = mse(model(xb), yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        if (epoch + 1) % 20 == 0:
            print('Epoch [{}/{}], Loss: {:.4f}'.format(epoch + 1, num_epochs, loss.item()))

fit(100)
# endregion fit

# region result
preds = model(inputs[:5])
print(preds)
print(mse(model(inputs), targets).sqrt())
# endregion result
