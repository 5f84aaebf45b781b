// Files the app shared in Slack (files.getUploadURLExternal, the bytes, files.completeUploadExternal),
// as the page shows them: a chart inline, a CSV as a link to download. The bytes are the ones the
// fake Slack received, served back by the sandbox's own route.
import { extname } from 'node:path';
import type { FakeSlackUpload } from '../slack/fake/fake-slack-api.ts';

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content type a file is served with, from its name as Slack would guess it. */
export function fileContentType(filename: string): string {
  return TYPES[extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

export const isImage = (filename: string) => fileContentType(filename).startsWith('image/');

/** Where the page gets a shared file's bytes. */
export const fileUrl = (fileId: string) => `/sandbox/files/${encodeURIComponent(fileId)}`;

/** A file in a message, as the page draws it. */
export interface SharedFile {
  id: string;
  name: string;
  title: string;
  url: string;
  type: string;
  size: number;
  /** Drawn inline, with its pixel size (from the PNG header) so the page does not jump when it loads. */
  image: { width: number; height: number } | null;
}

export function sharedFile(upload: FakeSlackUpload & { bytes: Buffer }, title: string): SharedFile {
  return {
    id: upload.fileId,
    name: upload.filename,
    title,
    url: fileUrl(upload.fileId),
    type: fileContentType(upload.filename),
    size: upload.bytes.length,
    image: isImage(upload.filename) ? (pngSize(upload.bytes) ?? { width: 0, height: 0 }) : null,
  };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (right after the signature); null for anything else. */
export function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * Content-Disposition for a download (CSV) or an inline view (an image): the name as ASCII for old
 * clients, and in full as RFC 6266's filename* (UTF-8, percent-encoded).
 */
export function contentDisposition(filename: string, kind: 'attachment' | 'inline'): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
