import * as torch from '@descent/torch';

/**
 * gym 0.26's CartPole-v1 dynamics, the same code as fixtures/gen_examples_rl.py's CartPole (plain float64 math), so
 * the reinforcement-learning translations need no gym. Initial states come from the environment's own seeded
 * generator; observations are float32 tensors, as `torch.from_numpy(state).float()` gives.
 */
export class CartPole {
  private readonly gen: torch.Generator;
  private state: number[] = [];

  constructor(seed: number) {
    this.gen = new torch.Generator().manualSeed(seed);
  }

  reset(): torch.Tensor {
    const u = torch.rand([4], { dtype: 'float64', generator: this.gen }).tolist() as number[];
    this.state = u.map((v) => v * 0.1 - 0.05);
    return torch.tensor(this.state, { dtype: 'float32' });
  }

  step(action: number): [torch.Tensor, number, boolean] {
    let [x, xDot, theta, thetaDot] = this.state;
    const force = action === 1 ? 10.0 : -10.0;
    const [costheta, sintheta] = [Math.cos(theta), Math.sin(theta)];
    const temp = (force + 0.05 * thetaDot * thetaDot * sintheta) / 1.1;
    const thetaacc = (9.8 * sintheta - costheta * temp) / (0.5 * (4.0 / 3.0 - (0.1 * costheta * costheta) / 1.1));
    const xacc = temp - (0.05 * thetaacc * costheta) / 1.1;
    x = x + 0.02 * xDot;
    xDot = xDot + 0.02 * xacc;
    theta = theta + 0.02 * thetaDot;
    thetaDot = thetaDot + 0.02 * thetaacc;
    this.state = [x, xDot, theta, thetaDot];
    const limit = (12 * 2 * Math.PI) / 360;
    const done = x < -2.4 || x > 2.4 || theta < -limit || theta > limit;
    return [torch.tensor(this.state, { dtype: 'float32' }), 1.0, done];
  }
}
