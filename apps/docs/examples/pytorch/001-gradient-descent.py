import torch
import torch.nn as nn

# region manual
x = torch.tensor([1, 2, 3, 4], dtype=torch.float32)
y = torch.tensor([2, 4, 6, 8], dtype=torch.float32)
w = torch.tensor(0.0, requires_grad=True)

def forward(x):
    return w * x

def loss(y, y_pred):
    return ((y_pred - y) ** 2).mean()

print(f'Prediction before training: f(5) = {forward(5).item():.3f}')
learning_rate = 0.01
n_iters = 20
for epoch in range(n_iters):
    y_pred = forward(x)
    l = loss(y, y_pred)
    l.backward()               # dl/dw
    with torch.no_grad():
        w -= learning_rate * w.grad
    w.grad.zero_()
    if epoch % 2 == 0:
        print(f'epoch: {epoch + 1}: weight = {w.item():.3f}, loss = {l.item():.8f}')
print(f'Prediction after training: f(5) = {forward(5).item():.5f}')
# endregion manual

# region optimizer
w = torch.tensor(0.0, requires_grad=True)
loss = nn.MSELoss()
optimizer = torch.optim.SGD([w], lr=learning_rate)
for epoch in range(n_iters):
    l = loss(forward(x), y)
    l.backward()
    optimizer.step()
    optimizer.zero_grad()
    if epoch % 2 == 0:
        print(f'epoch: {epoch + 1}: weight = {w.item():.3f}, loss = {l.item():.8f}')
# endregion optimizer

# region linear
torch.manual_seed(0)
x = torch.tensor([[1], [2], [3], [4]], dtype=torch.float32)
y = torch.tensor([[2], [4], [6], [8]], dtype=torch.float32)
n_samples, n_features = x.shape
print(n_samples, n_features)

class LinearRegression(nn.Module):
    def __init__(self, input_dim, output_dim):
        super(LinearRegression, self).__init__()
        self.lin = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        return self.lin(x)

model = LinearRegression(n_features, n_features)
x_test = torch.tensor([5], dtype=torch.float32)
print(f'Prediction before training: f(5) = {model(x_test).item():.3f}')

optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
for epoch in range(100):
    l = loss(model(x), y)
    l.backward()
    optimizer.step()
    optimizer.zero_grad()
    if epoch % 10 == 0:
        [w, b] = model.parameters()
        print(f'epoch: {epoch + 1}: w = {w[0][0].item():.6f}, loss = {l.item():.8f}')
print(f'Prediction after training: f(5) = {model(x_test).item():.3f}')
# endregion linear
