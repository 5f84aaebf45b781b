import { createCanvas } from '@napi-rs/canvas';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartItem,
  type ChartOptions,
  type ChartType,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  Title,
} from 'chart.js';
import { registerChartFont } from './chart-font.ts';

export interface ChartSeries {
  label: string;
  /** One value per label, in the labels' order. */
  values: number[];
}

export interface BarChartSpec {
  title: string;
  labels: string[];
  series: ChartSeries[];
  yAxisLabel?: string;
  stacked?: boolean;
}

export interface LineChartSpec {
  title: string;
  labels: string[];
  series: ChartSeries[];
  yAxisLabel?: string;
}

/** 16:9, wide enough for six Japanese bucket labels side by side in a Slack message. */
export const CHART_SIZE = { width: 800, height: 450 } as const;

/** Okabe–Ito: told apart with any colour vision, and on white. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const TEXT = '#1F2937';
const GRID = '#E5E7EB';

/** Chart.js leaves the canvas transparent: on Slack's dark theme black text would vanish. */
const whiteBackground: Plugin<ChartType> = {
  id: 'whiteBackground',
  beforeDraw: ({ ctx, width, height }) => {
    ctx.save();
    ctx.fillStyle = '#FFFFFF';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

let ready = false;

function setUp(): void {
  if (ready) return;
  Chart.register(
    BarController,
    BarElement,
    LineController,
    LineElement,
    PointElement,
    CategoryScale,
    LinearScale,
    Legend,
    Title,
  );
  Chart.defaults.font.family = `"${registerChartFont()}"`;
  Chart.defaults.color = TEXT;
  ready = true;
}

export async function renderBarChart(spec: BarChartSpec): Promise<Buffer> {
  checkSeries(spec);
  const stacked = spec.stacked ?? false;
  return render({
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, i) => ({
        label: series.label,
        data: series.values,
        backgroundColor: colorAt(i),
        maxBarThickness: 56,
      })),
    },
    options: { ...commonOptions(spec), scales: scales(spec.yAxisLabel, stacked) },
  });
}

export async function renderLineChart(spec: LineChartSpec): Promise<Buffer> {
  checkSeries(spec);
  return render({
    type: 'line',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, i) => ({
        label: series.label,
        data: series.values,
        borderColor: colorAt(i),
        backgroundColor: colorAt(i),
        borderWidth: 3,
        pointRadius: 4,
      })),
    },
    options: { ...commonOptions(spec), scales: scales(spec.yAxisLabel, false) },
  });
}

/**
 * Each call draws on a canvas of its own, and Chart.js draws synchronously (no animation), so
 * concurrent renders share nothing but the registered font. The PNG is encoded off the main thread;
 * the chart is destroyed only after that, since destroying clears the canvas.
 */
async function render<T extends ChartType>(config: ChartConfiguration<T>): Promise<Buffer> {
  setUp();
  const canvas = createCanvas(CHART_SIZE.width, CHART_SIZE.height);
  let chart: Chart<T> | undefined;
  try {
    chart = new Chart(canvas as unknown as ChartItem, { ...config, plugins: [whiteBackground as Plugin<T>] });
    return await canvas.encode('png');
  } finally {
    chart?.destroy();
  }
}

function commonOptions(spec: { title: string; series: ChartSeries[] }): ChartOptions {
  return {
    responsive: false,
    animation: false,
    devicePixelRatio: 1,
    events: [],
    layout: { padding: { top: 8, right: 24, bottom: 8, left: 16 } },
    plugins: {
      title: { display: true, text: spec.title, font: { size: 20, weight: 'bold' }, padding: { bottom: 8 } },
      legend: {
        display: spec.series.length > 0,
        position: 'top',
        labels: { font: { size: 14 }, boxWidth: 14, boxHeight: 14 },
      },
    },
  };
}

function scales(yAxisLabel: string | undefined, stacked: boolean) {
  return {
    // `offset`: half a category of room at each end, or the outer bars (and a line's end labels) are cut off.
    x: { stacked, offset: true, grid: { display: false }, ticks: { font: { size: 14 } } },
    y: {
      stacked,
      beginAtZero: true,
      grid: { color: GRID },
      // Counts: an all-zero chart would otherwise tick 0, 0.1, 0.2 …
      ticks: { precision: 0, font: { size: 13 } },
      title: { display: yAxisLabel !== undefined, text: yAxisLabel ?? '', font: { size: 14 } },
    },
  };
}

function colorAt(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#000000';
}

/** A short series or a NaN would draw a chart that silently misleads; a caller's bug, so it throws. */
function checkSeries(spec: { labels: string[]; series: ChartSeries[] }): void {
  for (const series of spec.series) {
    if (series.values.length !== spec.labels.length) {
      throw new RangeError(
        `Series "${series.label}" has ${series.values.length} values for ${spec.labels.length} labels`,
      );
    }
    if (!series.values.every(Number.isFinite)) {
      throw new RangeError(`Series "${series.label}" has a value that is not a finite number`);
    }
  }
}
