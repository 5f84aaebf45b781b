import { describe, expect, it } from 'vitest';
import { exportFilename, parseExportCommand } from '../../../src/domain/export/export-command.ts';

describe('parseExportCommand', () => {
  it('takes a dataset in English or Japanese, and the period as typed', () => {
    expect(parseExportCommand('leads')).toEqual({ kind: 'export', dataset: 'leads', period: null });
    expect(parseExportCommand('接触履歴 今月')).toEqual({
      kind: 'export',
      dataset: 'touches',
      period: '今月',
    });
    expect(parseExportCommand(' MESSAGES  2026-11 ')).toEqual({
      kind: 'export',
      dataset: 'messages',
      period: '2026-11',
    });
    expect(parseExportCommand('ﾘｰﾄﾞ')).toEqual({ kind: 'export', dataset: 'leads', period: null });
  });

  it('asks for the usage without a dataset or with words left over', () => {
    expect(parseExportCommand('')).toEqual({ kind: 'usage' });
    expect(parseExportCommand('leads week extra')).toEqual({ kind: 'usage' });
  });

  it('names a dataset it does not know', () => {
    expect(parseExportCommand('customers week')).toEqual({ kind: 'unknown_dataset', word: 'customers' });
  });
});

describe('exportFilename', () => {
  it('names the dataset and the days, one day once', () => {
    expect(exportFilename('leads', { firstDay: '2026-11-23', lastDay: '2026-11-29' })).toBe(
      'tsuikyaku-leads-2026-11-23_2026-11-29.csv',
    );
    expect(exportFilename('touches', { firstDay: '2026-11-25', lastDay: '2026-11-25' })).toBe(
      'tsuikyaku-touches-2026-11-25.csv',
    );
  });
});
