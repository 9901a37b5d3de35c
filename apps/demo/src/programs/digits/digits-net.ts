import * as torch from '@descent/torch';

const { nn } = torch;
const F = nn.functional;

/** A small LeNet-style CNN, written as a PyTorch user writes one: two conv + max-pool blocks, then two linear layers. */
export class DigitsNet extends nn.Module {
  conv1 = new nn.Conv2d(1, 8, 5, { padding: 2 });
  conv2 = new nn.Conv2d(8, 16, 5);
  fc1 = new nn.Linear(16 * 5 * 5, 64);
  fc2 = new nn.Linear(64, 10);

  override forward(x: torch.Tensor): torch.Tensor {
    let h = F.maxPool2d(F.relu(this.conv1(x)), 2);
    h = F.maxPool2d(F.relu(this.conv2(h)), 2);
    h = torch.flatten(h, 1);
    return this.fc2(F.relu(this.fc1(h)));
  }
}
