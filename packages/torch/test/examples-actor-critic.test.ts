import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { CartPole } from './cartpole.js';

// pytorch/examples reinforcement_learning/actor_critic.py translated line by line, as a new user would, on the
// CartPole of cartpole.ts; fixtures/gen_examples_rl.py runs the original on the same seeds with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('examples-rl', new URL('./fixtures/', import.meta.url));

const { nn, optim } = torch;
const F = nn.functional;
const { Categorical } = torch.distributions;
const [gamma, seed, episodes] = [0.99, 543, 6];
const eps = 1.1920928955078125e-7; // np.finfo(np.float32).eps.item()

// SavedAction = namedtuple('SavedAction', ['log_prob', 'value'])
type SavedAction = { logProb: torch.Tensor; value: torch.Tensor };

/** implements both actor and critic in one model */
class Policy extends nn.Module {
  affine1 = new nn.Linear(4, 128);
  // actor's layer
  actionHead = new nn.Linear(128, 2);
  // critic's layer
  valueHead = new nn.Linear(128, 1);
  // action & reward buffer
  savedActions: SavedAction[] = [];
  rewards: number[] = [];

  override forward(x: torch.Tensor): [torch.Tensor, torch.Tensor] {
    x = F.relu(this.affine1(x));
    const actionProb = F.softmax(this.actionHead(x), -1);
    const stateValues = this.valueHead(x);
    return [actionProb, stateValues];
  }
}

describe('pytorch/examples actor_critic.py, translated', () => {
  it("samples PyTorch's actions and takes its actor-critic steps", { timeout: 120_000 }, () => {
    const env = new CartPole(seed);
    torch.manualSeed(seed);
    const model = new Policy();
    const optimizer = new optim.Adam(model.parameters(), { lr: 3e-2 });

    function selectAction(state: torch.Tensor): number {
      state = state.float(); // torch.from_numpy(state).float()
      const [probs, stateValue] = model(state);
      const m = new Categorical(probs);
      const action = m.sample();
      model.savedActions.push({ logProb: m.logProb(action), value: stateValue });
      return Number(action.item());
    }

    function finishEpisode(): number {
      let R = 0;
      const savedActions = model.savedActions;
      const policyLosses: torch.Tensor[] = [];
      const valueLosses: torch.Tensor[] = [];
      const returns: number[] = [];
      for (const r of [...model.rewards].reverse()) {
        R = r + gamma * R;
        returns.unshift(R); // returns.insert(0, R)
      }
      let returnsT = torch.tensor(returns);
      returnsT = returnsT.sub(returnsT.mean()).div(returnsT.std().add(eps));
      savedActions.forEach(({ logProb, value }, i) => {
        const R = returnsT.index(i);
        const advantage = R.sub(value.item());
        policyLosses.push(logProb.neg().mul(advantage));
        valueLosses.push(F.smoothL1Loss(value, torch.tensor([R])));
      });
      optimizer.zeroGrad();
      const loss = torch.stack(policyLosses).sum().add(torch.stack(valueLosses).sum());
      loss.backward();
      optimizer.step();
      model.rewards.length = 0; // del model.rewards[:]
      model.savedActions.length = 0;
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
        model.rewards.push(reward);
        epReward += reward;
        if (done) break;
      }
      runningReward = 0.05 * epReward + (1 - 0.05) * runningReward;
      const loss = finishEpisode();
      const want = golden.actor_critic.episodes[iEpisode - 1];
      expect(actions, `episode ${iEpisode} actions`).toEqual(want.actions);
      expect(epReward).toBe(want.ep_reward);
      expect(runningReward).toBeCloseTo(want.running_reward, 10);
      expect(loss, `episode ${iEpisode} loss`).toBeCloseTo(want.loss, 4);
    }
    (model.valueHead.bias!.tolist() as number[]).forEach((b, i) => expect(b).toBeCloseTo(golden.actor_critic.value_head_bias[i], 4));
  });
});
