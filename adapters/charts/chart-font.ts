import { createRequire } from 'node:module';
import { GlobalFonts } from '@napi-rs/canvas';

/** The family every chart draws its text in. */
export const CHART_FONT_FAMILY = 'Noto Sans JP';

/**
 * Regular for labels and ticks, Bold for titles. The service's machines have no Japanese font, and
 * without one every kanji is the same box; an npm package brings the static TTFs (OFL-1.1).
 */
const FONT_FILES = [
  '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
];

let registered = false;

/**
 * Registers the chart font with the canvas once per process (each file is ~5 MB of font data:
 * loading it per chart would grow the process with every render). Safe to call before every render.
 */
export function registerChartFont(): string {
  if (registered) return CHART_FONT_FAMILY;
  const require = createRequire(import.meta.url);
  for (const file of FONT_FILES) {
    const path = require.resolve(file);
    if (GlobalFonts.registerFromPath(path, CHART_FONT_FAMILY) === null) {
      throw new Error(`The chart font could not be loaded from ${path}`);
    }
  }
  registered = true;
  return CHART_FONT_FAMILY;
}
