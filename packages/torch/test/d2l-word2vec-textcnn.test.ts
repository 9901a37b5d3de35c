import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// d2l.ai 15.4/15.5 (word2vec skip-gram with negative sampling) and 16.3 (TextCNN sentiment) translated line by line;
// fixtures/gen_d2l_nlp.py runs the originals with real PyTorch 1.13.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('d2l-nlp', new URL('./fixtures/', import.meta.url));
const { nn } = torch;
type Tensor = torch.Tensor;

function expectClose(actual: Tensor | number[], expected: number[], tol = 1e-5, label = ''): void {
  const got = Array.isArray(actual) ? actual : (actual.detach().reshape(-1).tolist() as number[]);
  expect(got.length, label).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

// --- word2vec ---
type Example = [number, number[], number[]];

function batchify(data: Example[]): [Tensor, Tensor, Tensor, Tensor] {
  const max_len = Math.max(...data.map(([, c, n]) => c.length + n.length));
  const [centers, contexts_negatives, masks, labels]: number[][][] = [[], [], [], []];
  const fill = (v: number, n: number): number[] => new Array<number>(n).fill(v);
  for (const [center, context, negative] of data) {
    const cur_len = context.length + negative.length;
    centers.push([center]);
    contexts_negatives.push([...context, ...negative, ...fill(0, max_len - cur_len)]);
    masks.push([...fill(1, cur_len), ...fill(0, max_len - cur_len)]);
    labels.push([...fill(1, context.length), ...fill(0, max_len - context.length)]);
  }
  return [torch.tensor(centers.flat()).reshape([-1, 1]), torch.tensor(contexts_negatives), torch.tensor(masks), torch.tensor(labels)];
}

function skip_gram(center: Tensor, contexts_and_negatives: Tensor, embed_v: torch.nn.Module, embed_u: torch.nn.Module): Tensor {
  const v = embed_v(center) as Tensor;
  const u = embed_u(contexts_and_negatives) as Tensor;
  return torch.bmm(v, u.permute(0, 2, 1));
}

class SigmoidBCELoss extends nn.Module {
  override forward(inputs: Tensor, target: Tensor, mask: Tensor | null = null): Tensor {
    const out = nn.functional.binaryCrossEntropyWithLogits(inputs, target, { weight: mask, reduction: 'none' });
    return out.mean({ dim: 1 });
  }
}

const sigmd = (x: number): number => -Math.log(1 / (1 + Math.exp(-x)));

describe('d2l 15.4/15.5 word2vec', () => {
  it('batchifies, and masks the binary cross-entropy with an integer mask', () => {
    const x_1: Example = [1, [2, 2], [3, 3, 3, 3]];
    const x_2: Example = [1, [2, 2, 2], [3, 3]];
    const batch = batchify([x_1, x_2]);
    const names = ['centers', 'contexts_negatives', 'masks', 'labels'];
    names.forEach((name, i) => expect(String(batch[i]), name).toBe(golden.batchify[name]));
    const loss = new SigmoidBCELoss();
    const pred = torch.tensor([[1.1, -2.2, 3.3, -4.4], [1.1, -2.2, 3.3, -4.4]]);
    const label = torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]]);
    const mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]]);
    expect(String(loss(pred, label, mask).mul(mask.shape[1]).div(mask.sum({ axis: 1 })))).toBe(golden.bce_masked);
    const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;
    expect([round4((sigmd(1.1) + sigmd(2.2) + sigmd(-3.3) + sigmd(4.4)) / 4), round4((sigmd(-1.1) + sigmd(-2.2)) / 2)]).toEqual(golden.bce_hand);
  });

  it('trains the skip-gram model with Adam and finds similar tokens', () => {
    torch.manualSeed(0);
    const embed = new nn.Embedding({ numEmbeddings: 20, embeddingDim: 4 });
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(embed(x).shape).toEqual(golden.embed_shape);
    expect(skip_gram(torch.ones([2, 1], { dtype: torch.long }), torch.ones([2, 4], { dtype: torch.long }), embed, embed).shape).toEqual(golden.skip_gram_shape);
    const [vocab_size, embed_size] = [30, 8];
    const net = new nn.Sequential(new nn.Embedding({ numEmbeddings: vocab_size, embeddingDim: embed_size }),
      new nn.Embedding({ numEmbeddings: vocab_size, embeddingDim: embed_size }));
    net.apply((module) => {
      if (module.constructor === nn.Embedding) nn.init.xavierUniform_((module as torch.nn.Embedding).weight);
    });
    const optimizer = new torch.optim.Adam(net.parameters(), { lr: 0.01 });
    const data: Example[] = [];
    for (let k = 0; k < 12; k++) {
      const ctx = torch.randint(1, vocab_size, [Number(torch.randint(1, 4, [1]))]).tolist() as number[];
      const neg = torch.randint(1, vocab_size, [Number(torch.randint(1, 6, [1]))]).tolist() as number[];
      data.push([Number(torch.randint(1, vocab_size, [1])), ctx, neg]);
    }
    expect(data).toEqual(golden.w2v_data);
    const loss = new SigmoidBCELoss();
    const w2v_losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      for (let start = 0; start < 12; start += 4) {
        const [center, context_negative, mask, label] = batchify(data.slice(start, start + 4));
        optimizer.zeroGrad();
        const pred = skip_gram(center, context_negative, net[0], net[1]);
        const l = loss(pred.reshape(label.shape).float(), label.float(), mask).div(mask.sum({ axis: 1 })).mul(mask.shape[1]);
        l.sum().backward();
        optimizer.step();
        w2v_losses.push(l.sum().item());
      }
    }
    expectClose(w2v_losses, golden.w2v_losses, 1e-5, 'losses');
    const W = (net[0] as torch.nn.Embedding).weight.data;
    const xq = W.index(5);
    const cos = torch.mv(W, xq).div(torch.sqrt(torch.sum(W.mul(W), { dim: 1 }).mul(torch.sum(xq.mul(xq))).add(1e-9)));
    const topk = torch.topk(cos, { k: 4 })[1].cpu().int();
    const similar = (topk.tolist() as number[]).slice(1);
    expect(similar).toEqual(golden.similar);
    expectClose(similar.map((i) => cos.index(i).item()), golden.similar_cos, 1e-5, 'cos');
  });
});

// --- TextCNN ---
class TextCNN extends nn.Module {
  embedding: torch.nn.Embedding;
  constant_embedding: torch.nn.Embedding;
  dropout: torch.nn.Dropout;
  decoder: torch.nn.Linear;
  pool: torch.nn.AdaptiveAvgPool1d;
  relu: torch.nn.ReLU;
  convs: torch.nn.ModuleList;
  constructor(vocab_size: number, embed_size: number, kernel_sizes: number[], num_channels: number[]) {
    super();
    this.embedding = new nn.Embedding(vocab_size, embed_size);
    this.constant_embedding = new nn.Embedding(vocab_size, embed_size);
    this.dropout = new nn.Dropout(0.5);
    this.decoder = new nn.Linear(sum(num_channels), 2);
    this.pool = new nn.AdaptiveAvgPool1d(1);
    this.relu = new nn.ReLU();
    this.convs = new nn.ModuleList();
    num_channels.forEach((c, i) => this.convs.append(new nn.Conv1d(2 * embed_size, c, kernel_sizes[i])));
  }
  override forward(inputs: Tensor): Tensor {
    let embeddings = torch.cat([this.embedding(inputs), this.constant_embedding(inputs)], { dim: 2 });
    embeddings = embeddings.permute(0, 2, 1);
    const encoding = torch.cat([...this.convs].map((conv) => torch.squeeze(this.relu(this.pool(conv(embeddings) as Tensor)), { dim: -1 })), { dim: 1 });
    return this.decoder(this.dropout(encoding));
  }
}

describe('d2l 16.3 TextCNN', () => {
  it('trains with a frozen constant embedding as PyTorch', () => {
    torch.manualSeed(4);
    const [vocab_size, embed_size, kernel_sizes, nums_channels] = [25, 6, [3, 4, 5], [5, 5, 5]];
    const net = new TextCNN(vocab_size, embed_size, kernel_sizes, nums_channels);
    net.apply((module) => {
      if ([nn.Linear, nn.Conv1d].includes(module.constructor as typeof nn.Linear)) nn.init.xavierUniform_((module as torch.nn.Linear).weight);
    });
    const embeds = torch.randn(vocab_size, embed_size);
    net.embedding.weight.data.copy_(embeds);
    net.constant_embedding.weight.data.copy_(embeds);
    net.constant_embedding.weight.requiresGrad = false;
    const X = torch.randint(0, vocab_size, [8, 12]);
    const y = torch.randint(0, 2, [8]);
    const trainer = new torch.optim.Adam(net.parameters(), { lr: 0.01 });
    const loss = new nn.CrossEntropyLoss({ reduction: 'none' });
    const cnn_losses: number[] = [];
    const cnn_accs: number[] = [];
    for (let k = 0; k < 4; k++) {
      net.train();
      trainer.zeroGrad();
      const pred = net(X);
      const l = loss(pred, y);
      l.sum().backward();
      trainer.step();
      cnn_losses.push(l.sum().item());
      cnn_accs.push(pred.argmax({ axis: 1 }).eq(y).sum().item());
    }
    net.eval();
    expectClose(torch.noGrad(() => net(X.index(':3'))), golden.cnn_eval, 1e-4, 'eval');
    expectClose(cnn_losses, golden.cnn_losses, 1e-4, 'losses');
    expect(cnn_accs).toEqual(golden.cnn_accs);
    expect(torch.equal(net.constant_embedding.weight, embeds)).toBe(golden.cnn_constant_unchanged);
    expect(String(net)).toBe(golden.cnn_repr);
    const label = ['negative', 'positive'][Number(torch.argmax(net(torch.tensor([[1, 2, 3, 4, 5]])), { dim: 1 }))];
    expect(label).toBe(golden.cnn_label);
  });
});
