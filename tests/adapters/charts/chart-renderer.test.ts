import { createHash } from 'node:crypto';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { CHART_FONT_FAMILY, registerChartFont } from '../../../adapters/charts/chart-font.ts';
import {
  type BarChartSpec,
  CHART_SIZE,
  type LineChartSpec,
  renderBarChart,
  renderLineChart,
} from '../../../adapters/charts/chart-renderer.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The signature, then the IHDR chunk that PNG requires first: width and height big-endian. */
function pngHeader(png: Buffer) {
  return {
    signature: png.subarray(0, 8),
    firstChunk: png.subarray(12, 16).toString('latin1'),
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
  };
}

async function pixelsOf(png: Buffer) {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, image.width, image.height).data;
}

const firstResponse = (overrides: Partial<BarChartSpec> = {}): BarChartSpec => ({
  title: '初回返信までの時間（直近30日）',
  labels: ['5分未満', '5–60分', '1–4時間', '4–24時間', '24時間超', '未返信'],
  series: [
    { label: '営業時間内', values: [42, 31, 12, 5, 2, 3] },
    { label: '営業時間外', values: [6, 9, 14, 18, 7, 4] },
  ],
  yAxisLabel: '件数',
  ...overrides,
});

const weeklyTrend = (overrides: Partial<LineChartSpec> = {}): LineChartSpec => ({
  title: '週ごとの追客と返信（直近8週）',
  labels: ['10/6', '10/13', '10/20', '10/27', '11/3', '11/10', '11/17', '11/24'],
  series: [
    { label: '追客', values: [58, 64, 61, 70, 66, 75, 72, 80] },
    { label: '返信', values: [21, 25, 22, 30, 27, 33, 29, 36] },
  ],
  yAxisLabel: '件数',
  ...overrides,
});

describe('renderBarChart and renderLineChart', () => {
  it.each([
    ['a bar chart', () => renderBarChart(firstResponse())],
    ['a stacked bar chart', () => renderBarChart(firstResponse({ stacked: true }))],
    ['a line chart', () => renderLineChart(weeklyTrend())],
  ])('render %s as an 800x450 PNG', async (_, render) => {
    const header = pngHeader(await render());
    expect(header.signature).toEqual(PNG_SIGNATURE);
    expect(header.firstChunk).toBe('IHDR');
    expect({ width: header.width, height: header.height }).toEqual({ width: 800, height: 450 });
    expect(CHART_SIZE).toEqual({ width: 800, height: 450 });
  });

  it('paints an opaque white background, so dark-mode Slack does not show black text on black', async () => {
    const pixels = await pixelsOf(await renderBarChart(firstResponse()));
    const topLeft = [...pixels.subarray(0, 4)];
    const bottomRight = [...pixels.subarray(pixels.length - 4)];
    expect(topLeft).toEqual([255, 255, 255, 255]);
    expect(bottomRight).toEqual([255, 255, 255, 255]);
  });

  it('draws the bars of the first and the last category whole, inside the chart', async () => {
    const pixels = await pixelsOf(
      await renderBarChart(
        firstResponse({
          series: [
            { label: '営業時間内', values: [40, 0, 0, 0, 0, 0] },
            { label: '営業時間外', values: [0, 0, 0, 0, 0, 40] },
          ],
        }),
      ),
    );
    const count = (rgb: number[]) =>
      pixels.filter((_, i) => i % 4 === 0 && rgb.every((v, c) => pixels[i + c] === v)).length;
    // Okabe–Ito blue and orange, the first two series' colours; a whole bar is well over 1,000 pixels.
    expect(count([0x00, 0x72, 0xb2])).toBeGreaterThan(1000);
    expect(count([0xe6, 0x9f, 0x00])).toBeGreaterThan(1000);
  });

  it('renders all-zero and empty data without throwing, with axes and title drawn', async () => {
    const zeros = [0, 0, 0, 0, 0, 0];
    const charts = [
      await renderBarChart(
        firstResponse({
          series: [
            { label: '営業時間内', values: zeros },
            { label: '営業時間外', values: zeros },
          ],
        }),
      ),
      await renderBarChart(
        firstResponse({ stacked: true, series: [{ label: '営業時間内', values: zeros }] }),
      ),
      await renderLineChart(weeklyTrend({ series: [{ label: '追客', values: [0, 0, 0, 0, 0, 0, 0, 0] }] })),
      await renderLineChart(weeklyTrend({ labels: [], series: [] })),
    ];
    for (const png of charts) {
      expect(pngHeader(png).width).toBe(800);
      const pixels = await pixelsOf(png);
      const inked = pixels.filter((value, i) => i % 4 === 0 && value < 128).length;
      expect(inked).toBeGreaterThan(100);
    }
  });

  it('refuses a series whose values do not match the labels, or that holds a NaN', async () => {
    await expect(
      renderBarChart(firstResponse({ series: [{ label: '営業時間内', values: [1, 2] }] })),
    ).rejects.toThrow(RangeError);
    await expect(
      renderLineChart(
        weeklyTrend({ series: [{ label: '返信', values: [1, 2, 3, 4, 5, 6, 7, Number.NaN] }] }),
      ),
    ).rejects.toThrow(/not a finite number/);
  });

  it('renders concurrent calls independently: each equals the same chart rendered alone', async () => {
    const alone = await renderBarChart(firstResponse());
    const together = await Promise.all([
      renderBarChart(firstResponse()),
      renderLineChart(weeklyTrend()),
      renderBarChart(firstResponse()),
      renderLineChart(weeklyTrend()),
    ]);
    expect(together[0]).toEqual(alone);
    expect(together[2]).toEqual(alone);
    expect(together[1]).toEqual(together[3]);
  });
});

describe('Japanese text', () => {
  const characters = [...'営業時間内外未返信追客'];

  function glyph(character: string, family: string) {
    const canvas = createCanvas(64, 64);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#FFFFFF';
    ctx.fillRect(0, 0, 64, 64);
    ctx.fillStyle = '#000000';
    ctx.textBaseline = 'top';
    ctx.font = `48px "${family}"`;
    ctx.fillText(character, 8, 8);
    const red = ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 0);
    return { hash: createHash('sha256').update(red).digest('hex'), ink: red.filter((v) => v < 128).length };
  }

  it('registers Noto Sans JP, Regular and Bold, from the npm package', () => {
    expect(registerChartFont()).toBe(CHART_FONT_FAMILY);
    const family = GlobalFonts.families.find((f) => f.family === CHART_FONT_FAMILY);
    expect(family?.styles.map((s) => s.weight).sort()).toEqual(expect.arrayContaining([400, 700]));
  });

  it('draws each character as its own glyph, not the one box a missing glyph gets', () => {
    const family = registerChartFont();
    const glyphs = characters.map((c) => glyph(c, family));
    for (const g of glyphs) expect(g.ink).toBeGreaterThan(100);
    expect(new Set(glyphs.map((g) => g.hash)).size).toBe(characters.length);
  });

  it('draws them with the registered font, not whatever CJK font the machine falls back to', () => {
    // A machine with a system CJK font (fonts-noto-cjk comes with Debian's chromium) would pass the
    // test above without our font; a family that is not installed shows what that fallback draws.
    const family = registerChartFont();
    for (const c of characters) {
      expect(glyph(c, family).hash).not.toBe(glyph(c, 'No Such Family For Tests').hash);
    }
  });

  it('shows in the chart: two charts differing in one kanji of a label differ', async () => {
    const withLabel = (label: string) =>
      renderBarChart(
        firstResponse({ series: [{ label: `営業時間${label}`, values: [42, 31, 12, 5, 2, 3] }] }),
      );
    expect(await withLabel('内')).not.toEqual(await withLabel('外'));
  });
});
