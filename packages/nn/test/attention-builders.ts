// The modules tooling/fixtures/gen_nn_attention.py builds, written as a user writes them with Descent.
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import type { FixtureTensor } from './fixtures.js';
import { fromFixture } from './fixtures.js';

/** PyTorch's keyword name camelCased. */
export const camelName = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const isFixtureTensor = (v: unknown): v is FixtureTensor => typeof v === 'object' && v !== null && 'shape' in v && 'data' in v;

/** The fixture's `activation` spellings: "fn:tanh" is a function, "module:GELU" a module. */
function activation(value: unknown): unknown {
  if (value === 'fn:tanh') return F.tanh;
  if (value === 'module:GELU') return new nn.GELU();
  return value;
}

/** PyTorch's keyword arguments as the trailing options object: names camelCased, tensors and activations built. */
export function camelOptions(kwargs: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(kwargs).map(([key, value]) => [camelName(key), isFixtureTensor(value) ? fromFixture(value) : activation(value)]),
  );
}

export interface Ctor {
  args?: number[];
  kwargs?: Record<string, unknown>;
}

const LAYERS = {
  MultiheadAttention: nn.MultiheadAttention,
  TransformerEncoderLayer: nn.TransformerEncoderLayer,
  TransformerDecoderLayer: nn.TransformerDecoderLayer,
};

/** The stacks the fixture builds without arguments, as STACK_CTORS there. */
const STACKS: Record<string, () => nn.Module> = {
  TransformerEncoder: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16, 0.0), 2, { norm: new nn.LayerNorm(8) }),
  TransformerDecoder: () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, 16, 0.0, { normFirst: true }), 2, new nn.LayerNorm(8)),
  Transformer: () => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0.0 }),
};

/** `nn.<module>(*args, **kwargs)`, or the fixture's stack of that name when `ctor` is null. */
export function buildModule(module: string, ctor: Ctor | null): nn.Module {
  if (!ctor) return STACKS[module]();
  const Layer = LAYERS[module as keyof typeof LAYERS] as unknown as new (...args: unknown[]) => nn.Module;
  return new Layer(...(ctor.args ?? []), camelOptions(ctor.kwargs));
}

/** The modules of the fixture's `reprs` section, by name (REPRS there). */
export const REPR_MODULES: Record<string, () => nn.Module> = {
  mha: () => new nn.MultiheadAttention(8, 2),
  mha_kdim_no_bias: () => new nn.MultiheadAttention(8, 2, { bias: false, kdim: 3, vdim: 5 }),
  encoder_layer: () => new nn.TransformerEncoderLayer(8, 2, 16),
  encoder_layer_gelu_module: () => new nn.TransformerEncoderLayer(8, 2, 16, 0.2, new nn.GELU(), 1e-6, true, true),
  decoder_layer: () => new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.0 }),
  encoder: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16), 2, new nn.LayerNorm(8)),
  decoder: () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, 16), 1),
  transformer: () => new nn.Transformer(8, 2, 1, 1, 16),
};

/** The modules of the fixture's `init` section, by name (INITS there). */
export const INIT_MODULES: Record<string, () => nn.Module> = {
  mha: () => new nn.MultiheadAttention(8, 2),
  mha_kdim_vdim: () => new nn.MultiheadAttention(8, 2, { kdim: 3, vdim: 5 }),
  mha_bias_kv: () => new nn.MultiheadAttention(6, 3, { addBiasKv: true }),
  mha_no_bias: () => new nn.MultiheadAttention(4, 1, { bias: false }),
  encoder_layer: () => new nn.TransformerEncoderLayer(8, 2, 16),
  encoder: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16), 2, new nn.LayerNorm(8)),
  decoder_layer: () => new nn.TransformerDecoderLayer(8, 2, 16),
  decoder: () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, 16), 2),
  transformer: () => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16 }),
};

/** The tutorial's PositionalEncoding: sines and cosines of the position at geometric frequencies, then dropout. */
class PositionalEncoding extends nn.Module {
  dropout: nn.Dropout;
  declare pe: Tensor;

  constructor(dModel: number, dropout = 0.1, maxLen = 5000) {
    super();
    this.dropout = new nn.Dropout(dropout);
    const position = torch.arange(maxLen).unsqueeze(1);
    const divTerm = torch.arange(0, dModel, 2).mul(-Math.log(10000.0) / dModel).exp();
    const angle = position.mul(divTerm);
    // pe[:, 0, 0::2] = sin, pe[:, 0, 1::2] = cos: interleaved by stacking on a last dim.
    this.registerBuffer('pe', torch.stack([angle.sin(), angle.cos()], -1).reshape([maxLen, 1, dModel]));
  }

  override forward(x: Tensor): Tensor {
    return this.dropout(x.add(this.pe.narrow(0, 0, x.shape[0])));
  }
}

/** The "Language Modeling with nn.Transformer" tutorial's model. */
export class TransformerModel extends nn.Module {
  pos_encoder: PositionalEncoding;
  transformer_encoder: nn.TransformerEncoder;
  encoder: nn.Embedding;
  readonly dModel: number;
  decoder: nn.Linear;

  constructor(ntoken: number, dModel: number, nhead: number, dHid: number, nlayers: number, dropout = 0.5, maxLen = 5000) {
    super();
    this.pos_encoder = new PositionalEncoding(dModel, dropout, maxLen);
    const encoderLayers = new nn.TransformerEncoderLayer(dModel, nhead, dHid, dropout);
    this.transformer_encoder = new nn.TransformerEncoder(encoderLayers, nlayers);
    this.encoder = new nn.Embedding(ntoken, dModel);
    this.dModel = dModel;
    this.decoder = new nn.Linear(dModel, ntoken);
    nn.init.uniform_(this.encoder.weight, -0.1, 0.1);
    nn.init.zeros_(this.decoder.bias!);
    nn.init.uniform_(this.decoder.weight, -0.1, 0.1);
  }

  override forward(src: Tensor, srcMask: Tensor): Tensor {
    const x = this.pos_encoder(this.encoder(src).mul(Math.sqrt(this.dModel)));
    return this.decoder(this.transformer_encoder(x, srcMask));
  }
}
