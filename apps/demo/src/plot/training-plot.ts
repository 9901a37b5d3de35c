import type { TopLevelSpec } from 'vega-lite';
import { PLOT_HEIGHT, PLOT_WIDTH, renderSpec, writePlot, type WrittenPlot } from './fit-plot.js';

/** A training run: the loss of every step, and the test accuracy after each epoch. */
export interface TrainingCurves {
  title: string;
  stepLosses: number[];
  stepsPerEpoch: number;
  epochAccuracies: number[];
}

/** Two panels side by side: the loss per step (with epoch boundaries), and the test accuracy per epoch in percent. */
function trainingSpec(curves: TrainingCurves): TopLevelSpec {
  const losses = curves.stepLosses.map((loss, i) => ({ step: i + 1, loss }));
  const accuracies = curves.epochAccuracies.map((accuracy, i) => ({ epoch: i + 1, accuracy: 100 * accuracy }));
  const width = PLOT_WIDTH / 2 - 40;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: curves.title,
    background: 'white',
    padding: 12,
    hconcat: [
      {
        width,
        height: PLOT_HEIGHT - 80,
        title: 'training loss (cross-entropy) per step',
        data: { values: losses },
        mark: { type: 'line', strokeWidth: 1.5, color: '#1f77b4' },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: `step (${curves.stepsPerEpoch} per epoch)` },
          y: { field: 'loss', type: 'quantitative', title: 'loss' },
        },
      },
      {
        width,
        height: PLOT_HEIGHT - 80,
        title: 'test accuracy after each epoch',
        data: { values: accuracies },
        mark: { type: 'line', point: { size: 80, filled: true, color: '#2ca02c' }, strokeWidth: 2, color: '#2ca02c' },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { values: accuracies.map((a) => a.epoch), format: 'd' } },
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy (%)', scale: { zero: false } },
        },
      },
    ],
  };
}

export async function writeTrainingPlot(base: string, curves: TrainingCurves): Promise<WrittenPlot> {
  return writePlot(base, await renderSpec(trainingSpec(curves)));
}
