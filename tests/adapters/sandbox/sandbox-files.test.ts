import { describe, expect, it } from 'vitest';
import { renderBarChart } from '../../../adapters/charts/chart-renderer.ts';
import {
  contentDisposition,
  fileContentType,
  pngSize,
  sharedFile,
} from '../../../adapters/sandbox/sandbox-files.ts';

describe('files the app shared, as the sandbox serves them', () => {
  it('serves a chart as image/png and a CSV as UTF-8 text/csv, anything else as bytes', () => {
    expect(fileContentType('first-response_2026-11-30_2026-12-06_16.png')).toBe('image/png');
    expect(fileContentType('LEADS.CSV')).toBe('text/csv; charset=utf-8');
    expect(fileContentType('report.xlsx')).toBe('application/octet-stream');
    expect(fileContentType('no-extension')).toBe('application/octet-stream');
  });

  it('names a download in ASCII and in full (RFC 6266 filename*), with quotes and non-ASCII kept out of the plain name', () => {
    expect(contentDisposition('leads_2026-11-30_2026-12-06.csv', 'attachment')).toBe(
      `attachment; filename="leads_2026-11-30_2026-12-06.csv"; filename*=UTF-8''leads_2026-11-30_2026-12-06.csv`,
    );
    expect(contentDisposition('リード "週" (1).csv', 'attachment')).toBe(
      `attachment; filename="___ ___ (1).csv"; filename*=UTF-8''%E3%83%AA%E3%83%BC%E3%83%89%20%22%E9%80%B1%22%20%281%29.csv`,
    );
  });

  it('reads a real chart’s pixel size from its PNG header, and none from bytes that are not PNG', async () => {
    const png = await renderBarChart({
      title: 't',
      labels: ['a'],
      series: [{ label: 's', values: [1] }],
    });
    expect(pngSize(png)).toEqual({ width: 800, height: 450 });
    expect(pngSize(Buffer.from('\uFEFFリードID,名前\n'))).toBeNull();
    expect(pngSize(png.subarray(0, 20))).toBeNull();
  });

  it('describes a shared file for the page: its address, type, size, and for an image its size', () => {
    const csv = Buffer.from('\uFEFFa,b\n');
    const upload = {
      fileId: 'F0000000001',
      filename: 'leads_2026-11-30_2026-12-06_7.csv',
      length: csv.length,
      altText: null,
      bytes: csv,
      completed: null,
    };
    expect(sharedFile(upload, 'リード（11月30日(月)〜12月6日(日)）')).toEqual({
      id: 'F0000000001',
      name: 'leads_2026-11-30_2026-12-06_7.csv',
      title: 'リード（11月30日(月)〜12月6日(日)）',
      url: '/sandbox/files/F0000000001',
      type: 'text/csv; charset=utf-8',
      size: csv.length,
      image: null,
    });
  });
});
