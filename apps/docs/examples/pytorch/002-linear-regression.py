import os
import tempfile
import torch
import torch.nn as nn

# region data
x_values = [i for i in range(11)]
x_train = torch.tensor(x_values, dtype=torch.float32).reshape(-1, 1)  # IMPORTANT: 2D required
y_values = [2 * i + 1 for i in x_values]
y_train = torch.tensor(y_values, dtype=torch.float32).reshape(-1, 1)
print(x_train.shape, y_train.shape)
# endregion data

# region model
class LinearRegressionModel(nn.Module):
    def __init__(self, input_dim, output_dim):
        super(LinearRegressionModel, self).__init__()
        self.linear = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        out = self.linear(x)
        return out

torch.manual_seed(0)
device = torch.device('cpu')  # or 'cuda:0' when torch.cuda.is_available()
model = LinearRegressionModel(1, 1).to(device)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
# endregion model

# region train
epochs = 100
for epoch in range(1, epochs + 1):
    inputs = x_train.to(device)
    labels = y_train.to(device)
    optimizer.zero_grad()
    outputs = model(inputs)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    if epoch <= 5 or epoch % 20 == 0:
        print('epoch {}, loss {:.8f}'.format(epoch, loss.item()))
# endregion train

# region predict
with torch.no_grad():
    predicted = model(x_train.to(device))
print(predicted.t())
# endregion predict

# region save
path = os.path.join(tempfile.mkdtemp(), 'awesome_model.pt')
torch.save(model.state_dict(), path)
restored = LinearRegressionModel(1, 1)
restored.load_state_dict(torch.load(path))
print(restored.linear.weight.item() == model.linear.weight.item())
# endregion save
