import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// "Word Embeddings: Encoding Lexical Semantics" translated line by line: the hello/world lookup, the N-gram language
// model's losses per epoch and the CBOW exercise (its skeleton filled in); fixtures/gen_tutorial_word_embeddings.py
// runs the original (real PyTorch 1.13) with sorted vocabularies, as Python's `set` order changes per run.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('tutorial-word-embeddings', new URL('./fixtures/', import.meta.url));
const { nn, optim } = torch;
const F = torch.nn.functional;
type Tensor = torch.Tensor;

const CONTEXT_SIZE = 2;
const EMBEDDING_DIM = 10;
const words = (text: string): string[] => text.split(/\s+/).filter((w) => w !== '');
const test_sentence = words(`When forty winters shall besiege thy brow,
And dig deep trenches in thy beauty's field,
Thy youth's proud livery so gazed on now,
Will be a totter'd weed of small worth held:
Then being asked, where all thy beauty lies,
Where all the treasure of thy lusty days;
To say, within thine own deep sunken eyes,
Were an all-eating shame, and thriftless praise.
How much more praise deserv'd thy beauty's use,
If thou couldst answer 'This fair child of mine
Shall sum my count, and make my old excuse,'
Proving his beauty by succession thine!
This were to be new made when thou art old,
And see thy blood warm when thou feel'st it cold.`);
const raw_text = words(`We are about to study the idea of a computational process.
Computational processes are abstract beings that inhabit computers.
As they evolve, processes manipulate other abstract things called data.
The evolution of a process is directed by a pattern of rules
called a program. People create programs to direct processes. In effect,
we conjure the spirits of the computer with our spells.`);
const sortedVocab = (text: string[]): string[] => [...new Set(text)].sort();

class NGramLanguageModeler extends nn.Module {
  embeddings: InstanceType<typeof nn.Embedding>;
  linear1: InstanceType<typeof nn.Linear>;
  linear2: InstanceType<typeof nn.Linear>;

  constructor(vocab_size: number, embedding_dim: number, context_size: number) {
    super();
    this.embeddings = new nn.Embedding(vocab_size, embedding_dim);
    this.linear1 = new nn.Linear(context_size * embedding_dim, 128);
    this.linear2 = new nn.Linear(128, vocab_size);
  }

  override forward(inputs: Tensor): Tensor {
    const embeds = this.embeddings(inputs).view([1, -1]);
    let out = F.relu(this.linear1(embeds));
    out = this.linear2(out);
    const log_probs = F.logSoftmax(out, { dim: 1 });
    return log_probs;
  }
}

class CBOW extends nn.Module {
  embeddings: InstanceType<typeof nn.Embedding>;
  linear: InstanceType<typeof nn.Linear>;

  constructor(vocab_size: number, embedding_dim: number) {
    super();
    this.embeddings = new nn.Embedding(vocab_size, embedding_dim);
    this.linear = new nn.Linear(embedding_dim, vocab_size);
  }

  override forward(inputs: Tensor): Tensor {
    const embeds = this.embeddings(inputs).sum({ dim: 0, keepdim: true });
    return F.logSoftmax(this.linear(embeds), { dim: 1 });
  }
}

function make_context_vector(context: string[], word_to_ix: Record<string, number>): Tensor {
  const idxs = context.map((w) => word_to_ix[w]);
  return torch.tensor(idxs, { dtype: torch.long });
}

const wordIndex = (vocab: string[]): Record<string, number> => Object.fromEntries(vocab.map((word, i) => [word, i]));
const expectLosses = (losses: number[], expected: number[]) => losses.forEach((l, i) => expect(l, `epoch ${i}`).toBeCloseTo(expected[i], 3));

describe('the word embeddings tutorial, translated', () => {
  it('looks up "hello" as PyTorch prints it', () => {
    torch.manualSeed(1);
    const word_to_ix = { hello: 0, world: 1 };
    const embeds = new nn.Embedding(2, 5); // 2 words in vocab, 5 dimensional embeddings
    const lookup_tensor = torch.tensor([word_to_ix.hello], { dtype: torch.long });
    const hello_embed = embeds(lookup_tensor);
    expect(String(hello_embed)).toBe(golden.hello_embed);
  });

  it("trains the N-gram language model to PyTorch's losses per epoch", { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    new nn.Embedding(2, 5); // the hello/world lookup's draws come first in the tutorial
    const ngrams: [string[], string][] = [];
    for (let i = CONTEXT_SIZE; i < test_sentence.length; i++) {
      ngrams.push([Array.from({ length: CONTEXT_SIZE }, (_, j) => test_sentence[i - j - 1]), test_sentence[i]]);
    }
    expect(ngrams.slice(0, 3)).toEqual(golden.ngrams_head);
    const vocab = sortedVocab(test_sentence);
    const word_to_ix = wordIndex(vocab);
    const losses: number[] = [];
    const loss_function = new nn.NLLLoss();
    const model = new NGramLanguageModeler(vocab.length, EMBEDDING_DIM, CONTEXT_SIZE);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.001 });
    for (let epoch = 0; epoch < 10; epoch++) {
      let total_loss = 0;
      for (const [context, target] of ngrams) {
        const context_idxs = torch.tensor(context.map((w) => word_to_ix[w]), { dtype: torch.long });
        model.zeroGrad();
        const log_probs = model(context_idxs);
        const loss = loss_function(log_probs, torch.tensor([word_to_ix[target]], { dtype: torch.long }));
        loss.backward();
        optimizer.step();
        total_loss += loss.item();
      }
      losses.push(total_loss);
    }
    expectLosses(losses, golden.ngram_losses);
    expect(String(model.embeddings.weight.index(word_to_ix.beauty))).toBe(golden.beauty);
  });

  it("trains the CBOW exercise to PyTorch's losses per epoch", { timeout: 120_000 }, () => {
    torch.manualSeed(1);
    new nn.Embedding(2, 5);
    new NGramLanguageModeler(sortedVocab(test_sentence).length, EMBEDDING_DIM, CONTEXT_SIZE);
    const vocab = sortedVocab(raw_text);
    const vocab_size = vocab.length;
    const word_to_ix = wordIndex(vocab);
    const data: [string[], string][] = [];
    for (let i = CONTEXT_SIZE; i < raw_text.length - CONTEXT_SIZE; i++) {
      const context = [
        ...Array.from({ length: CONTEXT_SIZE }, (_, j) => raw_text[i - j - 1]),
        ...Array.from({ length: CONTEXT_SIZE }, (_, j) => raw_text[i + j + 1]),
      ];
      const target = raw_text[i];
      data.push([context, target]);
    }
    expect(data.slice(0, 5)).toEqual(golden.cbow_data_head);
    expect(String(make_context_vector(data[0][0], word_to_ix))).toBe(golden.context_vector);
    const model = new CBOW(vocab_size, EMBEDDING_DIM);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
    const cbow_losses: number[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      let total_loss = 0;
      for (const [context, target] of data) {
        model.zeroGrad();
        const log_probs = model(make_context_vector(context, word_to_ix));
        const loss = F.nllLoss(log_probs, torch.tensor([word_to_ix[target]]));
        loss.backward();
        optimizer.step();
        total_loss += loss.item();
      }
      cbow_losses.push(total_loss);
    }
    expectLosses(cbow_losses, golden.cbow_losses);
  });
});
