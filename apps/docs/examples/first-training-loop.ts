// Getting started: a first training loop, with nn.Linear, nn.MSELoss and optim.SGD.
import * as torch from '@descent/torch';

// #region data
// Temperature (F), rainfall (mm), humidity (%) -> apples and oranges (tons), for five regions.
const inputs = torch.tensor([[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70]], { dtype: 'float32' });
const targets = torch.tensor([[56, 70], [81, 101], [119, 133], [22, 37], [103, 119]], { dtype: 'float32' });
// #endregion data

// #region model
torch.manualSeed(0);
const model = new torch.nn.Linear(3, 2);
const lossFn = new torch.nn.MSELoss();
const optimizer = new torch.optim.SGD(model.parameters(), { lr: 1e-5 });
// #endregion model

// #region loop
for (let epoch = 1; epoch <= 500; epoch++) {
  const loss = lossFn(model(inputs), targets);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  if (epoch % 100 === 0) console.log(`epoch ${epoch}: loss ${(loss.item() as number).toFixed(4)}`);
}
// #endregion loop

// #region predict
torch.noGrad(() => console.log(model(torch.tensor([[75, 63, 44]], { dtype: 'float32' }))));
// #endregion predict
