/** Words every feature uses. */
export const commonJa = {
  leadFallbackName: 'LINEユーザー',
  senderFallbackName: '担当者',
  somethingWentWrong: 'うまくいきませんでした。もう一度お試しください。',
  nobody: '未割当',
  /** A period of days: 11月23日(月)〜11月29日(日). */
  periodRange: (from: string, to: string) => `${from}〜${to}`,
};

export const commonEn: typeof commonJa = {
  leadFallbackName: 'LINE user',
  senderFallbackName: 'Sales rep',
  somethingWentWrong: 'That did not work. Please try again.',
  nobody: 'nobody',
  periodRange: (from, to) => `${from} to ${to}`,
};
