import * as torch from '@descent/torch';

/** The notebook's model class: one nn.Linear, so the state dict keys are `linear.weight` and `linear.bias`. */
export class LinearRegressionModel extends torch.nn.Module {
  linear: torch.nn.Linear;

  constructor(inputDim: number, outputDim: number) {
    super();
    this.linear = new torch.nn.Linear(inputDim, outputDim);
  }

  override forward(x: torch.Tensor): torch.Tensor {
    return this.linear(x);
  }
}
