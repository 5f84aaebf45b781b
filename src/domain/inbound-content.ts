/** What a lead sent on LINE, reduced to what staff need to see. */
export type InboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'sticker'; packageId: string; stickerId: string; keywords: string[] }
  | { kind: 'image' }
  | { kind: 'video'; durationMs: number | null }
  | { kind: 'audio'; durationMs: number | null }
  | { kind: 'file'; fileName: string; fileSize: number | null }
  | { kind: 'location'; title: string | null; address: string | null; latitude: number; longitude: number }
  | { kind: 'unsupported'; type: string };

/** The plain text kept in the message log for search and for the digest. */
export function plainTextOf(content: InboundContent): string | null {
  switch (content.kind) {
    case 'text':
      return content.text;
    case 'file':
      return content.fileName;
    case 'location':
      return [content.title, content.address].filter(Boolean).join(' ') || null;
    case 'sticker':
      return content.keywords.join(' ') || null;
    default:
      return null;
  }
}
