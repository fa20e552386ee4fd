import { fileTypeFromBuffer } from 'file-type';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import { AppError } from '../errors.js';
import { readResume } from './resume.js';
import { MAX_RESUME_BYTES, MAX_RESUME_CHARS, type ResumeUpload } from './schema.js';

/**
 * A résumé file read into text: PDF (unpdf, pdf.js underneath) or DOCX (mammoth), or plain UTF-8
 * text. The type is read from the bytes, never from the name or the declared type. Too large is
 * 413, another type 415, and a file of the right type that cannot be read (corrupt, encrypted,
 * or with no text: a scanned image) is 422, each saying what to do instead.
 */

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const SIZE = `${MAX_RESUME_BYTES / 1024 / 1024} MB`;

/** Bytes that are text: valid UTF-8 with no control characters but white space. */
function asText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text;
}

const unreadable = (what: string) => new AppError('unreadable_file', `${what}: paste the résumé's text into the box instead`);

async function pdfText(bytes: Uint8Array): Promise<{ text: string; pages: number }> {
  try {
    const doc = await getDocumentProxy(bytes);
    const { text, totalPages } = await extractText(doc, { mergePages: true });
    return { text, pages: totalPages };
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'PasswordException') throw unreadable('The PDF is protected by a password');
    throw unreadable(`The PDF could not be read (${name === 'InvalidPDFException' ? 'it is damaged' : 'it is damaged or not a real PDF'})`);
  }
}

async function docxText(bytes: Uint8Array): Promise<string> {
  try {
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    return value;
  } catch {
    throw unreadable('The Word document could not be read (it is damaged, or encrypted)');
  }
}

/** Text as a résumé box shows it: lines kept, runs of spaces and blank lines collapsed. */
const tidy = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

export async function readResumeFile(bytes: Uint8Array): Promise<ResumeUpload> {
  if (bytes.byteLength === 0) throw new AppError('bad_request', 'The file is empty: choose your résumé (PDF or DOCX)');
  if (bytes.byteLength > MAX_RESUME_BYTES) {
    throw new AppError('payload_too_large', `The file is larger than ${SIZE}: save a smaller PDF or DOCX, or paste the text`);
  }
  const sniffed = await fileTypeFromBuffer(bytes);
  let format: ResumeUpload['format'];
  let text: string;
  let pages: number | null = null;
  if (sniffed?.mime === 'application/pdf') {
    format = 'pdf';
    ({ text, pages } = await pdfText(bytes));
  } else if (sniffed?.mime === DOCX) {
    format = 'docx';
    text = await docxText(bytes);
  } else if (!sniffed && asText(bytes) !== undefined) {
    format = 'text';
    text = asText(bytes)!;
  } else {
    // An encrypted DOCX is an OLE container (cfb), as an old .doc is: neither can be read here.
    throw new AppError(
      'unsupported_media_type',
      `The résumé must be a PDF or a Word document (.docx)${sniffed ? `, not ${sniffed.ext === 'cfb' ? 'an old .doc or an encrypted document' : `a ${sniffed.ext} file`}` : ''}: save it as PDF or DOCX, or paste the text`,
    );
  }
  const clean = tidy(text);
  if (!clean) {
    throw unreadable(
      format === 'pdf' ? 'The PDF has no text to read (a scanned image?)' : `The ${format === 'docx' ? 'document' : 'file'} has no text`,
    );
  }
  const truncated = [...clean].length > MAX_RESUME_CHARS;
  const kept = truncated ? [...clean].slice(0, MAX_RESUME_CHARS).join('') : clean;
  return { text: kept, format, pages, truncated, items: readResume(kept) };
}
