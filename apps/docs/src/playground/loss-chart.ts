// The loss curve under the playground: uPlot, loaded in the browser only, redrawn now and then while points arrive
// so the curve grows without a redraw per epoch.
import type uPlot from 'uplot';

const HEIGHT = 240;
const REDRAW_MS = 100;

export class LossChart {
  private chart: uPlot | null = null;
  private readonly epochs: number[] = [];
  private readonly losses: number[] = [];
  private lastDraw = 0;
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly element: HTMLElement) {
    this.resizeObserver = new ResizeObserver(() => this.chart?.setSize({ width: this.width(), height: HEIGHT }));
    this.resizeObserver.observe(element);
  }

  private width(): number {
    return Math.max(this.element.clientWidth, 280);
  }

  clear(): void {
    this.epochs.length = 0;
    this.losses.length = 0;
    void this.draw();
  }

  add(points: readonly [number, number][]): void {
    for (const [epoch, loss] of points) {
      this.epochs.push(epoch);
      this.losses.push(loss);
    }
    if (performance.now() - this.lastDraw > REDRAW_MS) void this.draw();
  }

  async draw(): Promise<void> {
    this.lastDraw = performance.now();
    if (this.chart) {
      this.chart.setData([this.epochs, this.losses]);
      return;
    }
    if (!this.epochs.length) return;
    const { default: UPlot } = await import('uplot');
    this.chart ??= new UPlot(
      {
        width: this.width(),
        height: HEIGHT,
        scales: { x: { time: false }, y: { distr: 3 } },
        legend: { show: false },
        axes: [{ label: 'epoch' }, { label: 'loss (log scale)', size: 70 }],
        series: [{ label: 'epoch' }, { label: 'loss', stroke: '#3451b2', width: 2 }],
      },
      [this.epochs, this.losses],
      this.element,
    );
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.chart?.destroy();
  }
}
