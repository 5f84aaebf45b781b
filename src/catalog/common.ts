/** Words every feature uses. */
export const commonJa = {
  leadFallbackName: 'LINEユーザー',
  senderFallbackName: '担当者',
  somethingWentWrong: 'うまくいきませんでした。もう一度お試しください。',
  nobody: '未割当',
};

export const commonEn: typeof commonJa = {
  leadFallbackName: 'LINE user',
  senderFallbackName: 'Sales rep',
  somethingWentWrong: 'That did not work. Please try again.',
  nobody: 'nobody',
};
