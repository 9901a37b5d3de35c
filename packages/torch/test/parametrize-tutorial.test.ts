import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectTensor, type FixtureTensor } from './golden-check.js';

// The official "Parametrizations Tutorial" (torch.nn.utils.parametrize) translated line by line, seeded; what each
// print shows is checked against fixtures/gen_parametrize.py run with real PyTorch 1.13.
type Printed = { text: string } | { tensor: FixtureTensor; repr: string };
const golden = loadFixture('parametrize', new URL('./fixtures/', import.meta.url)) as { tutorial: Printed[] };

const nn = torch.nn;
const parametrize = torch.nn.utils.parametrize;

describe('the Parametrizations Tutorial, translated', () => {
  it("prints what PyTorch prints, in PyTorch's order", { timeout: 120_000 }, () => {
    const printed: Printed[] = [];
    const print = (item: unknown): void => {
      if (item instanceof torch.Tensor) printed.push({ tensor: { shape: [], dtype: '', data: [] }, repr: item.toString(), actual: item.detach().clone() } as Printed);
      else printed.push({ text: String(item) });
    };
    torch.manualSeed(0);

    const symmetric = (X: torch.Tensor) => X.triu().add(X.triu(1).transpose(-1, -2));

    let X = torch.rand(3, 3);
    let A = symmetric(X);
    expect(torch.allclose(A, A.T)).toBe(true); // A is symmetric
    print(A); // Quick visual check

    class LinearSymmetric extends nn.Module {
      weight: torch.Tensor;
      constructor(nFeatures: number) {
        super();
        this.weight = new nn.Parameter(torch.rand(nFeatures, nFeatures));
      }
      override forward(x: torch.Tensor): torch.Tensor {
        const A = symmetric(this.weight);
        return x.matmul(A);
      }
    }
    const linearSymmetric = new LinearSymmetric(3);
    print(linearSymmetric(torch.rand(8, 3)));

    class Symmetric extends nn.Module {
      override forward(X: torch.Tensor): torch.Tensor {
        return X.triu().add(X.triu(1).transpose(-1, -2));
      }
    }
    let layer = new nn.Linear(3, 3);
    parametrize.registerParametrization(layer, 'weight', new Symmetric());
    A = layer.weight;
    expect(torch.allclose(A, A.T)).toBe(true);
    print(A);

    let Skew = class Skew extends nn.Module {
      override forward(X: torch.Tensor): torch.Tensor {
        const A = X.triu(1);
        return A.sub(A.transpose(-1, -2));
      }
    };
    const cnn = new nn.Conv2d(5, 8, 3);
    parametrize.registerParametrization(cnn, 'weight', new Skew());
    print(cnn.weight.index(0, 1));
    print(cnn.weight.index(2, 2));

    layer = new nn.Linear(3, 3);
    print(`Unparametrized:\n${layer}`);
    const parametrized = parametrize.registerParametrization(layer, 'weight', new Symmetric());
    print(`\nParametrized:\n${layer}`);
    print(parametrized.parametrizations);
    print(parametrized.parametrizations.get('weight'));
    const list = parametrized.parametrizations.get('weight') as torch.nn.utils.parametrize.ParametrizationList;
    print(list.original);
    const symmetricModule = new Symmetric();
    const weightOrig = list.original;
    print(torch.dist(layer.weight, symmetricModule(weightOrig)));

    class NoisyParametrization extends nn.Module {
      override forward(X: torch.Tensor): torch.Tensor {
        print('Computing the Parametrization');
        return X;
      }
    }
    layer = new nn.Linear(4, 4);
    parametrize.registerParametrization(layer, 'weight', new NoisyParametrization());
    print('Here, layer.weight is recomputed every time we call it');
    let foo = layer.weight.add(layer.weight.T);
    let bar = layer.weight.sum();
    {
      using _cache = parametrize.cached();
      print('Here, it is computed just the first time layer.weight is called');
      foo = layer.weight.add(layer.weight.T);
      bar = layer.weight.sum();
    }
    expect([foo.shape, bar.shape]).toEqual([[4, 4], []]);

    let CayleyMap = class CayleyMap extends nn.Module {
      declare Id: torch.Tensor;
      constructor(n: number) {
        super();
        this.registerBuffer('Id', torch.eye(n));
      }
      override forward(X: torch.Tensor): torch.Tensor {
        // (I + X)(I - X)^{-1}
        return torch.linalg.solve(this.Id.sub(X), this.Id.add(X));
      }
    };
    layer = new nn.Linear(3, 3);
    parametrize.registerParametrization(layer, 'weight', new Skew());
    parametrize.registerParametrization(layer, 'weight', new CayleyMap(3));
    X = layer.weight;
    print(torch.dist(X.T.matmul(X), torch.eye(3))); // X is orthogonal

    class MatrixExponential extends nn.Module {
      override forward(X: torch.Tensor): torch.Tensor {
        return torch.matrixExp(X);
      }
    }
    const layerOrthogonal = new nn.Linear(3, 3);
    parametrize.registerParametrization(layerOrthogonal, 'weight', new Skew());
    parametrize.registerParametrization(layerOrthogonal, 'weight', new MatrixExponential());
    X = layerOrthogonal.weight;
    print(torch.dist(X.T.matmul(X), torch.eye(3))); // X is orthogonal

    const layerSpd = new nn.Linear(3, 3);
    parametrize.registerParametrization(layerSpd, 'weight', new Symmetric());
    parametrize.registerParametrization(layerSpd, 'weight', new MatrixExponential());
    X = layerSpd.weight;
    print(torch.dist(X, X.T)); // X is symmetric
    print(torch.linalg.eigh(X).eigenvalues.gt(0).all()); // X is positive definite

    Skew = class Skew extends nn.Module {
      override forward(X: torch.Tensor): torch.Tensor {
        const A = X.triu(1);
        return A.sub(A.transpose(-1, -2));
      }

      rightInverse(A: torch.Tensor): torch.Tensor {
        // We assume that A is skew-symmetric; the upper-triangular elements are those the forward uses
        return A.triu(1);
      }
    };
    layer = new nn.Linear(3, 3);
    parametrize.registerParametrization(layer, 'weight', new Skew());
    X = torch.rand(3, 3);
    X = X.sub(X.T); // X is now skew-symmetric
    layer.weight = X; // Initialize layer.weight to be X
    print(torch.dist(layer.weight, X)); // layer.weight == X

    CayleyMap = class CayleyMap extends nn.Module {
      declare Id: torch.Tensor;
      constructor(n: number) {
        super();
        this.registerBuffer('Id', torch.eye(n));
      }
      override forward(X: torch.Tensor): torch.Tensor {
        return torch.linalg.solve(this.Id.sub(X), this.Id.add(X));
      }

      rightInverse(A: torch.Tensor): torch.Tensor {
        // (A + I)^{-1}(A - I), the inverse of the forward above
        return torch.linalg.solve(A.add(this.Id), A.sub(this.Id));
      }
    };
    const layerOrthogonal2 = new nn.Linear(3, 3);
    parametrize.registerParametrization(layerOrthogonal2, 'weight', new Skew());
    parametrize.registerParametrization(layerOrthogonal2, 'weight', new CayleyMap(3));
    X = torch.empty(3, 3);
    nn.init.orthogonal_(X);
    if (X.det().item() < 0) X.index(0).neg_();
    layerOrthogonal2.weight = X;
    print(torch.dist(layerOrthogonal2.weight, X)); // layer_orthogonal.weight == X

    class PruningParametrization extends nn.Module {
      mask: torch.Tensor;
      constructor(X: torch.Tensor, pDrop = 0.2) {
        super();
        // sample zeros with probability p_drop
        const mask = torch.fullLike(X, 1.0 - pDrop);
        this.mask = torch.bernoulli(mask);
      }
      override forward(X: torch.Tensor): torch.Tensor {
        return X.mul(this.mask);
      }
      rightInverse(A: torch.Tensor): torch.Tensor {
        return A;
      }
    }
    layer = new nn.Linear(3, 4);
    X = torch.randLike(layer.weight);
    print(`Initialization matrix:\n${X}`);
    parametrize.registerParametrization(layer, 'weight', new PruningParametrization(layer.weight));
    layer.weight = X;
    print(`\nInitialized weight:\n${layer.weight}`);

    for (const leaveParametrized of [true, false]) {
      layer = new nn.Linear(3, 3);
      print('Before:');
      print(layer);
      print(layer.weight);
      parametrize.registerParametrization(layer, 'weight', new Skew());
      print('\nParametrized:');
      print(layer);
      print(layer.weight);
      parametrize.removeParametrizations(layer, 'weight', { leaveParametrized });
      print(leaveParametrized ? '\nAfter. Weight has skew-symmetric values but it is unconstrained:' : '\nAfter. Same as Before:');
      print(layer);
      print(layer.weight);
    }

    expect(printed.length).toBe(golden.tutorial.length);
    golden.tutorial.forEach((want, i) => {
      const got = printed[i];
      if ('text' in want) {
        expect(got, `print ${i}`).toEqual(want);
        return;
      }
      const actual = (got as unknown as { actual: torch.Tensor }).actual;
      expect(actual, `print ${i} is a tensor`).toBeInstanceOf(torch.Tensor);
      expectTensor(actual, want.tensor, `print ${i}`, false, 1e-5);
      // A distance that is zero up to rounding prints as whatever the rounding left; the rest prints as PyTorch.
      const roundingNoise = want.tensor.shape.length === 0 && Math.abs(Number(want.tensor.data[0])) < 1e-5;
      if (!roundingNoise) expect((got as { repr: string }).repr, `print ${i}`).toBe(want.repr);
    });
  });
});
