import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** True data as points, predictions as a dashed line: the notebook's matplotlib figure, drawn by Vega-Lite. */
export interface FitPlotData {
  title: string;
  x: number[];
  yTrue: number[];
  yPredicted: number[];
}

/** The SVG's size in CSS pixels; the PNG is drawn at PNG_SCALE times that. */
export const PLOT_WIDTH = 800;
export const PLOT_HEIGHT = 500;
export const PNG_SCALE = 2;

const SERIES = ['True data', 'Predictions'];

function fitPlotSpec(data: FitPlotData): TopLevelSpec {
  const values = data.x.flatMap((x, i) => [
    { x, y: data.yTrue[i], series: SERIES[0] },
    { x, y: data.yPredicted[i], series: SERIES[1] },
  ]);
  // Color and shape share one legend: a green dot for the data, a blue stroke for the fit (matplotlib's 'go', '--').
  const legend = { title: null, orient: 'top-left', symbolOpacity: 0.8, symbolStrokeWidth: 2 } as const;
  const encoding = {
    x: { field: 'x', type: 'quantitative', title: 'x', axis: { tickMinStep: 1, format: 'd' } },
    y: { field: 'y', type: 'quantitative', title: 'y' },
    color: { field: 'series', type: 'nominal', scale: { domain: SERIES, range: ['#2ca02c', '#1f77b4'] }, legend },
    shape: { field: 'series', type: 'nominal', scale: { domain: SERIES, range: ['circle', 'stroke'] }, legend },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: data.title,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    padding: 12,
    data: { values },
    layer: [
      {
        transform: [{ filter: { field: 'series', equal: SERIES[0] } }],
        mark: { type: 'point', filled: true, size: 90, opacity: 0.5 },
        encoding,
      },
      {
        transform: [{ filter: { field: 'series', equal: SERIES[1] } }],
        mark: { type: 'line', strokeDash: [8, 5], strokeWidth: 2, opacity: 0.7 },
        encoding,
      },
    ],
  };
}

/** Renders the plot without a browser: Vega draws the SVG, resvg rasterizes it to PNG. */
export async function renderFitPlot(data: FitPlotData): Promise<RenderedPlot> {
  return renderSpec(fitPlotSpec(data));
}

/** Writes `<base>.svg` and `<base>.png`, creating the folder if needed. */
export async function writeFitPlot(base: string, data: FitPlotData): Promise<WrittenPlot> {
  return writePlot(base, await renderFitPlot(data));
}

export interface RenderedPlot {
  svg: string;
  png: Uint8Array;
  width: number;
  height: number;
}

export interface WrittenPlot {
  svgPath: string;
  pngPath: string;
  width: number;
  height: number;
}

/** Any Vega-Lite spec to SVG (Vega, no browser) and PNG (resvg, at PNG_SCALE). */
export async function renderSpec(spec: TopLevelSpec): Promise<RenderedPlot> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const rendered = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return { svg, png: rendered.asPng(), width: rendered.width, height: rendered.height };
}

export async function writePlot(base: string, plot: RenderedPlot): Promise<WrittenPlot> {
  const svgPath = `${base}.svg`;
  const pngPath = `${base}.png`;
  await mkdir(dirname(svgPath), { recursive: true });
  await writeFile(svgPath, plot.svg);
  await writeFile(pngPath, plot.png);
  return { svgPath, pngPath, width: plot.width, height: plot.height };
}
