import torch
import torch.nn as nn

# region data
# Temperature (F), rainfall (mm), humidity (%) -> apples and oranges (tons), for five regions.
inputs = torch.tensor([[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70]], dtype=torch.float32)
targets = torch.tensor([[56, 70], [81, 101], [119, 133], [22, 37], [103, 119]], dtype=torch.float32)
# endregion data

# region model
torch.manual_seed(0)
model = nn.Linear(3, 2)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-5)
# endregion model

# region loop
for epoch in range(1, 501):
    loss = loss_fn(model(inputs), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 100 == 0:
        print(f'epoch {epoch}: loss {loss.item():.4f}')
# endregion loop

# region predict
with torch.no_grad():
    print(model(torch.tensor([[75, 63, 44]], dtype=torch.float32)))
# endregion predict
