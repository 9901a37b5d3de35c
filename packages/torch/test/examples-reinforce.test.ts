import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { CartPole } from './cartpole.js';

// pytorch/examples reinforcement_learning/reinforce.py translated line by line, as a new user would, on the CartPole
// of cartpole.ts; fixtures/gen_examples_rl.py runs the original on the same seeds with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-rl', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const F = nn.functional;
const { Categorical } = torch.distributions;
const [gamma, seed, episodes] = [0.99, 543, 6];
const eps = 1.1920928955078125e-7; // np.finfo(np.float32).eps.item()

class Policy extends nn.Module {
  affine1 = new nn.Linear(4, 128);
  dropout = new nn.Dropout(0.6);
  affine2 = new nn.Linear(128, 2);
  savedLogProbs: torch.Tensor[] = [];
  rewards: number[] = [];

  override forward(x: torch.Tensor): torch.Tensor {
    x = this.affine1(x);
    x = this.dropout(x);
    x = F.relu(x);
    const actionScores = this.affine2(x);
    return F.softmax(actionScores, 1);
  }
}

describe('pytorch/examples reinforce.py, translated', () => {
  it("samples PyTorch's actions and takes its policy-gradient steps", { timeout: 120_000 }, () => {
    const env = new CartPole(seed);
    torch.manualSeed(seed);
    const policy = new Policy();
    const optimizer = new optim.Adam(policy.parameters(), { lr: 1e-2 });

    function selectAction(state: torch.Tensor): number {
      state = state.float().unsqueeze(0); // torch.from_numpy(state).float().unsqueeze(0)
      const probs = policy(state);
      const m = new Categorical(probs);
      const action = m.sample();
      policy.savedLogProbs.push(m.logProb(action));
      return Number(action.item());
    }

    function finishEpisode(): number {
      let R = 0;
      const returns: number[] = [];
      for (const r of [...policy.rewards].reverse()) {
        R = r + gamma * R;
        returns.unshift(R); // returns.appendleft(R)
      }
      let returnsT = torch.tensor(returns);
      returnsT = returnsT.sub(returnsT.mean()).div(returnsT.std().add(eps));
      const policyLoss = policy.savedLogProbs.map((logProb, i) => logProb.neg().mul(returnsT.index(i)));
      optimizer.zeroGrad();
      const loss = torch.cat(policyLoss).sum();
      loss.backward();
      optimizer.step();
      policy.rewards.length = 0; // del policy.rewards[:]
      policy.savedLogProbs.length = 0;
      return loss.item();
    }

    let runningReward = 10;
    for (let iEpisode = 1; iEpisode <= episodes; iEpisode++) {
      let state = env.reset();
      let epReward = 0;
      const actions: number[] = [];
      for (let t = 1; t < 10000; t++) {
        const action = selectAction(state);
        actions.push(action);
        let reward: number;
        let done: boolean;
        [state, reward, done] = env.step(action);
        policy.rewards.push(reward);
        epReward += reward;
        if (done) break;
      }
      runningReward = 0.05 * epReward + (1 - 0.05) * runningReward;
      const loss = finishEpisode();
      const want = golden.reinforce.episodes[iEpisode - 1];
      expect(actions, `episode ${iEpisode} actions`).toEqual(want.actions);
      expect(epReward).toBe(want.ep_reward);
      expect(runningReward).toBeCloseTo(want.running_reward, 10);
      expect(loss, `episode ${iEpisode} loss`).toBeCloseTo(want.loss, 4);
    }
    (policy.affine2.bias!.tolist() as number[]).forEach((b, i) => expect(b).toBeCloseTo(golden.reinforce.affine2_bias[i], 4));
  });
});
